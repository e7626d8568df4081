//! `gongkai ingest PATH... --out DIR`

use std::path::PathBuf;
use std::process::ExitCode;

use crate::frames;
use crate::pipeline::{self, Summary};

use super::{FailOn, batch_exit, report_failures};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories (searched recursively; hidden and README files are skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Directory for the frames (reports, cells, findings, *_wide; Parquet and CSV).
    #[arg(long, short)]
    pub out: PathBuf,

    /// Exit with code 1 when a finding of this severity or worse is raised.
    #[arg(long, value_enum, default_value = "never")]
    pub fail_on: FailOn,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let outcomes = pipeline::ingest(&args.paths);
    let mut f = frames::build(&outcomes)?;
    frames::write(&mut f, &args.out)?;
    report_failures(&outcomes);
    if !args.quiet {
        println!(
            "{}; frames in {}",
            Summary::of(&outcomes),
            args.out.display()
        );
    }
    Ok(batch_exit(&outcomes, args.fail_on))
}
