//! A sheet's grid to blocks: its tables (merged cells kept as spans) and its other lines.

use super::*;

/// Turns one sheet's grid into blocks (see the module comment). `sheet` is 1-based.
pub(crate) fn blocks(grid: &Grid, sheet: u32, converted: &mut bool) -> Vec<Block> {
    let n_rows = grid.rows.len();
    // Merges may reach past the last cell with a value (a heading over blank columns).
    let n_cols = grid
        .rows
        .iter()
        .map(Vec::len)
        .chain(grid.merges.iter().map(|m| m.c1 as usize + 1))
        .max()
        .unwrap_or(0)
        .min(MAX_SHEET_COLS);
    let text_at = |r: usize, c: usize| {
        grid.rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", |s| s.trim())
    };
    // Positions covered by a merge but not its anchor.
    let mut covered = vec![vec![false; n_cols]; n_rows];
    let mut span = vec![vec![(1u32, 1u32); n_cols]; n_rows];
    for m in &grid.merges {
        let (r0, c0) = (m.r0 as usize, m.c0 as usize);
        if r0 >= n_rows || c0 >= n_cols {
            continue;
        }
        let r1 = (m.r1 as usize).min(n_rows - 1);
        let c1 = (m.c1 as usize).min(n_cols - 1);
        span[r0][c0] = ((r1 - r0 + 1) as u32, (c1 - c0 + 1) as u32);
        for row in covered.iter_mut().take(r1 + 1).skip(r0) {
            for slot in row.iter_mut().take(c1 + 1).skip(c0) {
                *slot = true;
            }
        }
        covered[r0][c0] = false;
    }
    // Anchors (cells where text starts) per row. Rows above the first and below the last
    // row holding two or more texts are lines (titles, notes, signatures); the rows between
    // are one table of the columns where some text starts, so an empty spacer column never
    // shifts a value (a merge spanning it shrinks to the columns kept).
    let anchors: Vec<Vec<usize>> = (0..n_rows)
        .map(|r| {
            (0..n_cols)
                .filter(|&c| !covered[r][c] && !text_at(r, c).is_empty())
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    let line = |r: usize, out: &mut Vec<Block>, converted: &mut bool| {
        for &c in &anchors[r] {
            let loc = Loc::Sheet {
                sheet,
                row: r as u32,
                col: c as u32,
            };
            out.push(Block::Line(Text::read(
                text_at(r, c).to_owned(),
                loc,
                converted,
            )));
        }
    };
    let first = (0..n_rows).find(|&r| anchors[r].len() >= 2);
    let last = (0..n_rows).rev().find(|&r| anchors[r].len() >= 2);
    let (Some(first), Some(last)) = (first, last) else {
        for r in 0..n_rows {
            line(r, &mut out, converted);
        }
        return out;
    };
    for r in 0..first {
        line(r, &mut out, converted);
    }
    // Tables break at headings: a lone text merged across columns, or a lone text next to an
    // empty row (the way tables are separated on a sheet). A heading is a line; each piece
    // between headings is a table with its own columns and width, as on a web page.
    let lone = |r: usize| anchors[r].len() == 1;
    let heading = |r: usize| {
        lone(r)
            && (span[r][anchors[r][0]].1 > 1
                || (r > 0 && anchors[r - 1].is_empty())
                || anchors.get(r + 1).is_some_and(Vec::is_empty))
    };
    let mut piece: Vec<usize> = Vec::new();
    // The last column the latest heading is merged across: the width of the table below it
    // (a spreadsheet shows no trailing blank cell otherwise).
    let merged_width = |r: usize| {
        let c = anchors[r][0];
        let w = span[r][c].1 as usize;
        (w > 1).then_some(c + w - 1)
    };
    let mut width: Option<usize> = (0..first).rev().filter(|&r| lone(r)).find_map(merged_width);
    for r in first..=last + 1 {
        if r <= last && !anchors[r].is_empty() && !heading(r) {
            piece.push(r);
            continue;
        }
        if !piece.is_empty() {
            let rows = std::mem::take(&mut piece);
            // A CSV row's own length counts like a heading's width.
            let own = grid
                .explicit_widths
                .then(|| {
                    rows.iter()
                        .map(|&r| grid.rows[r].len().saturating_sub(1))
                        .max()
                })
                .flatten();
            let w = match (width, own) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            let t = piece_table(
                &rows, w, &anchors, &covered, &span, &text_at, sheet, converted,
            );
            out.push(Block::Table(t));
        }
        if r <= last && heading(r) {
            width = merged_width(r);
            line(r, &mut out, converted);
        }
    }
    for r in last + 1..n_rows {
        line(r, &mut out, converted);
    }
    out
}

/// A table of consecutive sheet rows: which columns it keeps and how far each row reaches.
#[allow(clippy::too_many_arguments)]
pub(super) fn piece_table<'g>(
    rows: &[usize],
    width: Option<usize>,
    anchors: &[Vec<usize>],
    covered: &[Vec<bool>],
    span: &[Vec<(u32, u32)>],
    text_at: &dyn Fn(usize, usize) -> &'g str,
    sheet: u32,
    converted: &mut bool,
) -> Table {
    // Columns: every one with a text, and the empty ones among the values (a column left
    // blank in the one row that reaches it is a blank cell). Only empty columns before the
    // values start (a spacer after the labels), or after them all, go.
    let label = |r: usize| {
        anchors[r]
            .first()
            .is_some_and(|&c| !numberish(text_at(r, c)))
    };
    let values_from = rows
        .iter()
        .filter_map(|&r| {
            if label(r) {
                anchors[r].get(1).copied()
            } else {
                anchors[r].first().copied()
            }
        })
        .min()
        .unwrap_or(0);
    let values_to = rows
        .iter()
        .filter_map(|&r| anchors[r].last().copied())
        .max()
        .unwrap_or(0);
    let values_to = values_to.max(width.unwrap_or(0));
    let mut cols: Vec<usize> = rows
        .iter()
        .flat_map(|&r| anchors[r].iter().copied())
        .collect();
    cols.extend(values_from..=values_to);
    cols.sort_unstable();
    cols.dedup();
    // How far each row reaches (index into `cols`). Rows that start in the label column
    // reach as far as the widest of them, so a blank 总计 column or a label whose values are
    // all blank keeps its blank cells; other rows (headers, table 四's unlabelled row) end at
    // their last text.
    let idx = |c: usize| cols.iter().position(|&x| x == c).unwrap_or_default();
    let extent: Vec<usize> = rows
        .iter()
        .map(|&r| anchors[r].last().map_or(0, |&c| idx(c)))
        .collect();
    // A label is text in the first column that is not a number (table 四's row has none).
    let starts_with_label = |i: usize| {
        let r = rows[i];
        anchors[r].first() == cols.first()
            && anchors[r]
                .first()
                .is_some_and(|&c| !numberish(text_at(r, c)))
    };
    // Only a table whose rows print label and values has a label column.
    let has_labels = (0..rows.len()).any(|i| starts_with_label(i) && anchors[rows[i]].len() >= 2);
    let labelled = |i: usize| has_labels && starts_with_label(i);
    let widest = (0..rows.len())
        .filter(|&i| labelled(i) && anchors[rows[i]].len() >= 2)
        .map(|i| extent[i])
        .max()
        .unwrap_or(0);
    // Rows of values (labelled, or holding a number) reach the heading's width too.
    let full = width.map_or(0, idx);
    let values = |i: usize| {
        labelled(i)
            || anchors[rows[i]]
                .iter()
                .any(|&c| numberish(text_at(rows[i], c)))
    };
    let reach: Vec<usize> = (0..rows.len())
        .map(|i| {
            let own = if labelled(i) {
                widest.max(extent[i])
            } else {
                extent[i]
            };
            if values(i) { own.max(full) } else { own }
        })
        .collect();
    table(
        rows, &cols, &reach, covered, span, text_at, sheet, converted,
    )
}

/// Digits and the marks numbers are printed with: not a row label.
pub(super) fn numberish(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-' | '%' | ' '))
}

/// One table of a sheet: `rows` and `cols` kept, blank cells between them kept.
#[allow(clippy::too_many_arguments)]
pub(super) fn table<'g>(
    rows: &[usize],
    cols: &[usize],
    reach: &[usize],
    covered: &[Vec<bool>],
    span: &[Vec<(u32, u32)>],
    text_at: &dyn Fn(usize, usize) -> &'g str,
    sheet: u32,
    converted: &mut bool,
) -> Table {
    let mut table = Table {
        cells: Vec::new(),
        rows: rows.len() as u32,
        cols: cols.len() as u32,
    };
    for (i, &r) in rows.iter().enumerate() {
        // A row starts at its first text: blank cells before it are the label column of a
        // row printed without a label (table 四), not cells of the row.
        let start = cols
            .iter()
            .position(|&c| !covered[r][c] && !text_at(r, c).is_empty())
            .unwrap_or(cols.len());
        for (j, &c) in cols.iter().enumerate().take(reach[i] + 1).skip(start) {
            if covered[r][c] || table.cells.len() >= MAX_TABLE_CELLS {
                continue;
            }
            let (rs, cs) = span[r][c];
            let loc = Loc::Sheet {
                sheet,
                row: r as u32,
                col: c as u32,
            };
            table.cells.push(GridCell {
                row: i as u32,
                col: j as u32,
                rowspan: kept(rows, r, rs).max(1) as u32,
                colspan: kept(cols, c, cs).max(1) as u32,
                content: Text::read(text_at(r, c).to_owned(), loc, converted),
            });
        }
    }
    table
}

/// How many of the kept rows (or columns) a span of `n` from `at` covers. `kept` ascends
/// (rows in sheet order; columns sorted and deduplicated): two binary searches instead of a
/// pass over every kept row for every cell.
fn kept(kept: &[usize], at: usize, n: u32) -> usize {
    debug_assert!(
        kept.is_sorted(),
        "kept rows or columns out of order: {kept:?}"
    );
    kept.partition_point(|&x| x < at + n as usize) - kept.partition_point(|&x| x < at)
}
