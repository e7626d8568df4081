//! What the report shows, computed once from a run: the figures (chart data) and the
//! per-issuer facts the HTML prints. Charts and HTML only lay these out.

mod build;

use build::*;

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

/// How a peer set is named in titles: 全部 · 县级政府, 省：示例省 · 县级政府, 层级：县级 · 政府
/// (the set's name is the group's value, then what the model splits by: see
/// `Unit::peer_set`).
pub(crate) fn group_name(group: Group, value: &str) -> String {
    let (value, split) = match group {
        Group::All if value == "all" => ("", ""),
        Group::All => ("", value),
        _ => value.split_once(" · ").unwrap_or((value, "")),
    };
    // The split words in Chinese: `county government` → 县级政府.
    let split: String = split
        .split(' ')
        .map(|w| {
            crate::report::Body::from_key(w)
                .map(|b| b.zh())
                .or_else(|| Level::from_key(w).map(Level::zh))
                .unwrap_or(w)
                .to_owned()
        })
        .collect();
    let level = |v: &str| Level::from_key(v).map_or(v.to_owned(), |l| l.zh().to_owned());
    let head = match group {
        Group::All => labels::GROUP_ALL.to_owned(),
        Group::Province => format!("{}：{value}", labels::GROUP_PROVINCE),
        Group::City => format!("{}：{value}", labels::GROUP_CITY),
        Group::Level => format!("{}：{}", labels::GROUP_LEVEL, level(value)),
    };
    if split.is_empty() {
        head
    } else {
        format!("{head} · {split}")
    }
}

/// The `all` peer set of `year` with the most ranked issuers (the one the report's tables
/// and interval chart show first).
pub(crate) fn main_set(s: &Scored, year: i32) -> Option<String> {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &s.ranking.ranked {
        if r.year == year && r.group == Group::All && r.rank.is_some() {
            *n.entry(r.group_value.as_str()).or_default() += 1;
        }
    }
    n.into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(v, _)| v.to_owned())
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
