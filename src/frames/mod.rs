//! Columnar frames (polars) from a batch of outcomes, written as Parquet and as CSV with a
//! UTF-8 BOM (so Excel opens Chinese correctly).
//!
//! Frames: `reports` (one row per input file, parsed or not), `cells` (long; the contract
//! other tools read, columns fixed by [`CELLS_COLUMNS`]), `findings`, and one wide frame per
//! table. Rows follow the outcomes' order (sorted by path), so the same inputs give
//! byte-identical files. Issuer, region and year stay empty until the metadata stage exists.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

mod csv;
pub(crate) mod outdir;
pub(crate) mod revisions;

use crate::report::CellState;
use crate::report::Outcome;
use crate::report::Severity;
use crate::template::TableKind;

/// `cells.csv` columns, in order. A contract: other tools and checks read them.
pub const CELLS_COLUMNS: [&str; 13] = [
    "report_id",
    "source",
    "issuer",
    "region_code",
    "year",
    "table",
    "row",
    "col",
    "value",
    "raw",
    "state",
    "layout",
    "location",
];

/// `findings.csv` columns, in order (the first eight are the contract of issue 2; region
/// and year follow).
pub const FINDINGS_COLUMNS: [&str; 10] = [
    "report_id",
    "source",
    "rule",
    "severity",
    "cells",
    "expected",
    "actual",
    "message",
    "region_code",
    "year",
];

pub struct Frames {
    pub reports: DataFrame,
    pub cells: DataFrame,
    pub findings: DataFrame,
    pub wide: Vec<(TableKind, DataFrame)>,
}

fn s(name: &str, v: Vec<String>) -> Column {
    Column::new(name.into(), v)
}

fn opt_s(name: &str, v: Vec<Option<String>>) -> Column {
    Column::new(name.into(), v)
}

fn source_of(o: &Outcome) -> String {
    o.path.to_string_lossy().into_owned()
}

/// The canonical `(row, col)` keys of a table over both layouts, in printed order.
pub fn table_keys(table: TableKind) -> Vec<(&'static str, &'static str)> {
    let mut keys = Vec::new();
    for spec in table.specs() {
        for k in spec.targets() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

pub fn build(outcomes: &[Outcome]) -> PolarsResult<Frames> {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    build_from(&all)
}

/// The frames with a row per report or finding (`reports`, `findings`); a streaming batch
/// wrote the others chunk by chunk ([`CellSink`]).
pub fn build_reports(outcomes: &[Outcome]) -> PolarsResult<(DataFrame, DataFrame)> {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    Ok((reports(&all)?, findings(&all)?))
}

/// The frames with a row per cell or per table read (`cells`, `*_wide`), written chunk by
/// chunk as a batch goes: CSV appended, Parquet one row group per chunk, both under
/// temporary names until [`CellSink::finish`]. A batch so never holds all its cells, and the
/// files are the same whatever the number of threads.
pub struct CellSink {
    parts: Vec<SinkPart>,
    dir: PathBuf,
    hive: bool,
    chunks: usize,
}

struct SinkPart {
    name: String,
    csv: BufWriter<File>,
    parquet: polars::io::parquet::write::BatchedWriter<BufWriter<File>>,
}

impl CellSink {
    /// Opens the files in `dir`; with `hive`, each chunk's cells also go to Hive partitions.
    pub fn create(dir: &Path, hive: bool) -> anyhow::Result<CellSink> {
        std::fs::create_dir_all(dir)?;
        let mut empty: Vec<(String, DataFrame)> = vec![("cells".into(), cells(&[])?)];
        for t in TableKind::ALL {
            empty.push((format!("{}_wide", t.key()), wide(&[], t)?));
        }
        let mut parts = Vec::new();
        for (name, mut df) in empty {
            let open = |ext: &str| -> anyhow::Result<BufWriter<File>> {
                let tmp = dir.join(format!("{name}.{ext}.tmp"));
                let f = File::create(&tmp)
                    .map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", tmp.display()))?;
                Ok(BufWriter::new(f))
            };
            let mut csv = open("csv")?;
            CsvWriter::new(&mut csv).include_bom(true).finish(&mut df)?;
            let parquet = ParquetWriter::new(open("parquet")?).batched(df.schema())?;
            parts.push(SinkPart { name, csv, parquet });
        }
        Ok(CellSink {
            parts,
            dir: dir.to_owned(),
            hive,
            chunks: 0,
        })
    }

    /// Appends the rows of one chunk of outcomes (in batch order).
    pub fn push(&mut self, outcomes: &[Outcome]) -> anyhow::Result<()> {
        let all: Vec<&Outcome> = outcomes.iter().collect();
        for part in &mut self.parts {
            let mut df = match part.name.as_str() {
                "cells" => cells(&all)?,
                wide_name => {
                    let t = TableKind::ALL
                        .into_iter()
                        .find(|t| wide_name == format!("{}_wide", t.key()))
                        .ok_or_else(|| anyhow::anyhow!("unknown frame {wide_name}"))?;
                    wide(&all, t)?
                }
            };
            if df.height() == 0 {
                continue;
            }
            if !csv::write(&df, &mut part.csv, false, csv::Threads::Caller)? {
                CsvWriter::new(&mut part.csv)
                    .include_header(false)
                    .finish(&mut df)?;
            }
            part.parquet.write_batch(&df)?;
        }
        if self.hive {
            write_hive_parts(outcomes, &self.dir, &["cells"], self.chunks)?;
        }
        self.chunks += 1;
        Ok(())
    }

    /// Closes every file and renames it into place; returns their paths.
    pub fn finish(self) -> anyhow::Result<Vec<PathBuf>> {
        let mut written = Vec::new();
        for part in self.parts {
            let SinkPart {
                name,
                mut csv,
                parquet,
            } = part;
            csv.flush()?;
            drop(csv);
            parquet.finish()?;
            drop(parquet);
            for ext in ["csv", "parquet"] {
                let done = self.dir.join(format!("{name}.{ext}"));
                let tmp = self.dir.join(format!("{name}.{ext}.tmp"));
                std::fs::rename(&tmp, &done).map_err(|e| {
                    anyhow::anyhow!("{}: cannot rename into place: {e}", done.display())
                })?;
                written.push(done);
            }
        }
        Ok(written)
    }
}

fn build_from(outcomes: &[&Outcome]) -> PolarsResult<Frames> {
    // The frames with a row per cell or table read are built a chunk of reports at a time on
    // every core and stacked (the rows keep batch order); the others are small.
    let ((reports, findings), (cells, wide)) = rayon::join(
        || (reports(outcomes), findings(outcomes)),
        || {
            rayon::join(
                || chunked(outcomes, cells),
                || {
                    TableKind::ALL
                        .into_par_iter()
                        .map(|t| chunked(outcomes, |o| wide(o, t)).map(|df| (t, df)))
                        .collect::<PolarsResult<Vec<_>>>()
                },
            )
        },
    );
    Ok(Frames {
        reports: reports?,
        cells: cells?,
        findings: findings?,
        wide: wide?,
    })
}

/// Reports per chunk when a frame is built in parallel.
const BUILD_CHUNK: usize = 1024;

/// `build` over chunks of `outcomes` in parallel, the chunks stacked in order.
fn chunked(
    outcomes: &[&Outcome],
    build: impl Fn(&[&Outcome]) -> PolarsResult<DataFrame> + Sync,
) -> PolarsResult<DataFrame> {
    if outcomes.len() <= BUILD_CHUNK {
        return build(outcomes);
    }
    let parts: Vec<DataFrame> = outcomes
        .par_chunks(BUILD_CHUNK)
        .map(&build)
        .collect::<PolarsResult<_>>()?;
    let mut parts = parts.into_iter();
    let mut df = parts.next().map_or_else(|| build(&[]), Ok)?;
    for p in parts {
        df.vstack_mut_owned(p)?;
    }
    df.rechunk_mut_par();
    Ok(df)
}

/// Hive's name for a partition whose key is unknown.
const HIVE_DEFAULT: &str = "__HIVE_DEFAULT_PARTITION__";

/// Writes `reports`, `cells` and `findings` also as Hive-partitioned Parquet,
/// `DIR/hive/NAME/year=Y/province=P/part-0.parquet`, which DuckDB, Spark or Trino read as
/// one table (`read_parquet('DIR/hive/cells/*/*/*.parquet', hive_partitioning = true)`).
pub fn write_hive(outcomes: &[Outcome], dir: &Path) -> anyhow::Result<usize> {
    write_hive_parts(outcomes, dir, &["reports", "cells", "findings"], 0)
}

/// Writes the frames `names` of `outcomes` as Hive partitions, each file `part-{part}`.
pub fn write_hive_parts(
    outcomes: &[Outcome],
    dir: &Path,
    names: &[&str],
    part: usize,
) -> anyhow::Result<usize> {
    let mut parts: std::collections::BTreeMap<(String, String), Vec<&Outcome>> = Default::default();
    for o in outcomes {
        let meta = o.result.as_ref().ok().map(|p| &p.report.meta);
        let year = meta
            .and_then(|m| m.year)
            .map_or(HIVE_DEFAULT.to_owned(), |y| y.to_string());
        let province = meta
            .and_then(|m| m.place.as_ref())
            .map(|p| p.province.clone())
            .filter(|p| !p.is_empty() && !p.contains(['/', '\\']))
            .unwrap_or_else(|| HIVE_DEFAULT.to_owned());
        parts.entry((year, province)).or_default().push(o);
    }
    let mut files = 0;
    for ((year, province), members) in &parts {
        let mut f = build_from(members)?;
        for (name, df) in [
            ("reports", &mut f.reports),
            ("cells", &mut f.cells),
            ("findings", &mut f.findings),
        ] {
            if !names.contains(&name) {
                continue;
            }
            let d = dir
                .join("hive")
                .join(name)
                .join(format!("year={year}"))
                .join(format!("province={province}"));
            std::fs::create_dir_all(&d)?;
            // The partition keys live in the path; Hive readers add them back as columns.
            let mut df = df.drop_many(["year"]);
            if name == "reports" {
                df = df.drop_many(["province"]);
            }
            atomic(&d.join(format!("part-{part}.parquet")), |w| {
                ParquetWriter::new(w).finish(&mut df)?;
                Ok(())
            })?;
            files += 1;
        }
    }
    Ok(files)
}

fn reports(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
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
        s("report_id", text(&|o| o.id.clone())),
        s("source", text(&source_of)),
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
        opt_s("issuer", meta(&|m| m.issuer.clone())),
        opt_s("region_code", place(&|p| p.code.clone())),
        opt_s("province", place(&|p| p.province.clone())),
        opt_s("city", place(&|p| p.city.clone())),
        opt_s("county", place(&|p| p.county.clone())),
        opt_s("level", place(&|p| p.level.key().to_owned())),
        Column::new(
            "synthetic".into(),
            outcomes
                .iter()
                .map(|o| region_code(o).is_some_and(|c| crate::regions::is_synthetic(&c)))
                .collect::<Vec<_>>(),
        ),
        Column::new("year".into(), years(outcomes)),
        opt_s("body", meta(&|m| m.body.map(|b| b.key().to_owned()))),
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
            "duplicate_of",
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
        opt_s("layout_disclosure", layout(TableKind::Disclosure)),
        opt_s("layout_requests", layout(TableKind::Requests)),
        opt_s(
            "layout_review_litigation",
            layout(TableKind::ReviewLitigation),
        ),
        s("status", text(&status)),
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

fn years(outcomes: &[&Outcome]) -> Vec<Option<i32>> {
    outcomes
        .iter()
        .map(|o| o.result.as_ref().ok().and_then(|p| p.report.meta.year))
        .collect()
}

/// Shares rounded to three decimals, so outputs do not carry float noise.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The region code of a parsed report, if resolved.
fn region_code(o: &Outcome) -> Option<String> {
    let p = o.result.as_ref().ok()?;
    p.report.meta.place.as_ref().map(|p| p.code.clone())
}

/// The exact value of a cell as text (`25.1`, `447228`), or null when it has none.
pub fn value_text(state: &CellState) -> Option<String> {
    state.number().map(|d| d.to_string())
}

fn cells(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
    // Columns are built in place (string views, no String per value): the cells frame of a
    // large batch has tens of millions of rows.
    let n: usize = outcomes
        .iter()
        .map(|o| o.result.as_ref().map_or(0, |p| p.report.cells.len()))
        .sum();
    let mut cols: Vec<StringChunkedBuilder> = CELLS_COLUMNS
        .iter()
        .map(|name| StringChunkedBuilder::new((*name).into(), n))
        .collect();
    let mut years: Vec<Option<i32>> = Vec::with_capacity(n);
    let mut value = String::new();
    let mut loc = String::new();
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        let code = region_code(o);
        let source = o.path.to_string_lossy();
        for c in &p.report.cells {
            value.clear();
            if let Some(d) = c.state.number() {
                use std::fmt::Write as _;
                let _ = write!(value, "{d}");
            }
            loc.clear();
            if let Some(l) = c.loc {
                l.push_to(&mut loc);
            }
            let row: [Option<&str>; 13] = [
                Some(&o.id),
                Some(&source),
                p.report.meta.issuer.as_deref(),
                code.as_deref(),
                None,
                Some(c.table.key()),
                Some(c.row),
                Some(c.col),
                c.state.number().map(|_| value.as_str()),
                Some(&c.raw),
                Some(c.state.key()),
                Some(c.layout.key()),
                Some(&loc),
            ];
            for (col, v) in cols.iter_mut().zip(row) {
                col.append_option(v);
            }
            years.push(p.report.meta.year);
        }
    }
    let columns = CELLS_COLUMNS
        .iter()
        .zip(cols)
        .map(|(name, b)| {
            if *name == "year" {
                Column::new((*name).into(), std::mem::take(&mut years))
            } else {
                b.finish().into_column()
            }
        })
        .collect();
    DataFrame::new(n, columns)
}

fn findings(outcomes: &[&Outcome]) -> PolarsResult<DataFrame> {
    let mut cols: Vec<Vec<String>> = vec![Vec::new(); 8];
    let mut codes: Vec<Option<String>> = Vec::new();
    let mut years: Vec<Option<i32>> = Vec::new();
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        for f in &p.findings {
            let row = [
                o.id.clone(),
                source_of(o),
                f.rule.to_owned(),
                f.severity.key().to_owned(),
                f.cells.join(";"),
                f.expected.clone(),
                f.actual.clone(),
                f.message(),
            ];
            for (col, v) in cols.iter_mut().zip(row) {
                col.push(v);
            }
            codes.push(region_code(o));
            years.push(p.report.meta.year);
        }
    }
    let n = codes.len();
    let mut columns: Vec<Column> = FINDINGS_COLUMNS
        .iter()
        .zip(cols)
        .map(|(name, v)| s(name, v))
        .collect();
    columns.push(opt_s("region_code", codes));
    columns.push(Column::new("year".into(), years));
    DataFrame::new(n, columns)
}

/// One row per parsed report that has this table; one Float64 column per canonical cell
/// (`{row}_{col}`), null unless the cell holds a number.
fn wide(outcomes: &[&Outcome], table: TableKind) -> PolarsResult<DataFrame> {
    let keys = table_keys(table);
    let mut ids = Vec::new();
    let mut sources = Vec::new();
    let mut layouts = Vec::new();
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::new(); keys.len()];
    let index: rustc_hash::FxHashMap<(&str, &str), usize> = keys
        .iter()
        .enumerate()
        .map(|(k, &(r, c))| ((r, c), k))
        .collect();
    let mut row: Vec<Option<f64>> = vec![None; keys.len()];
    for o in outcomes {
        let Ok(p) = &o.result else { continue };
        let Some(layout) = p.report.layout(table) else {
            continue;
        };
        ids.push(o.id.clone());
        sources.push(source_of(o));
        layouts.push(layout.key().to_owned());
        row.fill(None);
        // The first cell of a key wins, as a lookup by key would find it.
        for cell in p.report.cells.iter().rev().filter(|c| c.table == table) {
            if let Some(&k) = index.get(&(cell.row, cell.col)) {
                row[k] = cell.state.number().map(|d| d.to_f64());
            }
        }
        for (k, v) in row.iter().enumerate() {
            values[k].push(*v);
        }
    }
    let n = ids.len();
    let mut columns = vec![
        s("report_id", ids),
        s("source", sources),
        s("layout", layouts),
    ];
    for ((r, c), v) in keys.iter().zip(values) {
        columns.push(Column::new(format!("{r}_{c}").into(), v));
    }
    DataFrame::new(n, columns)
}

/// The file stems of the frames an ingest writes, in writing order.
pub fn names() -> Vec<String> {
    let mut n: Vec<String> = ["reports", "cells", "findings"].map(String::from).to_vec();
    n.extend(TableKind::ALL.iter().map(|t| format!("{}_wide", t.key())));
    n
}

/// Writes every frame into `dir` as `NAME.parquet` and `NAME.csv`. Each file is written to a
/// temporary name and renamed into place, so a killed run never leaves half a file.
pub fn write(frames: &mut Frames, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut named: Vec<(String, &mut DataFrame)> = vec![
        ("reports".into(), &mut frames.reports),
        ("cells".into(), &mut frames.cells),
        ("findings".into(), &mut frames.findings),
    ];
    for (t, df) in frames.wide.iter_mut() {
        named.push((format!("{}_wide", t.key()), df));
    }
    write_named(named, dir)
}

/// Writes named frames into `dir` as Parquet and CSV (UTF-8 with BOM), atomically.
pub fn write_named(
    named: Vec<(String, &mut DataFrame)>,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, df) in named {
        let csv = dir.join(format!("{name}.csv"));
        atomic(&csv, |f| {
            if !csv::write(df, f, true, csv::Threads::All)? {
                CsvWriter::new(f).include_bom(true).finish(df)?;
            }
            Ok(())
        })?;
        let pq = dir.join(format!("{name}.parquet"));
        atomic(&pq, |f| {
            ParquetWriter::new(f).finish(df)?;
            Ok(())
        })?;
        written.push(csv);
        written.push(pq);
    }
    Ok(written)
}

/// Writes a text file atomically.
pub fn write_text(path: &Path, text: &str) -> anyhow::Result<()> {
    atomic(path, |f| {
        f.write_all(text.as_bytes())?;
        Ok(())
    })
}

/// Reads a Parquet frame written by [`write_named`].
pub fn read_parquet(path: &Path) -> anyhow::Result<DataFrame> {
    let file = File::open(path).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}\nhint: run `gongkai ingest PATH --out DIR` first and pass that DIR",
            path.display()
        )
    })?;
    Ok(ParquetReader::new(file).finish()?)
}

fn atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    let file =
        File::create(&tmp).map_err(|e| anyhow::anyhow!("{}: cannot create: {e}", tmp.display()))?;
    let mut w = BufWriter::new(file);
    write(&mut w)?;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("{}: cannot rename into place: {e}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_column_names_are_unique() {
        for t in TableKind::ALL {
            let names: Vec<String> = table_keys(t)
                .iter()
                .map(|(r, c)| format!("{r}_{c}"))
                .collect();
            let mut d = names.clone();
            d.sort();
            d.dedup();
            assert_eq!(d.len(), names.len(), "{t:?}");
        }
    }
}
