//! A corpus on disk: every truth printed in its shapes, with the truth files beside.

use super::*;

/// How a corpus is written to disk.
#[derive(Clone, Debug)]
pub struct Corpus {
    pub options: Options,
    /// Shapes to print, used in turn.
    pub shapes: Vec<Shape>,
    /// Share of reports converted to traditional script.
    pub traditional_rate: f64,
    /// Share of reports encoded as GB18030 instead of UTF-8.
    pub gbk_rate: f64,
}

/// What a corpus run wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub reports: usize,
    pub cells: usize,
    pub injected: usize,
}

pub(super) fn sha12(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    crate::hex::lower(&Sha256::digest(bytes)[..6])
}

impl Corpus {
    /// The shape report number `i` is printed in: the shapes in turn.
    pub fn shape(&self, i: usize) -> Shape {
        self.shapes[i % self.shapes.len().max(1)]
    }
}

/// The file name and bytes of every report in `truths`, in order: shapes in turn,
/// traditional script and GB18030 at the corpus's rates (drawn from its seed).
pub fn files(c: &Corpus, truths: &[Truth]) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng::new(c.options.seed ^ 0x7EC7);
    truths
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let shape = c.shape(i);
            let traditional = rng.chance(c.traditional_rate);
            let gbk = rng.chance(c.gbk_rate);
            (
                file_name(t, shape),
                report_bytes(t, shape, traditional, gbk),
            )
        })
        .collect()
}

/// The bytes of one report: printed in its shape, maybe traditional, maybe GB18030 (text
/// shapes only: office files are Unicode inside).
pub fn report_bytes(t: &Truth, shape: Shape, traditional: bool, gbk: bool) -> Vec<u8> {
    let (mut before, mut after) = narrative(t);
    let mut tables = printed(t);
    if traditional {
        let t2 = |s: &mut String| {
            *s = character_converter::simplified_to_traditional(s).into_owned();
        };
        before.iter_mut().chain(after.iter_mut()).for_each(t2);
        for table in &mut tables {
            t2(&mut table.heading);
            table.header.iter_mut().for_each(t2);
            for (label, _) in &mut table.rows {
                t2(label);
            }
        }
    }
    if shape.is_binary() {
        return render::render(shape, &tables, &before, &after);
    }
    let mut text = render::render_text(shape, &tables, &before, &after);
    if gbk {
        if matches!(shape, Shape::Html | Shape::PrintHtml) {
            text = text.replace("charset=\"utf-8\"", "charset=\"gb18030\"");
        }
        encoding_rs::GB18030.encode(&text).0.into_owned()
    } else {
        text.into_bytes()
    }
}

/// Writes the corpus into `dir/reports/` and the truth into `dir/truth_cells.csv` (the
/// `cells.csv` columns) and `dir/truth_findings.csv`.
pub fn write_corpus(c: &Corpus, dir: &std::path::Path) -> anyhow::Result<Written> {
    let reports = dir.join("reports");
    std::fs::create_dir_all(&reports)?;
    let truths: Vec<Truth> = generate(&c.options)
        .into_iter()
        .enumerate()
        .map(|(i, t)| as_printed(t, c.shape(i)))
        .collect();
    let mut cells = csv::Writer::from_path(dir.join("truth_cells.csv"))?;
    cells.write_record(crate::frames::CELLS_COLUMNS)?;
    let mut findings = csv::Writer::from_path(dir.join("truth_findings.csv"))?;
    findings.write_record(["report_id", "source", "rule", "severity", "cells"])?;
    let mut w = Written::default();
    for (i, (t, (name, bytes))) in truths.iter().zip(files(c, &truths)).enumerate() {
        let shape = c.shape(i);
        std::fs::write(reports.join(&name), &bytes)?;
        let id = sha12(&bytes);
        let source = format!("reports/{name}");
        for row in truth_rows(t, shape) {
            let [_, code, year, table, r, col, value, state, layout] = row;
            cells.write_record([
                id.as_str(),
                &source,
                &t.issuer.name,
                &code,
                &year,
                &table,
                &r,
                &col,
                &value,
                "",
                &state,
                &layout,
                "",
            ])?;
            w.cells += 1;
        }
        for (rule, cell) in &t.injected {
            let severity = if rule.starts_with('N') {
                "warning"
            } else {
                "error"
            };
            findings.write_record([id.as_str(), &source, rule, severity, cell])?;
            w.injected += 1;
        }
        w.reports += 1;
    }
    cells.flush()?;
    findings.flush()?;
    Ok(w)
}
