//! `gongkai rank --frames DIR [--model FILE] --out DIR`: scores and ranks the issuers in the
//! frames an ingest wrote, and writes rankings, scores, sensitivity and the panel (Parquet,
//! CSV), `rankings.md` and `rankings.xlsx`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::frames;
use crate::render::tables;
use crate::score::{self, Model};

use super::exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory holding `reports.parquet` and `cells.parquet` (from `gongkai ingest`).
    #[arg(long)]
    pub frames: PathBuf,

    /// Scoring model (TOML); default: the embedded `data/scoring.toml`.
    #[arg(long)]
    pub model: Option<PathBuf>,

    /// Directory for the outputs.
    #[arg(long, short)]
    pub out: PathBuf,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Loads a model file (or the default), with the file and line in errors.
pub fn load_model(path: Option<&Path>) -> anyhow::Result<Model> {
    match path {
        None => Ok(Model::default_model()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read the model", p.display()))?;
            Model::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
        }
    }
}

/// Scores the frames and writes every ranking output into `out`; returns a summary line.
pub fn rank_into(
    model: &Model,
    reports: &polars::prelude::DataFrame,
    cells: &polars::prelude::DataFrame,
    out: &Path,
) -> anyhow::Result<String> {
    let mut o = score::score_frames(model, reports, cells)?;
    write_rankings(model, &mut o, out)
}

/// Writes the scorer's frames, `rankings.md` and `rankings.xlsx` into `out`; returns a
/// summary line.
pub fn write_rankings(
    model: &Model,
    o: &mut score::output::Outputs,
    out: &Path,
) -> anyhow::Result<String> {
    // The workbook is the slowest of these files and reads the frames only: it is written
    // beside the others (the frames are shared, not copied).
    let shared = o.clone();
    let (xlsx, rest) = rayon::join(
        || tables::xlsx(model, &shared, &out.join("rankings.xlsx")),
        || -> anyhow::Result<_> {
            let md = tables::markdown(model, o)?;
            frames::write_text(&out.join("rankings.md"), &md)?;
            let ranked = o
                .rankings
                .column("status")?
                .str()?
                .iter()
                .filter(|s| *s == Some("ranked"))
                .count();
            let issuers = o.panel.height();
            frames::write_named(
                vec![
                    ("rankings".into(), &mut o.rankings),
                    ("scores".into(), &mut o.scores),
                    ("sensitivity".into(), &mut o.sensitivity),
                    ("panel".into(), &mut o.panel),
                ],
                out,
            )?;
            Ok((ranked, issuers))
        },
    );
    xlsx?;
    let (ranked, issuers) = rest?;
    Ok(format!(
        "model {} (hash {}): {issuers} issuer-years, {ranked} ranked places",
        model.name, model.hash
    ))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let model = match load_model(args.model.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let reports = frames::read_parquet(&args.frames.join("reports.parquet"))?;
    let cells = frames::read_parquet(&args.frames.join("cells.parquet"))?;
    let staging = crate::outdir::Staging::begin(&args.out)?;
    let line = rank_into(&model, &reports, &cells, staging.path())?;
    staging.commit()?;
    if !args.quiet {
        super::say(&format!("{line}; outputs in {}", args.out.display()))?;
    }
    Ok(ExitCode::from(exit::OK))
}
