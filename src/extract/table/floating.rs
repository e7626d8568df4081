//! Row labels a PDF-to-Markdown converter floated out of their table, paired with the
//! value rows left behind only when the sums confirm it.

use super::*;

/// Labels that a PDF-to-Markdown converter floated out of their table: plain lines of row
/// labels (`1.属于国家秘` / `密`, `2.其他法律…`) followed, in the table, by as many rows of
/// values alone (`| 1 | 0 | … |`). Found as consecutive rows whose labels stand outside any
/// Markdown row with nothing after them, the last one's text then holding only value rows.
pub(super) struct FloatingBlock<'s> {
    /// The rows, in printed order, and the value rows (as pieces) in printed order.
    rows: Vec<usize>,
    values: Vec<Vec<Piece<'s>>>,
    /// Whether the counts match, so that row `rows[k]` was given `values[k]` to be checked.
    paired: bool,
}

pub(super) fn floating_blocks<'s>(
    s: &'s Stream,
    rows: &mut [RowRead<'s>],
) -> Vec<FloatingBlock<'s>> {
    if s.md_rows.is_empty() {
        return Vec::new();
    }
    let floating = |r: &RowRead<'_>| {
        r.label.is_some_and(|(at, _)| {
            let tok = s.token.get(at).map(|&t| &s.tokens[t as usize]);
            s.md_row_at(at).is_none() && tok.is_some_and(|t| !t.cell)
        })
    };
    let mut out = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for i in 0..rows.len() {
        let r = &rows[i];
        if r.label.is_none() {
            continue; // not printed: no part of any block
        }
        if r.spec.group && r.pieces.is_empty() {
            continue; // a group heading among floating labels holds no values
        }
        if r.spec.group || !floating(r) {
            leave_unplaced(rows, &mut open);
            continue;
        }
        if r.pieces.is_empty() {
            open.push(i);
            continue;
        }
        // The last floating label of a run: what follows it must be value rows alone.
        let mut groups: Vec<(usize, Vec<Piece<'_>>)> = Vec::new();
        let mut all_values = true;
        for p in &r.pieces {
            match s.md_row_at(p.start) {
                Some(m) if m.values_only => match groups.last_mut() {
                    Some((start, g)) if *start == m.start => g.push(*p),
                    _ => groups.push((m.start, vec![*p])),
                },
                _ => all_values = false,
            }
        }
        open.push(i);
        if all_values && (groups.len() > 1 || open.len() > 1) {
            let n = r.spec.cells.len();
            let values: Vec<Vec<Piece<'_>>> = groups.into_iter().map(|(_, g)| g).collect();
            let paired = values.len() == open.len() && values.iter().all(|v| v.len() == n);
            if paired {
                for (&row, v) in open.iter().zip(&values) {
                    rows[row].pieces = v.clone();
                }
            } else {
                for &row in &open {
                    rows[row].pieces = Vec::new();
                }
            }
            out.push(FloatingBlock {
                rows: std::mem::take(&mut open),
                values,
                paired,
            });
        }
        leave_unplaced(rows, &mut open);
    }
    leave_unplaced(rows, &mut open);
    out
}

/// Floating labels with no value rows after them: their values are somewhere in the table
/// but nothing says where, so their cells are missing (with the block's note), not blank.
pub(super) fn leave_unplaced(rows: &mut [RowRead<'_>], open: &mut Vec<usize>) {
    for &r in open.iter() {
        if rows[r].pieces.is_empty() {
            rows[r].unplaced = Some(Vec::new());
        }
    }
    open.clear();
}

/// Keeps a floating block's pairing in printed order only when the table's sums confirm
/// that the value rows are these rows' (every identity over them holds with the pairing, a
/// printed group subtotal included), or when every value row is the same (any pairing gives
/// the same cells). Otherwise each of the rows' cells is ambiguous among the value rows'.
/// Identities cannot tell the order inside a group, so the printed order is taken; they can
/// tell rows that belong elsewhere or are missing.
pub(super) fn settle_floating(
    b: &FloatingBlock<'_>,
    rows: &mut [RowRead<'_>],
    instances: &[Instance],
    report: &mut Report,
    kind: TableKind,
) {
    let text =
        |v: &[Piece<'_>]| -> Vec<String> { v.iter().map(|p| p.chars.iter().collect()).collect() };
    let same = b.values.windows(2).all(|w| text(&w[0]) == text(&w[1]));
    let confirmed = b.paired && (same || sums_confirm(b, rows, instances));
    let keys: Vec<&'static str> = b.rows.iter().map(|&r| rows[r].spec.key).collect();
    report.notes.push(Note::Floating {
        table: kind,
        rows: keys.clone(),
        value_rows: b.values.len(),
        placed: confirmed,
    });
    if confirmed {
        return;
    }
    let n = b.rows.first().map_or(0, |&r| rows[r].spec.cells.len());
    let mut cands: Vec<Vec<String>> = vec![Vec::new(); n];
    for v in &b.values {
        for (j, t) in text(v).into_iter().enumerate().take(n) {
            if !cands[j].contains(&t) {
                cands[j].push(t);
            }
        }
    }
    for c in &mut cands {
        c.sort();
    }
    for &r in &b.rows {
        rows[r].options = Vec::new();
        rows[r].unplaced = Some(cands.clone());
    }
}

/// Whether every identity instance over a block's cells can be evaluated with the pairing
/// and holds, and at least one does.
pub(super) fn sums_confirm(
    b: &FloatingBlock<'_>,
    rows: &[RowRead<'_>],
    instances: &[Instance],
) -> bool {
    // Cells of rows the report does not print (a group subtotal) take part in no check;
    // a printed cell that is not known for sure confirms nothing.
    let mut value: HashMap<Key, Option<i64>> = HashMap::default();
    for r in rows {
        let Some(first) = r.options.first() else {
            if r.label.is_some() {
                for pc in r.spec.cells {
                    for k in pc.targets(r.spec.key) {
                        value.insert(k, None);
                    }
                }
            }
            continue;
        };
        let unique = r.options.len() == 1;
        for (k, v) in reading_values(r.spec, first) {
            value.insert(k, if unique { v.as_count() } else { None });
        }
    }
    let mine: Vec<&'static str> = b.rows.iter().map(|&r| rows[r].spec.key).collect();
    let mut checked = 0;
    for inst in instances {
        if !inst.cells().any(|(r, _)| mine.contains(r))
            || !inst.cells().all(|k| value.contains_key(k))
        {
            continue;
        }
        let sum = |side: &[Key]| -> Option<i64> {
            side.iter()
                .try_fold(0i64, |acc, k| Some(acc + value.get(k).copied().flatten()?))
        };
        match (sum(&inst.lhs), sum(&inst.rhs)) {
            (Some(l), Some(r)) if l == r => checked += 1,
            // A sum that fails, or a cell the pairing needs not known for sure.
            _ => return false,
        }
    }
    checked > 0
}
