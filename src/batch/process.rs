//! One file: read → extract → validate under the caps, answered from the cache when it can.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::budget;
use crate::extract::extract_all;
use crate::report::{BatchInfo, Clue, Failure, Kind, Outcome, Parsed, Report, Stage};
use crate::source::{self, Limits, Origin, ReadError};
use crate::validate::validate;

use super::Options;
use super::cache::Cache;
use super::manifest;

/// The SHA-256 of `bytes` in lower-case hexadecimal.
pub(super) fn hex(bytes: &[u8]) -> String {
    crate::hex::lower(&Sha256::digest(bytes))
}

pub(super) fn failure(path: &Path, stage: Stage, err: ReadError) -> Outcome {
    let sha = hex(path.to_string_lossy().as_bytes());
    Outcome {
        id: format!("x{}", &sha[..11]),
        path: path.to_owned(),
        sha256: String::new(),
        bytes: 0,
        result: Err(Failure {
            stage,
            kind: Kind::of(&err),
            message: err.to_string(),
            hint: err.hint().map(str::to_owned),
        }),
        batch: BatchInfo::default(),
    }
}

/// Applies a manifest row: its fields override what the report says about itself.
fn apply(report: &mut Report, row: &manifest::Row) {
    if let Some(i) = &row.issuer {
        report.meta.set_issuer(i, Clue::Manifest);
    }
    if let Some(c) = &row.region_code {
        report.meta.set_region(c, Clue::Manifest);
    }
    if let Some(y) = row.year {
        report.meta.set_year(y, Clue::Manifest);
    }
}

/// Reads, extracts and validates one file's bytes; a manifest row overrides metadata. A
/// summary sheet's first row only: use [`process_all`] for every report a file holds.
pub fn process_bytes(path: &Path, bytes: &[u8], row: Option<&manifest::Row>) -> Outcome {
    let mut all = process_all(path, bytes, row);
    all.truncate(1);
    all.pop()
        .unwrap_or_else(|| failure(path, Stage::Read, ReadError::NoText))
}

/// Every report one file's bytes hold: one outcome for a report (or an unreadable file), one
/// per row for a summary sheet (ids `SHA12-rN`, N the sheet row). Under the default caps.
pub fn process_all(path: &Path, bytes: &[u8], row: Option<&manifest::Row>) -> Vec<Outcome> {
    logged(path, || {
        process_under(path, bytes, &hex(bytes), row, &Limits::default())
    })
}

/// [`process_all`] under `limits`, with the content hash already taken.
fn process_under(
    path: &Path,
    bytes: &[u8],
    sha256: &str,
    row: Option<&manifest::Row>,
    limits: &Limits,
) -> Vec<Outcome> {
    let sha256 = sha256.to_owned();
    let id = sha256[..12].to_owned();
    let origin = Origin::with_limits(path, *limits);
    let (work, late) = budget::run(limits.time(), || {
        std::panic::catch_unwind(|| {
            source::read(bytes, &origin).map(|doc| {
                extract_all(&doc)
                    .into_iter()
                    .map(|(sheet_row, mut report)| {
                        if let Some(row) = row {
                            apply(&mut report, row);
                        }
                        let findings = validate(&report);
                        (sheet_row, Parsed { report, findings })
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // A search that ran out of time gave up part way: its result is incomplete, so the
    // file is an error row rather than a report with holes. (A reader's own refusal found
    // late is still the better reason.)
    let work = if late && matches!(work, Ok(Ok(_))) {
        Ok(Err(ReadError::TimedOut {
            millis: limits.millis,
        }))
    } else {
        work
    };
    let outcome = |id: String, result| Outcome {
        id,
        path: path.to_owned(),
        sha256: sha256.clone(),
        bytes: bytes.len() as u64,
        result,
        batch: BatchInfo::default(),
    };
    match work {
        Ok(Ok(parsed)) => parsed
            .into_iter()
            .map(|(sheet_row, p)| {
                let id = match sheet_row {
                    Some(r) => format!("{id}-r{r}"),
                    None => id.clone(),
                };
                outcome(id, Ok(p))
            })
            .collect(),
        Ok(Err(e)) => vec![outcome(
            id,
            Err(Failure {
                stage: Stage::Read,
                kind: Kind::of(&e),
                message: e.to_string(),
                hint: e.hint().map(str::to_owned),
            }),
        )],
        Err(_) => vec![outcome(
            id,
            Err(Failure {
                stage: Stage::Extract,
                kind: Kind::Panic,
                message: "internal error while parsing this file".into(),
                hint: Some("please report this file; the rest of the batch is unaffected".into()),
            }),
        )],
    }
}

/// Reads one file from disk and processes it.
pub fn process(path: &Path) -> Outcome {
    let mut all = process_with(path, None);
    all.truncate(1);
    all.pop()
        .unwrap_or_else(|| failure(path, Stage::Read, ReadError::NoText))
}

/// Every report in one file on disk, under the default caps (the size checked before the
/// file is read).
pub fn process_path(path: &Path) -> Vec<Outcome> {
    process_with(path, None)
}

fn process_with(path: &Path, row: Option<&manifest::Row>) -> Vec<Outcome> {
    process_file(path, row, &Options::default())
}

/// Reads one file under the options' caps, answering from the cache when it can.
pub(super) fn process_file(
    path: &Path,
    row: Option<&manifest::Row>,
    opts: &Options<'_>,
) -> Vec<Outcome> {
    match read_capped(path, &opts.limits) {
        Ok(bytes) => process_cached(path, &bytes, row, opts),
        Err(e) => vec![failure(path, Stage::Read, e)],
    }
}

/// A file's bytes, its size checked against the cap before it is read. The file is opened
/// once and its size asked of the open file: asking by path first walked the path twice
/// (`stat`, then `open`) for every file of a batch. A file that grows past the cap while it
/// is read is refused too.
fn read_capped(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    let too_large = |bytes: u64| ReadError::TooLarge {
        bytes,
        max: limits.file_bytes,
    };
    if len > limits.file_bytes {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    (file.take(limits.file_bytes.saturating_add(1)))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// [`process_file`] of several files, in order, the ones the cache does not answer parsed by
/// one worker as one batch ([`super::worker::Pool::process_batch`]) when there are workers.
/// Outcomes, files and cache entries are those [`process_file`] gives file by file.
pub(super) fn process_files(
    paths: &[std::path::PathBuf],
    manifest: Option<&manifest::Manifest>,
    opts: &Options<'_>,
) -> Vec<Outcome> {
    let Some(pool) = opts.workers else {
        return paths
            .iter()
            .flat_map(|p| process_file(p, manifest.and_then(|m| m.row_for(p)), opts))
            .collect();
    };
    let limits = &opts.limits;
    /// A file answered already (unreadable, or from the cache), or its bytes to parse.
    enum Slot {
        Done(Vec<Outcome>),
        Parse {
            bytes: Vec<u8>,
            sha256: String,
            key: Option<String>,
        },
    }
    let slots: Vec<Slot> = paths
        .iter()
        .map(|path| {
            let bytes = match read_capped(path, limits) {
                Ok(b) => b,
                Err(e) => return Slot::Done(vec![failure(path, Stage::Read, e)]),
            };
            let sha256 = hex(&bytes);
            let row = manifest.and_then(|m| m.row_for(path));
            let key = opts.cache.map(|_| Cache::key(&sha256, path, row, limits));
            if let (Some(cache), Some(k)) = (opts.cache, &key)
                && let Some(hit) = cache.get(k)
            {
                return Slot::Done(hit);
            }
            Slot::Parse { bytes, sha256, key }
        })
        .collect();
    let jobs: Vec<super::worker::Job<'_>> = paths
        .iter()
        .zip(&slots)
        .filter_map(|(path, slot)| match slot {
            Slot::Done(_) => None,
            Slot::Parse { bytes, sha256, .. } => Some(super::worker::Job {
                path,
                bytes,
                sha256,
                row: manifest.and_then(|m| m.row_for(path)),
            }),
        })
        .collect();
    let mut fresh = pool.process_batch(&jobs, limits).into_iter();
    let mut out = Vec::new();
    for slot in slots {
        match slot {
            Slot::Done(o) => out.extend(o),
            Slot::Parse { key, .. } => {
                let got = fresh.next().unwrap_or_default();
                if let (Some(cache), Some(key)) = (opts.cache, key) {
                    store(cache, &key, &got);
                }
                out.extend(got);
            }
        }
    }
    out
}

/// Keeps a fresh parse in the cache, unless it failed for a reason of the moment.
fn store(cache: &Cache, key: &str, fresh: &[Outcome]) {
    // A time-out depends on how busy the machine was, not on the file alone, and a worker
    // may die of the machine's state: try again next run rather than remember it.
    let transient = fresh
        .iter()
        .any(|o| matches!(&o.result, Err(f) if f.kind.is_transient()));
    if !transient {
        cache.put(key, fresh);
    }
}

/// Every report in one file's bytes, under the options' caps, answered from the cache when
/// it holds this content at this path (and stored there when not).
pub fn process_cached(
    path: &Path,
    bytes: &[u8],
    row: Option<&manifest::Row>,
    opts: &Options<'_>,
) -> Vec<Outcome> {
    let limits = &opts.limits;
    let sha256 = hex(bytes);
    let parse = || match opts.workers {
        Some(pool) => logged(path, || pool.process(path, bytes, &sha256, row, limits)),
        None => process_fresh(path, bytes, &sha256, row, limits),
    };
    let Some(cache) = opts.cache else {
        return parse();
    };
    let key = Cache::key(&sha256, path, row, limits);
    if let Some(hit) = cache.get(&key) {
        return hit;
    }
    let fresh = parse();
    store(cache, &key, &fresh);
    fresh
}

/// One file's outcomes parsed in this process, logged (what a worker runs for each file).
pub fn process_fresh(
    path: &Path,
    bytes: &[u8],
    sha256: &str,
    row: Option<&manifest::Row>,
    limits: &Limits,
) -> Vec<Outcome> {
    logged(path, || process_under(path, bytes, sha256, row, limits))
}

/// Runs `parse` for the file at `path` and logs how it went (debug) and whether it was slow
/// (warn).
fn logged(path: &Path, parse: impl FnOnce() -> Vec<Outcome>) -> Vec<Outcome> {
    let started = std::time::Instant::now();
    let out = parse();
    log_parsed(path, started.elapsed().as_secs_f64() * 1000.0, &out);
    out
}

/// Logs how one file went (debug) and whether it was slow (warn): `ms` it took.
pub(super) fn log_parsed(path: &Path, ms: f64, out: &[Outcome]) {
    match out.first().map(|o| &o.result) {
        Some(Err(f)) => {
            tracing::debug!(path = %path.display(), ms, kind = f.kind.key(), "unreadable")
        }
        _ => tracing::debug!(path = %path.display(), ms, reports = out.len(), "parsed"),
    }
    if ms > 1000.0 {
        tracing::warn!(path = %path.display(), ms, "slow file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_is_its_hexadecimal() {
        // The known digest of "abc".
        assert_eq!(
            hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    /// The cap holds at its byte: a file of exactly the cap is read whole, one byte more is
    /// refused with its size.
    #[test]
    fn files_are_read_up_to_the_cap_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.txt");
        std::fs::write(&path, vec![b'7'; 100]).unwrap();
        let limits = |file_bytes| Limits {
            file_bytes,
            ..Limits::default()
        };
        assert_eq!(read_capped(&path, &limits(100)).unwrap().len(), 100);
        match read_capped(&path, &limits(99)) {
            Err(ReadError::TooLarge { bytes, max }) => assert_eq!((bytes, max), (100, 99)),
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        assert!(matches!(
            read_capped(&dir.path().join("none.txt"), &limits(100)),
            Err(ReadError::Io(_))
        ));
    }
}
