//! Reading one table out of its section: layout, rows, pieces, cells.

use rustc_hash::FxHashMap as HashMap;

use crate::template::{
    COUNT_UNITS, CellKind, Instance, MONEY_UNITS, PrintedCell, RowSpec, TableKind, TableSpec,
    Targets,
};

use super::glued::{Cut, Split, split_row};
use super::value::{BLANK_MARK, NA_MARK, Parsed, Value, parse};
use super::{Cell, CellState, Note, Report, Stream, TableRead};

/// Search budget for choosing among rows' readings jointly.
const MAX_JOINT_NODES: usize = 10_000;
const MAX_SOLUTIONS: usize = 256;

/// A run of value characters in the stream: `[start, end)`.
#[derive(Clone, Debug)]
struct Piece {
    start: usize,
    end: usize,
    chars: Vec<char>,
}

/// One printed row as found: its label, the pieces after it, and its readings.
struct RowRead {
    spec: &'static RowSpec,
    label: Option<Span>,
    pieces: Vec<Piece>,
    /// Readings; several when a glued run could be cut more than one way.
    options: Vec<Vec<Cut>>,
    glued: bool,
    unsplittable: Option<&'static str>,
    /// The readings put empty cells in spaces between the runs.
    blank_gaps: bool,
    /// Identities of the row (as instances of the table) that no reading satisfies.
    broken: Vec<usize>,
    /// For a row whose label floated out of its table and could not be paired with one
    /// value row for sure: each cell's candidate texts (the value rows' in its column).
    unplaced: Option<Vec<Vec<String>>>,
}

type Key = (&'static str, &'static str);
/// A label match: stream range `[start, end)`.
type Span = (usize, usize);

/// Reads table `kind` from the stream range `[start, end)` into `report`; returns the end
/// of the range it used, or `None` if no table was found.
pub(super) fn read_table(
    s: &Stream,
    kind: TableKind,
    start: usize,
    end: usize,
    report: &mut Report,
) -> Option<usize> {
    let Some((spec, labels)) = choose_spec(s, kind, start, end) else {
        report.tables.push(TableRead {
            table: kind,
            layout: None,
            loc: None,
        });
        report.notes.push(Note::TableNotFound { table: kind });
        return None;
    };
    let mut rows: Vec<RowRead> = Vec::with_capacity(spec.rows.len());
    let found: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
    for (i, row) in spec.rows.iter().enumerate() {
        let label = labels[i];
        let pieces = match label {
            Some((_, lend)) => {
                let next = found
                    .iter()
                    .find(|&&j| j > i)
                    .and_then(|&j| {
                        labels[j].map(|(ls, _)| trim_ordinal(s, ls, spec.rows[j].ordinal))
                    })
                    .unwrap_or(end);
                pieces(s, lend, next.max(lend))
            }
            None => Vec::new(),
        };
        rows.push(RowRead {
            spec: row,
            label,
            pieces,
            options: Vec::new(),
            glued: false,
            unsplittable: None,
            blank_gaps: false,
            broken: Vec::new(),
            unplaced: None,
        });
    }
    let instances = spec.instances();
    let blocks = floating_blocks(s, &mut rows);
    for row in &mut rows {
        read_row(row, instances);
    }
    solve_jointly(&mut rows, instances);
    for b in &blocks {
        settle_floating(b, &mut rows, instances, report, kind);
    }
    let table_loc = rows
        .iter()
        .find_map(|r| r.label.map(|(st, _)| st))
        .and_then(|st| s.loc(st));
    report.tables.push(TableRead {
        table: kind,
        layout: Some(spec.layout),
        loc: table_loc,
    });
    for row in &rows {
        emit(s, spec, row, report);
    }
    let used_end = rows
        .iter()
        .filter_map(|r| r.pieces.last().map(|p| p.end))
        .max()
        .unwrap_or(start);
    Some(used_end)
}

/// Labels that a PDF-to-Markdown converter floated out of their table: plain lines of row
/// labels (`1.属于国家秘` / `密`, `2.其他法律…`) followed, in the table, by as many rows of
/// values alone (`| 1 | 0 | … |`). Found as consecutive rows whose labels stand outside any
/// Markdown row with nothing after them, the last one's text then holding only value rows.
struct FloatingBlock {
    /// The rows, in printed order, and the value rows (as pieces) in printed order.
    rows: Vec<usize>,
    values: Vec<Vec<Piece>>,
    /// Whether the counts match, so that row `rows[k]` was given `values[k]` to be checked.
    paired: bool,
}

fn floating_blocks(s: &Stream, rows: &mut [RowRead]) -> Vec<FloatingBlock> {
    if s.md_rows.is_empty() {
        return Vec::new();
    }
    let floating = |r: &RowRead| {
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
        let mut groups: Vec<(usize, Vec<Piece>)> = Vec::new();
        let mut all_values = true;
        for p in &r.pieces {
            match s.md_row_at(p.start) {
                Some(m) if m.values_only => match groups.last_mut() {
                    Some((start, g)) if *start == m.start => g.push(p.clone()),
                    _ => groups.push((m.start, vec![p.clone()])),
                },
                _ => all_values = false,
            }
        }
        open.push(i);
        if all_values && (groups.len() > 1 || open.len() > 1) {
            let n = r.spec.cells.len();
            let values: Vec<Vec<Piece>> = groups.into_iter().map(|(_, g)| g).collect();
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
fn leave_unplaced(rows: &mut [RowRead], open: &mut Vec<usize>) {
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
fn settle_floating(
    b: &FloatingBlock,
    rows: &mut [RowRead],
    instances: &[Instance],
    report: &mut Report,
    kind: TableKind,
) {
    let text =
        |v: &[Piece]| -> Vec<String> { v.iter().map(|p| p.chars.iter().collect()).collect() };
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
fn sums_confirm(b: &FloatingBlock, rows: &[RowRead], instances: &[Instance]) -> bool {
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
            value.insert(k, if unique { as_count(&v) } else { None });
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

/// Picks the layout with the most markers in the range (then the most rows found).
fn choose_spec(
    s: &Stream,
    kind: TableKind,
    start: usize,
    end: usize,
) -> Option<(&'static TableSpec, Vec<Option<Span>>)> {
    let mut best = None;
    let mut best_score = (0, 0);
    for &spec in kind.specs() {
        let markers = spec
            .markers
            .iter()
            .filter(|m| s.find(m, start, end).is_some())
            .count();
        let labels = match_rows(s, spec, start, end);
        let rows_with_values = labels
            .iter()
            .enumerate()
            .filter(|(i, l)| l.is_some() && !spec.rows[*i].group)
            .count();
        let score = (markers, rows_with_values);
        if rows_with_values > 0 && (best.is_none() || score > best_score) {
            best = Some((spec, labels));
            best_score = score;
        }
    }
    best
}

/// The earliest label of `labels` in `[from, to)`; the longest on a tie.
fn find_label(s: &Stream, labels: &[&str], from: usize, to: usize) -> Option<Span> {
    labels
        .iter()
        .filter_map(|l| s.find(l, from, to).map(|at| (at, at + l.chars().count())))
        .min_by_key(|&(at, e)| (at, std::cmp::Reverse(e)))
}

/// Finds each row's label in template order, each after the one before. A group heading is
/// looked for only before the next row's label, so one printed out of place (pdftotext puts
/// vertically centred headings mid-group) cannot make rows be skipped.
///
/// Taking each label at its first place is right when every row is printed. When one is not
/// (a report without a 规章 row), its label may still turn up later, in prose after the
/// table, and taking it there would push every later row past the table. So when the first
/// places leave a row unfound, the rows are matched again to find as many as possible in
/// order, each still at its first place after the row before.
fn match_rows(s: &Stream, spec: &TableSpec, start: usize, end: usize) -> Vec<Option<Span>> {
    let greedy = match_rows_with(s, spec, start, end, &mut |_, _| true);
    let all_found = spec
        .rows
        .iter()
        .zip(&greedy)
        .all(|(r, m)| m.is_some() || r.group || r.labels.is_empty());
    if all_found {
        return greedy;
    }
    let labelled: Vec<usize> = (0..spec.rows.len())
        .filter(|&i| !spec.rows[i].group && !spec.rows[i].labels.is_empty())
        .collect();
    let mut most = MostRows {
        s,
        spec,
        end,
        labelled: &labelled,
        memo: HashMap::default(),
    };
    match_rows_with(s, spec, start, end, &mut |i, at| {
        let Some(li) = labelled.iter().position(|&j| j == i) else {
            return true;
        };
        // Take the row here unless leaving it out finds more of the rows after it.
        let end_here = find_label(s, spec.rows[i].labels, at, end).map_or(at, |m| m.1);
        1 + most.count(li + 1, end_here) >= most.count(li + 1, at)
    })
}

/// The most rows, from `labelled[li]` on, that can be found in order after a position.
struct MostRows<'a> {
    s: &'a Stream,
    spec: &'a TableSpec,
    end: usize,
    labelled: &'a [usize],
    memo: HashMap<(usize, usize), usize>,
}

impl MostRows<'_> {
    fn count(&mut self, li: usize, at: usize) -> usize {
        if li == self.labelled.len() {
            return 0;
        }
        if let Some(&n) = self.memo.get(&(li, at)) {
            return n;
        }
        let row = &self.spec.rows[self.labelled[li]];
        let skip = self.count(li + 1, at);
        let take =
            find_label(self.s, row.labels, at, self.end).map_or(0, |m| 1 + self.count(li + 1, m.1));
        let n = skip.max(take);
        self.memo.insert((li, at), n);
        n
    }
}

/// Rows matched in order; `take(i, pos)` says whether row `i`, found after `pos`, is taken.
fn match_rows_with(
    s: &Stream,
    spec: &TableSpec,
    start: usize,
    end: usize,
    take: &mut dyn FnMut(usize, usize) -> bool,
) -> Vec<Option<Span>> {
    let mut out = vec![None; spec.rows.len()];
    let mut pos = start;
    for (i, row) in spec.rows.iter().enumerate() {
        if row.labels.is_empty() {
            out[i] = header_anchor(s, spec, pos, end);
            continue;
        }
        let bound = if row.group {
            spec.rows[i + 1..]
                .iter()
                .find(|r| !r.group)
                .and_then(|r| find_label(s, r.labels, pos, end))
                .map_or(end, |(at, _)| at)
        } else {
            end
        };
        if let Some(m) = find_label(s, row.labels, pos, bound)
            && take(i, pos)
        {
            out[i] = Some(m);
            pos = m.1;
        }
    }
    out
}

/// For a row printed without a label (table 四): just after the last header phrase before
/// the first value that follows a header phrase (a sentence with numbers may come before the
/// table). No header, or no value after it, is no table.
fn header_anchor(s: &Stream, spec: &TableSpec, from: usize, end: usize) -> Option<Span> {
    let is_value = |c: char| c.is_ascii_digit() || c == BLANK_MARK || c == NA_MARK;
    let h = spec.header_end?;
    let h_len = h.chars().count();
    let first_header = s.find(h, from, end)?;
    let first_value = (first_header..end).find(|&i| is_value(s.chars[i]))?;
    let mut at = first_header + h_len;
    let mut p = first_header + 1;
    while let Some(i) = s.find(h, p, first_value) {
        at = i + h_len;
        p = i + 1;
    }
    Some((at, at))
}

/// Moves a label start back over its printed Arabic ordinal (`2.`), which crawlers glue
/// onto the previous row's digits (`00000002.其他法律…`).
fn trim_ordinal(s: &Stream, label_start: usize, ordinal: Option<u8>) -> usize {
    let Some(n) = ordinal else {
        return label_start;
    };
    let digits: Vec<char> = n.to_string().chars().collect();
    if label_start < digits.len() + 1 {
        return label_start;
    }
    let sep = s.chars[label_start - 1];
    if !matches!(sep, '.' | '、' | ',') {
        return label_start;
    }
    let d0 = label_start - 1 - digits.len();
    if s.chars[d0..label_start - 1] == digits[..] {
        d0
    } else {
        label_start
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The value pieces in `[from, to)`: digit runs (with `.`, thousands `,`, `/` and a unit)
/// and placeholders. Text before the first piece is skipped (the rest of a long label);
/// text of two or more Chinese characters after a piece ends the row (a following heading).
fn pieces(s: &Stream, from: usize, to: usize) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut i = from;
    while i < to {
        let c = s.chars[i];
        if c == BLANK_MARK || c == NA_MARK {
            out.push(Piece {
                start: i,
                end: i + 1,
                chars: vec![c],
            });
            i += 1;
            continue;
        }
        let digit_follows = i + 1 < to && s.chars[i + 1].is_ascii_digit() && !s.boundary[i + 1];
        // A sign before digits opens a value (`-18` printed under 本年增/减), also right
        // after the digits of the cell before when a crawler glued them (`15-180`): it is
        // never part of the number before it, and never dropped (`-18` is not 18).
        let signed = matches!(c, '-' | '+');
        let starts_value = c.is_ascii_digit() || ((c == '/' || signed) && digit_follows);
        if starts_value {
            let mut j = i + 1;
            while j < to && !s.boundary[j] {
                let d = s.chars[j];
                let ok = d.is_ascii_digit()
                    || d == '/'
                    || (d == '.'
                        && j + 1 < to
                        && s.chars[j + 1].is_ascii_digit()
                        && !s.boundary[j + 1])
                    || (d == ','
                        && j + 3 < to
                        && s.chars[j + 1..j + 4].iter().all(char::is_ascii_digit)
                        && (j + 4 >= to || !s.chars[j + 4].is_ascii_digit()));
                if !ok {
                    break;
                }
                j += 1;
            }
            // A unit directly after the number belongs to it.
            let units = MONEY_UNITS
                .iter()
                .map(|(u, _)| *u)
                .chain(COUNT_UNITS.iter().copied());
            for unit in units {
                let n = unit.chars().count();
                if j + n <= to && !s.boundary[j] && s.starts_with_at(j, unit) {
                    j += n;
                    break;
                }
            }
            // A year and 年 end the table: the crawler spliced a sentence onto the last cell
            // (`结转下年度继续办理20000022025年，我局…`).
            if let Some(y) = year_before(s, i, j, to) {
                if y > i {
                    out.push(Piece {
                        start: i,
                        end: y,
                        chars: s.chars[i..y].to_vec(),
                    });
                }
                if !out.is_empty() {
                    break;
                }
                i = j;
                continue;
            }
            out.push(Piece {
                start: i,
                end: j,
                chars: s.chars[i..j].to_vec(),
            });
            i = j;
            continue;
        }
        if !out.is_empty() && is_cjk(c) && i + 1 < to && is_cjk(s.chars[i + 1]) {
            break;
        }
        i += 1;
    }
    out
}

/// Where a year (19xx or 20xx) starts when the value `[from, to)` ends with one and 年 or a
/// space and 年 follow it.
fn year_before(s: &Stream, from: usize, to: usize, limit: usize) -> Option<usize> {
    let y = to.checked_sub(4).filter(|&y| y >= from)?;
    let next = (to..limit).find(|&k| s.chars[k] != ' ')?;
    let digits = &s.chars[y..to];
    let century = matches!(digits[..2], ['1', '9'] | ['2', '0']);
    let plain =
        digits.iter().all(char::is_ascii_digit) && (y == from || s.chars[y - 1].is_ascii_digit());
    (s.chars[next] == '年' && century && plain).then_some(y)
}

fn kinds(spec: &RowSpec) -> Vec<CellKind> {
    spec.cells.iter().map(|c| c.kind).collect()
}

/// The canonical cells and values of one reading of a row.
fn reading_values(spec: &RowSpec, option: &[Cut]) -> Vec<(Key, Value)> {
    let mut out = Vec::new();
    for (pc, cut) in spec.cells.iter().zip(option) {
        let vals = parse(&cut.text, pc.kind, cut.cut);
        for (t, v) in pc.targets(spec.key).into_iter().zip(vals) {
            out.push((t, v));
        }
    }
    out
}

fn as_count(v: &Value) -> Option<i64> {
    match v {
        Value::Number(d) => d.as_i64(),
        Value::Blank => Some(0),
        _ => None,
    }
}

/// An identity instance wholly inside one printed row, as (printed cell, value) positions.
struct Internal {
    /// The instance in the table's list.
    id: usize,
    lhs: Vec<(usize, usize)>,
    rhs: Vec<(usize, usize)>,
    /// The last printed cell it needs.
    last: usize,
}

/// The instances a printed row decides by itself (I3 for a table-三 row, I4 for each
/// table-四 group), located by printed cell.
fn internal_instances(spec: &RowSpec, instances: &[Instance]) -> Vec<Internal> {
    let targets: Vec<Targets> = spec.cells.iter().map(|pc| pc.targets(spec.key)).collect();
    let pos = |rc: &Key| {
        targets
            .iter()
            .enumerate()
            .find_map(|(j, ts)| ts.iter().position(|t| t == rc).map(|s| (j, s)))
    };
    instances
        .iter()
        .enumerate()
        .filter_map(|(id, inst)| {
            let lhs: Vec<(usize, usize)> = inst.lhs.iter().map(&pos).collect::<Option<_>>()?;
            let rhs: Vec<(usize, usize)> = inst.rhs.iter().map(&pos).collect::<Option<_>>()?;
            let last = lhs.iter().chain(&rhs).map(|(j, _)| *j).max()?;
            Some(Internal { id, lhs, rhs, last })
        })
        .collect()
}

fn read_row(row: &mut RowRead, instances: &[Instance]) {
    let n = row.spec.cells.len();
    if row.label.is_none() || row.pieces.is_empty() {
        return;
    }
    let pieces = if row.pieces.len() > n {
        &row.pieces[..n]
    } else {
        &row.pieces[..]
    };
    if pieces.len() == n {
        row.options = vec![
            pieces
                .iter()
                .enumerate()
                .map(|(i, p)| Cut {
                    text: p.chars.iter().collect(),
                    piece: i,
                    cut: false,
                })
                .collect(),
        ];
        return;
    }
    row.glued = true;
    let chars: Vec<Vec<char>> = pieces.iter().map(|p| p.chars.clone()).collect();
    let k = kinds(row.spec);
    let internal = internal_instances(row.spec, instances);
    let all: Vec<usize> = (0..internal.len()).collect();
    match split_checked(&chars, &k, &internal, &all) {
        Split::TooMany => row.unsplittable = Some("too many ways to cut it"),
        Split::Options(o) if !o.is_empty() => row.options = o,
        Split::Options(_) => fall_back(row, &chars, &k, &internal),
    }
}

/// Readings of a glued row when none satisfies all of its own identities.
fn fall_back(row: &mut RowRead, chars: &[Vec<char>], k: &[CellKind], internal: &[Internal]) {
    let n = k.len();
    let total: usize = chars.iter().map(Vec::len).sum();
    // Fewer characters than cells, with spaces between the runs: a space can be the only
    // trace of an empty cell (`0 00000` for seven cells, the second one printed empty).
    if total < n && chars.len() > 1 {
        let all: Vec<usize> = (0..internal.len()).collect();
        let mut found = blank_gap_readings(chars, k, internal, &all, n - total);
        if found.is_empty() {
            found = blank_gap_readings(chars, k, internal, &[], n - total);
        }
        if !found.is_empty() {
            row.options = found;
            row.blank_gaps = true;
            return;
        }
    }
    // The row breaks one of its identities (table 四 holds three): read it under all the
    // others, one left out at a time. Cells on which every such reading agrees are decided;
    // the broken identity is said, with its cells left ambiguous where readings differ.
    if internal.len() > 1 {
        let mut union: Vec<Vec<Cut>> = Vec::new();
        let mut broken = Vec::new();
        for skip in 0..internal.len() {
            let keep: Vec<usize> = (0..internal.len()).filter(|&i| i != skip).collect();
            match split_checked(chars, k, internal, &keep) {
                Split::Options(o) if !o.is_empty() => {
                    broken.push(skip);
                    for r in o {
                        if !union.contains(&r) {
                            union.push(r);
                        }
                    }
                }
                Split::Options(_) => {}
                Split::TooMany => {
                    row.unsplittable = Some("too many ways to cut it");
                    return;
                }
            }
        }
        if !union.is_empty() {
            row.options = union;
            row.broken = broken.iter().map(|&i| internal[i].id).collect();
            return;
        }
    }
    // No reading makes the row consistent: the source is inconsistent. Fall back to
    // readings that merely parse, so a unique one still gives its (checked) values.
    match split_checked(chars, k, internal, &[]) {
        Split::Options(o) if !o.is_empty() => row.options = o,
        Split::Options(_) => row.unsplittable = Some("no reading fits the row's cells"),
        Split::TooMany => row.unsplittable = Some("too many ways to cut it"),
    }
}

/// Readings with `blanks` empty cells placed in the spaces between pieces (each space holds
/// at most one), under the identities `keep`; piece numbers refer to the printed pieces.
fn blank_gap_readings(
    chars: &[Vec<char>],
    k: &[CellKind],
    internal: &[Internal],
    keep: &[usize],
    blanks: usize,
) -> Vec<Vec<Cut>> {
    let gaps = chars.len() - 1;
    let mut out: Vec<Vec<Cut>> = Vec::new();
    if blanks > gaps || gaps > 16 {
        return out;
    }
    for mask in 0u32..(1 << gaps) {
        if mask.count_ones() as usize != blanks {
            continue;
        }
        let mut with: Vec<Vec<char>> = Vec::with_capacity(chars.len() + blanks);
        // For each piece of `with`, the printed piece it stands for.
        let mut printed: Vec<usize> = Vec::with_capacity(chars.len() + blanks);
        for (i, c) in chars.iter().enumerate() {
            with.push(c.clone());
            printed.push(i);
            if i < gaps && mask & (1 << i) != 0 {
                with.push(vec![BLANK_MARK]);
                printed.push(i);
            }
        }
        if let Split::Options(o) = split_checked(&with, k, internal, keep) {
            for mut r in o {
                for c in &mut r {
                    c.piece = printed[c.piece];
                }
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// `split_row` under the row's own identities listed in `keep`, each checked when the last
/// cell it needs has just been cut.
fn split_checked(
    chars: &[Vec<char>],
    k: &[CellKind],
    internal: &[Internal],
    keep: &[usize],
) -> Split {
    let n = k.len();
    let mut due: Vec<Vec<&Internal>> = (0..=n).map(|_| Vec::new()).collect();
    for &i in keep {
        due[internal[i].last + 1].push(&internal[i]);
    }
    let mut with_identities = |vals: &[Parsed]| {
        due[vals.len()].iter().all(|c| {
            let sum = |side: &[(usize, usize)]| {
                side.iter().try_fold(0i64, |acc, &(j, s)| {
                    Some(acc + as_count(vals.get(j)?.get(s)?)?)
                })
            };
            match (sum(&c.lhs), sum(&c.rhs)) {
                (Some(l), Some(r)) => l == r,
                _ => true,
            }
        })
    };
    split_row(chars, k, &mut with_identities)
}

/// Narrows rows with several readings by the identities that span rows (I1, I2, I5): keeps
/// the readings that appear in some fully consistent table. When no combination is
/// consistent, the rows keep all their readings (the source is inconsistent elsewhere, and
/// the validator will say so).
fn solve_jointly(rows: &mut [RowRead], instances: &[Instance]) {
    let free: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].options.len() > 1)
        .collect();
    if free.is_empty() {
        return;
    }
    let vals: Vec<Vec<Vec<(Key, Value)>>> = rows
        .iter()
        .map(|r| {
            r.options
                .iter()
                .map(|o| reading_values(r.spec, o))
                .collect()
        })
        .collect();
    let mut owner: HashMap<Key, usize> = HashMap::default();
    for (i, r) in rows.iter().enumerate() {
        if r.options.is_empty() {
            continue;
        }
        for (k, _) in &vals[i][0] {
            owner.insert(*k, i);
        }
    }
    // Instances spanning rows, with the rows they need.
    // Each with its cells' owner rows and counts per option, looked up once here: the search
    // below checks instances at every node (hashing keys there cost seconds on hostile input).
    let spanning: Vec<Spanning> = instances
        .iter()
        .filter_map(|inst| {
            let mut need: Vec<usize> = Vec::new();
            let mut cells: Vec<(Key, usize, Vec<Option<i64>>)> = Vec::new();
            for rc in inst.cells() {
                let o = *owner.get(rc)?;
                if !need.contains(&o) {
                    need.push(o);
                }
                let per = vals[o]
                    .iter()
                    .map(|opt| {
                        opt.iter()
                            .find(|(k, _)| k == rc)
                            .and_then(|(_, v)| as_count(v))
                    })
                    .collect();
                cells.push((*rc, o, per));
            }
            (need.len() > 1 && need.iter().any(|n| free.contains(n))).then_some(Spanning {
                inst,
                need,
                cells,
            })
        })
        .collect();
    // The instances each row takes part in: a node checks only its row's.
    let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, sp) in spanning.iter().enumerate() {
        for &n in &sp.need {
            by_row[n].push(i);
        }
    }
    let spanning = Joint {
        all: spanning,
        by_row,
    };
    let mut choice: Vec<Option<usize>> = rows
        .iter()
        .map(|r| (r.options.len() == 1).then_some(0))
        .collect();
    let mut used: Vec<Vec<bool>> = rows.iter().map(|r| vec![false; r.options.len()]).collect();
    let mut nodes = 0usize;
    let mut solutions = 0usize;
    let complete = search(
        0,
        &free,
        &spanning,
        &vals,
        &mut choice,
        &mut used,
        &mut nodes,
        &mut solutions,
    );
    if complete && solutions > 0 {
        for &i in &free {
            let keep: Vec<Vec<Cut>> = rows[i]
                .options
                .iter()
                .zip(&used[i])
                .filter(|(_, u)| **u)
                .map(|(o, _)| o.clone())
                .collect();
            rows[i].options = keep;
        }
    }
}

/// The instances of a joint search, and which of them each row takes part in.
struct Joint<'a> {
    all: Vec<Spanning<'a>>,
    by_row: Vec<Vec<usize>>,
}

/// An identity instance over cells of several rows, prepared for the joint search.
struct Spanning<'a> {
    inst: &'a Instance,
    /// The rows holding its cells.
    need: Vec<usize>,
    /// Each cell, its row, and its count under each of that row's options.
    cells: Vec<(Key, usize, Vec<Option<i64>>)>,
}

#[allow(clippy::too_many_arguments)]
fn search(
    depth: usize,
    free: &[usize],
    spanning: &Joint,
    vals: &[Vec<Vec<(Key, Value)>>],
    choice: &mut Vec<Option<usize>>,
    used: &mut Vec<Vec<bool>>,
    nodes: &mut usize,
    solutions: &mut usize,
) -> bool {
    *nodes += 1;
    if *nodes > MAX_JOINT_NODES
        || *solutions > MAX_SOLUTIONS
        || (nodes.is_multiple_of(256) && crate::budget::expired())
    {
        return false;
    }
    if depth == free.len() {
        *solutions += 1;
        for (i, c) in choice.iter().enumerate() {
            if let Some(c) = c {
                used[i][*c] = true;
            }
        }
        return true;
    }
    let row = free[depth];
    for opt in 0..vals[row].len() {
        choice[row] = Some(opt);
        let consistent = spanning.by_row[row].iter().all(|&i| {
            let sp = &spanning.all[i];
            if sp.need.iter().any(|&n| choice[n].is_none()) {
                return true;
            }
            // `cells` holds the left side, then the right, in the instance's order.
            let value = |j: usize| {
                let (_, o, per) = &sp.cells[j];
                per[choice[*o]?]
            };
            let sum = |r: std::ops::Range<usize>| {
                r.map(value)
                    .try_fold(0i64, |acc, v| Some(acc.saturating_add(v?)))
            };
            let split = sp.inst.lhs.len();
            match (sum(0..split), sum(split..sp.cells.len())) {
                (Some(l), Some(r)) => l == r,
                _ => true,
            }
        });
        if consistent
            && !search(
                depth + 1,
                free,
                spanning,
                vals,
                choice,
                used,
                nodes,
                solutions,
            )
        {
            choice[row] = None;
            return false;
        }
    }
    choice[row] = None;
    true
}

/// Turns a row's readings into cells and notes.
fn emit(s: &Stream, spec: &'static TableSpec, row: &RowRead, report: &mut Report) {
    let kind = spec.kind;
    let layout = spec.layout;
    let push =
        |report: &mut Report, pc: &PrintedCell, t: Key, state: CellState, raw: String, loc| {
            report.cells.push(Cell {
                table: kind,
                row: t.0,
                col: t.1,
                state,
                raw,
                layout,
                // Each half of a 增/减 pair is a count.
                kind: match pc.kind {
                    CellKind::Pair(_) => CellKind::Count,
                    k => k,
                },
                loc,
            });
        };
    let printed_row = row.spec.key;
    if let Some(cands) = &row.unplaced {
        let loc = row.label.and_then(|(at, _)| s.loc(at));
        if cands.is_empty() {
            report.notes.push(Note::Floating {
                table: kind,
                rows: vec![printed_row],
                value_rows: 0,
                placed: false,
            });
        }
        for (j, pc) in row.spec.cells.iter().enumerate() {
            let state = match cands.get(j) {
                Some(c) => CellState::Ambiguous(c.clone()),
                None => CellState::Missing,
            };
            for t in pc.targets(printed_row) {
                push(report, pc, t, state.clone(), String::new(), loc);
            }
        }
        return;
    }
    if let (Some((at, _)), true, false) = (row.label, row.pieces.is_empty(), row.spec.group) {
        // The label is printed and the next row's follows it with nothing between: the row
        // is printed with empty cells (`2.申请人逾期未按收费通知…3.其他`), not missing.
        for pc in row.spec.cells {
            for t in pc.targets(printed_row) {
                push(report, pc, t, CellState::Blank, String::new(), s.loc(at));
            }
        }
        return;
    }
    if row.label.is_none() || row.pieces.is_empty() {
        if row.spec.group {
            return; // the template prints nothing here; neither did the report
        }
        report.notes.push(Note::RowNotFound {
            table: kind,
            row: if printed_row.is_empty() {
                "(values)"
            } else {
                printed_row
            },
        });
        for pc in row.spec.cells {
            for t in pc.targets(printed_row) {
                push(report, pc, t, CellState::Missing, String::new(), None);
            }
        }
        return;
    }
    let n = row.spec.cells.len();
    let first_loc = s.loc(row.pieces[0].start);
    let run_raw = |p: usize| {
        let pc = &row.pieces[p];
        s.raw(pc.start, pc.end)
    };
    // Blank cells past the row's own (a wide table's padding, as sheets print it) are no
    // values: only printed extras are worth a note.
    let printed_extra = (n..row.pieces.len()).any(|p| !run_raw(p).trim().is_empty());
    if row.pieces.len() > n && printed_extra {
        report.notes.push(Note::ExtraValues {
            table: kind,
            row: printed_row,
            extra: (n..row.pieces.len()).map(run_raw).collect(),
            loc: s.loc(row.pieces[n].start),
        });
    }
    // The row's printed values as one text, for notes and unread cells only (most rows
    // need neither).
    let whole_raw = || {
        row.pieces[..row.pieces.len().min(n)]
            .iter()
            .map(|p| s.raw(p.start, p.end))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(reason) = row.unsplittable {
        report.notes.push(Note::Unsplittable {
            table: kind,
            row: printed_row,
            raw: whole_raw(),
            loc: first_loc,
            reason,
        });
    }
    for &b in &row.broken {
        let inst = &spec.instances()[b];
        report.notes.push(Note::Broken {
            table: kind,
            row: printed_row,
            rule: inst.id,
            cells: inst
                .cells()
                .map(|(r, c)| format!("{}/{r}/{c}", kind.key()))
                .collect(),
            raw: whole_raw(),
            alone: row.broken.len() == 1,
            loc: first_loc,
        });
    }
    if row.options.len() > 1 {
        report.notes.push(Note::Ambiguous {
            table: kind,
            row: printed_row,
            raw: whole_raw(),
            candidates: row
                .options
                .iter()
                .map(|o| {
                    o.iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect(),
            loc: first_loc,
        });
    }
    for (j, pc) in row.spec.cells.iter().enumerate() {
        let targets = pc.targets(printed_row);
        let Some(first) = row.options.first() else {
            for t in targets {
                push(report, pc, t, CellState::Unparsed, whole_raw(), first_loc);
            }
            continue;
        };
        let cut = &first[j];
        let raw = if row.blank_gaps {
            // The spaces are part of what decided the cells.
            whole_raw()
        } else if row.glued {
            run_raw(cut.piece)
        } else {
            s.raw(row.pieces[cut.piece].start, row.pieces[cut.piece].end)
        };
        let loc = if row.blank_gaps {
            first_loc
        } else {
            s.loc(row.pieces[cut.piece].start)
        };
        let all_same = row.options[1..].iter().all(|o| o[j].text == cut.text);
        if !all_same {
            let mut cands: Vec<String> = row.options.iter().map(|o| o[j].text.clone()).collect();
            cands.sort();
            cands.dedup();
            for t in targets {
                push(
                    report,
                    pc,
                    t,
                    CellState::Ambiguous(cands.clone()),
                    raw.clone(),
                    loc,
                );
            }
            continue;
        }
        let vals = parse(&cut.text, pc.kind, cut.cut);
        for (t, v) in targets.into_iter().zip(vals) {
            let state = match v {
                Value::Number(d) => CellState::Number(d),
                Value::Blank => CellState::Blank,
                Value::NotApplicable => CellState::NotApplicable,
                Value::Unparsed => CellState::Unparsed,
            };
            push(report, pc, t, state, raw.clone(), loc);
        }
    }
}
