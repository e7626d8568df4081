//! A batch run: discover input files, read → extract → validate each in parallel (rayon),
//! and collect one [`Outcome`] per file in a deterministic order. One bad file is one error
//! row, never an abort: even a panic in a reader is caught and reported.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use sha2::{Digest, Sha256};

use crate::budget;
use crate::cache::Cache;
use crate::progress::Progress;

use crate::extract::{Clue, Report, extract_all};
use crate::manifest::{self, Manifest};
use crate::source::{self, Limits, Origin, ReadError};
use crate::validate::{Finding, Severity, across, validate};

/// Directory recursion deeper than this is not followed (and symlinked directories never
/// are, so loops cannot trap a run).
pub const MAX_DEPTH: usize = 64;

/// A parsed report and its findings.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub report: Report,
    pub findings: Vec<Finding>,
}

/// Why a file yielded no report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    #[serde(deserialize_with = "crate::cache::interned::one")]
    pub stage: crate::cache::Static,
    #[serde(deserialize_with = "crate::cache::interned::one")]
    pub kind: crate::cache::Static,
    pub message: String,
    pub hint: Option<String>,
}

/// What the batch-level rules found for one report.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BatchInfo {
    /// The report id kept for this issuer-year, if this report is a duplicate.
    pub duplicate_of: Option<String>,
    /// Share of the narrative repeated from the issuer's previous report, and its year.
    pub reuse_previous: Option<(f64, i32)>,
    /// Highest share repeated from another issuer's report of the same year, and its id.
    pub reuse_peer: Option<(f64, String)>,
}

/// The result for one input file.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub id: String,
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub result: Result<Parsed, Failure>,
    /// Set by the rules across reports, afresh for every batch (so never cached).
    #[serde(skip)]
    pub batch: BatchInfo,
}

impl Outcome {
    /// The error row of a file whose bytes were read (`sha256` their hash).
    pub fn failed(path: &Path, sha256: &str, bytes: u64, failure: Failure) -> Outcome {
        Outcome {
            id: sha256[..12].to_owned(),
            path: path.to_owned(),
            sha256: sha256.to_owned(),
            bytes,
            result: Err(failure),
            batch: BatchInfo::default(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        match &self.result {
            Ok(p) => p.findings.iter().filter(|f| f.severity == severity).count(),
            Err(_) => 0,
        }
    }
}

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
            Err(e) => missing.push(failure(p, "discover", ReadError::Io(e))),
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
        errs.push(failure(dir, "discover", ReadError::Io(e)));
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errs.push(failure(dir, "discover", ReadError::Io(e)));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                errs.push(failure(dir, "discover", ReadError::Io(e)));
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
                errs.push(failure(&path, "discover", ReadError::Io(e)));
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

fn hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn failure(path: &Path, stage: &'static str, err: ReadError) -> Outcome {
    let sha = hex(path.to_string_lossy().as_bytes());
    Outcome {
        id: format!("x{}", &sha[..11]),
        path: path.to_owned(),
        sha256: String::new(),
        bytes: 0,
        result: Err(Failure {
            stage,
            kind: err.kind(),
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
        .unwrap_or_else(|| failure(path, "read", ReadError::NoText))
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
                stage: "read",
                kind: e.kind(),
                message: e.to_string(),
                hint: e.hint().map(str::to_owned),
            }),
        )],
        Err(_) => vec![outcome(
            id,
            Err(Failure {
                stage: "extract",
                kind: "panic",
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
        .unwrap_or_else(|| failure(path, "read", ReadError::NoText))
}

fn process_with(path: &Path, row: Option<&manifest::Row>) -> Vec<Outcome> {
    process_file(path, row, &Options::default())
}

/// Reads one file under the options' caps, answering from the cache when it can.
fn process_file(path: &Path, row: Option<&manifest::Row>, opts: &Options<'_>) -> Vec<Outcome> {
    let limits = &opts.limits;
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > limits.file_bytes => {
            return vec![failure(
                path,
                "read",
                ReadError::TooLarge {
                    bytes: m.len(),
                    max: limits.file_bytes,
                },
            )];
        }
        Ok(_) => match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => return vec![failure(path, "read", ReadError::Io(e))],
        },
        Err(e) => return vec![failure(path, "read", ReadError::Io(e))],
    };
    process_cached(path, &bytes, row, opts)
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
    // A time-out depends on how busy the machine was, not on the file alone, and a worker
    // may die of the machine's state: try again next run rather than remember it.
    let transient = fresh.iter().any(|o| {
        matches!(&o.result, Err(f) if matches!(f.kind, "timed_out" | "panic" | "crashed" | "out_of_memory"))
    });
    if !transient {
        cache.put(&key, &fresh);
    }
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
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match out.first().map(|o| &o.result) {
        Some(Err(f)) => tracing::debug!(path = %path.display(), ms, kind = f.kind, "unreadable"),
        _ => tracing::debug!(path = %path.display(), ms, reports = out.len(), "parsed"),
    }
    if ms > 1000.0 {
        tracing::warn!(path = %path.display(), ms, "slow file");
    }
    out
}

/// How a batch is read: which files, under which caps, with which cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    pub manifest: Option<&'a Manifest>,
    pub shard: Option<Shard>,
    pub limits: Limits,
    pub cache: Option<&'a Cache>,
    /// Files per chunk of a streaming batch; 0 means [`CHUNK`].
    pub chunk: usize,
    /// Worker processes that parse each file ([`crate::worker`]); `None` parses here.
    pub workers: Option<&'a crate::worker::Pool>,
}

/// A finished batch: one outcome per input file, sorted by path, with the batch-level rules
/// applied; and the manifest rows that matched no file.
#[derive(Debug, Default)]
pub struct Batch {
    pub outcomes: Vec<Outcome>,
    pub unmatched: Vec<manifest::Row>,
}

/// One of `n` shares of the input list (`--shard K/N`, K from 1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected K/N such as 1/4"))?;
        let (k, n): (u32, u32) = (
            k.trim()
                .parse()
                .map_err(|_| format!("{s:?}: K is not a number"))?,
            n.trim()
                .parse()
                .map_err(|_| format!("{s:?}: N is not a number"))?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(format!("{s:?}: need 1 <= K <= N"));
        }
        Ok(Shard { k, n })
    }

    /// Whether a file belongs to this share. Files are split by their directory's name, so
    /// the reports of one folder (an issuer's years, as crawlers store them) stay together
    /// and the rules across years still see them; the split depends on names only, so every
    /// machine agrees on it.
    pub fn takes(&self, file: &Path) -> bool {
        let key = file
            .parent()
            .and_then(|p| p.file_name())
            .unwrap_or_default()
            .to_string_lossy();
        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        h % u64::from(self.n) == u64::from(self.k - 1)
    }
}

/// Processes every file under `paths` in parallel; outcomes come back sorted by path.
pub fn ingest(paths: &[PathBuf], manifest: Option<&Manifest>) -> Batch {
    ingest_shard(paths, manifest, None)
}

/// [`ingest`] of one share of the files.
pub fn ingest_shard(paths: &[PathBuf], manifest: Option<&Manifest>, shard: Option<Shard>) -> Batch {
    let opts = Options {
        manifest,
        shard,
        ..Options::default()
    };
    ingest_with(paths, &opts, &|_| Progress::hidden())
}

/// [`ingest_shard`], with options and progress over the files found (`progress` gets their
/// number).
pub fn ingest_with(
    paths: &[PathBuf],
    opts: &Options<'_>,
    progress: &dyn Fn(usize) -> Progress,
) -> Batch {
    let (mut files, mut out) = discover(paths);
    if let Some(s) = opts.shard {
        files.retain(|f| s.takes(f));
    }
    let manifest = opts.manifest;
    let bar = progress(files.len());
    let mut done: Vec<Outcome> = files
        .par_iter()
        .flat_map_iter(|p| {
            let o = process_file(p, manifest.and_then(|m| m.row_for(p)), opts);
            bar.tick();
            o
        })
        .collect();
    bar.finish();
    out.append(&mut done);
    let unmatched = manifest
        .map(|m| m.unmatched(&files).into_iter().cloned().collect())
        .unwrap_or_default();
    finish(out, unmatched)
}

/// Files per chunk of a streaming batch: enough to keep both cores busy, few enough that a
/// chunk's whole reports stay small.
pub const CHUNK: usize = 2048;

/// [`ingest_with`] as a stream: files go in chunks of [`CHUNK`] (in path order); `sink` sees
/// each chunk's outcomes whole (to write their cells), and then only their slim form is kept
/// ([`Report::slim`]) for the rules across reports and the frames per report. Outcomes come
/// back slim, so a batch of 100,000 reports fits in a little memory. The sink runs on a
/// thread of its own, writing one chunk while the workers read the next.
pub fn ingest_chunked(
    paths: &[PathBuf],
    opts: &Options<'_>,
    progress: &dyn Fn(usize) -> Progress,
    sink: &mut (dyn FnMut(&[Outcome]) -> anyhow::Result<()> + Send),
) -> anyhow::Result<Batch> {
    let (mut files, mut out) = discover(paths);
    if let Some(s) = opts.shard {
        files.retain(|f| s.takes(f));
    }
    let manifest = opts.manifest;
    let bar = progress(files.len());
    let size = if opts.chunk == 0 { CHUNK } else { opts.chunk };
    let kept = std::thread::scope(|scope| -> anyhow::Result<Vec<Outcome>> {
        // One chunk in flight: memory stays at about two chunks of whole reports.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
        let writer = scope.spawn(move || -> anyhow::Result<Vec<Outcome>> {
            let mut kept = Vec::new();
            for mut done in rx {
                sink(&done)?;
                tracing::debug!(outcomes = done.len(), "chunk written");
                for o in &mut done {
                    if let Ok(p) = &mut o.result {
                        p.report.slim(across::reads);
                        // Copied on this thread, so what is kept lies together and the
                        // workers' memory is whole again for the next chunk: kept pieces
                        // scattered through it pinned about 30 KB per report (10,000
                        // reports peaked at 610 MB before, 371 MB after).
                        p.report = p.report.clone();
                        p.findings = p.findings.clone();
                    }
                }
                kept.append(&mut done);
            }
            Ok(kept)
        });
        for chunk in files.chunks(size) {
            let done: Vec<Outcome> = chunk
                .par_iter()
                .flat_map_iter(|p| {
                    let o = process_file(p, manifest.and_then(|m| m.row_for(p)), opts);
                    bar.tick();
                    o
                })
                .collect();
            tracing::debug!(files = chunk.len(), "chunk read");
            if tx.send(done).is_err() {
                break; // the writer stopped on an error, which join reports
            }
        }
        drop(tx);
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the frame writer panicked"))?
    })?;
    out.extend(kept);
    bar.finish();
    let unmatched = manifest
        .map(|m| m.unmatched(&files).into_iter().cloned().collect())
        .unwrap_or_default();
    let batch = finish(out, unmatched);
    tracing::info!("rules across reports applied");
    Ok(batch)
}

/// Sorts outcomes by path and applies the rules across reports (duplicates, cross-year,
/// text reuse).
pub fn finish(mut outcomes: Vec<Outcome>, unmatched: Vec<manifest::Row>) -> Batch {
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    let parsed: Vec<usize> = (0..outcomes.len())
        .filter(|&i| outcomes[i].result.is_ok())
        .collect();
    let found = {
        let reports: Vec<&Report> = parsed
            .iter()
            .filter_map(|&i| outcomes[i].result.as_ref().ok().map(|p| &p.report))
            .collect();
        let names: Vec<String> = parsed.iter().map(|&i| outcomes[i].id.clone()).collect();
        across::check(&reports, &names)
    };
    for (k, finding) in found.findings {
        if let Ok(p) = &mut outcomes[parsed[k]].result {
            p.findings.push(finding);
        }
    }
    for (k, &i) in parsed.iter().enumerate() {
        let batch = BatchInfo {
            duplicate_of: found
                .duplicate_of
                .get(&k)
                .map(|&j| outcomes[parsed[j]].id.clone()),
            reuse_previous: found.reuse_previous.get(&k).copied(),
            reuse_peer: found
                .reuse_peer
                .get(&k)
                .map(|&(s, j)| (s, outcomes[parsed[j]].id.clone())),
        };
        outcomes[i].batch = batch;
    }
    Batch {
        outcomes,
        unmatched,
    }
}

/// Counts for the one-line summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub seen: usize,
    pub parsed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary {
            seen: outcomes.len(),
            ..Summary::default()
        };
        for o in outcomes {
            match o.result {
                Ok(_) => s.parsed += 1,
                Err(_) => s.failed += 1,
            }
            s.errors += o.count(Severity::Error);
            s.warnings += o.count(Severity::Warning);
            s.infos += o.count(Severity::Info);
        }
        s
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} files seen, {} parsed, {} failed; findings: {} errors, {} warnings, {} info",
            self.seen, self.parsed, self.failed, self.errors, self.warnings, self.infos
        )
    }
}
