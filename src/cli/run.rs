//! `gongkai run [PATH...] [--out DIR]`: the main job. With no PATH it ingests the corpus
//! embedded in the binary (the real development reports of `data/corpus/real/`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::corpus::DEFAULT_CORPUS;
use crate::pipeline::{self, Batch};

use super::{BatchArgs, write_batch};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories; none means the embedded default corpus.
    pub paths: Vec<PathBuf>,

    /// Directory for the outputs.
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,

    /// Scoring model (TOML); default: the embedded `data/scoring.toml`.
    #[arg(long)]
    pub model: Option<PathBuf>,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Processes the embedded corpus in parallel, as a directory run would.
pub fn default_corpus() -> Batch {
    let outcomes = DEFAULT_CORPUS
        .par_iter()
        .map(|(path, bytes)| pipeline::process_bytes(Path::new(path), bytes, None))
        .collect();
    pipeline::finish(outcomes, Vec::new())
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let manifest = args.batch.manifest()?;
    let model = match super::rank::load_model(args.model.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(super::exit::USAGE));
        }
    };
    let batch = if args.paths.is_empty() {
        default_corpus()
    } else {
        pipeline::ingest_shard(&args.paths, manifest.as_ref(), args.batch.shard)
    };
    write_batch(&batch, &args.out, &args.batch, Some(&model))
}
