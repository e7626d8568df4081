//! Scoring and ranking (DESIGN §4): a model of indicators over canonical keys, evaluated per
//! issuer and year, normalised within peer groups, aggregated, ranked, and stress-tested by
//! perturbing the weights.
//!
//! Takes the frames (`reports`, `cells`), hands on `scores`, `rankings`, `sensitivity` and
//! `panel` frames. Never reads files: the model text and frames come from the caller.

pub mod formula;
pub mod model;

pub use model::Model;
