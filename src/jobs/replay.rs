//! A run over unchanged inputs: nothing parsed, nothing rewritten. A run that used the cache
//! leaves beside its outputs a record (`.gongkai-run.json`) of what decided them (the batch's
//! fingerprint: every input's content hash, path, manifest row and caps, the binary, the
//! model, the options) with its summary and every output's size and modification time. The
//! next run with the same fingerprint, finding every output as it was written, prints the
//! recorded summary and exits with the recorded code: the outputs are already the bytes a full
//! run would write. Anything else (a changed or new file, another model or binary, an output
//! touched or gone, a revision in the last run, a time-out, `--no-cache`, `--baseline`) runs
//! in full.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::report::{Outcome, Summary};

/// The record's file name inside the output directory.
pub(crate) const RECORD: &str = ".gongkai-run.json";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub(crate) struct Record {
    pub fingerprint: String,
    /// seen, parsed, failed, errors, warnings, infos.
    pub summary: [usize; 6],
    /// Each unreadable input: path, message, hint.
    pub failures: Vec<(String, String, Option<String>)>,
    pub rank_line: String,
    pub charts: usize,
    /// Every output (relative path), its size and modification time in ns.
    pub outputs: Vec<(String, u64, u128)>,
}

pub(crate) fn summary_of(r: &Record) -> Summary {
    let [seen, parsed, failed, errors, warnings, infos] = r.summary;
    Summary {
        seen,
        parsed,
        failed,
        errors,
        warnings,
        infos,
    }
}

fn stamp(p: &Path) -> Option<(u64, u128)> {
    let m = fs::metadata(p).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((m.len(), t.as_nanos()))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, u64, u128)>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(root, &p, out)?;
        } else if let Some((len, t)) = stamp(&p) {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            if rel != RECORD {
                out.push((rel, len, t));
            }
        }
    }
    Ok(())
}

/// Each unreadable input as the run prints it: path, message, hint.
pub(crate) fn failure_lines(outcomes: &[Outcome]) -> Vec<(String, String, Option<String>)> {
    outcomes
        .iter()
        .filter_map(|o| {
            o.result.as_ref().err().map(|f| {
                (
                    o.path.to_string_lossy().into_owned(),
                    f.message.clone(),
                    f.hint.clone(),
                )
            })
        })
        .collect()
}

/// Writes the record of a finished run into `dir` (the staging directory: renaming it into
/// place keeps every file's size and time).
pub(crate) fn write(
    dir: &Path,
    fingerprint: &str,
    outcomes: &[Outcome],
    rank_line: &str,
    charts: usize,
) -> anyhow::Result<()> {
    // A time-out depends on the machine's load: such a run is never replayed.
    if outcomes
        .iter()
        .any(|o| matches!(&o.result, Err(f) if f.kind.is_transient()))
    {
        return Ok(());
    }
    let s = Summary::of(outcomes);
    let failures = failure_lines(outcomes);
    let mut outputs = Vec::new();
    walk(dir, dir, &mut outputs)?;
    let r = Record {
        fingerprint: fingerprint.to_owned(),
        summary: [s.seen, s.parsed, s.failed, s.errors, s.warnings, s.infos],
        failures,
        rank_line: rank_line.to_owned(),
        charts,
        outputs,
    };
    crate::frames::write_text(&dir.join(RECORD), &serde_json::to_string(&r)?)?;
    Ok(())
}

/// The record in `out` when it was written for `fingerprint` and every output it lists is
/// still there as written (and nothing else was added).
pub(crate) fn replay(out: &Path, fingerprint: &str) -> Option<Record> {
    let text = fs::read_to_string(out.join(RECORD)).ok()?;
    let r: Record = serde_json::from_str(&text).ok()?;
    if r.fingerprint != fingerprint {
        return None;
    }
    let mut now = Vec::new();
    walk(out, out, &mut now).ok()?;
    // README.md is the user's (kept across runs), not an output.
    now.retain(|(p, _, _)| p != "README.md");
    let mut listed: Vec<&(String, u64, u128)> = r
        .outputs
        .iter()
        .filter(|(p, _, _)| p != "README.md")
        .collect();
    listed.sort();
    let mut now_ref: Vec<&(String, u64, u128)> = now.iter().collect();
    now_ref.sort();
    (listed == now_ref).then_some(r)
}
