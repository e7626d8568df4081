//! The shared domain types every stage passes on: a report's cells and notes, its metadata,
//! its findings, and the outcome for one input file. They depend on the template and the
//! source's locations only; the stages that fill them live above.

mod cell;
mod cell_codec;
mod dec;
mod finding;
mod meta;
mod outcome;
mod raw;

pub use crate::template::rules;
pub use cell::{Cell, CellState, Counts, Kept, Note, Report, TableRead};
pub use dec::Dec;
pub(crate) use dec::small_int;
pub use finding::{Finding, Severity};
pub use meta::{AllUpheld, Body, Clue, Meta, Place, Scope, Stated};
pub use outcome::{BatchInfo, Failure, Kind, Outcome, Parsed, Stage, Summary};
pub use raw::Raw;
