//! Per issuer: ranks by year and group, findings with locations, the latest report's cells.

use super::*;

/// Per issuer: ranks by year and group, findings with locations, the latest report's cells.
pub(super) fn issuer_sections(h: &mut String, p: &Page) {
    let s = p.scored;
    let by_id: BTreeMap<&str, &Outcome> = p.outcomes.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut issuers: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, u) in s.units.iter().enumerate() {
        issuers.entry(u.who.as_str()).or_default().push(i);
    }
    let mut ranked: BTreeMap<usize, Vec<&Ranked>> = BTreeMap::new();
    for r in &s.ranking.ranked {
        ranked.entry(r.unit).or_default().push(r);
    }
    // Real issuers first, then by code.
    let mut order: Vec<(&str, Vec<usize>)> = issuers.into_iter().collect();
    order.sort_by_key(|(who, units)| {
        (
            is_synthetic(&s.units[units[0]].region_code),
            who.to_string(),
        )
    });
    let _ = write!(
        h,
        "<section id=\"issuers\"><h2>各发布机关 Issuers ({})</h2><p class=\"muted\">\
每个机关：各年度各同组名次、检查发现（含来源位置）、最近一年报告的表格数值。</p>",
        order.len()
    );
    for (who, mut units) in order {
        units.sort_by_key(|&i| s.units[i].year);
        let last = &s.units[*units.last().unwrap_or(&0)];
        let latest_rank = ranked
            .get(units.last().unwrap_or(&0))
            .and_then(|v| v.iter().find(|r| r.group == Group::All))
            .and_then(|r| r.rank);
        let _ = write!(
            h,
            "<details id=\"{}\"><summary><b>{}</b>{} <span class=\"muted\">{} · {} 年 · {}</span></summary>",
            anchor(who),
            Esc(&last.issuer),
            syn_tag(&last.region_code),
            Esc(&last.region_code),
            units.len(),
            latest_rank.map_or_else(
                || "未排名 unranked".to_owned(),
                |r| format!("{} 年全部第 {r} 名", last.year)
            )
        );
        h.push_str(
            "<h3>名次 Ranks</h3><div class=\"wide\"><table><thead><tr><th>年度</th><th>同组</th><th>名次</th>\
<th>得分</th><th>区间</th><th>变化</th><th>最强</th><th>最弱</th><th>状态</th></tr></thead><tbody>",
        );
        for &i in &units {
            for r in ranked.get(&i).into_iter().flatten() {
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}</tr>",
                    r.year,
                    Esc(&group_name(r.group, &r.group_value)),
                    opt(r.rank),
                    ScoreCells(p.model, r)
                );
            }
        }
        h.push_str("</tbody></table></div>");
        if p.cards {
            h.push_str("<p>评分卡 Score cards: ");
            for &i in &units {
                let _ = write!(
                    h,
                    "<a href=\"cards/{}\">{}</a> ",
                    card_file(&s.units[i]),
                    s.units[i].year
                );
            }
            h.push_str("</p>");
        }
        let mut any = false;
        for &i in &units {
            let u = &s.units[i];
            let Some(o) = by_id.get(u.report_id.as_str()) else {
                continue;
            };
            let Ok(parsed) = &o.result else { continue };
            for f in &parsed.findings {
                if !any {
                    h.push_str(
                        "<h3>检查发现 Findings</h3><div class=\"wide\"><table><thead><tr><th>年度</th><th>规则</th>\
<th>严重性</th><th>说明</th><th>单元格</th><th>应为</th><th>实为</th><th>位置</th></tr></thead><tbody>",
                    );
                    any = true;
                }
                let _ = write!(
                    h,
                    "<tr><td>{}</td>{}<td>{}{}</td></tr>",
                    u.year,
                    FindingCells(f),
                    Esc(&o.path.to_string_lossy()),
                    f.loc
                        .map_or_else(String::new, |l| format!(" · {}", Esc(&l.to_string())))
                );
            }
        }
        if any {
            h.push_str("</tbody></table></div>");
        }
        if let Some(o) = by_id.get(last.report_id.as_str())
            && let Ok(parsed) = &o.result
        {
            let _ = write!(
                h,
                "<h3>{} 年报告表格 Cells</h3><p class=\"muted\">来源 {}</p>",
                last.year,
                Esc(&o.path.to_string_lossy())
            );
            cells(h, &parsed.report);
        }
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
}

/// A finding's rule, severity, message, cells, expected and actual values as table cells
/// (the issuer sections and the score cards both list findings so), written where it is
/// formatted.
pub(super) struct FindingCells<'a>(pub &'a crate::report::Finding);

impl std::fmt::Display for FindingCells<'_> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let f = self.0;
        write!(
            out,
            "<td>{}</td><td class=\"{}\">{}</td><td>{}</td><td><code>{}</code></td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td>",
            Esc(f.rule),
            sev_class(f.severity),
            f.severity.key(),
            Esc(&f.zh),
            Esc(&cells_summary(&f.cells)),
            Esc(&f.expected),
            Esc(&f.actual)
        )
    }
}

/// The first few cells a finding names, and how many more (a column identity names dozens).
pub(super) fn cells_summary(cells: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut s = cells
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if cells.len() > SHOWN {
        let _ = write!(s, " … (+{})", cells.len() - SHOWN);
    }
    s
}

/// The cells both rank tables end with: score, P5–P95 interval, rank change, strongest and
/// weakest indicator, status; written where it is formatted.
pub(super) struct ScoreCells<'a>(pub &'a Model, pub &'a Ranked);

impl std::fmt::Display for ScoreCells<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (model, r) = (self.0, self.1);
        f.write_str("<td class=\"n\">")?;
        if let Some(x) = r.score {
            write!(f, "{x:.3}")?;
        }
        f.write_str("</td><td class=\"n\">")?;
        if let (Some(a), Some(b)) = (r.rank_p05, r.rank_p95) {
            write!(f, "{a}–{b}")?;
        }
        f.write_str("</td><td class=\"n\">")?;
        if let Some(c) = r.rank_change {
            write!(f, "{c:+}")?;
        }
        write!(
            f,
            "</td><td>{}</td><td>{}</td><td>",
            Esc(indicator_name(model, r.strongest.as_deref())),
            Esc(indicator_name(model, r.weakest.as_deref())),
        )?;
        if r.reason.is_empty() {
            write!(f, "{}", Esc(r.status))?;
        } else {
            write!(
                f,
                "<span title=\"{}\">{}</span> <span class=\"muted\">{}</span>",
                Esc(&r.reason),
                Esc(r.status),
                Esc(&r.reason)
            )?;
        }
        f.write_str("</td>")
    }
}

/// An indicator's Chinese name (its key if the model has no such indicator).
pub(super) fn indicator_name<'a>(m: &'a Model, key: Option<&'a str>) -> &'a str {
    let Some(key) = key else { return "" };
    m.indicators
        .iter()
        .find(|i| i.key == key)
        .map_or(key, |i| i.zh.as_str())
}

/// A cell's state as the page and the cards show it, written after `out`'s text.
pub(super) fn cell_text_into(out: &mut String, state: &CellState) {
    match state {
        CellState::Number(d) => {
            let _ = write!(out, "{d}");
        }
        CellState::Blank => out.push('空'),
        CellState::NotApplicable => out.push_str("不适用"),
        CellState::Ambiguous(c) => {
            out.push_str("歧义 ");
            for (i, v) in c.iter().enumerate() {
                if i > 0 {
                    out.push('/');
                }
                out.push_str(v);
            }
        }
        CellState::Unparsed => out.push_str("无法解析"),
        CellState::Missing => out.push('缺'),
    }
}

/// A report's cells, one small grid per table: rows by printed label, columns by key.
pub(super) fn cells(h: &mut String, report: &crate::report::Report) {
    for kind in TableKind::ALL {
        let Some(layout) = report.layout(kind) else {
            continue;
        };
        // Rows and columns in order of first appearance; each cell at its (row, column)
        // place, the last of a place's cells winning (as a map's insert would).
        let mut cols: Vec<&str> = Vec::new();
        let mut rows: Vec<&str> = Vec::new();
        let mut placed: Vec<(usize, usize, &CellState)> = Vec::new();
        fn place<'s>(names: &mut Vec<&'s str>, name: &'s str) -> usize {
            names.iter().position(|&n| n == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            })
        }
        for c in report.cells.iter().filter(|c| c.table == kind) {
            let ci = place(&mut cols, c.col);
            let ri = place(&mut rows, c.row);
            placed.push((ri, ci, &c.state));
        }
        if rows.is_empty() {
            continue;
        }
        let mut grid: Vec<Option<&CellState>> = vec![None; rows.len() * cols.len()];
        for (ri, ci, state) in placed {
            grid[ri * cols.len() + ci] = Some(state);
        }
        let mut text = String::new();
        let _ = write!(
            h,
            "<div class=\"wide\"><table><caption class=\"muted\" style=\"text-align:left\">{} · {} 模板</caption>\
<thead><tr><th></th>",
            Esc(kind.zh()),
            layout.key()
        );
        for c in &cols {
            let _ = write!(h, "<th>{}</th>", Esc(col_label(c)));
        }
        h.push_str("</tr></thead><tbody>");
        for (ri, r) in rows.iter().enumerate() {
            let _ = write!(h, "<tr><th>{}</th>", Esc(cell_row_label(kind, layout, r)));
            for state in &grid[ri * cols.len()..(ri + 1) * cols.len()] {
                text.clear();
                if let Some(state) = state {
                    cell_text_into(&mut text, state);
                }
                let _ = write!(h, "<td class=\"n\">{}</td>", Esc(&text));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    }
}
