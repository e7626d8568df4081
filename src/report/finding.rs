//! Findings: one failed rule with the cells, both numbers and where.

use std::fmt;

use crate::source::Loc;

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One failed rule.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub rule: crate::template::Static,
    pub severity: Severity,
    /// Cells involved, as `table/row/col`.
    pub cells: Vec<String>,
    pub expected: String,
    pub actual: String,
    pub zh: String,
    pub en: String,
    pub loc: Option<Loc>,
}

impl Finding {
    /// The message in both languages, as the frames carry it.
    pub fn message(&self) -> String {
        format!("{} | {}", self.zh, self.en)
    }
}

/// Rule ids other than the identities, documented in the README.
pub mod rules {
    pub const NON_NEGATIVE_INTEGER: &str = "I6";
    pub const TABLE_NOT_FOUND: &str = "T1";
    pub const ROW_NOT_FOUND: &str = "T2";
    pub const EXTRA_VALUES: &str = "T3";
    pub const AMBIGUOUS: &str = "G1";
    pub const UNSPLITTABLE: &str = "G2";
    pub const UNPARSED: &str = "P1";
    pub const FLOATING_LABELS: &str = "G3";
    pub const UNKNOWN_COLUMNS: &str = "S1";
    pub const NARRATIVE: &str = "N1";
    pub const NARRATIVE_SCOPE: &str = "N2";
    pub const ALL_UPHELD: &str = "N3";
    pub const REGION_UNKNOWN: &str = "M1";
    pub const YEAR_UNKNOWN: &str = "M2";
    pub const YEAR_CONFLICT: &str = "M3";
    pub const CARRY_OVER: &str = "X1";
    pub const IN_FORCE: &str = "X2";
    pub const DUPLICATE: &str = "D1";
    pub const REUSE_PREVIOUS: &str = "R1";
    pub const REUSE_PEER: &str = "R2";
}
