//! Spreadsheets: `.xlsx`, `.xls`, `.ods` (calamine) and `.csv`/`.tsv` (csv). Each sheet
//! becomes one grid table with merged cells as spans, like an HTML table, so extraction treats
//! a workbook laid out like the template exactly as it treats the web page.
//!
//! Layout work, no template words: rows above the first and below the last row holding two
//! or more texts (titles, notes, signatures) become lines, where the title and signature
//! clues look for them; the rows between are one table, without empty rows and without
//! columns where no text starts (a blank spacer column would shift every value).

mod grid;

pub(crate) use grid::blocks;

use std::io::Cursor;

use calamine::{Data, Reader, Sheets};

use super::{
    Block, Document, Format, GridCell, Loc, MAX_TABLE_CELLS, Origin, ReadError, Table, Text,
    decode, file_name,
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
