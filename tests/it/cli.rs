//! The binary, run as a user would, in a temp dir per test. Failures show the command, its
//! stdout and stderr.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{fixture, gongkai};

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn ingest_real_corpus_writes_every_frame_and_reads_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let real = fixture("real");
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "frames"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("7 files seen, 7 parsed, 0 failed"),
        "{stdout}"
    );
    let frames = dir.path().join("frames");
    for name in [
        "reports",
        "cells",
        "findings",
        "disclosure_wide",
        "requests_wide",
        "review_litigation_wide",
    ] {
        assert!(frames.join(format!("{name}.parquet")).is_file(), "{name}");
        let csv = std::fs::read(frames.join(format!("{name}.csv"))).unwrap();
        assert!(
            csv.starts_with(&[0xEF, 0xBB, 0xBF]),
            "{name}.csv has no BOM"
        );
    }
    let cells = read(&frames.join("cells.csv"));
    assert_eq!(
        cells.lines().next().unwrap().trim_start_matches('\u{feff}'),
        "report_id,source,issuer,region_code,year,table,row,col,value,raw,state,layout,location"
    );
    assert!(
        cells.contains(",disclosure,procurement,amount_wan,19024.59,19024.59萬元,number,2019,")
    );
    let findings = read(&frames.join("findings.csv"));
    assert_eq!(
        findings
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}'),
        "report_id,source,rule,severity,cells,expected,actual,message,region_code,year"
    );
    let reports = read(&frames.join("reports.csv"));
    assert_eq!(reports.lines().count(), 1 + 7);
    let pdf = reports.lines().find(|l| l.contains(".pdf,")).unwrap();
    assert!(pdf.contains(",pdf,UTF-8,"), "{pdf}");
    assert!(pdf.contains(",parsed,"), "{pdf}");
    // The PDF and its pdftotext text are one issuer-year: one of them is the duplicate (D1).
    assert!(findings.contains(",D1,warning,"), "{findings}");
}

#[test]
fn bad_files_become_error_rows_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::write(inputs.join("empty.txt"), b"").unwrap();
    std::fs::write(
        inputs.join("binary.dat"),
        [0u8, 1, 2, 3, 0, 0, 7, 0].repeat(100),
    )
    .unwrap();
    std::fs::write(
        inputs.join("truncated.html"),
        b"<html><table><tr><td>\xE4\xB8",
    )
    .unwrap();
    std::fs::write(
        inputs.join("prose.txt"),
        "一、总体情况\n本年度无表格。".as_bytes(),
    )
    .unwrap();
    std::fs::copy(
        fixture("real/jiangxi_dayu_2019.txt"),
        inputs.join("dayu.txt"),
    )
    .unwrap();
    let out = gongkai(&["ingest", "in", "--out", "o"], dir.path());
    assert_eq!(out.status.code(), Some(3));
    let reports = read(&dir.path().join("o/reports.csv"));
    assert_eq!(reports.lines().count(), 1 + 5, "{reports}");
    let line = |name: &str| {
        reports
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .to_owned()
    };
    assert!(line("empty.txt").contains("failed,read,empty"));
    assert!(line("binary.dat").contains("failed,read,binary"));
    assert!(line("dayu.txt").contains(",parsed,"));
    assert!(line("prose.txt").contains(",no_tables,"));
    assert!(
        line("truncated.html").contains(",no_tables,") || line("truncated.html").contains("failed")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty.txt: file is empty"), "{stderr}");
}

#[test]
fn show_prints_tables_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture("real/fujian_pingtan_2021.txt");
    let out = gongkai(&["show", f.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("requests 收到和处理政府信息公开申请情况 (layout 2021)"),
        "{text}"
    );
    assert!(text.contains("G1"), "{text}");
    let out = gongkai(&["show", "--json", f.to_str().unwrap()], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cells = v["cells"].as_array().unwrap();
    let new_total = cells
        .iter()
        .find(|c| c["table"] == "requests" && c["row"] == "new" && c["col"] == "total")
        .unwrap();
    assert_eq!(new_total["value"], "70");
    assert_eq!(new_total["raw"], "640020470");
    let amb = cells.iter().find(|c| c["state"] == "ambiguous").unwrap();
    assert!(!amb["candidates"].as_array().unwrap().is_empty());
}

#[test]
fn run_without_paths_ingests_the_embedded_corpus() {
    let (out, _) = common::default_run();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1206 files seen, 1206 parsed, 0 failed")
    );
    // The corpus is generated the same every time (the run itself is tested for
    // determinism below, on a smaller one).
    assert!(gongkai::jobs::corpus::inputs() == gongkai::jobs::corpus::inputs());
}

#[test]
fn a_run_is_the_same_on_one_thread_and_on_two() {
    let dir = tempfile::tempdir().unwrap();
    let syn = [
        "synth",
        "--out",
        "syn",
        "--issuers",
        "12",
        "--years",
        "2019-2021",
    ];
    assert_eq!(gongkai(&syn, dir.path()).status.code(), Some(0));
    for (threads, out) in [("1", "a"), ("2", "b")] {
        let done = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["run", "syn/reports", "--out", out, "--quiet"])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(done.status.code(), Some(0), "{done:?}");
    }
    for name in [
        "cells.csv",
        "cells.parquet",
        "findings.csv",
        "reports.csv",
        "requests_wide.parquet",
        "rankings.csv",
        "index.html",
        "charts/outcomes-2021.svg",
    ] {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(name)).unwrap();
        assert!(a == b, "{name} differs between two runs");
    }
}

#[test]
fn fail_on_sets_exit_code_one_for_findings() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture("real/shanghai_shi-zhengfu-bangongting_2019.html");
    let out = gongkai(
        &[
            "ingest",
            f.to_str().unwrap(),
            "--out",
            "o",
            "--fail-on",
            "warning",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let out = gongkai(&["ingest", f.to_str().unwrap(), "--out", "o"], dir.path());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let out = gongkai(&["ingest"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_manifest_sets_who_and_when_and_reports_rows_that_match_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // Dayu's tables without its signature: the file says neither who nor when.
    let text = read(&fixture("real/jiangxi_dayu_2019.txt"));
    let body: Vec<&str> = text.lines().collect();
    std::fs::write(
        inputs.join("nameless.txt"),
        body[..body.len() - 2].join("\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("manifest.csv"),
        "path,issuer,region_code,year\nin/nameless.txt,大余县人民政府,360723,2019\nmissing.txt,,,2020\n",
    )
    .unwrap();
    let out = gongkai(
        &["ingest", "in", "--out", "o", "--manifest", "manifest.csv"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("manifest line 3: missing.txt matches no input file"),
        "{stderr}"
    );
    let reports = read(&dir.path().join("o/reports.csv"));
    let row = reports.lines().nth(1).unwrap();
    assert!(
        row.contains(",大余县人民政府,360723,江西省,赣州市,大余县,county,false,2019,"),
        "{row}"
    );
    assert!(row.contains(",manifest,manifest,manifest,"), "{row}");
    let cells = read(&dir.path().join("o/cells.csv"));
    assert!(
        cells
            .lines()
            .nth(1)
            .unwrap()
            .contains(",大余县人民政府,360723,2019,"),
        "{cells}"
    );
}

#[test]
fn a_malformed_manifest_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.csv"), "path,year\nx.txt,二〇一九\n").unwrap();
    std::fs::write(dir.path().join("x.txt"), "x").unwrap();
    let out = gongkai(
        &["ingest", "x.txt", "--out", "o", "--manifest", "m.csv"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("m.csv: line 2: year \"二〇一九\""),
        "{stderr}"
    );
}

#[test]
fn shards_split_the_input_and_merge_back() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, files) in [
        (
            "pingtan",
            vec!["fujian_pingtan_2019.txt", "fujian_pingtan_2021.txt"],
        ),
        (
            "others",
            vec![
                "jiangxi_dayu_2019.txt",
                "shanghai_shi-zhengfu-bangongting_2019.html",
            ],
        ),
        ("huaian", vec!["jiangsu_huaian-shi_2024.pdftotext.txt"]),
    ] {
        let d = dir.path().join("in").join(sub);
        std::fs::create_dir_all(&d).unwrap();
        for f in files {
            std::fs::copy(fixture(&format!("real/{f}")), d.join(f)).unwrap();
        }
    }
    let ok = |args: &[&str]| assert_eq!(gongkai(args, dir.path()).status.code(), Some(0));
    ok(&["ingest", "in", "--out", "full"]);
    ok(&["ingest", "in", "--out", "s1", "--shard", "1/2"]);
    ok(&["ingest", "in", "--out", "s2", "--shard", "2/2"]);
    let rows = |p: &str| read(&dir.path().join(p)).lines().count() - 1;
    assert_eq!(rows("s1/reports.csv") + rows("s2/reports.csv"), 5);
    ok(&["merge", "s1", "s2", "--out", "merged"]);
    assert_eq!(
        read(&dir.path().join("merged/cells.csv")),
        read(&dir.path().join("full/cells.csv"))
    );
    assert_eq!(
        read(&dir.path().join("merged/findings.csv")),
        read(&dir.path().join("full/findings.csv"))
    );
    let out = gongkai(
        &["ingest", "in", "--out", "x", "--shard", "3/2"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["show", "--json"])
        .arg(fixture("real/shanghai_shi-zhengfu-bangongting_2019.html"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once, before the report is parsed and written: the write
    // then meets a closed pipe (the output is smaller than a pipe buffer, so reading a few
    // bytes first would let it through).
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same for a batch's summary line.
    let dir = tempfile::tempdir().unwrap();
    let syn = [
        "synth",
        "--out",
        "syn",
        "--issuers",
        "3",
        "--years",
        "2020-2021",
    ];
    assert_eq!(gongkai(&syn, dir.path()).status.code(), Some(0));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["run", "syn/reports", "--out", "o"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(dir.path().join("o/rankings.xlsx").is_file());
}

#[test]
fn a_killed_run_leaves_the_last_good_outputs_and_the_next_run_takes_over() {
    let dir = tempfile::tempdir().unwrap();
    let real = fixture("real/jiangxi_dayu_2019.txt");
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "o"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let good = std::fs::read(dir.path().join("o/cells.csv")).unwrap();
    // A long batch, killed midway.
    let out = gongkai(
        &[
            "synth",
            "--out",
            "big",
            "--issuers",
            "150",
            "--years",
            "2019-2024",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["ingest", "big/reports", "--out", "o", "--quiet"])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read(dir.path().join("o/cells.csv")).unwrap(), good);
    // The dead run's lock does not stop the next one, and its staging is cleaned up.
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "o"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    // The cache is kept on purpose (the next run reuses what the killed one parsed).
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with(".o.") || n == ".o.cache"),
        "left behind: {names:?}"
    );
}

#[test]
fn a_second_run_on_a_locked_output_directory_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // pid 1 always runs: the lock is live.
    std::fs::write(dir.path().join(".o.lock"), "1").unwrap();
    let real = fixture("real/jiangxi_dayu_2019.txt");
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "o"],
        dir.path(),
    );
    // A lock held is a failure of the run, not of its usage.
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("another run (pid 1)"), "{stderr}");
    assert!(!dir.path().join("o").exists());
}

#[test]
fn json_summary_is_one_object_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::copy(
        fixture("real/jiangxi_dayu_2019.txt"),
        dir.path().join("in/dayu.txt"),
    )
    .unwrap();
    std::fs::write(dir.path().join("in/empty.txt"), b"").unwrap();
    let out = gongkai(&["ingest", "in", "--out", "o", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"], 2);
    assert_eq!(v["parsed"], 1);
    assert_eq!(v["failed"], 1);
    assert_eq!(v["exit_code"], 3);
    assert_eq!(v["out"], "o");
}

#[test]
fn runtime_failures_and_configuration_errors_have_their_own_codes() {
    let dir = tempfile::tempdir().unwrap();
    let real = fixture("real/jiangxi_dayu_2019.txt");
    let real = real.to_str().unwrap();
    // An output that cannot be made (its parent is a file): the run failed, exit 4.
    std::fs::write(dir.path().join("afile"), "x").unwrap();
    let out = gongkai(&["ingest", real, "--out", "afile/o"], dir.path());
    assert_eq!(out.status.code(), Some(4));
    // A manifest region code the regions table does not know: usage, naming the line.
    std::fs::write(
        dir.path().join("m.csv"),
        "path,issuer,region_code,year\njiangxi_dayu_2019.txt,,123456,2019\n",
    )
    .unwrap();
    let out = gongkai(
        &["ingest", real, "--out", "o", "--manifest", "m.csv"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("123456"),
        "{stderr}"
    );
    // run without PATH reads the default corpus: --shard or --manifest there is a mistake.
    let out = gongkai(&["run", "--out", "r", "--shard", "1/2"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = gongkai(&["run", "--out", "r", "--manifest", "m.csv"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_codebook_is_printed_and_written_with_every_batch() {
    let dir = tempfile::tempdir().unwrap();
    let out = gongkai(&["codebook"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(header, gongkai::frames::CODEBOOK_COLUMNS.join(","));
    assert!(
        text.contains("cell,requests,new,total,requests.new.total,"),
        "{text}"
    );
    let real = fixture("real/jiangxi_dayu_2019.txt");
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "o", "--quiet"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read(dir.path().join("o/codebook.csv")).unwrap();
    // The batch's copy carries a BOM like every CSV it writes; the rows are the same.
    assert_eq!(
        written.strip_prefix("\u{feff}".as_bytes()).unwrap(),
        text.as_bytes()
    );
    assert!(dir.path().join("o/codebook.parquet").is_file());
}
