//! The jobs end to end: ingest (a batch streamed into frames), rank (frames → rankings) and
//! run (ingest → rank → charts → report → `run.json`), each writing into a staging directory
//! renamed into place at the end.

pub mod corpus;
pub mod ingest;
pub mod rank;
pub(crate) mod replay;
pub mod run;
