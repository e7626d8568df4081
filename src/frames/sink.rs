//! The streaming writer: cells and wide tables appended chunk by chunk, CSV and Parquet, under
//! temporary names until the batch ends.

use super::*;

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

pub(super) struct SinkPart {
    pub(super) name: String,
    pub(super) csv: BufWriter<File>,
    pub(super) parquet: polars::io::parquet::write::BatchedWriter<BufWriter<File>>,
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

    /// Appends the rows of one chunk of outcomes (in batch order). `cells` is written on
    /// this thread and the wide frames beside it on another: the last chunk is written while
    /// nothing else runs.
    pub fn push(&mut self, outcomes: &[Outcome]) -> anyhow::Result<()> {
        let all: Vec<&Outcome> = outcomes.iter().collect();
        let (first, rest) = self
            .parts
            .split_first_mut()
            .ok_or_else(|| anyhow::anyhow!("no frames to write"))?;
        std::thread::scope(|scope| -> anyhow::Result<()> {
            let side = scope.spawn(|| -> anyhow::Result<()> {
                // `rest` holds the wide frames in `TableKind::ALL` order, as `create` made them.
                let frames = wides(&all, &TableKind::ALL)?;
                rest.iter_mut()
                    .zip(frames)
                    .try_for_each(|(p, df)| p.write(df))
            });
            let here = first.push(&all);
            let side = side
                .join()
                .map_err(|_| anyhow::anyhow!("the wide frames' writer panicked"))?;
            here.and(side)
        })?;
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

impl SinkPart {
    /// Appends one chunk's rows of `cells` to its CSV and Parquet files; its CSV is written
    /// in the same pass, its row group from its columns.
    fn push(&mut self, all: &[&Outcome]) -> anyhow::Result<()> {
        let chunk = cells_with(all, Some(&mut self.csv))?;
        let rows = chunk.rows();
        if rows > 0 {
            let mut file = self
                .parquet
                .get_writer()
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            rowgroup::write(&mut file, rows, chunk.parts())?;
        }
        Ok(())
    }

    /// Appends one chunk's rows of a wide frame to its CSV and Parquet files.
    fn write(&mut self, mut df: DataFrame) -> anyhow::Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        if !csv::write(&df, &mut self.csv, false, csv::Threads::Caller)? {
            CsvWriter::new(&mut self.csv)
                .include_header(false)
                .finish(&mut df)?;
        }
        let mut file = self
            .parquet
            .get_writer()
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        rowgroup::write_frame(&mut file, &df)?;
        Ok(())
    }
}
