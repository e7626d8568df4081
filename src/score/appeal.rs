//! The appeal round: a preliminary run's rankings (the baseline) beside this run's, place by
//! place, with the cells that changed between the two runs' frames. Evaluators publish the
//! preliminary ranks, take corrected reports from the issuers, rerun, and must show each
//! issuer what moved and why.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

/// What the appeal round shows: places compared, and the cells behind the changes.
#[derive(Clone)]
pub struct Appeal {
    /// Where the preliminary outputs were read from (as given).
    pub baseline: String,
    /// One row per place (year, group, peer set, issuer) in either run:
    /// [`APPEAL_COLUMNS`].
    pub places: DataFrame,
    /// Every cell whose value or state changed between the runs' reports of an issuer-year
    /// (the `revisions` columns, with both locations).
    pub cells: DataFrame,
}

/// `appeal.csv` columns, in order.
pub const APPEAL_COLUMNS: [&str; 14] = [
    "year",
    "group",
    "group_value",
    "issuer",
    "region_code",
    "preliminary_score",
    "preliminary_rank",
    "preliminary_status",
    "final_score",
    "final_rank",
    "final_status",
    "rank_move",
    "cells_changed",
    "changed",
];

/// A place: year, group, peer set, region code, issuer.
type Place = (i32, String, String, String, String);

/// The key columns of the appeal frame: year, group, peer set, issuer, region code.
type Keys = (Vec<i32>, Vec<String>, Vec<String>, Vec<String>, Vec<String>);

/// What a place held in one run: score, rank, status.
type Held = (Option<f64>, Option<u32>, String);

fn places(r: &DataFrame) -> PolarsResult<Vec<(Place, Held)>> {
    let s = |n: &str| -> PolarsResult<Vec<String>> {
        Ok(r.column(n)?
            .str()?
            .iter()
            .map(|v| v.unwrap_or_default().to_owned())
            .collect())
    };
    let year: Vec<i32> = r
        .column("year")?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .map(Option::unwrap_or_default)
        .collect();
    let score: Vec<Option<f64>> = r.column("score")?.f64()?.iter().collect();
    let rank: Vec<Option<u32>> = r
        .column("rank")?
        .cast(&DataType::UInt32)?
        .u32()?
        .iter()
        .collect();
    let (group, value, code, issuer, status) = (
        s("group")?,
        s("group_value")?,
        s("region_code")?,
        s("issuer")?,
        s("status")?,
    );
    Ok((0..r.height())
        .map(|i| {
            (
                (
                    year[i],
                    group[i].clone(),
                    value[i].clone(),
                    code[i].clone(),
                    issuer[i].clone(),
                ),
                (score[i], rank[i], status[i].clone()),
            )
        })
        .collect())
}

/// Compares the baseline's `rankings` with this run's; `cells` are the changed cells (the
/// `revisions` frame of this run's frames against the baseline's).
pub fn compare(
    baseline: &str,
    before: &DataFrame,
    after: &DataFrame,
    cells: DataFrame,
) -> PolarsResult<Appeal> {
    // Changed cells per issuer-year.
    let mut changed: HashMap<(String, String, i32), u32> = HashMap::new();
    {
        let s = |n: &str| -> PolarsResult<Vec<String>> {
            Ok(cells
                .column(n)?
                .str()?
                .iter()
                .map(|v| v.unwrap_or_default().to_owned())
                .collect())
        };
        let (code, issuer) = (s("region_code")?, s("issuer")?);
        let year: Vec<Option<i32>> = cells.column("year")?.i32()?.iter().collect();
        for i in 0..cells.height() {
            if let Some(y) = year[i] {
                *changed
                    .entry((code[i].clone(), issuer[i].clone(), y))
                    .or_default() += 1;
            }
        }
    }
    let old: BTreeMap<Place, Held> = places(before)?.into_iter().collect();
    let new = places(after)?;
    let mut rows: Vec<(Place, Option<&Held>, Option<&Held>)> = Vec::new();
    for (p, h) in &new {
        rows.push((p.clone(), old.get(p), Some(h)));
    }
    let seen: std::collections::HashSet<&Place> = new.iter().map(|(p, _)| p).collect();
    for (p, h) in &old {
        if !seen.contains(p) {
            rows.push((p.clone(), Some(h), None));
        }
    }
    let n = rows.len();
    let mut c: Keys = Default::default();
    let (mut ps, mut pr, mut pst, mut fs, mut fr, mut fst, mut mv, mut cc, mut any) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (p, a, b) in rows {
        let cells_changed = changed
            .get(&(p.3.clone(), p.4.clone(), p.0))
            .copied()
            .unwrap_or(0);
        c.0.push(p.0);
        c.1.push(p.1);
        c.2.push(p.2);
        c.3.push(p.4);
        c.4.push(p.3);
        ps.push(a.and_then(|h| h.0));
        pr.push(a.and_then(|h| h.1));
        pst.push(a.map(|h| h.2.clone()));
        fs.push(b.and_then(|h| h.0));
        fr.push(b.and_then(|h| h.1));
        fst.push(b.map(|h| h.2.clone()));
        // Positive: moved up.
        let moved = match (a.and_then(|h| h.1), b.and_then(|h| h.1)) {
            (Some(x), Some(y)) => Some(i64::from(x) - i64::from(y)),
            _ => None,
        };
        mv.push(moved);
        cc.push(cells_changed);
        any.push(cells_changed > 0 || a != b);
    }
    let places = DataFrame::new(
        n,
        vec![
            Column::new("year".into(), c.0),
            Column::new("group".into(), c.1),
            Column::new("group_value".into(), c.2),
            Column::new("issuer".into(), c.3),
            Column::new("region_code".into(), c.4),
            Column::new("preliminary_score".into(), ps),
            Column::new("preliminary_rank".into(), pr),
            Column::new("preliminary_status".into(), pst),
            Column::new("final_score".into(), fs),
            Column::new("final_rank".into(), fr),
            Column::new("final_status".into(), fst),
            Column::new("rank_move".into(), mv),
            Column::new("cells_changed".into(), cc),
            Column::new("changed".into(), any),
        ],
    )?;
    Ok(Appeal {
        baseline: baseline.to_owned(),
        places,
        cells,
    })
}
