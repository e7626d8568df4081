//! The command layer: argument types (clap derive) and one file per subcommand, each with
//! `Args` and `run(&Args) -> anyhow::Result<ExitCode>`. Flags are documented where defined.

mod codebook;
mod ingest;
mod merge;
mod rank;
mod run;
mod show;
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::Batch;
use crate::batch::cache::Cache;
use crate::batch::manifest::Manifest;
use crate::report::{Outcome, Summary};
use crate::source::Limits;

/// Exit codes, for schedulers.
pub mod exit {
    /// Every input read; no finding at or above `--fail-on`.
    pub const OK: u8 = 0;
    /// Some finding at or above `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Usage or configuration error (clap's own code).
    pub const USAGE: u8 = 2;
    /// Some inputs could not be read (each has an error row in `reports`).
    pub const UNREADABLE: u8 = 3;
    /// The run itself failed: an output not writable, a full disk, a lock held by another
    /// run, a frame that could not be written.
    pub const RUNTIME: u8 = 4;
}

/// A usage or configuration error (exit code 2), as opposed to a failure of the run itself
/// (exit code 4).
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Marks an error as a usage error.
pub(crate) fn usage(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(Usage(e.to_string()))
}

const AFTER_HELP: &str = "\
Exit codes:
  0  every input read, no finding at or above --fail-on
  1  a finding at or above --fail-on
  2  usage or configuration error
  3  some inputs unreadable (each is an error row in reports.csv)
  4  the run itself failed (output not writable, disk full, a lock held)";

/// gongkai (公开): read 政府信息公开工作年度报告 into validated frames.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Log level on stderr: error, warn, info (stages, cache), debug (every file) or trace.
    /// The environment variable GONGKAI_LOG, in `tracing` filter syntax, overrides it.
    #[arg(long, global = true, value_name = "LEVEL", default_value = "warn")]
    pub log_level: tracing::Level,
}

/// Sends `tracing` events to stderr at the level `--log-level` or `GONGKAI_LOG` asks for.
pub fn init_logging(cli: &Cli) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GONGKAI_LOG")
        .unwrap_or_else(|_| EnvFilter::new(cli.log_level.as_str().to_ascii_lowercase()));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}

// Costs measured on this project's 2-core machine, release build (2026-12-01); see the
// README's Performance section for the benchmarks.
const RUN_HELP: &str =
    "The main job: discover → ingest → validate → frames → score → rank → charts → \
report, in one command, written through a staging directory renamed into place at the end.

With no PATH it reads the embedded default corpus (the real development reports and a
synthetic province 示例省). The frames are the ones `gongkai ingest` writes for the same inputs,
byte for byte; rankings, charts, index.html and run.json come on top.

Example:
  gongkai run reports/2024/ --out out/ --model my-model.toml

Cost (two cores): the default corpus (1,206 files) takes about 1.3-1.5 s and 190 MB; 10,002
mixed synthetic reports about 4-5 s (2.5-3 s of it the ingest) and 0.95 GB.";

const INGEST_HELP: &str =
    "Parse files or directories (recursively) in parallel and write the frames \
(reports, cells, findings, *_wide; Parquet and CSV) to --out. Every unreadable file is an error
row with a reason and a hint; the batch always finishes.

Example:
  gongkai ingest reports/ --out frames/ --cache .gongkai-cache --fail-on error

Cost: about 4,000-6,200 mixed synthetic reports per second on two cores (10,002 files in
1.6-2.5 s on the project's 2-core machines, output on tmpfs, 212-230 MB peak); memory stays
bounded by streaming 2,048 files at a time.";

const RANK_HELP: &str =
    "Score and rank the issuers in the frames an ingest wrote, with the default model \
or --model FILE: rankings, scores, sensitivity and the panel (Parquet, CSV), rankings.md and
rankings.xlsx.

Example:
  gongkai rank --frames frames/ --model my-model.toml --out ranks/

Cost: the frames of 10,002 reports rank in about 1.2 s on two cores (0.55 GB peak).";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// The main job: ingest PATHs (default: the embedded corpus) and write frames to --out.
    #[command(long_about = RUN_HELP)]
    Run(run::Args),
    /// Parse files or directories (recursively) in parallel and write frames to --out.
    #[command(long_about = INGEST_HELP)]
    Ingest(ingest::Args),
    /// Show one report as tables with cell states and findings.
    Show(show::Args),
    /// Score and rank the issuers in ingested frames with a model.
    #[command(long_about = RANK_HELP)]
    Rank(rank::Args),
    /// Write a deterministic corpus of fictional reports (示例省) with its truth.
    Synth(synth::Args),
    /// Join the frames of several shard outputs into one.
    Merge(merge::Args),
    /// Print the codebook: every canonical key with its labels, layouts, unit and series,
    /// and every frame's columns.
    Codebook(codebook::Args),
    /// Parse files sent on stdin and answer on stdout (the batch commands' worker process).
    #[command(hide = true)]
    Worker,
}

/// Prints a line on stdout; a closed pipe comes back as an error that `main` turns into
/// exit 0 (`println!` would panic).
pub(crate) fn say(line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")
}

/// The least severe finding that makes the exit code 1.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Never,
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn trips(self, s: &Summary) -> bool {
        match self {
            FailOn::Never => false,
            FailOn::Error => s.errors > 0,
            FailOn::Warning => s.errors + s.warnings > 0,
            FailOn::Info => s.errors + s.warnings + s.infos > 0,
        }
    }
}

/// Options every batch command shares.
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    /// Exit with code 1 when a finding of this severity or worse is raised.
    #[arg(long, value_enum, default_value = "never")]
    pub fail_on: FailOn,

    /// CSV with columns path, issuer, region_code, year: overrides what files say about
    /// themselves (a row's path matches files whose path ends with it). Rows that match no
    /// file are reported.
    #[arg(long, value_name = "FILE.csv")]
    pub manifest: Option<PathBuf>,

    /// Take only share K of N of the input files (split by directory name, the same on every
    /// machine), for a national run over N machines; `gongkai merge` joins the shares.
    #[arg(long, value_name = "K/N", value_parser = crate::batch::Shard::parse)]
    pub shard: Option<crate::batch::Shard>,

    /// Also write reports, cells and findings as Hive-partitioned Parquet
    /// (`OUT/hive/NAME/year=…/province=…/part-N.parquet`) for DuckDB, Spark or Trino.
    #[arg(long)]
    pub hive: bool,

    /// Keep what each file gave in this directory, and re-parse only new or changed files
    /// [default: `.OUT.cache` beside the output directory].
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,

    /// Parse every file afresh, and neither read nor write the cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Refuse input files larger than this (an error row says so).
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().file_bytes)]
    pub max_file_bytes: u64,

    /// Refuse containers (xlsx, docx, ods) that unzip to more than this, all entries together.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().unzipped_bytes)]
    pub max_unzipped_bytes: u64,

    /// Refuse sheets (and CSV files) with more cells than this.
    #[arg(long, value_name = "N", default_value_t = Limits::default().sheet_cells)]
    pub max_cells: usize,

    /// Refuse HTML nested deeper than this.
    #[arg(long, value_name = "N", default_value_t = Limits::default().nesting)]
    pub max_nesting: usize,

    /// Give up on a file after this many seconds of reading and extraction (0: never).
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().millis as f64 / 1000.0)]
    pub time_limit: f64,

    /// Where files are parsed: `workers` (child processes of this binary, so a file that
    /// crashes, exhausts memory or hangs is one error row) or `none` (in this process).
    #[arg(long, value_name = "MODE", default_value = "workers", value_parser = ["workers", "none"])]
    pub isolation: String,

    /// Address space each worker may use, in bytes (0: no ceiling); a file that needs more
    /// is an `out_of_memory` error row.
    #[arg(long, value_name = "BYTES", default_value_t = crate::batch::worker::DEFAULT_MEMORY)]
    pub max_worker_memory: u64,

    /// Files per chunk of the streaming batch (0: the default, 2048); tests set it small to
    /// cross chunk boundaries with few files.
    #[arg(long, value_name = "FILES", default_value_t = 0, hide = true)]
    pub chunk: usize,

    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print the summary as one JSON object on stdout (for schedulers), instead of lines.
    #[arg(long)]
    pub json: bool,
}

/// The summary of a batch as one JSON object: counts, the exit code and the output directory.
pub(crate) fn json_summary(outcomes: &[Outcome], out: &Path, code: u8) -> String {
    json_summary_of(&Summary::of(outcomes), out, code)
}

/// [`json_summary`] from the counts alone.
pub(crate) fn json_summary_of(s: &Summary, out: &Path, code: u8) -> String {
    serde_json::json!({
        "files": s.seen,
        "parsed": s.parsed,
        "failed": s.failed,
        "findings": {"errors": s.errors, "warnings": s.warnings, "infos": s.infos},
        "exit_code": code,
        "out": out.display().to_string(),
    })
    .to_string()
}

impl BatchArgs {
    /// Reads the manifest, if one was given. A malformed one, or one naming a region code
    /// the regions table does not know, is a usage error naming the line.
    pub(crate) fn manifest(&self) -> anyhow::Result<Option<Manifest>> {
        let Some(path) = self.manifest.as_deref() else {
            return Ok(None);
        };
        let m = Manifest::load(path).map_err(|e| usage(format!("{e:#}")))?;
        for row in &m.rows {
            if let Some(code) = &row.region_code
                && crate::regions::regions().by_code(code).is_none()
                && !crate::regions::is_synthetic(code)
            {
                return Err(usage(format!(
                    "{}: line {}: region code {code} is not in the regions table (data/regions.csv)",
                    path.display(),
                    row.line
                )));
            }
        }
        Ok(Some(m))
    }

    /// The resource caps the options set.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            file_bytes: self.max_file_bytes,
            unzipped_bytes: self.max_unzipped_bytes,
            sheet_cells: self.max_cells,
            nesting: self.max_nesting,
            millis: (self.time_limit.max(0.0) * 1000.0).round() as u64,
        }
    }

    /// How to read the batch: the manifest and cache (owned by the caller), the share and
    /// the caps these options set.
    pub(crate) fn options<'a>(
        &self,
        manifest: Option<&'a Manifest>,
        cache: Option<&'a Cache>,
        workers: Option<&'a crate::batch::worker::Pool>,
    ) -> crate::batch::Options<'a> {
        crate::batch::Options {
            manifest,
            shard: self.shard,
            limits: self.limits(),
            cache,
            chunk: self.chunk,
            workers,
            whole: false,
        }
    }

    /// The worker processes `--isolation workers` asks for, one per thread of the batch.
    /// A binary that cannot find itself parses in-process, with a warning.
    pub(crate) fn workers(&self) -> Option<crate::batch::worker::Pool> {
        if self.isolation != "workers" {
            return None;
        }
        let n = rayon::current_num_threads();
        match crate::batch::worker::Pool::of_this_binary(self.max_worker_memory, n) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::warn!("no worker processes ({e}); parsing in this process");
                None
            }
        }
    }

    /// The cache for a run writing `out` with the model `model_hash`, unless `--no-cache`.
    /// A cache directory that cannot be made is a warning, not a failure: the run parses
    /// everything.
    pub(crate) fn cache(&self, out: &Path, model_hash: &str) -> Option<Cache> {
        if self.no_cache {
            return None;
        }
        let root = self
            .cache
            .clone()
            .unwrap_or_else(|| crate::frames::outdir::cache_dir(out));
        match Cache::open(&root, model_hash) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(
                    "cache {} unusable ({e}); parsing every file",
                    root.display()
                );
                None
            }
        }
    }
}

/// Streams a batch into `out` ([`crate::jobs::ingest`]), reports what failed and what the
/// manifest missed, prints the summary, and returns the exit code.
pub(crate) fn stream_batch(
    paths: &[PathBuf],
    opts: &crate::batch::Options<'_>,
    out: &Path,
    args: &BatchArgs,
) -> anyhow::Result<ExitCode> {
    let staging = crate::frames::outdir::Staging::begin(out)?;
    let progress = |n| crate::batch::progress::Progress::new("ingest", n, args.quiet);
    let done = crate::jobs::ingest::ingest_into(
        crate::jobs::ingest::Inputs::Paths(paths),
        opts,
        staging.path(),
        out,
        args.hive,
        &progress,
    )?;
    staging.commit()?;
    tracing::info!("outputs in place");
    report_failures(&done.batch.outcomes);
    report_unmatched(&done.batch);
    let code = batch_code(&done.batch.outcomes, args.fail_on);
    if args.json {
        say(&json_summary(&done.batch.outcomes, out, code))?;
    } else if !args.quiet {
        say(&format!(
            "{}; outputs in {}",
            Summary::of(&done.batch.outcomes),
            out.display()
        ))?;
        if let Some(line) = &done.revised {
            say(line)?;
        }
    }
    // The process ends here, as after `run`: the batch's outcomes go back with it, not freed
    // one allocation at a time (freeing them, and the allocator handing their pages back,
    // took about 30 ms on one thread at the end of `ingest` of 10,002 text reports: `perf`
    // samples of the last 60 ms; under `strace` 52 ms → 19 ms from the last rename).
    std::mem::forget(done);
    Ok(ExitCode::from(code))
}

/// The exit code for a finished batch, as a number.
pub(crate) fn batch_code(outcomes: &[Outcome], fail_on: FailOn) -> u8 {
    summary_code(&Summary::of(outcomes), fail_on)
}

/// [`batch_code`] from the counts alone.
pub(crate) fn summary_code(s: &Summary, fail_on: FailOn) -> u8 {
    if s.failed > 0 {
        exit::UNREADABLE
    } else if fail_on.trips(s) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Prints one line per manifest row that matched no input file.
pub(crate) fn report_unmatched(batch: &Batch) {
    for row in &batch.unmatched {
        eprintln!(
            "manifest line {}: {} matches no input file",
            row.line,
            row.path.display()
        );
    }
}

/// Prints one line per unreadable input to stderr, with its hint.
pub(crate) fn report_failures(outcomes: &[Outcome]) {
    for o in outcomes {
        if let Err(f) = &o.result {
            eprintln!("{}: {}", o.path.display(), f.message);
            if let Some(h) = &f.hint {
                eprintln!("  hint: {h}");
            }
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Ingest(a) => ingest::run(&a),
        Command::Show(a) => show::run(&a),
        Command::Rank(a) => rank::run(&a),
        Command::Synth(a) => synth::run(&a),
        Command::Merge(a) => merge::run(&a),
        Command::Codebook(a) => codebook::run(&a),
        Command::Worker => {
            crate::batch::worker::serve()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
