//! The result for one input file: a parsed report with its findings, or why there is none.

use std::path::{Path, PathBuf};

use crate::source::ReadError;

use super::{Finding, Report, Severity};

/// A parsed report and its findings.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub report: Report,
    pub findings: Vec<Finding>,
}

/// Why a file yielded no report.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub stage: Stage,
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

/// The step a file failed at (the `error_stage` column).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The path could not be listed or opened.
    Discover,
    Read,
    /// Extraction panicked (caught; the rest of the batch goes on).
    Extract,
    /// The worker process parsing the file died, overran or ran out of memory.
    Worker,
}

impl Stage {
    pub fn key(self) -> &'static str {
        match self {
            Stage::Discover => "discover",
            Stage::Read => "read",
            Stage::Extract => "extract",
            Stage::Worker => "worker",
        }
    }
}

/// Why a file failed (the `error_kind` column): a read error's kind, or what happened to
/// the code parsing it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Io,
    TooLarge,
    Empty,
    Binary,
    Unsupported,
    NoText,
    Corrupt,
    Encrypted,
    TooLargeUnzipped,
    TooManyCells,
    TimedOut,
    NoTextLayer,
    TooDeep,
    Panic,
    Crashed,
    OutOfMemory,
}

impl Kind {
    /// The kind of a read error.
    pub fn of(e: &ReadError) -> Kind {
        match e {
            ReadError::Io(_) => Kind::Io,
            ReadError::TooLarge { .. } => Kind::TooLarge,
            ReadError::Empty => Kind::Empty,
            ReadError::Binary { .. } => Kind::Binary,
            ReadError::Unsupported { .. } => Kind::Unsupported,
            ReadError::NoText => Kind::NoText,
            ReadError::Corrupt { .. } => Kind::Corrupt,
            ReadError::Encrypted => Kind::Encrypted,
            ReadError::TooLargeUnzipped { .. } => Kind::TooLargeUnzipped,
            ReadError::TooManyCells { .. } | ReadError::TooMuchDrawn { .. } => Kind::TooManyCells,
            ReadError::TimedOut { .. } => Kind::TimedOut,
            ReadError::NoTextLayer => Kind::NoTextLayer,
            ReadError::TooDeep { .. } => Kind::TooDeep,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Kind::Io => "io",
            Kind::TooLarge => "too_large",
            Kind::Empty => "empty",
            Kind::Binary => "binary",
            Kind::Unsupported => "unsupported",
            Kind::NoText => "no_text",
            Kind::Corrupt => "corrupt",
            Kind::Encrypted => "encrypted",
            Kind::TooLargeUnzipped => "too_large_unzipped",
            Kind::TooManyCells => "too_many_cells",
            Kind::TimedOut => "timed_out",
            Kind::NoTextLayer => "no_text_layer",
            Kind::TooDeep => "too_deep",
            Kind::Panic => "panic",
            Kind::Crashed => "crashed",
            Kind::OutOfMemory => "out_of_memory",
        }
    }

    /// A failure of the run rather than of the file (time, memory, a crash): never cached,
    /// so the next run tries again.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Kind::TimedOut | Kind::Panic | Kind::Crashed | Kind::OutOfMemory
        )
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// What the batch-level rules found for one report.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BatchInfo {
    /// The report id kept for this issuer-year, if this report is a duplicate.
    pub duplicate_of: Option<String>,
    /// Share of the narrative repeated from the issuer's previous report, and its year.
    pub reuse_previous: Option<(f64, i32)>,
    /// Highest share repeated from another issuer's report of the same year, and its id.
    pub reuse_peer: Option<(f64, String)>,
}

/// The result for one input file.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub id: String,
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
    pub result: Result<Parsed, Failure>,
    /// Set by the rules across reports, afresh for every batch (so never cached).
    #[serde(skip)]
    pub batch: BatchInfo,
}

impl Outcome {
    /// The error row of a file whose bytes were read (`sha256` their hash).
    pub fn failed(path: &Path, sha256: &str, bytes: u64, failure: Failure) -> Outcome {
        Outcome {
            id: sha256[..12].to_owned(),
            path: path.to_owned(),
            sha256: sha256.to_owned(),
            bytes,
            result: Err(failure),
            batch: BatchInfo::default(),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        match &self.result {
            Ok(p) => p.findings.iter().filter(|f| f.severity == severity).count(),
            Err(_) => 0,
        }
    }
}

/// Counts for the one-line summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub seen: usize,
    pub parsed: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(outcomes: &[Outcome]) -> Summary {
        let mut s = Summary {
            seen: outcomes.len(),
            ..Summary::default()
        };
        for o in outcomes {
            match o.result {
                Ok(_) => s.parsed += 1,
                Err(_) => s.failed += 1,
            }
            s.errors += o.count(Severity::Error);
            s.warnings += o.count(Severity::Warning);
            s.infos += o.count(Severity::Info);
        }
        s
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} files seen, {} parsed, {} failed; findings: {} errors, {} warnings, {} info",
            self.seen, self.parsed, self.failed, self.errors, self.warnings, self.infos
        )
    }
}
