//! `gongkai run [PATH...] [--out DIR] [--model FILE] [--font FILE]`: the main job
//! ([`crate::jobs::run`]). With no PATH it runs on the default corpus
//! ([`crate::jobs::corpus`]): the real development reports and a synthetic province.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::batch::progress::Progress;
use crate::jobs::ingest::Inputs;
use crate::jobs::{rank::load_model, run};
use crate::render::font;

use super::{BatchArgs, exit, report_unmatched, say};

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
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

    /// The appeal round: a preliminary run's output directory; every ranking output then
    /// shows preliminary and final score and rank, and the cells that changed.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,

    /// Do not write a score card per issuer-year (`cards/`).
    #[arg(long)]
    pub no_cards: bool,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// The chart font a run draws with, as part of what decides its outputs: its path and a hash
/// of its bytes (the embedded one: nothing).
fn font_identity(font: Option<&std::path::Path>) -> String {
    match font {
        None => String::new(),
        Some(p) => {
            use sha2::Digest;
            let bytes = std::fs::read(p).unwrap_or_default();
            let h = crate::hex::lower(&sha2::Sha256::digest(&bytes)[..8]);
            format!("font {} {h}", p.display())
        }
    }
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.paths.is_empty() && (args.batch.shard.is_some() || args.batch.manifest.is_some()) {
        eprintln!(
            "gongkai: run without PATH reads the default corpus; --shard and --manifest apply to PATHs\n  hint: name the files or directories to read"
        );
        return Ok(ExitCode::from(exit::USAGE));
    }
    let manifest = args.batch.manifest()?;
    let model = match load_model(args.model.as_deref()) {
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
    if let Some(b) = &args.baseline
        && !b.join("rankings.parquet").is_file()
    {
        eprintln!(
            "gongkai: --baseline {}: no rankings.parquet there\n  hint: pass the --out directory of the preliminary `gongkai run`",
            b.display()
        );
        return Ok(ExitCode::from(exit::USAGE));
    }
    let quiet = args.batch.quiet;
    let progress = |n| Progress::new("ingest", n, quiet);
    let cache = args.batch.cache(&args.out, &model.hash);
    let workers = args.batch.workers();
    let opts = args
        .batch
        .options(manifest.as_ref(), cache.as_ref(), workers.as_ref());
    let inputs = if args.paths.is_empty() {
        Inputs::DefaultCorpus
    } else {
        Inputs::Paths(&args.paths)
    };
    let done = run::run(&run::Job {
        inputs,
        out: &args.out,
        model: &model,
        opts: &opts,
        hive: args.batch.hive,
        baseline: args.baseline.as_deref(),
        cards: !args.no_cards,
        identity: font_identity(args.font.as_deref()),
        progress: &progress,
    })?;
    let out = &args.out;
    for (path, message, hint) in &done.failures {
        eprintln!("{path}: {message}");
        if let Some(h) = hint {
            eprintln!("  hint: {h}");
        }
    }
    report_unmatched(&done.batch);
    let code = super::summary_code(&done.summary, args.batch.fail_on);
    if args.batch.json {
        say(&super::json_summary_of(&done.summary, out, code))?;
    } else if !quiet {
        say(&format!("{}; outputs in {}", done.summary, out.display()))?;
        if done.replayed {
            say("unchanged since the last run into these outputs: nothing parsed or written")?;
        }
        say(&done.rank_line)?;
        if let Some(line) = &done.revised {
            say(line)?;
        }
        say(&format!(
            "{} charts, report {} ({:.1} s)",
            done.charts,
            out.join("index.html").display(),
            done.seconds
        ))?;
    }
    // The process ends here: the batch's reports (whole, for the page) go back with it,
    // not freed one allocation at a time.
    std::mem::forget(done);
    Ok(ExitCode::from(code))
}
