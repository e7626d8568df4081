//! Isolation: a batch's files are parsed in long-lived child processes of this binary
//! (`gongkai worker`, hidden), so that what no check inside a reader can stop (an abort on a
//! failed allocation, a stack overflow, a parser that never returns) costs one file, not the
//! batch. Each worker has an address-space ceiling (`setrlimit`), and the parent enforces
//! the wall-clock limit by killing a worker past it; a worker that dies or is killed turns
//! its file into an error row (`crashed`, `out_of_memory`, `timed_out`) and a new one takes
//! the next file.
//!
//! The protocol is frames on the worker's stdin and stdout, each a little-endian `u64`
//! length then its bytes: a request is a bincode header (path, hash, manifest row, caps)
//! and the file's bytes; the answer is the bincode of the file's outcomes, exactly what an
//! in-process parse gives (the cache stores the same encoding). A worker takes up to a
//! task's eight files at once and holds its answers until the last ([`Pool::process_batch`]);
//! the frames and pipes are in `protocol`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::batch::manifest;
use crate::report::{Failure, Kind, Outcome, Stage};
use crate::source::Limits;

mod protocol;
use protocol::*;

/// Default address-space ceiling of a worker: far above any report's needs (a 64 MiB file
/// parses in well under 1 GiB), far below the machine.
pub const DEFAULT_MEMORY: u64 = 4 << 30;

/// What the parent waits past the time limit before killing a worker: the limit is also
/// checked inside the worker, which answers `timed_out` itself when it can.
const GRACE: Duration = Duration::from_secs(5);

/// Environment variables that make a worker abort, or hang, on a file whose path contains
/// their value: for tests of the crash and time-out paths only.
pub const CRASH_ON: &str = "GONGKAI_TEST_WORKER_CRASH_ON";
pub const HANG_ON: &str = "GONGKAI_TEST_WORKER_HANG_ON";

/// The header of a request: what the in-process call takes besides the bytes.
#[derive(serde::Serialize, serde::Deserialize)]
struct Request {
    /// The path's bytes: a file name need not be UTF-8, which serde's paths require.
    path: Vec<u8>,
    sha256: String,
    row: Option<manifest::Row>,
    limits: Limits,
    /// More requests of the same batch follow: the answer is held and written with the
    /// batch's last, so the parent wakes once for the batch, not once per file.
    more: bool,
}

/// A set of workers, started as needed, at most one per thread of the batch.
pub struct Pool {
    exe: PathBuf,
    memory: u64,
    max: usize,
    state: Mutex<State>,
    free: Condvar,
}

struct State {
    idle: Vec<Worker>,
    running: usize,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("exe", &self.exe)
            .field("memory", &self.memory)
            .field("max", &self.max)
            .finish()
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    /// Read on the thread that sent the request, waiting in `poll` up to the time limit: a
    /// thread of its own that read every answer and passed it on cost one more wake-up per
    /// file (10,000 text reports: 25,096–32,256 voluntary context switches with it,
    /// 12,472–13,232 without).
    stdout: ChildStdout,
    /// The last request and answer, reused: one allocation per worker, not two per file.
    request: Vec<u8>,
    answer: Vec<u8>,
    /// How many bytes the worker's input pipe holds: the requests sent together fill at
    /// most half of it.
    pipe: usize,
    /// The worker said on stderr that an allocation failed.
    out_of_memory: Arc<AtomicBool>,
}

impl Pool {
    /// Workers running this executable, each with `memory` bytes of address space at most
    /// (0: no ceiling), as many as `max` at once.
    pub fn new(exe: PathBuf, memory: u64, max: usize) -> Pool {
        Pool {
            exe,
            memory,
            max: max.max(1),
            state: Mutex::new(State {
                idle: Vec::new(),
                running: 0,
            }),
            free: Condvar::new(),
        }
    }

    /// Workers of the running binary.
    pub fn of_this_binary(memory: u64, max: usize) -> std::io::Result<Pool> {
        Ok(Pool::new(std::env::current_exe()?, memory, max))
    }

    fn take(&self) -> std::io::Result<Worker> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(w) = st.idle.pop() {
                return Ok(w);
            }
            if st.running < self.max {
                st.running += 1;
                drop(st);
                let w = self.spawn();
                if w.is_err() {
                    self.state.lock().unwrap_or_else(|e| e.into_inner()).running -= 1;
                }
                return w;
            }
            st = self.free.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn give_back(&self, w: Worker) {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .idle
            .push(w);
        self.free.notify_one();
    }

    fn retire(&self, mut w: Worker) {
        let _ = w.child.kill();
        let _ = w.child.wait();
        self.state.lock().unwrap_or_else(|e| e.into_inner()).running -= 1;
        self.free.notify_one();
    }

    fn spawn(&self) -> std::io::Result<Worker> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        if self.memory > 0 {
            use std::os::unix::process::CommandExt;
            let limit = self.memory;
            // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
            unsafe {
                cmd.pre_exec(move || {
                    let lim = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| std::io::Error::other("no stdout"))?;
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| std::io::Error::other("no stderr"))?;
        let pipe = pipe_capacity(&stdin);
        // The answers' pipe alike: a batch's answers come in one write.
        #[cfg(target_os = "linux")]
        widen_pipe(&stdout);
        let out_of_memory = Arc::new(AtomicBool::new(false));
        let oom = out_of_memory.clone();
        // The worker's log lines go on to ours; an allocation failure is remembered.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("memory allocation of") {
                    oom.store(true, Ordering::Relaxed);
                }
                eprintln!("{line}");
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout,
            request: Vec::new(),
            pipe,
            answer: Vec::new(),
            out_of_memory,
        })
    }

    /// One file's outcomes, parsed by a worker; a worker that dies or overruns the time
    /// limit gives the file an error row, and the pool a new worker for the next file.
    pub fn process(
        &self,
        path: &Path,
        bytes: &[u8],
        sha256: &str,
        row: Option<&manifest::Row>,
        limits: &Limits,
    ) -> Vec<Outcome> {
        let job = Job {
            path,
            bytes,
            sha256,
            row,
        };
        self.process_batch(std::slice::from_ref(&job), limits)
            .pop()
            .unwrap_or_default()
    }

    /// Each file's outcomes, in order, as [`Pool::process`] gives them, with a worker taking
    /// several files at once: their requests in one write (they fit in its input pipe, so
    /// sending never waits), its answers held until the last and written together, so
    /// neither side sleeps and wakes once per file (one file per round trip cost about a
    /// tenth of a batch's CPU). The batch has the sum of its files' time limits. When its
    /// worker dies or overruns, which file stopped it is not known: its files are sent again
    /// one at a time, so that file alone is the error row.
    pub fn process_batch(&self, jobs: &[Job<'_>], limits: &Limits) -> Vec<Vec<Outcome>> {
        let mut out: Vec<Vec<Outcome>> = Vec::with_capacity(jobs.len());
        // Files to send one per request (after a batch whose worker stopped).
        let mut one_by_one = 0usize;
        while out.len() < jobs.len() {
            let rest = &jobs[out.len()..];
            let mut w = match self.take() {
                Ok(w) => w,
                Err(e) => {
                    out.extend(rest.iter().map(|j| {
                        j.error(
                            Kind::Crashed,
                            format!("could not start a worker process: {e}"),
                            "check that the gongkai binary can run, or pass --isolation none",
                        )
                    }));
                    break;
                }
            };
            // As many requests as the pipe holds without waiting, at least one; and one at a
            // time after a batch failed, to find the file that failed it.
            let room = if one_by_one > 0 { 0 } else { w.pipe / 2 };
            let header = |j: &Job<'_>, more: bool| Request {
                path: path_bytes(j.path),
                sha256: j.sha256.to_owned(),
                row: j.row.cloned(),
                limits: *limits,
                more,
            };
            let mut sent = 0;
            let mut size = 0u64;
            for j in rest {
                let frame = 16
                    + bincode::serialized_size(&header(j, false)).unwrap_or(u64::MAX / 4)
                    + j.bytes.len() as u64;
                if sent > 0 && size + frame > room as u64 {
                    break;
                }
                size += frame;
                sent += 1;
            }
            let encoded = {
                let Worker { request, .. } = &mut w;
                request.clear();
                rest[..sent].iter().enumerate().try_for_each(|(k, j)| {
                    push_frame(request, &header(j, k + 1 < sent))?;
                    write_frame(request, j.bytes)
                })
            };
            // Both frames of every request in one write: the worker wakes once for them.
            let written = encoded.and_then(|()| {
                let Worker { request, stdin, .. } = &mut w;
                stdin.write_all(request)?;
                stdin.flush()
            });
            one_by_one = one_by_one.saturating_sub(sent);
            let mut ended = Ended::Whole;
            let mut since = Instant::now();
            for (k, job) in rest[..sent].iter().enumerate() {
                let answer = match &written {
                    Ok(()) => {
                        // The first answer comes when the whole batch is parsed: it has the
                        // time of all of them.
                        let files = if k == 0 { sent as u32 } else { 1 };
                        let deadline = (limits.millis > 0).then(|| {
                            Instant::now() + Duration::from_millis(limits.millis) * files + GRACE
                        });
                        // Answers after this one are in the pipe too: none is read into
                        // this one's buffer.
                        read_answer(&mut w.stdout, &mut w.answer, deadline, k + 1 < sent)
                    }
                    Err(_) => Answer::Closed,
                };
                match answer {
                    Answer::Read(end) => {
                        match bincode::deserialize::<Vec<Outcome>>(&w.answer[8..end]) {
                            Ok(mut outcomes) => {
                                for o in &mut outcomes {
                                    o.path = job.path.to_owned();
                                }
                                let now = Instant::now();
                                let ms = (now - since).as_secs_f64() * 1000.0;
                                super::process::log_parsed(job.path, ms, &outcomes);
                                since = now;
                                out.push(outcomes);
                            }
                            Err(e) => {
                                let error = job.error(
                                    Kind::Crashed,
                                    format!("the worker's answer could not be read: {e}"),
                                    "please report this file; the rest of the batch is unaffected",
                                );
                                let ms = since.elapsed().as_secs_f64() * 1000.0;
                                super::process::log_parsed(job.path, ms, &error);
                                out.push(error);
                                ended = Ended::Retire;
                                break;
                            }
                        }
                    }
                    _ if sent > 1 => {
                        // The batch's answers were held: which file stopped the worker is
                        // not known. Its files from here are sent again one at a time.
                        one_by_one = sent - k;
                        ended = Ended::Retire;
                        break;
                    }
                    other => {
                        ended = Ended::Lost(other, job);
                        break;
                    }
                }
            }
            match ended {
                Ended::Whole => {
                    let_go_if_large(&mut w.answer);
                    let_go_if_large(&mut w.request);
                    self.give_back(w);
                }
                // `retire` kills it: a worker stopped mid-batch may still be running.
                Ended::Retire => self.retire(w),
                Ended::Lost(answer, job) => {
                    let error = self.lost(w, answer, job, limits);
                    let ms = since.elapsed().as_secs_f64() * 1000.0;
                    super::process::log_parsed(job.path, ms, &error);
                    out.push(error);
                }
            }
        }
        out
    }

    /// The error row of a file whose worker timed out or closed its end; the worker goes.
    fn lost(&self, mut w: Worker, answer: Answer, job: &Job<'_>, limits: &Limits) -> Vec<Outcome> {
        if matches!(answer, Answer::TimedOut) {
            self.retire(w);
            return job.error(
                Kind::TimedOut,
                format!(
                    "still parsing after {} ms (the worker was stopped)",
                    limits.millis
                ),
                "check that it is a report; if it is, raise --time-limit and please report the file",
            );
        }
        // Killed first: a worker whose answer could not be read may still be alive.
        let _ = w.child.kill();
        let status = w.child.wait().ok();
        let oom = w.out_of_memory.load(Ordering::Relaxed);
        self.retire(w);
        let signal = status.and_then(|s| {
            #[cfg(unix)]
            {
                std::os::unix::process::ExitStatusExt::signal(&s)
            }
            #[cfg(not(unix))]
            {
                let _ = s;
                None
            }
        });
        let how = match (signal, status.and_then(|s| s.code())) {
            (Some(sig), _) => format!("signal {sig}"),
            (None, Some(code)) => format!("exit code {code}"),
            _ => "an unknown cause".to_owned(),
        };
        if oom {
            job.error(
                Kind::OutOfMemory,
                format!(
                    "the worker ran out of memory on this file (ceiling {} MiB; {how})",
                    self.memory >> 20
                ),
                "check that it is a report; if it is, raise --max-worker-memory",
            )
        } else {
            job.error(
                Kind::Crashed,
                format!("the worker parsing this file died ({how})"),
                "please report this file; the rest of the batch is unaffected",
            )
        }
    }
}

/// How a batch sent to a worker ended.
enum Ended<'j> {
    /// Every answer read: the worker takes the next batch.
    Whole,
    /// The worker goes; the rows are already made (or its files are sent again).
    Retire,
    /// The worker of a lone file timed out or closed its end: that file's error row.
    Lost(Answer, &'j Job<'j>),
}

/// One file for a worker: its path, bytes, content hash and manifest row.
pub struct Job<'a> {
    pub path: &'a Path,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub row: Option<&'a manifest::Row>,
}

impl Job<'_> {
    /// The file's error row.
    fn error(&self, kind: Kind, message: String, hint: &str) -> Vec<Outcome> {
        let failure = Failure {
            stage: Stage::Worker,
            kind,
            message,
            hint: Some(hint.to_owned()),
        };
        vec![Outcome::failed(
            self.path,
            self.sha256,
            self.bytes.len() as u64,
            failure,
        )]
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        let st = self.state.get_mut().unwrap_or_else(|e| e.into_inner());
        for mut w in st.idle.drain(..) {
            // Closing stdin ends the worker's loop; it exits on its own.
            drop(w.stdin);
            let _ = w.child.wait();
        }
    }
}

/// The worker's side: requests from stdin, answers to stdout, until stdin closes.
pub fn serve() -> std::io::Result<()> {
    crate::budget::supervised();
    let trigger = |name| std::env::var(name).ok().filter(|s: &String| !s.is_empty());
    let (crash_on, hang_on) = (trigger(CRASH_ON), trigger(HANG_ON));
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = protocol_out()?;
    let (mut header, mut bytes, mut answer) = (Vec::new(), Vec::new(), Vec::new());
    while read_frame(&mut input, &mut header)? {
        if !read_frame(&mut input, &mut bytes)? {
            return Ok(());
        }
        let req: Request = bincode::deserialize(&header).map_err(std::io::Error::other)?;
        let path = path_from(&req.path);
        let name = path.to_string_lossy();
        if crash_on.as_ref().is_some_and(|c| name.contains(c.as_str())) {
            std::process::abort();
        }
        if hang_on.as_ref().is_some_and(|c| name.contains(c.as_str())) {
            loop {
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
        let mut outcomes =
            crate::batch::process_fresh(&path, &bytes, &req.sha256, req.row.as_ref(), &req.limits);
        // The parent knows the path; sent back, a name that is not UTF-8 would not encode.
        for o in &mut outcomes {
            o.path = PathBuf::new();
        }
        // The frame (its length, then the outcomes' encoding), held while more of the
        // batch's requests follow; then the batch's frames in one write, so the parent
        // reads them whole when it wakes.
        push_frame(&mut answer, &outcomes)?;
        if req.more {
            continue;
        }
        output.write_all(&answer)?;
        output.flush()?;
        answer.clear();
        for buf in [&mut bytes, &mut answer] {
            let_go_if_large(buf);
        }
    }
    Ok(())
}

/// Buffers kept from file to file are let go after a large file, so a worker does not hold
/// its largest file's memory for the rest of the batch.
fn let_go_if_large(buf: &mut Vec<u8>) {
    if buf.capacity() > KEPT_BUFFER {
        *buf = Vec::new();
    }
}

/// The largest buffer kept for the next file: far above a text report's answer (21.5 KB on
/// average over 1,002 synthetic text reports, as their cache entries, the same encoding).
const KEPT_BUFFER: usize = 1 << 20;
