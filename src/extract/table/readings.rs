//! A row's readings: the cuts of its pieces into cells under the row's own identities
//! (pruned by [`super::reach`]) and blanks placed in gaps. The rows' readings are then
//! narrowed together by [`super::joint`].

use super::*;

pub(super) fn kinds(spec: &RowSpec) -> Vec<CellKind> {
    spec.cells.iter().map(|c| c.kind).collect()
}

/// The canonical cells and values of one reading of a row.
pub(super) fn reading_values(spec: &RowSpec, option: &[Cut]) -> Vec<(Key, Value)> {
    // A printed cell fills one or two canonical cells: sized for two each, never regrown.
    let mut out = Vec::with_capacity(2 * spec.cells.len());
    for (pc, cut) in spec.cells.iter().zip(option) {
        let vals = parse(&cut.text, pc.kind, cut.cut);
        for (t, v) in pc.targets(spec.key).into_iter().zip(vals) {
            out.push((t, v));
        }
    }
    out
}

/// An identity instance wholly inside one printed row, as (printed cell, value) positions.
pub(super) struct Internal {
    /// The instance in the table's list.
    pub(super) id: usize,
    pub(super) lhs: Vec<(usize, usize)>,
    pub(super) rhs: Vec<(usize, usize)>,
    /// The last printed cell it needs.
    pub(super) last: usize,
}

/// The instances a printed row decides by itself (I3 for a table-三 row, I4 for each
/// table-四 group), located by printed cell.
pub(super) fn internal_instances(
    spec: &'static RowSpec,
    instances: &'static [Instance],
) -> std::rc::Rc<Vec<Internal>> {
    // Template data alone decides them, so each row's are worked out once per thread (every
    // glued row of a batch asks; the work compares each instance's keys with the row's).
    type Known = HashMap<(usize, usize), std::rc::Rc<Vec<Internal>>>;
    thread_local! {
        static KNOWN: std::cell::RefCell<Known> = Default::default();
    }
    let key = (
        std::ptr::from_ref(spec) as usize,
        instances.as_ptr() as usize,
    );
    KNOWN.with_borrow_mut(|known| {
        known
            .entry(key)
            .or_insert_with(|| std::rc::Rc::new(locate_internal(spec, instances)))
            .clone()
    })
}

fn locate_internal(spec: &RowSpec, instances: &[Instance]) -> Vec<Internal> {
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

pub(super) fn read_row(row: &mut RowRead<'_>, instances: &'static [Instance]) {
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
                    text: CutText::from_chars(p.chars),
                    piece: i,
                    cut: false,
                })
                .collect(),
        ];
        return;
    }
    row.glued = true;
    let chars: Vec<&[char]> = pieces.iter().map(|p| p.chars).collect();
    let k = kinds(row.spec);
    let internal = internal_instances(row.spec, instances);
    let all: Vec<usize> = (0..internal.len()).collect();
    match split_checked(&chars, &k, &internal, &all) {
        Split::TooMany => row.unsplittable = Some(crate::template::TOO_MANY_CUTS),
        Split::Options(o) if !o.is_empty() => row.options = o,
        Split::Options(_) => fall_back(row, &chars, &k, &internal),
    }
}

/// Readings of a glued row when none satisfies all of its own identities.
pub(super) fn fall_back(
    row: &mut RowRead<'_>,
    chars: &[&[char]],
    k: &[CellKind],
    internal: &[Internal],
) {
    let n = k.len();
    let total: usize = chars.iter().map(|c| c.len()).sum();
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
                    row.unsplittable = Some(crate::template::TOO_MANY_CUTS);
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
        Split::Options(_) => row.unsplittable = Some(crate::template::NO_CUT_FITS),
        Split::TooMany => row.unsplittable = Some(crate::template::TOO_MANY_CUTS),
    }
}

/// Readings with `blanks` empty cells placed in the spaces between pieces (each space holds
/// at most one), under the identities `keep`; piece numbers refer to the printed pieces.
pub(super) fn blank_gap_readings(
    chars: &[&[char]],
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
        let mut with: Vec<&[char]> = Vec::with_capacity(chars.len() + blanks);
        // For each piece of `with`, the printed piece it stands for.
        let mut printed: Vec<usize> = Vec::with_capacity(chars.len() + blanks);
        for (i, c) in chars.iter().enumerate() {
            with.push(c);
            printed.push(i);
            if i < gaps && mask & (1 << i) != 0 {
                with.push(&[BLANK_MARK]);
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
pub(super) fn split_checked(
    chars: &[&[char]],
    k: &[CellKind],
    internal: &[Internal],
    keep: &[usize],
) -> Split {
    one_per_cell(chars, k, internal, keep).unwrap_or_else(|| searched(chars, k, internal, keep))
}

/// [`split_checked`] by the search.
fn searched(chars: &[&[char]], k: &[CellKind], internal: &[Internal], keep: &[usize]) -> Split {
    let n = k.len();
    // A row of counts glued from digits only: every cell still to cut will be a count below
    // 10^(its length), so an identity whose known side already outweighs what the other side
    // can still reach is lost before its last cell is cut. Only such prefixes are dropped:
    // the readings kept, and their order, are the full search's.
    let digits_only = k.iter().all(|k| *k == CellKind::Count)
        && chars.iter().all(|p| p.iter().all(char::is_ascii_digit));
    let pending: Vec<&Internal> = keep.iter().map(|&i| &internal[i]).collect();
    let row = digits_only.then(|| Row::new(chars, k));
    let mut reach = Reach::new(&pending, n, row);
    let mut with_identities = |vals: &[Counts], chars_left: usize| {
        let cut = vals.len();
        if digits_only && cut < n {
            reach.extend(vals);
            if !reach.within(n - cut, chars_left) {
                return false;
            }
        }
        // The identities whose last cell was just cut (a row has one to three: looked
        // for among them, not kept in a list per prefix length, which cost an allocation
        // for each).
        let due = pending.iter().filter(|c| c.last + 1 == cut);
        due.into_iter().all(|c| c.holds(vals))
    };
    split_row(chars, k, &mut with_identities)
}

impl Internal {
    /// Whether the identity holds on `vals`, the counts of a prefix of the row's cells
    /// holding every cell it needs; a side beyond `i64`, or with a value that is no count,
    /// says nothing (it wrapped around before, and could have matched by chance).
    fn holds(&self, vals: &[Counts]) -> bool {
        let sum = |side: &[(usize, usize)]| {
            side.iter().try_fold(0i64, |acc, &(j, s)| {
                acc.checked_add(vals.get(j)?.get(s).copied()??)
            })
        };
        match (sum(&self.lhs), sum(&self.rhs)) {
            (Some(l), Some(r)) => l == r,
            _ => true,
        }
    }
}

/// The answer of [`split_checked`] for a row of exactly as many characters as cells (most
/// rows of a glued report: `0000000`), `None` for any other row. Such a row has one cut, a
/// character a cell, and the search walks that one path; its reading is kept when every
/// cell reads and every identity in `keep` that the search checks (those whose last cell is
/// in the row) holds on it, as the search checks it. The pruning by [`Reach`] drops only
/// prefixes no reading completes, so it has no say here. Read without the search's set-up
/// (its memo, the pruning's sums, the row's digits): 300 glued reports took 1,059.6 M
/// instructions with it, 1,017.7 M without.
fn one_per_cell(
    chars: &[&[char]],
    k: &[CellKind],
    internal: &[Internal],
    keep: &[usize],
) -> Option<Split> {
    let n = k.len();
    // The search visits n + 1 nodes here; under 1,024 it never asks the batch's budget.
    if n >= 1023
        || chars.iter().map(|p| p.len()).sum::<usize>() != n
        || chars.iter().any(|p| p.is_empty())
    {
        return None;
    }
    let mut cuts: Vec<Cut> = Vec::with_capacity(n);
    let mut vals: Vec<Counts> = Vec::with_capacity(n);
    let mut text = [0u8; 4];
    for (p, piece) in chars.iter().enumerate() {
        for c in piece.iter() {
            // Cut out of a longer piece unless the piece is this one character (the search's
            // `is_cut`), and read as the search reads it.
            let cut = piece.len() != 1;
            let read = parse(c.encode_utf8(&mut text), k[cuts.len()], cut);
            if read.contains(&Value::Unparsed) {
                return Some(Split::Options(Vec::new()));
            }
            let count = |i: usize| read.get(i).and_then(Value::as_count);
            vals.push([count(0), count(1)]);
            cuts.push(Cut {
                text: CutText::from_chars(std::slice::from_ref(c)),
                piece: p,
                cut,
            });
        }
    }
    let checked = keep.iter().map(|&i| &internal[i]).filter(|c| c.last < n);
    let kept = checked.into_iter().all(|c| c.holds(&vals));
    Some(Split::Options(if kept { vec![cuts] } else { Vec::new() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::glued::{Split, split_row};

    /// A row of as many characters as cells is read as the search reads it: every row of
    /// every table the template knows, under its own identities (all, some, none), from
    /// digits, blanks, not-applicable marks and other characters in one or more pieces.
    #[test]
    fn one_character_a_cell_gives_the_searchs_reading() {
        let mut rng = crate::rng::Rng::new(28);
        let alphabet = [
            '0', '0', '0', '1', '2', '7', '9', BLANK_MARK, NA_MARK, '/', '-', 'x',
        ];
        let (mut kept, mut dropped) = (0, 0);
        for t in TableKind::ALL {
            for spec in t.specs() {
                let instances = spec.instances();
                for row in spec.rows {
                    let k = kinds(row);
                    let internal = internal_instances(row, instances);
                    let n = k.len();
                    for _ in 0..60 {
                        let digits_only = rng.chance(0.5);
                        let chars: Vec<char> = (0..n)
                            .map(|_| {
                                let from = if digits_only { 7 } else { alphabet.len() };
                                alphabet[rng.below(from as u64) as usize]
                            })
                            .collect();
                        let mut pieces: Vec<&[char]> = Vec::new();
                        let mut from = 0;
                        for i in 1..=n {
                            if i == n || rng.chance(0.2) {
                                pieces.push(&chars[from..i]);
                                from = i;
                            }
                        }
                        let keep: Vec<usize> =
                            (0..internal.len()).filter(|_| rng.chance(0.8)).collect();
                        let fast = one_per_cell(&pieces, &k, &internal, &keep);
                        let (Some(Split::Options(a)), Split::Options(b)) =
                            (fast, searched(&pieces, &k, &internal, &keep))
                        else {
                            panic!("{pieces:?}: not both readings");
                        };
                        assert_eq!(a, b, "{pieces:?} {keep:?}");
                        if a.is_empty() {
                            dropped += 1;
                        } else {
                            kept += 1;
                        }
                    }
                }
            }
        }
        assert!(
            kept > 100 && dropped > 100,
            "kept {kept}, dropped {dropped}"
        );
    }

    /// The pruned search keeps exactly the readings, in order, that the full search keeps
    /// under the same identities checked on the complete reading: rows of I3's shape (the
    /// seventh cell the sum of the first six) and of I4's (three groups of four parts and
    /// their total, the first two totals inside the row), glued from parts and their sums
    /// or from random digits, in one to three pieces, some with leading zeros.
    #[test]
    fn pruning_by_reach_keeps_the_full_searchs_readings() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let group = |first: usize, parts: usize, id: usize, total_left: bool| {
            let total = vec![(first + parts, 0)];
            let parts: Vec<(usize, usize)> = (first..first + parts).map(|j| (j, 0)).collect();
            let last = first + parts.len();
            let (lhs, rhs) = if total_left {
                (total, parts)
            } else {
                (parts, total)
            };
            Internal { id, lhs, rhs, last }
        };
        let shapes: [(usize, Vec<Internal>); 2] = [
            (7, vec![group(0, 6, 0, true)]),
            (
                15,
                vec![
                    group(0, 4, 0, false),
                    group(5, 4, 1, true),
                    group(10, 4, 2, false),
                ],
            ),
        ];
        let mut compared = [0usize; 2];
        for (shape, (n, internal)) in shapes.iter().enumerate() {
            let n = *n;
            let kinds = vec![CellKind::Count; n];
            let keep: Vec<usize> = (0..internal.len()).collect();
            for _ in 0..600 {
                let digits: Vec<char> = if next() % 2 == 0 {
                    // Parts and their totals: a reading exists.
                    let mut cells: Vec<u64> = Vec::new();
                    for g in internal {
                        // Long parts only in short rows (the full search of a long row
                        // of long parts stops at its budget).
                        let parts: Vec<u64> = (0..g.last - cells.len())
                            .map(|_| match next() % if n < 10 { 5 } else { 3 } {
                                0 => 0,
                                1 => next() % 10,
                                2 => next() % 100,
                                3 => next() % 2000,
                                _ => next() % 10_000_000_000,
                            })
                            .collect();
                        let total = parts.iter().sum();
                        cells.extend(parts);
                        cells.push(total);
                    }
                    cells.truncate(n);
                    let text: String = cells.iter().map(u64::to_string).collect();
                    text.chars().collect()
                } else {
                    let len = n + (next() % if n < 10 { 14 } else { 4 }) as usize;
                    (0..len)
                        .map(|_| char::from(b'0' + (next() % 10) as u8))
                        .collect()
                };
                let len = digits.len();
                // One to three pieces; a piece may start with a zero.
                let mut cuts: Vec<usize> = (0..next() % 3)
                    .map(|_| (next() as usize) % len)
                    .filter(|&c| c > 0)
                    .collect();
                cuts.sort_unstable();
                cuts.dedup();
                let mut pieces: Vec<Vec<char>> = Vec::new();
                let mut from = 0;
                for c in cuts.into_iter().chain([len]) {
                    pieces.push(digits[from..c].to_vec());
                    from = c;
                }
                let pieces: Vec<&[char]> = pieces.iter().map(Vec::as_slice).collect();
                let pruned = split_checked(&pieces, &kinds, internal, &keep);
                let mut plain = |vals: &[Counts], _: usize| {
                    vals.len() < n
                        || internal.iter().all(|c| {
                            let sum = |side: &[(usize, usize)]| {
                                (side.iter())
                                    .try_fold(0i64, |acc, &(j, v)| acc.checked_add(vals[j][v]?))
                            };
                            match (sum(&c.lhs), sum(&c.rhs)) {
                                (Some(l), Some(r)) => l == r,
                                _ => true,
                            }
                        })
                };
                let full = split_row(&pieces, &kinds, &mut plain);
                match (pruned, full) {
                    (Split::Options(a), Split::Options(b)) => {
                        assert_eq!(a, b, "{pieces:?}");
                        compared[shape] += usize::from(!a.is_empty());
                    }
                    // The full search stops at its budget where the pruned one may not.
                    (_, Split::TooMany) => {}
                    (Split::TooMany, b) => panic!("{pieces:?}: too many against {b:?}"),
                }
            }
        }
        assert!(
            compared.iter().all(|&c| c > 20),
            "rows with a reading: {compared:?}"
        );
    }
}
