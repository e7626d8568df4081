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
//! in-process parse gives (the cache stores the same encoding).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::batch::manifest;
use crate::report::{Failure, Kind, Outcome, Stage};
use crate::source::Limits;

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

/// How waiting for an answer ended.
enum Answer {
    /// The whole frame is in the worker's `answer`, up to this end (its bytes from
    /// offset 8).
    Read(usize),
    TimedOut,
    /// The worker closed its end, or the pipe failed.
    Closed,
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
    /// several files' requests at once: it finds the next request waiting when it has
    /// answered one, instead of sleeping until this thread has read the answer and sent
    /// another (a round trip per file cost about a tenth of a batch's CPU). The requests
    /// sent together fit in the worker's input pipe, so sending never waits for the worker.
    /// Each answer has the time limit from when the one before it came; a file whose worker
    /// dies or overruns is an error row as before, and the files after it go to a new worker.
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
            let mut failed = None;
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
                                failed = Some(None);
                                break;
                            }
                        }
                    }
                    _ if sent > 1 => {
                        // The batch's answers were held: which file stopped the worker is
                        // not known. Its files from here are sent again one at a time.
                        one_by_one = sent - k;
                        failed = Some(None);
                        break;
                    }
                    other => {
                        failed = Some(Some((other, job)));
                        break;
                    }
                }
            }
            match failed {
                None => {
                    let_go_if_large(&mut w.answer);
                    let_go_if_large(&mut w.request);
                    self.give_back(w);
                }
                Some(None) => {
                    // Killed first: a worker stopped mid-batch may still be running.
                    let _ = w.child.kill();
                    self.retire(w);
                }
                Some(Some((answer, job))) => {
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

/// Room for a batch's requests ([`PIPE_ROOM`]) in the pipe to a worker: asked for, and
/// what the system gave read back (64 KiB, Linux's default, if it says nothing).
fn pipe_capacity(stdin: &ChildStdin) -> usize {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        widen_pipe(stdin);
        // SAFETY: fcntl on the pipe descriptor `stdin` owns; it touches no memory.
        let size = unsafe { libc::fcntl(stdin.as_raw_fd(), libc::F_GETPIPE_SZ) };
        if size > 0 {
            return size as usize;
        }
    }
    let _ = stdin;
    1 << 16
}

/// Asks for [`PIPE_ROOM`] bytes in a pipe (a refusal leaves it as it was).
#[cfg(target_os = "linux")]
fn widen_pipe(pipe: &impl std::os::fd::AsRawFd) {
    // SAFETY: fcntl on a pipe descriptor the caller owns; it touches no memory.
    unsafe {
        libc::fcntl(
            pipe.as_raw_fd(),
            libc::F_SETPIPE_SZ,
            PIPE_ROOM as libc::c_int,
        );
    }
}

/// The pipe size asked for each worker's input: twice what a batch of eight text reports'
/// requests take (about 5 KB each).
const PIPE_ROOM: usize = 1 << 18;

fn path_bytes(p: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec()
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().into_owned().into_bytes()
    }
}

fn path_from(b: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        PathBuf::from(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(b).into_owned())
    }
}

/// Reads one answer frame (its length, then its bytes: the answer is `buf[8..end]`) into
/// `buf`, waiting until `deadline` at most (none: as long as it takes). An answer usually
/// lies whole in the pipe by the time the wait ends, and is then taken in one read.
fn read_answer(
    out: &mut ChildStdout,
    buf: &mut Vec<u8>,
    deadline: Option<Instant>,
    more: bool,
) -> Answer {
    // Zeroed when it grows, not for every answer (zeroing 64 KB per answer was 64 M of the
    // parent's 1,320 M instructions on 1,000 reports): its length is how much is ready to
    // read into, and what an answer before left there is overwritten.
    if buf.len() < 1 << 16 {
        buf.resize(1 << 16, 0);
    }
    let mut filled = 0;
    // The frame's end, once its length is in.
    let mut end = None;
    loop {
        if let Some(e) = end
            && filled >= e
        {
            return Answer::Read(e);
        }
        if let Some(stop) = ready(out, deadline) {
            return stop;
        }
        // Never past the frame: what follows it is no part of this answer. When more answers
        // may follow, the length is read first, alone.
        let stop = end.unwrap_or(if more { 8 } else { buf.len() });
        match out.read(&mut buf[filled..stop]) {
            Ok(0) => return Answer::Closed,
            Ok(k) => filled += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Answer::Closed,
        }
        if end.is_none() && filled >= 8 {
            let n = u64::from_le_bytes(buf[..8].try_into().unwrap_or_default());
            if n > MAX_FRAME {
                return Answer::Closed;
            }
            let e = 8 + n as usize;
            if buf.len() < e {
                buf.resize(e, 0);
            }
            end = Some(e);
        }
    }
}

/// Waits until the pipe has bytes to read (or is closed: the read then says so), or the
/// deadline passes (`Some`: how the wait ended without an answer).
#[cfg(unix)]
fn ready(out: &ChildStdout, deadline: Option<Instant>) -> Option<Answer> {
    use std::os::fd::AsRawFd;
    loop {
        let timeout = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Some(Answer::TimedOut);
                }
                // Rounded up, so a wait never ends just before the deadline and spins.
                i32::try_from(left.as_millis() + 1).unwrap_or(i32::MAX)
            }
        };
        let mut fd = libc::pollfd {
            fd: out.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one pollfd, valid for the call; the descriptor is the open pipe `out` owns.
        let r = unsafe { libc::poll(&mut fd, 1, timeout) };
        if r > 0 {
            return None;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return Some(Answer::Closed);
        }
        // r == 0 (the wait ran out) or an interrupted wait: the loop checks the deadline.
    }
}

/// Without `poll`, a read waits as long as it takes (workers need Linux anyway).
#[cfg(not(unix))]
fn ready(_: &ChildStdout, _: Option<Instant>) -> Option<Answer> {
    None
}

/// The frame of `value`'s encoding appended to `buf`.
fn push_frame(buf: &mut Vec<u8>, value: &impl serde::Serialize) -> std::io::Result<()> {
    let at = buf.len();
    buf.extend_from_slice(&[0; 8]);
    bincode::serialize_into(&mut *buf, value).map_err(std::io::Error::other)?;
    let n = (buf.len() - at - 8) as u64;
    buf[at..at + 8].copy_from_slice(&n.to_le_bytes());
    Ok(())
}

fn write_frame(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)
}

/// Frames longer than this are no frame of ours (a file is capped far below it).
const MAX_FRAME: u64 = 1 << 34;

/// Reads one frame into `buf` (reused from frame to frame); false at the end of the input.
fn read_frame(r: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    let n = u64::from_le_bytes(len);
    if n > MAX_FRAME {
        return Err(std::io::Error::other(format!("frame of {n} bytes")));
    }
    buf.clear();
    buf.resize(n as usize, 0);
    r.read_exact(buf)?;
    Ok(true)
}

/// The answers' channel: the process's stdout as it was, while fd 1 itself goes to stderr,
/// so that what a library prints (pdf-extract prints to stdout) cannot corrupt a frame.
fn protocol_out() -> std::io::Result<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::FromRawFd;
        // SAFETY: dup and dup2 on the process's own standard descriptors; the duplicate is
        // owned by the File from here on.
        unsafe {
            let fd = libc::dup(1);
            if fd < 0 || libc::dup2(2, 1) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(std::fs::File::from_raw_fd(fd))
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(std::io::Error::other(
            "workers need Linux; pass --isolation none",
        ))
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn child(cmd: &str) -> Child {
        Command::new("sh")
            .args(["-c", cmd])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// A frame longer than the first read, arriving in pieces, is read whole and no further.
    #[test]
    fn an_answer_in_pieces_is_read_whole() {
        let mut c = child("cat");
        let mut stdin = c.stdin.take().unwrap();
        let body: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut frame = Vec::new();
        write_frame(&mut frame, &body).unwrap();
        let writer = std::thread::spawn(move || {
            for piece in frame.chunks(70_001) {
                stdin.write_all(piece).unwrap();
                stdin.flush().unwrap();
                std::thread::sleep(Duration::from_millis(20));
            }
            stdin.write_all(b"next").unwrap();
            stdin
        });
        let mut out = c.stdout.take().unwrap();
        let mut buf = Vec::new();
        let deadline = Some(Instant::now() + Duration::from_secs(30));
        let end = match read_answer(&mut out, &mut buf, deadline, false) {
            Answer::Read(end) => end,
            _ => panic!("no answer"),
        };
        assert_eq!(&buf[8..end], &body[..]);
        drop(writer.join().unwrap());
        let mut rest = Vec::new();
        out.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"next");
        c.wait().unwrap();
    }

    #[test]
    fn a_silent_worker_times_out_and_a_closed_one_is_closed() {
        let mut c = child("sleep 5");
        let mut out = c.stdout.take().unwrap();
        let deadline = Some(Instant::now() + Duration::from_millis(50));
        assert!(matches!(
            read_answer(&mut out, &mut Vec::new(), deadline, false),
            Answer::TimedOut
        ));
        c.kill().unwrap();
        c.wait().unwrap();
        // Half a length, then the end of the pipe.
        let mut c = child("printf abc");
        let mut out = c.stdout.take().unwrap();
        assert!(matches!(
            read_answer(&mut out, &mut Vec::new(), None, false),
            Answer::Closed
        ));
        c.wait().unwrap();
    }
}
