//! `gongkai._gongkai`, the extension module under the `gongkai` Python package. Frames cross
//! into Python through the Arrow C stream interface (`__arrow_c_stream__`), never as CSV or
//! per-row objects; parsing runs with the GIL released. The Python layer
//! (`python/gongkai/__init__.py`) wraps these in polars frames and exceptions.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use gongkai::report::Outcome;
use polars::prelude::*;
use polars_arrow::array::{Array, StructArray};
use polars_arrow::datatypes::{ArrowDataType, Field as ArrowField};
use polars_arrow::ffi::{ArrowArrayStream, export_iterator};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// One frame, readable by any Arrow consumer (pyarrow, polars, DuckDB, pandas).
#[pyclass(frozen, module = "gongkai._gongkai")]
struct Frame {
    df: DataFrame,
}

/// The stream a capsule holds; moved out by the consumer, released on drop otherwise.
#[repr(transparent)]
struct Stream(ArrowArrayStream);

// SAFETY: the stream's private data is owned (an iterator over owned arrays) and is used by
// one consumer at a time, as the C stream interface requires.
unsafe impl Send for Stream {}

fn export(df: &DataFrame) -> PolarsResult<ArrowArrayStream> {
    let mut df = df.clone();
    df.rechunk_mut_par();
    // Large strings, not views: every Arrow consumer reads them.
    let compat = CompatLevel::oldest();
    let fields: Vec<ArrowField> = df
        .columns()
        .iter()
        .map(|c| c.field().to_arrow(compat))
        .collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches: Vec<PolarsResult<Box<dyn Array>>> = df
        .iter_chunks(compat, false)
        .map(|rb| {
            let height = rb.height();
            Ok(StructArray::new(dtype.clone(), height, rb.into_arrays(), None).boxed())
        })
        .collect();
    Ok(export_iterator(
        Box::new(batches.into_iter()),
        ArrowField::new("".into(), dtype, false),
    ))
}

fn value_error(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

#[pymethods]
impl Frame {
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        // The schema is the frame's own; a consumer casts if it asked for another.
        let _ = requested_schema;
        let stream = export(&self.df).map_err(value_error)?;
        let name = CString::new("arrow_array_stream").expect("no NUL");
        PyCapsule::new_with_destructor(py, Stream(stream), Some(name), |s, _| drop(s))
    }

    fn __len__(&self) -> usize {
        self.df.height()
    }

    #[getter]
    fn columns(&self) -> Vec<String> {
        self.df
            .get_column_names()
            .iter()
            .map(|s| s.to_string())
            .collect()
    }
}

fn frame(df: DataFrame) -> Frame {
    Frame { df }
}

/// What a read or an ingest gave: outcomes held in Rust, their frames on request.
#[pyclass(frozen, module = "gongkai._gongkai")]
struct Outcomes {
    outcomes: Vec<Outcome>,
}

#[pymethods]
impl Outcomes {
    /// The frames an ingest writes: reports, cells, findings and the wide tables.
    fn frames(&self, py: Python<'_>) -> PyResult<Vec<(String, Frame)>> {
        let f = py
            .detach(|| gongkai::frames::build(&self.outcomes))
            .map_err(value_error)?;
        let mut out = vec![
            ("reports".to_owned(), frame(f.reports)),
            ("cells".to_owned(), frame(f.cells)),
            ("findings".to_owned(), frame(f.findings)),
        ];
        for (t, df) in f.wide {
            out.push((format!("{}_wide", t.key()), frame(df)));
        }
        Ok(out)
    }

    /// Per outcome: report id, source, and either the metadata (JSON) or the failure as
    /// (stage, kind, message, hint).
    #[allow(clippy::type_complexity)]
    fn results(
        &self,
    ) -> PyResult<
        Vec<(
            String,
            String,
            Option<String>,
            Option<(String, String, String, Option<String>)>,
        )>,
    > {
        self.outcomes
            .iter()
            .map(|o| {
                let source = o.path.to_string_lossy().into_owned();
                Ok(match &o.result {
                    Ok(p) => {
                        let mut meta = serde_json::to_value(&p.report.meta).map_err(value_error)?;
                        let layouts: serde_json::Map<String, serde_json::Value> = p
                            .report
                            .tables
                            .iter()
                            .map(|t| (t.table.key().to_owned(), t.layout.map(|l| l.key()).into()))
                            .collect();
                        meta["layouts"] = layouts.into();
                        (o.id.clone(), source, Some(meta.to_string()), None)
                    }
                    Err(f) => (
                        o.id.clone(),
                        source,
                        None,
                        Some((
                            f.stage.key().to_owned(),
                            f.kind.key().to_owned(),
                            f.message.clone(),
                            f.hint.clone(),
                        )),
                    ),
                })
            })
            .collect()
    }

    /// Scores and ranks these outcomes' issuers with a model (TOML text; the default model
    /// when `None`): rankings, scores, sensitivity and the panel.
    #[pyo3(signature = (model=None))]
    fn rank(&self, py: Python<'_>, model: Option<String>) -> PyResult<Vec<(String, Frame)>> {
        let model = match model {
            None => gongkai::score::Model::default_model(),
            Some(text) => gongkai::score::Model::parse(&text).map_err(value_error)?,
        };
        let o = py
            .detach(|| -> anyhow_like::Result<_> {
                let f = gongkai::frames::build(&self.outcomes).map_err(|e| e.to_string())?;
                gongkai::score::score_frames(&model, &f.reports, &f.cells, Some(&f.findings))
                    .map_err(|e| e.to_string())
            })
            .map_err(value_error)?;
        Ok(vec![
            ("rankings".to_owned(), frame(o.rankings)),
            ("scores".to_owned(), frame(o.scores)),
            ("sensitivity".to_owned(), frame(o.sensitivity)),
            ("panel".to_owned(), frame(o.panel)),
        ])
    }

    fn __len__(&self) -> usize {
        self.outcomes.len()
    }

    /// Per outcome: (report id, slim bytes) for the rules across reports run elsewhere
    /// ([`across`]): what a Spark executor hands to the driver.
    fn slim<'py>(&self, py: Python<'py>) -> Vec<(String, Bound<'py, pyo3::types::PyBytes>)> {
        self.outcomes
            .iter()
            .map(|o| {
                let b = gongkai::batch::remote::slim_bytes(o);
                (o.id.clone(), pyo3::types::PyBytes::new(py, &b))
            })
            .collect()
    }
}

/// The rules across reports (D1, X1, X2, R1, R2) over slim outcomes gathered from anywhere
/// (`Outcomes.slim`): outcomes with only those findings and their batch columns set.
#[pyfunction]
fn across(py: Python<'_>, blobs: Vec<Vec<u8>>) -> PyResult<Outcomes> {
    let outcomes = py
        .detach(|| {
            let refs: Vec<&[u8]> = blobs.iter().map(Vec::as_slice).collect();
            gongkai::batch::remote::across(&refs)
        })
        .map_err(value_error)?;
    Ok(Outcomes { outcomes })
}

/// Errors as strings across the GIL boundary.
mod anyhow_like {
    pub type Result<T> = std::result::Result<T, String>;
}

/// Every report one file holds (or its error row), from a path or from bytes with a name.
#[pyfunction]
#[pyo3(signature = (path=None, data=None, name=None))]
fn read(
    py: Python<'_>,
    path: Option<PathBuf>,
    data: Option<Vec<u8>>,
    name: Option<String>,
) -> PyResult<Outcomes> {
    let outcomes = match (path, data) {
        (Some(p), None) => py.detach(|| gongkai::read_file(&p)),
        (None, Some(bytes)) => {
            let name = name.unwrap_or_else(|| "report".to_owned());
            py.detach(|| gongkai::read_bytes(Path::new(&name), &bytes))
        }
        _ => return Err(PyValueError::new_err("give a path or bytes")),
    };
    Ok(Outcomes { outcomes })
}

/// Every report of many files given as (name, bytes), in order: what a Spark executor reads
/// per Arrow batch (one call and one set of frames per batch, not per file), the files
/// parsed in parallel with the GIL released.
#[pyfunction]
fn read_many(py: Python<'_>, files: Vec<(String, Vec<u8>)>) -> Outcomes {
    use rayon::prelude::*;
    let outcomes = py.detach(|| {
        files
            .par_iter()
            .map(|(name, bytes)| gongkai::read_bytes(Path::new(name), bytes))
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    });
    Outcomes { outcomes }
}

/// Every file under `paths` (directories recursively), in parallel, with the rules across
/// reports applied: what `gongkai ingest` reads, under the same caps (`None`: the CLI's
/// defaults; `time_limit` in seconds, 0 for none).
#[pyfunction]
#[pyo3(signature = (paths, max_file_bytes=None, max_unzipped_bytes=None, max_cells=None, max_nesting=None, time_limit=None))]
fn ingest(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    max_file_bytes: Option<u64>,
    max_unzipped_bytes: Option<u64>,
    max_cells: Option<usize>,
    max_nesting: Option<usize>,
    time_limit: Option<f64>,
) -> Outcomes {
    let mut limits = gongkai::source::Limits::default();
    limits.file_bytes = max_file_bytes.unwrap_or(limits.file_bytes);
    limits.unzipped_bytes = max_unzipped_bytes.unwrap_or(limits.unzipped_bytes);
    limits.sheet_cells = max_cells.unwrap_or(limits.sheet_cells);
    limits.nesting = max_nesting.unwrap_or(limits.nesting);
    if let Some(s) = time_limit {
        limits.millis = (s * 1000.0).max(0.0) as u64;
    }
    let opts = gongkai::batch::Options {
        limits,
        ..Default::default()
    };
    let hidden = |_| gongkai::batch::progress::Progress::hidden();
    let batch = py.detach(|| gongkai::batch::ingest_with(&paths, &opts, &hidden));
    Outcomes {
        outcomes: batch.outcomes,
    }
}

/// The codebook (see `gongkai codebook`).
#[pyfunction]
fn codebook() -> PyResult<Frame> {
    Ok(frame(gongkai::frames::codebook().map_err(value_error)?))
}

#[pymodule]
fn _gongkai(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Frame>()?;
    m.add_class::<Outcomes>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(ingest, m)?)?;
    m.add_function(wrap_pyfunction!(across, m)?)?;
    m.add_function(wrap_pyfunction!(read_many, m)?)?;
    m.add_function(wrap_pyfunction!(codebook, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
