//! Scoring and ranking (DESIGN §4): a model of indicators over canonical keys, evaluated per
//! issuer and year, normalised within peer groups, aggregated, ranked, and stress-tested by
//! perturbing the weights.
//!
//! Takes the frames (`reports`, `cells`), hands on `scores`, `rankings`, `sensitivity` and
//! `panel` frames. Never reads files: the model text and frames come from the caller.

pub mod appeal;
pub(crate) mod formula;
pub(crate) mod input;
pub mod model;
pub mod output;
pub mod rank;

pub use formula::Measure;
pub use input::CELL_COLUMNS;
pub use model::Model;

use polars::prelude::DataFrame;

/// What scoring hands on: the units (issuer-years) with their values, the ranking over them,
/// and the frames built from both.
pub struct Scored {
    pub units: Vec<rank::Unit>,
    pub ranking: rank::Ranking,
    pub outputs: output::Outputs,
}

/// Scores and ranks the units in the `reports`, `cells` and (when there is one) `findings`
/// frames; without findings, no report's identity failures are known.
pub fn score(
    model: &Model,
    reports: &DataFrame,
    cells: &DataFrame,
    findings: Option<&DataFrame>,
) -> anyhow::Result<Scored> {
    let units = input::units(reports, cells, findings)?;
    tracing::debug!(units = units.len(), "units gathered");
    let ranking = rank::run(model, &units);
    tracing::debug!("ranked");
    let outputs = output::build(model, &units, &ranking)?;
    tracing::debug!("scoring frames built");
    Ok(Scored {
        units,
        ranking,
        outputs,
    })
}

/// Scores and ranks the units in the frames, handing on the scorer's frames.
pub fn score_frames(
    model: &Model,
    reports: &DataFrame,
    cells: &DataFrame,
    findings: Option<&DataFrame>,
) -> anyhow::Result<output::Outputs> {
    Ok(score(model, reports, cells, findings)?.outputs)
}
