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
        let mut s = String::with_capacity(self.zh.len() + self.en.len() + 3);
        self.push_message(&mut s);
        s
    }

    /// Appends [`Finding::message`] to `out` (the findings frame reuses one buffer).
    pub fn push_message(&self, out: &mut String) {
        out.push_str(&self.zh);
        out.push_str(" | ");
        out.push_str(&self.en);
    }
}
