//! The frames' columns, built from outcomes: one row per report, cell, finding, or table read.

use std::borrow::Cow;

use polars_arrow::array::MutableBinaryViewArray;

use super::rowgroup::{self, DictColumn};
use super::*;
use crate::report::Cell;
use crate::template::{all_keys, key_index};

pub(super) fn reports(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
    let n = outcomes.len();
    let text = |f: &dyn Fn(&Outcome) -> String| outcomes.iter().map(|o| f(o)).collect::<Vec<_>>();
    let layout = |t: TableKind| {
        outcomes
            .iter()
            .map(|o| {
                o.result
                    .as_ref()
                    .ok()
                    .and_then(|p| p.report.layout(t))
                    .map(|l| l.key().to_owned())
            })
            .collect::<Vec<_>>()
    };
    let fail = |f: &dyn Fn(&crate::report::Failure) -> Option<String>| {
        outcomes
            .iter()
            .map(|o| o.result.as_ref().err().and_then(f))
            .collect::<Vec<_>>()
    };
    let count = |sev: Severity| {
        outcomes
            .iter()
            .map(|o| o.count(sev) as u32)
            .collect::<Vec<_>>()
    };
    let status = |o: &Outcome| match &o.result {
        Err(_) => "failed".to_owned(),
        Ok(p) if p.report.tables.iter().all(|t| t.layout.is_some()) => "parsed".to_owned(),
        Ok(p) if p.report.tables.iter().any(|t| t.layout.is_some()) => "partial".to_owned(),
        Ok(_) => "no_tables".to_owned(),
    };
    let meta = |f: &dyn Fn(&crate::report::Meta) -> Option<String>| {
        outcomes
            .iter()
            .map(|o| o.result.as_ref().ok().and_then(|p| f(&p.report.meta)))
            .collect::<Vec<_>>()
    };
    let place = |f: &dyn Fn(&crate::report::Place) -> String| {
        meta(&|m| m.place.as_ref().map(f).filter(|s| !s.is_empty()))
    };
    let columns = vec![
        s(cols::REPORT_ID, text(&|o| o.id.clone())),
        s(cols::SOURCE, text(&source_of)),
        opt_s(
            "format",
            outcomes
                .iter()
                .map(|o| {
                    o.result
                        .as_ref()
                        .ok()
                        .map(|p| p.report.format.key().to_owned())
                })
                .collect(),
        ),
        opt_s(
            "encoding",
            outcomes
                .iter()
                .map(|o| o.result.as_ref().ok().map(|p| p.report.encoding.to_owned()))
                .collect(),
        ),
        s("sha256", text(&|o| o.sha256.clone())),
        Column::new(
            "bytes".into(),
            outcomes.iter().map(|o| o.bytes).collect::<Vec<_>>(),
        ),
        opt_s(cols::ISSUER, meta(&|m| m.issuer.clone())),
        opt_s(cols::REGION_CODE, place(&|p| p.code.clone())),
        opt_s(cols::PROVINCE, place(&|p| p.province.clone())),
        opt_s(cols::CITY, place(&|p| p.city.clone())),
        opt_s("county", place(&|p| p.county.clone())),
        opt_s(cols::LEVEL, place(&|p| p.level.key().to_owned())),
        Column::new(
            "synthetic".into(),
            outcomes
                .iter()
                .map(|o| region_code(o).is_some_and(|c| crate::regions::is_synthetic(&c)))
                .collect::<Vec<_>>(),
        ),
        Column::new(cols::YEAR.into(), years(outcomes)),
        opt_s(cols::BODY, meta(&|m| m.body.map(|b| b.key().to_owned()))),
        opt_s(
            "issuer_clue",
            meta(&|m| m.issuer_clue.map(|c| c.key().to_owned())),
        ),
        opt_s(
            "region_clue",
            meta(&|m| m.region_clue.map(|c| c.key().to_owned())),
        ),
        opt_s(
            "year_clue",
            meta(&|m| m.year_clue.map(|c| c.key().to_owned())),
        ),
        opt_s(
            "former_name",
            place(&|p| p.former_name.clone().unwrap_or_default()),
        ),
        opt_s(
            "region_candidates",
            meta(&|m| (!m.candidates.is_empty()).then(|| m.candidates.join(";"))),
        ),
        opt_s(
            "processing_fee_yuan",
            meta(&|m| m.processing_fee.as_ref().map(|(d, _)| d.to_string())),
        ),
        opt_s(
            cols::DUPLICATE_OF,
            outcomes
                .iter()
                .map(|o| o.batch.duplicate_of.clone())
                .collect(),
        ),
        Column::new(
            "reuse_previous".into(),
            outcomes
                .iter()
                .map(|o| o.batch.reuse_previous.map(|(s, _)| round3(s)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "reuse_previous_year".into(),
            outcomes
                .iter()
                .map(|o| o.batch.reuse_previous.map(|(_, y)| y))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "reuse_peer".into(),
            outcomes
                .iter()
                .map(|o| o.batch.reuse_peer.as_ref().map(|(s, _)| round3(*s)))
                .collect::<Vec<_>>(),
        ),
        opt_s(
            "reuse_peer_id",
            outcomes
                .iter()
                .map(|o| o.batch.reuse_peer.as_ref().map(|(_, id)| id.clone()))
                .collect(),
        ),
        Column::new(
            "converted_script".into(),
            outcomes
                .iter()
                .map(|o| o.result.as_ref().ok().map(|p| p.report.converted_script))
                .collect::<Vec<_>>(),
        ),
        opt_s(cols::LAYOUT_DISCLOSURE, layout(TableKind::Disclosure)),
        opt_s(cols::LAYOUT_REQUESTS, layout(TableKind::Requests)),
        opt_s(
            "layout_review_litigation",
            layout(TableKind::ReviewLitigation),
        ),
        s(cols::STATUS, text(&status)),
        opt_s("error_stage", fail(&|f| Some(f.stage.key().to_owned()))),
        opt_s("error_kind", fail(&|f| Some(f.kind.key().to_owned()))),
        opt_s("error_message", fail(&|f| Some(f.message.clone()))),
        opt_s("hint", fail(&|f| f.hint.clone())),
        Column::new("errors".into(), count(Severity::Error)),
        Column::new("warnings".into(), count(Severity::Warning)),
        Column::new("infos".into(), count(Severity::Info)),
        Column::new(
            "cells".into(),
            outcomes
                .iter()
                .map(|o| {
                    o.result
                        .as_ref()
                        .map_or(0, |p| p.report.counts().cells as u32)
                })
                .collect::<Vec<_>>(),
        ),
    ];
    DataFrame::new(n, columns)
}

pub(super) fn years(outcomes: &[&Outcome]) -> Vec<Option<i32>> {
    outcomes
        .iter()
        .map(|o| o.result.as_ref().ok().and_then(|p| p.report.meta.year))
        .collect()
}

/// Shares rounded to three decimals, so outputs do not carry float noise.
pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The region code of a parsed report, if resolved.
pub(super) fn region_code(o: &Outcome) -> Option<String> {
    let p = o.result.as_ref().ok()?;
    p.report.meta.place.as_ref().map(|p| p.code.clone())
}

/// The exact value of a cell as text (`25.1`, `447228`), or null when it has none.
pub fn value_text(state: &CellState) -> Option<String> {
    state.number().map(|d| d.to_string())
}

/// A cell's value and location as dictionary keys of their columns, remembered by the
/// value and the location themselves: a batch's cells repeat both (a location such as
/// `table 1 row 2 col 2` in every report of a shape), and the text of one is built once per
/// chunk. The dictionaries stay keyed by the text, so two values printed alike share a key
/// as polars would give them.
#[derive(Default)]
struct CellKeys {
    values: rustc_hash::FxHashMap<crate::report::Dec, u32>,
    locs: rustc_hash::FxHashMap<Option<crate::source::Loc>, u32>,
    text: String,
}

impl CellKeys {
    fn value(&mut self, c: &Cell, column: &mut DictColumn<'_>) -> Option<u32> {
        let d = c.state.number()?;
        Some(*self.values.entry(d).or_insert_with(|| {
            self.text.clear();
            d.push_to(&mut self.text);
            column.key_copy(&self.text)
        }))
    }

    fn loc(&mut self, c: &Cell, column: &mut DictColumn<'_>) -> u32 {
        *self.locs.entry(c.loc).or_insert_with(|| {
            self.text.clear();
            if let Some(l) = c.loc {
                l.push_to(&mut self.text);
            }
            column.key_copy(&self.text)
        })
    }
}

/// The text columns of `cells` a report gives each of its rows (report_id, source, issuer,
/// region_code) and its `year`.
pub(super) type ReportFields<'a> = ([Option<Cow<'a, str>>; 4], Option<i32>);

/// The columns of `cells` a report gives each of its rows, or `None` for a failed file,
/// which has no cells.
pub(super) fn cells_report(o: &Outcome) -> Option<ReportFields<'_>> {
    let p = o.result.as_ref().ok()?;
    Some((
        [
            Some(Cow::Borrowed(o.id.as_str())),
            Some(o.path.to_string_lossy()),
            p.report.meta.issuer.as_deref().map(Cow::Borrowed),
            p.report
                .meta
                .place
                .as_ref()
                .map(|p| Cow::Borrowed(p.code.as_str())),
        ],
        p.report.meta.year,
    ))
}

pub(super) fn cells(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
    cells_with(outcomes, None)?.frame()
}

/// The columns of `cells` for a chunk of outcomes, in [`CELLS_COLUMNS`] order: those whose
/// values come from a report or the template's vocabulary as dictionaries
/// ([`rowgroup::DictColumn`]), and the cells' own text (value, raw, location) too: values
/// repeat across a batch's reports.
pub(super) struct CellsChunk<'a> {
    rows: usize,
    /// report_id, source, issuer, region_code.
    head: [DictColumn<'a>; 4],
    years: Vec<Option<i32>>,
    /// table, row, col, state, layout.
    words: [DictColumn<'a>; 5],
    /// value, raw, location.
    text: [DictColumn<'a>; 3],
}

impl CellsChunk<'_> {
    pub(super) fn rows(&self) -> usize {
        self.rows
    }

    /// The columns in [`CELLS_COLUMNS`] order.
    fn columns(self) -> Vec<(&'static str, rowgroup::Part)> {
        use rowgroup::Part;
        let [id, source, issuer, code] = self.head.map(|d| Part::Dict(d.freeze()));
        let [table, row, col, state, layout] = self.words.map(|d| Part::Dict(d.freeze()));
        let [value, raw, location] = self.text.map(|d| Part::Dict(d.freeze()));
        let years: polars_arrow::array::PrimitiveArray<i32> =
            polars_arrow::array::MutablePrimitiveArray::from(self.years).into();
        let all = [
            id,
            source,
            issuer,
            code,
            Part::Array(years.boxed()),
            table,
            row,
            col,
            value,
            raw,
            state,
            layout,
            location,
        ];
        CELLS_COLUMNS.into_iter().zip(all).collect()
    }

    /// The chunk as a polars frame.
    pub(super) fn frame(self) -> PolarsResult<DataFrame> {
        let rows = self.rows;
        let columns = self
            .columns()
            .into_iter()
            .map(|(name, part)| {
                Series::from_arrow(name.into(), part.into_array()).map(Series::into_column)
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        DataFrame::new(rows, columns)
    }

    /// The chunk's columns as a row group.
    pub(super) fn parts(self) -> Vec<rowgroup::Part> {
        self.columns().into_iter().map(|(_, p)| p).collect()
    }
}

/// The `cells` columns of `outcomes`, and with `csv` their rows as CSV too (no header),
/// written report by report in the same pass: each cell's text is built once for both, and a
/// report's first five fields are quoted once for all its rows (`cells.csv` is the biggest
/// file of a batch).
pub(super) fn cells_with<'a>(
    outcomes: &[&'a Outcome],
    mut csv: Option<&mut dyn std::io::Write>,
) -> PolarsResult<CellsChunk<'a>> {
    // Columns are built in place (no String per value): the cells of a large batch are tens
    // of millions of rows.
    let n: usize = outcomes
        .iter()
        .map(|o| o.result.as_ref().map_or(0, |p| p.report.cells.len()))
        .sum();
    let mut head: [DictColumn<'a>; 4] = std::array::from_fn(|_| DictColumn::with_capacity(n));
    let mut words: [DictColumn<'a>; 5] = std::array::from_fn(|_| DictColumn::with_capacity(n));
    let mut text: [DictColumn<'a>; 3] = std::array::from_fn(|_| DictColumn::with_capacity(n));
    let mut years: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut keys = CellKeys::default();
    let (mut line_head, mut lines) = (Vec::new(), Vec::new());
    let key_fields = super::csv::key_fields();
    for &o in outcomes {
        let (Ok(p), Some(fields)) = (&o.result, cells_report(o)) else {
            continue;
        };
        let rows = p.report.cells.len();
        if rows == 0 {
            continue;
        }
        if csv.is_some() {
            super::csv::cells_head(&mut line_head, &fields);
            lines.clear();
        }
        let (fields, year) = fields;
        for (col, v) in head.iter_mut().zip(fields) {
            col.extend_constant(rows, v);
        }
        years.extend(std::iter::repeat_n(year, rows));
        let [table, row, col, state, layout] = &mut words;
        let [value, raw, location] = &mut text;
        for c in &p.report.cells {
            table.push(c.table.key());
            row.push(c.row);
            col.push(c.col);
            let v = keys.value(c, value);
            value.push_key(v);
            raw.push_own(&c.raw);
            state.push(c.state.key());
            layout.push(c.layout.key());
            let l = keys.loc(c, location);
            location.push_key(Some(l));
            if csv.is_some() {
                // The CSV's text is the dictionaries' own: the two cannot differ.
                let tail = [
                    Some(c.table.key()),
                    Some(c.row),
                    Some(c.col),
                    v.map(|k| value.text(k)),
                    Some(c.raw.as_str()),
                    Some(c.state.key()),
                    Some(c.layout.key()),
                    Some(location.text(l)),
                ];
                let key = crate::template::key_index((c.table, c.row, c.col))
                    .and_then(|i| key_fields.get(i))
                    .map(|k| &k[..]);
                super::csv::cells_row(&mut lines, &line_head, key, &tail);
            }
        }
        if let Some(w) = csv.as_mut() {
            w.write_all(&lines)?;
        }
    }
    Ok(CellsChunk {
        rows: n,
        head,
        years,
        words,
        text,
    })
}

pub(super) fn findings(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
    // Built in place, as `cells` is: a `String` per value held all eight text columns of a
    // batch's findings at once before they became a frame.
    let n: usize = outcomes
        .iter()
        .map(|o| o.result.as_ref().map_or(0, |p| p.findings.len()))
        .sum();
    let mut cols: [MutableBinaryViewArray<str>; 9] =
        std::array::from_fn(|_| MutableBinaryViewArray::with_capacity(n));
    let mut years: Vec<Option<i32>> = Vec::with_capacity(n);
    let (mut joined, mut message) = (String::new(), String::new());
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        let source = o.path.to_string_lossy();
        let code = p.report.meta.place.as_ref().map(|p| p.code.as_str());
        for f in &p.findings {
            joined.clear();
            for (i, c) in f.cells.iter().enumerate() {
                if i > 0 {
                    joined.push(';');
                }
                joined.push_str(c);
            }
            message.clear();
            f.push_message(&mut message);
            let row = [
                Some(o.id.as_str()),
                Some(source.as_ref()),
                Some(f.rule),
                Some(f.severity.key()),
                Some(joined.as_str()),
                Some(f.expected.as_str()),
                Some(f.actual.as_str()),
                Some(message.as_str()),
                code,
            ];
            for (col, v) in cols.iter_mut().zip(row) {
                col.push(v);
            }
            years.push(p.report.meta.year);
        }
    }
    let mut columns: Vec<Column> = FINDINGS_COLUMNS
        .iter()
        .zip(cols)
        .map(|(name, b)| StringChunked::with_chunk((*name).into(), b.freeze()).into_column())
        .collect();
    columns.push(Column::new(cols::YEAR.into(), years));
    DataFrame::new(n, columns)
}

/// One row per parsed report that has this table; one Float64 column per canonical cell
/// (`{row}_{col}`), null unless the cell holds a number.
pub(super) fn wide(outcomes: &[&Outcome], table: TableKind) -> PolarsResult<DataFrame> {
    wides(outcomes, &[table])?
        .pop()
        .ok_or_else(|| PolarsError::ComputeError("no wide frame was built".into()))
}

/// The wide frames of `tables` (see [`wide`]), from one pass over each report's cells: a
/// pass per table read a batch's cells (tens of megabytes a chunk) three times over, each
/// time from memory rather than cache.
pub(super) fn wides(outcomes: &[&Outcome], tables: &[TableKind]) -> PolarsResult<Vec<DataFrame>> {
    struct Frame {
        table: TableKind,
        /// The table's first key's place in `all_keys` (its keys follow, one column each
        /// in `values`).
        first: usize,
        ids: Vec<String>,
        sources: Vec<String>,
        layouts: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
    }
    let all = all_keys();
    let mut frames: Vec<Frame> = tables
        .iter()
        .map(|&table| Frame {
            table,
            first: all.iter().position(|k| k.0 == table).unwrap_or(0),
            ids: Vec::new(),
            sources: Vec::new(),
            layouts: Vec::new(),
            values: vec![Vec::new(); table_keys(table).len()],
        })
        .collect();
    // A key's column is its place in `all_keys` less its table's first: found by the words'
    // addresses (no string hashed or compared per cell), by their text otherwise.
    let mut row: Vec<Option<f64>> = vec![None; all.len()];
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        let layouts: Vec<_> = frames.iter().map(|f| p.report.layout(f.table)).collect();
        if layouts.iter().all(Option::is_none) {
            continue;
        }
        row.fill(None);
        // The first cell of a key wins, as a lookup by key would find it.
        for cell in p.report.cells.iter().rev() {
            let Some(f) = frames.iter().position(|f| f.table == cell.table) else {
                continue;
            };
            if layouts[f].is_none() {
                continue;
            }
            if let Some(k) = key_index((cell.table, cell.row, cell.col))
                && k < row.len()
            {
                row[k] = cell.state.number().map(|d| d.to_f64());
            }
        }
        for (f, layout) in frames.iter_mut().zip(layouts) {
            let Some(layout) = layout else { continue };
            f.ids.push(o.id.clone());
            f.sources.push(source_of(o));
            f.layouts.push(layout.key().to_owned());
            for (column, v) in f.values.iter_mut().zip(&row[f.first..]) {
                column.push(*v);
            }
        }
    }
    frames
        .into_iter()
        .map(|f| {
            let n = f.ids.len();
            let mut columns = vec![
                s(cols::REPORT_ID, f.ids),
                s(cols::SOURCE, f.sources),
                s(cols::LAYOUT, f.layouts),
            ];
            for ((r, c), v) in table_keys(f.table).iter().zip(f.values) {
                columns.push(Column::new(format!("{r}_{c}").into(), v));
            }
            DataFrame::new(n, columns)
        })
        .collect()
}
