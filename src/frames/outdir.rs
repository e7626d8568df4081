//! An output directory written all at once: a run writes into a staging directory beside
//! it and renames it into place at the end, so a run killed midway leaves the previous
//! outputs whole; a lock file beside it stops a second run on the same directory.
//!
//! `reports/` → staging `.reports.staging-PID/`, lock `.reports.lock` (holding the PID). A
//! lock or staging directory left by a process that no longer runs is taken over. The one
//! file a run does not write but keeps is `README.md` (the repository's `reports/README.md`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files kept from the previous directory although no run writes them.
const KEPT: &[&str] = &["README.md"];

#[derive(Debug)]
pub(crate) enum OutDirError {
    /// Another live process holds the lock.
    Locked {
        lock: PathBuf,
        pid: String,
    },
    Io {
        path: PathBuf,
        err: std::io::Error,
    },
}

impl std::fmt::Display for OutDirError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutDirError::Locked { lock, pid } => write!(
                f,
                "another run (pid {pid}) is writing this output directory ({})\n  hint: wait for it, or remove the lock file if no gongkai run is active",
                lock.display()
            ),
            OutDirError::Io { path, err } => write!(f, "{}: {err}", path.display()),
        }
    }
}

impl std::error::Error for OutDirError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutDirError + '_ {
    move |err| OutDirError::Io {
        path: path.to_owned(),
        err,
    }
}

/// A staging directory and the lock, until [`Staging::commit`]; dropped uncommitted, both go
/// and the previous outputs stay as they were.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
    committed: bool,
}

fn sibling(out: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let file = format!("{prefix}{name}{suffix}");
    match parent {
        Some(p) => p.join(file),
        None => PathBuf::from(file),
    }
}

/// The default cache directory of an output directory: `.NAME.cache` beside it, so that
/// it survives the rename of each run's outputs into place.
pub(crate) fn cache_dir(out: &Path) -> PathBuf {
    sibling(out, ".", ".cache")
}

/// Whether process `pid` runs (Linux: `/proc/PID`; elsewhere every holder is assumed alive).
fn alive(pid: &str) -> bool {
    let proc = Path::new("/proc");
    if !proc.is_dir() {
        return true;
    }
    !pid.is_empty() && proc.join(pid.trim()).exists()
}

impl Staging {
    /// Takes the lock of `out` and creates an empty staging directory beside it.
    pub(crate) fn begin(out: &Path) -> Result<Staging, OutDirError> {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let lock = sibling(out, ".", ".lock");
        let me = std::process::id().to_string();
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(mut f) => {
                    f.write_all(me.as_bytes()).map_err(io(&lock))?;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&lock).unwrap_or_default();
                    if alive(&pid) && pid.trim() != me {
                        return Err(OutDirError::Locked {
                            lock,
                            pid: pid.trim().to_owned(),
                        });
                    }
                    // A lock left by a run that died: take it over.
                    fs::remove_file(&lock).map_err(io(&lock))?;
                }
                Err(e) => return Err(io(&lock)(e)),
            }
        }
        Staging::clean_dead(out);
        let staging = sibling(out, ".", &format!(".staging-{me}"));
        let s = Staging {
            out: out.to_owned(),
            staging,
            lock,
            committed: false,
        };
        if s.staging.exists() {
            fs::remove_dir_all(&s.staging).map_err(io(&s.staging))?;
        }
        fs::create_dir_all(&s.staging).map_err(io(&s.staging))?;
        Ok(s)
    }

    /// Removes staging and old directories that runs which died left beside `out`.
    fn clean_dead(out: &Path) {
        let Some(name) = out.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return;
        };
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let Ok(entries) = fs::read_dir(parent) else {
            return;
        };
        for e in entries.flatten() {
            let file = e.file_name().to_string_lossy().into_owned();
            for kind in [".staging-", ".old-"] {
                if let Some(pid) = file.strip_prefix(&format!(".{name}{kind}"))
                    && !alive(pid)
                {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
    }

    /// Where this run writes.
    pub(crate) fn path(&self) -> &Path {
        &self.staging
    }

    /// Puts the staging directory in place of `out` (keeping `README.md`), and releases the
    /// lock.
    pub(crate) fn commit(mut self) -> Result<(), OutDirError> {
        if self.out.is_dir() {
            for k in KEPT {
                let old = self.out.join(k);
                let new = self.staging.join(k);
                if old.is_file() && !new.exists() {
                    fs::copy(&old, &new).map_err(io(&old))?;
                }
            }
            let old = sibling(&self.out, ".", &format!(".old-{}", std::process::id()));
            fs::rename(&self.out, &old).map_err(io(&self.out))?;
            fs::rename(&self.staging, &self.out).map_err(io(&self.staging))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            if self.out.exists() {
                fs::remove_file(&self.out).map_err(io(&self.out))?;
            }
            fs::rename(&self.staging, &self.out).map_err(io(&self.staging))?;
        }
        self.committed = true;
        self.release();
        Ok(())
    }
}

impl Staging {
    /// Removes the lock if it is still this process's.
    fn release(&self) {
        let mine = fs::read_to_string(&self.lock)
            .is_ok_and(|pid| pid.trim() == std::process::id().to_string());
        if mine {
            let _ = fs::remove_file(&self.lock);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
            self.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_committed_run_replaces_the_directory_and_keeps_the_readme() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("reports");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("README.md"), "kept").unwrap();
        fs::write(out.join("stale.csv"), "old").unwrap();
        let s = Staging::begin(&out).unwrap();
        fs::write(s.path().join("cells.csv"), "new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("cells.csv")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("README.md")).unwrap(), "kept");
        assert!(!out.join("stale.csv").exists());
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no staging or lock left: {left:?}");
    }

    #[test]
    fn an_abandoned_run_leaves_the_previous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("cells.csv"), "good").unwrap();
        {
            let s = Staging::begin(&out).unwrap();
            fs::write(s.path().join("cells.csv"), "half").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("cells.csv")).unwrap(), "good");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_live_lock_stops_a_second_run_and_a_dead_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        // Another live process holds the lock (pid 1 always runs).
        fs::write(dir.path().join(".o.lock"), "1").unwrap();
        let err = Staging::begin(&out).unwrap_err();
        assert!(err.to_string().contains("pid 1"), "{err}");
        assert_eq!(fs::read_to_string(dir.path().join(".o.lock")).unwrap(), "1");
        // A pid that cannot run: its lock is taken over.
        fs::write(dir.path().join(".o.lock"), "4294967295").unwrap();
        let s = Staging::begin(&out).unwrap();
        s.commit().unwrap();
        assert!(out.is_dir());
        assert!(!dir.path().join(".o.lock").exists());
    }
}
