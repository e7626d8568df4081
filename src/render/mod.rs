//! Outputs for people: rankings as Markdown and as a styled `.xlsx` an evaluator can send on.
//! Takes the scorer's frames and the model; writes files atomically.

pub mod tables;
