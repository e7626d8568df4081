//! Shared test helpers: the real corpus, expected values, and a renderer that prints a parsed
//! report back out in another format (for cross-format equivalence).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use gongkai::extract::{CellState, Report};
use gongkai::pipeline::{self, Parsed};
use gongkai::template::{CellKind, Section, TableKind};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn parse_file(path: &Path) -> Parsed {
    match pipeline::process(path).result {
        Ok(p) => p,
        Err(f) => panic!("{}: {}", path.display(), f.message),
    }
}

pub fn parse_bytes(name: &str, bytes: &[u8]) -> Parsed {
    match pipeline::process_bytes(Path::new(name), bytes, None).result {
        Ok(p) => p,
        Err(f) => panic!("{name}: {}", f.message),
    }
}

/// One row of `expected_cells.csv`: a value read by hand from a real report.
#[derive(Debug, Clone)]
pub struct Expected {
    pub file: String,
    pub table: String,
    pub row: String,
    pub col: String,
    pub value: String,
    pub state: String,
}

pub fn expected_cells() -> Vec<Expected> {
    let text = std::fs::read_to_string(fixture("expected_cells.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Expected {
                file: f[0].into(),
                table: f[1].into(),
                row: f[2].into(),
                col: f[3].into(),
                value: f[4].into(),
                state: f[5].into(),
            }
        })
        .collect()
}

/// The canonical cells of a report as comparable tuples.
pub fn cell_tuples(r: &Report) -> Vec<(String, String, String, String, String, String)> {
    r.cells
        .iter()
        .map(|c| {
            (
                c.table.key().to_owned(),
                c.row.to_owned(),
                c.col.to_owned(),
                c.state.key().to_owned(),
                c.state.number().map(|d| d.to_string()).unwrap_or_default(),
                c.layout.key().to_owned(),
            )
        })
        .collect()
}

fn printed(state: &CellState) -> String {
    match state {
        CellState::Number(d) => d.to_string(),
        CellState::NotApplicable => "/".into(),
        _ => String::new(),
    }
}

/// One printed row: its label and the texts of its printed cells.
type PrintedRow = (String, Vec<String>);

/// The tables of `report` as printed rows, with the template's own labels and headings.
fn printed_tables(report: &Report) -> Vec<(String, Vec<String>, Vec<PrintedRow>)> {
    let mut out = Vec::new();
    for kind in TableKind::ALL {
        let Some(layout) = report.layout(kind) else {
            continue;
        };
        let spec = kind
            .specs()
            .iter()
            .find(|s| s.layout == layout || kind == TableKind::ReviewLitigation)
            .unwrap();
        let sec: Section = kind.section();
        let heading = format!("{}、{}", sec.ordinal(), sec.keywords()[0]);
        let mut header: Vec<String> = spec.markers.iter().map(|m| m.to_string()).collect();
        header.extend(spec.header_end.map(str::to_owned));
        let mut rows = Vec::new();
        for row in spec.rows {
            let get = |r: &str, c: &str| {
                report
                    .cell(kind, r, c)
                    .map(|c| c.state.clone())
                    .unwrap_or(CellState::Missing)
            };
            if row.group && report.cell(kind, row.key, "total").is_none() {
                continue;
            }
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|pc| {
                    let r = pc.row.unwrap_or(row.key);
                    match pc.kind {
                        CellKind::Pair(second) => {
                            let (a, b) = (get(r, pc.col), get(r, second));
                            if a == b && a.number().is_some_and(|d| d.to_string() == "0") {
                                "0".into()
                            } else {
                                format!("{}/{}", printed(&a), printed(&b))
                            }
                        }
                        _ => printed(&get(r, pc.col)),
                    }
                })
                .collect();
            let label = match (row.labels.first(), row.ordinal) {
                (Some(l), Some(n)) => format!("{n}.{l}"),
                (Some(l), None) => l.to_string(),
                (None, _) => String::new(),
            };
            rows.push((label, cells));
        }
        out.push((heading, header, rows));
    }
    out
}

/// The report as an HTML page with one table per section.
pub fn render_html(report: &Report) -> String {
    let mut s = String::from("<html><head><meta charset=\"utf-8\"></head><body>");
    for (heading, header, rows) in printed_tables(report) {
        s += &format!("<p>{heading}</p><table><tr>");
        for h in header {
            s += &format!("<td>{h}</td>");
        }
        s += "</tr>";
        for (label, cells) in rows {
            s += "<tr>";
            if !label.is_empty() {
                s += &format!("<td>{label}</td>");
            }
            for c in cells {
                let c = if c.is_empty() { "&nbsp;".to_owned() } else { c };
                s += &format!("<td>{c}</td>");
            }
            s += "</tr>";
        }
        s += "</table>";
    }
    s + "</body></html>"
}

/// The report as text with one cell per line and `|` separators (the Dayu shape).
pub fn render_pipe_text(report: &Report) -> String {
    let mut s = String::new();
    for (heading, header, rows) in printed_tables(report) {
        s += &format!("{heading}\n|\n");
        for h in header {
            s += &format!("{h} |\n");
        }
        for (label, cells) in rows {
            s += "|\n";
            if !label.is_empty() {
                s += &format!("{label} |\n");
            }
            for c in cells {
                s += &format!("{c} |\n");
            }
        }
    }
    s
}

/// The report as Markdown pipe tables (what PDF-to-Markdown converters write).
pub fn render_markdown(report: &Report) -> String {
    let mut s = String::new();
    for (heading, header, rows) in printed_tables(report) {
        s += &format!(
            "{heading}\n\n| {} |\n|{}\n",
            header.join(" | "),
            "---|".repeat(header.len())
        );
        for (label, cells) in rows {
            let mut all = Vec::new();
            if !label.is_empty() {
                all.push(label);
            }
            all.extend(cells);
            s += &format!("| {} |\n", all.join(" | "));
        }
        s += "\n";
    }
    s
}
