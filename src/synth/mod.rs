//! A deterministic generator of fictional reports with a truth file: issuers of 示例省 (codes
//! 99…), values that satisfy the identities (unless an error is injected, at a known rate and
//! recorded), both template layouts (2021-era reports printing the 2019 table 三 at a rate),
//! printed in every text shape.
//!
//! Takes options and a seed, hands on files and `truth_cells.csv` / `truth_findings.csv`.
//! The same seed gives byte-identical files.

mod corpus;
mod values;

pub use corpus::{Corpus, Written, files, report_bytes, write_corpus};
use values::*;

pub mod office;
pub mod print;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use crate::template::{CellKind, NEW, TOTAL};
use crate::template::{
    DISCLOSURE_2019, DISCLOSURE_2021, Layout, REQUESTS_2019, REQUESTS_2021, REVIEW, REVIEW_GROUPS,
    REVIEW_RESULTS, TableKind, TableSpec,
};

pub use render::Shape;

pub use crate::regions::{PROVINCE, city_name, county_name};

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
    /// Cells printed empty (the other side of a single 增/减 value, `12/` or `/5`).
    pub blank: BTreeSet<(TableKind, &'static str, &'static str)>,
    /// How a 2019-layout row's 本年增/减 is printed when not as `a/b` (or a bare `0`): `7`,
    /// `+3`, `-18`, `12/` or `/5`, by row.
    pub change_text: BTreeMap<&'static str, String>,
    /// Injected source errors: (rule, cell name).
    pub injected: Vec<(&'static str, String)>,
    /// The number of new requests section 一 states (the table's, unless contradicted).
    pub stated_new: i64,
    /// Picks the narrative's sentences, so consecutive years do not repeat each other (R1).
    pub narrative_seed: u64,
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
    /// Share of 2019-layout 本年增/减 cells printed as one value (`7`, `+3`, `-18`) or one
    /// side of the pair (`12/`, `/5`) instead of `a/b`.
    pub change_form_rate: f64,
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
            change_form_rate: 0.3,
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
/// consecutive years, so X1 holds; documents in force link consecutive 2021-layout years, so
/// X2 holds).
pub fn generate(opts: &Options) -> Vec<Truth> {
    let mut rng = Rng::new(opts.seed);
    let mut out = Vec::new();
    for issuer in issuers(opts.issuers) {
        let mut carried: BTreeMap<&'static str, i64> = BTreeMap::new();
        let mut in_force: BTreeMap<&'static str, i64> = BTreeMap::new();
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
                blank: BTreeSet::new(),
                change_text: BTreeMap::new(),
                injected: Vec::new(),
                stated_new: 0,
                narrative_seed: rng.next_u64(),
            };
            disclosure_values(&mut rng, &mut t, &mut in_force);
            change_forms(opts.change_form_rate, &mut t);
            request_values(&mut rng, &mut t, &mut carried);
            review_values(&mut rng, &mut t);
            if rng.chance(opts.error_rate) {
                inject(&mut t);
            }
            t.stated_new = t
                .cells
                .get(&(TableKind::Requests, NEW, TOTAL))
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

/// A truth as a print shape prints it: what real Word and web tables do to the numbers.
/// Per report, drawn from its own seed (so the other shapes do not move): request numbers
/// scaled into four and five digits in their narrow columns, or not; and the five 法人
/// columns left empty (their zeros folded out of 总计), or the 总计 column left blank, or
/// zeros left blank here and there, or none of these. Other shapes print the truth as is.
pub fn as_printed(mut t: Truth, shape: Shape) -> Truth {
    if !Shape::PRINT.contains(&shape) {
        return t;
    }
    let mut rng = Rng::new(t.narrative_seed ^ 0x9B1A_4C00);
    let requests = |t: &Truth| -> Vec<(TableKind, &'static str, &'static str)> {
        t.cells
            .keys()
            .filter(|k| k.0 == TableKind::Requests)
            .copied()
            .collect()
    };
    if rng.chance(0.5) {
        let factor = 100 + rng.below(100) as i64;
        for k in requests(&t) {
            if let Some(v) = t.cells.get_mut(&k) {
                *v *= factor;
            }
        }
        t.stated_new *= factor;
    }
    let blank = |t: &mut Truth, k| {
        t.cells.remove(&k);
        t.blank.insert(k);
    };
    // The applicant columns: 自然人, the five 法人 columns, 总计 last.
    let cols: Vec<&'static str> = crate::template::request_columns().collect();
    let total_col = cols[cols.len() - 1];
    match rng.below(4) {
        0 => {
            let orgs = &cols[1..cols.len() - 1];
            for k in requests(&t) {
                if orgs.contains(&k.2) {
                    let v = t.cells[&k];
                    if let Some(total) = t.cells.get_mut(&(k.0, k.1, total_col)) {
                        *total -= v;
                    }
                    blank(&mut t, k);
                }
            }
            t.stated_new = t
                .cells
                .get(&(TableKind::Requests, NEW, total_col))
                .copied()
                .unwrap_or(0);
        }
        1 => {
            for k in requests(&t) {
                if k.2 == total_col {
                    blank(&mut t, k);
                }
            }
        }
        2 => {
            let zeros: Vec<_> = t
                .cells
                .iter()
                .filter(|(k, v)| **v == 0 && k.0 != TableKind::Disclosure)
                .map(|(k, _)| *k)
                .collect();
            for k in zeros {
                if rng.chance(0.6) {
                    blank(&mut t, k);
                }
            }
        }
        _ => {}
    }
    t
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
        let change = |r: &str| t.change_text.get(r).cloned();
        let change = (kind == TableKind::Disclosure).then_some(&change as &render::ChangeText<'_>);
        render::print(spec, &text, &|row| !row.group, change)
    })
    .collect()
}

/// A report's file in a shape.
pub fn render_report(t: &Truth, shape: Shape) -> Vec<u8> {
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
pub fn truth_rows(t: &Truth, shape: Shape) -> Vec<[String; 9]> {
    let layout = |kind| match kind {
        TableKind::Disclosure => t.disclosure,
        TableKind::Requests => t.requests,
        TableKind::ReviewLitigation => t.requests,
    };
    let numbers = t.cells.iter().map(|(k, v)| (k, v.to_string(), "number"));
    let blanks = t.blank.iter().map(|k| (k, String::new(), "blank"));
    let mut rows: Vec<_> = numbers
        .chain(blanks)
        .map(|((kind, r, c), v, state)| {
            [
                file_name(t, shape),
                t.issuer.code.clone(),
                t.year.to_string(),
                kind.key().to_owned(),
                r.to_string(),
                c.to_string(),
                v,
                state.to_owned(),
                layout(*kind).key().to_owned(),
            ]
        })
        .collect();
    // In the order of (table, row, col), as the cells map keeps them.
    rows.sort_by(|x, y| (&x[3], &x[4], &x[5]).cmp(&(&y[3], &y[4], &y[5])));
    rows
}
