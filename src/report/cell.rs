//! A report's cells, the notes extraction leaves for the validator, and the report itself.

use std::fmt;

use crate::source::{Format, Loc};
use crate::template::{CellKind, Layout, TableKind};

use super::{Dec, Meta};

/// The state of one canonical cell. Blank is not zero, and not applicable is neither.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CellState {
    Number(Dec),
    /// The report prints the cell empty.
    Blank,
    /// The report prints `/`, `-`, `—`, 无 or 不适用.
    NotApplicable,
    /// Several readings satisfy every identity; the candidates, as printed values.
    Ambiguous(Vec<String>),
    /// The cell holds text that is no value of its kind.
    Unparsed,
    /// The row or table was not found.
    Missing,
}

impl CellState {
    pub fn key(&self) -> &'static str {
        match self {
            CellState::Number(_) => "number",
            CellState::Blank => "blank",
            CellState::NotApplicable => "not_applicable",
            CellState::Ambiguous(_) => "ambiguous",
            CellState::Unparsed => "unparsed",
            CellState::Missing => "missing",
        }
    }

    pub fn number(&self) -> Option<Dec> {
        match self {
            CellState::Number(d) => Some(*d),
            _ => None,
        }
    }
}

/// One canonical cell with its provenance.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cell {
    pub table: TableKind,
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub row: crate::template::Static,
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub col: crate::template::Static,
    pub state: CellState,
    /// The text as printed: the cell, or the whole glued run a value was cut from.
    pub raw: super::Raw,
    pub layout: Layout,
    /// What the cell holds: a count or money (one half of a 增/减 pair is a count).
    pub kind: CellKind,
    pub loc: Option<Loc>,
}

impl Cell {
    /// The cell's value when it is a whole number (what the rules across reports read, and
    /// what [`Kept`] keeps of it).
    fn whole_number(&self) -> Option<i64> {
        self.state.number().and_then(Dec::as_i64)
    }

    /// `table/row/col`, the name findings use.
    pub fn name(&self) -> String {
        format!("{}/{}/{}", self.table.key(), self.row, self.col)
    }
}

/// What extraction noticed that is not a cell value: the validator turns these into findings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Note {
    TableNotFound {
        table: TableKind,
    },
    RowNotFound {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::one")]
        row: crate::template::Static,
    },
    /// More values than the row has cells; the first ones were used.
    ExtraValues {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::one")]
        row: crate::template::Static,
        extra: Vec<String>,
        loc: Option<Loc>,
    },
    /// A glued digit run with several readings that satisfy every identity.
    Ambiguous {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::one")]
        row: crate::template::Static,
        raw: String,
        candidates: Vec<String>,
        loc: Option<Loc>,
    },
    /// A glued run with no reading that satisfies all of its row's identities, read under
    /// the others: `rule` (over `cells`) is broken by the source, or, when not `alone`, one
    /// of several such identities is.
    Broken {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::one")]
        row: crate::template::Static,
        #[serde(deserialize_with = "crate::template::interned::one")]
        rule: crate::template::Static,
        cells: Vec<String>,
        raw: String,
        alone: bool,
        loc: Option<Loc>,
    },
    /// Row labels printed outside their Markdown table, followed by rows of values alone:
    /// paired in printed order when the sums confirm it (`placed`), else left ambiguous.
    Floating {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::many")]
        rows: Vec<crate::template::Static>,
        value_rows: usize,
        placed: bool,
    },
    /// Columns of a summary sheet that name no cell (and no issuer, year or region).
    UnknownColumns {
        headers: Vec<String>,
        loc: Option<Loc>,
    },
    /// A glued digit run that no reading makes consistent, or has too many readings to try.
    Unsplittable {
        table: TableKind,
        #[serde(deserialize_with = "crate::template::interned::one")]
        row: crate::template::Static,
        raw: String,
        loc: Option<Loc>,
        #[serde(deserialize_with = "crate::template::interned::one")]
        reason: crate::template::Static,
    },
}

/// How one table was read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TableRead {
    pub table: TableKind,
    /// `None` when the table was not found.
    pub layout: Option<Layout>,
    pub loc: Option<Loc>,
}

/// One parsed report.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Report {
    pub format: Format,
    #[serde(deserialize_with = "crate::template::interned::one")]
    pub encoding: crate::template::Static,
    pub converted_script: bool,
    pub tables: Vec<TableRead>,
    /// Encoded compactly in answers and cache entries (see `cell_codec`).
    #[serde(with = "super::cell_codec")]
    pub cells: Vec<Cell>,
    pub notes: Vec<Note>,
    /// Issuer, region, year, narrative figures.
    pub meta: Meta,
    /// Set by [`Report::slim`]: the cells the rules across reports read, in the few words
    /// those rules read of them (`cells` is then empty).
    pub kept: Vec<Kept>,
    /// Set by [`Report::slim`]: the counts of the cells it dropped.
    #[serde(skip)]
    pub slimmed: Option<Counts>,
}

/// A cell [`Report::slim`] keeps for the rules across reports, as they read it: which cell
/// (its place in the template's keys), its value when that is a whole number, and where it
/// is printed. A whole [`Cell`] takes 160 bytes and this 40: `ingest` holds some 18 of them
/// for each of 100,000 slim reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    pub key: u16,
    pub number: Option<i64>,
    pub loc: Option<Loc>,
}

/// How many cells a report read, and how many of them are numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub cells: usize,
    pub numbers: usize,
}

impl Report {
    /// Cells read, and numbers among them (also after [`Report::slim`]).
    pub fn counts(&self) -> Counts {
        self.slimmed.unwrap_or_else(|| Counts {
            cells: self.cells.len(),
            numbers: self
                .cells
                .iter()
                .filter(|c| matches!(c.state, CellState::Number(_)))
                .count(),
        })
    }

    /// Drops what only the cell frames and the per-report rules need, once both are done:
    /// keeps of the cells `keep` asks for (those the rules across reports read) what those
    /// rules read ([`Kept`], through [`Report::across_cell`]), and the metadata the reports
    /// frame shows. A streaming batch holds 100,000 slim reports where it could not hold
    /// 100,000 whole ones.
    pub fn slim(&mut self, keep: impl Fn(&Cell) -> bool) {
        let counts = self.counts();
        self.kept = (self.cells.iter().filter(|c| keep(c)))
            .filter_map(|c| {
                // Every extracted cell has a template key, and the template's keys are
                // counted in 16 bits (a test says so).
                let key = crate::template::key_index((c.table, c.row, c.col))?;
                debug_assert!(u16::try_from(key).is_ok(), "{key}");
                Some(Kept {
                    key: u16::try_from(key).ok()?,
                    number: c.whole_number(),
                    loc: c.loc,
                })
            })
            .collect();
        self.cells = Vec::new();
        self.notes = Vec::new();
        self.meta.stated = Vec::new();
        self.meta.all_upheld = Vec::new();
        self.slimmed = Some(counts);
    }

    /// A cell's value as the rules across reports read it (a whole number, else `None`) and
    /// where it is printed, from the report's cells or, once it is slim, from what
    /// [`Report::slim`] kept of them.
    pub fn across_cell(
        &self,
        table: TableKind,
        row: crate::template::Static,
        col: crate::template::Static,
    ) -> Option<(Option<i64>, Option<Loc>)> {
        if let Some(c) = self.cell(table, row, col) {
            return Some((c.whole_number(), c.loc));
        }
        let key = crate::template::key_index((table, row, col))?;
        let k = self.kept.iter().find(|k| usize::from(k.key) == key)?;
        Some((k.number, k.loc))
    }

    pub fn cell(&self, table: TableKind, row: &str, col: &str) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.table == table && c.row == row && c.col == col)
    }

    pub fn layout(&self, table: TableKind) -> Option<Layout> {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .and_then(|t| t.layout)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::TableNotFound { table } => write!(f, "table {} not found", table.key()),
            Note::RowNotFound { table, row } => write!(f, "row {}/{row} not found", table.key()),
            Note::UnknownColumns { headers, .. } => {
                write!(f, "summary columns naming no cell: {}", headers.join(", "))
            }
            Note::ExtraValues {
                table, row, extra, ..
            } => write!(f, "row {}/{row} has extra values {extra:?}", table.key()),
            Note::Ambiguous {
                table,
                row,
                raw,
                candidates,
                ..
            } => write!(
                f,
                "row {}/{row}: digit run {raw} splits {} ways: {}",
                table.key(),
                candidates.len(),
                candidates.join("; ")
            ),
            Note::Unsplittable {
                table,
                row,
                raw,
                reason,
                ..
            } => write!(f, "row {}/{row}: digit run {raw}: {reason}", table.key()),
            Note::Floating {
                table,
                rows,
                value_rows,
                placed,
            } => write!(
                f,
                "{}: labels {} outside the table, {value_rows} rows of values{}",
                table.key(),
                rows.join(", "),
                if *placed {
                    ", paired in order"
                } else {
                    ", left ambiguous"
                }
            ),
            Note::Broken {
                table,
                row,
                rule,
                raw,
                ..
            } => write!(
                f,
                "row {}/{row}: no reading of digit run {raw} satisfies {rule}",
                table.key()
            ),
        }
    }
}
