//! Extraction: a [`Document`] to a [`Report`] of canonical cells.
//!
//! Takes a decoded document, finds the six sections, matches each table's rows to a
//! template by their labels, decides the layout per table from what the table prints, reads
//! every cell's value and state, and recovers digit runs that crawlers glued together using
//! the accounting identities. Never guesses a value and never repairs one: a cell that
//! cannot be read exactly is `ambiguous` (with its candidates) or `unparsed`.

mod glued;
pub(crate) mod meta;
mod sections;
mod stream;
mod summary;
mod table;
pub(crate) mod value;

use crate::source::{Document, Format};
use crate::template::TableKind;

use crate::report::{Cell, CellState, Note, Report, TableRead};
pub(crate) use sections::find_sections;
pub(crate) use stream::Stream;

/// Extracts the three tables of a document.
/// Every report a document holds: one for a report, one per row for a summary sheet (with
/// its sheet row).
pub(crate) fn extract_all(doc: &Document) -> Vec<(Option<u32>, Report)> {
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

pub(crate) fn extract(doc: &Document) -> Report {
    let stream = Stream::new(doc);
    let sections = find_sections(&stream);
    let mut report = Report {
        format: doc.format,
        encoding: doc.encoding,
        converted_script: doc.converted_script,
        tables: Vec::new(),
        // About as many as the template's three tables hold, so the vector is not regrown
        // (and its cells moved) as rows are read.
        cells: Vec::with_capacity(256),
        notes: Vec::new(),
        meta: meta::read_meta(doc, &stream, &sections),
        kept: Vec::new(),
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
