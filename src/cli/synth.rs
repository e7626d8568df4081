//! `gongkai synth --out DIR --issuers N --years 2019-2024 --seed S [--formats …]`: a
//! deterministic corpus of fictional reports (示例省, codes 99…) with its truth.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use crate::synth::{self, Corpus, Options, Shape};

use super::exit;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Directory for `reports/`, `truth_cells.csv` and `truth_findings.csv`.
    #[arg(long, short)]
    pub out: PathBuf,

    /// Number of fictional issuers (county governments of 示例省).
    #[arg(long, default_value_t = 10)]
    pub issuers: usize,

    /// Report years, inclusive, as FIRST-LAST.
    #[arg(long, default_value = "2019-2024")]
    pub years: String,

    /// Seed: the same seed writes byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Shapes to print, used in turn: html, pipe, markdown, layout, glued (text); xlsx,
    /// sheets (a sheet per table), docx, csv, ods (office files); print-html, print-docx
    /// (the official tables ruled for print: the sources of the PDF fixtures).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "html,pipe,markdown,layout,glued"
    )]
    pub formats: Vec<String>,

    /// Share of reports with one injected source error (recorded in truth_findings.csv).
    #[arg(long, default_value_t = 0.05)]
    pub error_rate: f64,

    /// Share of reports whose narrative contradicts the table (an N1 finding in the truth).
    #[arg(long, default_value_t = 0.05)]
    pub contradiction_rate: f64,

    /// Share of 2019-layout 本年增/减 cells printed as one value (`7`, `+3`, `-18`) or one side
    /// (`12/`, `/5`) instead of `a/b`.
    #[arg(long, default_value_t = 0.3)]
    pub change_form_rate: f64,

    /// Share of 2021-era reports that print the 2019 table 三.
    #[arg(long, default_value_t = 0.2)]
    pub old_layout_rate: f64,

    /// Share of reports in traditional script.
    #[arg(long, default_value_t = 0.1)]
    pub traditional_rate: f64,

    /// Share of reports encoded as GB18030.
    #[arg(long, default_value_t = 0.1)]
    pub gbk_rate: f64,
}

fn years(s: &str) -> anyhow::Result<(i32, i32)> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (i32, i32) = (a.trim().parse()?, b.trim().parse()?);
    if !(2000..=2099).contains(&a) || b < a || b > 2099 {
        bail!("--years {s:?}: expected FIRST-LAST such as 2019-2024");
    }
    Ok((a, b))
}

pub(super) fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let span = match years(&args.years) {
        Ok(y) => y,
        Err(e) => {
            eprintln!("gongkai: {e}");
            return Ok(ExitCode::from(exit::USAGE));
        }
    };
    let mut shapes = Vec::new();
    for f in &args.formats {
        match Shape::from_key(f.trim()) {
            Some(s) => shapes.push(s),
            None => {
                eprintln!(
                    "gongkai: unknown format {f:?}\n  hint: use html, pipe, markdown, layout, glued, xlsx, sheets, docx, csv, ods, print-html or print-docx"
                );
                return Ok(ExitCode::from(exit::USAGE));
            }
        }
    }
    let corpus = Corpus {
        options: Options {
            issuers: args.issuers,
            years: span,
            seed: args.seed,
            old_requests_rate: args.old_layout_rate,
            error_rate: args.error_rate,
            contradiction_rate: args.contradiction_rate,
            change_form_rate: args.change_form_rate,
        },
        shapes,
        traditional_rate: args.traditional_rate,
        gbk_rate: args.gbk_rate,
    };
    let w = synth::write_corpus(&corpus, &args.out)?;
    super::say(&format!(
        "{} fictional reports ({} cells, {} injected findings) in {}",
        w.reports,
        w.cells,
        w.injected,
        args.out.display()
    ))?;
    Ok(ExitCode::from(exit::OK))
}
