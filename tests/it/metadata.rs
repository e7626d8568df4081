//! Who, where and when: each development report resolves to its issuer, region code and
//! year; rules across reports (duplicates, carry-over, documents in force, text reuse) run
//! over a batch; a manifest overrides what files say.

use crate::common;

use std::path::Path;

use common::{fixture, parse_file};
use gongkai::batch;
use gongkai::report::Outcome;

struct Want {
    file: &'static str,
    issuer: &'static str,
    code: &'static str,
    level: &'static str,
    body: &'static str,
    year: i32,
}

#[test]
fn each_development_report_resolves_to_its_issuer_code_and_year() {
    let wants = [
        Want {
            file: "jiangxi_dayu_2019.txt",
            issuer: "大余县人民政府",
            code: "360723",
            level: "county",
            body: "government",
            year: 2019,
        },
        Want {
            file: "fujian_pingtan_2019.txt",
            issuer: "平潭综合实验区",
            code: "350128",
            level: "county",
            body: "government",
            year: 2019,
        },
        Want {
            file: "fujian_pingtan_2021.txt",
            issuer: "平潭综合实验区",
            code: "350128",
            level: "county",
            body: "government",
            year: 2021,
        },
        Want {
            file: "fujian_pingtan_2023.txt",
            issuer: "平潭综合实验区",
            code: "350128",
            level: "county",
            body: "government",
            year: 2023,
        },
        Want {
            file: "jiangsu_huaian-shi_2024.pdftotext.txt",
            issuer: "淮安市人民政府",
            code: "320800",
            level: "prefecture",
            body: "government",
            year: 2024,
        },
        Want {
            file: "shanghai_shi-zhengfu-bangongting_2019.html",
            issuer: "上海市人民政府办公厅",
            code: "310000",
            level: "province",
            body: "department",
            year: 2019,
        },
    ];
    let mut clues = Vec::new();
    for w in wants {
        let p = parse_file(&fixture(&format!("real/{}", w.file)));
        let m = &p.report.meta;
        let place = m
            .place
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no region", w.file));
        assert_eq!(m.issuer.as_deref(), Some(w.issuer), "{}", w.file);
        assert_eq!(place.code, w.code, "{}", w.file);
        assert_eq!(place.level.key(), w.level, "{}", w.file);
        assert_eq!(m.body.map(|b| b.key()), Some(w.body), "{}", w.file);
        assert_eq!(m.year, Some(w.year), "{}", w.file);
        clues.push(format!(
            "{}: issuer by {}, region by {}, year by {}",
            w.file,
            m.issuer_clue.unwrap(),
            m.region_clue.unwrap(),
            m.year_clue.unwrap()
        ));
    }
    eprintln!("{}", clues.join("\n"));
    let dayu = parse_file(&fixture("real/jiangxi_dayu_2019.txt"));
    assert_eq!(dayu.report.meta.issuer_clue.unwrap().key(), "signature");
    let place = dayu.report.meta.place.unwrap();
    assert_eq!(
        (place.province.as_str(), place.city.as_str()),
        ("江西省", "赣州市")
    );
}

#[test]
fn the_processing_fee_is_read_from_section_six() {
    let fee = |f: &str| {
        parse_file(&fixture(&format!("real/{f}")))
            .report
            .meta
            .processing_fee
            .map(|(d, _)| d.to_string())
    };
    assert_eq!(
        fee("jiangsu_huaian-shi_2024.pdftotext.txt").as_deref(),
        Some("3940")
    );
    assert_eq!(fee("fujian_pingtan_2021.txt").as_deref(), Some("0"));
    assert_eq!(fee("jiangxi_dayu_2019.txt"), None);
}

#[test]
fn huaian_narrative_agrees_with_its_tables() {
    let p = parse_file(&fixture("real/jiangsu_huaian-shi_2024.pdftotext.txt"));
    let keys: Vec<&str> = p.report.meta.stated.iter().map(|s| s.key).collect();
    for k in [
        "requests_new",
        "requests_done",
        "carried_in",
        "carried_out",
        "review_total",
        "suit_total",
    ] {
        assert!(keys.contains(&k), "{k} not read: {keys:?}");
    }
    assert!(
        p.findings.iter().all(|f| !f.rule.starts_with('N')),
        "{:#?}",
        p.findings
    );
}

const NARRATIVE: &str = "本县坚持以公开为常态、不公开为例外，围绕示例县中心工作，\
    持续深化政务公开，完善工作机制，细化职责分工，拓宽公开渠道，规范操作流程，\
    深化公开内容，在方便公众获取政府信息方面取得了一定的成效，群众满意度不断提升。";

/// A fictional county's report (示例县 of the fictional 示例省).
fn fictional(
    year: i32,
    carried_in: i64,
    carried_out: i64,
    in_force: i64,
    narrative: &str,
) -> String {
    let new = 5;
    let total = new + carried_in - carried_out;
    format!(
        "示例县人民政府{year}年政府信息公开工作年度报告\n一、总体情况\n{narrative}\n\
         二、主动公开政府信息情况\n第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数\n\
         规章 0 0 0\n行政规范性文件 3 1 {in_force}\n\
         三、收到和处理政府信息公开申请情况\n\
         一、本年新收政府信息公开申请数量 {new} 0 0 0 0 0 {new}\n\
         二、上年结转政府信息公开申请数量 {carried_in} 0 0 0 0 0 {carried_in}\n\
         (一)予以公开 {total} 0 0 0 0 0 {total}\n\
         (七)总计 {total} 0 0 0 0 0 {total}\n\
         四、结转下年度继续办理 {carried_out} 0 0 0 0 0 {carried_out}\n\
         五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"
    )
}

fn outcome(name: &str, text: &str) -> Outcome {
    batch::process_bytes(Path::new(name), text.as_bytes(), None)
}

fn rules_of(o: &Outcome) -> Vec<&'static str> {
    let mut r: Vec<&str> = o
        .result
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .map(|f| f.rule)
        .collect();
    r.sort();
    r.dedup();
    r
}

/// The batch-level rules a report raised (the fictional reports lack table 四 and most rows,
/// which raise their own findings).
fn across_rules(o: &Outcome) -> Vec<&'static str> {
    rules_of(o)
        .into_iter()
        .filter(|r| ["D1", "X1", "X2", "R1", "R2"].contains(r))
        .collect()
}

#[test]
fn rules_across_years_and_reports() {
    let other = "示例县聚焦群众关切，推进重点领域信息公开，加强政策解读与回应，\
        利用政务新媒体发布权威信息，开展业务培训，提升工作人员能力水平，健全监督考核制度。";
    let batch = batch::finish(
        vec![
            outcome("a/2020.txt", &fictional(2020, 0, 2, 10, NARRATIVE)),
            // carried_in 3 ≠ last year's carried_out 2 (X1); in_force 10 + 3 - 1 ≠ 15 (X2);
            // the same narrative as last year (R1).
            outcome("a/2021.txt", &fictional(2021, 3, 0, 15, NARRATIVE)),
            // Another copy of 2021, with fewer numbers read: the duplicate (D1).
            outcome(
                "a/2021_copy.txt",
                &fictional(2021, 3, 0, 15, other).replace("规章 0 0 0\n", ""),
            ),
        ],
        Vec::new(),
    );
    let by = |name: &str| {
        batch
            .outcomes
            .iter()
            .find(|o| o.path.ends_with(name))
            .unwrap()
    };
    assert!(across_rules(by("2020.txt")).is_empty());
    assert_eq!(across_rules(by("2021.txt")), ["R1", "X1", "X2"]);
    assert_eq!(across_rules(by("2021_copy.txt")), ["D1"]);
    // 示例县 is no real division; it falls in the fictional 示例省 (codes 99…).
    let meta = &by("2020.txt").result.as_ref().unwrap().report.meta;
    assert!(meta.place.as_ref().unwrap().code.starts_with("99"));
    assert_eq!(
        by("2021_copy.txt").batch.duplicate_of.as_deref(),
        Some(by("2021.txt").id.as_str())
    );
    let (share, year) = by("2021.txt").batch.reuse_previous.unwrap();
    assert_eq!((share, year), (1.0, 2020));
    let x1 = by("2021.txt")
        .result
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .find(|f| f.rule == "X1")
        .unwrap();
    assert_eq!(
        (x1.expected.as_str(), x1.actual.as_str()),
        ("natural 2; total 2", "natural 3; total 3")
    );
}

#[test]
fn pingtan_series_runs_without_false_carry_over_alarms() {
    let batch = batch::ingest(
        &[
            fixture("real/fujian_pingtan_2019.txt"),
            fixture("real/fujian_pingtan_2021.txt"),
            fixture("real/fujian_pingtan_2023.txt"),
        ],
        None,
    );
    // No two consecutive years: nothing to compare for X1/X2; text reuse is measured
    // against the latest earlier report.
    for o in &batch.outcomes {
        let rules = rules_of(o);
        assert!(
            !rules.contains(&"X1") && !rules.contains(&"X2") && !rules.contains(&"D1"),
            "{rules:?}"
        );
    }
    let y2021 = batch
        .outcomes
        .iter()
        .find(|o| o.path.ends_with("fujian_pingtan_2021.txt"))
        .unwrap();
    assert_eq!(y2021.batch.reuse_previous.map(|(_, y)| y), Some(2019));
}

#[test]
fn a_reply_time_in_working_days_is_no_request_count() {
    // Found by the synthetic corpus: "答复 … 平均答复时间12个工作日" was read as a claim
    // about requests handled (N1) because 个 is a count unit.
    let narrative = format!("{NARRATIVE}依法做好政府信息公开申请答复，平均答复时间12个工作日。");
    let o = outcome("a.txt", &fictional(2022, 0, 0, 2, &narrative));
    let p = o.result.as_ref().unwrap();
    assert!(
        p.report
            .meta
            .stated
            .iter()
            .all(|s| s.key != "requests_done"),
        "{:?}",
        p.report.meta.stated
    );
    assert!(!rules_of(&o).contains(&"N1"), "{:?}", rules_of(&o));
}
