//! The report's closing sections: unreadable files, the method, data quality.

use super::*;

pub(super) fn failures(h: &mut String, outcomes: &[Outcome]) {
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.result.is_err()).collect();
    if failed.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"unreadable\"><h2>无法读取的文件 Unreadable inputs ({})</h2><div class=\"wide\"><table>\
<thead><tr><th>文件</th><th>阶段</th><th>原因</th><th>建议</th></tr></thead><tbody>",
        failed.len()
    );
    for o in failed {
        if let Err(f) = &o.result {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                Esc(&o.path.to_string_lossy()),
                Esc(f.stage.key()),
                Esc(&f.message),
                Esc(f.hint.as_deref().unwrap_or(""))
            );
        }
    }
    h.push_str("</tbody></table></div></section>\n");
}

pub(super) fn method(h: &mut String, m: &Model) {
    let _ = write!(
        h,
        "<section id=\"method\"><h2>方法 Methodology</h2><p>模型 <b>{}</b>（版本 {}），哈希 <code>{}</code>；\
聚合 {:?}；同组 {}；比率指标需本年新收 + 上年结转 ≥ {}；同分名次 {:?}；权重扰动 {} 次，幅度 ±{}%，种子 {}。</p>\
<p class=\"muted\">每个指标先在同组内标准化到 0–1（goalposts：按固定上下限；rank：按组内名次），再按权重聚合为综合得分。\
名次变化只比较前后两年都在该组排名的机关，且只用跨 2019/2021 模板可比的指标。</p>\
<p>公平比较：每个同组再按 {split} 细分，部门不与政府同组排名，县级不与省级同组排名。\
计数类指标（申请量、许可决定数、规范性文件、采购额）只反映规模与职能、不反映公开质量，权重为 0，\
作为背景列出、不计分。指标覆盖的权重不足 {cov}% 的机关标为 <code>insufficient_data</code>、不排名，并列出缺少的指标；\
仅当本年新收与上年结转均已读出且合计少于 {min} 件时标为 <code>below_min_sample</code>。\
得分保留 {dec} 位小数发布，并按发布的得分排名：印出的得分相同，名次相同。{derived}</p>\
<div class=\"wide\"><table><thead><tr><th>指标</th><th>Indicator</th><th>公式 formula</th><th>分母 denominator</th>\
<th>方向</th><th>权重</th><th>标准化</th></tr></thead><tbody>",
        Esc(&m.name),
        Esc(&m.version),
        Esc(&m.hash),
        m.aggregation,
        m.groups
            .iter()
            .map(|g| g.key())
            .collect::<Vec<_>>()
            .join(", "),
        m.min_requests,
        m.tie,
        m.perturbation.draws,
        num(m.perturbation.spread * 100.0),
        m.perturbation.seed,
        split = m
            .split
            .iter()
            .map(|x| match x {
                crate::score::model::Split::Body => "机关类型（政府/部门）",
                crate::score::model::Split::Level => "行政层级",
            })
            .collect::<Vec<_>>()
            .join("与"),
        cov = num(m.coverage * 100.0),
        min = m.min_requests,
        dec = crate::score::rank::PUBLISHED_DECIMALS,
        derived = if m.derived_totals {
            "申请情况表某行“总计”印为空白而各申请人类别单元格均已读出时，以各类别之和作为该行总计的替代口径；\
用到替代口径的指标值在 scores 中标为 derived，单元格本身不改动。"
        } else {
            ""
        }
    );
    for ind in &m.indicators {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{:?}</td><td class=\"n\">{}</td><td>{:?}</td></tr>",
            Esc(&ind.zh),
            Esc(&ind.en),
            Esc(&ind.formula_text),
            Esc(&ind.denominator),
            ind.direction,
            if ind.is_context() {
                "0 背景 context".to_owned()
            } else {
                num(ind.weight)
            },
            ind.normalise
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

pub(super) fn quality(h: &mut String, outcomes: &[Outcome]) {
    let mut formats: BTreeMap<String, usize> = BTreeMap::new();
    let mut layouts: BTreeMap<String, usize> = BTreeMap::new();
    let mut clues: BTreeMap<String, usize> = BTreeMap::new();
    let (mut converted, mut unresolved, mut no_year, mut duplicates, mut ambiguous) =
        (0, 0, 0, 0, 0);
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        *formats
            .entry(format!("{} · {}", p.report.format.key(), p.report.encoding))
            .or_default() += 1;
        let l = |k| p.report.layout(k).map_or("-", |l| l.key());
        *layouts
            .entry(format!(
                "{} / {}",
                l(TableKind::Disclosure),
                l(TableKind::Requests)
            ))
            .or_default() += 1;
        let m = &p.report.meta;
        *clues
            .entry(m.issuer_clue.map_or("none", |c| c.key()).to_owned())
            .or_default() += 1;
        converted += usize::from(p.report.converted_script);
        unresolved += usize::from(m.place.is_none());
        no_year += usize::from(m.year.is_none());
        duplicates += usize::from(o.batch.duplicate_of.is_some());
        ambiguous += p
            .report
            .cells
            .iter()
            .filter(|c| matches!(c.state, CellState::Ambiguous(_)))
            .count();
    }
    h.push_str("<section id=\"quality\"><h2>数据质量 Data quality</h2><ul>");
    let _ = write!(
        h,
        "<li>繁体转简体的报告 converted from traditional script: {converted}</li>\
<li>未能确定地区的报告 region unresolved: {unresolved}</li>\
<li>未能确定年度的报告 year unknown: {no_year}</li>\
<li>同一机关同一年度的重复报告 duplicates (left out of scoring): {duplicates}</li>\
<li>歧义单元格 ambiguous cells (glued digits with several readings; never guessed): {ambiguous}</li></ul>"
    );
    for (title, map) in [
        ("格式与编码 Formats and encodings", &formats),
        ("模板 Layouts (表二 / 表三)", &layouts),
        ("发布机关依据 Issuer clue", &clues),
    ] {
        let _ = write!(h, "<h3>{title}</h3><table><tbody>");
        for (k, n) in map {
            let _ = write!(h, "<tr><td>{}</td><td class=\"n\">{n}</td></tr>", Esc(k));
        }
        h.push_str("</tbody></table>");
    }
    h.push_str(
        "<p class=\"muted\">源数字从不修正：报告自身不一致时，作为检查发现列出两个数字。\
Source numbers are never repaired; a report's own inconsistency is a finding with both numbers.</p></section>\n",
    );
}
