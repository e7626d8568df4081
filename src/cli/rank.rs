//! `gongkai rank --frames DIR [--model FILE] --out DIR`: scores and ranks the issuers in the
//! frames an ingest wrote, and writes rankings, scores, sensitivity and the panel (Parquet,
//! CSV), `rankings.md` and `rankings.xlsx`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::frames;
use crate::jobs::rank::{load_model, read_cells, read_findings};

use super::exit;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Directory holding `reports.parquet` and `cells.parquet` (from `gongkai ingest`), or
    /// `reports/` and `cells/` directories of Parquet parts (what Spark writes).
    #[arg(long)]
    pub frames: PathBuf,

    /// Scoring model (TOML); default: the embedded `data/scoring.toml`.
    #[arg(long)]
    pub model: Option<PathBuf>,

    /// Directory for the outputs.
    #[arg(long, short)]
    pub out: PathBuf,

    /// The appeal round: the output directory of a preliminary `run` or `rank`; the
    /// rankings outputs then show preliminary and final score and rank per place, and the
    /// cells that changed (against the preliminary frames, when that directory holds them).
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let model = match load_model(args.model.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let reports = frames::read_parquet(&args.frames.join("reports.parquet"))?;
    let cells = read_cells(&args.frames)?;
    if let Some(b) = &args.baseline
        && !b.join("rankings.parquet").is_file()
    {
        eprintln!(
            "gongkai: --baseline {}: no rankings.parquet there\n  hint: pass the --out directory of the preliminary `gongkai run` or `gongkai rank`",
            b.display()
        );
        return Ok(ExitCode::from(exit::USAGE));
    }
    let findings = read_findings(&args.frames)?;
    let staging = crate::frames::outdir::Staging::begin(&args.out)?;
    let mut o = crate::score::score_frames(&model, &reports, &cells, findings.as_ref())?;
    if let Some(b) = &args.baseline {
        crate::jobs::rank::attach_appeal(&mut o, b, &args.frames)?;
    }
    let line = crate::jobs::rank::write_rankings(&model, &mut o, staging.path())?;
    staging.commit()?;
    if !args.quiet {
        super::say(&format!("{line}; outputs in {}", args.out.display()))?;
    }
    Ok(ExitCode::from(exit::OK))
}
