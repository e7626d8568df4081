//! Progress of a long stage on stderr: a bar redrawn in place when stderr is a terminal,
//! plain lines every few seconds otherwise (logs of nightly jobs), nothing with `--quiet`.
//! Ticked from many threads; printing is skipped, never waited for, when another thread
//! holds the pen.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Mode {
    Hidden,
    Bar,
    Lines,
}

pub struct Progress {
    label: &'static str,
    total: usize,
    done: AtomicUsize,
    mode: Mode,
    started: Instant,
    last: Mutex<Instant>,
}

/// Redraw interval of the bar, and of plain lines.
const BAR_EVERY: Duration = Duration::from_millis(120);
const LINE_EVERY: Duration = Duration::from_secs(5);
const BAR_WIDTH: usize = 30;

impl Progress {
    /// Progress over `total` items, shown unless `quiet`.
    pub fn new(label: &'static str, total: usize, quiet: bool) -> Progress {
        let mode = if quiet {
            Mode::Hidden
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        };
        Progress::with_mode(label, total, mode)
    }

    /// Progress that prints nothing (library callers, tests).
    pub fn hidden() -> Progress {
        Progress::with_mode("", 0, Mode::Hidden)
    }

    fn with_mode(label: &'static str, total: usize, mode: Mode) -> Progress {
        let now = Instant::now();
        Progress {
            label,
            total,
            done: AtomicUsize::new(0),
            mode,
            started: now,
            last: Mutex::new(now),
        }
    }

    /// One more item done.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.mode == Mode::Hidden {
            return;
        }
        let every = if self.mode == Mode::Bar {
            BAR_EVERY
        } else {
            LINE_EVERY
        };
        let Ok(mut last) = self.last.try_lock() else {
            return;
        };
        if last.elapsed() >= every {
            *last = Instant::now();
            self.print(done);
        }
    }

    /// The final state; ends the bar's line.
    pub fn finish(&self) {
        if self.mode != Mode::Hidden {
            self.print(self.done.load(Ordering::Relaxed));
            if self.mode == Mode::Bar {
                let _ = writeln!(std::io::stderr());
            }
        }
    }

    fn print(&self, done: usize) {
        let line = self.line(done);
        let mut err = std::io::stderr().lock();
        // A closed stderr is no reason to stop a batch.
        let _ = match self.mode {
            Mode::Bar => write!(err, "\r{line}\x1b[K"),
            _ => writeln!(err, "{line}"),
        };
        let _ = err.flush();
    }

    fn line(&self, done: usize) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        let rate = done as f64 / secs;
        let share = if self.total == 0 {
            1.0
        } else {
            done as f64 / self.total as f64
        };
        let counts = format!(
            "{}: {done}/{} ({:.0}%), {rate:.0}/s",
            self.label,
            self.total,
            share * 100.0
        );
        if self.mode == Mode::Bar {
            let fill = ((share * BAR_WIDTH as f64) as usize).min(BAR_WIDTH);
            format!(
                "[{}{}] {counts}",
                "#".repeat(fill),
                " ".repeat(BAR_WIDTH - fill)
            )
        } else {
            counts
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_say_count_share_and_rate() {
        let p = Progress::with_mode("ingest", 200, Mode::Lines);
        let l = p.line(50);
        assert!(l.starts_with("ingest: 50/200 (25%), "), "{l}");
        assert!(l.ends_with("/s"), "{l}");
        let b = Progress::with_mode("ingest", 200, Mode::Bar).line(100);
        assert!(
            b.starts_with(&format!("[{}{}]", "#".repeat(15), " ".repeat(15))),
            "{b}"
        );
    }

    #[test]
    fn hidden_progress_counts_silently() {
        let p = Progress::hidden();
        p.tick();
        p.finish();
        assert_eq!(p.done.load(Ordering::Relaxed), 1);
    }
}
