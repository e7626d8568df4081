//! The values of a fictional report: disclosure counts with in-force carried between years,
//! request outcomes split into bands, review and litigation, the injected source errors, and a
//! narrative drawn from fixed phrases.

use super::*;
use crate::template::carry::{IN_FORCE, ISSUED, REPEALED};
use crate::template::{CARRIED_IN, TOTAL};

pub(super) fn disclosure_values(
    rng: &mut Rng,
    t: &mut Truth,
    in_force: &mut BTreeMap<&'static str, i64>,
) {
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
            .filter(|&(_, c)| c == IN_FORCE)
            .map(|(r, _)| r)
            .collect();
        for r in linked {
            let get = |c| {
                t.cells
                    .get(&(TableKind::Disclosure, r, c))
                    .copied()
                    .unwrap_or(0)
            };
            let (issued, repealed) = (get(ISSUED), get(REPEALED));
            let v = match in_force.get(r) {
                Some(prev) => {
                    let repealed = repealed.min(prev + issued);
                    t.cells
                        .insert((TableKind::Disclosure, r, REPEALED), repealed);
                    prev + issued - repealed
                }
                None => get(IN_FORCE).max(issued),
            };
            t.cells.insert((TableKind::Disclosure, r, IN_FORCE), v);
            in_force.insert(r, v);
        }
    } else {
        in_force.clear();
    }
}

/// Prints some 2019-layout 本年增/减 cells in the other forms real reports use. Drawn from
/// the report's own seed, so the other values do not move with the rate.
pub(super) fn change_forms(rate: f64, t: &mut Truth) {
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
pub(super) fn request_values(
    rng: &mut Rng,
    t: &mut Truth,
    carried: &mut BTreeMap<&'static str, i64>,
) {
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
            (NEW, new),
            (CARRIED_IN, cin),
            (TOTAL, total),
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
        t.cells.insert((TableKind::Requests, r, TOTAL), v);
    }
}

/// Typical shares of the outcome bands in real reports (granted, partial, denied, unable,
/// rejected, other), spread over each band's rows with some noise.
pub(super) const BAND_SHARES: [f64; 6] = [0.45, 0.12, 0.06, 0.24, 0.07, 0.06];

/// Splits `total` over the outcome rows (largest remainder, so the parts add up exactly).
pub(super) fn split_outcomes(
    rng: &mut Rng,
    total: i64,
    rows: &[&'static str],
) -> BTreeMap<&'static str, i64> {
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

pub(super) fn review_values(rng: &mut Rng, t: &mut Truth) {
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
pub(super) fn inject(t: &mut Truth) {
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
pub(super) const SECTION_ONE: &[&str] = &[
    "全年主动公开政府信息{n}条，其中政策文件{n}件。",
    "政府网站共发布信息{n}条，政务新媒体发布信息{n}条。",
    "召开新闻发布会{n}场，开展政策解读{n}次。",
    "修订完善政府信息公开指南，更新公开目录{n}项。",
    "组织政府信息公开业务培训{n}次，参训人员{n}人次。",
    "办理人大代表建议和政协提案{n}件，办理结果全部公开。",
    "依法做好政府信息公开申请答复，平均答复时间{n}个工作日。",
    "推进基层政务公开标准化规范化，覆盖{n}个乡镇（街道）。",
];
pub(super) const SECTION_FIVE: &[&str] = &[
    "政策解读形式较为单一，图解、视频解读占比不高。",
    "部分单位信息更新不够及时，栏目内容有待充实。",
    "依申请公开答复规范化水平有待提高。",
    "基层工作人员业务能力仍需加强。",
    "下一步将加强督促检查，每季度通报一次。",
    "计划开展专题培训{n}次，提升工作人员能力。",
];
pub(super) const SECTION_SIX: &[&str] = &[
    "本年度未收取信息处理费。",
    "本年度无其他需要报告的事项。",
    "落实上年度政务公开工作要点任务{n}项。",
];

/// `k` distinct sentences of `pool`, numbers filled in.
pub(super) fn draw(rng: &mut Rng, pool: &[&str], k: usize) -> Vec<String> {
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
pub(super) fn narrative(t: &Truth) -> (Vec<String>, Vec<String>) {
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
