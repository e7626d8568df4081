//! `gongkai ingest PATH... --out DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use super::{BatchArgs, stream_batch};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Files or directories (searched recursively; hidden and README files are skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Directory for the frames (reports, cells, findings, *_wide; Parquet and CSV).
    #[arg(long, short)]
    pub out: PathBuf,

    #[command(flatten)]
    pub batch: BatchArgs,
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let manifest = args.batch.manifest()?;
    // Ingest scores nothing: its cache namespace is the parse alone.
    let cache = args.batch.cache(&args.out, "parse-only");
    let workers = args.batch.workers();
    let opts = args
        .batch
        .options(manifest.as_ref(), cache.as_ref(), workers.as_ref());
    stream_batch(&args.paths, &opts, &args.out, &args.batch)
}
