//! A deterministic generator of fictional reports with a truth file: issuers of 示例省 (codes
//! 99…), values that satisfy the identities (unless an error is injected, at a known rate and
//! recorded), both template layouts (2021-era reports printing the 2019 table 三 at a rate),
//! printed in every text shape.
//!
//! Takes options and a seed, hands on files and `truth_cells.csv` / `truth_findings.csv`.
//! The same seed gives byte-identical files.

pub mod office;
pub mod print;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use crate::template::CellKind;
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

fn disclosure_values(rng: &mut Rng, t: &mut Truth, in_force: &mut BTreeMap<&'static str, i64>) {
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
    // 2021 layout: in force = last year's in force + issued − repealed, when last year was
    // printed in this layout too (X2 compares the two).
    if t.disclosure == Layout::Y2021 {
        let linked: Vec<&'static str> = spec
            .targets()
            .into_iter()
            .filter(|&(_, c)| c == "in_force")
            .map(|(r, _)| r)
            .collect();
        for r in linked {
            let get = |c| {
                t.cells
                    .get(&(TableKind::Disclosure, r, c))
                    .copied()
                    .unwrap_or(0)
            };
            let (issued, repealed) = (get("issued"), get("repealed"));
            let v = match in_force.get(r) {
                Some(prev) => {
                    let repealed = repealed.min(prev + issued);
                    t.cells
                        .insert((TableKind::Disclosure, r, "repealed"), repealed);
                    prev + issued - repealed
                }
                None => get("in_force").max(issued),
            };
            t.cells.insert((TableKind::Disclosure, r, "in_force"), v);
            in_force.insert(r, v);
        }
    } else {
        in_force.clear();
    }
}

/// Prints some 2019-layout 本年增/减 cells in the other forms real reports use. Drawn from
/// the report's own seed, so the other values do not move with the rate.
fn change_forms(rate: f64, t: &mut Truth) {
    if t.disclosure != Layout::Y2019 || rate <= 0.0 {
        return;
    }
    let mut rng = Rng::new(t.narrative_seed ^ 0x5EED_C4A6);
    let spec = spec_for(TableKind::Disclosure, t.disclosure);
    for row in spec.rows {
        let Some(pc) = row
            .cells
            .iter()
            .find(|pc| matches!(pc.kind, CellKind::Pair(_)))
        else {
            continue;
        };
        let CellKind::Pair(second) = pc.kind else {
            continue;
        };
        if !rng.chance(rate) {
            continue;
        }
        let (a, b) = (
            (TableKind::Disclosure, row.key, pc.col),
            (TableKind::Disclosure, row.key, second),
        );
        // One side is printed: at least 1 (a bare 0 means no change either way).
        let (text, shown, hidden) = match rng.below(5) {
            0 => ("", a, b),
            1 => ("+", a, b),
            2 => ("-", b, a),
            3 => ("/l", a, b),
            _ => ("/r", b, a),
        };
        let v = t.cells.get(&shown).copied().unwrap_or(0).max(1);
        t.cells.insert(shown, v);
        t.cells.remove(&hidden);
        t.blank.insert(hidden);
        let printed = match text {
            "/l" => format!("{v}/"),
            "/r" => format!("/{v}"),
            sign => format!("{sign}{v}"),
        };
        t.change_text.insert(row.key, printed);
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
        let by_row = split_outcomes(rng, total, &outcomes);
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

/// Typical shares of the outcome bands in real reports (granted, partial, denied, unable,
/// rejected, other), spread over each band's rows with some noise.
const BAND_SHARES: [f64; 6] = [0.45, 0.12, 0.06, 0.24, 0.07, 0.06];

/// Splits `total` over the outcome rows (largest remainder, so the parts add up exactly).
fn split_outcomes(rng: &mut Rng, total: i64, rows: &[&'static str]) -> BTreeMap<&'static str, i64> {
    let weights: Vec<f64> = rows
        .iter()
        .map(|r| {
            let (band, size) = crate::template::OUTCOME_GROUPS
                .iter()
                .enumerate()
                .find_map(|(i, g)| {
                    let n = g.rows.iter().filter(|x| rows.contains(x)).count();
                    g.rows.contains(r).then_some((i, n.max(1)))
                })
                .unwrap_or((0, 1));
            BAND_SHARES[band] / size as f64 * (0.3 + 1.4 * rng.unit())
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut parts: Vec<i64> = exact.iter().map(|x| x.floor() as i64).collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let short = total - parts.iter().sum::<i64>();
    for &i in order.iter().take(short.max(0) as usize) {
        parts[i] += 1;
    }
    rows.iter().copied().zip(parts).collect()
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

/// Sentences of sections 一, 五 and 六; each report draws a few (`{n}` is a number drawn).
const SECTION_ONE: &[&str] = &[
    "全年主动公开政府信息{n}条，其中政策文件{n}件。",
    "政府网站共发布信息{n}条，政务新媒体发布信息{n}条。",
    "召开新闻发布会{n}场，开展政策解读{n}次。",
    "修订完善政府信息公开指南，更新公开目录{n}项。",
    "组织政府信息公开业务培训{n}次，参训人员{n}人次。",
    "办理人大代表建议和政协提案{n}件，办理结果全部公开。",
    "依法做好政府信息公开申请答复，平均答复时间{n}个工作日。",
    "推进基层政务公开标准化规范化，覆盖{n}个乡镇（街道）。",
];
const SECTION_FIVE: &[&str] = &[
    "政策解读形式较为单一，图解、视频解读占比不高。",
    "部分单位信息更新不够及时，栏目内容有待充实。",
    "依申请公开答复规范化水平有待提高。",
    "基层工作人员业务能力仍需加强。",
    "下一步将加强督促检查，每季度通报一次。",
    "计划开展专题培训{n}次，提升工作人员能力。",
];
const SECTION_SIX: &[&str] = &[
    "本年度未收取信息处理费。",
    "本年度无其他需要报告的事项。",
    "落实上年度政务公开工作要点任务{n}项。",
];

/// `k` distinct sentences of `pool`, numbers filled in.
fn draw(rng: &mut Rng, pool: &[&str], k: usize) -> Vec<String> {
    let mut idx: Vec<usize> = (0..pool.len()).collect();
    let mut out = Vec::new();
    for _ in 0..k.min(pool.len()) {
        let i = idx.remove(rng.below(idx.len() as u64) as usize);
        let mut s = String::new();
        for (j, part) in pool[i].split("{n}").enumerate() {
            if j > 0 {
                s.push_str(&(1 + rng.below(500)).to_string());
            }
            s.push_str(part);
        }
        out.push(s);
    }
    out
}

/// The narrative around the tables: a title line, section 一, sections 五 and 六. Sentences
/// vary by report, as real reports' do, so only an injected reuse would look copied.
fn narrative(t: &Truth) -> (Vec<String>, Vec<String>) {
    let mut rng = Rng::new(t.narrative_seed);
    let mut one = format!(
        "{}、总体情况 本报告为示例数据，由 gongkai 生成，{}不是真实的发布机关。",
        crate::template::Section::One.ordinal(),
        t.issuer.name
    );
    one.push_str(&draw(&mut rng, SECTION_ONE, 3).concat());
    let before = vec![
        format!("{}{}年政府信息公开工作年度报告", t.issuer.name, t.year),
        one,
        format!("{}年，共收到政府信息公开申请{}件。", t.year, t.stated_new),
    ];
    let after = vec![
        format!(
            "{}、存在的主要问题及改进情况 {}",
            crate::template::Section::Five.ordinal(),
            draw(&mut rng, SECTION_FIVE, 2).concat()
        ),
        format!(
            "{}、其他需要报告的事项 {}",
            crate::template::Section::Six.ordinal(),
            draw(&mut rng, SECTION_SIX, 1).concat()
        ),
    ];
    (before, after)
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
                .get(&(TableKind::Requests, "new", total_col))
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
