//! gongkai (公开) reads Chinese 政府信息公开工作年度报告 (annual government-information-
//! disclosure reports) into validated frames, and scores and ranks their issuers.
//!
//! The public API is small: read one file into [`Report`]s with their [`Finding`]s
//! ([`read_file`], [`read_bytes`]); read a batch into frames ([`batch::ingest`] and
//! [`frames::build`] in memory, or [`jobs::ingest`] streamed to Parquet and CSV); score
//! frames with a model ([`score::score_frames`]). The shared types live in [`report`], the
//! vocabulary (tables, canonical keys, labels, identities) in [`template`].
//!
//! # Read one file
//!
//! ```
//! use std::path::Path;
//! use gongkai::{CellState, TableKind};
//!
//! let outcomes = gongkai::read_file(Path::new("tests/fixtures/real/jiangxi_dayu_2019.txt"));
//! let parsed = outcomes[0].result.as_ref().expect("a readable report");
//! let new = parsed.report.cell(TableKind::Requests, "new", "total").unwrap();
//! assert!(matches!(new.state, CellState::Number(_)));
//! for f in &parsed.findings {
//!     println!("{} {}: {}", f.rule, f.severity, f.message());
//! }
//! ```
//!
//! # A batch into frames, scored with the default model
//!
//! ```
//! use std::path::PathBuf;
//!
//! let batch = gongkai::batch::ingest(&[PathBuf::from("tests/fixtures/real")], None);
//! let frames = gongkai::frames::build(&batch.outcomes).unwrap();
//! assert!(frames.cells.height() > 1000);
//! let model = gongkai::score::Model::default_model();
//! let ranked = gongkai::score::score_frames(&model, &frames.reports, &frames.cells, Some(&frames.findings)).unwrap();
//! println!("{}", ranked.rankings.head(Some(5)));
//! ```
//!
//! The data flows one way, one module per stage (`scripts/layers.py` checks it):
//! `template` → `source` (bytes → `Document`) → `regions` → [`report`] → `extract`
//! (`Document` → `Report`) → `validate` (→ `Finding`s) → [`batch`] (files → outcomes) →
//! [`frames`] → [`synth`] → [`score`] → `render` → [`jobs`] → [`cli`]. The stages without
//! a link are internal.

#![warn(unreachable_pub)]

pub mod batch;
pub(crate) mod budget;
pub(crate) mod charbits;
pub mod cli;
pub(crate) mod extract;
pub mod frames;
pub(crate) mod hex;
pub mod jobs;
pub(crate) mod regions;
pub(crate) mod render;
pub mod report;
pub(crate) mod rng;
pub mod score;
pub mod source;
pub mod synth;
pub mod template;
pub(crate) mod trim;
pub(crate) mod two;
pub(crate) mod validate;

pub use report::{Cell, CellState, Dec, Failure, Finding, Meta, Outcome, Parsed, Report, Severity};
pub use template::TableKind;

/// Every report one file holds (one for a report, one per row of a summary sheet), or the
/// file's error row, under the default caps.
pub fn read_file(path: &std::path::Path) -> Vec<Outcome> {
    batch::process_path(path)
}

/// [`read_file`] of bytes already in memory; `name` is the path shown in outputs (its
/// extension helps detect the format).
pub fn read_bytes(name: &std::path::Path, bytes: &[u8]) -> Vec<Outcome> {
    batch::process_all(name, bytes, None)
}

/// Entry points for the fuzz targets (`fuzz/`); not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::extract::value::parse as parse_value;
}
