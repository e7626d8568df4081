//! Revisions: an issuer-year whose report changed since the previous outputs. Issuers revise
//! published reports (a corrected table, a re-issued PDF); the nightly run that reads the new
//! file says so, with every cell whose value or state moved, old and new side by side.
//!
//! The previous run's `reports.parquet` and `cells.parquet` in the output directory are the
//! memory, compared with the frames this run wrote: an issuer-year (region code, or the issuer's name when no code resolved, and the
//! year) is revised when a report id it had is gone and a new one came, so a byte-identical
//! re-run has no revisions and neither has a newly added year.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::opt_s;

/// `revisions.csv` columns, in order.
pub(crate) const REVISIONS_COLUMNS: [&str; 16] = [
    crate::frames::cols::REGION_CODE,
    crate::frames::cols::ISSUER,
    crate::frames::cols::YEAR,
    "old_report_id",
    "new_report_id",
    "old_source",
    "new_source",
    crate::frames::cols::TABLE,
    crate::frames::cols::ROW,
    crate::frames::cols::COL,
    "old_value",
    "new_value",
    "old_state",
    "new_state",
    "old_location",
    "new_location",
];

/// An issuer-year: region code (or issuer name), year.
type Key = (String, i32);

/// A report of one run, as the revision check needs it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    id: String,
    source: String,
    issuer: Option<String>,
    code: Option<String>,
}

fn key(code: &Option<String>, issuer: &Option<String>, year: Option<i32>) -> Option<Key> {
    let who = code.clone().or_else(|| issuer.clone())?;
    Some((who, year?))
}

/// A cell's place and what it held: (table, row, col) → ((value, state), location). A cell
/// that only moved in the file is no revision: the location is carried, not compared.
type CellMap = BTreeMap<(String, String, String), ((Option<String>, String), Option<String>)>;

/// The reports of the frames in `dir` by issuer-year.
fn reports_by_key(dir: &Path) -> anyhow::Result<BTreeMap<Key, BTreeSet<Seen>>> {
    let df = super::read_parquet(&dir.join("reports.parquet"))?;
    let text = |name: &str| -> anyhow::Result<Vec<Option<String>>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.map(str::to_owned))
            .collect())
    };
    let (ids, sources, issuers, codes) = (
        text(crate::frames::cols::REPORT_ID)?,
        text(crate::frames::cols::SOURCE)?,
        text(crate::frames::cols::ISSUER)?,
        text(crate::frames::cols::REGION_CODE)?,
    );
    let years: Vec<Option<i32>> = df
        .column(crate::frames::cols::YEAR)?
        .i32()?
        .iter()
        .collect();
    let mut out: BTreeMap<Key, BTreeSet<Seen>> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(k) = key(&codes[i], &issuers[i], years[i]) else {
            continue;
        };
        out.entry(k).or_default().insert(Seen {
            id: ids[i].clone().unwrap_or_default(),
            source: sources[i].clone().unwrap_or_default(),
            issuer: issuers[i].clone(),
            code: codes[i].clone(),
        });
    }
    Ok(out)
}

/// The cells of the reports `ids` in the frames in `dir`.
fn cells_of(dir: &Path, ids: &BTreeSet<String>) -> anyhow::Result<HashMap<String, CellMap>> {
    use crate::frames::cols::{COL, LOCATION, REPORT_ID, ROW, STATE, TABLE, VALUE};
    let wanted = [REPORT_ID, TABLE, ROW, COL, VALUE, STATE, LOCATION];
    let df = super::read_parquet_columns(&dir.join("cells.parquet"), Some(&wanted))?;
    let col = |name: &str| -> anyhow::Result<StringChunked> { Ok(df.column(name)?.str()?.clone()) };
    let [id, table, row, c, value, state, location] = wanted.map(col);
    let (id, table, row, c, value, state, location) =
        (id?, table?, row?, c?, value?, state?, location?);
    let mut out: HashMap<String, CellMap> = HashMap::new();
    for i in 0..df.height() {
        let Some(rid) = id.get(i).filter(|r| ids.contains(*r)) else {
            continue;
        };
        let place = (
            table.get(i).unwrap_or_default().to_owned(),
            row.get(i).unwrap_or_default().to_owned(),
            c.get(i).unwrap_or_default().to_owned(),
        );
        let held = (
            (
                value.get(i).map(str::to_owned),
                state.get(i).unwrap_or_default().to_owned(),
            ),
            location.get(i).map(str::to_owned),
        );
        out.entry(rid.to_owned()).or_default().insert(place, held);
    }
    Ok(out)
}

/// The revisions of the frames in `new` (this batch's, already written) against those in
/// `prev` (the last run's outputs); an empty frame when `prev` holds none, as on a first run.
pub(crate) fn revisions(prev: &Path, new: &Path) -> anyhow::Result<DataFrame> {
    let mut rows: Vec<[Option<String>; 16]> = Vec::new();
    if prev.join("reports.parquet").is_file() && prev.join("cells.parquet").is_file() {
        rows = revised_rows(prev, new)?;
    }
    let n = rows.len();
    let mut cols: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(n); REVISIONS_COLUMNS.len()];
    for r in rows {
        for (c, v) in cols.iter_mut().zip(r) {
            c.push(v);
        }
    }
    let columns = REVISIONS_COLUMNS
        .iter()
        .zip(cols)
        .map(|(name, v)| {
            if *name == crate::frames::cols::YEAR {
                let years: Vec<Option<i32>> = v
                    .iter()
                    .map(|y| y.as_deref().and_then(|y| y.parse().ok()))
                    .collect();
                Column::new((*name).into(), years)
            } else {
                opt_s(name, v)
            }
        })
        .collect();
    Ok(DataFrame::new(n, columns)?)
}

fn revised_rows(prev: &Path, new: &Path) -> anyhow::Result<Vec<[Option<String>; 16]>> {
    let old = reports_by_key(prev)?;
    let now = reports_by_key(new)?;
    let ids = |m: &BTreeMap<Key, BTreeSet<Seen>>| -> BTreeSet<String> {
        m.values().flatten().map(|s| s.id.clone()).collect()
    };
    let (old_ids, new_ids) = (ids(&old), ids(&now));
    // Pairs (old report gone, new report come) per issuer-year.
    let mut pairs: Vec<(&Key, &Seen, &Seen)> = Vec::new();
    for (k, olds) in &old {
        let Some(news) = now.get(k) else { continue };
        for s in olds.iter().filter(|s| !new_ids.contains(&s.id)) {
            for o in news.iter().filter(|o| !old_ids.contains(&o.id)) {
                pairs.push((k, s, o));
            }
        }
    }
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let before_ids: BTreeSet<String> = pairs.iter().map(|(_, s, _)| s.id.clone()).collect();
    let after_ids: BTreeSet<String> = pairs.iter().map(|(_, _, o)| o.id.clone()).collect();
    let before_cells = cells_of(prev, &before_ids)?;
    let after_cells = cells_of(new, &after_ids)?;
    let empty = CellMap::new();
    let mut rows = Vec::new();
    for (k, s, o) in pairs {
        let before = before_cells.get(&s.id).unwrap_or(&empty);
        let after = after_cells.get(&o.id).unwrap_or(&empty);
        let places: BTreeSet<&(String, String, String)> =
            before.keys().chain(after.keys()).collect();
        for place in places {
            let (a, b) = (before.get(place), after.get(place));
            if a.map(|v| &v.0) == b.map(|v| &v.0) {
                continue;
            }
            rows.push([
                o.code.clone().or(s.code.clone()),
                o.issuer.clone().or(s.issuer.clone()),
                Some(k.1.to_string()),
                Some(s.id.clone()),
                Some(o.id.clone()),
                Some(s.source.clone()),
                Some(o.source.clone()),
                Some(place.0.clone()),
                Some(place.1.clone()),
                Some(place.2.clone()),
                a.and_then(|v| v.0.0.clone()),
                b.and_then(|v| v.0.0.clone()),
                a.map(|v| v.0.1.clone()),
                b.map(|v| v.0.1.clone()),
                a.and_then(|v| v.1.clone()),
                b.and_then(|v| v.1.clone()),
            ]);
        }
    }
    Ok(rows)
}
