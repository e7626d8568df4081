//! The run job, the main one: ingest (the same streaming job `gongkai ingest` runs) → rank
//! on the frames just written → charts → `index.html` → `run.json`, all in a staging
//! directory renamed into place at the end: a run killed midway leaves the last good
//! outputs, and a second run on the same output directory stops at the start.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::batch::progress::Progress;
use crate::batch::{Batch, Options};
use crate::frames::{self, outdir::Staging};
use crate::render::charts::{self, Chart};
use crate::render::{html, view};
use crate::report::{Outcome, Summary};
use crate::score::{self, Model, Scored};

use super::ingest::{Inputs, ingest_into};
use super::rank::write_rankings;

/// One run: what to read, where to write, with which model and options.
pub struct Job<'a> {
    pub inputs: Inputs<'a>,
    /// The output directory (written through a staging directory beside it).
    pub out: &'a Path,
    pub model: &'a Model,
    pub opts: &'a Options<'a>,
    /// Also write Hive-partitioned Parquet.
    pub hive: bool,
    /// A preliminary run's outputs: the appeal round compares with them.
    pub baseline: Option<&'a Path>,
    /// Write a score card per issuer-year under `cards/`.
    pub cards: bool,
    /// Whatever else decides the outputs that the job does not hold (the chart font's
    /// file and hash): part of the fingerprint an unchanged rerun is known by.
    pub identity: String,
    /// A progress bar over the files found (gets their number).
    pub progress: &'a dyn Fn(usize) -> Progress,
}

/// What a finished run wrote and found.
#[derive(Debug)]
pub struct Done {
    /// The batch read (empty when the run was replayed: nothing was read).
    pub batch: Batch,
    pub summary: Summary,
    /// Each unreadable input: path, message, hint.
    pub failures: Vec<(String, String, Option<String>)>,
    /// Nothing changed since the last run into the same outputs: nothing was parsed or
    /// written, and the summary is the last run's.
    pub replayed: bool,
    /// The ranking's summary line.
    pub rank_line: String,
    /// A line when some report was revised since the last run.
    pub revised: Option<String>,
    pub charts: usize,
    pub seconds: f64,
}

/// Wall time of each stage, for `run.json` (never inside data files).
#[derive(Default)]
struct Timings(Vec<(&'static str, f64)>);

impl Timings {
    fn lap(&mut self, stage: &'static str, since: &mut Instant) {
        self.0.push((stage, since.elapsed().as_secs_f64()));
        *since = Instant::now();
    }
}

/// What decides this job's outputs, when it may be replayed: the cache is on (not
/// `--no-cache`) and no baseline is read (its directory may change under the same inputs).
fn fingerprint(job: &Job<'_>) -> Option<String> {
    if job.opts.cache.is_none() || job.baseline.is_some() {
        return None;
    }
    let batch = match job.inputs {
        Inputs::DefaultCorpus => format!("default corpus {}", crate::batch::cache::tool_id()),
        Inputs::Paths(paths) => crate::batch::fingerprint::fingerprint(paths, job.opts)?,
    };
    Some(format!(
        "{batch}|model {}|hive {}|cards {}|{}",
        job.model.hash, job.hive, job.cards, job.identity
    ))
}

/// Runs the job; see the module's documentation.
pub fn run(job: &Job<'_>) -> anyhow::Result<Done> {
    let started = Instant::now();
    let fp = fingerprint(job);
    if let Some(fp) = &fp
        && let Some(r) = super::replay::replay(job.out, fp)
    {
        tracing::info!("inputs, model and outputs unchanged since the last run: nothing to do");
        return Ok(Done {
            batch: Batch::default(),
            summary: super::replay::summary_of(&r),
            failures: r.failures,
            replayed: true,
            rank_line: r.rank_line,
            revised: None,
            charts: r.charts,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let staging = Staging::begin(job.out)?;
    let out = staging.path();
    let mut t = Timings::default();
    let mut lap = Instant::now();
    // The page shows each issuer's latest report whole: keep whole reports.
    let opts = Options {
        whole: true,
        ..*job.opts
    };
    let ingested = ingest_into(job.inputs, &opts, out, job.out, job.hive, job.progress)?;
    let (batch, mut written, revised) = (ingested.batch, ingested.written, ingested.revised);
    t.lap("ingest", &mut lap);
    // Scoring reads the frames just written, as `gongkai rank` on this directory would.
    // The three read side by side: `cells` (millions of rows) is most of it.
    let (cells, (reports, findings)) = rayon::join(
        || super::rank::read_cells(out),
        || {
            rayon::join(
                || frames::read_parquet(&out.join("reports.parquet")),
                || frames::read_parquet(&out.join("findings.parquet")),
            )
        },
    );
    let (reports, cells, findings) = (reports?, cells?, findings?);
    t.lap("frames", &mut lap);
    tracing::debug!("frames read for scoring");
    let mut scored = score::score(job.model, &reports, &cells, Some(&findings))?;
    drop((reports, cells, findings));
    if let Some(b) = job.baseline {
        super::rank::attach_appeal(&mut scored.outputs, b, out)?;
    }
    t.lap("rank", &mut lap);
    // The rankings' files (the workbook the slowest, on one thread) and the charts, page and
    // cards read the same scores and write different files: written side by side. The
    // frames are shared, not copied (polars columns are reference-counted).
    let mut outputs = scored.outputs.clone();
    let inputs = inputs_text(job);
    let pages = Pages {
        model: job.model,
        cards: job.cards,
        inputs: &inputs,
    };
    let (rank_line, report) = rayon::join(
        || write_rankings(job.model, &mut outputs, out),
        || pages.write(&scored, &batch.outcomes, out),
    );
    let rank_line = rank_line?;
    let (figures, charts_s, report_written) = report?;
    written.extend(report_written);
    t.0.push(("charts", charts_s));
    t.lap("report", &mut lap);
    t.0.push(("total", started.elapsed().as_secs_f64()));
    let run_json = out.join("run.json");
    let info = run_info(
        job.model,
        &batch.outcomes,
        &scored,
        &t,
        &written,
        out,
        &inputs,
    );
    frames::write_text(&run_json, &serde_json::to_string_pretty(&info)?)?;
    tracing::debug!("run.json written");
    // A run that revised reports is not replayed: the next one writes empty revisions.
    if let (Some(fp), None) = (&fp, &revised) {
        super::replay::write(out, fp, &batch.outcomes, &rank_line, figures.len())?;
    }
    staging.commit()?;
    tracing::debug!("outputs in place");
    let summary = Summary::of(&batch.outcomes);
    let failures = super::replay::failure_lines(&batch.outcomes);
    Ok(Done {
        summary,
        failures,
        replayed: false,
        batch,
        rank_line,
        revised,
        charts: figures.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The inputs as the page and `run.json` name them.
fn inputs_text(job: &Job<'_>) -> String {
    match job.inputs {
        Inputs::DefaultCorpus => "默认语料 default corpus (data/corpus/real + 示例省)".to_owned(),
        Inputs::Paths(paths) => paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A figure with its SVG text.
type Drawn = (view::Figure, String);

/// What the charts, `index.html` and the score cards are written with, besides the scores.
struct Pages<'a> {
    model: &'a Model,
    cards: bool,
    inputs: &'a str,
}

impl Pages<'_> {
    /// Writes the charts, `index.html` and the score cards; returns the figures, the charts'
    /// seconds and the files written, in the order `run.json` lists them.
    fn write(
        &self,
        scored: &Scored,
        outcomes: &[Outcome],
        out: &Path,
    ) -> anyhow::Result<(Vec<Drawn>, f64, Vec<PathBuf>)> {
        let mut written = Vec::new();
        let started = Instant::now();
        let figures = draw_charts(self.model, scored, outcomes, out, &mut written)?;
        let charts_s = started.elapsed().as_secs_f64();
        let page_input = html::Page {
            model: self.model,
            scored,
            outcomes,
            figures: &figures,
            version: env!("CARGO_PKG_VERSION"),
            inputs: self.inputs,
            cards: self.cards,
        };
        let page = html::page(&page_input);
        tracing::debug!("charts drawn, page built");
        let index = out.join("index.html");
        // The page (27 MB on 10,002 reports) is written beside the cards, in another
        // directory: written after them, it and run.json took the last 0.06 s of one m10k run
        // on one thread.
        std::thread::scope(|scope| -> anyhow::Result<()> {
            let page_written = scope.spawn(|| frames::write_text(&index, &page));
            if self.cards {
                self.write_cards(&page_input, out, &mut written)?;
            }
            page_written
                .join()
                .map_err(|_| anyhow::anyhow!("the page's writer panicked"))?
        })?;
        written.push(index);
        Ok((figures, charts_s, written))
    }

    /// Writes the score cards under `out/cards/`.
    fn write_cards(
        &self,
        page_input: &html::Page,
        out: &Path,
        written: &mut Vec<PathBuf>,
    ) -> anyhow::Result<()> {
        let dir = out.join("cards");
        std::fs::create_dir_all(&dir)?;
        let cards = html::cards(page_input);
        tracing::debug!(cards = cards.len(), "cards built");
        // Written on this one thread while the rankings' files are written beside (see
        // `run`): two threads creating files in one directory contend for its lock
        // (`rwsem_spin_on_owner` in `perf`), and one was no slower (report stage
        // 1.23-1.35 s against 1.31-1.39 s, three alternating runs). The staging directory goes
        // into place whole (`staging.commit`), so a card needs no temporary name and
        // rename of its own: half the directory operations for ten thousand files.
        for (name, text) in cards {
            let path = dir.join(name);
            std::fs::write(&path, &text)
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", path.display()))?;
            written.push(path);
        }
        tracing::debug!("cards written");
        Ok(())
    }
}

/// Draws every figure as SVG and PNG under `out/charts/`; returns each with its SVG text.
fn draw_charts(
    model: &Model,
    scored: &Scored,
    outcomes: &[Outcome],
    out: &Path,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<Vec<Drawn>> {
    let dir = out.join("charts");
    std::fs::create_dir_all(&dir)?;
    let figures = view::figures(model, scored, outcomes);
    let drawn: Vec<anyhow::Result<(view::Figure, String)>> = figures
        .into_par_iter()
        .map(|f| {
            let svg =
                charts::to_svg(&f.chart).map_err(|e| anyhow::anyhow!("chart {}: {e}", f.id))?;
            let png = dir.join(format!("{}.png", f.id));
            charts::to_png(&f.chart, &png).map_err(|e| anyhow::anyhow!("chart {}: {e}", f.id))?;
            frames::write_text(&dir.join(format!("{}.svg", f.id)), &svg)?;
            Ok((f, svg))
        })
        .collect();
    let figures = drawn.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    for (f, _) in &figures {
        written.push(dir.join(format!("{}.svg", f.id)));
        written.push(dir.join(format!("{}.png", f.id)));
    }
    debug_assert!(figures.iter().all(|(f, _)| f.chart.size().0 > 0));
    Ok(figures)
}

/// `run.json`: what was read, parsed and failed (with reasons), findings by rule, rankings,
/// timings, versions and the model hash. The one output that carries timings.
fn run_info(
    model: &Model,
    outcomes: &[Outcome],
    scored: &Scored,
    t: &Timings,
    written: &[PathBuf],
    out: &Path,
    inputs: &str,
) -> serde_json::Value {
    use serde_json::json;
    let s = Summary::of(outcomes);
    let mut by_rule: std::collections::BTreeMap<
        String,
        serde_json::Map<String, serde_json::Value>,
    > = Default::default();
    let mut status: std::collections::BTreeMap<&str, usize> = Default::default();
    for o in outcomes {
        let key = match &o.result {
            Err(_) => "failed",
            Ok(p) if p.report.tables.iter().all(|t| t.layout.is_some()) => "parsed",
            Ok(p) if p.report.tables.iter().any(|t| t.layout.is_some()) => "partial",
            Ok(_) => "no_tables",
        };
        *status.entry(key).or_default() += 1;
        if let Ok(p) = &o.result {
            for f in &p.findings {
                let e = by_rule.entry(f.rule.to_owned()).or_default();
                e.insert("severity".into(), json!(f.severity.key()));
                let n = e.get("count").and_then(|v| v.as_u64()).unwrap_or(0);
                e.insert("count".into(), json!(n + 1));
            }
        }
    }
    let failures: Vec<serde_json::Value> = outcomes
        .iter()
        .filter_map(|o| {
            o.result.as_ref().err().map(|f| {
                json!({
                    "source": o.path.to_string_lossy(),
                    "stage": f.stage,
                    "kind": f.kind,
                    "message": f.message,
                    "hint": f.hint,
                })
            })
        })
        .collect();
    let ranked = scored
        .ranking
        .ranked
        .iter()
        .filter(|r| r.rank.is_some())
        .count();
    let rel = |p: &PathBuf| {
        p.strip_prefix(out)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    json!({
        "tool": {"name": "gongkai", "version": env!("CARGO_PKG_VERSION")},
        "model": {"name": model.name, "version": model.version, "hash": model.hash},
        "inputs": inputs,
        "files": {
            "seen": s.seen,
            "parsed": s.parsed,
            "failed": s.failed,
            "by_status": status,
        },
        "failures": failures,
        "findings": {
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            "by_rule": by_rule,
        },
        "scoring": {
            "issuer_years": scored.units.len(),
            "ranked_places": ranked,
            "latest_year": view::latest_year(scored),
        },
        "timings_s": t.0.iter().map(|(k, v)| ((*k).to_owned(), json!((v * 1000.0).round() / 1000.0))).collect::<serde_json::Map<_, _>>(),
        "outputs": written.iter().map(rel).collect::<Vec<_>>(),
    })
}
