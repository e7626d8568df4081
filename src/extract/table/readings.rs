//! A row's readings: the cuts of its pieces into cells under the row's own identities,
//! blanks placed in gaps, and the joint search over the identities that span rows.

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
    id: usize,
    lhs: Vec<(usize, usize)>,
    rhs: Vec<(usize, usize)>,
    /// The last printed cell it needs.
    last: usize,
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
    let n = k.len();
    let mut due: Vec<Vec<&Internal>> = (0..=n).map(|_| Vec::new()).collect();
    for &i in keep {
        due[internal[i].last + 1].push(&internal[i]);
    }
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
        due[vals.len()].iter().all(|c| {
            // A sum beyond `i64` says nothing, as a value that is no count does (it wrapped
            // around before, and could have matched by chance).
            let sum = |side: &[(usize, usize)]| {
                side.iter().try_fold(0i64, |acc, &(j, s)| {
                    acc.checked_add(vals.get(j)?.get(s).copied()??)
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

/// What the row's last cell counts as in an identity when it is the last `L` characters of
/// the last piece, as the search itself reads it (strictly when cut out of the piece): the
/// last cell can be nothing else, since it ends where the row does and a cell never spans
/// two pieces.
#[derive(Clone, Copy)]
enum Total {
    NoReading,
    /// A reading that is no count: an identity with it says nothing.
    NoCount,
    Count(i64),
}

/// A digits-only row as the pruning of [`Reach::alone_within`] reads it.
struct Row {
    /// The row's last cell by its length, `L - 1` ([`Total`]).
    totals: Vec<Total>,
    /// Every digit of the row, piece after piece.
    digits: Vec<u8>,
    /// Where each piece starts in `digits`, and where the last one ends.
    starts: Vec<usize>,
}

impl Row {
    fn new(chars: &[&[char]], k: &[CellKind]) -> Row {
        let mut text = String::new();
        let totals = match (chars.last(), k.last()) {
            (Some(last), Some(&kind)) => (1..=last.len().min(MAX_CELL_CHARS))
                .map(|l| {
                    text.clear();
                    text.extend(&last[last.len() - l..]);
                    let vals = parse(&text, kind, l != last.len());
                    if vals.contains(&Value::Unparsed) {
                        return Total::NoReading;
                    }
                    match vals.first().and_then(Value::as_count) {
                        Some(t) => Total::Count(t),
                        None => Total::NoCount,
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        let digits = chars.iter().flat_map(|p| p.iter()).map(|&c| c as u8 - b'0');
        let mut starts = vec![0];
        for p in chars {
            starts.push(starts.last().copied().unwrap_or(0) + p.len());
        }
        Row {
            totals,
            digits: digits.collect(),
            starts,
        }
    }

    /// What the one cell `digits[from..to]` reads as: `Some(None)` when it cannot be
    /// worked out here (too long, or a whole piece with a leading zero), `None` when it is
    /// no cell (across pieces, or cut with a leading zero: the search reads cut cells
    /// strictly).
    fn cell(&self, from: usize, to: usize) -> Option<Option<i64>> {
        let (start, end) = self.piece(from)?;
        if to > end || to <= from {
            return None;
        }
        let ds = &self.digits[from..to];
        if ds.len() > 18 {
            return Some(None);
        }
        if ds.len() > 1 && ds[0] == 0 {
            return (from == start && to == end).then_some(None);
        }
        Some(Some(ds.iter().fold(0i64, |v, &d| v * 10 + i64::from(d))))
    }

    /// Where the piece holding `digits[at]` starts and ends.
    fn piece(&self, at: usize) -> Option<(usize, usize)> {
        let piece = self.starts.partition_point(|&s| s <= at).checked_sub(1)?;
        Some((self.starts[piece], *self.starts.get(piece + 1)?))
    }

    /// Whether a cell starting at `digits[from]` can count as `value` (never negative):
    /// its digits are `value`'s, read strictly; a whole piece with a leading zero, or a
    /// piece long enough for a cell that is no count, is not judged here.
    fn can_start_with(&self, from: usize, value: i64) -> bool {
        let Some((start, end)) = self.piece(from) else {
            return false;
        };
        if end - from > 18 || (from == start && end - start > 1 && self.digits[from] == 0) {
            return true;
        }
        let len = value.checked_ilog10().map_or(1, |e| e as usize + 1);
        if from + len > end {
            return false;
        }
        let mut rest = value;
        self.digits[from..from + len].iter().rev().all(|&d| {
            let ok = i64::from(d) == rest % 10;
            rest /= 10;
            ok
        })
    }
}

/// 10^e for every e whose power fits in an `i64` (`10i64.checked_pow(e)`, looked up: the
/// pruning asks at every node).
const POW10: [i64; 19] = {
    let mut p = [1i64; 19];
    let mut e = 1;
    while e < 19 {
        p[e] = p[e - 1] * 10;
        e += 1;
    }
    p
};

/// A side's sum in [`Reach`] that is not known.
const UNKNOWN: i64 = -1;

/// What the pruning of a digits-only count row knows of each identity after each prefix:
/// the sum of each side's cells already cut, kept per prefix length so that a prefix one
/// cell longer adds one cell's values instead of summing every side again (the search asks
/// at every node, each prefix right after the prefix one shorter on the same path). The
/// sums are of counts read from digits, never negative, so whether one overflows does not
/// depend on the order its cells are added in.
struct Reach {
    /// Each pending identity's last cell.
    lasts: Vec<usize>,
    /// `known[(cut * lasts.len() + q) * 2 + side]`: the sum of side `side` (0 left,
    /// 1 right) of identity `q` over the cells before `cut`; [`UNKNOWN`] once one of them
    /// is no count or the sum overflows (the identity then says nothing, as in a full sum).
    /// Plain numbers, not `Option`s: the sums are never negative, so a negative number can
    /// say "unknown", and a prefix's entries are half the bytes to copy and compare (the
    /// pruning was 181 M of the 1,440 M instructions of ingesting 300 glued reports).
    known: Vec<i64>,
    /// `open[…]` alike: how many of the side's cells are at or after `cut`.
    open: Vec<i64>,
    /// For each cell, the sides it is on: (slot of `q` and `side` within a prefix's
    /// entries, which of the cell's values).
    terms: Vec<Vec<(usize, usize)>>,
    /// For each pending identity whose one side is one cell alone (a total) and whose
    /// other side lies before it: [`Alone`].
    alone: Vec<Option<Alone>>,
    /// The row's digits, when it is digits only.
    row: Option<Row>,
    cells: usize,
    cut: usize,
}

/// An identity whose one side is one cell alone, by its first value, after every cell of
/// the other side.
#[derive(Clone, Copy)]
struct Alone {
    cell: usize,
    /// The other side (0 left, 1 right).
    side: usize,
    /// Whether the cell just before is on the other side, once and by its first value:
    /// when it is the one open cell there, the side's sum is known from where it is cut.
    middle: bool,
}

impl Reach {
    fn new(pending: &[&Internal], cells: usize, row: Option<Row>) -> Reach {
        let width = pending.len() * 2;
        let slots = (cells + 1) * width;
        let mut open = vec![0i64; slots];
        let mut terms = vec![Vec::new(); cells];
        for (q, c) in pending.iter().enumerate() {
            for (side, list) in [&c.lhs, &c.rhs].into_iter().enumerate() {
                for &(j, v) in list {
                    if let Some(t) = terms.get_mut(j) {
                        t.push((q * 2 + side, v));
                    }
                    for cut in 0..=j.min(cells) {
                        open[cut * width + q * 2 + side] += 1;
                    }
                }
            }
        }
        let mut known = vec![UNKNOWN; slots];
        known[..width].fill(0);
        let alone = pending
            .iter()
            .map(|c| {
                let (cell, side) = match (&c.lhs[..], &c.rhs[..]) {
                    (&[(j, 0)], _) => (j, 1),
                    (_, &[(j, 0)]) => (j, 0),
                    _ => return None,
                };
                let other = if side == 0 { &c.lhs } else { &c.rhs };
                if other.is_empty() || other.iter().any(|&(j, _)| j >= cell) {
                    return None;
                }
                let before: Vec<_> = other.iter().filter(|&&(j, _)| j + 1 == cell).collect();
                Some(Alone {
                    cell,
                    side,
                    middle: before == [&(cell - 1, 0)],
                })
            })
            .collect();
        Reach {
            lasts: pending.iter().map(|c| c.last).collect(),
            known,
            open,
            terms,
            alone,
            row,
            cells,
            cut: 0,
        }
    }

    /// Whether the cell alone on one side of an identity can still equal the other side,
    /// which sums to `known` so far with `open` of its cells still to cut, when `left`
    /// cells share the row's last `chars` characters.
    ///
    /// When the other side is all cut and the lone cell is the next one, its digits must
    /// be `known`'s. When the lone cell is the row's last, it is a suffix of the last
    /// piece: for some length `L` it can have, the side's open cells are each below
    /// 10^(the characters the other cells leave them), as in [`Reach::within`], and the
    /// last cell must lie in what the side can reach; and when the cell before the last is
    /// the side's one open cell and the only other cell left, its text is all that lies
    /// between the prefix and the last cell, so its value is known for each `L`.
    fn alone_within(&self, a: Alone, known: i64, open: i64, left: usize, chars: usize) -> bool {
        let Some(row) = &self.row else {
            return true;
        };
        let all = row.digits.len();
        if a.cell + 1 != self.cells {
            return a.cell != self.cut || open != 0 || row.can_start_with(all - chars, known);
        }
        let middle = a.middle && open == 1 && left == 2;
        // The other `left - 1` cells take a character each at least.
        let longest = chars.saturating_sub(left - 1).min(row.totals.len());
        (1..=longest).any(|l| match row.totals[l - 1] {
            Total::NoReading => false,
            Total::NoCount => true,
            Total::Count(t) if open == 0 => t == known,
            Total::Count(t) if middle => match row.cell(all - chars, all - l) {
                None => false,
                Some(None) => true,
                Some(Some(v)) => known.checked_add(v).is_none_or(|s| s == t),
            },
            // 10^(the longest any other cell can be): none when that cell can be too long
            // to count, and the identity then says nothing.
            Total::Count(t) => match POW10.get(chars - l - (left - 1) + 1) {
                None => true,
                Some(cap) => {
                    let high = open.checked_mul(*cap).and_then(|r| known.checked_add(r));
                    t >= known && high.is_none_or(|h| t <= h)
                }
            },
        })
    }

    /// Takes in the last cell of `vals`, a prefix one longer than the one before it on the
    /// search's path.
    // Asked at every node of the glued search: inlined there (left to itself, the compiler
    // inlined these or not depending on unrelated code, a 20 M swing on 1,002 text reports).
    #[inline]
    fn extend(&mut self, vals: &[Counts]) {
        let cut = vals.len();
        let j = cut - 1;
        let width = self.lasts.len() * 2;
        let (before, here) = self.known.split_at_mut(cut * width);
        let here = &mut here[..width];
        here.copy_from_slice(&before[j * width..]);
        for &(slot, v) in &self.terms[j] {
            let sum = here[slot];
            here[slot] = match vals[j].get(v).copied().flatten() {
                // Counts read from digits: never negative (as the sums then are not).
                Some(x) if sum >= 0 && x >= 0 => sum.checked_add(x).unwrap_or(UNKNOWN),
                _ => UNKNOWN,
            };
        }
        self.cut = cut;
    }

    /// Whether every identity not yet decided can still hold after the prefix last taken
    /// in: `left` cells remain, sharing `chars` characters, so each is below
    /// 10^(chars − left + 1).
    #[inline]
    fn within(&self, left: usize, chars: usize) -> bool {
        let cut = self.cut;
        // The largest value one remaining cell can have, plus one (None: too large to bound).
        let cap = chars
            .checked_sub(left)
            .and_then(|e| POW10.get(e + 1).copied());
        // This prefix's entries: two a pending identity, in order.
        let width = self.lasts.len() * 2;
        let (known, open) = (
            &self.known[cut * width..(cut + 1) * width],
            &self.open[cut * width..(cut + 1) * width],
        );
        let sides = known.chunks_exact(2).zip(open.chunks_exact(2));
        let each = self.lasts.iter().zip(&self.alone).zip(sides);
        each.into_iter().all(|((&last, alone), (k, o))| {
            if last < cut {
                return true; // decided when its last cell was cut
            }
            let (kl, kr) = (k[0], k[1]);
            if kl < 0 || kr < 0 {
                return true; // a value that is no count: the identity says nothing
            }
            let (ol, or) = (o[0], o[1]);
            // Each side can still grow by less than open × cap.
            let reach = |k: i64, open: i64| match cap {
                _ if open == 0 => Some(k),
                Some(cap) => k.checked_add(open.checked_mul(cap)?),
                None => None,
            };
            let fits = |low: i64, high: Option<i64>, other: i64| {
                other >= low && high.is_none_or(|h| other <= h)
            };
            // lhs ends in [kl, reach(kl, ol)], rhs in [kr, reach(kr, or)]: they must overlap.
            (fits(kl, reach(kl, ol), kr) || fits(kr, reach(kr, or), kl))
                && alone.is_none_or(|a| self.alone_within(a, k[a.side], o[a.side], left, chars))
        })
    }
}

/// Narrows rows with several readings by the identities that span rows (I1, I2, I5): keeps
/// the readings that appear in some fully consistent table. When no combination is
/// consistent, the rows keep all their readings (the source is inconsistent elsewhere, and
/// the validator will say so).
pub(super) fn solve_jointly(rows: &mut [RowRead<'_>], instances: &[Instance]) {
    let free: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].options.len() > 1)
        .collect();
    if free.is_empty() {
        return;
    }
    // Which row holds each key, as the row's first reading lists its keys: enough to tell
    // which instances span rows.
    let mut owner: HashMap<Key, usize> = HashMap::default();
    for (i, r) in rows.iter().enumerate() {
        if let Some(first) = r.options.first() {
            for (k, _) in reading_values(r.spec, first) {
                owner.insert(k, i);
            }
        }
    }
    // Instances spanning rows, with each cell's row and the rows they need: most instances
    // lie in one row, or in rows of one reading each, and are dropped here.
    let needs: Vec<(&Instance, Vec<usize>, Vec<usize>)> = instances
        .iter()
        .filter_map(|inst| {
            let owners: Vec<usize> = inst
                .cells()
                .map(|rc| owner.get(rc).copied())
                .collect::<Option<_>>()?;
            let mut need: Vec<usize> = Vec::new();
            for &o in &owners {
                if !need.contains(&o) {
                    need.push(o);
                }
            }
            let spans = need.len() > 1 && need.iter().any(|n| free.contains(n));
            spans.then_some((inst, owners, need))
        })
        .collect();
    if needs.is_empty() {
        // Nothing ties the rows' readings together: every combination is consistent, and the
        // search would keep every reading (or stop at its cap and keep them all the same).
        // Most glued tables with several readings are so (474 of 757 in 300 glued reports).
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
    // Each spanning instance with its cells' owner rows and counts per option, looked up once
    // here: the search below checks instances at every node (hashing keys there cost seconds
    // on hostile input).
    let spanning: Vec<Spanning> = needs
        .into_iter()
        .map(|(inst, owners, need)| {
            let mut cells: Vec<(Key, usize, Vec<Option<i64>>)> = Vec::new();
            for (rc, o) in inst.cells().zip(owners) {
                // A row's readings list their keys in the same order (the row's cells', as
                // many as were cut), so the key's place in the first is its place in each
                // (a reading of another length is searched).
                let at = vals[o]
                    .first()
                    .and_then(|first| first.iter().position(|(k, _)| k == rc));
                let per = vals[o]
                    .iter()
                    .map(|opt| {
                        at.and_then(|j| opt.get(j))
                            .filter(|(k, _)| k == rc)
                            .or_else(|| opt.iter().find(|(k, _)| k == rc))
                            .and_then(|(_, v)| v.as_count())
                    })
                    .collect();
                cells.push((*rc, o, per));
            }
            Spanning { inst, need, cells }
        })
        .collect();
    // The instances each depth of the search decides: an instance's rows are all chosen
    // once the last of its free rows (in search order) is, and not before (its other rows
    // hold one reading each), so a node checks those and no others.
    let mut at_depth: Vec<Vec<usize>> = vec![Vec::new(); free.len()];
    for (i, sp) in spanning.iter().enumerate() {
        let last = (sp.need.iter())
            .filter_map(|n| free.iter().position(|f| f == n))
            .max();
        if let Some(d) = last {
            at_depth[d].push(i);
        }
    }
    let spanning = Joint {
        all: spanning,
        at_depth,
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

/// The instances of a joint search, and which of them each depth decides.
pub(super) struct Joint<'a> {
    all: Vec<Spanning<'a>>,
    at_depth: Vec<Vec<usize>>,
}

/// An identity instance over cells of several rows, prepared for the joint search.
pub(super) struct Spanning<'a> {
    inst: &'a Instance,
    /// The rows holding its cells.
    need: Vec<usize>,
    /// Each cell, its row, and its count under each of that row's options.
    cells: Vec<(Key, usize, Vec<Option<i64>>)>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn search(
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
        let consistent = spanning.at_depth[depth].iter().all(|&i| {
            let sp = &spanning.all[i];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::glued::{Split, split_row};

    #[test]
    fn the_powers_of_ten_are_checked_pow() {
        for e in 0..64usize {
            assert_eq!(POW10.get(e).copied(), 10i64.checked_pow(e as u32), "{e}");
        }
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
