//! Recovering cells from digit runs a crawler glued together (`640020470` is
//! 64/0/0/2/0/4/70). Every way of cutting the row's pieces into its printed cells is tried;
//! a cut is kept only if each cell reads strictly (no leading zeros, a bare 增/减 only as 0)
//! and the row's own identities hold. The caller then checks the identities across rows.
//! Nothing here picks among survivors: several survivors mean ambiguity.

use crate::template::CellKind;

use super::value::{BLANK_MARK, NA_MARK, Value, parse};

/// Search budget per row: a pathological run must not stall a batch.
pub(super) const MAX_NODES: usize = 200_000;
/// More readings than this are not listed one by one.
pub(super) const MAX_OPTIONS: usize = 5_000;
/// No printed cell holds more characters than this (a count of 10^15, or money with a unit),
/// so a longer run cannot be one cell and a run longer than this per cell is no row.
pub(super) const MAX_CELL_CHARS: usize = 20;

/// One printed cell's text in a reading, and whether it was cut from a longer run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Cut {
    pub text: CutText,
    pub piece: usize,
    pub cut: bool,
}

/// A cut cell's text: a [`Raw`](crate::report::Raw), in place when short (every cell the
/// search cuts is): a glued report's rows keep hundreds of readings between them, and with a
/// `String` for each cell of each the 1k corpus made 1,982 K allocations in all (1,694 K
/// with the texts in place, in a type of their own then). That type checked the text's
/// UTF-8 at every read: 18 M of the 1k corpus's instructions; `Raw` does not need to.
pub(super) type CutText = crate::report::Raw;

/// A cut cell's values as an identity counts them ([`Value::as_count`]; `None` also for a
/// second value the cell does not have): all a search's acceptor reads of a cell, worked out
/// once per stretch of digits instead of at every node.
pub(super) type Counts = [Option<i64>; 2];

/// Decides whether a reading is kept from its cells' counts; called on every prefix of cells
/// (so it must accept a prefix it cannot judge yet, and may reject one only when no way of
/// cutting the rest could be kept) and on the complete reading. The second argument is how
/// many characters the cells after the prefix share. A type parameter, not a `dyn`: it is
/// asked at every node of the search, and a direct call can be inlined there.
pub(super) trait Accept: FnMut(&[Counts], usize) -> bool {}
impl<F: FnMut(&[Counts], usize) -> bool> Accept for F {}

#[derive(Debug)]
pub(super) enum Split {
    Options(Vec<Vec<Cut>>),
    TooMany,
}

/// All readings of `pieces` as `kinds.len()` cells for which `accept` holds.
pub(super) fn split_row(pieces: &[&[char]], kinds: &[CellKind], accept: &mut impl Accept) -> Split {
    // The search's working vectors, kept per thread between rows: a glued report searches
    // dozens of rows, and these were allocated afresh for each. Taken out for the search
    // (a search inside it, were there one, would start from empty ones) and put back.
    thread_local! {
        static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
    }
    let mut sc = SCRATCH.take();
    let found = split_with(pieces, kinds, accept, &mut sc);
    SCRATCH.set(sc);
    found
}

/// The vectors of [`State`] that do not outlive a search.
#[derive(Default)]
struct Scratch {
    suffix: Vec<usize>,
    distinct: Vec<CellKind>,
    kind_slot: Vec<usize>,
    memo: Vec<u32>,
    counts: Vec<Counts>,
    cur: Vec<(usize, usize, usize)>,
    vals: Vec<Counts>,
    text: String,
}

fn split_with(
    pieces: &[&[char]],
    kinds: &[CellKind],
    accept: &mut impl Accept,
    sc: &mut Scratch,
) -> Split {
    // Characters from piece i to the end, for the pruning below.
    let suffix = &mut sc.suffix;
    suffix.clear();
    suffix.resize(pieces.len() + 1, 0);
    for i in (0..pieces.len()).rev() {
        suffix[i] = suffix[i + 1] + pieces[i].len();
    }
    let distinct = &mut sc.distinct;
    distinct.clear();
    sc.kind_slot.clear();
    sc.kind_slot.extend(kinds.iter().map(|k| {
        distinct.iter().position(|d| d == k).unwrap_or_else(|| {
            distinct.push(*k);
            distinct.len() - 1
        })
    }));
    let total = suffix[0];
    if total > kinds.len() * MAX_CELL_CHARS {
        // No cell holds more than MAX_CELL_CHARS characters, so no reading; said before the
        // memo below is sized by the row's length (a hostile run may be megabytes long).
        return Split::Options(Vec::new());
    }
    sc.memo.clear();
    sc.memo
        .resize(total * MAX_CELL_CHARS * distinct.len(), UNKNOWN);
    sc.counts.clear();
    sc.cur.clear();
    sc.cur.resize(kinds.len(), (0, 0, 0));
    sc.vals.clear();
    sc.vals.resize(kinds.len(), [None; 2]);
    let mut st = State {
        pieces,
        kinds,
        kind_slot: &sc.kind_slot,
        kind_count: distinct.len(),
        suffix: &sc.suffix,
        memo: &mut sc.memo,
        counts: &mut sc.counts,
        nodes: 0,
        cur: &mut sc.cur,
        vals: &mut sc.vals,
        out: Vec::new(),
        overflow: false,
        text: &mut sc.text,
    };
    st.dfs(0, 0, 0, accept);
    if st.overflow {
        Split::TooMany
    } else {
        Split::Options(st.out)
    }
}

/// `State::memo` entries: not parsed yet; parsed, no reading; else an index into `counts`.
const UNKNOWN: u32 = u32::MAX;
const NO_READING: u32 = u32::MAX - 1;

struct State<'a> {
    pieces: &'a [&'a [char]],
    kinds: &'a [CellKind],
    /// Each cell's kind as an index among the row's distinct kinds.
    kind_slot: &'a [usize],
    kind_count: usize,
    suffix: &'a [usize],
    /// Readings of each stretch of digits as a cell of each kind, parsed once (the search
    /// meets the same stretch in many branches): indexed by the stretch's first character
    /// in the row, its length and the kind.
    memo: &'a mut [u32],
    counts: &'a mut Vec<Counts>,
    nodes: usize,
    /// The cells cut so far, as (piece, from, to); their text is built only for a reading
    /// that is kept. Sized for the whole row; the first `k` at depth `k` are the prefix.
    cur: &'a mut [(usize, usize, usize)],
    /// The counts of the cells cut so far, as `cur`.
    vals: &'a mut [Counts],
    out: Vec<Vec<Cut>>,
    overflow: bool,
    /// The stretch being parsed for the memo, reused: the search parses thousands.
    text: &'a mut String,
}

/// Whether `piece[o..end]` is cut out of a longer run (read strictly), not the whole piece.
fn is_cut(piece: &[char], o: usize, end: usize) -> bool {
    o != 0 || end != piece.len()
}

fn atomic(p: &[char]) -> bool {
    p.len() == 1 && (p[0] == BLANK_MARK || p[0] == NA_MARK)
}

impl State<'_> {
    fn dfs(&mut self, p: usize, o: usize, k: usize, accept: &mut impl Accept) {
        if self.overflow {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES
            || self.out.len() > MAX_OPTIONS
            || (self.nodes.is_multiple_of(1024) && crate::budget::expired())
        {
            self.overflow = true;
            return;
        }
        let n = self.kinds.len();
        if k == n {
            if p == self.pieces.len() {
                let pieces = self.pieces;
                let cuts = self.cur.iter().map(|&(p, o, end)| Cut {
                    text: CutText::from_chars(&pieces[p][o..end]),
                    piece: p,
                    cut: is_cut(pieces[p], o, end),
                });
                self.out.push(cuts.collect());
            }
            return;
        }
        let Some(piece) = self.pieces.get(p) else {
            return;
        };
        let len = piece.len();
        let (lo, hi) = if atomic(piece) {
            (len, len)
        } else {
            (o + 1, len.min(o + MAX_CELL_CHARS))
        };
        // A cut inside the piece leaves `suffix[p] - end` characters to the cells after this
        // one: at least one each, at most MAX_CELL_CHARS each. Ends outside those bounds
        // would fail the check below; they are not even tried.
        let after = n - k - 1;
        let inner_lo = lo.max(self.suffix[p].saturating_sub(after * MAX_CELL_CHARS));
        let inner_hi = hi
            .min(len.saturating_sub(1))
            .min(self.suffix[p].saturating_sub(after));
        let ends = (inner_lo..=inner_hi).chain((hi == len).then_some(len));
        // The cell's kind and where its memo entries start: the same for every end.
        let kind = self.kinds[k];
        let first = self.suffix[0] - self.suffix[p] + o;
        let kind_slot = self.kind_slot[k];
        for end in ends {
            let (np, no) = if end == piece.len() {
                (p + 1, 0)
            } else {
                (p, end)
            };
            // Each remaining piece needs a cell; each remaining cell needs a character.
            let cells_left = n - k - 1;
            let pieces_left = self.pieces.len() - np;
            let chars_left = self.suffix[np.min(self.pieces.len())].saturating_sub(no);
            if cells_left < pieces_left
                || cells_left > chars_left
                || chars_left > cells_left * MAX_CELL_CHARS
            {
                continue;
            }
            let slot = ((first * MAX_CELL_CHARS) + (end - o - 1)) * self.kind_count + kind_slot;
            if self.memo[slot] == UNKNOWN {
                self.text.clear();
                self.text.extend(&piece[o..end]);
                let vals = parse(self.text, kind, is_cut(piece, o, end));
                self.memo[slot] = if vals.contains(&Value::Unparsed) {
                    NO_READING
                } else {
                    let count = |i: usize| vals.get(i).and_then(Value::as_count);
                    self.counts.push([count(0), count(1)]);
                    (self.counts.len() - 1) as u32
                };
            }
            if self.memo[slot] == NO_READING {
                continue;
            }
            self.cur[k] = (p, o, end);
            self.vals[k] = self.counts[self.memo[slot] as usize];
            // Checked on every prefix, so an identity prunes as soon as its cells are cut.
            if accept(&self.vals[..=k], chars_left) {
                self.dfs(np, no, k + 1, accept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pieces: &[&str], n: usize, sum_last: bool) -> Vec<String> {
        let pieces: Vec<Vec<char>> = pieces.iter().map(|p| p.chars().collect()).collect();
        let pieces: Vec<&[char]> = pieces.iter().map(Vec::as_slice).collect();
        let kinds = vec![CellKind::Count; n];
        let mut accept = |vals: &[Counts], _: usize| {
            if !sum_last || vals.len() < n {
                return true;
            }
            let num = |v: &Counts| v[0].unwrap_or(-1);
            let parts: i64 = vals[..n - 1].iter().map(num).sum();
            parts == num(&vals[n - 1])
        };
        match split_row(&pieces, &kinds, &mut accept) {
            Split::Options(o) => o
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect(),
            Split::TooMany => vec!["too many".into()],
        }
    }

    /// A cell of as many digits as any cell holds is kept in place.
    #[test]
    fn cut_texts_of_a_whole_cell_are_kept_in_place() {
        let c = CutText::from_chars(&['1'; MAX_CELL_CHARS]);
        assert!(c.is_inline());
        assert_eq!(c.as_str(), "1".repeat(MAX_CELL_CHARS));
    }

    #[test]
    fn pingtan_2021_new_requests_has_one_reading() {
        assert_eq!(run(&["640020470"], 7, true), ["64|0|0|2|0|4|70"]);
    }

    #[test]
    fn spaces_are_sure_boundaries() {
        assert_eq!(run(&["230", "000023"], 7, true), ["23|0|0|0|0|0|23"]);
        assert_eq!(
            run(&["23", "0", "00", "0", "023"], 7, true),
            ["23|0|0|0|0|0|23"]
        );
    }

    #[test]
    fn several_readings_are_all_kept() {
        let all = run(&["898989"], 3, false);
        assert!(all.contains(&"89|89|89".to_string()));
        assert!(all.contains(&"8|98|989".to_string()));
        assert!(all.len() > 2);
    }

    #[test]
    fn leading_zeros_are_no_reading() {
        assert_eq!(run(&["1000001"], 7, true), ["1|0|0|0|0|0|1"]);
        assert!(run(&["0123"], 2, false).iter().all(|r| r.starts_with("0|")));
    }

    // Pins the answer only (the search without the early return says the same, after
    // sizing its memo by the run); that the memo is never made is not observable here.
    #[test]
    fn runs_too_long_for_the_cells_have_no_reading() {
        let long = "1".repeat(5_000_000);
        assert!(run(&[&long], 7, false).is_empty());
    }

    #[test]
    fn pathological_runs_stop_at_the_budget() {
        let long = "1".repeat(60);
        assert_eq!(run(&[&long], 15, false), ["too many"]);
    }
}
