//! The joint search: rows with several readings narrowed by the identities that span rows.

use super::*;

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
    let mut decided: Vec<Decided> = Vec::with_capacity(spanning.len());
    for (i, sp) in spanning.iter().enumerate() {
        let last = (sp.need.iter())
            .filter_map(|n| free.iter().position(|f| f == n))
            .max();
        if let Some(d) = last {
            at_depth[d].push(i);
        }
        let row = last.map(|d| free[d]);
        decided.push(Decided::new(sp, row, row.map_or(0, |r| vals[r].len())));
    }
    let spanning = Joint {
        all: spanning,
        decided,
        at_depth,
    };
    let mut choice: Vec<Option<usize>> = rows
        .iter()
        .map(|r| (r.options.len() == 1).then_some(0))
        .collect();
    let mut used: Vec<Vec<bool>> = rows.iter().map(|r| vec![false; r.options.len()]).collect();
    let mut nodes = 0usize;
    let mut solutions = 0usize;
    let mut fixed: Vec<Vec<Fixed>> = (spanning.at_depth.iter())
        .map(|at| Vec::with_capacity(at.len()))
        .collect();
    fixed.push(Vec::new()); // the depth where every free row is chosen
    let complete = search(
        0,
        &free,
        &spanning,
        &vals,
        &mut choice,
        &mut used,
        &mut nodes,
        &mut solutions,
        &mut fixed,
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
    /// For each instance, its sides split at the row whose choice decides it.
    decided: Vec<Decided>,
    at_depth: Vec<Vec<usize>>,
}

/// An instance's sides split at the row whose choice decides it (the last of its free rows
/// in search order): that row's part of each side under each of its options, summed once
/// here, and the other rows' cells, summed once a node (when an option's check first
/// reaches the instance: most options fail at an earlier one). The search then tries each
/// option with one addition a side instead of summing every cell again: on 300 glued
/// reports the search took 114.5 M instructions before, 70.7 M after (callgrind). Summing
/// the other cells at every node before trying any option took more than it saved.
///
/// The split sums are the whole sums only where no sum can overflow: the check adds
/// saturating, cell by cell, and saturating sums taken in another grouping may differ once
/// one saturates. So an instance whose counts could come near `i64`'s bounds is checked as
/// before, cell by cell ([`Decided::exact`] false).
pub(super) struct Decided {
    exact: bool,
    /// Per option of the deciding row: the sum of its cells on the left and on the right
    /// (`None` when a cell there has no count).
    own: Vec<(Option<i64>, Option<i64>)>,
    /// Places in [`Spanning::cells`] of the other rows' cells, left side then right.
    others: Vec<usize>,
    /// How many of `others` are on the left.
    others_left: usize,
}

/// Counts at most this large (in magnitude) cannot overflow an `i64` in a sum of up to
/// [`SAFE_CELLS`] of them.
const SAFE_COUNT: i64 = i64::MAX >> 8;
const SAFE_CELLS: usize = 1 << 7;

impl Decided {
    /// `row` is the deciding row, of `options` readings.
    fn new(sp: &Spanning<'_>, row: Option<usize>, options: usize) -> Decided {
        let split = sp.inst.lhs.len();
        let small = |v: &Option<i64>| v.is_none_or(|v| v.unsigned_abs() <= SAFE_COUNT as u64);
        let exact = row.is_some()
            && sp.cells.len() <= SAFE_CELLS
            && sp.cells.iter().all(|(_, _, per)| per.iter().all(small));
        let row = row.unwrap_or(usize::MAX);
        let part = |range: std::ops::Range<usize>, opt: usize| {
            (sp.cells[range].iter())
                .filter(|(_, o, _)| *o == row)
                .try_fold(0i64, |acc, (_, _, per)| Some(acc + per[opt]?))
        };
        let own = if exact {
            (0..options)
                .map(|opt| (part(0..split, opt), part(split..sp.cells.len(), opt)))
                .collect()
        } else {
            Vec::new()
        };
        let others: Vec<usize> = (0..sp.cells.len())
            .filter(|&j| sp.cells[j].1 != row)
            .collect();
        let others_left = others.iter().filter(|&&j| j < split).count();
        Decided {
            exact,
            own,
            others,
            others_left,
        }
    }

    /// Whether the instance holds with its deciding row at option `opt` and the other rows
    /// as `choice` has them (their sums kept in `fixed` for the node's other options).
    /// Only for an [`exact`](Decided::exact) instance, where it is [`cell_by_cell`].
    fn holds(
        &self,
        sp: &Spanning<'_>,
        fixed: &mut Fixed,
        choice: &[Option<usize>],
        opt: usize,
    ) -> bool {
        let (l, r) = *fixed.get_or_insert_with(|| {
            let sum = |places: &[usize]| {
                (places.iter()).try_fold(0i64, |acc, &j| {
                    let (_, o, per) = &sp.cells[j];
                    Some(acc + per[choice[*o]?]?)
                })
            };
            (
                sum(&self.others[..self.others_left]),
                sum(&self.others[self.others_left..]),
            )
        });
        let (own_l, own_r) = self.own[opt];
        match (l.zip(own_l), r.zip(own_r)) {
            (Some((a, b)), Some((c, e))) => a + b == c + e,
            _ => true,
        }
    }
}

/// An identity instance over cells of several rows, prepared for the joint search.
pub(super) struct Spanning<'a> {
    inst: &'a Instance,
    /// The rows holding its cells.
    need: Vec<usize>,
    /// Each cell, its row, and its count under each of that row's options.
    cells: Vec<(Key, usize, Vec<Option<i64>>)>,
}

/// The sums of an instance's other rows' cells at one node, left and right, once taken.
type Fixed = Option<(Option<i64>, Option<i64>)>;

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
    // One buffer a depth, this depth's first: each node fills its own.
    fixed: &mut [Vec<Fixed>],
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
    // There is a buffer for every depth; were there none, the search would say it did not
    // finish, and every row would keep all its readings.
    let Some((here, deeper)) = fixed.split_first_mut() else {
        return false;
    };
    // The other rows are chosen for every option tried here: their sums are taken once, the
    // first time an option's check reaches the instance (most options fail at the first
    // instances, and the others are then never summed).
    here.clear();
    here.resize(spanning.at_depth[depth].len(), None);
    for opt in 0..vals[row].len() {
        choice[row] = Some(opt);
        let at = &spanning.at_depth[depth];
        let consistent = at.iter().zip(here.iter_mut()).all(|(&i, fixed)| {
            let (sp, d) = (&spanning.all[i], &spanning.decided[i]);
            if d.exact {
                d.holds(sp, fixed, choice, opt)
            } else {
                cell_by_cell(sp, choice)
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
                deeper,
            )
        {
            choice[row] = None;
            return false;
        }
    }
    choice[row] = None;
    true
}

/// Whether the instance holds under `choice`, its cells summed one by one, saturating; a
/// side with a cell of no count, or of a row not chosen, says nothing (the instance holds).
fn cell_by_cell(sp: &Spanning<'_>, choice: &[Option<usize>]) -> bool {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split sums decide every option as the cell-by-cell sums do, on random instances:
    /// small counts, missing counts, rows not chosen, and counts near `i64`'s bounds (which
    /// leave the instance to the cell-by-cell check).
    #[test]
    fn split_sums_decide_as_the_cells_do() {
        let mut rng = crate::rng::Rng::new(2026);
        let (mut exact, mut checked) = (0, 0);
        for _ in 0..4000 {
            let rows = 2 + rng.below(3) as usize;
            let options: Vec<usize> = (0..rows).map(|_| 1 + rng.below(4) as usize).collect();
            let n = 2 + rng.below(7) as usize;
            let split = 1 + rng.below(n as u64 - 1) as usize;
            let huge = rng.chance(0.2);
            let value = |rng: &mut crate::rng::Rng| -> Option<i64> {
                match rng.below(10) {
                    0 => None,
                    1 if huge => Some(i64::MAX - rng.below(4) as i64),
                    2 if huge => Some(i64::MIN + rng.below(4) as i64),
                    3 if huge => Some(SAFE_COUNT + 1),
                    _ => Some(rng.below(12) as i64),
                }
            };
            let cells: Vec<(Key, usize, Vec<Option<i64>>)> = (0..n)
                .map(|_| {
                    let o = rng.below(rows as u64) as usize;
                    let per = (0..options[o]).map(|_| value(&mut rng)).collect();
                    (("row", "col"), o, per)
                })
                .collect();
            let inst = Instance {
                id: "test",
                lhs: vec![("row", "col"); split],
                rhs: vec![("row", "col"); n - split],
                places: vec![None; n],
            };
            let row = cells[rng.below(n as u64) as usize].1;
            let need: Vec<usize> = (0..rows)
                .filter(|r| cells.iter().any(|c| c.1 == *r))
                .collect();
            let sp = Spanning {
                inst: &inst,
                need,
                cells,
            };
            let d = Decided::new(&sp, Some(row), options[row]);
            let near_bounds = (sp.cells.iter()).any(|(_, _, per)| {
                per.iter()
                    .flatten()
                    .any(|v| v.unsigned_abs() > SAFE_COUNT as u64)
            });
            assert_eq!(d.exact, !near_bounds);
            if !d.exact {
                continue;
            }
            exact += 1;
            let mut choice: Vec<Option<usize>> = (0..rows)
                .map(|r| (!rng.chance(0.1)).then(|| rng.below(options[r] as u64) as usize))
                .collect();
            let mut fixed: Fixed = None;
            for opt in 0..options[row] {
                choice[row] = Some(opt);
                assert_eq!(
                    d.holds(&sp, &mut fixed, &choice, opt),
                    cell_by_cell(&sp, &choice),
                    "{:?} under {choice:?}",
                    sp.cells
                );
                checked += 1;
            }
        }
        assert!(
            exact > 2000 && checked > 4000,
            "{exact} instances, {checked} checks"
        );
    }
}
