//! `index.html`: one self-contained file an evaluator can open offline, read and forward.
//! Inline CSS and SVG, one small inline script (sorting and the year filter), no network.
//! Every text that came from an input goes through [`esc`].

mod card;
mod issuers;
mod notes;

pub(crate) use card::{card_file, cards};

use issuers::*;
use notes::*;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::regions::is_synthetic;
use crate::render::view::{Figure, Section, group_name, short_name};
use crate::report::CellState;
use crate::report::Severity;
use crate::report::{Outcome, Summary};
use crate::score::model::Group;
use crate::score::rank::Ranked;
use crate::score::{Model, Scored};
use crate::template::{TableKind, cell_row_label, col_label};

/// Everything the page shows.
pub(crate) struct Page<'a> {
    pub model: &'a Model,
    pub scored: &'a Scored,
    pub outcomes: &'a [Outcome],
    /// Figures with their SVG text, in reading order.
    pub figures: &'a [(Figure, String)],
    /// Chart files written beside the page (relative paths).
    pub version: &'a str,
    /// What the run read from: the input paths or "the embedded default corpus".
    pub inputs: &'a str,
    /// Score cards are written beside the page (`cards/`): the page links them.
    pub cards: bool,
}

/// Text escaped for HTML content and attribute values, as a value to format in place: the
/// escaped text goes straight to the page being written, without a `String` of its own (a
/// card formats about 80 texts).
pub(crate) struct Esc<'a>(pub &'a str);

impl std::fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The five characters are ASCII, and no byte of a longer UTF-8 character is: the
        // text between them is written a run at a time (a character at a time, this was
        // about 1 % of a `run`'s CPU on 10,002 reports, most of the page and cards Chinese).
        let s = self.0;
        let mut from = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&s[from..i])?;
            f.write_str(entity)?;
            from = i + 1;
        }
        f.write_str(&s[from..])
    }
}

const CSS: &str = r#"
:root{--ink:#222;--muted:#666;--line:#ddd;--bg:#fafafa;--accent:#0072b2;--warn:#e69f00;--err:#c82828}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:var(--ink);background:#fff}
svg text{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
header{padding:24px 32px 12px;border-bottom:1px solid var(--line)}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:2px 0;color:var(--muted)}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid var(--line);padding:8px 32px;z-index:2;overflow-x:auto;white-space:nowrap}
nav a{margin-right:16px;color:var(--accent);text-decoration:none}
main{padding:0 32px 48px;max-width:1200px}
section{margin-top:28px}
h2{font-size:20px;border-left:4px solid var(--accent);padding-left:10px}
h3{font-size:16px;margin:18px 0 6px}
.banner{margin:16px 32px 0;padding:10px 14px;background:#fff4e0;border:1px solid #f0c36d;border-radius:6px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:140px;background:var(--bg)}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:13px}
figure{margin:16px 0;overflow-x:auto}
figure svg{max-width:100%;height:auto;min-width:600px}
#ranking td,#ranking th{white-space:nowrap}
figcaption{color:var(--muted);font-size:13px}
table{border-collapse:collapse;margin:8px 0;font-size:14px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.wide{overflow-x:auto;max-width:100%}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th:after{content:" ↕";color:#bbb}
.syn{color:#4a6f99;font-size:12px;border:1px solid #9bb8d8;border-radius:3px;padding:0 4px;margin-left:4px}
.sev-error{color:var(--err);font-weight:600}
.sev-warning{color:#a86b00}
.sev-info{color:var(--muted)}
details{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:4px 10px}
details[open]{background:#fff}
summary{cursor:pointer}
.muted{color:var(--muted)}
code{font-size:13px}
@media (max-width:700px){header,main{padding-left:12px;padding-right:12px}nav{padding:8px 12px}.banner{margin:12px}body{font-size:14px}}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('table.sortable').forEach(function(t){
  t.querySelectorAll('th').forEach(function(th,i){
    th.addEventListener('click',function(){
      var b=t.tBodies[0],rows=Array.from(b.rows),asc=th.dataset.asc!=='1';
      t.querySelectorAll('th').forEach(function(h){delete h.dataset.asc});
      th.dataset.asc=asc?'1':'0';
      rows.sort(function(x,y){
        var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
        var na=parseFloat(a),nc=parseFloat(c);
        var r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c,'zh');
        return asc?r:-r;});
      rows.forEach(function(r){b.appendChild(r)});
    });
  });
});
var ys=document.getElementById('year');
if(ys){ys.addEventListener('change',function(){
  document.querySelectorAll('#ranking tbody tr').forEach(function(r){
    r.style.display=(ys.value===''||r.dataset.year===ys.value)?'':'none';});
});ys.dispatchEvent(new Event('change'));}
"#;

fn num(x: f64) -> String {
    crate::render::charts::fmt_num(x)
}

fn opt<T: std::fmt::Display>(x: Option<T>) -> String {
    x.map_or_else(String::new, |v| v.to_string())
}

fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

/// The anchor of an issuer's section.
fn anchor(who: &str) -> String {
    let h: String = who
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    // Names of departments are not ASCII: a stable hash keeps their anchors distinct.
    let sum = who
        .bytes()
        .fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!("i-{h}-{sum:x}")
}

/// The whole page.
pub(crate) fn page(p: &Page) -> String {
    let mut h = String::with_capacity(1 << 20);
    let s = Summary::of(p.outcomes);
    let synthetic = p
        .scored
        .units
        .iter()
        .filter(|u| is_synthetic(&u.region_code))
        .count();
    let issuers: BTreeMap<&str, ()> = p
        .scored
        .units
        .iter()
        .map(|u| (u.who.as_str(), ()))
        .collect();
    let years: BTreeMap<i32, ()> = p.scored.units.iter().map(|u| (u.year, ())).collect();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>政府信息公开工作年度报告评估 · gongkai</title><style>{CSS}</style></head><body>\n"
    );
    let _ = writeln!(
        h,
        "<header><h1>政府信息公开工作年度报告评估</h1>\
<p>Government information disclosure annual reports: tables read, checked, scored and ranked.</p>\
<p>gongkai {} · 模型 {} · model hash <code>{}</code> · 输入 {}</p></header>",
        Esc(p.version),
        Esc(&p.model.name),
        Esc(&p.model.hash),
        Esc(p.inputs)
    );
    if synthetic > 0 {
        let _ = writeln!(
            h,
            "<div class=\"banner\"><b>含虚构数据 · Synthetic data.</b> {synthetic} 个发布机关年度来自\
示例省（代码以 99 开头），由 gongkai 的生成器按固定种子生成，不代表任何真实地区；表中以\
<span class=\"syn\">示例</span>标出。 {synthetic} issuer-years belong to the fictional \
province 示例省 (codes 99…), generated with a fixed seed; they are marked wherever they appear.</div>"
        );
    }
    let _ = writeln!(
        h,
        "<nav><a href=\"#summary\">概要</a><a href=\"#rankings\">排名</a><a href=\"#outcomes\">办理结果</a>\
<a href=\"#trends\">走势</a><a href=\"#volume\">申请量与纠错</a><a href=\"#intervals\">名次区间</a>\
<a href=\"#findings\">检查发现</a><a href=\"#issuers\">各机关</a>{}<a href=\"#method\">方法</a>\
<a href=\"#quality\">数据质量</a></nav><main>",
        if p.scored.outputs.appeal.is_some() {
            "<a href=\"#appeal\">申诉复核</a>"
        } else {
            ""
        }
    );
    // Summary.
    let _ = write!(
        h,
        "<section id=\"summary\"><h2>概要 Summary</h2><div class=\"cards\">\
<div class=\"card\"><b>{}</b><span>文件 files read</span></div>\
<div class=\"card\"><b>{}</b><span>已解析 parsed</span></div>\
<div class=\"card\"><b>{}</b><span>无法读取 unreadable</span></div>\
<div class=\"card\"><b>{}</b><span>发布机关 issuers</span></div>\
<div class=\"card\"><b>{}</b><span>年度 years</span></div>\
<div class=\"card\"><b class=\"sev-error\">{}</b><span>错误 errors</span></div>\
<div class=\"card\"><b class=\"sev-warning\">{}</b><span>警告 warnings</span></div>\
<div class=\"card\"><b>{}</b><span>提示 info</span></div></div>",
        s.seen,
        s.parsed,
        s.failed,
        issuers.len(),
        years
            .keys()
            .next()
            .zip(years.keys().last())
            .map_or_else(String::new, |(a, b)| format!("{a}–{b}")),
        s.errors,
        s.warnings,
        s.infos
    );
    findings_by_rule(&mut h, p.outcomes);
    h.push_str("</section>\n");
    rankings(&mut h, p);
    if let Some(a) = &p.scored.outputs.appeal {
        appeal(&mut h, a);
    }
    for (id, title, section) in [
        (
            "outcomes",
            "依申请公开办理结果 Request outcomes",
            Section::Outcomes,
        ),
        ("trends", "历年走势 Trends", Section::Trends),
        (
            "volume",
            "申请量与纠错率 Volume and correction",
            Section::Volume,
        ),
        ("intervals", "名次区间 Rank intervals", Section::Intervals),
        ("findings", "检查发现 Findings", Section::Findings),
    ] {
        let _ = write!(h, "<section id=\"{id}\"><h2>{title}</h2>");
        figures(&mut h, p.figures, section);
        if section == Section::Intervals {
            h.push_str(
                "<p class=\"muted\">名次区间：按模型的扰动设置随机调整各指标权重，重复排名，取第 5 与第 95 百分位名次。\
区间越宽，名次越依赖于权重的选择。</p>",
            );
        }
        h.push_str("</section>\n");
    }
    issuer_sections(&mut h, p);
    failures(&mut h, p.outcomes);
    method(&mut h, p.model);
    quality(&mut h, p.outcomes);
    let _ = writeln!(
        h,
        "</main><footer class=\"muted\" style=\"padding:12px 32px\">gongkai {} · 本页为独立文件，无需联网。\
This page is self-contained and needs no network.</footer><script>{SCRIPT}</script></body></html>",
        Esc(p.version)
    );
    h
}

fn figures(h: &mut String, figs: &[(Figure, String)], section: Section) {
    for (f, svg) in figs.iter().filter(|(f, _)| f.section == section) {
        let _ = write!(
            h,
            "<figure>{svg}<figcaption>{} · <a href=\"charts/{id}.png\">PNG</a> · \
<a href=\"charts/{id}.svg\">SVG</a></figcaption></figure>",
            Esc(f.chart.title()),
            id = f.id
        );
    }
}

fn findings_by_rule(h: &mut String, outcomes: &[Outcome]) {
    let mut by: BTreeMap<(&str, Severity), (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        if let Ok(p) = &o.result {
            let mut seen: Vec<&str> = Vec::new();
            for f in &p.findings {
                let e = by.entry((f.rule, f.severity)).or_default();
                e.0 += 1;
                if !seen.contains(&f.rule) {
                    seen.push(f.rule);
                    e.1 += 1;
                }
            }
        }
    }
    if by.is_empty() {
        h.push_str("<p>没有检查发现。No findings.</p>");
        return;
    }
    h.push_str(
        "<h3>按规则 Findings by rule</h3><table class=\"sortable\"><thead><tr><th>规则 rule</th>\
<th>严重性 severity</th><th>发现 findings</th><th>报告 reports</th></tr></thead><tbody>",
    );
    for ((rule, sev), (n, reports)) in by {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"{}\">{}</td><td class=\"n\">{n}</td><td class=\"n\">{reports}</td></tr>",
            Esc(rule),
            sev_class(sev),
            sev.key()
        );
    }
    h.push_str("</tbody></table><p class=\"muted\">规则说明见 README（Rules）。</p>");
}

fn ranked_rows(s: &Scored, group: Group) -> Vec<&Ranked> {
    let mut rows: Vec<&Ranked> = s
        .ranking
        .ranked
        .iter()
        .filter(|r| r.group == group)
        .collect();
    rows.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.year),
            a.rank.unwrap_or(u32::MAX),
            &s.units[a.unit].who,
        )
            .cmp(&(
                std::cmp::Reverse(b.year),
                b.rank.unwrap_or(u32::MAX),
                &s.units[b.unit].who,
            ))
    });
    rows
}

fn syn_tag(code: &str) -> &'static str {
    if is_synthetic(code) {
        "<span class=\"syn\">示例</span>"
    } else {
        ""
    }
}

fn rankings(h: &mut String, p: &Page) {
    let s = p.scored;
    h.push_str("<section id=\"rankings\"><h2>排名 Rankings</h2>");
    figures(h, p.figures, Section::Rankings);
    let rows = ranked_rows(s, Group::All);
    let years: BTreeMap<i32, ()> = rows.iter().map(|r| (r.year, ())).collect();
    let latest = years.keys().last().copied();
    h.push_str(
        "<h3>全部机关排名 (peer group: all, by body and level)</h3><p><label>年度 year <select id=\"year\"><option value=\"\">全部 all</option>",
    );
    for y in years.keys().rev() {
        let sel = if Some(*y) == latest { " selected" } else { "" };
        let _ = write!(h, "<option value=\"{y}\"{sel}>{y}</option>");
    }
    h.push_str(
        "</select></label> <span class=\"muted\">点击表头排序 · click a header to sort</span></p>\
<div class=\"wide\"><table id=\"ranking\" class=\"sortable\"><thead><tr><th>年度</th><th>名次</th><th>发布机关</th>\
<th>代码</th><th>同组 peer set</th><th>得分</th><th>区间 P5–P95</th><th>名次变化</th><th>最强指标</th><th>最弱指标</th><th>状态</th></tr></thead><tbody>",
    );
    for r in rows {
        let u = &s.units[r.unit];
        let _ = write!(
            h,
            "<tr data-year=\"{}\"><td>{}</td><td class=\"n\" data-v=\"{}\">{}</td><td><a href=\"#{}\">{}</a>{}</td>\
<td>{}</td><td>{}</td>{}</tr>",
            r.year,
            r.year,
            r.rank.map_or(u32::MAX, |x| x),
            opt(r.rank),
            anchor(&u.who),
            Esc(&short_name(&u.issuer)),
            if p.cards {
                format!(
                    "{} <a class=\"muted\" href=\"cards/{}\">评分卡</a>",
                    syn_tag(&u.region_code),
                    card_file(u)
                )
            } else {
                syn_tag(&u.region_code).to_owned()
            },
            Esc(&u.region_code),
            Esc(&group_name(r.group, &r.group_value)),
            ScoreCells(p.model, r)
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

/// The appeal round: the places that changed against the preliminary run, then the cells.
fn appeal(h: &mut String, a: &crate::score::appeal::Appeal) {
    use crate::render::tables::{APPEAL_CELLS_HEAD, APPEAL_HEAD, appeal_cell_rows, appeal_rows};
    let (rows, cells) = match (appeal_rows(a), appeal_cell_rows(a)) {
        (Ok(r), Ok(c)) => (r, c),
        _ => return,
    };
    let _ = write!(
        h,
        "<section id=\"appeal\"><h2>申诉复核 Appeal round</h2><p>与初排结果 <code>{}</code> 相比：\
{} 个名次位置有变化，{} 个单元格有变动。 Against the preliminary run: {} places changed, {} cells changed.</p>",
        Esc(&a.baseline),
        rows.len(),
        cells.len(),
        rows.len(),
        cells.len()
    );
    let table = |h: &mut String, head: &[&str], rows: Vec<Vec<String>>| {
        h.push_str("<div class=\"wide\"><table class=\"sortable\"><thead><tr>");
        for c in head {
            let _ = write!(h, "<th>{}</th>", Esc(c));
        }
        h.push_str("</tr></thead><tbody>");
        for r in rows {
            h.push_str("<tr>");
            for v in r {
                let _ = write!(h, "<td>{}</td>", Esc(&v));
            }
            h.push_str("</tr>");
        }
        h.push_str("</tbody></table></div>");
    };
    if !rows.is_empty() {
        table(
            h,
            &APPEAL_HEAD,
            rows.into_iter().map(|r| r.to_vec()).collect(),
        );
    }
    if !cells.is_empty() {
        h.push_str("<h3>变动单元格 Cells changed</h3>");
        table(
            h,
            &APPEAL_CELLS_HEAD,
            cells.into_iter().map(|r| r.to_vec()).collect(),
        );
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            Esc("<script>\"x\" & 'y'</script>").to_string(),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        // Character by character, as it was written first, on text of every kind.
        let by_char = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        };
        let pieces = [
            "示例省",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "a",
            " ",
            "é",
            "𝄞",
            "",
            "&amp;",
        ];
        let mut rng = crate::rng::Rng::new(5);
        for _ in 0..2000 {
            let n = rng.below(12) as usize;
            let s: String = (0..n)
                .map(|_| pieces[rng.below(pieces.len() as u64) as usize])
                .collect();
            assert_eq!(Esc(&s).to_string(), by_char(&s), "{s:?}");
        }
    }

    #[test]
    fn anchors_are_ascii_and_distinct() {
        let a = anchor("350128");
        let b = anchor("310000:上海市人民政府办公厅");
        let c = anchor("310000:上海市发展和改革委员会");
        assert!(a.is_ascii() && b.is_ascii());
        assert_ne!(b, c);
    }
}
