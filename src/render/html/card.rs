//! Score cards: one printable page per issuer-year (`cards/<region_code>-<year>.html`), the
//! explanation an evaluator sends each issuer. Ranks in each peer set with intervals, every
//! indicator's raw value with its 口径 and the cells behind it (value, printed text, place in
//! the source file), findings, context counts, and the score's trend against the peer set's
//! median. Self-contained (inline CSS and SVG); print CSS so a browser saves one or two A4
//! pages as PDF.

use super::*;

use std::collections::HashMap;

use crate::score::formula::Measure;
use crate::score::rank::Unit;

/// Print-first styles: A4, no sticky parts, tables kept whole across pages where they fit.
const CARD_CSS: &str = r#"
@page{size:A4;margin:14mm 12mm}
*{box-sizing:border-box}
body{margin:0 auto;max-width:190mm;padding:8px 12px;font:12px/1.45 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:#222}
h1{font-size:18px;margin:0 0 2px}
h2{font-size:13px;margin:8px 0 3px;border-left:3px solid #0072b2;padding-left:6px}
p{margin:3px 0}
.muted{color:#666}
.syn{color:#4a6f99;font-size:11px;border:1px solid #9bb8d8;border-radius:3px;padding:0 3px;margin-left:4px}
table{border-collapse:collapse;width:100%;margin:3px 0;font-size:10.5px;line-height:1.3}
th,td{border:1px solid #ccc;padding:1px 4px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr{break-inside:avoid}
table.findings{table-layout:fixed;font-size:9.5px}
table.findings col.rule{width:5%}table.findings col.sev{width:8%}table.findings col.msg{width:37%}
table.findings col.cells{width:24%}table.findings col.num{width:9%}table.findings col.loc{width:8%}
table.findings td{overflow-wrap:anywhere}
table.findings code{font-size:9px}
code{font-size:10.5px}
.cells{font-size:9.5px;color:#444}
.sev-error{color:#c82828;font-weight:600}
.sev-warning{color:#a86b00}
svg text{font-family:inherit}
@media print{a{color:inherit;text-decoration:none}.noprint{display:none}}
"#;

/// The card's file under `cards/` for a unit: region code and year; a department (which
/// shares its government's code) or an issuer without a code gets a stable hash of its
/// identity so no two cards share a file.
pub(crate) fn card_file(u: &Unit) -> String {
    let ascii = !u.region_code.is_empty() && u.region_code.chars().all(|c| c.is_ascii_digit());
    if ascii && u.who == u.region_code {
        format!("{}-{}.html", u.region_code, u.year)
    } else {
        let sum = u.who.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let code = if ascii { u.region_code.as_str() } else { "x" };
        format!("{code}-{:08x}-{}.html", sum as u32, u.year)
    }
}

/// Every card of the run: (file name, page).
pub(crate) fn cards(p: &Page) -> Vec<(String, String)> {
    use rayon::prelude::*;
    let s = p.scored;
    let by_id: HashMap<&str, &Outcome> = p.outcomes.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut places: HashMap<usize, Vec<&Ranked>> = HashMap::new();
    // Per peer set and year: the members' scores (for ranks out of n and the median).
    let mut sets: HashMap<(Group, &str, i32), Vec<f64>> = HashMap::new();
    for r in &s.ranking.ranked {
        places.entry(r.unit).or_default().push(r);
        if let (Some(sc), Some(_)) = (r.score, r.rank) {
            sets.entry((r.group, r.group_value.as_str(), r.year))
                .or_default()
                .push(sc);
        }
    }
    // Each set's size and median once (a set of 1,200 is in 1,200 cards' trends).
    let sets: HashMap<(Group, &str, i32), (usize, Option<f64>)> = sets
        .into_iter()
        .map(|(k, v)| (k, (v.len(), median(&v))))
        .collect();
    let mut years_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in s.units.iter().enumerate() {
        years_of.entry(u.who.as_str()).or_default().push(i);
    }
    for v in years_of.values_mut() {
        v.sort_by_key(|&i| s.units[i].year);
    }
    (0..s.units.len())
        .into_par_iter()
        .map(|i| {
            let u = &s.units[i];
            let ctx = Ctx {
                p,
                unit: i,
                places: places.get(&i).map_or(&[][..], Vec::as_slice),
                sets: &sets,
                years: years_of.get(u.who.as_str()).map_or(&[][..], Vec::as_slice),
                places_of: &places,
                outcome: by_id.get(u.report_id.as_str()).copied(),
            };
            (card_file(u), card(&ctx))
        })
        .collect()
}

struct Ctx<'a> {
    p: &'a Page<'a>,
    unit: usize,
    places: &'a [&'a Ranked],
    /// Per peer set and year: members ranked, and their median score.
    sets: &'a HashMap<(Group, &'a str, i32), (usize, Option<f64>)>,
    /// This issuer's units, by year.
    years: &'a [usize],
    places_of: &'a HashMap<usize, Vec<&'a Ranked>>,
    outcome: Option<&'a Outcome>,
}

fn median(v: &[f64]) -> Option<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (n > 0).then(|| {
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    })
}

fn card(c: &Ctx) -> String {
    let (p, s) = (c.p, c.p.scored);
    let u = &s.units[c.unit];
    let mut h = String::with_capacity(16 << 10);
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{} {} 年 评分说明 · gongkai</title><style>{CARD_CSS}</style></head><body>\n",
        Esc(&u.issuer),
        u.year
    );
    let _ = write!(
        h,
        "<h1>{}{} · {} 年度评分说明</h1><p class=\"muted\">Score card · 区划代码 {} · {} · {} · \
模型 {} <code>{}</code> · gongkai {} <a class=\"noprint\" href=\"../index.html\">← 返回总报告</a></p>",
        Esc(&u.issuer),
        syn_tag(&u.region_code),
        u.year,
        Esc(&u.region_code),
        Esc(&u.level),
        Esc(&u.body),
        Esc(&p.model.name),
        Esc(&p.model.hash),
        Esc(p.version)
    );
    if is_synthetic(&u.region_code) {
        h.push_str(
            "<p class=\"muted\">示例省为虚构数据（代码以 99 开头），由生成器按固定种子生成。 \
Synthetic: the fictional province 示例省.</p>",
        );
    }
    if let Some(o) = c.outcome {
        let _ = write!(
            h,
            "<p class=\"muted\">来源 source: <code>{}</code> · 报告 id <code>{}</code></p>",
            Esc(&o.path.to_string_lossy()),
            Esc(&u.report_id)
        );
    }
    // Pieces of text that are escaped once whole (a cell's printed form, a place).
    let mut tmp = String::new();
    ranks(&mut h, c);
    indicators(&mut h, c, &mut tmp);
    trend(&mut h, c);
    findings(&mut h, c, &mut tmp);
    let _ = writeln!(
        h,
        "<p class=\"muted\">得分以 {} 位小数发布，按发布得分排名，同分同名次。区间为权重扰动 {} 次后的 P5–P95 名次。\
Scores are published to {} decimals and ranked as published; intervals are the P5–P95 ranks over {} weight draws.</p></body></html>",
        crate::score::rank::PUBLISHED_DECIMALS,
        p.model.perturbation.draws,
        crate::score::rank::PUBLISHED_DECIMALS,
        p.model.perturbation.draws
    );
    h
}

fn ranks(h: &mut String, c: &Ctx) {
    h.push_str(
        "<h2>名次 Ranks</h2><table><thead><tr><th>同组 peer set</th><th>名次 rank</th><th>得分 score</th>\
<th>区间 P5–P95</th><th>变化 change</th><th>指标覆盖 coverage</th><th>状态 status</th></tr></thead><tbody>",
    );
    // Each value written in place: a `String` per value was most of a card's allocations.
    for r in c.places {
        let n = c
            .sets
            .get(&(r.group, r.group_value.as_str(), r.year))
            .map_or(0, |s| s.0);
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"n\">",
            Esc(&group_name(r.group, &r.group_value))
        );
        match r.rank {
            Some(k) => {
                let _ = write!(h, "{k} / {n}");
            }
            None => h.push('—'),
        }
        h.push_str("</td><td class=\"n\">");
        if let Some(x) = r.score {
            let _ = write!(h, "{x:.6}");
        }
        h.push_str("</td><td class=\"n\">");
        if let (Some(a), Some(b)) = (r.rank_p05, r.rank_p95) {
            let _ = write!(h, "{a}–{b}");
        }
        h.push_str("</td><td class=\"n\">");
        if let Some(x) = r.rank_change {
            let _ = write!(h, "{x:+}");
        }
        let _ = write!(
            h,
            "</td><td class=\"n\">{:.0}%</td><td>{}",
            r.coverage * 100.0,
            Esc(r.status)
        );
        if !r.reason.is_empty() {
            let _ = write!(h, "<br><span class=\"muted\">{}</span>", Esc(&r.reason));
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table>");
}

/// The cells a formula reads, as this report printed them, escaped into `h` (`; ` between
/// them); whether any was written. Each is built in `tmp` and escaped whole.
fn cells_behind(
    h: &mut String,
    tmp: &mut String,
    c: &Ctx,
    keys: &[crate::score::formula::Key],
) -> bool {
    let Some(Ok(parsed)) = c.outcome.map(|o| &o.result) else {
        return false;
    };
    for (i, &(t, r, col)) in keys.iter().enumerate() {
        tmp.clear();
        // The names formulas use: a requests row's 总计 by its row alone.
        match (t, col) {
            (TableKind::Requests, crate::template::TOTAL) => tmp.push_str(r),
            _ => {
                let _ = write!(tmp, "{r}.{col}");
            }
        }
        match parsed
            .report
            .cells
            .iter()
            .find(|x| x.table == t && x.row == r && x.col == col)
        {
            None => tmp.push_str(" 缺 missing"),
            Some(cell) => {
                tmp.push_str(" = ");
                let from = tmp.len();
                cell_text_into(tmp, &cell.state);
                // The printed text when it is not the value itself (a glued run, 1,234, a word).
                if !(cell.raw.is_empty() || cell.raw.trim() == &tmp[from..]) {
                    let _ = write!(tmp, " «{}»", cell.raw);
                }
                if let Some(l) = cell.loc {
                    tmp.push_str(" (");
                    l.push_to(tmp);
                    tmp.push(')');
                }
            }
        }
        if i > 0 {
            h.push_str("; ");
        }
        let _ = write!(h, "{}", Esc(tmp));
    }
    !keys.is_empty()
}

fn measure_text(m: Measure) -> &'static str {
    match m {
        Measure::Completeness => {
            "模板单元格中印出数值、空白或不适用的比例 share of template cells printed"
        }
        Measure::IdentityFailures => {
            "本报告 I1–I5 勾稽不符（错误级）的检查发现数 I1–I5 errors of this report"
        }
        Measure::ReusePrevious => {
            "叙述文字与上年报告重复的比例 (R1) narrative shared with the previous report"
        }
        Measure::FeeCharged => "第六部分是否说明收取信息处理费 section 六 says a fee was charged",
    }
}

fn indicators(h: &mut String, c: &Ctx, tmp: &mut String) {
    let (m, s) = (c.p.model, c.p.scored);
    // Normalised values from the unit's `all` place (any place has the same raw values).
    let place = c
        .places
        .iter()
        .find(|r| r.group == Group::All)
        .or(c.places.first());
    for (title, context) in [
        ("指标 Indicators", false),
        ("背景计数 Context (weight 0, not scored)", true),
    ] {
        let _ = write!(
            h,
            "<h2>{title}</h2><table><thead><tr><th>指标 indicator</th><th>原值 raw</th><th>标准化 normalised</th>\
<th>权重 weight</th><th>口径 denominator · 单元格 cells behind it (value «printed» (place))</th></tr></thead><tbody>"
        );
        for (k, ind) in m.indicators.iter().enumerate() {
            if ind.is_context() != context {
                continue;
            }
            let raw = s.ranking.raw[c.unit][k];
            let derived = s.ranking.derived[c.unit][k];
            let norm = place.and_then(|r| r.normalised.get(k).copied().flatten());
            let _ = write!(
                h,
                "<tr><td>{} {}<br><span class=\"muted\">{}</span></td><td class=\"n\">",
                Esc(&ind.zh),
                if ind.direction == crate::score::model::Direction::Higher {
                    "<span title=\"越高越好 higher is better\">↑</span>"
                } else {
                    "<span title=\"越低越好 lower is better\">↓</span>"
                },
                Esc(&ind.en),
            );
            match raw {
                Some(v) => {
                    let _ = write!(h, "{}", crate::score::rank::published(v));
                }
                None => h.push('—'),
            }
            if derived {
                h.push_str(" †");
            }
            h.push_str("</td><td class=\"n\">");
            // A context count is normalised but weighs nothing: no normalised value shown.
            if let Some(v) = norm.filter(|_| !context) {
                let _ = write!(h, "{v:.3}");
            }
            let _ = write!(
                h,
                "</td><td class=\"n\">{}</td><td>{}<div class=\"cells\">",
                num(ind.weight),
                Esc(&ind.denominator),
            );
            let mut any = cells_behind(h, tmp, c, &ind.formula.keys());
            for me in ind.formula.measures() {
                if any {
                    h.push_str("; ");
                }
                let _ = write!(h, "{}", Esc(measure_text(me)));
                any = true;
            }
            h.push_str("</div></td></tr>");
        }
        h.push_str("</tbody></table>");
    }
    if s.ranking.derived[c.unit].iter().any(|d| *d) {
        h.push_str(
            "<p class=\"muted\">† 该行“总计”印为空白，按模型以各申请人类别单元格之和作替代口径（单元格本身未改动）。 \
A 总计 printed blank: the applicant cells' sum stands in, as the model declares.</p>",
        );
    }
}

/// A year of the trend: year, score, the peer set's median score, rank.
type Point = (i32, Option<f64>, Option<f64>, Option<u32>);

/// This issuer's score by year against its `all` peer set's median, as a table and a small
/// inline chart.
fn trend(h: &mut String, c: &Ctx) {
    let s = c.p.scored;
    let mut points: Vec<Point> = Vec::new();
    for &i in c.years {
        let Some(r) = c
            .places_of
            .get(&i)
            .and_then(|v| v.iter().find(|r| r.group == Group::All))
        else {
            continue;
        };
        let med = c
            .sets
            .get(&(r.group, r.group_value.as_str(), r.year))
            .and_then(|s| s.1);
        points.push((s.units[i].year, r.score, med, r.rank));
    }
    if points.is_empty() {
        return;
    }
    h.push_str(
        "<h2>走势 Trend against the peer set's median</h2><table><thead><tr><th>年度 year</th><th>得分 score</th>\
<th>同组中位数 median</th><th>名次 rank</th></tr></thead><tbody>",
    );
    for (y, sc, med, rank) in &points {
        let _ = write!(h, "<tr><td>{y}</td>");
        for v in [sc, med] {
            h.push_str("<td class=\"n\">");
            match v {
                Some(x) => {
                    let _ = write!(h, "{x:.3}");
                }
                None => h.push('—'),
            }
            h.push_str("</td>");
        }
        h.push_str("<td class=\"n\">");
        if let Some(k) = rank {
            let _ = write!(h, "{k}");
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table>");
    if points.len() < 2 {
        return;
    }
    // A small chart: x by year, y over the values' own range (scores of one peer set sit
    // close together; a 0–1 axis would flatten them), both lines on the same scale.
    let (w, ht, pad) = (360.0, 110.0, 24.0);
    let (y0, y1) = (points[0].0, points[points.len() - 1].0);
    let vals: Vec<f64> = points.iter().flat_map(|p| [p.1, p.2]).flatten().collect();
    let lo = vals.iter().copied().fold(f64::INFINITY, f64::min) - 0.02;
    let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 0.02;
    let x = |y: i32| pad + (w - 2.0 * pad) * f64::from(y - y0) / f64::from((y1 - y0).max(1));
    let y = |v: f64| ht - pad / 2.0 - (ht - 1.5 * pad) * ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    // A polyline's points, written in place.
    let line = |h: &mut String, pick: &dyn Fn(&Point) -> Option<f64>| {
        let mut first = true;
        for pt in &points {
            if let Some(v) = pick(pt) {
                if !first {
                    h.push(' ');
                }
                first = false;
                let _ = write!(h, "{:.1},{:.1}", x(pt.0), y(v));
            }
        }
    };
    let _ = write!(
        h,
        "<svg width=\"{w}\" height=\"{ht}\" viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"score and median by year\">\
<line x1=\"{pad}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ccc\"/>\
<polyline fill=\"none\" stroke=\"#0072b2\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"",
        y(lo),
        w - pad,
        y(lo),
    );
    line(h, &|p| p.2);
    h.push_str("\"/><polyline fill=\"none\" stroke=\"#e69f00\" stroke-width=\"2\" points=\"");
    line(h, &|p| p.1);
    let _ = write!(
        h,
        "\"/><text x=\"{pad}\" y=\"10\" font-size=\"10\" fill=\"#e69f00\">本机关 score</text>\
<text x=\"{}\" y=\"10\" font-size=\"10\" fill=\"#0072b2\">同组中位数 median</text>\
<text x=\"2\" y=\"{:.1}\" font-size=\"9\" fill=\"#666\">{:.2}</text><text x=\"2\" y=\"{:.1}\" font-size=\"9\" fill=\"#666\">{:.2}</text>",
        pad + 90.0,
        y(hi) + 3.0,
        hi,
        y(lo),
        lo
    );
    for pt in &points {
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#666\">{}</text>",
            x(pt.0),
            ht - 1.0,
            pt.0
        );
    }
    h.push_str("</svg>");
}

fn findings(h: &mut String, c: &Ctx, tmp: &mut String) {
    let Some(Ok(parsed)) = c.outcome.map(|o| &o.result) else {
        return;
    };
    if parsed.findings.is_empty() {
        h.push_str("<h2>检查发现 Findings</h2><p>无 none.</p>");
        return;
    }
    h.push_str(
        "<h2>检查发现 Findings</h2><table class=\"findings\"><colgroup><col class=\"rule\"><col class=\"sev\">\
<col class=\"msg\"><col class=\"cells\"><col class=\"num\"><col class=\"num\"><col class=\"loc\"></colgroup>\
<thead><tr><th>规则</th><th>严重性</th><th>说明</th><th>单元格</th>\
<th>应为</th><th>实为</th><th>位置</th></tr></thead><tbody>",
    );
    for f in &parsed.findings {
        let _ = write!(h, "<tr>{}<td>", FindingCells(f));
        if let Some(l) = f.loc {
            tmp.clear();
            l.push_to(tmp);
            let _ = write!(h, "{}", Esc(tmp));
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</tbody></table>");
}
