//! A time budget for one file, checked cooperatively.
//!
//! A rayon worker cannot be killed, so the searches that can take long on hostile input (the
//! glued-run split and the joint table search) ask [`expired`] as they go and give up, as
//! they do at their node limits; the pipeline then turns the whole file into a `timed_out`
//! error row. Readers that are not ours to interrupt (the PDF parser) run on a watchdog
//! thread instead (see [`watch`]) — except in a worker process, whose parent kills it past
//! the limit, so no abandoned thread is left running there.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Set in a worker process: its parent enforces the time limit by killing it.
static SUPERVISED: AtomicBool = AtomicBool::new(false);

/// Marks this process as a worker whose parent kills it past the time limit.
pub(crate) fn supervised() {
    SUPERVISED.store(true, Ordering::Relaxed);
}

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `f` with a deadline `limit` from now on this thread; returns its result and whether
/// the deadline passed while it ran.
pub(crate) fn run<T>(limit: Option<Duration>, f: impl FnOnce() -> T) -> (T, bool) {
    let deadline = limit.map(|l| Instant::now() + l);
    let before = DEADLINE.replace(deadline);
    let out = f();
    DEADLINE.set(before);
    let late = deadline.is_some_and(|d| Instant::now() > d);
    (out, late)
}

/// Whether this thread's deadline has passed (never, when it has none).
pub(crate) fn expired() -> bool {
    DEADLINE.get().is_some_and(|d| Instant::now() > d)
}

/// The time left before this thread's deadline, if it has one.
pub(crate) fn left() -> Option<Duration> {
    DEADLINE
        .get()
        .map(|d| d.saturating_duration_since(Instant::now()))
}

/// Runs `f` on a thread of its own and waits for it no longer than this thread's deadline
/// allows. `None` when it ran out of time: the thread is left to finish on its own, its
/// result dropped. Without a deadline, or in a supervised worker, `f` runs here.
pub(crate) fn watch<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let Some(left) = left() else {
        return Some(f());
    };
    if SUPERVISED.load(Ordering::Relaxed) {
        return Some(f());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("gongkai-watched".into())
        .spawn(move || {
            let _ = tx.send(f());
        });
    match spawned {
        Ok(_) => rx.recv_timeout(left).ok(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_holds_only_inside_run() {
        assert!(!expired());
        let (_, late) = run(Some(Duration::ZERO), || {
            std::thread::sleep(Duration::from_millis(2));
            assert!(expired());
        });
        assert!(late);
        assert!(!expired());
        let (v, late) = run(None, || 7);
        assert_eq!((v, late), (7, false));
    }

    #[test]
    fn a_watched_job_past_the_deadline_is_given_up() {
        let (got, _) = run(Some(Duration::from_millis(20)), || {
            watch(|| std::thread::sleep(Duration::from_secs(2)))
        });
        assert!(got.is_none());
        let (got, _) = run(Some(Duration::from_secs(5)), || watch(|| 3));
        assert_eq!(got, Some(3));
    }
}
