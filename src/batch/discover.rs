//! Discovery: the input files under the paths given, every unreadable entry an error row.

use std::path::{Path, PathBuf};

use crate::report::{Outcome, Stage};

use crate::source::ReadError;

use super::process::failure;

/// Directory recursion deeper than this is not followed (and symlinked directories never
/// are, so loops cannot trap a run).
pub const MAX_DEPTH: usize = 64;

/// Input files under `paths`, sorted. A named file is always taken; inside directories,
/// hidden files and README/LICENSE files are skipped (they document a corpus, they are not
/// reports). Paths that do not exist come back as failures.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Outcome>) {
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, 0, &mut files, &mut missing),
            Ok(_) => files.push(p.clone()),
            Err(e) => missing.push(failure(p, Stage::Discover, ReadError::Io(e))),
        }
    }
    files.sort();
    files.dedup();
    (files, missing)
}

/// Files under `dir`; a directory or entry that cannot be read is an error row in `errs`,
/// never skipped in silence.
fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, errs: &mut Vec<Outcome>) {
    if depth > MAX_DEPTH {
        let e = std::io::Error::other(format!("directories nested deeper than {MAX_DEPTH}"));
        errs.push(failure(dir, Stage::Discover, ReadError::Io(e)));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errs.push(failure(dir, Stage::Discover, ReadError::Io(e)));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errs.push(failure(dir, Stage::Discover, ReadError::Io(e)));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_lowercase();
        if name.starts_with('.') || name.starts_with("readme") || name.starts_with("license") {
            continue;
        }
        let ft = match entry.file_type() {
            Ok(ft) => ft,
            Err(e) => {
                errs.push(failure(&path, Stage::Discover, ReadError::Io(e)));
                continue;
            }
        };
        if ft.is_dir() {
            walk(&path, depth + 1, out, errs);
        } else if ft.is_file() || (ft.is_symlink() && !path.is_dir()) {
            // A symlink to a file is read; a broken or looping one too, so that it becomes
            // an error row saying why. Symlinked directories are not followed (no cycles).
            out.push(path);
        }
    }
}
