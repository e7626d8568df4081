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
