//! The ingest job: a batch streamed into frames. `gongkai ingest` is this job alone; `run`
//! starts with it, so both write the same frame bytes for the same inputs.

use std::path::{Path, PathBuf};

use crate::batch::progress::Progress;
use crate::batch::{self, Batch, Options};
use crate::frames::{self, CellSink};

/// What a batch reads: files and directories, or the embedded default corpus.
#[derive(Clone, Copy, Debug)]
pub enum Inputs<'a> {
    Paths(&'a [PathBuf]),
    DefaultCorpus,
}

/// What the ingest job wrote.
#[derive(Debug)]
pub struct Ingested {
    pub batch: Batch,
    /// The frames written, in [`frames::names`] order, CSV before Parquet, then the
    /// codebook.
    pub written: Vec<PathBuf>,
    /// A line to print when some report was revised since the last run into `out`.
    pub revised: Option<String>,
}

/// Streams a batch into `dir` (a staging directory whose outputs go to `out` at the end):
/// each chunk's cells and wide tables are written as it is read, then the frames per report
/// and finding and the revisions against what `out` holds; with `hive`, Hive partitions too.
pub fn ingest_into(
    inputs: Inputs<'_>,
    opts: &Options<'_>,
    dir: &Path,
    out: &Path,
    hive: bool,
    progress: &dyn Fn(usize) -> Progress,
) -> anyhow::Result<Ingested> {
    let mut sink = CellSink::create(dir, hive)?;
    let mut push = |chunk: &[crate::report::Outcome]| sink.push(chunk);
    let batch = match inputs {
        Inputs::Paths(paths) => batch::ingest_chunked(paths, opts, progress, &mut push)?,
        Inputs::DefaultCorpus => {
            let mut inputs = super::corpus::inputs();
            // In path order, as a directory of these files would be read.
            inputs.sort_by(|a, b| a.0.cmp(&b.0));
            batch::ingest_embedded(&inputs, opts, progress, &mut push)?
        }
    };
    let mut written = sink.finish()?;
    tracing::info!(files = batch.outcomes.len(), "read, and cells written");
    if let Some(c) = opts.cache {
        tracing::info!(hits = c.hits(), parsed = c.misses(), dir = %c.dir().display(), "cache");
    }
    let (mut reports, mut findings) = frames::build_reports(&batch.outcomes)?;
    written.extend(frames::write_named(
        vec![
            ("reports".into(), &mut reports),
            ("findings".into(), &mut findings),
        ],
        dir,
    )?);
    if hive {
        frames::write_hive_parts(&batch.outcomes, dir, &["reports", "findings"], 0)?;
    }
    tracing::info!("reports and findings written");
    let order = frames::names();
    let rank = |p: &PathBuf| {
        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
        let at = order.iter().position(|n| Some(n) == stem.as_ref());
        (at, p.extension().is_some_and(|e| e == "parquet"))
    };
    written.sort_by_key(rank);
    // The codebook goes with every batch, so a frame never travels without its key.
    written.extend(frames::write_named(
        vec![("codebook".into(), &mut frames::codebook()?)],
        dir,
    )?);
    tracing::debug!("codebook written");
    let revised = write_revisions(out, dir)?;
    tracing::debug!("revisions written");
    Ok(Ingested {
        batch,
        written,
        revised,
    })
}

/// Writes `revisions` (the frames already in `dir` against the outputs `out` holds from the
/// last run) into `dir`; returns a line to print when some report was revised.
pub fn write_revisions(out: &Path, dir: &Path) -> anyhow::Result<Option<String>> {
    let mut rev = frames::revisions::revisions(out, dir)?;
    let reports = rev.column("new_report_id")?.n_unique().unwrap_or_default();
    frames::write_named(vec![("revisions".into(), &mut rev)], dir)?;
    if rev.height() == 0 {
        return Ok(None);
    }
    tracing::info!(
        reports,
        cells = rev.height(),
        "revisions since the last run"
    );
    Ok(Some(format!(
        "{reports} reports revised since the last run, {} cells changed: {}",
        rev.height(),
        out.join("revisions.csv").display()
    )))
}
