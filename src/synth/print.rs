//! Reports laid out the way they are printed to PDF: the official tables as a ruled grid with
//! merged header cells, group labels spanning their rows, the 法人 columns under one heading,
//! blank cells left empty, narrow number columns. Two producers: an HTML page for a browser's
//! print-to-PDF, and a `.docx` for a word processor's export. `tests/fixtures/pdf/make.sh`
//! turns them into the PDF fixtures; the labels come from the template, like every shape's.

use super::office;
use super::render::PrintedTable;
use crate::template::{
    self, CellKind, PrintedCell, TableKind, TableSpec, col_label, request_columns,
};

/// One anchor cell of a printed grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub row: usize,
    pub col: usize,
    pub rowspan: usize,
    pub colspan: usize,
    pub text: String,
    /// A number column's cell (printed narrow, right-aligned).
    pub number: bool,
}

/// A table as printed: anchors in row-major order over `rows × cols` grid positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    pub heading: String,
    pub rows: usize,
    pub cols: usize,
    pub cells: Vec<Anchor>,
}

impl Grid {
    fn put(&mut self, row: usize, col: usize, rowspan: usize, colspan: usize, text: &str) {
        self.cells.push(Anchor {
            row,
            col,
            rowspan,
            colspan,
            text: text.to_owned(),
            number: false,
        });
        self.rows = self.rows.max(row + rowspan);
        self.cols = self.cols.max(col + colspan);
    }

    fn put_number(&mut self, row: usize, col: usize, colspan: usize, text: &str) {
        self.put(row, col, 1, colspan, text);
        if let Some(a) = self.cells.last_mut() {
            a.number = true;
        }
    }
}

/// How a printed cell's column is headed (`本年增/减` for a pair).
fn cell_heading(pc: &PrintedCell) -> String {
    match pc.kind {
        CellKind::Pair(second) => {
            let (a, b) = (col_label(pc.col), col_label(second));
            let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
            format!("{a}/{}", b.chars().skip(common).collect::<String>())
        }
        _ => col_label(pc.col).to_owned(),
    }
}

/// Table 二: the disclosure items, a header row before each run of rows with the same cells,
/// the last cell of a shorter row spanning to the right edge.
fn disclosure(spec: &TableSpec, t: &PrintedTable) -> Grid {
    let mut g = Grid {
        heading: t.heading.clone(),
        ..Grid::default()
    };
    let cols = 1 + spec.rows.iter().map(|r| r.cells.len()).max().unwrap_or(1);
    let mut last: Option<&[PrintedCell]> = None;
    let mut r = 0;
    for (row, (label, cells)) in spec.rows.iter().zip(&t.rows) {
        if last != Some(row.cells) {
            g.put(r, 0, 1, 1, template::ITEM_HEADING);
            for (i, pc) in row.cells.iter().enumerate() {
                let span = if i + 1 == row.cells.len() {
                    cols - 1 - i
                } else {
                    1
                };
                g.put(r, 1 + i, 1, span, &cell_heading(pc));
            }
            r += 1;
            last = Some(row.cells);
        }
        g.put(r, 0, 1, 1, label);
        for (i, text) in cells.iter().enumerate() {
            let span = if i + 1 == cells.len() {
                cols - 1 - i
            } else {
                1
            };
            g.put_number(r, 1 + i, span, text);
        }
        r += 1;
    }
    g
}

/// Table 三: the applicant header over three rows, group labels (（三）不予公开) spanning
/// their numbered rows in a first label column.
fn requests(spec: &TableSpec, t: &PrintedTable) -> Grid {
    let mut g = Grid {
        heading: t.heading.clone(),
        ..Grid::default()
    };
    let cols: Vec<&str> = request_columns().collect();
    let n = cols.len();
    let orgs = n - 2;
    g.put(0, 0, 3, 2, "");
    g.put(0, 2, 1, n, template::APPLICANT_HEADING);
    g.put(1, 2, 2, 1, col_label(cols[0]));
    g.put(1, 3, 1, orgs, template::ORGANISATIONS_HEADING);
    g.put(1, 2 + n - 1, 2, 1, col_label(cols[n - 1]));
    for (i, c) in cols[1..n - 1].iter().enumerate() {
        g.put(2, 3 + i, 1, 1, col_label(c));
    }
    let mut printed = t.rows.iter();
    let mut r = 3;
    let mut rows = spec.rows.iter().peekable();
    while let Some(row) = rows.next() {
        if row.group {
            let children = spec
                .rows
                .iter()
                .skip_while(|x| x.key != row.key)
                .skip(1)
                .take_while(|x| x.ordinal.is_some())
                .count();
            g.put(r, 0, children.max(1), 1, &super::render::label(row));
            for _ in 0..children {
                let child = rows.next();
                let Some((label, cells)) = printed.next() else {
                    break;
                };
                debug_assert!(child.is_some());
                g.put(r, 1, 1, 1, label);
                for (i, text) in cells.iter().enumerate() {
                    g.put_number(r, 2 + i, 1, text);
                }
                r += 1;
            }
            continue;
        }
        let Some((label, cells)) = printed.next() else {
            break;
        };
        g.put(r, 0, 1, 2, label);
        for (i, text) in cells.iter().enumerate() {
            g.put_number(r, 2 + i, 1, text);
        }
        r += 1;
    }
    g
}

/// Table 四: 行政复议 and 行政诉讼 over their groups, the results, then one row of numbers.
fn review(t: &PrintedTable) -> Grid {
    let mut g = Grid {
        heading: t.heading.clone(),
        ..Grid::default()
    };
    let results = template::REVIEW_RESULTS;
    let k = results.len();
    let group = |key: &'static str| -> &'static str {
        template::REVIEW_GROUP_LABELS
            .iter()
            .find(|(g, _)| *g == key)
            .map_or(key, |(_, l)| l)
    };
    let groups = template::REVIEW_GROUPS;
    g.put(0, 0, 1, k, group(groups[0]));
    g.put(0, k, 1, k * (groups.len() - 1), template::SUITS_HEADING);
    for (i, r) in results.iter().enumerate() {
        g.put(1, i, 2, 1, col_label(r));
    }
    for (j, key) in groups[1..].iter().enumerate() {
        g.put(1, k * (j + 1), 1, k, group(key));
        for (i, r) in results.iter().enumerate() {
            g.put(2, k * (j + 1) + i, 1, 1, col_label(r));
        }
    }
    if let Some((_, cells)) = t.rows.first() {
        for (i, text) in cells.iter().enumerate() {
            g.put_number(3, i, 1, text);
        }
    }
    g
}

/// The printed grids of a report's tables.
pub fn grids(tables: &[PrintedTable]) -> Vec<Grid> {
    tables
        .iter()
        .map(|t| {
            let spec = super::spec_for(t.kind, t.layout);
            match t.kind {
                TableKind::Disclosure => disclosure(spec, t),
                TableKind::Requests => requests(spec, t),
                TableKind::ReviewLitigation => review(t),
            }
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An HTML page as a browser prints it: A4, ruled collapsed borders, narrow number columns
/// in which long numbers break (`word-break: break-all`, as some sites set).
pub fn html(grids: &[Grid], before: &[String], after: &[String]) -> String {
    let mut s = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>\
@page{size:A4;margin:18mm}body{font-size:10.5pt}\
table{border-collapse:collapse;margin:6pt 0}\
td{border:0.75pt solid #000;padding:1pt 2pt;vertical-align:middle}\
td.n{width:20pt;text-align:center;word-break:break-all}\
td.l{max-width:150pt}\
</style></head><body>",
    );
    for p in before {
        s += &format!("<p>{}</p>", escape(p));
    }
    for g in grids {
        s += &format!("<p>{}</p><table>", escape(&g.heading));
        for r in 0..g.rows {
            s += "<tr>";
            for a in g.cells.iter().filter(|a| a.row == r) {
                let class = if a.number { "n" } else { "l" };
                s += &format!("<td class=\"{class}\"");
                if a.rowspan > 1 {
                    s += &format!(" rowspan=\"{}\"", a.rowspan);
                }
                if a.colspan > 1 {
                    s += &format!(" colspan=\"{}\"", a.colspan);
                }
                s += &format!(">{}</td>", escape(&a.text));
            }
            s += "</tr>";
        }
        s += "</table>";
    }
    for p in after {
        s += &format!("<p>{}</p>", escape(p));
    }
    s + "</body></html>"
}

/// Width of a number column and of a label column, in twentieths of a point.
const NUMBER_TWIPS: usize = 680;
const LABEL_TWIPS: usize = 1900;

/// A Word document as an office suite exports it: A4, single-ruled tables with merged cells
/// (`w:gridSpan`, `w:vMerge`), fixed narrow number columns.
pub fn docx(grids: &[Grid], before: &[String], after: &[String]) -> std::io::Result<Vec<u8>> {
    let mut body = String::new();
    for p in before {
        body += &office::para(p);
    }
    for g in grids {
        body += &office::para(&g.heading);
        // A column is a number column when any cell anchored in it alone is one.
        let widths: Vec<usize> = (0..g.cols)
            .map(|c| {
                let number = g
                    .cells
                    .iter()
                    .any(|a| a.col == c && a.colspan == 1 && a.number);
                if number { NUMBER_TWIPS } else { LABEL_TWIPS }
            })
            .collect();
        let side = |s: &str| {
            format!("<w:{s} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
        };
        body += &format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders></w:tblPr><w:tblGrid>",
            widths.iter().sum::<usize>(),
            side("top"),
            side("left"),
            side("bottom"),
            side("right"),
            side("insideH"),
            side("insideV"),
        );
        for w in &widths {
            body += &format!("<w:gridCol w:w=\"{w}\"/>");
        }
        body += "</w:tblGrid>";
        // Which anchor covers each grid position.
        let mut at = vec![vec![None; g.cols]; g.rows];
        for (i, a) in g.cells.iter().enumerate() {
            for row in at.iter_mut().skip(a.row).take(a.rowspan) {
                for p in row.iter_mut().skip(a.col).take(a.colspan) {
                    *p = Some(i);
                }
            }
        }
        for (r, row) in at.iter().enumerate() {
            body += "<w:tr>";
            let mut c = 0;
            while c < g.cols {
                let Some(i) = row[c] else {
                    body += &office::cell(
                        "",
                        &format!("<w:tcW w:w=\"{}\" w:type=\"dxa\"/>", widths[c]),
                    );
                    c += 1;
                    continue;
                };
                let a = &g.cells[i];
                let width: usize = widths[a.col..a.col + a.colspan].iter().sum();
                let mut props = format!("<w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
                if a.colspan > 1 {
                    props += &format!("<w:gridSpan w:val=\"{}\"/>", a.colspan);
                }
                if a.rowspan > 1 {
                    props += if a.row == r {
                        "<w:vMerge w:val=\"restart\"/>"
                    } else {
                        "<w:vMerge/>"
                    };
                }
                let text = if a.row == r { a.text.as_str() } else { "" };
                body += &office::cell(text, &props);
                c += a.colspan;
            }
            body += "</w:tr>";
        }
        body += "</w:tbl>";
    }
    for p in after {
        body += &office::para(p);
    }
    body += "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1200\" w:right=\"1000\" w:bottom=\"1200\" w:left=\"1000\" w:header=\"600\" w:footer=\"600\" w:gutter=\"0\"/></w:sectPr>";
    office::docx_package(&body)
}
