//! `--manifest FILE.csv`: issuer, region code and year for files that say too little about
//! themselves. Columns `path, issuer, region_code, year` (a header row; empty fields leave
//! what the report says). A row's path matches a file whose path ends with it.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub path: PathBuf,
    pub issuer: Option<String>,
    pub region_code: Option<String>,
    pub year: Option<i32>,
    /// Line in the manifest, for messages.
    pub line: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Manifest {
    pub rows: Vec<Row>,
}

impl Manifest {
    /// Reads a manifest; a malformed one is an error naming the line and what is wrong.
    pub fn load(path: &Path) -> anyhow::Result<Manifest> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .with_context(|| format!("{}: cannot read manifest", path.display()))?;
        let headers: Vec<String> = rdr
            .headers()
            .with_context(|| format!("{}: no header row", path.display()))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let Some(path_col) = col("path") else {
            bail!(
                "{}: line 1: no `path` column (expected path, issuer, region_code, year)",
                path.display()
            );
        };
        let (issuer, code, year) = (col("issuer"), col("region_code"), col("year"));
        let mut rows = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.with_context(|| format!("{}: line {line}", path.display()))?;
            let get = |c: Option<usize>| {
                c.and_then(|c| rec.get(c))
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            };
            let Some(p) = get(Some(path_col)) else {
                bail!("{}: line {line}: empty path", path.display());
            };
            let year = match get(year) {
                Some(y) => Some(
                    y.trim_end_matches('年')
                        .parse::<i32>()
                        .ok()
                        .filter(|y| (2000..=2099).contains(y))
                        .with_context(|| {
                            format!(
                                "{}: line {line}: year {y:?} is not a year like 2024",
                                path.display()
                            )
                        })?,
                ),
                None => None,
            };
            let region_code = get(code);
            if let Some(c) = &region_code
                && (c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()))
            {
                bail!(
                    "{}: line {line}: region_code {c:?} is not a six-digit GB/T 2260 code",
                    path.display()
                );
            }
            rows.push(Row {
                path: PathBuf::from(p),
                issuer: get(issuer),
                region_code,
                year,
                line,
            });
        }
        Ok(Manifest { rows })
    }

    /// The row for a file, if any (the longest matching path wins).
    pub fn row_for(&self, file: &Path) -> Option<&Row> {
        self.rows
            .iter()
            .filter(|r| file.ends_with(&r.path))
            .max_by_key(|r| r.path.components().count())
    }

    /// Rows that match none of `files`.
    pub fn unmatched<'a>(&'a self, files: &[PathBuf]) -> Vec<&'a Row> {
        self.rows
            .iter()
            .filter(|r| !files.iter().any(|f| f.ends_with(&r.path)))
            .collect()
    }
}
