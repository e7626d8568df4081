//! OpenDocument spreadsheets (`.ods`), read from `content.xml` directly: calamine's ODS reader
//! drops merged cells, and a merged heading is what gives a table its width (see
//! [`super::sheet`]). Repeated rows and cells (LibreOffice pads rows to 1,024 columns and
//! sheets to a million rows that way) are expanded only where they hold text.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::sheet::{Grid, Merge, document, float_text};
use super::{Document, Format, Origin, ReadError, container};

/// Rows or columns a repeat may expand to when it holds text.
const MAX_REPEAT: u32 = 1024;

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

fn number(e: &BytesStart<'_>, local: &str) -> u32 {
    count(attr(e, local).as_deref())
}

/// A repeat or span count as written (1 when absent, unreadable or 0).
fn count(v: Option<&str>) -> u32 {
    v.and_then(|v| v.parse().ok()).unwrap_or(1).max(1)
}

#[derive(Default)]
struct Cell {
    text: String,
    value: Option<String>,
    repeat: u32,
    span: (u32, u32),
}

impl Cell {
    /// A cell from its element's attributes (value, repeats, spans), in one pass over them
    /// (a pass per attribute was a third of reading an ODS file); the first of a name counts.
    fn from(e: &BytesStart<'_>) -> Cell {
        let [mut value, mut repeat, mut rows, mut cols] = [None, None, None, None];
        for a in e.attributes().flatten() {
            let slot = match a.key.local_name().as_ref() {
                "value" => &mut value,
                "number-columns-repeated" => &mut repeat,
                "number-rows-spanned" => &mut rows,
                "number-columns-spanned" => &mut cols,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(a.value.into_owned());
            }
        }
        Cell {
            text: String::new(),
            value,
            repeat: count(repeat.as_deref()),
            span: (count(rows.as_deref()), count(cols.as_deref())),
        }
    }
}

pub(super) fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let xml = container::zip_entry(bytes, "content.xml", origin.limits.unzipped_bytes)?;
    let mut reader = Reader::from_reader(xml.as_slice());
    let corrupt = |e: &dyn std::fmt::Display| ReadError::Corrupt {
        what: "ods",
        detail: e.to_string(),
    };
    let mut grids: Vec<Grid> = Vec::new();
    let mut grid = Grid::default();
    let mut row: Vec<String> = Vec::new();
    let mut row_repeat = 1;
    let mut cell: Option<Cell> = None;
    let mut in_text = 0usize;
    let mut cells = 0usize;
    let end_cell = |cell: Cell, row: &mut Vec<String>, grid: &mut Grid, cells: &mut usize| {
        let text = match (&cell.value, cell.text.trim().is_empty()) {
            (Some(v), _) => v.parse::<f64>().map_or_else(|_| v.clone(), float_text),
            (None, _) => cell.text.clone(),
        };
        let repeat = if text.is_empty() {
            cell.repeat
        } else {
            cell.repeat.min(MAX_REPEAT)
        };
        let r = grid.rows.len() as u32;
        for _ in 0..repeat.min(MAX_REPEAT) {
            let c = row.len() as u32;
            if cell.span.0 > 1 || cell.span.1 > 1 {
                grid.merges.push(Merge {
                    r0: r,
                    c0: c,
                    r1: r + cell.span.0 - 1,
                    c1: c + cell.span.1 - 1,
                });
            }
            row.push(text.clone());
            *cells += 1;
        }
    };
    loop {
        let ev = reader.read_event().map_err(|e| corrupt(&e))?;
        match ev {
            Event::Start(e) | Event::Empty(e) if cells > origin.limits.sheet_cells => {
                let _ = e;
                return Err(ReadError::TooManyCells {
                    sheet: format!("{}", grids.len() + 1),
                    cells,
                });
            }
            Event::Start(e) => match e.local_name().as_ref() {
                "table" => grid = Grid::default(),
                "table-row" => {
                    row = Vec::new();
                    row_repeat = number(&e, "number-rows-repeated");
                }
                "table-cell" | "covered-table-cell" => cell = Some(Cell::from(&e)),
                "p" => in_text += 1,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "table-cell" | "covered-table-cell" => {
                    end_cell(Cell::from(&e), &mut row, &mut grid, &mut cells);
                }
                "s" | "tab" | "line-break" => {
                    if let Some(c) = &mut cell {
                        c.text.push(' ');
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text > 0 => {
                if let Some(c) = &mut cell {
                    c.text.push_str(t.as_ref());
                }
            }
            Event::GeneralRef(r) if in_text > 0 => {
                let ch = r.resolve_char_ref().ok().flatten().or(match r.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => None,
                });
                if let (Some(c), Some(ch)) = (&mut cell, ch) {
                    c.text.push(ch);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "p" => in_text = in_text.saturating_sub(1),
                "table-cell" | "covered-table-cell" => {
                    if let Some(c) = cell.take() {
                        end_cell(c, &mut row, &mut grid, &mut cells);
                    }
                }
                "table-row" => {
                    // Trailing empty cells say nothing; empty repeated rows only count.
                    while row.last().is_some_and(String::is_empty) {
                        row.pop();
                    }
                    let repeat = if row.is_empty() {
                        row_repeat.min(1)
                    } else {
                        row_repeat.min(MAX_REPEAT)
                    };
                    // Repeated rows are cells too: counted against the cap before they
                    // are copied (a wide row repeated a thousand times is a bomb).
                    cells = cells.saturating_add(
                        row.len().saturating_mul(repeat.saturating_sub(1) as usize),
                    );
                    if cells > origin.limits.sheet_cells {
                        return Err(ReadError::TooManyCells {
                            sheet: format!("{}", grids.len() + 1),
                            cells,
                        });
                    }
                    for _ in 0..repeat {
                        grid.rows.push(row.clone());
                    }
                }
                "table" => {
                    while grid.rows.last().is_some_and(Vec::is_empty) {
                        grid.rows.pop();
                    }
                    grids.push(std::mem::take(&mut grid));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    document(Format::Ods, "binary", &grids, origin)
}
