//! Each figure built from the scored units: ranks per peer group, request outcomes, trends,
//! volume against correction, rank intervals, and findings per issuer.

use super::*;

pub(super) fn bar_color(u: &Unit) -> plotters::style::RGBColor {
    if is_synthetic(&u.region_code) {
        palette::SYNTHETIC
    } else {
        palette::REAL
    }
}

pub(super) fn real_synthetic_legend() -> Vec<(String, plotters::style::RGBColor)> {
    vec![
        (labels::REAL.to_owned(), palette::REAL),
        (labels::SYNTHETIC.to_owned(), palette::SYNTHETIC),
    ]
}

pub(super) fn omitted(n: usize) -> Row {
    Row::gap(format!("{} {n} {}", labels::OMITTED, labels::OMITTED_END))
}

/// Keeps the first `top` and last `bottom` of `items`, with the count left out between.
pub(super) fn top_and_bottom<T>(
    items: Vec<T>,
    top: usize,
    bottom: usize,
) -> (Vec<T>, Option<usize>, Vec<T>) {
    if items.len() <= top + bottom + 2 {
        return (items, None, Vec::new());
    }
    let n = items.len();
    let mut items = items;
    let tail = items.split_off(n - bottom);
    items.truncate(top);
    (items, Some(n - top - bottom), tail)
}

pub(super) fn rank_chart(s: &Scored, year: i32, group: Group, value: &str) -> RowChart {
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
pub(super) fn outcome_counts(u: &Unit) -> Vec<f64> {
    OUTCOME_GROUPS
        .iter()
        .map(|g| {
            g.rows
                .iter()
                .filter_map(|r| {
                    u.values
                        .get(&(TableKind::Requests, *r, crate::template::TOTAL))
                })
                .sum()
        })
        .collect()
}

pub(super) fn stacked(counts: &[f64], colors: &[plotters::style::RGBColor]) -> Vec<Mark> {
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

pub(super) fn outcome_chart(s: &Scored, year: i32) -> Option<RowChart> {
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

pub(super) fn quartiles(mut v: Vec<f64>) -> Option<(f64, f64, f64)> {
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
pub(super) fn highlighted(s: &Scored) -> Option<String> {
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
pub(super) fn trend(
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

pub(super) fn scatter(s: &Scored, year: i32) -> Scatter {
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

pub(super) fn interval_chart(s: &Scored, year: i32) -> Option<RowChart> {
    let set = main_set(s, year)?;
    let rows = group_rows(s, year, Group::All, &set);
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
        title: format!(
            "{year} {} · {}",
            labels::INTERVAL_TITLE,
            group_name(Group::All, &set)
        ),
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

pub(super) fn findings_chart(outcomes: &[Outcome]) -> Option<RowChart> {
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
