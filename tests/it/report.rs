//! The main job on the default corpus: charts, the self-contained report and run.json.

use crate::common;

use std::collections::BTreeSet;

use common::gongkai;

#[test]
fn the_default_run_writes_charts_a_self_contained_report_and_run_json() {
    let (out, r) = common::default_run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    // At least 200 issuers over at least 3 years, in both layouts, synthetic ones flagged.
    let mut rankings = csv::Reader::from_path(r.join("rankings.csv")).unwrap();
    let header: Vec<String> = rankings
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, gongkai::score::output::RANKINGS_COLUMNS);
    let rows: Vec<csv::StringRecord> = rankings.records().map(Result::unwrap).collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let issuers: BTreeSet<&str> = rows.iter().map(|r| &r[col("region_code")]).collect();
    let years: BTreeSet<&str> = rows.iter().map(|r| &r[col("year")]).collect();
    assert!(issuers.len() >= 200, "{} issuers", issuers.len());
    assert!(years.len() >= 3, "{years:?}");
    for r in &rows {
        assert_eq!(
            &r[col("synthetic")] == "true",
            r[col("region_code")].starts_with("99"),
            "{r:?}"
        );
    }
    let panel = std::fs::read_to_string(r.join("panel.csv")).unwrap();
    assert!(panel.contains("2019/2019") && panel.contains("2021/2021"));

    // Charts: SVG and PNG for each, PNGs real images.
    let charts: Vec<String> = std::fs::read_dir(r.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for prefix in [
        "rank-",
        "outcomes-",
        "trend-score",
        "volume-correction-",
        "intervals-",
        "findings",
    ] {
        for ext in [".svg", ".png"] {
            assert!(
                charts
                    .iter()
                    .any(|c| c.starts_with(prefix) && c.ends_with(ext)),
                "no {prefix}*{ext} in {charts:?}"
            );
        }
    }
    let png = std::fs::read(r.join("charts/findings.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    // The report: one file, inline SVG, no network, synthetic banner, escaped text.
    let html = std::fs::read_to_string(r.join("index.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.matches("<svg").count() >= 8);
    for external in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "@import",
        "url(http",
    ] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(html.contains("class=\"banner\"") && html.contains("示例省"));
    for section in [
        "summary",
        "rankings",
        "outcomes",
        "trends",
        "volume",
        "intervals",
        "findings",
        "issuers",
        "method",
        "quality",
    ] {
        assert!(html.contains(&format!("id=\"{section}\"")), "{section}");
    }
    assert!(
        html.contains("淮安市人民政府"),
        "real issuers are in the report"
    );
    assert!(
        html.contains(&gongkai::score::Model::default_model().hash),
        "model hash in the methodology"
    );

    // run.json: counts, findings by rule, timings, versions.
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(r.join("run.json")).unwrap()).unwrap();
    assert_eq!(info["files"]["seen"], 1206);
    assert_eq!(info["files"]["failed"], 0);
    assert!(info["findings"]["by_rule"]["G1"]["count"].as_u64().unwrap() > 0);
    assert!(info["timings_s"]["total"].as_f64().unwrap() > 0.0);
    assert_eq!(info["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        info["outputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "index.html")
    );
    // Plain progress lines on a non-terminal stderr, ending at the total.
    assert!(stderr.contains("ingest: 1206/1206 (100%)"), "{stderr}");
}

#[test]
fn text_from_inputs_is_escaped_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    std::fs::write(dir.path().join("in/<script>alert(1)<b>.txt"), b"").unwrap();
    let out = gongkai(&["run", "in", "--out", "r", "--quiet"], dir.path());
    assert_eq!(out.status.code(), Some(3));
    let html = std::fs::read_to_string(dir.path().join("r/index.html")).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;b&gt;.txt"));
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r/run.json")).unwrap())
            .unwrap();
    assert_eq!(info["files"]["failed"], 1);
    assert!(info["failures"][0]["message"].as_str().unwrap().len() > 3);
}

#[test]
fn a_font_that_is_not_a_font_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("f.otf"), b"not a font").unwrap();
    let out = gongkai(&["run", "--font", "f.otf", "--out", "r"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("f.otf: not a font"), "{stderr}");
}
