//! Scoring and ranking (DESIGN §4): a model of indicators over canonical keys, evaluated per
//! issuer and year, normalised within peer groups, aggregated, ranked, and stress-tested by
//! perturbing the weights.
//!
//! Takes the frames (`reports`, `cells`), hands on `scores`, `rankings`, `sensitivity` and
//! `panel` frames. Never reads files: the model text and frames come from the caller.

pub mod formula;
pub mod input;
pub mod model;
pub mod output;
pub mod rank;

pub use model::Model;

use polars::prelude::DataFrame;

/// Scores and ranks the units in the `reports` and `cells` frames.
pub fn score_frames(
    model: &Model,
    reports: &DataFrame,
    cells: &DataFrame,
) -> anyhow::Result<output::Outputs> {
    let units = input::units(reports, cells)?;
    let ranking = rank::run(model, &units);
    Ok(output::build(model, &units, &ranking)?)
}
