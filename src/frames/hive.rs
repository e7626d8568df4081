//! Hive-partitioned Parquet (`hive/NAME/year=Y/province=P/part-N.parquet`).

use super::*;

/// Hive's name for a partition whose key is unknown.
pub(super) const HIVE_DEFAULT: &str = "__HIVE_DEFAULT_PARTITION__";

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
            let mut df = df.drop_many([cols::YEAR]);
            if name == "reports" {
                df = df.drop_many([cols::PROVINCE]);
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
