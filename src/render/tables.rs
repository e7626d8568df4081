//! `rankings.md` and `rankings.xlsx`.

use std::fmt::Write as _;
use std::path::Path;

use polars::prelude::*;
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook};

use crate::score::appeal::Appeal;
use crate::score::model::{Direction, Model, Normalise};
use crate::score::output::Outputs;

/// The appeal round's rows to show people: the places that changed (score, rank or status,
/// or cells of the issuer-year), as text cells in [`appeal_head`] order.
pub(crate) fn appeal_rows(a: &Appeal) -> PolarsResult<Vec<[String; 11]>> {
    let p = &a.places;
    let col = |n: &str| strs(p, n);
    let (year, group, set, issuer, code) = (
        col("year")?,
        col("group")?,
        col("group_value")?,
        col("issuer")?,
        col("region_code")?,
    );
    let (pr, fr, mv, cc) = (
        col("preliminary_rank")?,
        col("final_rank")?,
        col("rank_move")?,
        col("cells_changed")?,
    );
    let (pst, fst) = (col("preliminary_status")?, col("final_status")?);
    let (ps, fs) = (f64s(p, "preliminary_score")?, f64s(p, "final_score")?);
    let changed: Vec<Option<bool>> = p.column("changed")?.bool()?.iter().collect();
    let score = |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{v:.6}"));
    let rank = |r: &str, st: &str| {
        if r.is_empty() {
            if st.is_empty() {
                "absent".to_owned()
            } else {
                st.to_owned()
            }
        } else {
            r.to_owned()
        }
    };
    Ok((0..p.height())
        .filter(|&i| changed[i] == Some(true))
        .map(|i| {
            [
                year[i].clone(),
                group[i].clone(),
                set[i].clone(),
                issuer[i].replace('|', "/"),
                code[i].clone(),
                rank(&pr[i], &pst[i]),
                rank(&fr[i], &fst[i]),
                match mv[i].parse::<i64>() {
                    Ok(m) if m > 0 => format!("▲{m}"),
                    Ok(m) if m < 0 => format!("▼{}", -m),
                    Ok(_) => "=".to_owned(),
                    Err(_) => String::new(),
                },
                score(ps[i]),
                score(fs[i]),
                cc[i].clone(),
            ]
        })
        .collect())
}

/// Headers of [`appeal_rows`].
pub(crate) const APPEAL_HEAD: [&str; 11] = [
    "年度 year",
    "比较组 group",
    "同组 peer set",
    "发布机关 issuer",
    "区划 code",
    "初排名次 preliminary",
    "复核名次 final",
    "变化 move",
    "初排得分 preliminary score",
    "复核得分 final score",
    "变动单元格 cells changed",
];

/// The changed cells, as text cells in [`APPEAL_CELLS_HEAD`] order.
pub(crate) fn appeal_cell_rows(a: &Appeal) -> PolarsResult<Vec<[String; 9]>> {
    let c = &a.cells;
    let col = |n: &str| strs(c, n);
    let (issuer, year, table, row, cl) = (
        col("issuer")?,
        col("year")?,
        col("table")?,
        col("row")?,
        col("col")?,
    );
    let (ov, nv, os, ns) = (
        col("old_value")?,
        col("new_value")?,
        col("old_state")?,
        col("new_state")?,
    );
    let (ol, nl, osrc, nsrc) = (
        col("old_location")?,
        col("new_location")?,
        col("old_source")?,
        col("new_source")?,
    );
    let shown = |v: &str, s: &str| {
        if s == "number" {
            v.to_owned()
        } else {
            s.to_owned()
        }
    };
    Ok((0..c.height())
        .map(|i| {
            [
                issuer[i].replace('|', "/"),
                year[i].clone(),
                format!("{}/{}/{}", table[i], row[i], cl[i]),
                shown(&ov[i], &os[i]),
                shown(&nv[i], &ns[i]),
                osrc[i].clone(),
                ol[i].clone(),
                nsrc[i].clone(),
                nl[i].clone(),
            ]
        })
        .collect())
}

/// Headers of [`appeal_cell_rows`].
pub(crate) const APPEAL_CELLS_HEAD: [&str; 9] = [
    "发布机关 issuer",
    "年度 year",
    "单元格 cell",
    "初排值 old",
    "复核值 new",
    "原文件 old source",
    "原位置 old location",
    "新文件 new source",
    "新位置 new location",
];

/// The appeal round in Markdown.
fn appeal_markdown(s: &mut String, a: &Appeal) -> PolarsResult<()> {
    let rows = appeal_rows(a)?;
    let cells = appeal_cell_rows(a)?;
    let _ = writeln!(
        s,
        "\n## 申诉复核 Appeal round\n\nAgainst the preliminary run in `{}`: {} places changed, {} cells changed.\n",
        a.baseline.replace('|', "/"),
        rows.len(),
        cells.len()
    );
    let table = |s: &mut String, head: &[&str], rows: &mut dyn Iterator<Item = Vec<String>>| {
        let _ = writeln!(s, "| {} |", head.join(" | "));
        let _ = writeln!(s, "|{}", " --- |".repeat(head.len()));
        for r in rows {
            let _ = writeln!(s, "| {} |", r.join(" | "));
        }
    };
    if !rows.is_empty() {
        table(s, &APPEAL_HEAD, &mut rows.into_iter().map(|r| r.to_vec()));
    }
    if !cells.is_empty() {
        let _ = writeln!(s, "\n### 变动单元格 Cells changed\n");
        table(
            s,
            &APPEAL_CELLS_HEAD,
            &mut cells.into_iter().map(|r| r.to_vec()),
        );
    }
    Ok(())
}

fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(name)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or_default().to_owned())
        .collect())
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df
        .column(name)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect())
}

fn normalise_name(n: &Normalise) -> &'static str {
    match n {
        Normalise::Minmax => "min-max",
        Normalise::Zscore => "z-score",
        Normalise::Rank => "rank",
        Normalise::Goalposts => "goalposts",
    }
}

/// The methodology, as Markdown lines: model, formulas, denominators, hash.
pub(crate) fn methodology(model: &Model) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Model **{}** version {} (hash `{}`): {:?} aggregation, tie rule {:?}, peer groups {}, \
         rates need at least {} requests (new + carried in); rank intervals from {} draws of \
         weights × U(1 − {s2}, 1 + {s2}), seed {}.\n",
        model.name,
        model.version,
        model.hash,
        model.aggregation,
        model.tie,
        model
            .groups
            .iter()
            .map(|g| g.key())
            .collect::<Vec<_>>()
            .join(", "),
        model.min_requests,
        model.perturbation.draws,
        model.perturbation.seed,
        s2 = model.perturbation.spread,
    );
    let split = model.split.iter().map(|x| x.key()).collect::<Vec<_>>();
    let _ = writeln!(
        s,
        "Every peer set is split by {}: nothing ranks a department against a government or a \
         county against a province. Indicators of weight 0 are context: shown, never scored. \
         An issuer whose present indicators carry less than {:.0}% of the scored weight is \
         `insufficient_data` and gets no rank (the reason names what is absent); \
         `below_min_sample` only when 本年新收 and 上年结转 were read and sum below {}. \
         Scores are published to {} decimals and ranked as published: equal printed scores \
         share a rank.{}\n",
        if split.is_empty() {
            "nothing".to_owned()
        } else {
            split.join(" and ")
        },
        model.coverage * 100.0,
        model.min_requests,
        crate::score::rank::PUBLISHED_DECIMALS,
        if model.derived_totals {
            " A requests row whose 总计 is printed blank while every applicant cell was read \
             takes the applicant cells' sum as its total; a value resting on one is `derived` \
             in `scores` (the cells themselves are never changed)."
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "| 指标 | indicator | formula | 口径 (denominator) | better | weight | normalisation | comparable across 2019/2021 |"
    );
    let _ = writeln!(s, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for i in &model.indicators {
        let _ = writeln!(
            s,
            "| {} | {} (`{}`) | `{}` | {} | {} | {} | {} | {} |",
            i.zh,
            i.en,
            i.key,
            i.formula_text,
            i.denominator,
            if i.direction == Direction::Higher {
                "higher"
            } else {
                "lower"
            },
            if i.is_context() {
                "0 (context)".to_owned()
            } else {
                i.weight.to_string()
            },
            normalise_name(&i.normalise),
            if i.comparable { "yes" } else { "no" },
        );
    }
    s
}

/// `rankings.md`: per year, the whole-batch ranking, then the methodology.
pub(crate) fn markdown(model: &Model, out: &Outputs) -> PolarsResult<String> {
    let r = &out.rankings;
    let (year, group, issuer, code, rank, change, p05, p95, status, strongest, weakest) = (
        strs(r, "year")?,
        strs(r, "group")?,
        strs(r, "issuer")?,
        strs(r, "region_code")?,
        strs(r, "rank")?,
        strs(r, "rank_change")?,
        strs(r, "rank_p05")?,
        strs(r, "rank_p95")?,
        strs(r, "status")?,
        strs(r, "strongest")?,
        strs(r, "weakest")?,
    );
    let (set, reason) = (strs(r, "group_value")?, strs(r, "reason")?);
    let score = f64s(r, "score")?;
    let mut s = format!(
        "# 排名 Rankings\n\nModel hash `{}`. Peer group `all`, one table per year and peer set \
(one body, one level: nothing ranks a department against a government).\n",
        model.hash
    );
    let mut current = (String::new(), String::new());
    let mut unranked: Vec<String> = Vec::new();
    for i in 0..r.height() {
        if group[i] != "all" {
            continue;
        }
        if status[i] != "ranked" {
            unranked.push(format!(
                "| {} | {} | {} | {} | {} | {} |",
                year[i],
                set[i],
                issuer[i].replace('|', "/"),
                code[i],
                status[i],
                reason[i].replace('|', "/")
            ));
            continue;
        }
        if (&year[i], &set[i]) != (&current.0, &current.1) {
            current = (year[i].clone(), set[i].clone());
            let _ = writeln!(s, "\n## {} · {}\n", current.0, current.1);
            let _ = writeln!(
                s,
                "| 排名 rank | 发布机关 issuer | 区划 code | 得分 score | 变化 change | 区间 p5–p95 | 最强 strongest | 最弱 weakest |"
            );
            let _ = writeln!(s, "| ---: | --- | --- | ---: | ---: | --- | --- | --- |");
        }
        let rank_text = if status[i] == "ranked" {
            rank[i].clone()
        } else {
            "—".into()
        };
        let change_text = match change[i].parse::<i64>() {
            Ok(c) if c > 0 => format!("▲{c}"),
            Ok(c) if c < 0 => format!("▼{}", -c),
            Ok(_) => "=".into(),
            Err(_) => "new".into(),
        };
        let _ = writeln!(
            s,
            "| {rank_text} | {} | {} | {} | {change_text} | {}–{} | {} | {} |",
            issuer[i].replace('|', "/"),
            code[i],
            score[i].map_or("—".into(), |v| format!("{v:.3}")),
            p05[i],
            p95[i],
            strongest[i],
            weakest[i],
        );
    }
    // Issuers ranked in the whole batch one year and absent the next.
    let mut by_year: std::collections::BTreeMap<i32, Vec<(String, String)>> = Default::default();
    for i in 0..r.height() {
        if let (true, Ok(y)) = (group[i] == "all", year[i].parse::<i32>()) {
            by_year
                .entry(y)
                .or_default()
                .push((code[i].clone(), issuer[i].clone()));
        }
    }
    let mut dropped_lines = Vec::new();
    for (y, members) in &by_year {
        let Some(next) = by_year.get(&(y + 1)) else {
            continue;
        };
        let gone: Vec<&str> = members
            .iter()
            .filter(|m| !next.contains(m))
            .map(|(_, name)| name.as_str())
            .collect();
        if !gone.is_empty() {
            dropped_lines.push(format!("- {y} → {}: {}", y + 1, gone.join("、")));
        }
    }
    if !unranked.is_empty() {
        let _ = writeln!(
            s,
            "\n## Not ranked\n\n| year | peer set | issuer | code | status | reason |\n| --- | --- | --- | --- | --- | --- |\n{}",
            unranked.join("\n")
        );
    }
    if !dropped_lines.is_empty() {
        let _ = writeln!(
            s,
            "\n## Dropped (ranked one year, absent the next)\n\n{}",
            dropped_lines.join("\n")
        );
    }
    if let Some(a) = &out.appeal {
        appeal_markdown(&mut s, a)?;
    }
    let _ = writeln!(s, "\n## Methodology\n\n{}", methodology(model));
    Ok(s)
}

/// `rankings.xlsx`: a sheet per output with Chinese headers, a frozen header row, number
/// formats, and rank changes as green ▲ / red ▼.
pub(crate) fn xlsx(model: &Model, out: &Outputs, path: &Path) -> anyhow::Result<()> {
    let mut wb = Workbook::new();
    // A fixed creation time, so the same inputs give the same bytes.
    wb.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_creation_datetime(&rust_xlsxwriter::ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_align(FormatAlign::Center);
    let score_fmt = Format::new().set_num_format("0.000");
    let change_fmt = Format::new().set_num_format("[Color10]\"▲\"0;[Red]\"▼\"0;\"=\"");
    let r = &out.rankings;
    let sheet = wb.add_worksheet().set_name("排名")?;
    let cols: [(&str, &str); 15] = [
        ("year", "年度"),
        ("group", "比较组"),
        ("group_value", "组别"),
        ("rank", "排名"),
        ("issuer", "发布机关"),
        ("region_code", "区划代码"),
        ("score", "得分"),
        ("rank_change", "排名变化"),
        ("rank_p05", "排名区间下限(5%)"),
        ("rank_p95", "排名区间上限(95%)"),
        ("status", "状态"),
        ("coverage", "指标覆盖权重"),
        ("reason", "未排名原因"),
        ("strongest", "最强指标"),
        ("weakest", "最弱指标"),
    ];
    for (c, (_, zh)) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *zh, &head)?;
        sheet.set_column_width(c as u16, if c == 4 { 28 } else { 12 })?;
    }
    for (c, (name, _)) in cols.iter().enumerate() {
        let numeric = matches!(
            *name,
            "year" | "rank" | "score" | "rank_change" | "rank_p05" | "rank_p95" | "coverage"
        );
        if numeric {
            for (i, v) in f64s(r, name)?.into_iter().enumerate() {
                let row = i as u32 + 1;
                if let Some(v) = v {
                    match *name {
                        "score" => sheet.write_number_with_format(row, c as u16, v, &score_fmt)?,
                        "rank_change" => {
                            sheet.write_number_with_format(row, c as u16, v, &change_fmt)?
                        }
                        _ => sheet.write_number(row, c as u16, v)?,
                    };
                }
            }
        } else {
            for (i, v) in strs(r, name)?.into_iter().enumerate() {
                sheet.write_string(i as u32 + 1, c as u16, v)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, r.height() as u32, cols.len() as u16 - 1)?;
    let m = wb.add_worksheet().set_name("指标与方法")?;
    let heads = [
        "指标",
        "indicator",
        "公式 formula",
        "口径 denominator",
        "方向",
        "权重",
        "标准化",
        "跨模板可比",
    ];
    for (c, h) in heads.iter().enumerate() {
        m.write_string_with_format(0, c as u16, *h, &head)?;
        m.set_column_width(c as u16, if (2..=3).contains(&c) { 40 } else { 14 })?;
    }
    for (i, ind) in model.indicators.iter().enumerate() {
        let row = i as u32 + 1;
        m.write_string(row, 0, &ind.zh)?;
        m.write_string(row, 1, &ind.key)?;
        m.write_string(row, 2, &ind.formula_text)?;
        m.write_string(row, 3, &ind.denominator)?;
        m.write_string(
            row,
            4,
            if ind.direction == Direction::Higher {
                "越高越好"
            } else {
                "越低越好"
            },
        )?;
        m.write_number(row, 5, ind.weight)?;
        m.write_string(row, 6, normalise_name(&ind.normalise))?;
        m.write_string(row, 7, if ind.comparable { "是" } else { "否" })?;
    }
    let last = model.indicators.len() as u32 + 2;
    m.write_string(
        last,
        0,
        format!(
            "模型 {} v{}，哈希 {}",
            model.name, model.version, model.hash
        ),
    )?;
    m.set_freeze_panes(1, 0)?;
    if let Some(a) = &out.appeal {
        for (name, titles, rows) in [
            (
                "申诉复核",
                APPEAL_HEAD.to_vec(),
                appeal_rows(a)?
                    .into_iter()
                    .map(|r| r.to_vec())
                    .collect::<Vec<_>>(),
            ),
            (
                "变动单元格",
                APPEAL_CELLS_HEAD.to_vec(),
                appeal_cell_rows(a)?
                    .into_iter()
                    .map(|r| r.to_vec())
                    .collect(),
            ),
        ] {
            let sh = wb.add_worksheet().set_name(name)?;
            for (c, h) in titles.iter().enumerate() {
                sh.write_string_with_format(0, c as u16, *h, &head)?;
                sh.set_column_width(c as u16, if c == 3 || c == 0 { 28 } else { 14 })?;
            }
            for (i, r) in rows.iter().enumerate() {
                for (c, v) in r.iter().enumerate() {
                    sh.write_string(i as u32 + 1, c as u16, v)?;
                }
            }
            sh.set_freeze_panes(1, 0)?;
        }
    }
    let tmp = path.with_extension("xlsx.tmp");
    wb.save(&tmp)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
