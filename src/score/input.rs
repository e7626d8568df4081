//! Units to score, from the `reports`, `cells` and `findings` frames: one per parsed report
//! that has a year and an identity, duplicates of an issuer-year left out, with its values,
//! the cells it printed empty, and the measures of the report itself.

use std::collections::HashMap;

use polars::prelude::*;
use rayon::prelude::*;

use super::formula::{Key, Measure};
use super::rank::{Unit, Values};
use crate::frames::cols::{COL, REPORT_ID, ROW, STATE, TABLE, VALUE};
use crate::template::{IDENTITIES, Layout, TableKind, all_keys};

/// Cells of a table in a layout: what a report that prints no such table misses.
fn template_cells(kind: TableKind, layout: Layout) -> usize {
    kind.specs()
        .iter()
        .find(|s| s.layout == layout)
        .or_else(|| kind.specs().first())
        .map_or(0, |s| s.targets().len())
}

/// What one cell adds to its unit (16 bytes: millions are held at once): one more cell of
/// its table, and what it says of the key at place `slot` of [`all_keys`]. The narrow fields
/// hold what they are given: a unit's index (reports of one batch) and a key's place
/// (hundreds of keys).
struct Add {
    value: f64,
    unit: u32,
    slot: u16,
    table: u8,
    says: Says,
}

const _: () = assert!(std::mem::size_of::<Add>() == 16);

/// What a cell says of its key. The first three are printed (read): a number (in
/// `Add::value`), empty or not applicable, or a number the value column does not hold.
#[derive(Clone, Copy)]
enum Says {
    Number,
    Empty,
    Printed,
    Unread,
}

/// A column's name, the key of its cell in one row and the key's place in [`all_keys`].
type ColKey = (&'static str, Key, usize);

/// The columns of `cells` that scoring reads: a caller that reads the frame from disk
/// needs no other.
pub const CELL_COLUMNS: [&str; 6] = [REPORT_ID, TABLE, ROW, COL, VALUE, STATE];

fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

/// Builds the units from the frames `gongkai ingest` writes; without `findings` no report's
/// identity failures are known.
pub(crate) fn units(
    reports: &DataFrame,
    cells: &DataFrame,
    findings: Option<&DataFrame>,
) -> PolarsResult<Vec<Unit>> {
    // Looked up by the cells' own text (no string is made per cell): a row's keys by its
    // table and row, then by column.
    let mut row_keys: rustc_hash::FxHashMap<(&str, &str), Vec<ColKey>> = Default::default();
    for (i, &k) in all_keys().iter().enumerate() {
        row_keys
            .entry((k.0.key(), k.1))
            .or_default()
            .push((k.2, k, i));
    }
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
    let l4 = strs(reports, crate::frames::cols::LAYOUT_REVIEW_LITIGATION)?;
    let fee = strs(reports, crate::frames::cols::PROCESSING_FEE_YUAN)?;
    let reuse: Vec<Option<f64>> = reports
        .column(crate::frames::cols::REUSE_PREVIOUS)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect();
    // Per unit and table: (cells printed as a value or empty, cells in the frame).
    let mut printed: Vec<[(usize, usize); 3]> = Vec::new();
    let mut layouts: Vec<[Option<Layout>; 3]> = Vec::new();
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
        let layout = |l: Option<&str>| match l {
            Some("2019") => Some(Layout::Y2019),
            Some("2021") => Some(Layout::Y2021),
            _ => None,
        };
        layouts.push([layout(l2[i]), layout(l3[i]), layout(l4[i])]);
        printed.push([(0, 0); 3]);
        let mut measures = [None; Measure::ALL.len()];
        measures[Measure::ReusePrevious as usize] = reuse[i];
        measures[Measure::FeeCharged as usize] = fee[i]
            .and_then(|f| f.parse::<f64>().ok())
            .map(|f| if f > 0.0 { 1.0 } else { 0.0 });
        units.push(Unit {
            report_id: id.to_owned(),
            who,
            issuer: name.to_owned(),
            region_code: code[i].unwrap_or_default().to_owned(),
            province: province[i].unwrap_or_default().to_owned(),
            city: city[i].unwrap_or_default().to_owned(),
            level: level[i].unwrap_or_default().to_owned(),
            body: body[i].unwrap_or_default().to_owned(),
            year,
            layouts: format!("{}/{}", l2[i].unwrap_or("-"), l3[i].unwrap_or("-")),
            values: Values::default(),
            empty: Default::default(),
            measures,
        });
    }
    // The six columns are walked chunk by chunk, by index (a Parquet frame read back is
    // chunked alike in every column, one chunk per row group; a frame chunked otherwise is
    // made one chunk first), never gathered into vectors: six of those were 192 MB for two
    // million cells, and zipping six chunked iterators took more of `perf`'s samples than
    // the loop's own work.
    let column = |name: &str| -> PolarsResult<&StringChunked> { cells.column(name)?.str() };
    let [rid, table, row, col, value, state] = CELL_COLUMNS.map(column);
    let columns = [rid?, table?, row?, col?, value?, state?];
    let aligned = (columns.iter()).all(|c| c.chunk_lengths().eq(columns[0].chunk_lengths()));
    let columns = columns.map(|c| {
        if aligned {
            std::borrow::Cow::Borrowed(c)
        } else {
            c.rechunk()
        }
    });
    let arrays: [Vec<&polars_arrow::array::Utf8ViewArray>; 6] =
        columns.each_ref().map(|c| c.downcast_iter().collect());
    // What each cell adds to its unit is worked out in parallel, a piece of rows at a time
    // (the lookups and the number parsing, on one core this stretch of `run` left the other
    // idle), then added in the cells' order: the last of a key's values wins, as before.
    const PIECE: usize = 1 << 16;
    let pieces: Vec<(usize, usize, usize)> = (0..arrays[0].len())
        .flat_map(|i| {
            let n = arrays[0][i].len();
            (0..n.div_ceil(PIECE)).map(move |p| (i, p * PIECE, n.min((p + 1) * PIECE)))
        })
        .collect();
    let adds: Vec<Vec<Add>> = pieces
        .par_iter()
        .map(|&(i, from, to)| {
            let [ids, tables, rows, cols, values, states] = arrays.each_ref().map(|a| a[i]);
            let mut out = Vec::with_capacity(to - from);
            // A report's cells are consecutive: its unit is looked up once per run of cells.
            let mut last: Option<(&str, Option<usize>)> = None;
            // The cells come in template order, a row's columns one after another: the row
            // of the cell before serves when its table and row are this one's (two
            // comparisons instead of hashing three strings).
            let mut prev_row: Option<(&str, &str, &[ColKey])> = None;
            for j in from..to {
                let Some(id) = ids.get(j) else { continue };
                let unit = match last {
                    Some((prev, u)) if prev == id => u,
                    _ => {
                        let u = index.get(id).copied();
                        last = Some((id, u));
                        u
                    }
                };
                let (Some(t), Some(r), Some(c), Some(u)) =
                    (tables.get(j), rows.get(j), cols.get(j), unit)
                else {
                    continue;
                };
                let keys = match prev_row {
                    Some((pt, pr, keys)) if pr == r && pt == t => keys,
                    _ => {
                        let keys = row_keys.get(&(t, r)).map_or(&[][..], Vec::as_slice);
                        prev_row = Some((t, r, keys));
                        keys
                    }
                };
                let Some(&(_, k, slot)) = keys.iter().find(|(name, _, _)| *name == c) else {
                    continue;
                };
                let st = states.get(j);
                let (says, value) = match (st, values.get(j).map(str::parse::<f64>)) {
                    (Some("number"), Some(Ok(v))) => (Says::Number, v),
                    (Some("blank" | "not_applicable"), _) => (Says::Empty, 0.0),
                    (Some("number"), _) => (Says::Printed, 0.0),
                    _ => (Says::Unread, 0.0),
                };
                out.push(Add {
                    value,
                    unit: u as u32,
                    slot: slot as u16,
                    table: k.0 as u8,
                    says,
                });
            }
            out
        })
        .collect();
    for a in adds.iter().flatten() {
        let u = a.unit as usize;
        let counts = &mut printed[u][a.table as usize];
        counts.0 += usize::from(!matches!(a.says, Says::Unread));
        counts.1 += 1;
        match a.says {
            Says::Number => units[u].values.put(a.slot as usize, a.value),
            Says::Empty => units[u].empty.put(a.slot as usize, ()),
            Says::Printed | Says::Unread => {}
        }
    }
    drop(adds);
    for (u, unit) in units.iter_mut().enumerate() {
        // A table the report does not print misses every cell of its layout: the layout of
        // the report's other tables, or of its year.
        let era = layouts[u]
            .iter()
            .flatten()
            .next()
            .copied()
            .unwrap_or(if unit.year >= 2021 {
                Layout::Y2021
            } else {
                Layout::Y2019
            });
        let (mut good, mut all) = (0, 0);
        for kind in TableKind::ALL {
            let (g, n) = printed[u][kind as usize];
            good += g;
            all += if layouts[u][kind as usize].is_some() || n > 0 {
                n
            } else {
                template_cells(kind, era)
            };
        }
        unit.measures[Measure::Completeness as usize] = (all > 0).then(|| good as f64 / all as f64);
    }
    if let Some(findings) = findings {
        let (fid, rule, severity) = (
            strs(findings, crate::frames::cols::REPORT_ID)?,
            strs(findings, crate::frames::cols::RULE)?,
            strs(findings, crate::frames::cols::SEVERITY)?,
        );
        let mut failures = vec![0usize; units.len()];
        // Errors only: sums that disagree. A warning (one side printed all blank) is the
        // completeness indicator's business, not counted twice.
        for ((id, rule), sev) in fid.iter().zip(&rule).zip(&severity) {
            let (Some(id), Some(rule), Some("error")) = (id, rule, sev) else {
                continue;
            };
            if IDENTITIES.iter().any(|x| x.id == *rule)
                && let Some(&u) = index.get(*id)
            {
                failures[u] += 1;
            }
        }
        for (unit, n) in units.iter_mut().zip(failures) {
            unit.measures[Measure::IdentityFailures as usize] = Some(n as f64);
        }
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Add` holds a key's place in 16 bits and its table's in 8: the template must fit.
    #[test]
    fn the_templates_keys_fit_a_cells_add() {
        assert!(all_keys().len() <= usize::from(u16::MAX));
        assert!(TableKind::ALL.len() <= usize::from(u8::MAX));
    }

    /// The units of frames built from the real fixtures.
    fn fixture_frames() -> crate::frames::Frames {
        let outcomes: Vec<_> = std::fs::read_dir("tests/fixtures/real")
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                crate::batch::process_bytes(&p, &bytes, None)
            })
            .collect();
        crate::frames::build(&outcomes).unwrap()
    }

    #[test]
    fn columns_chunked_apart_give_the_same_units() {
        // A Parquet frame read back is chunked alike in every column; one that is not (here
        // `value` in two pieces, the rest in one) is walked after rechunking.
        let f = fixture_frames();
        let cells = f.cells.select(CELL_COLUMNS).unwrap();
        assert!(cells.height() > 1000, "{}", cells.height());
        let whole = units(&f.reports, &cells, Some(&f.findings)).unwrap();
        let value = cells.column(VALUE).unwrap().as_materialized_series();
        let half = cells.height() / 2;
        let mut split = value.slice(0, half);
        split
            .append(&value.slice(half as i64, cells.height() - half))
            .unwrap();
        assert_eq!(split.n_chunks(), 2);
        let mut apart = cells.clone();
        apart.replace(VALUE, split.into_column()).unwrap();
        let got = units(&f.reports, &apart, Some(&f.findings)).unwrap();
        assert!(!whole.is_empty());
        assert!(
            whole
                .iter()
                .any(|u| (u.values.get(&all_keys()[0])).is_some())
        );
        assert_eq!(format!("{got:?}"), format!("{whole:?}"));
    }
}
