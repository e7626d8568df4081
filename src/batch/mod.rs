//! A batch run: discover input files, read → extract → validate each in parallel (rayon),
//! and collect one [`Outcome`] per file in a deterministic order. One bad file is one error
//! row, never an abort: even a panic in a reader is caught and reported (in process, or in a
//! supervised worker process).

pub mod cache;
mod discover;
pub mod fingerprint;
pub mod manifest;
mod process;
pub mod progress;
pub mod remote;
pub mod worker;

pub use discover::{MAX_DEPTH, discover};
pub use process::{
    process, process_all, process_bytes, process_cached, process_fresh, process_path,
};

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::report::{BatchInfo, Outcome, Report};
use crate::source::Limits;
use crate::validate::across;

use self::cache::Cache;
use self::manifest::Manifest;
use self::process::{process_file, process_files};
use self::progress::Progress;

/// How a batch is read: which files, under which caps, with which cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    pub manifest: Option<&'a Manifest>,
    pub shard: Option<Shard>,
    pub limits: Limits,
    pub cache: Option<&'a Cache>,
    /// Files per chunk of a streaming batch; 0 means [`CHUNK`].
    pub chunk: usize,
    /// Worker processes that parse each file ([`worker`]); `None` parses here.
    pub workers: Option<&'a worker::Pool>,
    /// Keep whole reports after a streaming batch wrote their cells (the run job renders
    /// them); by default only their slim form is kept.
    pub whole: bool,
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

/// Files per task within a chunk: sent to a worker together ([`worker::Pool::process_batch`]),
/// and few enough that a chunk's tasks still share both cores evenly.
const GROUP: usize = 8;

/// [`ingest_with`] as a stream: files go in chunks of [`CHUNK`] (in path order); `sink` sees
/// each chunk's outcomes whole (to write their cells), and then, unless `opts.whole`, only
/// their slim form is kept ([`Report::slim`]) for the rules across reports and the frames
/// per report. Outcomes come back slim, so a batch of 100,000 reports fits in a little
/// memory. The sink runs on a thread of its own, writing one chunk while the workers read
/// the next.
pub fn ingest_chunked(
    paths: &[PathBuf],
    opts: &Options<'_>,
    progress: &dyn Fn(usize) -> Progress,
    sink: &mut (dyn FnMut(&[Outcome]) -> anyhow::Result<()> + Send),
) -> anyhow::Result<Batch> {
    let (mut files, out) = discover(paths);
    if let Some(s) = opts.shard {
        files.retain(|f| s.takes(f));
    }
    let manifest = opts.manifest;
    let process = |ps: &[PathBuf]| process_files(ps, manifest, opts);
    let mut batch = stream(&files, out, process, opts, progress, sink)?;
    batch.unmatched = manifest
        .map(|m| m.unmatched(&files).into_iter().cloned().collect())
        .unwrap_or_default();
    Ok(batch)
}

/// Embedded inputs (`(path, bytes)`, such as the default corpus) as a stream, like
/// a directory of those files.
pub fn ingest_embedded(
    inputs: &[(PathBuf, Vec<u8>)],
    opts: &Options<'_>,
    progress: &dyn Fn(usize) -> Progress,
    sink: &mut (dyn FnMut(&[Outcome]) -> anyhow::Result<()> + Send),
) -> anyhow::Result<Batch> {
    let process = |group: &[(PathBuf, Vec<u8>)]| {
        (group.iter())
            .flat_map(|(path, bytes)| process_cached(path, bytes, None, opts))
            .collect()
    };
    stream(inputs, Vec::new(), process, opts, progress, sink)
}

/// Processes `items` in chunks (see [`ingest_chunked`]), `out` holding outcomes found
/// before (discovery's error rows); applies the rules across reports at the end.
fn stream<T: Sync>(
    items: &[T],
    mut out: Vec<Outcome>,
    process: impl Fn(&[T]) -> Vec<Outcome> + Sync,
    opts: &Options<'_>,
    progress: &dyn Fn(usize) -> Progress,
    sink: &mut (dyn FnMut(&[Outcome]) -> anyhow::Result<()> + Send),
) -> anyhow::Result<Batch> {
    let bar = progress(items.len());
    let size = if opts.chunk == 0 { CHUNK } else { opts.chunk };
    let whole = opts.whole;
    let chunks = items.len().div_ceil(size);
    let before = &out;
    let (kept, found) = std::thread::scope(|scope| -> anyhow::Result<(Vec<Outcome>, Found)> {
        // One chunk in flight: memory stays at about two chunks of whole reports.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Outcome>, bool)>(1);
        let writer = scope.spawn(move || -> anyhow::Result<(Vec<Outcome>, Found)> {
            let mut kept = Vec::new();
            let mut found = None;
            for (mut done, last) in rx {
                if last {
                    // The rules across reports need every report and nothing the writing
                    // changes: checked while the last chunk is written, not after (nothing
                    // else runs then). In a slim batch too, whose memory bounds 100,000
                    // reports: the rules' tables then stand beside the last chunk's frames
                    // (`ingest` of 100,001 text reports, two runs each: 742 and 779 MB peak
                    // checked after, 795 and 802 MB checked beside), and 10,002 text reports
                    // take 1.22 s instead of 1.27 s (medians of seven, alternated).
                    let all: Vec<&Outcome> = before.iter().chain(&kept).chain(&done).collect();
                    let (written, checked) = std::thread::scope(|s| {
                        let check = s.spawn(|| check_across(all));
                        (sink(&done), check.join())
                    });
                    written?;
                    found = Some(
                        checked
                            .map_err(|_| anyhow::anyhow!("the rules across reports panicked"))?,
                    );
                } else {
                    sink(&done)?;
                }
                tracing::debug!(outcomes = done.len(), "chunk written");
                for o in &mut done {
                    if let Ok(p) = &mut o.result
                        && !whole
                    {
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
            // No chunk (no input files) or the batch stopped early: checked here.
            let found = match found {
                Some(f) => f,
                None => check_across(before.iter().chain(&kept).collect()),
            };
            Ok((kept, found))
        });
        for (i, chunk) in items.chunks(size).enumerate() {
            // A few files per task: with workers, a task's files go to one worker together.
            let done: Vec<Outcome> = chunk
                .par_chunks(GROUP)
                .flat_map_iter(|group| {
                    let o = process(group);
                    for _ in group {
                        bar.tick();
                    }
                    o
                })
                .collect();
            tracing::debug!(files = chunk.len(), "chunk read");
            if tx.send((done, i + 1 == chunks)).is_err() {
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
    out.sort_by(|a, b| a.path.cmp(&b.path));
    let batch = apply_across(out, found, Vec::new());
    tracing::info!("rules across reports applied");
    Ok(batch)
}

/// What the rules across reports found, by place among the parsed reports in path order.
struct Found {
    /// Each parsed report's place among all outcomes in path order.
    parsed: Vec<usize>,
    across: across::Across,
}

/// The rules across reports over `outcomes` (any order; they are taken in path order, as
/// [`apply_across`] gets them).
fn check_across(mut outcomes: Vec<&Outcome>) -> Found {
    // Stable, as the sort of the outcomes themselves: equal paths keep their order.
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    let parsed: Vec<usize> = (0..outcomes.len())
        .filter(|&i| outcomes[i].result.is_ok())
        .collect();
    let reports: Vec<&Report> = parsed
        .iter()
        .filter_map(|&i| outcomes[i].result.as_ref().ok().map(|p| &p.report))
        .collect();
    let names: Vec<String> = parsed.iter().map(|&i| outcomes[i].id.clone()).collect();
    Found {
        across: across::check(&reports, &names),
        parsed,
    }
}

/// Sorts outcomes by path and applies the rules across reports (duplicates, cross-year,
/// text reuse).
pub fn finish(mut outcomes: Vec<Outcome>, unmatched: Vec<manifest::Row>) -> Batch {
    outcomes.sort_by(|a, b| a.path.cmp(&b.path));
    let found = check_across(outcomes.iter().collect());
    apply_across(outcomes, found, unmatched)
}

/// Gives the outcomes (in path order) what [`check_across`] found.
fn apply_across(mut outcomes: Vec<Outcome>, found: Found, unmatched: Vec<manifest::Row>) -> Batch {
    let Found { parsed, across } = found;
    for (k, finding) in across.findings {
        if let Ok(p) = &mut outcomes[parsed[k]].result {
            p.findings.push(finding);
        }
    }
    for (k, &i) in parsed.iter().enumerate() {
        let batch = BatchInfo {
            duplicate_of: across
                .duplicate_of
                .get(&k)
                .map(|&j| outcomes[parsed[j]].id.clone()),
            reuse_previous: across.reuse_previous.get(&k).copied(),
            reuse_peer: across
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

#[cfg(test)]
mod robustness;
