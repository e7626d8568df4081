//! gongkai (公开) reads Chinese 政府信息公开工作年度报告 into validated frames.
//!
//! The data flows one way, one module per stage:
//! `source` (bytes → `Document`) → `extract` (`Document` → `Report`) → `validate`
//! (`Report` → `Finding`s) → `frames` (reports → polars frames, Parquet and CSV).
//! `template` holds the domain vocabulary every stage asks; `pipeline` runs a batch;
//! `cli` is the thin command layer.

pub mod batch;
pub mod budget;
pub mod cli;
pub mod extract;
pub mod frames;
pub mod jobs;
pub mod regions;
pub mod render;
pub mod report;
pub mod rng;
pub mod score;
pub mod source;
pub mod synth;
pub mod template;
pub mod two;
pub mod validate;
