//! The frames between the batch and its workers: a little-endian `u64` length, then the
//! bytes; the pipes they go through; the answer read with a deadline.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout};
use std::time::Instant;

/// How waiting for an answer ended.
pub(super) enum Answer {
    /// The whole frame is in the worker's `answer`, up to this end (its bytes from
    /// offset 8).
    Read(usize),
    TimedOut,
    /// The worker closed its end, or the pipe failed.
    Closed,
}

/// Room for a batch's requests ([`PIPE_ROOM`]) in the pipe to a worker: asked for, and
/// what the system gave read back (64 KiB, Linux's default, if it says nothing).
pub(super) fn pipe_capacity(stdin: &ChildStdin) -> usize {
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
pub(super) fn widen_pipe(pipe: &impl std::os::fd::AsRawFd) {
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
pub(super) const PIPE_ROOM: usize = 1 << 18;

pub(super) fn path_bytes(p: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec()
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().into_owned().into_bytes()
    }
}

pub(super) fn path_from(b: &[u8]) -> PathBuf {
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
pub(super) fn read_answer(
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
pub(super) fn ready(out: &ChildStdout, deadline: Option<Instant>) -> Option<Answer> {
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
pub(super) fn ready(_: &ChildStdout, _: Option<Instant>) -> Option<Answer> {
    None
}

/// The frame of `value`'s encoding appended to `buf`.
pub(super) fn push_frame(buf: &mut Vec<u8>, value: &impl serde::Serialize) -> std::io::Result<()> {
    let at = buf.len();
    buf.extend_from_slice(&[0; 8]);
    bincode::serialize_into(&mut *buf, value).map_err(std::io::Error::other)?;
    let n = (buf.len() - at - 8) as u64;
    buf[at..at + 8].copy_from_slice(&n.to_le_bytes());
    Ok(())
}

pub(super) fn write_frame(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(bytes)
}

/// Frames longer than this are no frame of ours (a file is capped far below it).
pub(super) const MAX_FRAME: u64 = 1 << 34;

/// Reads one frame into `buf` (reused from frame to frame); false at the end of the input.
pub(super) fn read_frame(r: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<bool> {
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
pub(super) fn protocol_out() -> std::io::Result<std::fs::File> {
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::process::{Child, Command, Stdio};
    use std::time::Duration;

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
