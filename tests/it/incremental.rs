//! Incremental nightly runs: the cache answers unchanged files, outputs stay byte-identical,
//! a changed report is a revision, and the resource caps are options.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{fixture, gongkai};

/// A corpus of real reports copied into `dir/in` (the tests change files there).
fn corpus(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for f in [
        "jiangsu_huaian-shi_2024.pdftotext.txt",
        "fujian_pingtan_2021.txt",
        "shanghai_shi-zhengfu-bangongting_2019.html",
    ] {
        std::fs::copy(fixture(&format!("real/{f}")), input.join(f)).unwrap();
    }
    input
}

fn ingest(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--log-level", "info", "ingest", "in", "--out", "frames"];
    args.extend_from_slice(extra);
    let out = gongkai(&args, dir);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every data file of an output directory with its bytes, sorted by name.
fn data_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_second_run_over_unchanged_inputs_parses_nothing_and_writes_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path());
    let first = ingest(tmp.path(), &[]);
    assert!(
        stderr(&first).contains("hits=0 parsed=3"),
        "{}",
        stderr(&first)
    );
    let before = data_files(&tmp.path().join("frames"));
    assert!(before.iter().any(|(n, _)| n == "cells.parquet"));
    assert!(tmp.path().join(".frames.cache").is_dir());

    let second = ingest(tmp.path(), &[]);
    assert!(
        stderr(&second).contains("hits=3 parsed=0"),
        "{}",
        stderr(&second)
    );
    let after = data_files(&tmp.path().join("frames"));
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in before.iter().zip(&after) {
        assert!(
            a == b,
            "{name} differs between the parsed and the cached run"
        );
    }
    // No revision: the same reports.
    let rev = std::fs::read_to_string(tmp.path().join("frames/revisions.csv")).unwrap();
    assert_eq!(rev.lines().count(), 1, "{rev}");
}

#[test]
fn a_changed_file_is_parsed_again_and_reported_as_a_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path());
    ingest(tmp.path(), &[]);
    // The issuer corrects one figure of table 二: 规章 新制发件数 1 → 2 (the file rewritten
    // in place, as a crawler re-downloads it).
    let huaian = input.join("jiangsu_huaian-shi_2024.pdftotext.txt");
    let text = std::fs::read_to_string(&huaian).unwrap();
    let changed = text.replacen("规章            1 ", "规章            2 ", 1);
    assert_ne!(
        changed, text,
        "the fixture's 规章 row moved; update this test"
    );
    std::fs::write(&huaian, changed).unwrap();

    let second = ingest(tmp.path(), &[]);
    assert!(
        stderr(&second).contains("hits=2 parsed=1"),
        "{}",
        stderr(&second)
    );
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("1 reports revised since the last run"),
        "{stdout}"
    );
    let rev = std::fs::read_to_string(tmp.path().join("frames/revisions.csv")).unwrap();
    let lines: Vec<&str> = rev.lines().collect();
    assert_eq!(
        lines[0].trim_start_matches('\u{feff}'),
        "region_code,issuer,year,old_report_id,new_report_id,old_source,new_source,\
         table,row,col,old_value,new_value,old_state,new_state,old_location,new_location"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",disclosure,regulations,issued,1,2,number,number")),
        "{rev}"
    );
}

#[test]
fn no_cache_reads_and_writes_no_cache_and_a_damaged_entry_is_parsed_again() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path());
    let o = ingest(tmp.path(), &["--no-cache"]);
    assert!(!stderr(&o).contains("hits="), "{}", stderr(&o));
    assert!(!tmp.path().join(".frames.cache").exists());

    let cache = tmp.path().join("elsewhere");
    ingest(tmp.path(), &["--cache", "elsewhere"]);
    // Damage every entry: each becomes a miss and is parsed again, no error.
    let mut damaged = 0;
    for ns in std::fs::read_dir(&cache).unwrap().flatten() {
        for shard in std::fs::read_dir(ns.path()).unwrap().flatten() {
            for entry in std::fs::read_dir(shard.path()).unwrap().flatten() {
                std::fs::write(entry.path(), b"not an entry").unwrap();
                damaged += 1;
            }
        }
    }
    assert_eq!(damaged, 3);
    let again = ingest(tmp.path(), &["--cache", "elsewhere"]);
    assert!(
        stderr(&again).contains("hits=0 parsed=3"),
        "{}",
        stderr(&again)
    );
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("3 parsed, 0 failed"), "{stdout}");
}

#[test]
fn caps_are_options_and_a_file_over_one_says_which() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path());
    let o = ingest(tmp.path(), &["--max-file-bytes", "1000"]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(err.contains("more than the limit of 1000"), "{err}");
    assert!(err.contains("raise --max-file-bytes"), "{err}");
    let reports = std::fs::read_to_string(tmp.path().join("frames/reports.csv")).unwrap();
    assert_eq!(reports.matches(",too_large,").count(), 3, "{reports}");

    let o = ingest(tmp.path(), &["--max-nesting", "3"]);
    assert!(stderr(&o).contains("raise --max-nesting"), "{}", stderr(&o));
    let bad = gongkai(
        &["ingest", "in", "--out", "f", "--max-cells", "many"],
        tmp.path(),
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_file_past_the_time_limit_is_an_error_row() {
    use gongkai::batch::{Options, process_cached};
    use gongkai::source::Limits;
    let pdf = std::fs::read(fixture("real/jiangsu_huaian-shi_2024.pdf")).unwrap();
    let tight = Options {
        limits: Limits {
            millis: 1,
            ..Limits::default()
        },
        ..Options::default()
    };
    let o = process_cached(Path::new("huaian.pdf"), &pdf, None, &tight);
    let failure = o[0].result.as_ref().unwrap_err();
    assert_eq!(failure.kind.key(), "timed_out");
    assert!(failure.message.contains("1 ms"), "{}", failure.message);
    // The default limit leaves it alone.
    let o = process_cached(Path::new("huaian.pdf"), &pdf, None, &Options::default());
    assert!(o[0].result.is_ok());
    // A time-out is not remembered: the next run tries again.
    let dir = tempfile::tempdir().unwrap();
    let cache = gongkai::batch::cache::Cache::open(dir.path(), "test").unwrap();
    let cached = Options {
        cache: Some(&cache),
        ..tight
    };
    for _ in 0..2 {
        let o = process_cached(Path::new("huaian.pdf"), &pdf, None, &cached);
        assert_eq!(o[0].result.as_ref().unwrap_err().kind.key(), "timed_out");
    }
    assert_eq!((cache.hits(), cache.misses()), (0, 2));
}

#[test]
fn run_and_ingest_write_the_same_frame_bytes() {
    // Through the binary, chunks of 5 files so the 12 reports cross chunk boundaries: `run`
    // streams the same ingest job as `ingest`, so every frame file is the same, byte for byte.
    let tmp = tempfile::tempdir().unwrap();
    let syn = [
        "synth",
        "--out",
        "syn",
        "--issuers",
        "4",
        "--years",
        "2020-2022",
    ];
    assert_eq!(gongkai(&syn, tmp.path()).status.code(), Some(0));
    for (cmd, out) in [("ingest", "a"), ("run", "b")] {
        let args = [cmd, "syn/reports", "--out", out, "--chunk", "5", "--quiet"];
        let done = gongkai(&args, tmp.path());
        assert_eq!(done.status.code(), Some(0), "{cmd}: {done:?}");
    }
    let mut names = gongkai::frames::names();
    names.extend(["revisions".into(), "codebook".into()]);
    for name in names {
        for ext in ["csv", "parquet"] {
            let file = format!("{name}.{ext}");
            let a = std::fs::read(tmp.path().join("a").join(&file)).unwrap();
            let b = std::fs::read(tmp.path().join("b").join(&file)).unwrap();
            assert!(a == b, "{file} differs between ingest and run");
        }
    }
}

#[test]
fn an_unchanged_run_is_replayed_and_a_changed_input_runs_in_full() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    corpus(d);
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "in", "--out", "o"];
        args.extend_from_slice(extra);
        let out = gongkai(&args, d);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = run(&[]);
    assert!(!first.contains("unchanged"), "{first}");
    // The data files, as (name, sha-256): not `run.json` (timings) or the replay record.
    let data = |dir: &Path| -> Vec<(String, String)> {
        use sha2::Digest;
        data_files(dir)
            .into_iter()
            .filter(|(n, _)| n != "run.json" && !n.starts_with('.'))
            .map(|(n, b)| (n, format!("{:x}", sha2::Sha256::digest(&b))))
            .collect()
    };
    let written = data(&d.join("o"));
    let stamp = |p: &str| {
        std::fs::metadata(d.join("o").join(p))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = stamp("cells.parquet");
    // Nothing changed: nothing parsed, nothing written, the same summary.
    let second = run(&[]);
    assert!(second.contains("unchanged since the last run"), "{second}");
    assert_eq!(
        first.lines().next(),
        second.lines().next(),
        "the same summary line"
    );
    assert_eq!(data(&d.join("o")), written);
    assert_eq!(stamp("cells.parquet"), before, "not rewritten");
    // Another model, no cache, or an output touched: a full run, with the same bytes.
    let model = d.join("m.toml");
    std::fs::write(
        &model,
        format!("{}\n", gongkai::score::model::DEFAULT_MODEL),
    )
    .unwrap();
    assert!(!run(&["--model", "m.toml"]).contains("unchanged"));
    assert!(!run(&["--no-cache"]).contains("unchanged"));
    std::fs::write(d.join("o/cells.csv"), "edited").unwrap();
    assert!(!run(&[]).contains("unchanged"));
    assert_eq!(data(&d.join("o")), written);
    assert!(run(&[]).contains("unchanged"));
    // A changed input: parsed again (a line added changes no cell: no revision), then
    // replayed.
    let f = d.join("in/fujian_pingtan_2021.txt");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, format!("{text}\n")).unwrap();
    assert!(!run(&[]).contains("unchanged"));
    assert!(run(&[]).contains("unchanged"));
    // A changed cell: a revision.
    let f = d.join("in/jiangsu_huaian-shi_2024.pdftotext.txt");
    let text = std::fs::read_to_string(&f).unwrap();
    std::fs::write(&f, text.replacen("447228", "447229", 1)).unwrap();
    let changed = run(&[]);
    assert!(!changed.contains("unchanged"), "{changed}");
    assert!(changed.contains("1 reports revised"), "{changed}");
    // The next run writes the revisions empty again: not a replay of the revised one.
    assert!(!run(&[]).contains("unchanged"));
    assert!(run(&[]).contains("unchanged"));
}
