//! Extraction: a [`Document`] to a [`Report`] of canonical cells.
//!
//! Takes a decoded document, finds the six sections, matches each table's rows to a
//! template by their labels, decides the layout per table from what the table prints, reads
//! every cell's value and state, and recovers digit runs that crawlers glued together using
//! the accounting identities. Never guesses a value and never repairs one: a cell that
//! cannot be read exactly is `ambiguous` (with its candidates) or `unparsed`.

mod glued;
pub mod meta;
mod sections;
mod stream;
mod summary;
mod table;
pub mod value;

use std::fmt;

use crate::source::{Document, Format, Loc};
use crate::template::{CellKind, Layout, TableKind};

pub use meta::{Clue, Meta};
pub use sections::find_sections;
pub use stream::Stream;
pub use value::Dec;

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
    #[serde(deserialize_with = "crate::cache::interned::one")]
    pub row: crate::cache::Static,
    #[serde(deserialize_with = "crate::cache::interned::one")]
    pub col: crate::cache::Static,
    pub state: CellState,
    /// The text as printed: the cell, or the whole glued run a value was cut from.
    pub raw: String,
    pub layout: Layout,
    /// What the cell holds: a count or money (one half of a 增/减 pair is a count).
    pub kind: CellKind,
    pub loc: Option<Loc>,
}

impl Cell {
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
        #[serde(deserialize_with = "crate::cache::interned::one")]
        row: crate::cache::Static,
    },
    /// More values than the row has cells; the first ones were used.
    ExtraValues {
        table: TableKind,
        #[serde(deserialize_with = "crate::cache::interned::one")]
        row: crate::cache::Static,
        extra: Vec<String>,
        loc: Option<Loc>,
    },
    /// A glued digit run with several readings that satisfy every identity.
    Ambiguous {
        table: TableKind,
        #[serde(deserialize_with = "crate::cache::interned::one")]
        row: crate::cache::Static,
        raw: String,
        candidates: Vec<String>,
        loc: Option<Loc>,
    },
    /// A glued run with no reading that satisfies all of its row's identities, read under
    /// the others: `rule` (over `cells`) is broken by the source, or, when not `alone`, one
    /// of several such identities is.
    Broken {
        table: TableKind,
        #[serde(deserialize_with = "crate::cache::interned::one")]
        row: crate::cache::Static,
        #[serde(deserialize_with = "crate::cache::interned::one")]
        rule: crate::cache::Static,
        cells: Vec<String>,
        raw: String,
        alone: bool,
        loc: Option<Loc>,
    },
    /// Row labels printed outside their Markdown table, followed by rows of values alone:
    /// paired in printed order when the sums confirm it (`placed`), else left ambiguous.
    Floating {
        table: TableKind,
        #[serde(deserialize_with = "crate::cache::interned::many")]
        rows: Vec<crate::cache::Static>,
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
        #[serde(deserialize_with = "crate::cache::interned::one")]
        row: crate::cache::Static,
        raw: String,
        loc: Option<Loc>,
        #[serde(deserialize_with = "crate::cache::interned::one")]
        reason: crate::cache::Static,
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
    #[serde(deserialize_with = "crate::cache::interned::one")]
    pub encoding: crate::cache::Static,
    pub converted_script: bool,
    pub tables: Vec<TableRead>,
    pub cells: Vec<Cell>,
    pub notes: Vec<Note>,
    /// Issuer, region, year, narrative figures.
    pub meta: Meta,
    /// Set by [`Report::slim`]: the counts of the cells it dropped.
    #[serde(skip)]
    pub slimmed: Option<Counts>,
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
    /// keeps the cells `keep` asks for (those the rules across reports read), without their
    /// printed text, and the metadata the reports frame shows. A streaming batch holds
    /// 100,000 slim reports where it could not hold 100,000 whole ones.
    pub fn slim(&mut self, keep: impl Fn(&Cell) -> bool) {
        let counts = self.counts();
        self.cells.retain(|c| keep(c));
        for c in &mut self.cells {
            c.raw = String::new();
        }
        self.cells.shrink_to_fit();
        self.notes = Vec::new();
        self.meta.stated = Vec::new();
        self.meta.all_upheld = Vec::new();
        self.slimmed = Some(counts);
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

/// Extracts the three tables of a document.
/// Every report a document holds: one for a report, one per row for a summary sheet (with
/// its sheet row).
pub fn extract_all(doc: &Document) -> Vec<(Option<u32>, Report)> {
    if doc
        .blocks
        .iter()
        .any(|b| matches!(b, crate::source::Block::Table(_)))
        && matches!(
            doc.format,
            Format::Xlsx | Format::Xls | Format::Ods | Format::Csv
        )
    {
        let stream = Stream::new(doc);
        let sections = find_sections(&stream);
        let base = meta::read_meta(doc, &stream, &sections);
        if let Some(rows) = summary::read(doc, &base) {
            return rows.into_iter().map(|(r, rep)| (Some(r), rep)).collect();
        }
    }
    vec![(None, extract(doc))]
}

pub fn extract(doc: &Document) -> Report {
    let stream = Stream::new(doc);
    let sections = find_sections(&stream);
    let mut report = Report {
        format: doc.format,
        encoding: doc.encoding,
        converted_script: doc.converted_script,
        tables: Vec::new(),
        cells: Vec::new(),
        notes: Vec::new(),
        meta: meta::read_meta(doc, &stream, &sections),
        slimmed: None,
    };
    let mut floor = 0;
    for kind in TableKind::ALL {
        let (start, end) = sections.region(kind.section(), floor, stream.len());
        let read = table::read_table(&stream, kind, start, end, &mut report);
        if let Some(e) = read {
            floor = e;
        }
    }
    inherit_review_layout(&mut report);
    report
}

/// Table 四 is printed the same in both templates, so it carries the template era of the
/// report's other tables (requests first, as the closer neighbour), or 2019 alone.
fn inherit_review_layout(report: &mut Report) {
    let era = report
        .layout(TableKind::Requests)
        .or_else(|| report.layout(TableKind::Disclosure));
    let Some(era) = era else { return };
    for t in &mut report.tables {
        if t.table == TableKind::ReviewLitigation && t.layout.is_some() {
            t.layout = Some(era);
        }
    }
    for c in &mut report.cells {
        if c.table == TableKind::ReviewLitigation {
            c.layout = era;
        }
    }
}

#[cfg(test)]
mod tests;
