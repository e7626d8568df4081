//! Printing tables in the shapes real reports come in: HTML, one cell per line with `|`
//! (the Dayu shape), Markdown pipe tables, space-separated layout text (like `pdftotext
//! -layout`), and a whole page glued on one line (the crawler shape). Labels, headings and
//! markers come from the template.

use crate::report::{CellState, Report};
use crate::template::{CellKind, Section, TableKind, TableSpec};

/// One table as printed: its section heading, header phrases, and rows of label + cell texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrintedTable {
    /// The table and the layout it was printed from.
    pub kind: TableKind,
    pub layout: crate::template::Layout,
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

/// The shapes the renderer prints.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Shape {
    Html,
    Pipe,
    Markdown,
    Layout,
    Glued,
    /// A workbook laid out like the template, on one sheet.
    Xlsx,
    /// A workbook with one sheet per table.
    Sheets,
    Docx,
    Csv,
    /// An OpenDocument spreadsheet (no merged cells).
    Ods,
    /// The official tables as a browser prints a page: ruled, merged header cells, blank
    /// cells empty (the source of the Chromium PDF fixtures).
    PrintHtml,
    /// The same as a word processor's document (the source of the LibreOffice PDF fixtures).
    PrintDocx,
}

impl Shape {
    pub const ALL: [Shape; 10] = [
        Shape::Html,
        Shape::Pipe,
        Shape::Markdown,
        Shape::Layout,
        Shape::Glued,
        Shape::Xlsx,
        Shape::Sheets,
        Shape::Docx,
        Shape::Csv,
        Shape::Ods,
    ];

    /// The print layouts, from which the PDF fixtures are made (not in the default corpus).
    pub const PRINT: [Shape; 2] = [Shape::PrintHtml, Shape::PrintDocx];

    /// The shape with this key, of all shapes.
    pub fn from_key(key: &str) -> Option<Shape> {
        Shape::ALL
            .into_iter()
            .chain(Shape::PRINT)
            .find(|s| s.key() == key)
    }

    /// The text shapes (what the plain-text benchmarks print).
    pub const TEXT: [Shape; 5] = [
        Shape::Html,
        Shape::Pipe,
        Shape::Markdown,
        Shape::Layout,
        Shape::Glued,
    ];

    /// Whether the shape is a binary office file (no text encoding applies).
    pub fn is_binary(self) -> bool {
        matches!(
            self,
            Shape::Xlsx | Shape::Sheets | Shape::Docx | Shape::Ods | Shape::PrintDocx
        )
    }

    pub fn key(self) -> &'static str {
        match self {
            Shape::Html => "html",
            Shape::Pipe => "pipe",
            Shape::Markdown => "markdown",
            Shape::Layout => "layout",
            Shape::Glued => "glued",
            Shape::Xlsx => "xlsx",
            Shape::Sheets => "sheets",
            Shape::Docx => "docx",
            Shape::Csv => "csv",
            Shape::Ods => "ods",
            Shape::PrintHtml => "print-html",
            Shape::PrintDocx => "print-docx",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Shape::Html | Shape::PrintHtml => "html",
            Shape::Markdown => "md",
            Shape::Xlsx | Shape::Sheets => "xlsx",
            Shape::Docx | Shape::PrintDocx => "docx",
            Shape::Csv => "csv",
            Shape::Ods => "ods",
            _ => "txt",
        }
    }
}

/// The section heading the template matches (`三、收到和处理…`).
pub fn heading(kind: TableKind) -> String {
    let sec: Section = kind.section();
    format!("{}、{}", sec.ordinal(), sec.keywords()[0])
}

/// A row's printed label with its ordinal (`2.其他法律行政法规禁止公开`).
pub fn label(row: &crate::template::RowSpec) -> String {
    match (row.labels.first(), row.ordinal) {
        (Some(l), Some(n)) => format!("{n}.{l}"),
        (Some(l), None) => l.to_string(),
        (None, _) => String::new(),
    }
}

/// A row's 本年增/减 cell as printed, when not as `a/b`.
pub type ChangeText<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// Prints a table of `spec` whose cell texts come from `text(row, col)`; rows for which
/// `keep(row)` is false are left out (group rows without a subtotal). `change(row)`, where
/// given, prints a row's 本年增/减 cell in another form than `a/b`.
pub fn print(
    spec: &TableSpec,
    text: &dyn Fn(&str, &str) -> String,
    keep: &dyn Fn(&crate::template::RowSpec) -> bool,
    change: Option<&ChangeText<'_>>,
) -> PrintedTable {
    let mut header: Vec<String> = spec.markers.iter().map(|m| m.to_string()).collect();
    header.extend(spec.header_end.map(str::to_owned));
    let rows = spec
        .rows
        .iter()
        .filter(|r| keep(r))
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .map(|pc| {
                    let r = pc.row.unwrap_or(row.key);
                    match pc.kind {
                        CellKind::Pair(second) => {
                            if let Some(t) = change.and_then(|f| f(r)) {
                                return t;
                            }
                            let (a, b) = (text(r, pc.col), text(r, second));
                            if a == "0" && b == "0" {
                                "0".into()
                            } else {
                                format!("{a}/{b}")
                            }
                        }
                        _ => text(r, pc.col),
                    }
                })
                .collect();
            (label(row), cells)
        })
        .collect();
    PrintedTable {
        kind: spec.kind,
        layout: spec.layout,
        heading: heading(spec.kind),
        header,
        rows,
    }
}

fn state_text(state: &CellState) -> String {
    match state {
        CellState::Number(d) => d.to_string(),
        CellState::NotApplicable => "/".into(),
        _ => String::new(),
    }
}

/// A parsed report's tables, printed again (for cross-format checks).
pub fn print_report(report: &Report) -> Vec<PrintedTable> {
    let mut out = Vec::new();
    for kind in TableKind::ALL {
        let Some(layout) = report.layout(kind) else {
            continue;
        };
        let Some(spec) = kind
            .specs()
            .iter()
            .find(|s| s.layout == layout || kind == TableKind::ReviewLitigation)
        else {
            continue;
        };
        let text = |r: &str, c: &str| {
            report
                .cell(kind, r, c)
                .map_or(String::new(), |c| state_text(&c.state))
        };
        let keep = |row: &crate::template::RowSpec| {
            !row.group || report.cell(kind, row.key, crate::template::TOTAL).is_some()
        };
        out.push(print(spec, &text, &keep, None));
    }
    out
}

/// Prints tables in a shape, after `before` (title and narrative) and before `after`: the
/// file's bytes (text shapes in UTF-8).
pub fn render(
    shape: Shape,
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
) -> Vec<u8> {
    match shape {
        Shape::Xlsx | Shape::Sheets => {
            super::office::xlsx(tables, before, after, shape == Shape::Xlsx)
                .expect("an in-memory workbook of a few sheets")
        }
        Shape::Docx => super::office::docx(tables, before, after).expect("an in-memory zip"),
        Shape::Ods => super::office::ods(tables, before, after).expect("an in-memory zip"),
        Shape::PrintDocx => super::print::docx(&super::print::grids(tables), before, after)
            .expect("an in-memory zip"),
        text => render_text(text, tables, before, after).into_bytes(),
    }
}

/// Prints tables in a text shape (binary shapes print as CSV).
pub fn render_text(
    shape: Shape,
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
) -> String {
    match shape {
        Shape::Csv | Shape::Xlsx | Shape::Sheets | Shape::Docx | Shape::Ods | Shape::PrintDocx => {
            super::office::csv(tables, before, after)
        }
        Shape::Html => html(tables, before, after),
        Shape::PrintHtml => super::print::html(&super::print::grids(tables), before, after),
        Shape::Pipe => lines(tables, before, after, |label, cells| {
            let mut s = String::from("|\n");
            if !label.is_empty() {
                s += &format!("{label} |\n");
            }
            for c in cells {
                s += &format!("{c} |\n");
            }
            s
        }),
        Shape::Markdown => markdown(tables, before, after),
        Shape::Layout => lines(tables, before, after, |label, cells| {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| if c.is_empty() { "-".into() } else { c.clone() })
                .collect();
            format!("{label}      {}\n", cells.join("      "))
        }),
        Shape::Glued => glued(tables, before, after),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html(tables: &[PrintedTable], before: &[String], after: &[String]) -> String {
    let mut s = String::from("<html><head><meta charset=\"utf-8\"></head><body>");
    for p in before {
        s += &format!("<p>{}</p>", escape(p));
    }
    for t in tables {
        s += &format!("<p>{}</p><table><tr>", escape(&t.heading));
        for h in &t.header {
            s += &format!("<td>{}</td>", escape(h));
        }
        s += "</tr>";
        for (label, cells) in &t.rows {
            s += "<tr>";
            if !label.is_empty() {
                s += &format!("<td>{}</td>", escape(label));
            }
            for c in cells {
                let c = if c.is_empty() {
                    "&nbsp;".to_owned()
                } else {
                    escape(c)
                };
                s += &format!("<td>{c}</td>");
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

fn lines(
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
    row: impl Fn(&str, &[String]) -> String,
) -> String {
    let mut s = String::new();
    for p in before {
        s += p;
        s.push('\n');
    }
    for t in tables {
        s += &format!("{}\n", t.heading);
        for h in &t.header {
            s += &format!("{h} |\n");
        }
        for (label, cells) in &t.rows {
            s += &row(label, cells);
        }
    }
    for p in after {
        s += p;
        s.push('\n');
    }
    s
}

fn markdown(tables: &[PrintedTable], before: &[String], after: &[String]) -> String {
    let mut s = String::new();
    for p in before {
        s += &format!("{p}\n\n");
    }
    for t in tables {
        s += &format!(
            "{}\n\n| {} |\n|{}\n",
            t.heading,
            t.header.join(" | "),
            "---|".repeat(t.header.len().max(1))
        );
        for (label, cells) in &t.rows {
            let mut all = Vec::new();
            if !label.is_empty() {
                all.push(label.clone());
            }
            all.extend(cells.iter().cloned());
            s += &format!("| {} |\n", all.join(" | "));
        }
        s.push('\n');
    }
    for p in after {
        s += &format!("{p}\n\n");
    }
    s
}

/// Everything on one line with cell boundaries lost, as crawlers save pages.
fn glued(tables: &[PrintedTable], before: &[String], after: &[String]) -> String {
    let mut s = before.join("");
    for t in tables {
        s += &t.heading;
        s += &t.header.concat();
        for (label, cells) in &t.rows {
            s += label;
            s += &cells.concat();
        }
    }
    s += &after.join("");
    s.push('\n');
    s
}
