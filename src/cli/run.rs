//! `gongkai run [PATH...] [--out DIR]`: the main job. With no PATH it ingests the corpus
//! embedded in the binary (the real development reports of `data/corpus/real/`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

use crate::corpus::DEFAULT_CORPUS;
use crate::frames;
use crate::pipeline::{self, Outcome, Summary};

use super::{FailOn, batch_exit, report_failures};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories; none means the embedded default corpus.
    pub paths: Vec<PathBuf>,

    /// Directory for the outputs.
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,

    /// Exit with code 1 when a finding of this severity or worse is raised.
    #[arg(long, value_enum, default_value = "never")]
    pub fail_on: FailOn,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Processes the embedded corpus in parallel, sorted like a directory run.
pub fn default_corpus() -> Vec<Outcome> {
    let mut out: Vec<Outcome> = DEFAULT_CORPUS
        .par_iter()
        .map(|(path, bytes)| pipeline::process_bytes(Path::new(path), bytes))
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let outcomes = if args.paths.is_empty() {
        default_corpus()
    } else {
        pipeline::ingest(&args.paths)
    };
    let mut f = frames::build(&outcomes)?;
    frames::write(&mut f, &args.out)?;
    report_failures(&outcomes);
    if !args.quiet {
        println!(
            "{}; outputs in {}",
            Summary::of(&outcomes),
            args.out.display()
        );
    }
    Ok(batch_exit(&outcomes, args.fail_on))
}
