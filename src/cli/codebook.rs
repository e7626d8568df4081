//! `gongkai codebook [--out DIR]`: every canonical key with its labels, layouts, unit and
//! harmonised series, and every frame's columns (the file each batch writes beside its
//! frames).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::frames;

use super::exit;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Write `codebook.csv` and `codebook.parquet` into this directory instead of printing
    /// the CSV on stdout.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
}

pub(crate) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut cb = frames::codebook()?;
    match &args.out {
        Some(dir) => {
            frames::write_named(vec![("codebook".into(), &mut cb)], dir)?;
        }
        None => {
            let mut bytes = Vec::new();
            use polars::prelude::{CsvWriter, SerWriter};
            CsvWriter::new(&mut bytes).finish(&mut cb)?;
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
        }
    }
    Ok(ExitCode::from(exit::OK))
}
