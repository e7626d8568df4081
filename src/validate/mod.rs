//! The rulebook: a [`Report`] in, [`Finding`]s out. Never changes a cell.
//!
//! Rules: the accounting identities I1–I5 (data in `template`), I6 (non-negative integer
//! counts), and what extraction noticed (tables or rows not found, ambiguous or unsplittable
//! glued runs, extra values, unparsed cells). A source's own inconsistency is a finding with
//! both numbers; nothing is repaired.

pub(crate) mod across;
mod narrative;

use crate::report::{Cell, CellState, Finding, Note, Report, Severity, rules};
use crate::template::{CellKind, Identity, Instance, TableKind, all_keys, identities, key_index};

/// Every finding for one report, in a stable order.
pub(crate) fn validate(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    notes(report, &mut out);
    cells(report, &mut out);
    narrative::check(report, &mut out);
    // Each canonical key's cell (the last of a key wins), by its place in `all_keys`: the
    // instances know their cells' places, so no key is hashed or compared here.
    let mut index: Vec<Option<&Cell>> = vec![None; all_keys().len()];
    for c in &report.cells {
        if let Some(i) = key_index((c.table, c.row, c.col)) {
            index[i] = Some(c);
        }
    }
    for table in TableKind::ALL {
        let Some(layout) = report.layout(table) else {
            continue;
        };
        let Some(spec) = table.specs().iter().find(|s| s.layout == layout) else {
            continue;
        };
        // Instances that hold only if their blank cells are read as 0, per identity.
        let mut unchecked: Vec<Unchecked> = Vec::new();
        for inst in spec.instances() {
            let Some(identity) = identities(table).find(|i| i.id == inst.id) else {
                continue;
            };
            let cell = |place: Option<usize>| index.get(place?).copied().flatten();
            match check(&cell, table, inst, identity.zh, identity.en) {
                Checked::Fails(f) => out.push(f),
                Checked::OnlyIfBlankIsZero(blank) => {
                    let at = instance_name(inst);
                    match unchecked.iter_mut().find(|u| u.identity.id == inst.id) {
                        Some(u) => {
                            u.at.push(at);
                            u.blank.extend(blank);
                        }
                        None => unchecked.push(Unchecked {
                            identity,
                            at: vec![at],
                            blank,
                        }),
                    }
                }
                Checked::Holds | Checked::Unknown => {}
            }
        }
        for u in unchecked {
            out.push(blank_finding(table, u));
        }
    }
    out
}

/// What an instance is about: `row new` for one over a row's cells, `column natural` for
/// one over a column's, else its cells' rows.
fn instance_name(inst: &Instance) -> String {
    let mut cells = inst.cells();
    let Some(&(r0, c0)) = cells.next() else {
        return String::new();
    };
    let (same_row, same_col) = inst.cells().fold((true, true), |(r, c), &(ri, ci)| {
        (r && ri == r0, c && ci == c0)
    });
    if same_row {
        format!("row {r0}")
    } else if same_col {
        format!("column {c0}")
    } else {
        format!("{r0}…")
    }
}

/// One finding per table and identity for the instances that hold only when their blank
/// cells are read as 0: blank is not 0, so they cannot be checked, and saying so once keeps
/// a report whose five 法人 columns are empty on every row from raising twenty findings.
fn blank_finding(table: TableKind, u: Unchecked) -> Finding {
    let Unchecked {
        identity,
        at,
        blank,
    } = u;
    let (id, zh, en) = (identity.id, identity.zh, identity.en);
    let mut cells: Vec<String> = Vec::new();
    for b in blank {
        if !cells.contains(&b) {
            cells.push(b);
        }
    }
    let shown = |sep: &str| {
        if at.len() > 6 {
            format!(
                "{}{sep}…{sep}{} ({} in all)",
                at[0],
                at[at.len() - 1],
                at.len()
            )
        } else {
            at.join(sep)
        }
    };
    Finding {
        rule: id,
        severity: Severity::Warning,
        expected: "numbers in every cell".into(),
        actual: format!("{} blank cells", cells.len()),
        zh: format!(
            "{zh}：{} 含空白单元格（空白不等于0），只有按0计才成立，无法严格核对",
            shown("、")
        ),
        en: format!(
            "{} {en}: holds only if blank cells are read as 0 ({}); blank is not 0, so it cannot be checked",
            table.key(),
            shown(", ")
        ),
        cells,
        loc: None,
    }
}

/// The instances of one identity in a table that hold only if blank cells are read as 0.
struct Unchecked {
    identity: &'static Identity,
    /// What each instance is about (`row new`).
    at: Vec<String>,
    /// Their blank cells, as `table/row/col`.
    blank: Vec<String>,
}

/// How one identity instance came out.
enum Checked {
    Holds,
    /// It holds only if these blank cells are read as 0.
    OnlyIfBlankIsZero(Vec<String>),
    Fails(Finding),
    /// A cell is not a number or blank (missing, ambiguous, unparsed): not checked here.
    Unknown,
}

fn notes(report: &Report, out: &mut Vec<Finding>) {
    for note in &report.notes {
        let f = match note {
            Note::TableNotFound { table } => Finding {
                rule: rules::TABLE_NOT_FOUND,
                severity: Severity::Error,
                cells: vec![table.key().to_owned()],
                expected: "table".into(),
                actual: "not found".into(),
                zh: format!("未找到表格“{}”", table.name_zh()),
                en: format!("table {} not found", table.key()),
                loc: None,
            },
            Note::RowNotFound { table, row } => Finding {
                rule: rules::ROW_NOT_FOUND,
                severity: Severity::Warning,
                cells: vec![format!("{}/{row}", table.key())],
                expected: "row".into(),
                actual: "not found".into(),
                zh: format!("表格“{}”中未找到行 {row} 或该行无数值", table.name_zh()),
                en: format!("row {}/{row} not found or without values", table.key()),
                loc: None,
            },
            Note::ExtraValues {
                table,
                row,
                extra,
                loc,
            } => Finding {
                rule: rules::EXTRA_VALUES,
                severity: Severity::Warning,
                cells: vec![format!("{}/{row}", table.key())],
                expected: "no more values".into(),
                actual: extra.join(" "),
                zh: format!("行 {row} 的数值多于表格列数，多余的数值未读取"),
                en: format!(
                    "row {}/{row} has more values than cells; extra ignored",
                    table.key()
                ),
                loc: *loc,
            },
            Note::Ambiguous {
                table,
                row,
                raw,
                candidates,
                loc,
            } => Finding {
                rule: rules::AMBIGUOUS,
                severity: Severity::Warning,
                cells: vec![format!("{}/{row}", table.key())],
                expected: "one reading".into(),
                actual: candidates.join("; "),
                zh: format!(
                    "粘连的数字“{raw}”有 {} 种拆分均符合勾稽关系，无法确定，未取值",
                    candidates.len()
                ),
                en: format!(
                    "glued digits {raw} split {} ways that all satisfy the identities; left ambiguous",
                    candidates.len()
                ),
                loc: *loc,
            },
            Note::Broken {
                rule,
                cells,
                raw,
                alone,
                loc,
                ..
            } => Finding {
                rule,
                severity: Severity::Error,
                cells: cells.clone(),
                expected: "a reading that satisfies it".into(),
                actual: raw.clone(),
                zh: if *alone {
                    format!(
                        "粘连的数字“{raw}”没有任何拆分能满足此勾稽关系：报告本身不一致；在其余关系下无法确定的单元格未取值"
                    )
                } else {
                    format!(
                        "粘连的数字“{raw}”没有拆分能同时满足全部勾稽关系，此关系或同一行的另一关系不成立；无法确定的单元格未取值"
                    )
                },
                en: if *alone {
                    format!(
                        "no reading of the glued digits {raw} satisfies this identity: the report is inconsistent; cells the other identities do not decide are left ambiguous"
                    )
                } else {
                    format!(
                        "no reading of the glued digits {raw} satisfies every identity of its row: this one or another fails; cells left undecided are ambiguous"
                    )
                },
                loc: *loc,
            },
            Note::Floating {
                table,
                rows,
                value_rows,
                placed,
            } => Finding {
                rule: rules::FLOATING_LABELS,
                severity: if *placed {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                cells: rows
                    .iter()
                    .map(|r| format!("{}/{r}", table.key()))
                    .collect(),
                expected: format!("{} rows of values", rows.len()),
                actual: format!("{value_rows} rows of values"),
                zh: if *placed {
                    format!(
                        "{} 个行标签印在表格之外，其后有 {value_rows} 行只有数值；勾稽关系确认后按印刷顺序对应",
                        rows.len()
                    )
                } else {
                    format!(
                        "{} 个行标签印在表格之外，其后有 {value_rows} 行只有数值；无法确认对应关系，这些单元格未取值",
                        rows.len()
                    )
                },
                en: if *placed {
                    format!(
                        "{} row labels printed outside the table, then {value_rows} rows of values alone; paired in printed order, as the sums confirm",
                        rows.len()
                    )
                } else {
                    format!(
                        "{} row labels printed outside the table, then {value_rows} rows of values alone; nothing confirms which is which, so their cells are left ambiguous",
                        rows.len()
                    )
                },
                loc: None,
            },
            Note::UnknownColumns { headers, loc } => Finding {
                rule: rules::UNKNOWN_COLUMNS,
                severity: Severity::Warning,
                cells: Vec::new(),
                expected: "columns that name cells".into(),
                actual: headers.join("; "),
                zh: format!(
                    "汇总表中有 {} 列无法对应到表格单元格，未读取：{}",
                    headers.len(),
                    headers.join("、")
                ),
                en: format!(
                    "{} summary-sheet columns name no cell and were not read: {}",
                    headers.len(),
                    headers.join(", ")
                ),
                loc: *loc,
            },
            Note::Unsplittable {
                table,
                row,
                raw,
                loc,
                reason,
            } => Finding {
                rule: rules::UNSPLITTABLE,
                severity: Severity::Warning,
                cells: vec![format!("{}/{row}", table.key())],
                expected: "one reading".into(),
                actual: raw.clone(),
                zh: format!("粘连的数字“{raw}”无法拆分"),
                en: format!("glued digits {raw} cannot be split: {reason}"),
                loc: *loc,
            },
        };
        out.push(f);
    }
}

fn cells(report: &Report, out: &mut Vec<Finding>) {
    for cell in &report.cells {
        match &cell.state {
            CellState::Unparsed => out.push(Finding {
                rule: rules::UNPARSED,
                severity: Severity::Warning,
                cells: vec![cell.name()],
                expected: "a value".into(),
                actual: cell.raw.to_string(),
                zh: format!("单元格内容“{}”无法识别为数值", cell.raw),
                en: format!("cell text {:?} is not a value", cell.raw),
                loc: cell.loc,
            }),
            CellState::Number(d) => {
                let count = is_count(cell);
                if d.is_negative() || (count && !d.is_integer()) {
                    out.push(Finding {
                        rule: rules::NON_NEGATIVE_INTEGER,
                        severity: Severity::Error,
                        cells: vec![cell.name()],
                        expected: if count {
                            "a non-negative integer".into()
                        } else {
                            "a non-negative amount".into()
                        },
                        actual: d.to_string(),
                        zh: format!("数值 {d} 应为非负{}", if count { "整数" } else { "数" }),
                        en: format!(
                            "value {d} must be non-negative{}",
                            if count { " and whole" } else { "" }
                        ),
                        loc: cell.loc,
                    });
                }
            }
            _ => {}
        }
    }
}

fn is_count(cell: &Cell) -> bool {
    cell.kind == CellKind::Count
}

/// Checks one identity instance. Blank cells count as 0, but a mismatch that depends on a
/// blank is a warning, not an error: blank is not the same as 0.
fn check<'a>(
    cell: &dyn Fn(Option<usize>) -> Option<&'a Cell>,
    table: TableKind,
    inst: &Instance,
    zh: &str,
    en: &str,
) -> Checked {
    let mut blank = Vec::new();
    let (lhs_places, rhs_places) = inst.places.split_at(inst.lhs.len());
    let mut side =
        |cells: &[(&'static str, &'static str)], places: &[Option<usize>]| -> Option<(i64, bool)> {
            let mut sum = 0i64;
            let mut all_blank = true;
            for (&(r, c), &place) in cells.iter().zip(places) {
                match &cell(place)?.state {
                    CellState::Number(d) => {
                        sum = sum.checked_add(d.as_i64()?)?;
                        all_blank = false;
                    }
                    CellState::Blank => blank.push(format!("{}/{r}/{c}", table.key())),
                    _ => return None,
                }
            }
            Some((sum, all_blank))
        };
    let (Some((l, l_blank)), Some((r, r_blank))) =
        (side(&inst.lhs, lhs_places), side(&inst.rhs, rhs_places))
    else {
        return Checked::Unknown;
    };
    let blanks = blank.len();
    if l == r || (l_blank && r_blank) {
        return if blanks == 0 {
            Checked::Holds
        } else {
            Checked::OnlyIfBlankIsZero(blank)
        };
    }
    let names = |cells: &[(&str, &str)]| -> Vec<String> {
        cells
            .iter()
            .map(|(r, c)| format!("{}/{r}/{c}", table.key()))
            .collect()
    };
    let short = |cells: &[(&str, &str)]| -> String {
        let names: Vec<String> = cells.iter().map(|(r, c)| format!("{r}.{c}")).collect();
        match names.as_slice() {
            [first, .., last] if names.len() > 4 => {
                format!("sum({first}…{last}; {} cells)", names.len())
            }
            _ => names.join("+"),
        }
    };
    let mut cells = names(&inst.lhs);
    cells.extend(names(&inst.rhs));
    let loc = lhs_places
        .iter()
        .find_map(|&place| cell(place).and_then(|c| c.loc));
    let (severity, zh_note, en_note) = if l_blank || r_blank {
        (
            Severity::Warning,
            "（一侧全部为空）",
            " (one side is all blank)",
        )
    } else if blanks > 0 {
        (
            Severity::Warning,
            "（含空白单元格，按0计）",
            " (blank cells read as 0)",
        )
    } else {
        (Severity::Error, "", "")
    };
    Checked::Fails(Finding {
        rule: inst.id,
        severity,
        cells,
        expected: r.to_string(),
        actual: l.to_string(),
        zh: format!(
            "{zh}：{} = {l}，而 {} = {r}{zh_note}",
            short(&inst.lhs),
            short(&inst.rhs)
        ),
        en: format!(
            "{en}: {} = {l} but {} = {r}{en_note}",
            short(&inst.lhs),
            short(&inst.rhs)
        ),
        loc,
    })
}
