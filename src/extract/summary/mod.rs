//! Summary sheets: the table provinces collect, one row per issuer and one column per cell,
//! with headers written by people (several header rows, synonyms, traditional forms, the
//! canonical keys themselves). Every row becomes one report whose issuer and year come from
//! the row's own columns; columns that name nothing are reported, never dropped silently.
//!
//! A header names a cell when it holds one of the templates' row labels and a column word
//! (the longest of each wins: 行政许可 + 处理决定数 → `disclosure/licensing/decisions`), or is
//! a canonical key (`disclosure.licensing.decisions`, `licensing.decisions`).

mod headers;

use headers::*;

use std::sync::OnceLock;

use crate::report::Raw;
use crate::source::{Block, Document, Loc, Table};
use crate::template::summary::{
    COLUMN_SYNONYMS, HEADER_UNITS, IGNORED_HEADERS, ISSUER_HEADERS, NOTE_PREFIXES, REGION_HEADERS,
    ROW_SYNONYMS, TOTAL_ROWS, YEAR_HEADERS, YEAR_RANGE_MARKS,
};
use crate::template::{CellKind, Layout, REVIEW_GROUP_LABELS, TableKind};

use super::value::{Value, parse};
use crate::report::{Cell, CellState, Note, Report, TableRead};
use crate::report::{Clue, Meta};

/// The text at every grid position of the first `limit` rows of a table (a span repeats its
/// anchor's text).
fn texts(t: &Table, limit: usize) -> Vec<Vec<(String, Option<Loc>)>> {
    let grid = t.grid();
    grid.iter()
        .take(limit)
        .map(|row| {
            row.iter()
                .map(|a| match a {
                    Some(i) => (
                        t.cells[*i].content.text.clone(),
                        Some(t.cells[*i].content.loc),
                    ),
                    None => (String::new(), None),
                })
                .collect()
        })
        .collect()
}

/// The column headers of the first `depth` rows, joined downwards (a merged parent header
/// over 自然人, 商业企业 … names each child).
fn headers(rows: &[Vec<(String, Option<Loc>)>], depth: usize) -> Vec<String> {
    let width = rows.first().map_or(0, Vec::len);
    (0..width)
        .map(|c| {
            let mut parts: Vec<&str> = Vec::new();
            for row in rows.iter().take(depth) {
                let t = row.get(c).map_or("", |x| x.0.as_str());
                if !t.is_empty() && parts.last() != Some(&t) {
                    parts.push(t);
                }
            }
            parts.concat()
        })
        .collect()
}

fn year_of(text: &str) -> Option<i32> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let y: i32 = digits.parse().ok()?;
    (2000..=2099).contains(&y).then_some(y)
}

fn state_of(v: &Value) -> CellState {
    match v {
        Value::Number(d) => CellState::Number(*d),
        Value::Blank => CellState::Blank,
        Value::NotApplicable => CellState::NotApplicable,
        Value::Unparsed => CellState::Unparsed,
    }
}

/// The layout a row's values print for `table`: the one whose own cells hold values, else
/// the template of the report year.
fn layout_for(
    table: TableKind,
    filled: &[(&'static str, &'static str)],
    year: Option<i32>,
) -> Layout {
    let specs = table.specs();
    if specs.len() == 1 {
        return specs[0].layout;
    }
    let only = |l: Layout| {
        filled.iter().any(|&(r, c)| {
            catalog()
                .iter()
                .any(|e| e.table == table && e.row == r && e.col == c && e.layouts == [l])
        })
    };
    if only(Layout::Y2021) {
        Layout::Y2021
    } else if only(Layout::Y2019) {
        Layout::Y2019
    } else if year.is_some_and(|y| y >= crate::template::TEMPLATE_2021_FIRST_YEAR) {
        Layout::Y2021
    } else {
        Layout::Y2019
    }
}

/// Most header rows read above a summary sheet's data (merged parents over their children).
const MAX_HEADER_ROWS: usize = 3;

/// Fewest columns naming cells for a table to count as a summary sheet.
const MIN_CELL_COLUMNS: usize = 2;

/// Whether a sheet row is an issuer's data: a name in the issuer column that is no header
/// word, and a number in some cell.
fn is_data_row(row: &[(String, Option<Loc>)], issuer_col: usize) -> bool {
    let name = row.get(issuer_col).map_or("", |x| x.0.trim());
    let number = |t: &str| {
        let t = t.trim();
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    !name.is_empty() && !is_issuer(name) && row.iter().any(|x| number(&x.0))
}

/// Whether a row is no issuer's report: a total over the issuers (合计), or a note below the
/// table (`注：…`, often one cell merged across the row).
fn is_not_a_report(row: &[(String, Option<Loc>)], issuer: &str) -> bool {
    let merged = row
        .iter()
        .filter(|x| !x.0.trim().is_empty())
        .all(|x| x.0.trim() == issuer);
    let compact: String = issuer.chars().filter(|c| !c.is_whitespace()).collect();
    TOTAL_ROWS.contains(&compact.as_str())
        || NOTE_PREFIXES.iter().any(|p| compact.starts_with(p))
        || merged
}

/// Whether the document's title spans several years (`2022—2024年度…汇总表`): its year is
/// then no row's year.
fn title_spans_years(doc: &Document) -> bool {
    doc.blocks
        .iter()
        .take_while(|b| matches!(b, Block::Line(_)))
        .filter_map(|b| match b {
            Block::Line(t) => Some(t.text.as_str()),
            _ => None,
        })
        .any(|t| {
            let c: Vec<char> = t.chars().collect();
            (0..c.len()).any(|i| {
                let year_at = |j: usize| {
                    j + 4 <= c.len()
                        && c[j..j + 4].iter().all(char::is_ascii_digit)
                        && matches!(c[j..j + 2], ['1', '9'] | ['2', '0'])
                };
                year_at(i)
                    && (i + 4..c.len().min(i + 7))
                        .find(|&j| !c[j].is_whitespace())
                        .is_some_and(|j| {
                            YEAR_RANGE_MARKS.contains(&c[j]) && {
                                let k = (j + 1..c.len()).find(|&k| !c[k].is_whitespace());
                                k.is_some_and(year_at)
                            }
                        })
            })
        })
}

/// The reports of a summary sheet, each with its sheet row (1-based), or `None` when the
/// document holds no summary sheet. `base` is the document's own metadata (a title's year
/// applies to rows without a year column).
pub(super) fn read(doc: &Document, base: &Meta) -> Option<Vec<(u32, Report)>> {
    for block in &doc.blocks {
        let Block::Table(t) = block else { continue };
        // The header rows first: the whole table is copied only for a summary sheet.
        let mut rows = texts(t, MAX_HEADER_ROWS + 1);
        let mut chosen: Option<(usize, Vec<Target>)> = None;
        // Header depth: the one naming the most distinct cells (ties: the deeper, so a
        // merged parent over 自然人 … reads with its children).
        let distinct = |targets: &[Target]| {
            let mut cells: Vec<&Target> = targets
                .iter()
                .filter(|t| matches!(t, Target::Cell(..)))
                .collect();
            cells.sort_by_key(|t| format!("{t:?}"));
            cells.dedup();
            cells.len()
        };
        let mut issuer_col: Option<usize> = None;
        for depth in 1..=MAX_HEADER_ROWS.min(rows.len().saturating_sub(1)) {
            // A row with an issuer's name and numbers is data: no header goes below it.
            if issuer_col.is_some_and(|c| is_data_row(&rows[depth - 1], c)) {
                break;
            }
            let names = headers(&rows, depth);
            issuer_col = names.iter().position(|h| is_issuer(h));
            // No issuer column, no summary sheet: most tables (the templates' own) stop here.
            if issuer_col.is_none() {
                continue;
            }
            let targets: Vec<Target> = names.iter().map(|h| target(h)).collect();
            let cells = distinct(&targets);
            let has_issuer = targets.contains(&Target::Issuer);
            let better = chosen
                .as_ref()
                .is_none_or(|(_, best)| cells >= distinct(best));
            if has_issuer && cells >= MIN_CELL_COLUMNS && better {
                chosen = Some((depth, targets));
            }
        }
        let Some((depth, mut targets)) = chosen else {
            continue;
        };
        // A second column naming the same cell is reported, not read over the first.
        let names = headers(&rows, depth);
        for i in 0..targets.len() {
            if matches!(targets[i], Target::Cell(..)) && targets[..i].contains(&targets[i]) {
                targets[i] = Target::Unknown(format!("{} (重复 duplicate)", names[i].trim()));
            }
        }
        if rows.len() > MAX_HEADER_ROWS {
            rows = texts(t, usize::MAX);
        }
        return Some(reports(doc, &rows, depth, &targets, base));
    }
    None
}

fn reports(
    doc: &Document,
    rows: &[Vec<(String, Option<Loc>)>],
    depth: usize,
    targets: &[Target],
    base: &Meta,
) -> Vec<(u32, Report)> {
    let header_loc = rows.first().and_then(|r| r.iter().find_map(|x| x.1));
    let unknown: Vec<String> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Unknown(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    let col_of = |want: &Target| targets.iter().position(|t| t == want);
    let (issuer_col, year_col, region_col) = (
        col_of(&Target::Issuer),
        col_of(&Target::Year),
        col_of(&Target::Region),
    );
    let title_range = title_spans_years(doc);
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(depth) {
        let text = |c: Option<usize>| c.and_then(|c| row.get(c)).map_or("", |x| x.0.trim());
        let issuer = text(issuer_col);
        // Rows without an issuer, and header rows a merged header repeats into, are no reports.
        if issuer.is_empty() || is_issuer(issuer) || is_not_a_report(row, issuer) {
            continue;
        }
        let mut meta = Meta::default();
        meta.set_issuer(issuer, Clue::SummaryRow);
        if let Some(code) = Some(text(region_col)).filter(|c| !c.is_empty()) {
            meta.set_region(code, Clue::SummaryRow);
        }
        // A row's year is its own 年度 cell's. With no 年度 column the title's year applies,
        // unless the title spans several years; a row whose year cannot be told has none
        // (and a finding), never a guess.
        match (year_col, year_of(text(year_col))) {
            (_, Some(y)) => meta.set_year(y, Clue::SummaryRow),
            (Some(_), None) => {}
            (None, None) => {
                if let (Some(y), Some(c), false) = (base.year, base.year_clue, title_range) {
                    meta.set_year(y, c);
                }
            }
        }
        // Values by table, then the layout each table's values print.
        let mut values: Vec<(TableKind, &'static str, &'static str, &str, Option<Loc>)> =
            Vec::new();
        for (c, t) in targets.iter().enumerate() {
            if let Target::Cell(table, r, col) = t
                && let Some((v, loc)) = row.get(c)
            {
                values.push((*table, r, col, v.as_str(), *loc));
            }
        }
        let loc = row.iter().find_map(|x| x.1);
        let mut report = Report {
            format: doc.format,
            encoding: doc.encoding,
            converted_script: doc.converted_script,
            tables: Vec::new(),
            cells: Vec::new(),
            notes: Vec::new(),
            meta,
            kept: Vec::new(),
            slimmed: None,
        };
        for table in TableKind::ALL {
            let mine: Vec<_> = values.iter().filter(|v| v.0 == table).collect();
            if mine.is_empty() {
                continue;
            }
            let filled: Vec<(&'static str, &'static str)> = mine
                .iter()
                .filter(|v| !v.3.trim().is_empty())
                .map(|v| (v.1, v.2))
                .collect();
            let layout = layout_for(table, &filled, report.meta.year);
            let Some(spec) = table.specs().iter().find(|s| s.layout == layout) else {
                continue;
            };
            report.tables.push(TableRead {
                table,
                layout: Some(layout),
                loc: header_loc,
            });
            for (r, c) in spec.targets() {
                let entry = catalog()
                    .iter()
                    .find(|e| e.table == table && e.row == r && e.col == c);
                let kind = entry.map_or(CellKind::Count, |e| match e.kind {
                    CellKind::Pair(_) => CellKind::Count,
                    k => k,
                });
                let (state, raw, cell_loc) = match mine.iter().find(|v| v.1 == r && v.2 == c) {
                    Some(v) => {
                        let parsed = parse(v.3, kind, false);
                        (
                            parsed.first().map_or(CellState::Unparsed, state_of),
                            Raw::new(v.3),
                            v.4,
                        )
                    }
                    None => (CellState::Missing, Raw::default(), None),
                };
                report.cells.push(Cell {
                    table,
                    row: r,
                    col: c,
                    state,
                    raw,
                    layout,
                    kind,
                    loc: cell_loc,
                });
            }
        }
        if !unknown.is_empty() {
            report.notes.push(Note::UnknownColumns {
                headers: unknown.clone(),
                loc: header_loc,
            });
        }
        // The sheet's own row number where there is one (`-r4` is row 4 of the sheet).
        let number = match loc {
            Some(Loc::Sheet { row, .. }) => row + 1,
            Some(Loc::Line { line, .. }) => line,
            _ => i as u32 + 1,
        };
        out.push((number, report));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_people_write_name_cells() {
        let cell = |h: &str| target(h);
        assert_eq!(
            cell("行政许可处理决定数"),
            Target::Cell(TableKind::Disclosure, "licensing", "decisions")
        );
        assert_eq!(
            cell("许可决定数"),
            Target::Cell(TableKind::Disclosure, "licensing", "decisions")
        );
        assert_eq!(cell("联系电话"), Target::Unknown("联系电话".into()));
        assert_eq!(
            cell("本年新收政府信息公开申请数量自然人"),
            Target::Cell(TableKind::Requests, "new", "natural")
        );
        assert_eq!(
            cell("本年新收（件）"),
            Target::Cell(TableKind::Requests, "new", "total")
        );
        assert_eq!(
            cell("行政复议结果纠正"),
            Target::Cell(TableKind::ReviewLitigation, "review", "corrected")
        );
        assert_eq!(
            cell("disclosure.licensing.decisions"),
            Target::Cell(TableKind::Disclosure, "licensing", "decisions")
        );
        assert_eq!(cell("单位名称"), Target::Issuer);
        assert_eq!(cell("年度"), Target::Year);
        assert_eq!(cell("序号"), Target::Ignored);
    }

    #[test]
    fn years_come_from_text_like_2024年() {
        assert_eq!(year_of("2024年"), Some(2024));
        assert_eq!(year_of("2023年度"), Some(2023));
        assert_eq!(year_of("去年"), None);
    }
}
