//! `gongkai ingest PATH... --out DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use crate::pipeline;

use super::{BatchArgs, write_batch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (searched recursively; hidden and README files are skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Directory for the frames (reports, cells, findings, *_wide; Parquet and CSV).
    #[arg(long, short)]
    pub out: PathBuf,

    #[command(flatten)]
    pub batch: BatchArgs,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let manifest = args.batch.manifest()?;
    let batch = pipeline::ingest_shard(&args.paths, manifest.as_ref(), args.batch.shard);
    write_batch(&batch, &args.out, &args.batch, None)
}
