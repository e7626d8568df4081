//! What the glued search knows, after each prefix of a digits-only row's cells, of the row's
//! own identities: enough to drop a prefix that no way of cutting the rest could complete.
//! Only such prefixes are dropped, so the readings kept, and their order, are the full
//! search's (`readings`' tests compare the two).

use super::*;

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
pub(super) struct Row {
    /// The row's last cell by its length, `L - 1` ([`Total`]).
    totals: Vec<Total>,
    /// Every digit of the row, piece after piece.
    digits: Vec<u8>,
    /// Where each piece starts in `digits`, and where the last one ends.
    starts: Vec<usize>,
}

impl Row {
    pub(super) fn new(chars: &[&[char]], k: &[CellKind]) -> Row {
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
pub(super) struct Reach {
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
    /// entries, which of the cell's values), cell `j`'s at `terms[term_start[j]..term_start[j + 1]]`
    /// (one array, not a vector per cell: a glued row is searched once, and its cells'
    /// vectors were most of the search's allocations).
    terms: Vec<(usize, usize)>,
    term_start: Vec<usize>,
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
    pub(super) fn new(pending: &[&Internal], cells: usize, row: Option<Row>) -> Reach {
        let width = pending.len() * 2;
        let slots = (cells + 1) * width;
        let mut open = vec![0i64; slots];
        // Each cell's terms in the order the identities list them: counted, then placed.
        let mut term_start = vec![0usize; cells + 1];
        for c in pending {
            for &(j, _) in c.lhs.iter().chain(&c.rhs) {
                if j < cells {
                    term_start[j + 1] += 1;
                }
            }
        }
        for j in 0..cells {
            term_start[j + 1] += term_start[j];
        }
        let mut terms = vec![(0, 0); term_start[cells]];
        let mut fill = term_start.clone();
        for (q, c) in pending.iter().enumerate() {
            for (side, list) in [&c.lhs, &c.rhs].into_iter().enumerate() {
                for &(j, v) in list {
                    if j < cells {
                        terms[fill[j]] = (q * 2 + side, v);
                        fill[j] += 1;
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
                // The cell just before is on the other side once, by its first value.
                let mut before = other.iter().filter(|&&(j, _)| j + 1 == cell);
                let middle = before.next() == Some(&(cell - 1, 0)) && before.next().is_none();
                Some(Alone { cell, side, middle })
            })
            .collect();
        Reach {
            lasts: pending.iter().map(|c| c.last).collect(),
            known,
            open,
            terms,
            term_start,
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
    pub(super) fn extend(&mut self, vals: &[Counts]) {
        let cut = vals.len();
        let j = cut - 1;
        let width = self.lasts.len() * 2;
        let (before, here) = self.known.split_at_mut(cut * width);
        let here = &mut here[..width];
        here.copy_from_slice(&before[j * width..]);
        for &(slot, v) in &self.terms[self.term_start[j]..self.term_start[j + 1]] {
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
    pub(super) fn within(&self, left: usize, chars: usize) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_powers_of_ten_are_checked_pow() {
        for e in 0..64usize {
            assert_eq!(POW10.get(e).copied(), 10i64.checked_pow(e as u32), "{e}");
        }
    }
}
