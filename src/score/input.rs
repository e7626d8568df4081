//! Units to score, from the `reports` and `cells` frames: one per parsed report that has a
//! year and an identity, duplicates of an issuer-year left out.

use std::collections::HashMap;

use polars::prelude::*;

use super::formula::Key;
use super::rank::{Unit, Values};
use crate::template::all_keys;

fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

/// Builds the units from the frames `gongkai ingest` writes.
pub(crate) fn units(reports: &DataFrame, cells: &DataFrame) -> PolarsResult<Vec<Unit>> {
    // Looked up by the cells' own text: no string is made per cell.
    let keys: rustc_hash::FxHashMap<(&str, &str, &str), Key> = all_keys()
        .iter()
        .copied()
        .map(|k| ((k.0.key(), k.1, k.2), k))
        .collect();
    let ids = strs(reports, crate::frames::cols::REPORT_ID)?;
    let issuer = strs(reports, crate::frames::cols::ISSUER)?;
    let code = strs(reports, crate::frames::cols::REGION_CODE)?;
    let province = strs(reports, crate::frames::cols::PROVINCE)?;
    let city = strs(reports, crate::frames::cols::CITY)?;
    let level = strs(reports, crate::frames::cols::LEVEL)?;
    let body = strs(reports, crate::frames::cols::BODY)?;
    let dup = strs(reports, crate::frames::cols::DUPLICATE_OF)?;
    let l2 = strs(reports, crate::frames::cols::LAYOUT_DISCLOSURE)?;
    let l3 = strs(reports, crate::frames::cols::LAYOUT_REQUESTS)?;
    let year_col = reports
        .column(crate::frames::cols::YEAR)?
        .cast(&DataType::Int32)?;
    let years: Vec<Option<i32>> = year_col.i32()?.iter().collect();
    let mut units: Vec<Unit> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for i in 0..reports.height() {
        let (Some(id), Some(year)) = (ids[i], years[i]) else {
            continue;
        };
        if dup[i].is_some() {
            continue;
        }
        let name = issuer[i].unwrap_or_default();
        let who = match (code[i], body[i]) {
            (Some(c), Some("department")) => format!("{c}:{name}"),
            (Some(c), _) => c.to_owned(),
            (None, _) if !name.is_empty() => name.to_owned(),
            _ => continue,
        };
        index.insert(id.to_owned(), units.len());
        units.push(Unit {
            report_id: id.to_owned(),
            who,
            issuer: name.to_owned(),
            region_code: code[i].unwrap_or_default().to_owned(),
            province: province[i].unwrap_or_default().to_owned(),
            city: city[i].unwrap_or_default().to_owned(),
            level: level[i].unwrap_or_default().to_owned(),
            year,
            layouts: format!("{}/{}", l2[i].unwrap_or("-"), l3[i].unwrap_or("-")),
            values: Values::default(),
        });
    }
    let (rid, table, row, col, value) = (
        strs(cells, crate::frames::cols::REPORT_ID)?,
        strs(cells, crate::frames::cols::TABLE)?,
        strs(cells, crate::frames::cols::ROW)?,
        strs(cells, crate::frames::cols::COL)?,
        strs(cells, crate::frames::cols::VALUE)?,
    );
    // A report's cells are consecutive: its unit is looked up once per run of cells.
    let mut last: Option<(&str, Option<usize>)> = None;
    for i in 0..cells.height() {
        let (Some(id), Some(t), Some(r), Some(c), Some(v)) =
            (rid[i], table[i], row[i], col[i], value[i])
        else {
            continue;
        };
        let unit = match last {
            Some((prev, u)) if prev == id => u,
            _ => {
                let u = index.get(id).copied();
                last = Some((id, u));
                u
            }
        };
        let Some(u) = unit else { continue };
        let Some(&k) = keys.get(&(t, r, c)) else {
            continue;
        };
        if let Ok(v) = v.parse::<f64>() {
            units[u].values.insert(k, v);
        }
    }
    Ok(units)
}
