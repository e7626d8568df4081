//! `gongkai merge DIR... --out DIR`: joins the frames several `ingest --shard K/N` runs wrote
//! (reports, cells, findings, the wide frames), rows sorted by source path as one run would
//! sort them. Rules across reports ran within each shard (a directory's files stay in one
//! shard); they are not re-run across shards.

use std::path::PathBuf;
use std::process::ExitCode;

use polars::prelude::*;

use crate::frames;

use super::exit;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Shard output directories (each holding reports.parquet, cells.parquet, …).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,

    /// Directory for the merged frames.
    #[arg(long, short)]
    pub out: PathBuf,
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut merged: Vec<(String, DataFrame)> = Vec::new();
    for name in frames::names() {
        let mut parts = Vec::new();
        for d in &args.dirs {
            parts.push(frames::read_parquet(&d.join(format!("{name}.parquet")))?);
        }
        let mut all = parts.remove(0);
        for p in &parts {
            if let Err(e) = all.vstack_mut(p) {
                anyhow::bail!("{name}: shards disagree on columns: {e}");
            }
        }
        // A stable sort by source keeps each report's rows in their written order.
        let all = all.sort(
            ["source"],
            SortMultipleOptions::default().with_maintain_order(true),
        )?;
        merged.push((name.to_string(), all));
    }
    let rows = merged[0].1.height();
    merged.push(("codebook".into(), frames::codebook()?));
    let staging = crate::frames::outdir::Staging::begin(&args.out)?;
    frames::write_named(
        merged.iter_mut().map(|(n, df)| (n.clone(), df)).collect(),
        staging.path(),
    )?;
    staging.commit()?;
    super::say(&format!(
        "{rows} reports from {} shards; frames in {}",
        args.dirs.len(),
        args.out.display()
    ))?;
    Ok(ExitCode::from(exit::OK))
}
