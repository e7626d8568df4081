//! A deterministic generator of fictional reports with a truth file: issuers of 示例省 (codes
//! 99…), values that satisfy the identities (unless an error is injected, at a known rate and
//! recorded), both template layouts (2021-era reports printing the 2019 table 三 at a rate),
//! printed in every text shape.
//!
//! Takes options and a seed, hands on files and `truth_cells.csv` / `truth_findings.csv`.
//! The same seed gives byte-identical files.

pub mod render;

use std::collections::BTreeMap;

use crate::template::{
    DISCLOSURE_2019, DISCLOSURE_2021, Layout, REQUESTS_2019, REQUESTS_2021, REVIEW, REVIEW_GROUPS,
    REVIEW_RESULTS, TableKind, TableSpec,
};

pub use render::Shape;

/// The fictional province every synthetic issuer belongs to.
pub const PROVINCE: &str = "示例省";

pub use crate::rng::Rng;

/// Counts with a heavy tail: mostly small, sometimes thousands.
trait Counts {
    fn count(&mut self, scale: u64) -> i64;
}

impl Counts for Rng {
    fn count(&mut self, scale: u64) -> i64 {
        let tier = self.below(10);
        let max = match tier {
            0..=5 => scale,
            6..=8 => scale * 10,
            _ => scale * 100,
        };
        self.below(max + 1) as i64
    }
}

/// One synthetic issuer.
#[derive(Clone, Debug)]
pub struct Issuer {
    pub name: String,
    pub code: String,
}

/// 1..=99 in Chinese numerals (names carry no digits, like real ones).
fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n % 10]),
        _ => format!("{}十{}", D[n / 10 % 10], D[n % 10]),
    }
}

/// The name of synthetic prefecture `n` (示例一市).
pub fn city_name(n: usize) -> String {
    format!("示例{}市", numeral(n))
}

/// The name of synthetic county `n` within its prefecture (示例一县).
pub fn county_name(n: usize) -> String {
    format!("示例{}县", numeral(n))
}

/// The fictional issuers: county governments 示例N县 of prefectures 示例M市, codes 99MMNN.
pub fn issuers(n: usize) -> Vec<Issuer> {
    (0..n.min(99 * 99))
        .map(|i| {
            let city = i / 99 + 1;
            let county = i % 99 + 1;
            Issuer {
                name: format!(
                    "{PROVINCE}{}{}人民政府",
                    city_name(city),
                    county_name(county)
                ),
                code: format!("99{city:02}{county:02}"),
            }
        })
        .collect()
}

/// One generated report: who, when, the layouts printed, and every cell's true value.
#[derive(Clone, Debug)]
pub struct Truth {
    pub issuer: Issuer,
    pub year: i32,
    pub disclosure: Layout,
    pub requests: Layout,
    /// (table, row, col) → value.
    pub cells: BTreeMap<(TableKind, &'static str, &'static str), i64>,
    /// Injected source errors: (rule, cell name).
    pub injected: Vec<(&'static str, String)>,
    /// The number of new requests section 一 states (the table's, unless contradicted).
    pub stated_new: i64,
}

/// Generator options.
#[derive(Clone, Debug)]
pub struct Options {
    pub issuers: usize,
    pub years: (i32, i32),
    pub seed: u64,
    /// Share of 2021-era reports that still print the 2019 table 三.
    pub old_requests_rate: f64,
    /// Share of reports with one injected source error.
    pub error_rate: f64,
    /// Share of reports whose narrative contradicts the table (new requests off by one).
    pub contradiction_rate: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            issuers: 10,
            years: (2019, 2024),
            seed: 1,
            old_requests_rate: 0.2,
            error_rate: 0.1,
            contradiction_rate: 0.05,
        }
    }
}

fn spec_for(kind: TableKind, layout: Layout) -> &'static TableSpec {
    match (kind, layout) {
        (TableKind::Disclosure, Layout::Y2019) => &DISCLOSURE_2019,
        (TableKind::Disclosure, Layout::Y2021) => &DISCLOSURE_2021,
        (TableKind::Requests, Layout::Y2019) => &REQUESTS_2019,
        (TableKind::Requests, Layout::Y2021) => &REQUESTS_2021,
        (TableKind::ReviewLitigation, _) => &REVIEW,
    }
}

/// Generates the truth of every report, issuer by issuer and year by year (carry-over links
/// consecutive years, so X1 holds).
pub fn generate(opts: &Options) -> Vec<Truth> {
    let mut rng = Rng::new(opts.seed);
    let mut out = Vec::new();
    for issuer in issuers(opts.issuers) {
        let mut carried: BTreeMap<&'static str, i64> = BTreeMap::new();
        for year in opts.years.0..=opts.years.1 {
            let disclosure = if year >= 2021 {
                Layout::Y2021
            } else {
                Layout::Y2019
            };
            let requests = if year >= 2021 && !rng.chance(opts.old_requests_rate) {
                Layout::Y2021
            } else {
                Layout::Y2019
            };
            let mut t = Truth {
                issuer: issuer.clone(),
                year,
                disclosure,
                requests,
                cells: BTreeMap::new(),
                injected: Vec::new(),
                stated_new: 0,
            };
            disclosure_values(&mut rng, &mut t);
            request_values(&mut rng, &mut t, &mut carried);
            review_values(&mut rng, &mut t);
            if rng.chance(opts.error_rate) {
                inject(&mut t);
            }
            t.stated_new = t
                .cells
                .get(&(TableKind::Requests, "new", "total"))
                .copied()
                .unwrap_or(0);
            if rng.chance(opts.contradiction_rate) {
                t.stated_new += 1;
                t.injected.push(("N1", "requests/new/total".into()));
            }
            out.push(t);
        }
    }
    out
}

fn disclosure_values(rng: &mut Rng, t: &mut Truth) {
    let spec = spec_for(TableKind::Disclosure, t.disclosure);
    for (r, c) in spec.targets() {
        let v = match c {
            "decisions" => rng.count(2_000),
            "amount_wan" => rng.count(500),
            "removed" | "repealed" => rng.count(3),
            _ => rng.count(30),
        };
        t.cells.insert((TableKind::Disclosure, r, c), v);
    }
}

/// Per applicant column: new, carried in, carried out, and outcomes adding up to the total.
fn request_values(rng: &mut Rng, t: &mut Truth, carried: &mut BTreeMap<&'static str, i64>) {
    let spec = spec_for(TableKind::Requests, t.requests);
    let outcomes: Vec<&'static str> = spec
        .rows
        .iter()
        .filter(|r| crate::template::REQUEST_RESULTS.contains(&r.key))
        .map(|r| r.key)
        .collect();
    let cols: Vec<&'static str> = crate::template::request_columns().collect();
    let mut totals: BTreeMap<&'static str, i64> = BTreeMap::new();
    for &c in &cols[..cols.len() - 1] {
        let new = if c == "natural" {
            rng.count(60)
        } else {
            rng.count(3)
        };
        let cin = carried.get(c).copied().unwrap_or(0);
        let cout = rng.below((new + cin) as u64 / 5 + 1) as i64;
        let total = new + cin - cout;
        let mut left = total;
        let mut by_row: BTreeMap<&'static str, i64> = BTreeMap::new();
        for (i, &r) in outcomes.iter().enumerate() {
            let v = if i + 1 == outcomes.len() {
                left
            } else {
                rng.below(left as u64 / 2 + 1) as i64
            };
            left -= v;
            by_row.insert(r, v);
        }
        for (r, v) in [
            ("new", new),
            ("carried_in", cin),
            ("total", total),
            ("carried_out", cout),
        ]
        .into_iter()
        .chain(by_row)
        {
            t.cells.insert((TableKind::Requests, r, c), v);
            *totals.entry(r).or_default() += v;
        }
        carried.insert(c, cout);
    }
    for (r, v) in totals {
        t.cells.insert((TableKind::Requests, r, "total"), v);
    }
}

fn review_values(rng: &mut Rng, t: &mut Truth) {
    // The last result column is the group's total.
    let Some((total, parts)) = REVIEW_RESULTS.split_last() else {
        return;
    };
    for &g in REVIEW_GROUPS {
        let mut sum = 0;
        for &c in parts {
            let v = rng.count(2);
            sum += v;
            t.cells.insert((TableKind::ReviewLitigation, g, c), v);
        }
        t.cells.insert((TableKind::ReviewLitigation, g, total), sum);
    }
}

/// One printed cell off by one: `granted.natural` + 1 breaks I3 for that row and I2 for the
/// natural column, and nothing else.
fn inject(t: &mut Truth) {
    if let Some(v) = t
        .cells
        .get_mut(&(TableKind::Requests, "granted", "natural"))
    {
        *v += 1;
        t.injected.push(("I2", "requests/total/natural".into()));
        t.injected.push(("I3", "requests/granted/total".into()));
    }
}

/// The narrative around the tables: a title line, section 一, sections 五 and 六.
fn narrative(t: &Truth) -> (Vec<String>, Vec<String>) {
    let before = vec![
        format!("{}{}年政府信息公开工作年度报告", t.issuer.name, t.year),
        format!(
            "{}、总体情况 本报告为示例数据，由 gongkai 生成，{}不是真实的发布机关。",
            crate::template::Section::One.ordinal(),
            t.issuer.name
        ),
        format!("{}年，共收到政府信息公开申请{}件。", t.year, t.stated_new),
    ];
    let after = vec![
        format!(
            "{}、存在的主要问题及改进情况 示例数据。",
            crate::template::Section::Five.ordinal()
        ),
        format!(
            "{}、其他需要报告的事项 无。",
            crate::template::Section::Six.ordinal()
        ),
    ];
    (before, after)
}

/// The printed tables of a truth.
pub fn printed(t: &Truth) -> Vec<render::PrintedTable> {
    [
        (TableKind::Disclosure, t.disclosure),
        (TableKind::Requests, t.requests),
        (TableKind::ReviewLitigation, Layout::Y2019),
    ]
    .into_iter()
    .map(|(kind, layout)| {
        let spec = spec_for(kind, layout);
        let text = |r: &str, c: &str| {
            t.cells
                .iter()
                .find(|((tk, tr, tc), _)| *tk == kind && *tr == r && *tc == c)
                .map_or(String::new(), |(_, v)| v.to_string())
        };
        render::print(spec, &text, &|row| !row.group)
    })
    .collect()
}

/// A report as text in a shape.
pub fn render_report(t: &Truth, shape: Shape) -> String {
    let (before, after) = narrative(t);
    render::render(shape, &printed(t), &before, &after)
}

/// The file name of a report (visibly fictional, code first).
pub fn file_name(t: &Truth, shape: Shape) -> String {
    format!(
        "{}_{}_{}.{}",
        t.issuer.code,
        t.year,
        shape.key(),
        shape.extension()
    )
}

/// `truth_cells.csv` rows in the `cells.csv` column order (no report id or location: those
/// belong to the parsed file).
pub fn truth_rows(t: &Truth, shape: Shape) -> Vec<[String; 8]> {
    let layout = |kind| match kind {
        TableKind::Disclosure => t.disclosure,
        TableKind::Requests => t.requests,
        TableKind::ReviewLitigation => t.requests,
    };
    t.cells
        .iter()
        .map(|((kind, r, c), v)| {
            [
                file_name(t, shape),
                t.issuer.code.clone(),
                t.year.to_string(),
                kind.key().to_owned(),
                r.to_string(),
                c.to_string(),
                v.to_string(),
                layout(*kind).key().to_owned(),
            ]
        })
        .collect()
}

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

fn sha12(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The bytes of one report: printed in its shape, maybe traditional, maybe GB18030.
pub fn report_bytes(t: &Truth, shape: Shape, traditional: bool, gbk: bool) -> Vec<u8> {
    let mut text = render_report(t, shape);
    if traditional {
        text = character_converter::simplified_to_traditional(&text).into_owned();
    }
    if gbk {
        if shape == Shape::Html {
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
    let truths = generate(&c.options);
    let mut rng = Rng::new(c.options.seed ^ 0x7EC7);
    let mut cells = csv::Writer::from_path(dir.join("truth_cells.csv"))?;
    cells.write_record(crate::frames::CELLS_COLUMNS)?;
    let mut findings = csv::Writer::from_path(dir.join("truth_findings.csv"))?;
    findings.write_record(["report_id", "source", "rule", "severity", "cells"])?;
    let mut w = Written::default();
    for (i, t) in truths.iter().enumerate() {
        let shape = c.shapes[i % c.shapes.len().max(1)];
        let bytes = report_bytes(
            t,
            shape,
            rng.chance(c.traditional_rate),
            rng.chance(c.gbk_rate),
        );
        let name = file_name(t, shape);
        std::fs::write(reports.join(&name), &bytes)?;
        let id = sha12(&bytes);
        let source = format!("reports/{name}");
        for row in truth_rows(t, shape) {
            let [_, code, year, table, r, col, value, layout] = row;
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
                "number",
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
