//! The codebook, as researchers expect with any panel: every canonical cell key with its
//! Chinese row and column labels in each template, the layouts it exists in, its unit and the
//! harmonised series it feeds; then every frame's columns (the `cells` ones described, as
//! they are a contract). Generated from the template and the frame builders, so it cannot
//! drift from them; written with every batch (`codebook.csv`, `codebook.parquet`) and
//! printed by `gongkai codebook`.

use super::*;
use crate::template::{CellKind, HARMONISED, Layout, all_keys, cell_row_label, col_label, unit_of};

/// The codebook's columns, in order.
pub const CODEBOOK_COLUMNS: [&str; 12] = [
    "entry",
    "table",
    "row",
    "col",
    "key",
    "label_2019",
    "label_2021",
    "col_label",
    "layouts",
    "unit",
    "harmonised",
    "description",
];

/// What each `cells` column holds (the README's table, in one line each).
const CELLS_DESCRIPTIONS: [&str; 13] = [
    "first 12 hex digits of the file's SHA-256 (with -rN for row N of a summary sheet)",
    "the input path as given",
    "who issued the report; empty when unknown",
    "GB/T 2260 code of the issuer's region (today's code for a former name); empty when unknown",
    "the report year; empty when unknown",
    "disclosure (二), requests (三) or review_litigation (四)",
    "canonical row key",
    "canonical column key",
    "exact decimal text; empty unless state is number; money in 万元",
    "the text as printed (for a value cut from a glued run, the whole run)",
    "number, blank, not_applicable, ambiguous, unparsed or missing",
    "2019 or 2021: the template layout the table was printed in",
    "where in the source file (line, char, page, table, row, col)",
];

/// The codebook frame: one row per canonical cell (`entry` = `cell`), then one per frame
/// column (`entry` = `column`, `table` = the frame).
pub fn codebook() -> PolarsResult<DataFrame> {
    let mut rows: Vec<[String; 12]> = Vec::new();
    for &(t, r, c) in all_keys() {
        let label = |layout: Layout| {
            t.specs()
                .iter()
                .filter(|s| s.layout == layout)
                .any(|s| s.targets().contains(&(r, c)))
                .then(|| cell_row_label(t, layout, r).to_owned())
        };
        let (l19, l21) = (label(Layout::Y2019), label(Layout::Y2021));
        let layouts: Vec<&str> = [("2019", &l19), ("2021", &l21)]
            .iter()
            .filter(|(_, l)| l.is_some())
            .map(|(y, _)| *y)
            .collect();
        let unit = t
            .specs()
            .iter()
            .find_map(|s| s.kind_of(r, c))
            .map_or(unit_of(CellKind::Count), unit_of);
        let harmonised: Vec<&str> = HARMONISED
            .iter()
            .filter(|h| h.cells.contains(&(t, r, c)))
            .map(|h| h.name)
            .collect();
        rows.push([
            "cell".into(),
            t.key().into(),
            r.into(),
            c.into(),
            format!("{}.{r}.{c}", t.key()),
            l19.unwrap_or_default(),
            l21.unwrap_or_default(),
            col_label(c).into(),
            layouts.join(";"),
            unit.into(),
            harmonised.join(";"),
            String::new(),
        ]);
    }
    let mut frames: Vec<(String, DataFrame)> = vec![
        ("reports".into(), columns::reports(&[])?),
        ("cells".into(), columns::cells(&[])?),
        ("findings".into(), columns::findings(&[])?),
    ];
    for t in TableKind::ALL {
        frames.push((format!("{}_wide", t.key()), columns::wide(&[], t)?));
    }
    for (frame, df) in &frames {
        for (i, name) in df.get_column_names().iter().enumerate() {
            let description = if frame == "cells" {
                CELLS_DESCRIPTIONS.get(i).copied().unwrap_or_default()
            } else {
                ""
            };
            let mut row: [String; 12] = Default::default();
            row[0] = "column".into();
            row[1] = frame.clone();
            row[3] = name.to_string();
            row[11] = description.into();
            rows.push(row);
        }
    }
    let n = rows.len();
    let columns = CODEBOOK_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let v: Vec<String> = rows.iter().map(|r| r[i].clone()).collect();
            Column::new((*name).into(), v)
        })
        .collect();
    DataFrame::new(n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codebook_names_every_key_and_every_cells_column() {
        let cb = codebook().unwrap();
        let entry = cb.column("entry").unwrap().str().unwrap();
        let keys = entry.iter().filter(|e| *e == Some("cell")).count();
        assert_eq!(keys, all_keys().len());
        let table = cb.column("table").unwrap().str().unwrap();
        let col = cb.column("col").unwrap().str().unwrap();
        let cells: Vec<&str> = (0..cb.height())
            .filter(|&i| entry.get(i) == Some("column") && table.get(i) == Some("cells"))
            .filter_map(|i| col.get(i))
            .collect();
        assert_eq!(cells, CELLS_COLUMNS);
        // 本年新收 is in both layouts, counted in 件, and feeds the volume series.
        let key = cb.column("key").unwrap().str().unwrap();
        let i = (0..cb.height())
            .find(|&i| key.get(i) == Some("requests.new.total"))
            .unwrap();
        let get = |c: &str| {
            cb.column(c)
                .unwrap()
                .str()
                .unwrap()
                .get(i)
                .unwrap()
                .to_owned()
        };
        assert_eq!(get("layouts"), "2019;2021");
        assert_eq!(get("unit"), "件");
        assert!(
            get("label_2019").contains("本年新收"),
            "{}",
            get("label_2019")
        );
    }
}
