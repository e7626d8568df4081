//! The result for one input file: a parsed report with its findings, or why there is none.

use std::path::{Path, PathBuf};

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
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub stage: crate::template::Static,
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub kind: crate::template::Static,
    pub message: String,
    pub hint: Option<String>,
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
