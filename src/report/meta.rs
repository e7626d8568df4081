//! Who, where and when a report is about, each with the clue that decided it, and the
//! figures its narrative states.

use std::fmt;

use crate::regions::Level;
use crate::source::Loc;
use crate::template::TableKind;

use super::Dec;

/// Where a piece of metadata came from.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Clue {
    Manifest,
    Title,
    Period,
    Signature,
    Source,
    FileName,
    /// A hand-kept alias (平潭综合实验区).
    Alias,
    /// The issuer's name matched a division name.
    IssuerName,
    /// A summary sheet's row (its issuer, year or region column).
    SummaryRow,
}

impl Clue {
    pub fn key(self) -> &'static str {
        match self {
            Clue::Manifest => "manifest",
            Clue::Title => "title",
            Clue::Period => "period",
            Clue::Signature => "signature",
            Clue::Source => "source",
            Clue::FileName => "file_name",
            Clue::Alias => "alias",
            Clue::IssuerName => "issuer_name",
            Clue::SummaryRow => "summary_row",
        }
    }
}

impl fmt::Display for Clue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Whether the government itself or one of its departments issued the report.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Body {
    Government,
    Department,
}

impl Body {
    pub fn key(self) -> &'static str {
        match self {
            Body::Government => "government",
            Body::Department => "department",
        }
    }

    /// The body in Chinese, as peer-set names print it.
    pub fn zh(self) -> &'static str {
        match self {
            Body::Government => "政府",
            Body::Department => "部门",
        }
    }

    /// The body a frame's `body` column names.
    pub fn from_key(key: &str) -> Option<Body> {
        [Body::Government, Body::Department]
            .into_iter()
            .find(|b| b.key() == key)
    }
}

/// Who a narrative figure counts: the reporting office alone, the whole region, or unsaid.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Scope {
    Unsaid,
    Office,
    Region,
}

/// A figure the narrative states, with the cells it must equal.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stated {
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub key: crate::template::Static,
    pub value: i64,
    /// (table, row, col) cells whose sum the figure states.
    #[serde(deserialize_with = "crate::template::interned::cells")]
    pub cells: Vec<(TableKind, &'static str, &'static str)>,
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub what_zh: crate::template::Static,
    pub sentence: String,
    pub scope: Scope,
    pub loc: Option<Loc>,
}

/// "All upheld" said of review or litigation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AllUpheld {
    /// The table-四 rows the sentence speaks of.
    #[serde(deserialize_with = "crate::template::interned::many")]
    pub rows: Vec<&'static str>,
    pub sentence: String,
    pub loc: Option<Loc>,
}

/// The region an issuer resolved to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    /// The current code (a former unit's successor when known).
    pub code: String,
    pub level: Level,
    pub province: String,
    pub city: String,
    pub county: String,
    /// The former name the report used, if it used one.
    pub former_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub issuer: Option<String>,
    pub issuer_clue: Option<Clue>,
    pub year: Option<i32>,
    pub year_clue: Option<Clue>,
    /// Every year clue found, for conflicts.
    pub years: Vec<(Clue, i32)>,
    pub place: Option<Place>,
    pub region_clue: Option<Clue>,
    pub body: Option<Body>,
    /// Codes the issuer could be when it is ambiguous.
    pub candidates: Vec<String>,
    pub stated: Vec<Stated>,
    pub all_upheld: Vec<AllUpheld>,
    /// 信息处理费 in 元, and the sentence that says so.
    pub processing_fee: Option<(Dec, String)>,
    /// Sampled hashes of the narrative's character 8-grams, sorted and unique.
    pub fingerprint: Vec<u64>,
}
