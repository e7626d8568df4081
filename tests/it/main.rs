//! The integration tests, one binary (one link against polars instead of eleven). Each
//! module tests one area through the library's public API or the `gongkai` binary.

mod common;

mod cli;
mod formats;
mod hostile;
mod incremental;
mod metadata;
mod pdf;
mod ranking;
mod real_corpus;
mod report;
mod synth;
