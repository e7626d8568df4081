//! `gongkai show FILE [--json]`: one report for a person (tables with cell states and
//! findings), or for a machine.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use crate::batch;
use crate::frames::value_text;
use crate::report::Parsed;
use crate::report::{Cell, CellState, Report};
use crate::template::TableKind;

use super::exit;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The report file (text, HTML).
    pub file: PathBuf,

    /// Print JSON (cells with states and locations, findings) instead of tables.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let outcome = batch::process(&args.file);
    let parsed = match &outcome.result {
        Ok(p) => p,
        Err(f) => {
            eprintln!("{}: {}", args.file.display(), f.message);
            if let Some(h) = &f.hint {
                eprintln!("  hint: {h}");
            }
            return Ok(ExitCode::from(exit::UNREADABLE));
        }
    };
    let text = if args.json {
        serde_json::to_string_pretty(&to_json(&outcome.id, parsed))? + "\n"
    } else {
        render(&args.file.display().to_string(), parsed)
    };
    // A reader that stops early (`| head`) is not an error: write, and let main map a broken
    // pipe to success.
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())?;
    Ok(ExitCode::from(exit::OK))
}

fn state_json(c: &Cell) -> serde_json::Value {
    let candidates = match &c.state {
        CellState::Ambiguous(v) => v.clone(),
        _ => Vec::new(),
    };
    json!({
        "table": c.table.key(), "row": c.row, "col": c.col,
        "value": value_text(&c.state), "raw": c.raw, "state": c.state.key(),
        "candidates": candidates, "layout": c.layout.key(),
        "location": c.loc.map(|l| l.to_string()),
    })
}

pub(super) fn to_json(id: &str, p: &Parsed) -> serde_json::Value {
    json!({
        "report_id": id,
        "issuer": p.report.meta.issuer,
        "issuer_clue": p.report.meta.issuer_clue.map(|c| c.key()),
        "year": p.report.meta.year,
        "year_clue": p.report.meta.year_clue.map(|c| c.key()),
        "region_code": p.report.meta.place.as_ref().map(|p| p.code.clone()),
        "level": p.report.meta.place.as_ref().map(|p| p.level.key()),
        "body": p.report.meta.body.map(|b| b.key()),
        "region_candidates": p.report.meta.candidates,
        "processing_fee_yuan": p.report.meta.processing_fee.as_ref().map(|(d, _)| d.to_string()),
        "stated": p.report.meta.stated.iter().map(|s| json!({
            "key": s.key, "value": s.value, "sentence": s.sentence,
        })).collect::<Vec<_>>(),
        "format": p.report.format.key(),
        "encoding": p.report.encoding,
        "tables": p.report.tables.iter().map(|t| json!({
            "table": t.table.key(),
            "layout": t.layout.map(|l| l.key()),
            "location": t.loc.map(|l| l.to_string()),
        })).collect::<Vec<_>>(),
        "cells": p.report.cells.iter().map(state_json).collect::<Vec<_>>(),
        "findings": p.findings.iter().map(|f| json!({
            "rule": f.rule, "severity": f.severity.key(), "cells": f.cells,
            "expected": f.expected, "actual": f.actual, "message": f.message(),
            "location": f.loc.map(|l| l.to_string()),
        })).collect::<Vec<_>>(),
    })
}

fn short(state: &CellState) -> String {
    match state {
        CellState::Number(d) => d.to_string(),
        CellState::Blank => "·".into(),
        CellState::NotApplicable => "n/a".into(),
        CellState::Ambiguous(_) => "?".into(),
        CellState::Unparsed => "!".into(),
        CellState::Missing => "-".into(),
    }
}

/// The report as plain-text tables: one line per canonical row, one column per canonical
/// column of the layout found.
pub(super) fn render(name: &str, p: &Parsed) -> String {
    let mut out = String::new();
    let r: &Report = &p.report;
    let _ = writeln!(out, "{name}  ({}, {})", r.format.key(), r.encoding);
    let m = &r.meta;
    let clue = |c: Option<crate::report::Clue>| c.map_or(String::new(), |c| format!(" ({c})"));
    let _ = writeln!(
        out,
        "issuer: {}{}   year: {}{}",
        m.issuer.as_deref().unwrap_or("?"),
        clue(m.issuer_clue),
        m.year.map_or("?".to_owned(), |y| y.to_string()),
        clue(m.year_clue)
    );
    match &m.place {
        Some(p) => {
            let _ = writeln!(
                out,
                "region: {} {}{}{} ({}, {}){}",
                p.code,
                p.province,
                p.city,
                p.county,
                p.level.key(),
                m.body.map_or("?", |b| b.key()),
                clue(m.region_clue)
            );
        }
        None if !m.candidates.is_empty() => {
            let _ = writeln!(out, "region: ambiguous, one of {}", m.candidates.join(", "));
        }
        None => {
            let _ = writeln!(out, "region: not found");
        }
    }
    if let Some((fee, _)) = &m.processing_fee {
        let _ = writeln!(out, "信息处理费: {fee} 元");
    }
    for t in TableKind::ALL {
        let Some(layout) = r.layout(t) else {
            let _ = writeln!(out, "\n{} {}: not found", t.key(), t.name_zh());
            continue;
        };
        let _ = writeln!(
            out,
            "\n{} {} (layout {})",
            t.key(),
            t.name_zh(),
            layout.key()
        );
        let cells: Vec<&Cell> = r.cells.iter().filter(|c| c.table == t).collect();
        let mut rows: Vec<&str> = Vec::new();
        let mut cols: Vec<&str> = Vec::new();
        for c in &cells {
            if !rows.contains(&c.row) {
                rows.push(c.row);
            }
            if !cols.contains(&c.col) {
                cols.push(c.col);
            }
        }
        let width = |s: &str| s.chars().count();
        let w0 = rows.iter().map(|r| width(r)).max().unwrap_or(0);
        let wc: Vec<usize> = cols
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .filter(|x| x.col == *c)
                    .map(|x| width(&short(&x.state)))
                    .chain([width(c)])
                    .max()
                    .unwrap_or(1)
            })
            .collect();
        let _ = write!(out, "  {:w0$}", "");
        for (c, w) in cols.iter().zip(&wc) {
            let _ = write!(out, "  {c:>w$}");
        }
        out.push('\n');
        for row in &rows {
            let _ = write!(out, "  {row:w0$}");
            for (c, w) in cols.iter().zip(&wc) {
                let v = cells
                    .iter()
                    .find(|x| x.row == *row && x.col == *c)
                    .map_or(String::new(), |x| short(&x.state));
                let _ = write!(out, "  {v:>w$}");
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "\n· blank   n/a not applicable   ? ambiguous   ! unparsed   - missing"
    );
    if p.findings.is_empty() {
        let _ = writeln!(out, "\nno findings");
    } else {
        let _ = writeln!(out, "\n{} findings:", p.findings.len());
        for f in &p.findings {
            let loc = f.loc.map(|l| format!(" [{l}]")).unwrap_or_default();
            let _ = writeln!(out, "  {} {} {}{}", f.severity, f.rule, f.en, loc);
            let _ = writeln!(out, "      {}", f.zh);
        }
    }
    out
}
