//! `gongkai run [PATH...] [--out DIR] [--model FILE] [--font FILE]`: the main job. Discover →
//! ingest → validate → frames → score → rank → charts → report, in one command. With no PATH
//! it runs on the default corpus ([`crate::corpus`]): the real development reports and a
//! synthetic province.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;

use crate::frames;
use crate::pipeline::{self, Batch, Outcome, Summary};
use crate::progress::Progress;
use crate::render::charts::{self, Chart};
use crate::render::{font, html, view};
use crate::score::{self, Model, Scored};

use super::{BatchArgs, exit, report_failures, report_unmatched, say};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories; none means the default corpus (real reports and 示例省).
    pub paths: Vec<PathBuf>,

    /// Directory for the outputs.
    #[arg(long, short, default_value = "reports")]
    pub out: PathBuf,

    /// Scoring model (TOML); default: the embedded `data/scoring.toml`.
    #[arg(long)]
    pub model: Option<PathBuf>,

    /// Font for the charts (.otf or .ttf); default: the embedded Noto Sans CJK SC subset.
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Processes the default corpus in parallel, as a directory run would.
pub fn default_corpus(opts: &pipeline::Options<'_>, progress: &dyn Fn(usize) -> Progress) -> Batch {
    let inputs = crate::corpus::inputs();
    let bar = progress(inputs.len());
    let outcomes = inputs
        .par_iter()
        .flat_map_iter(|(path, bytes)| {
            let o = pipeline::process_cached(path, bytes, None, opts);
            bar.tick();
            o
        })
        .collect();
    bar.finish();
    pipeline::finish(outcomes, Vec::new())
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

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if args.paths.is_empty() && (args.batch.shard.is_some() || args.batch.manifest.is_some()) {
        eprintln!(
            "gongkai: run without PATH reads the default corpus; --shard and --manifest apply to PATHs\n  hint: name the files or directories to read"
        );
        return Ok(ExitCode::from(exit::USAGE));
    }
    let manifest = args.batch.manifest()?;
    let model = match super::rank::load_model(args.model.as_deref()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    if let Err(e) = font::install(args.font.as_deref()) {
        eprintln!("gongkai: {e}");
        return Ok(ExitCode::from(exit::USAGE));
    }
    // Everything is written beside `out` and renamed into place at the end: a run killed
    // midway leaves the last good outputs; a second run on `out` stops here.
    let staging = crate::outdir::Staging::begin(&args.out)?;
    let quiet = args.batch.quiet;
    let progress = |n| Progress::new("ingest", n, quiet);
    let mut t = Timings::default();
    let mut lap = Instant::now();
    let cache = args.batch.cache(&args.out, &model.hash);
    let workers = args.batch.workers();
    let opts = args
        .batch
        .options(manifest.as_ref(), cache.as_ref(), workers.as_ref());
    let batch = if args.paths.is_empty() {
        default_corpus(&opts, &progress)
    } else {
        pipeline::ingest_with(&args.paths, &opts, &progress)
    };
    super::log_cache(cache.as_ref());
    t.lap("ingest", &mut lap);
    let out = staging.path();
    let mut f = frames::build(&batch.outcomes)?;
    t.lap("frames", &mut lap);
    // Writing the frames and scoring read the same frames and nothing of each other: they
    // go side by side (the frames are shared, not copied).
    let (reports, cells) = (f.reports.clone(), f.cells.clone());
    let (wrote, ranked) = rayon::join(
        || -> anyhow::Result<_> {
            let started = Instant::now();
            let written = frames::write(&mut f, out)?;
            let revised = super::write_revisions(&args.out, out)?;
            if args.batch.hive {
                frames::write_hive(&batch.outcomes, out)?;
            }
            Ok((written, revised, started.elapsed().as_secs_f64()))
        },
        || -> anyhow::Result<_> {
            let started = Instant::now();
            let mut scored = score::score(&model, &reports, &cells)?;
            let line = super::rank::write_rankings(&model, &mut scored.outputs, out)?;
            Ok((scored, line, started.elapsed().as_secs_f64()))
        },
    );
    let (mut written, revised, write_s) = wrote?;
    let (scored, rank_line, rank_s) = ranked?;
    t.lap("write_and_rank", &mut lap);
    // Each side's own time, for who wants to know which side the stage waited for.
    t.0.push(("write", write_s));
    t.0.push(("rank", rank_s));
    let figures = draw_charts(&model, &scored, &batch.outcomes, out, &mut written)?;
    t.lap("charts", &mut lap);
    let inputs = if args.paths.is_empty() {
        "默认语料 default corpus (data/corpus/real + 示例省)".to_owned()
    } else {
        args.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let page = html::page(&html::Page {
        model: &model,
        scored: &scored,
        outcomes: &batch.outcomes,
        figures: &figures,
        version: env!("CARGO_PKG_VERSION"),
        inputs: &inputs,
    });
    let index = out.join("index.html");
    frames::write_text(&index, &page)?;
    written.push(index);
    t.lap("report", &mut lap);
    t.0.push(("total", started.elapsed().as_secs_f64()));
    let run_json = out.join("run.json");
    let info = run_info(&model, &batch.outcomes, &scored, &t, &written, out, &inputs);
    frames::write_text(&run_json, &serde_json::to_string_pretty(&info)?)?;
    staging.commit()?;
    let out = &args.out;
    report_failures(&batch.outcomes);
    report_unmatched(&batch);
    let code = super::batch_code(&batch.outcomes, args.batch.fail_on);
    if args.batch.json {
        say(&super::json_summary(&batch.outcomes, out, code))?;
    } else if !quiet {
        say(&format!(
            "{}; outputs in {}",
            Summary::of(&batch.outcomes),
            out.display()
        ))?;
        say(&rank_line)?;
        if let Some(line) = revised {
            say(&line)?;
        }
        say(&format!(
            "{} charts, report {} ({:.1} s)",
            figures.len(),
            out.join("index.html").display(),
            started.elapsed().as_secs_f64()
        ))?;
    }
    Ok(ExitCode::from(code))
}

/// Draws every figure as SVG and PNG under `out/charts/`; returns each with its SVG text.
fn draw_charts(
    model: &Model,
    scored: &Scored,
    outcomes: &[Outcome],
    out: &Path,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<Vec<(view::Figure, String)>> {
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
