//! Scoring and ranking on fictional issuers (示例省, codes 99…) with hand-checked numbers;
//! the ranking step of the binary on the real corpus.

use crate::common;

use common::gongkai;

use gongkai::score::model::Model;
use gongkai::score::rank::{self, Unit};
use gongkai::template::TableKind;

/// One indicator, substantive rate on goalposts [0, 1]; min sample 5; two draws.
const MODEL: &str = r#"
version = "test"
name = "test"
aggregation = "arithmetic"
groups = ["all", "city"]
min_requests = 5
tie = "competition"

[perturbation]
draws = 50
spread = 0.25
seed = 7

[[indicator]]
key = "substantive_rate"
zh = "实质公开率"
en = "Substantive disclosure rate"
formula = "(granted + partial) / total"
denominator = "total"
direction = "higher"
weight = 1.0
normalise = "goalposts"
goalposts = [0.0, 1.0]
rate = true
"#;

fn unit(code: &str, city: &str, year: i32, new: f64, granted: f64, total: f64) -> Unit {
    let mut values = gongkai::score::rank::Values::default();
    let r = TableKind::Requests;
    values.insert((r, "new", "total"), new);
    values.insert((r, "carried_in", "total"), 0.0);
    values.insert((r, "granted", "total"), granted);
    values.insert((r, "partial", "total"), 0.0);
    values.insert((r, "total", "total"), total);
    Unit {
        report_id: format!("{code}-{year}"),
        who: code.to_owned(),
        issuer: format!("示例县{code}"),
        region_code: code.to_owned(),
        province: "示例省".into(),
        city: city.into(),
        level: "county".into(),
        year,
        layouts: "2021/2021".into(),
        values,
    }
}

fn find<'a>(
    r: &'a rank::Ranking,
    units: &[Unit],
    code: &str,
    year: i32,
    group: &str,
) -> &'a rank::Ranked {
    r.ranked
        .iter()
        .find(|x| units[x.unit].region_code == code && x.year == year && x.group.key() == group)
        .unwrap()
}

#[test]
fn ranks_ties_sample_gate_and_rank_change() {
    let model = Model::parse(MODEL).unwrap();
    let units = vec![
        unit("990101", "示例市", 2022, 10.0, 9.0, 10.0), // 0.9
        unit("990102", "示例市", 2022, 10.0, 5.0, 10.0), // 0.5
        unit("990103", "示例市", 2022, 10.0, 5.0, 10.0), // 0.5: tie
        unit("990104", "示例市", 2022, 2.0, 2.0, 2.0),   // 1.0 but only 2 requests: no rank
        unit("990101", "示例市", 2023, 10.0, 4.0, 10.0), // falls to 0.4
        unit("990102", "示例市", 2023, 10.0, 8.0, 10.0), // rises to 0.8
        unit("990105", "示例市", 2023, 10.0, 9.0, 10.0), // new, 0.9
    ];
    let r = rank::run(&model, &units);
    let a = find(&r, &units, "990101", 2022, "all");
    assert_eq!((a.rank, a.score), (Some(1), Some(0.9)));
    let (b, c) = (
        find(&r, &units, "990102", 2022, "all"),
        find(&r, &units, "990103", 2022, "all"),
    );
    assert_eq!(
        (b.rank, c.rank),
        (Some(2), Some(2)),
        "competition ranking: 1, 2, 2"
    );
    let gated = find(&r, &units, "990104", 2022, "all");
    assert_eq!((gated.rank, gated.status), (None, "below_min_sample"));
    // 2023 over the issuers ranked in both years (990101, 990102): 990102 went 2 → 1,
    // 990101 1 → 2, whatever the newcomer did.
    assert_eq!(find(&r, &units, "990102", 2023, "all").rank_change, Some(1));
    assert_eq!(
        find(&r, &units, "990101", 2023, "all").rank_change,
        Some(-1)
    );
    let newcomer = find(&r, &units, "990105", 2023, "all");
    assert_eq!(
        (newcomer.presence, newcomer.rank, newcomer.rank_change),
        ("new", Some(1), None)
    );
    // One indicator: perturbing its weight cannot move anyone.
    assert_eq!(
        (b.rank_p05, b.rank_median, b.rank_p95),
        (Some(2), Some(2), Some(2))
    );
    // Peer group by city.
    assert_eq!(
        find(&r, &units, "990101", 2022, "city").group_value,
        "示例市"
    );
}

#[test]
fn dense_ties_and_the_same_seed_give_the_same_intervals() {
    let dense = Model::parse(&MODEL.replace("competition", "dense")).unwrap();
    let units = vec![
        unit("990101", "示例市", 2022, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2022, 10.0, 5.0, 10.0),
        unit("990103", "示例市", 2022, 10.0, 5.0, 10.0),
        unit("990106", "示例市", 2022, 10.0, 1.0, 10.0),
    ];
    let r = rank::run(&dense, &units);
    assert_eq!(find(&r, &units, "990106", 2022, "all").rank, Some(3));
    let full = Model::default_model();
    let one = rank::run(&full, &units);
    let two = rank::run(&full, &units);
    assert_eq!(one.ranked, two.ranked);
}

#[test]
fn rank_command_writes_every_output_with_the_model_hash() {
    let dir = tempfile::tempdir().unwrap();
    let real = common::fixture("real");
    let out = gongkai(
        &["ingest", real.to_str().unwrap(), "--out", "frames"],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for target in ["r1", "r2"] {
        let out = gongkai(&["rank", "--frames", "frames", "--out", target], dir.path());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("hash "));
    }
    let read = |p: &str| std::fs::read(dir.path().join(p)).unwrap();
    for f in [
        "rankings.csv",
        "scores.csv",
        "sensitivity.csv",
        "panel.csv",
        "rankings.md",
    ] {
        assert!(
            read(&format!("r1/{f}")) == read(&format!("r2/{f}")),
            "{f} differs between runs"
        );
    }
    let rankings = String::from_utf8(read("r1/rankings.csv")).unwrap();
    let header = rankings
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}');
    assert!(header.starts_with(
        "year,group,issuer,region_code,score,rank,rank_change,rank_p05,rank_median,rank_p95"
    ));
    assert!(rankings.contains("2024,all,淮安市人民政府,320800,"));
    let hash = Model::default_model().hash;
    assert!(rankings.lines().skip(1).all(|l| l.ends_with(&hash)));
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("r1/rankings.xlsx")).unwrap();
    let sheet = wb.worksheet_range("排名").unwrap();
    let first: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(&first[..5], ["年度", "比较组", "组别", "排名", "发布机关"]);
}

#[test]
fn a_wrong_model_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = gongkai::score::model::DEFAULT_MODEL
        .replace("sum(denied_*) / total", "sum(denied_*) / totl");
    std::fs::write(dir.path().join("m.toml"), bad).unwrap();
    let out = gongkai(&["run", "--model", "m.toml", "--out", "o"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("m.toml: line 34: indicator `denial_share`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `total`"), "{stderr}");
}

#[test]
fn rank_change_uses_only_indicators_comparable_across_the_break() {
    // A heavy 2019-only indicator decides the 2022 ranks but not the rank change.
    let model = Model::parse(&format!(
        "{MODEL}\n[[indicator]]\nkey = \"old_only\"\nzh = \"仅2019模板\"\nen = \"2019 template only\"\n\
         formula = \"procurement.amount_wan\"\ndenominator = \"none\"\ndirection = \"higher\"\n\
         weight = 10.0\nnormalise = \"rank\"\ncomparable = false\n"
    ))
    .unwrap();
    let mut a = unit("990101", "示例市", 2022, 10.0, 9.0, 10.0);
    let mut b = unit("990102", "示例市", 2022, 10.0, 5.0, 10.0);
    a.values
        .insert((TableKind::Disclosure, "procurement", "amount_wan"), 1.0);
    b.values
        .insert((TableKind::Disclosure, "procurement", "amount_wan"), 9.0);
    let units = vec![
        a,
        b,
        unit("990101", "示例市", 2023, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2023, 10.0, 5.0, 10.0),
    ];
    let r = rank::run(&model, &units);
    // 2022 rank by the full score: 990102 first (its procurement outweighs).
    assert_eq!(find(&r, &units, "990102", 2022, "all").rank, Some(1));
    // On comparable indicators 990101 was ahead in both years: no change.
    assert_eq!(find(&r, &units, "990101", 2023, "all").rank_change, Some(0));
}
