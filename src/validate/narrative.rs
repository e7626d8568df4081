//! Narrative against tables (N1–N3) and metadata (M1–M3). A narrative often counts another
//! scope (县政府办 alone versus the whole county): a mismatch with a scope word is reported
//! as a scope note, not as an error, and always with the sentence quoted.

use crate::report::{Body, Scope};
use crate::report::{CellState, Report};
use crate::template::{CORRECTED, OTHER, PENDING, UPHELD};

use super::{Finding, Severity, rules};

fn cell_sum(report: &Report, cells: &[(crate::template::TableKind, &str, &str)]) -> Option<i64> {
    cells.iter().try_fold(0i64, |acc, &(t, r, c)| {
        let v = match &report.cell(t, r, c)?.state {
            CellState::Number(d) => d.as_i64()?,
            CellState::Blank => 0,
            _ => return None,
        };
        Some(acc + v)
    })
}

fn names(cells: &[(crate::template::TableKind, &str, &str)]) -> Vec<String> {
    cells
        .iter()
        .map(|(t, r, c)| format!("{}/{r}/{c}", t.key()))
        .collect()
}

pub(super) fn check(report: &Report, out: &mut Vec<Finding>) {
    let m = &report.meta;
    for s in &m.stated {
        let Some(table) = cell_sum(report, &s.cells) else {
            continue;
        };
        if table == s.value {
            continue;
        }
        let other_scope = matches!(
            (s.scope, m.body),
            (Scope::Office, Some(Body::Government)) | (Scope::Region, Some(Body::Department))
        );
        let (rule, severity, zh_note, en_note) = if other_scope {
            (
                rules::NARRATIVE_SCOPE,
                Severity::Info,
                "（叙述所指范围与表格不同）",
                " (the sentence counts another scope)",
            )
        } else {
            (rules::NARRATIVE, Severity::Warning, "", "")
        };
        out.push(Finding {
            rule,
            severity,
            cells: names(&s.cells),
            expected: table.to_string(),
            actual: s.value.to_string(),
            zh: format!(
                "正文称{}为{}，表格为{}{zh_note}：“{}”",
                s.what_zh, s.value, table, s.sentence
            ),
            en: format!(
                "the narrative states {} for {} but the table has {table}{en_note}: \"{}\"",
                s.value, s.key, s.sentence
            ),
            loc: s.loc,
        });
    }
    for a in &m.all_upheld {
        let mut not_upheld = Vec::new();
        for row in &a.rows {
            let t = crate::template::TableKind::ReviewLitigation;
            let get = |col: &str| {
                report
                    .cell(t, row, col)
                    .and_then(|c| c.state.number())
                    .and_then(|d| d.as_i64())
                    .unwrap_or(0)
            };
            let rest = get(CORRECTED) + get(OTHER) + get(PENDING);
            if rest > 0 {
                not_upheld.push(format!(
                    "{row}: upheld {}, corrected {}, other {}, pending {}",
                    get(UPHELD),
                    get(CORRECTED),
                    get(OTHER),
                    get(PENDING)
                ));
            }
        }
        if not_upheld.is_empty() {
            continue;
        }
        out.push(Finding {
            rule: rules::ALL_UPHELD,
            severity: Severity::Warning,
            cells: a
                .rows
                .iter()
                .map(|r| format!("review_litigation/{r}"))
                .collect(),
            expected: "all upheld".into(),
            actual: not_upheld.join("; "),
            zh: format!(
                "正文称均获维持，但表格中有未维持或尚未审结的案件：“{}”",
                a.sentence
            ),
            en: format!(
                "the narrative says all were upheld, but the table has {}: \"{}\"",
                not_upheld.join("; "),
                a.sentence
            ),
            loc: a.loc,
        });
    }
    meta(report, out);
}

fn meta(report: &Report, out: &mut Vec<Finding>) {
    let m = &report.meta;
    if m.place.is_none() {
        let (zh, en) = if m.candidates.is_empty() {
            (
                format!(
                    "发布机关“{}”未能对应到行政区划",
                    m.issuer.as_deref().unwrap_or("?")
                ),
                format!(
                    "issuer {:?} matches no administrative division; pass --manifest to set it",
                    m.issuer.as_deref().unwrap_or("?")
                ),
            )
        } else {
            (
                format!(
                    "发布机关“{}”对应多个行政区划：{}",
                    m.issuer.as_deref().unwrap_or("?"),
                    m.candidates.join("、")
                ),
                format!(
                    "issuer {:?} could be any of {}; pass --manifest to choose",
                    m.issuer.as_deref().unwrap_or("?"),
                    m.candidates.join(", ")
                ),
            )
        };
        out.push(Finding {
            rule: rules::REGION_UNKNOWN,
            severity: Severity::Warning,
            cells: Vec::new(),
            expected: "one region".into(),
            actual: m.candidates.join(";"),
            zh,
            en,
            loc: None,
        });
    }
    match m.year {
        None => out.push(Finding {
            rule: rules::YEAR_UNKNOWN,
            severity: Severity::Warning,
            cells: Vec::new(),
            expected: "a report year".into(),
            actual: String::new(),
            zh: "未能确定报告年度".into(),
            en: "no report year found; pass --manifest to set it".into(),
            loc: None,
        }),
        Some(y) => {
            let others: Vec<String> = m
                .years
                .iter()
                .filter(|(_, other)| *other != y)
                .map(|(c, other)| format!("{other} ({c})"))
                .collect();
            if !others.is_empty() {
                out.push(Finding {
                    rule: rules::YEAR_CONFLICT,
                    severity: Severity::Warning,
                    cells: Vec::new(),
                    expected: format!("{y} ({})", m.year_clue.map_or("?", |c| c.key())),
                    actual: others.join("; "),
                    zh: format!("报告年度线索不一致：取{y}，另有{}", others.join("、")),
                    en: format!(
                        "year clues disagree: took {y}, also saw {}",
                        others.join(", ")
                    ),
                    loc: None,
                });
            }
        }
    }
}
