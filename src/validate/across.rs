//! Rules across reports of one batch: duplicates of an issuer-year (D1), carry-over between
//! consecutive years (X1), documents in force (X2, 2021 layout), and text reuse against the
//! issuer's previous report (R1) and other issuers of the same year (R2). Cross-year
//! disagreements are warnings, not errors: reports get corrected.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use crate::report::{Cell, Report};
use crate::template::carry::{
    CARRIED_IN, CARRIED_OUT, IN_FORCE, IN_FORCE_ROWS, ISSUED, REPEALED, TOTAL,
};
use crate::template::{Layout, Static, TableKind};

use crate::report::{Finding, Severity, rules};

/// Containment at or above this is reported as reuse (the evaluation literature found
/// reports repeating 90 % of last year's text).
pub(crate) const REUSE_THRESHOLD: f64 = 0.9;
/// Narratives with fewer sampled 8-grams than this are too short to compare.
const MIN_FINGERPRINT: usize = 20;

/// What the batch-level rules found, by report index.
#[derive(Debug, Default)]
pub(crate) struct Across {
    pub findings: Vec<(usize, Finding)>,
    /// Index of the report kept in its issuer-year, for each duplicate.
    pub duplicate_of: HashMap<usize, usize>,
    /// Share of the narrative's 8-grams found in the issuer's previous report, and its year.
    pub reuse_previous: HashMap<usize, (f64, i32)>,
    /// Highest share found in another issuer's report of the same year, and which.
    pub reuse_peer: HashMap<usize, (f64, usize)>,
}

/// The identity of an issuer across years: its region code and body, else its name.
fn who(r: &Report) -> Option<String> {
    let m = &r.meta;
    match (&m.place, &m.issuer) {
        (Some(p), Some(i)) if m.body == Some(crate::report::Body::Department) => {
            Some(format!("{}:{i}", p.code))
        }
        (Some(p), _) => Some(p.code.clone()),
        (None, Some(i)) => Some(i.clone()),
        _ => None,
    }
}

fn numbers(r: &Report) -> usize {
    r.counts().numbers
}

/// Whether a rule here reads this cell (the carry-over and in-force rows): what a slim
/// report keeps ([`Report::slim`]).
pub(crate) fn reads(c: &Cell) -> bool {
    match c.table {
        TableKind::Requests => matches!(c.row, CARRIED_OUT | CARRIED_IN),
        TableKind::Disclosure => {
            IN_FORCE_ROWS.contains(&c.row) && matches!(c.col, IN_FORCE | ISSUED | REPEALED)
        }
        TableKind::ReviewLitigation => false,
    }
}

fn num(r: &Report, t: TableKind, row: Static, col: Static) -> Option<i64> {
    r.across_cell(t, row, col)?.0
}

/// Runs every batch rule. `names[i]` identifies report `i` in messages (its report id).
pub(crate) fn check(reports: &[&Report], names: &[String]) -> Across {
    let mut out = Across::default();
    // Issuer-years, in a stable order.
    let mut groups: BTreeMap<(String, i32), Vec<usize>> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let (Some(w), Some(y)) = (who(r), r.meta.year) {
            groups.entry((w, y)).or_default().push(i);
        }
    }
    let mut kept: BTreeMap<(String, i32), usize> = BTreeMap::new();
    for (key, ids) in &groups {
        // Keep the report with the most numbers read; on a tie, the first by input order.
        let best = *ids
            .iter()
            .max_by_key(|&&i| (numbers(reports[i]), std::cmp::Reverse(i)))
            .unwrap_or(&ids[0]);
        kept.insert(key.clone(), best);
        for &i in ids.iter().filter(|&&i| i != best) {
            out.duplicate_of.insert(i, best);
            out.findings.push((
                i,
                Finding {
                    rule: rules::DUPLICATE,
                    severity: Severity::Warning,
                    cells: Vec::new(),
                    expected: "one report per issuer and year".into(),
                    actual: format!("also {}", names[best]),
                    zh: format!(
                        "同一发布机关同一年度有多份报告，保留 {}（读出数值最多者），本份不参与跨年检查",
                        names[best]
                    ),
                    en: format!(
                        "another report of this issuer and year exists; kept {} (most values read), this one is left out of cross-year checks",
                        names[best]
                    ),
                    loc: None,
                },
            ));
        }
    }
    for ((w, y), &i) in &kept {
        if let Some(&p) = kept.get(&(w.clone(), y - 1)) {
            carry_over(reports[p], reports[i], *y, i, &mut out);
            in_force(reports[p], reports[i], *y, i, &mut out);
        }
        let earlier = kept
            .range((w.clone(), i32::MIN)..(w.clone(), *y))
            .next_back()
            .map(|((_, py), &p)| (*py, p));
        if let Some((py, p)) = earlier {
            let share = containment(&reports[i].meta.fingerprint, &reports[p].meta.fingerprint);
            if let Some(share) = share {
                out.reuse_previous.insert(i, (share, py));
                if share >= REUSE_THRESHOLD {
                    out.findings.push((
                        i,
                        reuse_finding(
                            rules::REUSE_PREVIOUS,
                            Severity::Warning,
                            share,
                            &format!("{py}"),
                            &names[p],
                        ),
                    ));
                }
            }
        }
    }
    peers(reports, names, &kept, &mut out);
    out
}

fn carry_over(prev: &Report, this: &Report, year: i32, i: usize, out: &mut Across) {
    let t = TableKind::Requests;
    let diffs: Vec<(String, i64, i64)> = crate::template::request_columns()
        .filter_map(|c| {
            let a = num(prev, t, CARRIED_OUT, c)?;
            let b = num(this, t, CARRIED_IN, c)?;
            (a != b).then(|| (c.to_string(), a, b))
        })
        .collect();
    if diffs.is_empty() {
        return;
    }
    let list = |f: &dyn Fn(&(String, i64, i64)) -> String| {
        diffs.iter().map(f).collect::<Vec<_>>().join("; ")
    };
    out.findings.push((
        i,
        Finding {
            rule: rules::CARRY_OVER,
            severity: Severity::Warning,
            cells: diffs
                .iter()
                .map(|(c, _, _)| format!("{}/{CARRIED_IN}/{c}", t.key()))
                .collect(),
            expected: list(&|(c, a, _)| format!("{c} {a}")),
            actual: list(&|(c, _, b)| format!("{c} {b}")),
            zh: format!(
                "{}年结转下年度与{year}年上年结转不一致：{}",
                year - 1,
                list(&|(c, a, b)| format!("{c} {a}≠{b}"))
            ),
            en: format!(
                "{}'s carried_out differs from {year}'s carried_in: {}",
                year - 1,
                list(&|(c, a, b)| format!("{c} {a} vs {b}"))
            ),
            loc: this.across_cell(t, CARRIED_IN, TOTAL).and_then(|c| c.1),
        },
    ));
}

fn in_force(prev: &Report, this: &Report, year: i32, i: usize, out: &mut Across) {
    let t = TableKind::Disclosure;
    if prev.layout(t) != Some(Layout::Y2021) || this.layout(t) != Some(Layout::Y2021) {
        return;
    }
    for row in IN_FORCE_ROWS {
        let (Some(before), Some(now), Some(issued), Some(repealed)) = (
            num(prev, t, row, IN_FORCE),
            num(this, t, row, IN_FORCE),
            num(this, t, row, ISSUED),
            num(this, t, row, REPEALED),
        ) else {
            continue;
        };
        let expected = before + issued - repealed;
        if expected == now {
            continue;
        }
        out.findings.push((
            i,
            Finding {
                rule: rules::IN_FORCE,
                severity: Severity::Warning,
                cells: vec![format!("{}/{row}/{IN_FORCE}", t.key())],
                expected: expected.to_string(),
                actual: now.to_string(),
                zh: format!(
                    "{row}现行有效件数{now}，而{}年{before}+本年制发{issued}-废止{repealed}={expected}",
                    year - 1
                ),
                en: format!(
                    "{row}.in_force is {now}, but {}'s {before} + issued {issued} - repealed {repealed} = {expected}",
                    year - 1
                ),
                loc: this.across_cell(t, row, IN_FORCE).and_then(|c| c.1),
            },
        ));
    }
}

/// Share of `a`'s sampled 8-grams that also occur in `b`.
fn containment(a: &[u64], b: &[u64]) -> Option<f64> {
    if a.len() < MIN_FINGERPRINT || b.len() < MIN_FINGERPRINT {
        return None;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    Some(common as f64 / a.len() as f64)
}

fn reuse_finding(
    rule: &'static str,
    severity: Severity,
    share: f64,
    whom: &str,
    other: &str,
) -> Finding {
    let pct = (share * 100.0).round();
    Finding {
        rule,
        severity,
        cells: Vec::new(),
        expected: format!("< {:.0}%", REUSE_THRESHOLD * 100.0),
        actual: format!("{pct:.0}% ({other})"),
        zh: format!("正文约{pct:.0}%与{whom}的报告 {other} 相同"),
        en: format!("about {pct:.0}% of the narrative repeats {whom}'s report {other}"),
        loc: None,
    }
}

/// Highest containment in another issuer's report of the same year, through an inverted
/// index of sampled 8-grams (grams shared by many reports, boilerplate, are skipped), so a
/// year of thousands of reports is not compared pair by pair.
/// An 8-gram found in more reports of a year than this is boilerplate (a phrase the
/// template or the province suggests), not a sign that two issuers share a text. A fixed
/// bound keeps the peer search linear in the number of reports.
const BOILERPLATE: usize = 50;

fn peers(
    reports: &[&Report],
    names: &[String],
    kept: &BTreeMap<(String, i32), usize>,
    out: &mut Across,
) {
    use rayon::prelude::*;
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for ((_, y), &i) in kept {
        by_year.entry(*y).or_default().push(i);
    }
    let whos: Vec<Option<String>> = reports.iter().map(|r| who(r)).collect();
    for ids in by_year.values() {
        if ids.len() < 2 {
            continue;
        }
        // Fx, not SipHash: fingerprints are already hashes, and every one of a batch's
        // reports goes through here.
        let mut index: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
        for &i in ids {
            for &h in &reports[i].meta.fingerprint {
                index.entry(h).or_default().push(i);
            }
        }
        // Each report's best peer, found in parallel and kept in the reports' order.
        let best: Vec<(usize, Option<(usize, usize)>)> = ids
            .par_iter()
            .map(|&i| {
                let fp = &reports[i].meta.fingerprint;
                if fp.len() < MIN_FINGERPRINT {
                    return (i, None);
                }
                let mut overlap: FxHashMap<usize, usize> = FxHashMap::default();
                for h in fp {
                    let Some(posting) = index.get(h) else {
                        continue;
                    };
                    if posting.len() > BOILERPLATE {
                        continue;
                    }
                    for &j in posting.iter().filter(|&&j| j != i) {
                        *overlap.entry(j).or_default() += 1;
                    }
                }
                let best = overlap
                    .into_iter()
                    .filter(|(j, _)| whos[*j] != whos[i])
                    .max_by_key(|&(j, n)| (n, std::cmp::Reverse(j)));
                (i, best)
            })
            .collect();
        for (i, best) in best {
            let Some((j, n)) = best else { continue };
            let share = n as f64 / reports[i].meta.fingerprint.len() as f64;
            out.reuse_peer.insert(i, (share, j));
            if share >= REUSE_THRESHOLD {
                let whom = reports[j].meta.issuer.clone().unwrap_or_default();
                out.findings.push((
                    i,
                    reuse_finding(rules::REUSE_PEER, Severity::Info, share, &whom, &names[j]),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::all_keys;

    /// What the rules read of a report is the same before and after it is slimmed, for every
    /// cell of the default corpus's reports (those kept and those dropped alike).
    #[test]
    fn slim_reports_answer_the_rules_as_whole_ones_do() {
        let mut kept = 0;
        for (path, bytes) in crate::jobs::corpus::inputs() {
            for o in crate::batch::process_all(&path, &bytes, None) {
                let Ok(p) = o.result else { continue };
                let whole = p.report;
                let mut slim = whole.clone();
                slim.slim(reads);
                assert!(slim.cells.is_empty());
                assert_eq!(slim.counts(), whole.counts());
                kept += slim.kept.len();
                for &(t, r, c) in all_keys() {
                    let before = whole.across_cell(t, r, c);
                    let expected = before.filter(|_| whole.cell(t, r, c).is_some_and(reads));
                    assert_eq!(
                        slim.across_cell(t, r, c),
                        expected,
                        "{path:?} {t:?}/{r}/{c}"
                    );
                }
            }
        }
        assert!(kept > 0);
        // The point of keeping these instead of cells: a quarter of the size, or less.
        let (small, cell) = (size_of::<crate::report::Kept>(), size_of::<Cell>());
        assert!(
            small * 4 <= cell,
            "{small} bytes kept against {cell} a cell"
        );
    }
}
