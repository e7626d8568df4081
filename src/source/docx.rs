//! Word `.docx`: paragraphs and tables straight from `word/document.xml` (quick-xml), merged
//! cells from `w:gridSpan` (columns) and `w:vMerge` (rows) into the same grid spans an HTML
//! table gives. Only `w:t` text counts: field codes and deleted revisions are not the report.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{
    Block, Document, Format, GridCell, Loc, MAX_HTML_DEPTH, MAX_TABLE_CELLS, Origin, ReadError,
    Table, Text, container, file_name, push_para,
};

/// Spans larger than this are clamped, as in HTML.
const MAX_SPAN: u32 = 1000;

fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.into_owned())
}

#[derive(Default)]
struct Cell {
    col: u32,
    colspan: u32,
    /// `Some(true)`: starts a vertical merge; `Some(false)`: continues the one above.
    vmerge: Option<bool>,
    text: String,
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    converted: bool,
    paras: u32,
    tables: u32,
    /// Text of the paragraph being read (outside tables).
    para: String,
    /// Nesting of `w:tbl`: only the outermost table is a grid; inner ones are cell text.
    depth: usize,
    table: Table,
    row: u32,
    col: u32,
    cell: Option<Cell>,
    in_text: bool,
    /// Grid positions a table may span (rows × columns), and the table that went past it.
    max_grid: usize,
    too_large: Option<(u32, usize)>,
}

impl Builder {
    fn text(&mut self, s: &str) {
        if let Some(c) = &mut self.cell {
            c.text.push_str(s);
        } else if self.depth == 0 {
            self.para.push_str(s);
        }
    }

    fn end_para(&mut self) {
        if self.depth > 0 {
            return;
        }
        let raw = std::mem::take(&mut self.para).trim().to_owned();
        push_para(&mut self.blocks, &mut self.paras, raw, &mut self.converted);
    }

    fn end_cell(&mut self) {
        let Some(c) = self.cell.take() else { return };
        let colspan = c.colspan.clamp(1, MAX_SPAN);
        self.col = c.col + colspan;
        if c.vmerge == Some(false) {
            // Continues the cell above in this column: grow its row span.
            if let Some(anchor) = self
                .table
                .cells
                .iter_mut()
                .rev()
                .find(|a| a.col == c.col && a.row + a.rowspan == self.row)
            {
                anchor.rowspan = (anchor.rowspan + 1).min(MAX_SPAN);
                return;
            }
        }
        if self.table.cells.len() >= MAX_TABLE_CELLS {
            return;
        }
        let loc = Loc::Cell {
            table: self.tables,
            row: self.row + 1,
            col: c.col + 1,
        };
        let content = Text::read(c.text.trim().to_owned(), loc, &mut self.converted);
        self.table.cells.push(GridCell {
            row: self.row,
            col: c.col,
            rowspan: 1,
            colspan,
            content,
        });
        self.table.cols = self.table.cols.max(c.col + colspan);
        // Checked as the grid grows: many wide gridSpans fill gigabytes once laid out.
        let area = (self.row as usize + 1).saturating_mul(self.table.cols as usize);
        if area > self.max_grid {
            self.too_large = Some((self.tables, area));
        }
    }

    fn end_table(&mut self) {
        let mut t = std::mem::take(&mut self.table);
        t.rows = self.row;
        if !t.cells.is_empty() {
            self.blocks.push(Block::Table(t));
        }
        self.row = 0;
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        match e.local_name().as_ref() {
            "tbl" if !empty => {
                self.depth += 1;
                if self.depth == 1 {
                    self.end_para();
                    self.tables += 1;
                    self.table = Table::default();
                    self.row = 0;
                }
            }
            "tr" if self.depth == 1 && !empty => self.col = 0,
            "gridBefore" if self.depth == 1 => {
                self.col += val(e)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0u32)
                    .min(MAX_SPAN);
            }
            "tc" if self.depth == 1 && !empty => {
                self.cell = Some(Cell {
                    col: self.col,
                    colspan: 1,
                    ..Cell::default()
                });
            }
            "gridSpan" if self.depth == 1 => {
                if let Some(c) = &mut self.cell {
                    c.colspan = val(e).and_then(|v| v.parse().ok()).unwrap_or(1);
                }
            }
            "vMerge" if self.depth == 1 => {
                if let Some(c) = &mut self.cell {
                    c.vmerge = Some(val(e).as_deref() == Some("restart"));
                }
            }
            "t" if !empty => self.in_text = true,
            "tab" | "br" => self.text(" "),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "p" => self.end_para(),
            "tc" if self.depth == 1 => self.end_cell(),
            "tr" if self.depth == 1 => self.row += 1,
            "tbl" => {
                if self.depth == 1 {
                    self.end_table();
                }
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
    }
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Reads `word/document.xml` of a docx (the container already checked).
pub(super) fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let xml = container::zip_entry(bytes, "word/document.xml", origin.limits.unzipped_bytes)?;
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut b = Builder {
        max_grid: origin.limits.sheet_cells,
        ..Builder::default()
    };
    let mut open = 0usize;
    loop {
        if let Some((table, cells)) = b.too_large {
            return Err(ReadError::TooManyCells {
                sheet: format!("Word table {table}"),
                cells,
            });
        }
        let ev = reader.read_event().map_err(|e| ReadError::Corrupt {
            what: "docx",
            detail: e.to_string(),
        })?;
        match ev {
            Event::Start(e) => {
                open += 1;
                if open > MAX_HTML_DEPTH * 4 {
                    return Err(ReadError::Corrupt {
                        what: "docx",
                        detail: "XML nested too deeply".into(),
                    });
                }
                b.start(&e, false);
            }
            Event::Empty(e) => b.start(&e, true),
            Event::End(e) => {
                open = open.saturating_sub(1);
                b.end(e.local_name().as_ref());
            }
            Event::Text(t) if b.in_text => b.text(t.as_ref()),
            Event::GeneralRef(r) if b.in_text => {
                let c = r
                    .resolve_char_ref()
                    .ok()
                    .flatten()
                    .or_else(|| entity(r.as_ref()));
                if let Some(c) = c {
                    b.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    b.end_para();
    if b.blocks.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(Document {
        format: Format::Docx,
        encoding: "UTF-8",
        converted_script: b.converted,
        blocks: b.blocks,
        name: file_name(origin),
    })
}
