//! Columnar frames (polars) from a batch of outcomes, written as Parquet and as CSV with a
//! UTF-8 BOM (so Excel opens Chinese correctly).
//!
//! Frames: `reports` (one row per input file, parsed or not), `cells` (long; the contract
//! other tools read, columns fixed by [`CELLS_COLUMNS`]), `findings`, and one wide frame per
//! table. Rows follow the outcomes' order (sorted by path), so the same inputs give
//! byte-identical files.

mod codebook;
mod columns;
mod dict_keys;
mod hive;
mod rowgroup;
mod sink;

pub use codebook::{CODEBOOK_COLUMNS, codebook};
pub use columns::value_text;
use columns::*;
pub use hive::{write_hive, write_hive_parts};
pub use sink::CellSink;

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
use crate::template::{TableKind, table_keys};

/// Column names more than one module reads or writes (the `cells` ones are a contract).
pub mod cols {
    pub const REPORT_ID: &str = "report_id";
    pub const SOURCE: &str = "source";
    pub const ISSUER: &str = "issuer";
    pub const REGION_CODE: &str = "region_code";
    pub const YEAR: &str = "year";
    pub const TABLE: &str = "table";
    pub const ROW: &str = "row";
    pub const COL: &str = "col";
    pub const VALUE: &str = "value";
    pub const RAW: &str = "raw";
    pub const STATE: &str = "state";
    pub const LAYOUT: &str = "layout";
    pub const LOCATION: &str = "location";
    pub const PROVINCE: &str = "province";
    pub const CITY: &str = "city";
    pub const LEVEL: &str = "level";
    pub const BODY: &str = "body";
    pub const DUPLICATE_OF: &str = "duplicate_of";
    pub const LAYOUT_DISCLOSURE: &str = "layout_disclosure";
    pub const LAYOUT_REQUESTS: &str = "layout_requests";
    pub const LAYOUT_REVIEW_LITIGATION: &str = "layout_review_litigation";
    pub const PROCESSING_FEE_YUAN: &str = "processing_fee_yuan";
    pub const REUSE_PREVIOUS: &str = "reuse_previous";
    pub const RULE: &str = "rule";
    pub const SEVERITY: &str = "severity";
    pub const STATUS: &str = "status";
}

/// `cells.csv` columns, in order. A contract: other tools and checks read them.
pub const CELLS_COLUMNS: [&str; 13] = [
    cols::REPORT_ID,
    cols::SOURCE,
    cols::ISSUER,
    cols::REGION_CODE,
    cols::YEAR,
    cols::TABLE,
    cols::ROW,
    cols::COL,
    cols::VALUE,
    cols::RAW,
    cols::STATE,
    cols::LAYOUT,
    cols::LOCATION,
];

/// `findings.csv` columns, in order (the first eight are the contract of issue 2; region
/// and year follow).
pub const FINDINGS_COLUMNS: [&str; 10] = [
    cols::REPORT_ID,
    cols::SOURCE,
    "rule",
    "severity",
    "cells",
    "expected",
    "actual",
    "message",
    cols::REGION_CODE,
    cols::YEAR,
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

pub fn build(outcomes: &[Outcome]) -> PolarsResult<Frames> {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    build_from(&all)
}

/// The frames with a row per report or finding (`reports`, `findings`); a streaming batch
/// wrote the others chunk by chunk ([`CellSink`]).
pub fn build_reports(outcomes: &[Outcome]) -> PolarsResult<(DataFrame, DataFrame)> {
    let all: Vec<&Outcome> = outcomes.iter().collect();
    let (r, f) = rayon::join(|| reports(&all), || findings(&all));
    Ok((r?, f?))
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

/// Writes named frames into `dir` as Parquet and CSV (UTF-8 with BOM), atomically; the
/// frames side by side.
pub fn write_named(
    named: Vec<(String, &mut DataFrame)>,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let written: Vec<anyhow::Result<[PathBuf; 2]>> = named
        .into_par_iter()
        .map(|(name, df)| {
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
            Ok([csv, pq])
        })
        .collect();
    let mut out = Vec::new();
    for w in written {
        out.extend(w?);
    }
    Ok(out)
}

/// Writes a text file atomically.
pub fn write_text(path: &Path, text: &str) -> anyhow::Result<()> {
    atomic(path, |f| {
        f.write_all(text.as_bytes())?;
        Ok(())
    })
}

/// Reads a Parquet frame written by [`write_named`], or the directory of part files Spark
/// writes in its place.
pub fn read_parquet(path: &Path) -> anyhow::Result<DataFrame> {
    read_parquet_columns(path, None)
}

/// [`read_parquet`] of only the named columns (all when `None`), in the frame's own order:
/// the scorer needs six of `cells`' thirteen (`gongkai rank` of 10,002 reports' frames took
/// 248–260 k page faults reading all of them, 196–205 k reading the six).
pub fn read_parquet_columns(path: &Path, columns: Option<&[&str]>) -> anyhow::Result<DataFrame> {
    let reader = |file: File| {
        ParquetReader::new(file)
            .with_columns(columns.map(|c| c.iter().map(|s| (*s).to_owned()).collect()))
    };
    // A directory of part files in place of `NAME.parquet` (what Spark writes for NAME): the
    // parts in name order, stacked.
    let parts = path.with_extension("");
    if !path.exists() && parts.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&parts)?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        files.sort();
        let mut all: Option<DataFrame> = None;
        for f in &files {
            let df = reader(File::open(f)?).finish()?;
            match &mut all {
                None => all = Some(df),
                Some(a) => {
                    a.vstack_mut_owned(df)?;
                }
            }
        }
        return all.ok_or_else(|| anyhow::anyhow!("{}: no Parquet parts", parts.display()));
    }
    let file = File::open(path).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}\nhint: run `gongkai ingest PATH --out DIR` first and pass that DIR",
            path.display()
        )
    })?;
    Ok(reader(file).finish()?)
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
