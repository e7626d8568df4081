//! Revisions: an issuer-year whose report changed since the previous outputs. Issuers revise
//! published reports (a corrected table, a re-issued PDF); the nightly run that reads the new
//! file says so, with every cell whose value or state moved, old and new side by side.
//!
//! The previous run's `reports.parquet` and `cells.parquet` in the output directory are the
//! memory: an issuer-year (region code, or the issuer's name when no code resolved, and the
//! year) is revised when a report id it had is gone and a new one came, so a byte-identical
//! re-run has no revisions and neither has a newly added year.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use polars::prelude::*;

use super::{opt_s, value_text};
use crate::pipeline::Outcome;

/// `revisions.csv` columns, in order.
pub const REVISIONS_COLUMNS: [&str; 14] = [
    "region_code",
    "issuer",
    "year",
    "old_report_id",
    "new_report_id",
    "old_source",
    "new_source",
    "table",
    "row",
    "col",
    "old_value",
    "new_value",
    "old_state",
    "new_state",
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

/// A cell's place and what it held: (table, row, col) → (value, state).
type CellMap = BTreeMap<(String, String, String), (Option<String>, String)>;

/// The previous run's reports by issuer-year.
fn previous_reports(dir: &Path) -> anyhow::Result<BTreeMap<Key, BTreeSet<Seen>>> {
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
        text("report_id")?,
        text("source")?,
        text("issuer")?,
        text("region_code")?,
    );
    let years: Vec<Option<i32>> = df.column("year")?.i32()?.iter().collect();
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

/// The previous run's cells of the reports `ids`.
fn previous_cells(dir: &Path, ids: &BTreeSet<String>) -> anyhow::Result<HashMap<String, CellMap>> {
    let df = super::read_parquet(&dir.join("cells.parquet"))?;
    let col = |name: &str| -> anyhow::Result<StringChunked> { Ok(df.column(name)?.str()?.clone()) };
    let (id, table, row, c, value, state) = (
        col("report_id")?,
        col("table")?,
        col("row")?,
        col("col")?,
        col("value")?,
        col("state")?,
    );
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
            value.get(i).map(str::to_owned),
            state.get(i).unwrap_or_default().to_owned(),
        );
        out.entry(rid.to_owned()).or_default().insert(place, held);
    }
    Ok(out)
}

/// The revisions of this batch against the outputs in `prev` (an empty frame when `prev`
/// holds none, as on a first run).
pub fn revisions(outcomes: &[Outcome], prev: &Path) -> anyhow::Result<DataFrame> {
    let mut rows: Vec<[Option<String>; 14]> = Vec::new();
    if prev.join("reports.parquet").is_file() && prev.join("cells.parquet").is_file() {
        rows = revised_rows(outcomes, prev)?;
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
            if *name == "year" {
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

fn revised_rows(outcomes: &[Outcome], prev: &Path) -> anyhow::Result<Vec<[Option<String>; 14]>> {
    let old = previous_reports(prev)?;
    let mut new: BTreeMap<Key, Vec<&Outcome>> = BTreeMap::new();
    let mut new_ids: BTreeSet<&str> = BTreeSet::new();
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        new_ids.insert(&o.id);
        let meta = &p.report.meta;
        let code = meta.place.as_ref().map(|p| p.code.clone());
        if let Some(k) = key(&code, &meta.issuer, meta.year) {
            new.entry(k).or_default().push(o);
        }
    }
    let old_ids: BTreeSet<&str> = old.values().flatten().map(|s| s.id.as_str()).collect();
    // Pairs (old report gone, new report come) per issuer-year.
    let mut pairs: Vec<(&Key, &Seen, &Outcome)> = Vec::new();
    for (k, olds) in &old {
        let Some(news) = new.get(k) else { continue };
        let gone: Vec<&Seen> = olds
            .iter()
            .filter(|s| !new_ids.contains(s.id.as_str()))
            .collect();
        let come: Vec<&&Outcome> = news
            .iter()
            .filter(|o| !old_ids.contains(o.id.as_str()))
            .collect();
        for s in &gone {
            for o in &come {
                pairs.push((k, s, o));
            }
        }
    }
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: BTreeSet<String> = pairs.iter().map(|(_, s, _)| s.id.clone()).collect();
    let old_cells = previous_cells(prev, &wanted)?;
    let empty = CellMap::new();
    let mut rows = Vec::new();
    for (k, s, o) in pairs {
        let Ok(p) = &o.result else { continue };
        let before = old_cells.get(&s.id).unwrap_or(&empty);
        let mut after = CellMap::new();
        for c in &p.report.cells {
            after.insert(
                (c.table.key().to_owned(), c.row.to_owned(), c.col.to_owned()),
                (value_text(&c.state), c.state.key().to_owned()),
            );
        }
        let places: BTreeSet<&(String, String, String)> =
            before.keys().chain(after.keys()).collect();
        for place in places {
            let (a, b) = (before.get(place), after.get(place));
            if a == b {
                continue;
            }
            let meta = &p.report.meta;
            rows.push([
                meta.place
                    .as_ref()
                    .map(|p| p.code.clone())
                    .or(s.code.clone()),
                meta.issuer.clone().or(s.issuer.clone()),
                Some(k.1.to_string()),
                Some(s.id.clone()),
                Some(o.id.clone()),
                Some(s.source.clone()),
                Some(o.path.to_string_lossy().into_owned()),
                Some(place.0.clone()),
                Some(place.1.clone()),
                Some(place.2.clone()),
                a.and_then(|v| v.0.clone()),
                b.and_then(|v| v.0.clone()),
                a.map(|v| v.1.clone()),
                b.map(|v| v.1.clone()),
            ]);
        }
    }
    Ok(rows)
}
