//! Scoring and ranking on fictional issuers (示例省, codes 99…) with hand-checked numbers;
//! the ranking step of the binary on the real corpus.

use crate::common;

use common::{gongkai, gongkai_ok};

use gongkai::score::Measure;
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
        body: "government".into(),
        year,
        layouts: "2021/2021".into(),
        values,
        empty: Default::default(),
        measures: Default::default(),
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
        "示例市 · county government"
    );
}

/// Two indicators: the rate (0.7) and completeness (0.3), coverage 0.6.
fn two_indicators() -> Model {
    Model::parse(&format!(
        "{}\n[[indicator]]\nkey = \"completeness\"\nzh = \"完整度\"\nen = \"Completeness\"\n\
formula = \"report.completeness\"\ndenominator = \"cells\"\ndirection = \"higher\"\nweight = 0.3\n\
normalise = \"goalposts\"\ngoalposts = [0.0, 1.0]\n",
        MODEL.replace("weight = 1.0", "weight = 0.7").replace(
            "tie = \"competition\"",
            "tie = \"competition\"\ncoverage = 0.6"
        )
    ))
    .unwrap()
}

#[test]
fn a_department_is_never_ranked_in_a_government_group() {
    // The test model names no split: body and level are the default.
    let model = Model::parse(MODEL).unwrap();
    let mut units = vec![
        unit("990101", "示例市", 2022, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2022, 10.0, 5.0, 10.0),
        unit("990101", "示例市", 2022, 10.0, 7.0, 10.0),
    ];
    // The third is a department of the first county's government: same code, same city.
    units[2].body = "department".into();
    units[2].who = "990101:示例县公安局".into();
    units[2].issuer = "示例县公安局".into();
    let r = rank::run(&model, &units);
    let mut sets: std::collections::HashMap<(String, String), Vec<&str>> = Default::default();
    for x in &r.ranked {
        sets.entry((x.group.key().to_owned(), x.group_value.clone()))
            .or_default()
            .push(&units[x.unit].body);
    }
    assert_eq!(sets.len(), 2 * model.groups.len(), "{sets:?}");
    for ((g, v), bodies) in &sets {
        assert!(
            bodies.iter().all(|b| *b == bodies[0]),
            "{g} {v} mixes bodies: {bodies:?}"
        );
        assert!(v.ends_with(bodies[0]), "{g} {v}");
    }
    let dept = r
        .ranked
        .iter()
        .find(|x| x.unit == 2 && x.group.key() == "all")
        .unwrap();
    assert_eq!(
        (dept.group_value.as_str(), dept.rank),
        ("county department", Some(1))
    );
}

#[test]
fn an_issuer_below_the_coverage_share_is_insufficient_data() {
    let model = two_indicators();
    let mut units = vec![
        unit("990101", "示例市", 2022, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2022, 10.0, 5.0, 10.0),
        unit("990103", "示例市", 2022, 10.0, 5.0, 10.0),
    ];
    for u in &mut units {
        u.measures[Measure::Completeness as usize] = Some(0.9);
    }
    // The third prints no 办理结果总计: its rate (0.7 of the weight) is absent, and 0.3 is
    // below the coverage of 0.6.
    units[2]
        .values
        .remove(&(TableKind::Requests, "total", "total"));
    let r = rank::run(&model, &units);
    let short = find(&r, &units, "990103", 2022, "all");
    assert_eq!(
        (short.status, short.rank, short.score),
        ("insufficient_data", None, None)
    );
    assert!((short.coverage - 0.3).abs() < 1e-12, "{}", short.coverage);
    assert!(
        short.reason.contains("substantive_rate"),
        "{}",
        short.reason
    );
    let full = find(&r, &units, "990101", 2022, "all");
    assert_eq!(
        (full.status, full.rank, full.coverage),
        ("ranked", Some(1), 1.0)
    );
}

#[test]
fn below_min_sample_only_when_the_sample_cells_were_read() {
    let model = two_indicators();
    let mut units = vec![
        unit("990101", "示例市", 2022, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2022, 2.0, 1.0, 2.0),
        unit("990103", "示例市", 2022, 718.0, 500.0, 718.0),
        unit("990104", "示例市", 2022, 3.0, 1.0, 3.0),
    ];
    for u in &mut units {
        u.measures[Measure::Completeness as usize] = Some(1.0);
    }
    // 990103's 本年新收 row was not read, but its table shows 718 requests handled.
    units[2]
        .values
        .remove(&(TableKind::Requests, "new", "total"));
    // 990104's 本年新收 was not read and what was read (3 outcomes) decides nothing.
    units[3]
        .values
        .remove(&(TableKind::Requests, "new", "total"));
    let r = rank::run(&model, &units);
    let small = find(&r, &units, "990102", 2022, "all");
    assert_eq!((small.status, small.rank), ("below_min_sample", None));
    let read_total = find(&r, &units, "990103", 2022, "all");
    assert_eq!(read_total.status, "ranked", "{}", read_total.reason);
    assert_eq!(r.raw[2][0], Some(500.0 / 718.0));
    let unknown = find(&r, &units, "990104", 2022, "all");
    assert_eq!(unknown.status, "insufficient_data");
    assert!(unknown.reason.contains("not read"), "{}", unknown.reason);
}

#[test]
fn scores_equal_as_printed_share_one_rank_in_every_output() {
    let model = Model::parse(MODEL).unwrap();
    // 0.7657751 and 0.7657749 both print 0.765775.
    let units = vec![
        unit(
            "990101",
            "示例市",
            2024,
            10_000_000.0,
            7_657_751.0,
            10_000_000.0,
        ),
        unit(
            "990102",
            "示例市",
            2024,
            10_000_000.0,
            7_657_749.0,
            10_000_000.0,
        ),
        unit(
            "990103",
            "示例市",
            2024,
            10_000_000.0,
            9_000_000.0,
            10_000_000.0,
        ),
    ];
    let r = rank::run(&model, &units);
    for g in ["all", "city"] {
        let (a, b) = (
            find(&r, &units, "990101", 2024, g),
            find(&r, &units, "990102", 2024, g),
        );
        assert_eq!((a.rank, b.rank), (Some(2), Some(2)), "{g}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut o = gongkai::score::output::build(&model, &units, &r).unwrap();
    gongkai::jobs::rank::write_rankings(&model, &mut o, dir.path()).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("rankings.csv")).unwrap();
    for code in ["990101", "990102"] {
        for g in ["all", "city"] {
            let line = csv
                .lines()
                .find(|l| l.contains(&format!(",{g},")) && l.contains(code))
                .unwrap();
            assert!(line.contains(",0.765775,2,"), "{line}");
        }
    }
    let md = std::fs::read_to_string(dir.path().join("rankings.md")).unwrap();
    for code in ["990101", "990102"] {
        let line = md.lines().find(|l| l.contains(code)).unwrap();
        assert!(
            line.starts_with("| 2 |") && line.contains("0.766"),
            "{line}"
        );
    }
}

#[test]
fn an_appeal_round_shows_preliminary_and_final_rank_and_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = gongkai(
        &[
            "synth",
            "--out",
            "in",
            "--issuers",
            "4",
            "--years",
            "2024",
            "--formats",
            "pipe",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(0));
    gongkai_ok(&["run", "in/reports", "--out", "prelim", "-q"], d);
    // One corrected cell: 990101's 本年新收 from natural persons.
    let file = d.join("in/reports/990101_2024_pipe.txt");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("本年新收政府信息公开申请数量 |\n").unwrap()
        + "本年新收政府信息公开申请数量 |\n".len();
    let end = at + text[at..].find(" |").unwrap();
    let old = text[at..end].to_owned();
    let new = format!("{}", old.parse::<u64>().unwrap() + 500);
    std::fs::write(&file, format!("{}{new}{}", &text[..at], &text[end..])).unwrap();
    gongkai_ok(
        &[
            "run",
            "in/reports",
            "--out",
            "final",
            "--baseline",
            "prelim",
            "-q",
        ],
        d,
    );
    let cell = "requests/new/natural";
    let md = std::fs::read_to_string(d.join("final/rankings.md")).unwrap();
    let appeal = &md[md.find("## 申诉复核 Appeal round").expect("appeal section")..];
    let row = appeal
        .lines()
        .find(|l| l.starts_with("| 2024 | all |") && l.contains("990101"))
        .expect("990101's place");
    let cols: Vec<&str> = row.split(" | ").collect();
    assert!(
        cols[5].parse::<u32>().is_ok() && cols[6].parse::<u32>().is_ok(),
        "{row}"
    );
    assert!(cols[8] != cols[9], "the score moved: {row}");
    let cell_row = appeal.lines().find(|l| l.contains(cell)).expect("the cell");
    assert!(
        cell_row.contains(&format!("| {old} | {new} |")),
        "{cell_row}"
    );
    assert!(cell_row.contains("line "), "locations: {cell_row}");
    let html = std::fs::read_to_string(d.join("final/index.html")).unwrap();
    let sec = &html[html.find("id=\"appeal\"").expect("appeal section")..];
    assert!(sec.contains(cell) && sec.contains(&format!("<td>{new}</td>")));
    assert!(sec.contains(&format!("<td>{}</td>", cols[5])));
    use calamine::{Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(d.join("final/rankings.xlsx")).unwrap();
    let places = wb.worksheet_range("申诉复核").unwrap();
    let hit = places
        .rows()
        .find(|r| r.iter().any(|c| *c == "990101") && r[1] == "all");
    let hit = hit.expect("990101 in the appeal sheet");
    assert_eq!(
        (hit[5].to_string(), hit[6].to_string()),
        (cols[5].to_owned(), cols[6].to_owned())
    );
    let cells = wb.worksheet_range("变动单元格").unwrap();
    assert!(
        cells
            .rows()
            .any(|r| { r[2] == cell && r[3] == old.as_str() && r[4] == new.as_str() })
    );
    // The score card of the corrected report names the cell with its place in the file.
    let card = std::fs::read_to_string(d.join("final/cards/990101-2024.html")).unwrap();
    // The corrected cell no longer adds up: the card's findings name it.
    assert!(card.contains(cell), "card names the cell");
    assert!(
        card.contains("new = ") && card.contains("(line "),
        "cells with places"
    );
    assert!(card.contains("名次 Ranks"));
    assert!(html.contains("href=\"cards/990101-2024.html\""));
    // `rank` takes a baseline too: the final run's frames against the preliminary run.
    gongkai_ok(
        &[
            "rank",
            "--frames",
            "final",
            "--out",
            "r",
            "--baseline",
            "prelim",
            "-q",
        ],
        d,
    );
    let md = std::fs::read_to_string(d.join("r/rankings.md")).unwrap();
    assert!(md.contains("## 申诉复核 Appeal round") && md.contains(&format!("| {old} | {new} |")));
    let out = gongkai(
        &[
            "rank",
            "--frames",
            "final",
            "--out",
            "r",
            "--baseline",
            "nowhere",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
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
    gongkai_ok(
        &["ingest", real.to_str().unwrap(), "--out", "frames"],
        dir.path(),
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
    let line = gongkai::score::model::DEFAULT_MODEL
        .lines()
        .position(|l| l.contains("sum(denied_*) / total"))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("m.toml: line {line}: indicator `denial_share`")),
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
    // 2023 prints the indicator too (equal values), so both years are fully covered.
    let (mut c, mut d) = (
        unit("990101", "示例市", 2023, 10.0, 9.0, 10.0),
        unit("990102", "示例市", 2023, 10.0, 5.0, 10.0),
    );
    for u in [&mut c, &mut d] {
        u.values
            .insert((TableKind::Disclosure, "procurement", "amount_wan"), 5.0);
    }
    let units = vec![a, b, c, d];
    let r = rank::run(&model, &units);
    // 2022 rank by the full score: 990102 first (its procurement outweighs).
    assert_eq!(find(&r, &units, "990102", 2022, "all").rank, Some(1));
    // On comparable indicators 990101 was ahead in both years: no change.
    assert_eq!(find(&r, &units, "990101", 2023, "all").rank_change, Some(0));
}
