//! Shared test helpers: the real corpus, expected values, and a renderer that prints a parsed
//! report back out in another format (for cross-format equivalence).
#![allow(dead_code)] // each helper serves some of the test modules

use std::path::{Path, PathBuf};

use gongkai::batch;
use gongkai::report::Parsed;
use gongkai::report::Report;
use gongkai::synth::render::{Shape, print_report, render_text};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn parse_file(path: &Path) -> Parsed {
    match batch::process(path).result {
        Ok(p) => p,
        Err(f) => panic!("{}: {}", path.display(), f.message),
    }
}

pub fn parse_bytes(name: &str, bytes: &[u8]) -> Parsed {
    match batch::process_bytes(Path::new(name), bytes, None).result {
        Ok(p) => p,
        Err(f) => panic!("{name}: {}", f.message),
    }
}

/// One row of a corpus's `expected_cells.csv` (`file,table,row,col,expected`): a value read
/// by hand from a real report. `expected` is a decimal, `blank` or `ambiguous`.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The corpus folder under `tests/fixtures` (`real`, `real2`).
    pub corpus: String,
    pub file: String,
    pub table: String,
    pub row: String,
    pub col: String,
    pub expected: String,
}

/// The two real corpora, each read and checked by hand.
pub const REAL_CORPORA: [&str; 2] = ["real", "real2"];

pub fn expected_cells(corpus: &str) -> Vec<Expected> {
    let text = std::fs::read_to_string(fixture(&format!("expected/{corpus}_cells.csv"))).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.trim_end_matches('\r').split(',').collect();
            Expected {
                corpus: corpus.into(),
                file: f[0].into(),
                table: f[1].into(),
                row: f[2].into(),
                col: f[3].into(),
                expected: f[4].into(),
            }
        })
        .collect()
}

/// One row of `expected_findings.csv` (`file,rule,detail`); the detail starts with what the
/// finding is about: `requests row new`, `requests column business`,
/// `review_litigation group suit_after_review`.
#[derive(Debug, Clone)]
pub struct ExpectedFinding {
    pub file: String,
    pub rule: String,
    pub table: String,
    /// `row`, `column` or `group`.
    pub scope: String,
    pub key: String,
    pub detail: String,
}

pub fn expected_findings(corpus: &str) -> Vec<ExpectedFinding> {
    let path = fixture(&format!("expected/{corpus}_findings.csv"));
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let detail = r[2].to_owned();
            let head: Vec<&str> = detail.split([' ', ':']).take(3).collect();
            ExpectedFinding {
                file: r[0].into(),
                rule: r[1].into(),
                table: head[0].into(),
                scope: head[1].into(),
                key: head[2].into(),
                detail,
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

/// The report as an HTML page with one table per section.
pub fn render_html(report: &Report) -> String {
    render_text(Shape::Html, &print_report(report), &[], &[])
}

/// The report as text with one cell per line and `|` separators (the Dayu shape).
pub fn render_pipe_text(report: &Report) -> String {
    render_text(Shape::Pipe, &print_report(report), &[], &[])
}

/// The report as Markdown pipe tables (what PDF-to-Markdown converters write).
pub fn render_markdown(report: &Report) -> String {
    render_text(Shape::Markdown, &print_report(report), &[], &[])
}

/// Runs the binary in `cwd`; the command, its exit code, stdout and stderr are printed so a
/// failing test shows them.
/// `gongkai run` on the default corpus, once for the whole test binary (the slowest run of
/// the suite): its output and its output directory, under Cargo's temporary directory.
pub fn default_run() -> &'static (std::process::Output, PathBuf) {
    static RUN: std::sync::OnceLock<(std::process::Output, PathBuf)> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("default-run");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = gongkai(&["run", "--out", "r"], &dir);
        (out, dir.join("r"))
    })
}

pub fn gongkai(args: &[&str], cwd: &Path) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run gongkai");
    eprintln!(
        "$ gongkai {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// [`gongkai`], which must exit 0 (its standard error is the failure's message).
pub fn gongkai_ok(args: &[&str], cwd: &Path) -> std::process::Output {
    let out = gongkai(args, cwd);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A PDF of these objects (numbered from 1), with its cross-reference table.
pub fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
