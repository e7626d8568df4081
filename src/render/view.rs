//! What the report shows, computed once from a run: the figures (chart data) and the
//! per-issuer facts the HTML prints. Charts and HTML only lay these out.

use std::collections::{BTreeMap, HashMap};

use crate::regions::{Level, is_synthetic};
use crate::render::charts::lines::{Point, Scatter, Trend, YearStats};
use crate::render::charts::rows::{Mark, Row, RowChart};
use crate::render::charts::{Chart, Drawn, palette};
use crate::report::Outcome;
use crate::report::Severity;
use crate::score::model::Group;
use crate::score::rank::{Ranked, Unit};
use crate::score::{Model, Scored};
use crate::template::meta::GOVERNMENT_WORDS;
use crate::template::{
    CASE_SERIES, CORRECTED_SERIES, Harmonised, OUTCOME_GROUPS, TEMPLATE_2021_FIRST_YEAR, TableKind,
    VOLUME_SERIES,
};

/// Every fixed text the charts print (issuer and region names come from the data). Kept
/// together so the glyph test can check each against the embedded font.
pub(crate) mod labels {
    pub(crate) const RANK_TITLE: &str = "年综合得分排名";
    pub(crate) const RANK_AXIS: &str = "综合得分 (score)";
    pub(crate) const RANK_NOTE: &str =
        "条形为综合得分；末尾为得分与名次。同分同名次（competition）。";
    pub(crate) const OUTCOME_TITLE: &str = "年依申请公开办理结果构成";
    pub(crate) const OUTCOME_AXIS: &str = "占办理结果总计的比例 (share of outcomes)";
    pub(crate) const OUTCOME_NOTE: &str = "按申请量取前 20 个发布机关；首行为全部机关合计。";
    pub(crate) const ALL_ISSUERS: &str = "全部机关合计";
    pub(crate) const TREND_TITLE: &str = "综合得分历年走势 (全部机关)";
    pub(crate) const TREND_AXIS: &str = "综合得分";
    pub(crate) const TREND_NOTE: &str =
        "蓝色带为四分位距 (P25–P75)，蓝线为中位数；橙线为所标注的机关。";
    pub(crate) const INDICATOR_TREND: &str = "历年走势";
    pub(crate) const BAND: &str = "四分位距 P25–P75";
    pub(crate) const MEDIAN: &str = "中位数";
    pub(crate) const BREAK: &str = " 2021 新模板";
    pub(crate) const SCATTER_TITLE: &str = "申请量与复议诉讼纠错率";
    pub(crate) const SCATTER_X: &str = "办理申请总数 (对数轴)";
    pub(crate) const SCATTER_Y: &str = "复议、诉讼被纠错比例";
    pub(crate) const SCATTER_NOTE: &str = "每点一个发布机关；仅含有申请且有复议或诉讼案件的机关。";
    pub(crate) const REAL: &str = "真实报告";
    pub(crate) const SYNTHETIC: &str = "示例省 (虚构)";
    pub(crate) const INTERVAL_TITLE: &str = "年名次区间 (权重扰动)";
    pub(crate) const INTERVAL_AXIS: &str = "名次 (rank)";
    pub(crate) const INTERVAL_NOTE: &str = "须线为 P5–P95 名次区间，圆点为实际名次；前 30 名。";
    pub(crate) const FINDINGS_TITLE: &str = "各发布机关的检查发现 (全部年度)";
    pub(crate) const FINDINGS_AXIS: &str = "发现数 (findings)";
    pub(crate) const FINDINGS_NOTE: &str = "按错误、警告、提示数排序，前 25 个。";
    pub(crate) const ERROR: &str = "错误 error";
    pub(crate) const WARNING: &str = "警告 warning";
    pub(crate) const INFO: &str = "提示 info";
    pub(crate) const RANK: &str = "第";
    pub(crate) const RANK_END: &str = "名";
    pub(crate) const OMITTED: &str = "… 省略";
    pub(crate) const OMITTED_END: &str = "个";
    pub(crate) const GROUP_ALL: &str = "全部";
    pub(crate) const GROUP_PROVINCE: &str = "省";
    pub(crate) const GROUP_CITY: &str = "市";
    pub(crate) const GROUP_LEVEL: &str = "层级";

    /// Every label above, for the glyph test.
    #[cfg(test)]
    pub(crate) const ALL: &[&str] = &[
        RANK_TITLE,
        RANK_AXIS,
        RANK_NOTE,
        OUTCOME_TITLE,
        OUTCOME_AXIS,
        OUTCOME_NOTE,
        ALL_ISSUERS,
        TREND_TITLE,
        TREND_AXIS,
        TREND_NOTE,
        INDICATOR_TREND,
        BAND,
        MEDIAN,
        BREAK,
        SCATTER_TITLE,
        SCATTER_X,
        SCATTER_Y,
        SCATTER_NOTE,
        REAL,
        SYNTHETIC,
        INTERVAL_TITLE,
        INTERVAL_AXIS,
        INTERVAL_NOTE,
        FINDINGS_TITLE,
        FINDINGS_AXIS,
        FINDINGS_NOTE,
        ERROR,
        WARNING,
        INFO,
        RANK,
        RANK_END,
        OMITTED,
        OMITTED_END,
        GROUP_ALL,
        GROUP_PROVINCE,
        GROUP_CITY,
        GROUP_LEVEL,
    ];
}

/// Rank charts drawn per run (the peer groups of the latest year, in model order).
const MAX_RANK_CHARTS: usize = 6;
/// Rows of a rank chart before the middle is left out: top and bottom kept.
const RANK_TOP: usize = 15;
const RANK_BOTTOM: usize = 5;
const OUTCOME_ROWS: usize = 20;
const INTERVAL_ROWS: usize = 30;
const FINDING_ROWS: usize = 25;

/// A chart of any kind (the trait's generic method keeps it from being a trait object).
pub(crate) enum AnyChart {
    Rows(RowChart),
    Trend(Trend),
    Scatter(Scatter),
}

impl Chart for AnyChart {
    fn size(&self) -> (u32, u32) {
        match self {
            AnyChart::Rows(c) => c.size(),
            AnyChart::Trend(c) => c.size(),
            AnyChart::Scatter(c) => c.size(),
        }
    }

    fn draw<DB: plotters::prelude::DrawingBackend>(
        &self,
        root: &plotters::prelude::DrawingArea<DB, plotters::coord::Shift>,
    ) -> Drawn<DB> {
        match self {
            AnyChart::Rows(c) => c.draw(root),
            AnyChart::Trend(c) => c.draw(root),
            AnyChart::Scatter(c) => c.draw(root),
        }
    }
}

impl AnyChart {
    pub(crate) fn title(&self) -> &str {
        match self {
            AnyChart::Rows(c) => &c.title,
            AnyChart::Trend(c) => &c.title,
            AnyChart::Scatter(c) => &c.title,
        }
    }
}

/// Where a figure goes in the report.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Rankings,
    Outcomes,
    Trends,
    Volume,
    Intervals,
    Findings,
}

pub(crate) struct Figure {
    /// File stem under `charts/` (ASCII).
    pub id: String,
    pub section: Section,
    pub chart: AnyChart,
}

/// The name charts print for an issuer: its name without the trailing 人民政府/政府.
pub(crate) fn short_name(issuer: &str) -> String {
    // The longest word that ends the name (人民政府 before 政府), and only if a name is left.
    GOVERNMENT_WORDS
        .iter()
        .find_map(|w| issuer.strip_suffix(w))
        .filter(|s| !s.is_empty())
        .unwrap_or(issuer)
        .to_owned()
}

/// How a peer group is named in titles: 全部, 省：示例省, 层级：县级.
pub(crate) fn group_name(group: Group, value: &str) -> String {
    match group {
        Group::All => labels::GROUP_ALL.to_owned(),
        Group::Province => format!("{}：{value}", labels::GROUP_PROVINCE),
        Group::City => format!("{}：{value}", labels::GROUP_CITY),
        Group::Level => format!(
            "{}：{}",
            labels::GROUP_LEVEL,
            match Level::from_key(value) {
                Some(l) => l.zh(),
                None => value,
            }
        ),
    }
}

/// The value of harmonised series `name` in a unit, if any of its cells is present.
pub(crate) fn harmonised(u: &Unit, name: &str) -> Option<f64> {
    let vals: Vec<f64> = Harmonised::named(name)
        .cells
        .iter()
        .filter_map(|&(t, r, c)| u.values.get(&(t, r, c)).copied())
        .collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

fn sum_series(u: &Unit, names: &[&str]) -> Option<f64> {
    let vals: Vec<f64> = names.iter().filter_map(|n| harmonised(u, n)).collect();
    (!vals.is_empty()).then(|| vals.iter().sum())
}

/// The latest year with a ranked issuer.
pub(crate) fn latest_year(s: &Scored) -> Option<i32> {
    s.ranking
        .ranked
        .iter()
        .filter(|r| r.rank.is_some())
        .map(|r| r.year)
        .max()
}

/// Ranked rows of one peer group and year, best first.
fn group_rows<'a>(s: &'a Scored, year: i32, group: Group, value: &str) -> Vec<&'a Ranked> {
    let mut rows: Vec<&Ranked> = s
        .ranking
        .ranked
        .iter()
        .filter(|r| {
            r.year == year && r.group == group && r.group_value == value && r.rank.is_some()
        })
        .collect();
    rows.sort_by(|a, b| (a.rank, &s.units[a.unit].who).cmp(&(b.rank, &s.units[b.unit].who)));
    rows
}

/// The peer groups ranked in `year`, in model order, each with at least three issuers.
fn peer_groups(model: &Model, s: &Scored, year: i32) -> Vec<(Group, String)> {
    let mut seen: BTreeMap<(Group, String), usize> = BTreeMap::new();
    for r in s
        .ranking
        .ranked
        .iter()
        .filter(|r| r.year == year && r.rank.is_some())
    {
        *seen.entry((r.group, r.group_value.clone())).or_default() += 1;
    }
    let mut out: Vec<(Group, String)> = Vec::new();
    for g in &model.groups {
        out.extend(
            seen.iter()
                .filter(|((gg, _), n)| gg == g && **n >= 3)
                .map(|((gg, v), _)| (*gg, v.clone())),
        );
    }
    out
}

fn bar_color(u: &Unit) -> plotters::style::RGBColor {
    if is_synthetic(&u.region_code) {
        palette::SYNTHETIC
    } else {
        palette::REAL
    }
}

fn real_synthetic_legend() -> Vec<(String, plotters::style::RGBColor)> {
    vec![
        (labels::REAL.to_owned(), palette::REAL),
        (labels::SYNTHETIC.to_owned(), palette::SYNTHETIC),
    ]
}

fn omitted(n: usize) -> Row {
    Row::gap(format!("{} {n} {}", labels::OMITTED, labels::OMITTED_END))
}

/// Keeps the first `top` and last `bottom` of `items`, with the count left out between.
fn top_and_bottom<T>(items: Vec<T>, top: usize, bottom: usize) -> (Vec<T>, Option<usize>, Vec<T>) {
    if items.len() <= top + bottom + 2 {
        return (items, None, Vec::new());
    }
    let n = items.len();
    let mut items = items;
    let tail = items.split_off(n - bottom);
    items.truncate(top);
    (items, Some(n - top - bottom), tail)
}

fn rank_chart(s: &Scored, year: i32, group: Group, value: &str) -> RowChart {
    let rows = group_rows(s, year, group, value);
    let n = rows.len();
    let min = rows.iter().filter_map(|r| r.score).fold(0.0, f64::min);
    let row = |r: &Ranked| {
        let u = &s.units[r.unit];
        let score = r.score.unwrap_or(0.0);
        Row {
            label: short_name(&u.issuer),
            marks: vec![Mark::Bar {
                from: min,
                to: score,
                color: bar_color(u),
            }],
            end: format!(
                "{score:.3} · {}{}{}",
                labels::RANK,
                r.rank.unwrap_or(0),
                labels::RANK_END
            ),
        }
    };
    let (head, gap, tail) = top_and_bottom(rows, RANK_TOP, RANK_BOTTOM);
    let mut out: Vec<Row> = head.into_iter().map(row).collect();
    if let Some(k) = gap {
        out.push(omitted(k));
        out.extend(tail.into_iter().map(row));
    }
    RowChart {
        title: format!(
            "{year} {} · {}（{n}）",
            labels::RANK_TITLE,
            group_name(group, value)
        ),
        note: labels::RANK_NOTE.to_owned(),
        axis: labels::RANK_AXIS.to_owned(),
        x_max: None,
        percent: false,
        x_min: min,
        rows: out,
        legend: real_synthetic_legend(),
    }
}

/// Counts per outcome band (table 三's total column) of one unit.
fn outcome_counts(u: &Unit) -> Vec<f64> {
    OUTCOME_GROUPS
        .iter()
        .map(|g| {
            g.rows
                .iter()
                .filter_map(|r| u.values.get(&(TableKind::Requests, *r, "total")))
                .sum()
        })
        .collect()
}

fn stacked(counts: &[f64], colors: &[plotters::style::RGBColor]) -> Vec<Mark> {
    let total: f64 = counts.iter().sum();
    let mut at = 0.0;
    counts
        .iter()
        .zip(colors)
        .filter(|(c, _)| **c > 0.0)
        .map(|(c, color)| {
            let from = at;
            at += c / total;
            Mark::Bar {
                from,
                to: at,
                color: *color,
            }
        })
        .collect()
}

fn outcome_chart(s: &Scored, year: i32) -> Option<RowChart> {
    let mut units: Vec<(&Unit, Vec<f64>)> = s
        .units
        .iter()
        .filter(|u| u.year == year)
        .map(|u| (u, outcome_counts(u)))
        .filter(|(_, c)| c.iter().sum::<f64>() > 0.0)
        .collect();
    if units.is_empty() {
        return None;
    }
    let mut all = vec![0.0; OUTCOME_GROUPS.len()];
    for (_, c) in &units {
        for (a, x) in all.iter_mut().zip(c) {
            *a += x;
        }
    }
    units.sort_by(|a, b| {
        let (x, y) = (a.1.iter().sum::<f64>(), b.1.iter().sum::<f64>());
        y.total_cmp(&x).then_with(|| a.0.who.cmp(&b.0.who))
    });
    let colors = &palette::CATEGORIES[..OUTCOME_GROUPS.len()];
    let row = |label: String, c: &[f64]| Row {
        label,
        marks: stacked(c, colors),
        end: format!("n={}", crate::render::charts::fmt_num(c.iter().sum())),
    };
    let mut rows = vec![row(labels::ALL_ISSUERS.to_owned(), &all)];
    rows.extend(
        units
            .iter()
            .take(OUTCOME_ROWS)
            .map(|(u, c)| row(short_name(&u.issuer), c)),
    );
    Some(RowChart {
        title: format!("{year} {}", labels::OUTCOME_TITLE),
        note: labels::OUTCOME_NOTE.to_owned(),
        axis: labels::OUTCOME_AXIS.to_owned(),
        x_max: Some(1.0),
        percent: true,
        x_min: 0.0,
        rows,
        legend: OUTCOME_GROUPS
            .iter()
            .zip(colors)
            .map(|(g, c)| (g.zh.to_owned(), *c))
            .collect(),
    })
}

fn quartiles(mut v: Vec<f64>) -> Option<(f64, f64, f64)> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = p * (v.len() - 1) as f64;
        let (i, f) = (pos.floor() as usize, pos.fract());
        v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * f
    };
    Some((q(0.25), q(0.5), q(0.75)))
}

/// The issuer a trend highlights: ranked in group `all` in the most years, best latest rank.
fn highlighted(s: &Scored) -> Option<String> {
    let mut years: HashMap<&str, (usize, u32, i32)> = HashMap::new();
    for r in s
        .ranking
        .ranked
        .iter()
        .filter(|r| r.group == Group::All && r.rank.is_some())
    {
        let e = years
            .entry(&s.units[r.unit].who)
            .or_insert((0, u32::MAX, i32::MIN));
        e.0 += 1;
        if r.year > e.2 {
            e.2 = r.year;
            e.1 = r.rank.unwrap_or(u32::MAX);
        }
    }
    years
        .into_iter()
        .max_by(|a, b| {
            (
                a.1.0,
                a.1.2,
                std::cmp::Reverse(a.1.1),
                std::cmp::Reverse(a.0),
            )
                .cmp(&(
                    b.1.0,
                    b.1.2,
                    std::cmp::Reverse(b.1.1),
                    std::cmp::Reverse(b.0),
                ))
        })
        .map(|(who, _)| who.to_owned())
}

/// A trend of `value` over the units ranked in group `all`, by year.
fn trend(
    s: &Scored,
    title: String,
    y_label: String,
    who: Option<&str>,
    value: &dyn Fn(&Ranked) -> Option<f64>,
) -> Option<Trend> {
    let mut by_year: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
    let mut own: Vec<(i32, f64)> = Vec::new();
    let mut name = String::new();
    for r in s.ranking.ranked.iter().filter(|r| r.group == Group::All) {
        let Some(v) = value(r).filter(|v| v.is_finite()) else {
            continue;
        };
        by_year.entry(r.year).or_default().push(v);
        let u = &s.units[r.unit];
        if Some(u.who.as_str()) == who {
            own.push((r.year, v));
            name = short_name(&u.issuer);
        }
    }
    if by_year.len() < 2 {
        return None;
    }
    own.sort_by_key(|p| p.0);
    let years = by_year
        .into_iter()
        .filter_map(|(year, v)| {
            let n = v.len();
            quartiles(v).map(|(p25, median, p75)| YearStats {
                year,
                p25,
                median,
                p75,
                n,
            })
        })
        .collect();
    Some(Trend {
        title,
        note: labels::TREND_NOTE.to_owned(),
        y_label,
        years,
        highlight: (!own.is_empty()).then_some((name, own)),
        break_year: Some(TEMPLATE_2021_FIRST_YEAR),
        break_label: labels::BREAK.to_owned(),
        band_label: labels::BAND.to_owned(),
        median_label: labels::MEDIAN.to_owned(),
    })
}

fn scatter(s: &Scored, year: i32) -> Scatter {
    let points = s
        .units
        .iter()
        .filter(|u| u.year == year)
        .filter_map(|u| {
            let volume = harmonised(u, VOLUME_SERIES)?;
            let cases = sum_series(u, CASE_SERIES)?;
            let corrected = sum_series(u, CORRECTED_SERIES).unwrap_or(0.0);
            (volume >= 1.0 && cases > 0.0).then(|| Point {
                x: volume,
                y: (corrected / cases).min(1.0),
                synthetic: is_synthetic(&u.region_code),
            })
        })
        .collect();
    Scatter {
        title: format!("{year} {}", labels::SCATTER_TITLE),
        note: labels::SCATTER_NOTE.to_owned(),
        x_label: labels::SCATTER_X.to_owned(),
        y_label: labels::SCATTER_Y.to_owned(),
        points,
        real_label: labels::REAL.to_owned(),
        synthetic_label: labels::SYNTHETIC.to_owned(),
    }
}

fn interval_chart(s: &Scored, year: i32) -> Option<RowChart> {
    let rows = group_rows(s, year, Group::All, "all");
    let n = rows.len();
    if n < 3 {
        return None;
    }
    let shown: Vec<&&Ranked> = rows.iter().take(INTERVAL_ROWS).collect();
    let right = shown
        .iter()
        .filter_map(|r| r.rank_p95.or(r.rank))
        .max()
        .unwrap_or(1);
    let out = shown
        .into_iter()
        .map(|r| {
            let u = &s.units[r.unit];
            let rank = f64::from(r.rank.unwrap_or(0));
            let lo = r.rank_p05.map_or(rank, f64::from);
            let hi = r.rank_p95.map_or(rank, f64::from);
            Row {
                label: short_name(&u.issuer),
                marks: vec![Mark::Whisker {
                    from: lo,
                    to: hi,
                    at: rank,
                    color: bar_color(u),
                }],
                end: format!(
                    "{}–{}",
                    crate::render::charts::fmt_num(lo),
                    crate::render::charts::fmt_num(hi)
                ),
            }
        })
        .collect();
    Some(RowChart {
        title: format!("{year} {} · {}", labels::INTERVAL_TITLE, labels::GROUP_ALL),
        note: labels::INTERVAL_NOTE.to_owned(),
        axis: labels::INTERVAL_AXIS.to_owned(),
        x_max: Some(f64::from(right)),
        percent: false,
        x_min: 1.0,
        rows: out,
        legend: real_synthetic_legend(),
    })
}

/// The name a report is known by in the findings chart: its issuer, else its file name.
pub(crate) fn outcome_name(o: &Outcome) -> String {
    o.result
        .as_ref()
        .ok()
        .and_then(|p| p.report.meta.issuer.as_deref().map(short_name))
        .unwrap_or_else(|| {
            o.path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
        })
}

fn findings_chart(outcomes: &[Outcome]) -> Option<RowChart> {
    let mut per: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for o in outcomes {
        let c = [
            o.count(Severity::Error),
            o.count(Severity::Warning),
            o.count(Severity::Info),
        ];
        if c.iter().sum::<usize>() == 0 {
            continue;
        }
        let e = per.entry(outcome_name(o)).or_default();
        for (a, x) in e.iter_mut().zip(c) {
            *a += x;
        }
    }
    if per.is_empty() {
        return None;
    }
    let mut rows: Vec<(String, [usize; 3])> = per.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let colors = [palette::ERROR, palette::WARNING, palette::INFO];
    let n = rows.len();
    let out = rows
        .into_iter()
        .take(FINDING_ROWS)
        .map(|(name, c)| {
            let mut at = 0.0;
            let marks = c
                .iter()
                .zip(colors)
                .filter(|(k, _)| **k > 0)
                .map(|(k, color)| {
                    let from = at;
                    at += *k as f64;
                    Mark::Bar {
                        from,
                        to: at,
                        color,
                    }
                })
                .collect();
            Row {
                label: name,
                marks,
                end: format!("{} / {} / {}", c[0], c[1], c[2]),
            }
        })
        .collect();
    Some(RowChart {
        title: format!("{}（{n}）", labels::FINDINGS_TITLE),
        note: labels::FINDINGS_NOTE.to_owned(),
        axis: labels::FINDINGS_AXIS.to_owned(),
        x_max: None,
        percent: false,
        x_min: 0.0,
        rows: out,
        legend: vec![
            (labels::ERROR.to_owned(), palette::ERROR),
            (labels::WARNING.to_owned(), palette::WARNING),
            (labels::INFO.to_owned(), palette::INFO),
        ],
    })
}

/// Every figure of the report, in reading order.
pub(crate) fn figures(model: &Model, s: &Scored, outcomes: &[Outcome]) -> Vec<Figure> {
    let mut out = Vec::new();
    let mut push = |id: String, section, chart| {
        out.push(Figure { id, section, chart });
    };
    if let Some(year) = latest_year(s) {
        for (i, (g, v)) in peer_groups(model, s, year)
            .into_iter()
            .take(MAX_RANK_CHARTS)
            .enumerate()
        {
            push(
                format!("rank-{year}-{}-{i}", g.key()),
                Section::Rankings,
                AnyChart::Rows(rank_chart(s, year, g, &v)),
            );
        }
        if let Some(c) = outcome_chart(s, year) {
            push(
                format!("outcomes-{year}"),
                Section::Outcomes,
                AnyChart::Rows(c),
            );
        }
        push(
            format!("volume-correction-{year}"),
            Section::Volume,
            AnyChart::Scatter(scatter(s, year)),
        );
        if let Some(c) = interval_chart(s, year) {
            push(
                format!("intervals-{year}"),
                Section::Intervals,
                AnyChart::Rows(c),
            );
        }
    }
    let who = highlighted(s);
    if let Some(t) = trend(
        s,
        labels::TREND_TITLE.to_owned(),
        labels::TREND_AXIS.to_owned(),
        who.as_deref(),
        &|r| r.score,
    ) {
        push("trend-score".into(), Section::Trends, AnyChart::Trend(t));
    }
    if let Some(ind) = model.indicators.first() {
        let title = format!("{} {}", ind.zh, labels::INDICATOR_TREND);
        if let Some(t) = trend(s, title, ind.zh.clone(), who.as_deref(), &|r| {
            s.ranking.raw[r.unit][0]
        }) {
            push(
                format!("trend-{}", ind.key),
                Section::Trends,
                AnyChart::Trend(t),
            );
        }
    }
    if let Some(c) = findings_chart(outcomes) {
        push("findings".into(), Section::Findings, AnyChart::Rows(c));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_government_word() {
        assert_eq!(
            short_name("示例省示例一市示例一县人民政府"),
            "示例省示例一市示例一县"
        );
        assert_eq!(short_name("人民政府"), "人民政府");
        assert_eq!(short_name("上海市人民政府办公厅"), "上海市人民政府办公厅");
    }

    #[test]
    fn top_and_bottom_leave_out_the_middle() {
        let (h, gap, t) = top_and_bottom((1..=30).collect::<Vec<_>>(), 15, 5);
        assert_eq!(h.len(), 15);
        assert_eq!(gap, Some(10));
        assert_eq!(t, vec![26, 27, 28, 29, 30]);
        let (h, gap, t) = top_and_bottom((1..=21).collect::<Vec<_>>(), 15, 5);
        assert_eq!((h.len(), gap, t.len()), (21, None, 0));
    }

    #[test]
    fn quartiles_interpolate() {
        assert_eq!(quartiles(vec![4.0, 1.0, 3.0, 2.0]), Some((1.75, 2.5, 3.25)));
        assert_eq!(quartiles(Vec::new()), None);
    }
}
