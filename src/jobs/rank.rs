//! The rank job: frames → scores, ranks, sensitivity and the panel, with `rankings.md` and
//! `rankings.xlsx`.

use std::path::Path;

use anyhow::Context;
use polars::prelude::DataFrame;

use crate::frames;
use crate::render::tables;
use crate::score::{self, Model};

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

/// The appeal round: `baseline` (a preliminary run's outputs) against this run's rankings
/// and the frames in `dir`; attached to the outputs, so every ranking output shows it.
pub fn attach_appeal(
    o: &mut score::output::Outputs,
    baseline: &Path,
    dir: &Path,
) -> anyhow::Result<()> {
    let before = frames::read_parquet(&baseline.join("rankings.parquet")).with_context(|| {
        format!(
            "{}: no rankings of a preliminary run\nhint: --baseline takes the --out directory of an earlier `gongkai run`",
            baseline.display()
        )
    })?;
    let cells = frames::revisions::revisions(baseline, dir)?;
    o.appeal = Some(score::appeal::compare(
        &baseline.display().to_string(),
        &before,
        &o.rankings,
        cells,
    )?);
    Ok(())
}

/// Reads the columns of `cells.parquet` (or its directory of parts) in `dir` that scoring
/// uses.
pub fn read_cells(dir: &Path) -> anyhow::Result<DataFrame> {
    frames::read_parquet_columns(&dir.join("cells.parquet"), Some(&score::CELL_COLUMNS))
}

/// Reads `findings.parquet` (or its directory of parts) beside the other frames, when
/// there is one: an ingest always writes it, a hand-made frame directory may not.
pub fn read_findings(dir: &Path) -> anyhow::Result<Option<DataFrame>> {
    let path = dir.join("findings.parquet");
    if path.exists() || path.with_extension("").is_dir() {
        frames::read_parquet(&path).map(Some)
    } else {
        Ok(None)
    }
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
        || {
            let done = tables::xlsx(model, &shared, &out.join("rankings.xlsx"));
            tracing::debug!("rankings.xlsx written");
            done
        },
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
            let mut named = vec![
                ("rankings".into(), &mut o.rankings),
                ("scores".into(), &mut o.scores),
                ("sensitivity".into(), &mut o.sensitivity),
                ("panel".into(), &mut o.panel),
            ];
            if let Some(a) = &mut o.appeal {
                named.push(("appeal".into(), &mut a.places));
                named.push(("appeal_cells".into(), &mut a.cells));
            }
            frames::write_named(named, out)?;
            tracing::debug!("rankings' frames and markdown written");
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
