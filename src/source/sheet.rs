//! Spreadsheets: `.xlsx`, `.xls`, `.ods` (calamine) and `.csv`/`.tsv` (csv). Each sheet
//! becomes one grid table with merged cells as spans, like an HTML table, so extraction treats
//! a workbook laid out like the template exactly as it treats the web page.
//!
//! Layout work, no template words: rows above the first and below the last row holding two
//! or more texts (titles, notes, signatures) become lines, where the title and signature
//! clues look for them; the rows between are one table, without empty rows and without
//! columns where no text starts (a blank spacer column would shift every value).

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};

use super::{
    Block, Document, Format, GridCell, Loc, MAX_TABLE_CELLS, Origin, ReadError, Table, Text,
    decode, file_name, normalize,
};

/// Columns read from a sheet: Excel's own limit is 16,384; reports use a few dozen.
const MAX_SHEET_COLS: usize = 1024;

/// A merged region, inclusive, 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Merge {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
}

/// One sheet as text cells (row-major, rows may be ragged) and its merged regions.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub rows: Vec<Vec<String>>,
    pub merges: Vec<Merge>,
    /// Rows end where their last field was written (CSV keeps trailing empty fields), so a
    /// row's length is its width; workbook rows are padded to the sheet's used range.
    pub explicit_widths: bool,
}

/// A spreadsheet cell as the sheet shows it: integers without `.0`, other numbers to 15
/// significant digits (what Excel displays), text as typed.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

pub(super) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    // Shortest round-trip text, unless it shows float noise beyond Excel's 15 digits.
    let s = format!("{f}");
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits <= 15 {
        return s;
    }
    let mag = f.abs().log10().floor() as i32;
    let decimals = (14 - mag).clamp(0, 15) as usize;
    let t = format!("{f:.decimals$}");
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        t
    }
}

/// Column letters of a 0-based index (0 → A, 26 → AA).
fn col_name(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The name of a sheet cell, `B7`, 0-based in.
pub(crate) fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

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
fn piece_table<'g>(
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
fn numberish(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-' | '%' | ' '))
}

/// One table of a sheet: `rows` and `cols` kept, blank cells between them kept.
#[allow(clippy::too_many_arguments)]
fn table<'g>(
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
            let kept_rows = rows
                .iter()
                .filter(|&&x| x >= r && x < r + rs as usize)
                .count();
            let kept_cols = cols
                .iter()
                .filter(|&&x| x >= c && x < c + cs as usize)
                .count();
            let raw = text_at(r, c).to_owned();
            let (text, conv) = normalize(&raw);
            *converted |= conv;
            table.cells.push(GridCell {
                row: i as u32,
                col: j as u32,
                rowspan: kept_rows.max(1) as u32,
                colspan: kept_cols.max(1) as u32,
                content: Text {
                    text: text.trim().to_owned(),
                    raw,
                    loc: Loc::Sheet {
                        sheet,
                        row: r as u32,
                        col: c as u32,
                    },
                },
            });
        }
    }
    table
}

pub(super) fn document(
    format: Format,
    encoding: &'static str,
    grids: &[Grid],
    origin: &Origin,
) -> Result<Document, ReadError> {
    let mut converted = false;
    let mut blocks = Vec::new();
    for (i, g) in grids.iter().enumerate() {
        blocks.extend(self::blocks(g, i as u32 + 1, &mut converted));
    }
    if blocks.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(Document {
        format,
        encoding,
        converted_script: converted,
        blocks,
        name: file_name(origin),
    })
}

/// Reads a workbook (xlsx, xls, ods) from its bytes; `format` is what sniffing said.
pub(crate) fn read_workbook(
    bytes: &[u8],
    format: Format,
    origin: &Origin,
) -> Result<Document, ReadError> {
    let cursor = Cursor::new(bytes);
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt {
        what: format.key(),
        detail: e.to_string(),
    };
    let mut book: Sheets<Cursor<&[u8]>> = match format {
        Format::Xlsx => {
            Sheets::Xlsx(calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?)
        }
        Format::Xls => {
            Sheets::Xls(calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?)
        }
        Format::Ods => {
            Sheets::Ods(calamine::open_workbook_from_rs(cursor).map_err(|e| corrupt(&e))?)
        }
        other => return Err(ReadError::Unsupported { format: other }),
    };
    let names = book.sheet_names();
    let mut grids = Vec::new();
    let cap = origin.limits.sheet_cells;
    for name in &names {
        let rows = match &mut book {
            // Cells one by one: a sheet's dense range is rows × columns of its used area, and
            // two cells at A1 and XFD1048576 would ask for billions before any check.
            Sheets::Xlsx(x) => {
                let mut reader = x.worksheet_cells_reader(name).map_err(|e| corrupt(&e))?;
                let mut sparse: Vec<((u32, u32), String)> = Vec::new();
                while let Some(cell) = reader.next_cell().map_err(|e| corrupt(&e))? {
                    if matches!(cell.get_value(), calamine::DataRef::Empty) {
                        continue;
                    }
                    if sparse.len() >= cap {
                        return Err(ReadError::TooManyCells {
                            sheet: name.clone(),
                            cells: sparse.len() + 1,
                        });
                    }
                    let value = calamine::Data::from(cell.get_value().clone());
                    sparse.push((cell.get_position(), cell_text(&value)));
                }
                dense(name, &sparse, cap)?
            }
            _ => {
                let range = book.worksheet_range(name).map_err(|e| corrupt(&e))?;
                let (h, w) = range.get_size();
                let (r0, c0) = range.start().unwrap_or((0, 0));
                // Rows are padded from column A, so the offset counts too.
                let area = h.saturating_mul(w.saturating_add(c0 as usize));
                if area > cap {
                    return Err(ReadError::TooManyCells {
                        sheet: name.clone(),
                        cells: area,
                    });
                }
                let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0 as usize];
                for row in range.rows() {
                    let mut cells = vec![String::new(); c0 as usize];
                    cells.extend(row.iter().map(cell_text));
                    rows.push(cells);
                }
                rows
            }
        };
        let merges = match &mut book {
            Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
            // ODS carries no merge information calamine reads: merged anchors stand alone.
            _ => Vec::new(),
        }
        .into_iter()
        .map(|d| Merge {
            r0: d.start.0,
            c0: d.start.1,
            r1: d.end.0,
            c1: d.end.1,
        })
        .collect();
        grids.push(Grid {
            rows,
            merges,
            explicit_widths: false,
        });
    }
    document(format, "binary", &grids, origin)
}

/// A sheet's rows from its cells, laid out as calamine's dense range is: rows before the
/// first used one empty, every used row from column A to the last used column. The area
/// is checked against `cap` before anything is allocated.
fn dense(
    name: &str,
    sparse: &[((u32, u32), String)],
    cap: usize,
) -> Result<Vec<Vec<String>>, ReadError> {
    let Some(r0) = sparse.iter().map(|c| c.0.0).min() else {
        return Ok(Vec::new());
    };
    let r1 = sparse.iter().map(|c| c.0.0).max().unwrap_or(r0);
    let c1 = sparse.iter().map(|c| c.0.1).max().unwrap_or(0);
    let (h, w) = ((r1 - r0) as usize + 1, c1 as usize + 1);
    let area = h.saturating_mul(w).saturating_add(r0 as usize);
    if area > cap {
        return Err(ReadError::TooManyCells {
            sheet: name.to_owned(),
            cells: area,
        });
    }
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); r0 as usize];
    rows.extend((0..h).map(|_| vec![String::new(); w]));
    for ((r, c), text) in sparse {
        rows[*r as usize][*c as usize] = text.clone();
    }
    Ok(rows)
}

/// No cell of a report is longer than this (Excel's own limit): a longer CSV field is an
/// unclosed quote swallowing the rest of the file.
const MAX_CSV_FIELD_CHARS: usize = 32_767;

/// Reads a CSV or TSV file (any encoding the text readers take).
pub(crate) fn read_csv(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let (text, encoding) = decode(bytes);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells = 0usize;
    for rec in reader.records() {
        let rec = rec.map_err(|e| ReadError::Corrupt {
            what: "csv",
            detail: e.to_string(),
        })?;
        if let Some(long) = rec
            .iter()
            .find(|f| f.len() > MAX_CSV_FIELD_CHARS * 4 || f.chars().count() > MAX_CSV_FIELD_CHARS)
        {
            let line = rec.position().map_or(0, |p| p.line());
            return Err(ReadError::Corrupt {
                what: "csv",
                detail: format!(
                    "a field from line {line} is {} characters long (a report's cells hold at most {MAX_CSV_FIELD_CHARS}): an unclosed quote?",
                    long.chars().count()
                ),
            });
        }
        cells += rec.len();
        if cells > origin.limits.sheet_cells {
            return Err(ReadError::TooManyCells {
                sheet: "csv".into(),
                cells,
            });
        }
        rows.push(rec.iter().map(str::to_owned).collect());
    }
    let grid = Grid {
        rows,
        merges: Vec::new(),
        explicit_widths: true,
    };
    document(Format::Csv, encoding, &[grid], origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_the_sheet_shows_them() {
        assert_eq!(cell_text(&Data::Float(3.0)), "3");
        assert_eq!(cell_text(&Data::Float(25.1)), "25.1");
        assert_eq!(cell_text(&Data::Float(24252.311082)), "24252.311082");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Data::Int(447228)), "447228");
        assert_eq!(cell_text(&Data::String(" 12/0 ".into())), " 12/0 ");
    }

    #[test]
    fn cell_names_are_a1() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 1), "B7");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|s| s.to_string()).collect())
                .collect(),
            merges: Vec::new(),
            explicit_widths: false,
        }
    }

    #[test]
    fn titles_become_lines_and_empty_columns_go() {
        let g = grid(&[
            &["示例县2024年政府信息公开工作年度报告", "", "", ""],
            &["", "", "", ""],
            &["信息内容", "", "本年制发件数", "本年废止件数"],
            &["规章", "", "0", "1"],
            &["示例县人民政府", "", "", ""],
        ]);
        let mut conv = false;
        let b = blocks(&g, 1, &mut conv);
        assert_eq!(b.len(), 3);
        let Block::Line(t) = &b[0] else { panic!() };
        assert!(t.text.starts_with("示例县2024年"));
        let Block::Table(t) = &b[1] else { panic!() };
        assert_eq!((t.rows, t.cols), (2, 3), "the empty column B is dropped");
        assert_eq!(t.cells[4].content.text, "0");
        assert_eq!(t.cells[4].content.loc.to_string(), "sheet 1 cell C4");
    }

    #[test]
    fn merged_cells_become_spans() {
        let mut g = grid(&[&["a", "", "b"], &["c", "d", "e"], &["f", "g", "h"]]);
        g.merges.push(Merge {
            r0: 0,
            c0: 0,
            r1: 0,
            c1: 1,
        });
        let mut conv = false;
        let b = blocks(&g, 1, &mut conv);
        let Block::Table(t) = &b[0] else { panic!() };
        assert_eq!(t.cells[0].colspan, 2);
        assert_eq!(t.cells[1].col, 2);
    }
}
