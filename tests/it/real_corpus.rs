//! The real development reports (text, HTML and the PDF itself): every value read by hand (`tests/fixtures/real/
//! expected_cells.csv`, from the corpus README) must come out exactly, with its state, and
//! the reports must raise exactly the findings they should.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use gongkai::report::CellState;
use gongkai::report::Severity;
use gongkai::template::TableKind;

/// Every hand-read cell of both real corpora, exactly: a number with its value, `blank`, or
/// `ambiguous` where the glued digits have several readings the file cannot decide (the
/// convention of `real2/README.md`, applied to `real/` too: `3960181` under 上一年项目数量 |
/// 本年增/减 | 处理决定数量 reads as 396|0|181, 39|60|181, 3|960|181, …; only the original page
/// decides it). A number where the file does not decide the cell is the worst failure, so
/// the counts are printed: right, silently wrong, flagged.
#[test]
fn every_listed_value_comes_out_exactly() {
    let mut wrong = Vec::new();
    let (mut right, mut silent, mut flagged) = (0, 0, 0);
    for corpus in REAL_CORPORA {
        let expected = expected_cells(corpus);
        let mut parsed: std::collections::HashMap<String, gongkai::report::Parsed> =
            Default::default();
        let (r0, s0, f0) = (right, silent, flagged);
        for e in &expected {
            let p = parsed
                .entry(e.file.clone())
                .or_insert_with(|| parse_file(&fixture(&format!("{corpus}/{}", e.file))));
            let table = TableKind::ALL
                .into_iter()
                .find(|t| t.key() == e.table)
                .unwrap();
            let cell = p.report.cell(table, &e.row, &e.col);
            let state = cell.map_or(&CellState::Missing, |c| &c.state);
            let ok = match (e.expected.as_str(), state) {
                ("blank", CellState::Blank) => true,
                ("ambiguous", CellState::Ambiguous(_)) => true,
                (v, CellState::Number(d)) => d.to_string() == v,
                _ => false,
            };
            if ok {
                right += 1;
                continue;
            }
            if matches!(state, CellState::Number(_)) {
                silent += 1;
            } else {
                flagged += 1;
            }
            wrong.push(format!("{corpus}/{e:?}: got {state:?}"));
        }
        eprintln!(
            "{corpus}: {} of {} listed cells right, {} silently wrong, {} flagged",
            right - r0,
            expected.len(),
            silent - s0,
            flagged - f0
        );
    }
    assert_eq!(silent, 0, "silently wrong:\n{}", wrong.join("\n"));
    assert!(wrong.is_empty(), "not exact:\n{}", wrong.join("\n"));
}

/// The glued runs the file cannot decide list the hand-read value among their readings.
#[test]
fn undecided_runs_list_the_hand_read_value() {
    let p = parse_file(&fixture("real/fujian_pingtan_2019.txt"));
    for (row, col, value) in [
        ("normative_docs", "made", "89"),
        ("normative_docs", "published", "89"),
        ("normative_docs", "total_public", "89"),
        ("licensing", "prev_items", "396"),
        ("licensing", "added", "0"),
        ("licensing", "decisions", "181"),
    ] {
        let c = p.report.cell(TableKind::Disclosure, row, col).unwrap();
        let CellState::Ambiguous(cands) = &c.state else {
            panic!("{row}/{col}: {c:?}")
        };
        assert!(
            cands.iter().any(|x| x == value),
            "{row}/{col}: {value} not in {cands:?}"
        );
    }
}

/// Every finding `real2/expected_findings.csv` lists is raised: the reports' own identity
/// failures, and each identity that blank cells leave unchecked (said once per table and
/// identity, naming the blank cells). And no identity fails as an error that is not listed.
#[test]
fn development_reports_raise_the_listed_findings() {
    let expected = expected_findings("real2");
    let mut missing = Vec::new();
    let mut by_file: std::collections::BTreeMap<&str, Vec<&ExpectedFinding>> = Default::default();
    for e in &expected {
        by_file.entry(e.file.as_str()).or_default().push(e);
    }
    for (file, want) in &by_file {
        let p = parse_file(&fixture(&format!("real2/{file}")));
        for e in want {
            let covers = |cell: &String| {
                let parts: Vec<&str> = cell.split('/').collect();
                let [t, r, c] = parts[..] else { return false };
                t == e.table
                    && match e.scope.as_str() {
                        "row" | "group" => r == e.key,
                        "column" => c == e.key,
                        _ => false,
                    }
            };
            let found = p
                .findings
                .iter()
                .any(|f| f.rule == e.rule && f.cells.iter().any(covers));
            if !found {
                missing.push(format!("{file}: {} {}", e.rule, e.detail));
            }
        }
        for f in &p.findings {
            if f.severity == Severity::Error && f.rule.starts_with('I') {
                let listed = want.iter().any(|e| e.rule == f.rule);
                assert!(listed, "{file}: unlisted error {f:?}");
            }
        }
    }
    assert!(missing.is_empty(), "not raised:\n{}", missing.join("\n"));
}

#[test]
fn dayu_cell_for_cell() {
    let p = parse_file(&fixture("real/jiangxi_dayu_2019.txt"));
    // Every cell of the 2019 layout: 8 disclosure rows (27 cells), 23 request rows × 7,
    // 15 review cells; all read as numbers but the one blank 减.
    assert_eq!(p.report.cells.len(), 27 + 23 * 7 + 15);
    let not_numbers: Vec<String> = p
        .report
        .cells
        .iter()
        .filter(|c| c.state.number().is_none())
        .map(|c| c.name())
        .collect();
    assert_eq!(not_numbers, ["disclosure/licensing/removed"]);
    let raw = |r, c| {
        p.report
            .cell(TableKind::Disclosure, r, c)
            .unwrap()
            .raw
            .clone()
    };
    assert_eq!(raw("licensing", "added"), "12/");
    assert_eq!(raw("procurement", "amount_wan"), "19024.59萬元");
    // Only the scope note: the narrative's 4 applications are 县政府办's alone, the table's
    // 15 the county's. Not a mismatch.
    let rules: Vec<(&str, Severity)> = p.findings.iter().map(|f| (f.rule, f.severity)).collect();
    assert_eq!(rules, [("N2", Severity::Info)], "{:#?}", p.findings);
}

#[test]
fn huaian_outcome_groups_add_up_as_printed() {
    let p = parse_file(&fixture("real/jiangsu_huaian-shi_2024.pdftotext.txt"));
    let sum = |keys: &[&str]| -> i64 {
        keys.iter()
            .map(|k| {
                let c = p.report.cell(TableKind::Requests, k, "total").unwrap();
                c.state.number().unwrap().as_i64().unwrap()
            })
            .sum()
    };
    assert_eq!(sum(gongkai::template::DENIED), 178);
    assert_eq!(sum(gongkai::template::UNABLE), 781);
    assert_eq!(sum(gongkai::template::REJECTED), 88);
    assert_eq!(sum(gongkai::template::OTHER_2021), 187);
}

#[test]
fn layouts_are_decided_per_table() {
    let layout = |f: &str, t| {
        parse_file(&fixture(&format!("real/{f}")))
            .report
            .layout(t)
            .map(|l| l.key())
    };
    assert_eq!(
        layout("jiangxi_dayu_2019.txt", TableKind::Requests),
        Some("2019")
    );
    assert_eq!(
        layout("fujian_pingtan_2021.txt", TableKind::Requests),
        Some("2021")
    );
    assert_eq!(
        layout("fujian_pingtan_2021.txt", TableKind::Disclosure),
        Some("2021")
    );
    assert_eq!(
        layout(
            "jiangsu_huaian-shi_2024.pdftotext.txt",
            TableKind::Disclosure
        ),
        Some("2021")
    );
    assert_eq!(
        layout(
            "shanghai_shi-zhengfu-bangongting_2019.html",
            TableKind::Disclosure
        ),
        Some("2019")
    );
}

#[test]
fn findings_are_the_listed_ones_and_no_others() {
    let files = [
        "fujian_pingtan_2019.txt",
        "fujian_pingtan_2021.txt",
        "fujian_pingtan_2023.txt",
        "jiangsu_huaian-shi_2024.pdftotext.txt",
        "jiangxi_dayu_2019.txt",
        "shanghai_shi-zhengfu-bangongting_2019.html",
    ];
    let mut got = BTreeSet::new();
    for f in files {
        let p = parse_file(&fixture(&format!("real/{f}")));
        for x in &p.findings {
            assert_ne!(x.severity, Severity::Error, "{f}: {x:?}");
            got.insert((f, x.rule, x.cells[0].clone()));
        }
    }
    let mut want = BTreeSet::new();
    // Glued runs with no identity to decide them: said, not guessed.
    want.insert((
        "fujian_pingtan_2019.txt",
        "G1",
        "disclosure/normative_docs".to_owned(),
    ));
    want.insert((
        "fujian_pingtan_2019.txt",
        "G1",
        "disclosure/procurement".to_owned(),
    ));
    // 2019 rows of 上一年项目数量 | 本年增/减 | 处理决定数量 glued: a single 增/减 value is a
    // reading too, so `3960181` and its like have several.
    for row in ["licensing", "other_services", "penalty", "coercion", "fees"] {
        want.insert(("fujian_pingtan_2019.txt", "G1", format!("disclosure/{row}")));
    }
    want.insert((
        "fujian_pingtan_2021.txt",
        "G1",
        "disclosure/normative_docs".to_owned(),
    ));
    want.insert((
        "fujian_pingtan_2023.txt",
        "G1",
        "disclosure/normative_docs".to_owned(),
    ));
    // Dayu's narrative counts 县政府办 alone (4) where the table counts 15: a scope note.
    want.insert((
        "jiangxi_dayu_2019.txt",
        "N2",
        "requests/new/total".to_owned(),
    ));
    // Shanghai leaves the 总计 column blank in rows that hold numbers: a source defect.
    let s = "shanghai_shi-zhengfu-bangongting_2019.html";
    // …and says review and litigation were all upheld (均获维持) while 2 and 1 are pending.
    want.insert((s, "N3", "review_litigation/review".to_owned()));
    want.insert((s, "I2", "requests/total/total".to_owned()));
    // Identities that hold only if its blank cells are read as 0, once per table and
    // identity (the first blank cell named here).
    want.insert((s, "I1", "requests/carried_in/business".to_owned()));
    want.insert((s, "I2", "requests/denied_law/natural".to_owned()));
    want.insert((s, "I3", "requests/new/research".to_owned()));
    want.insert((s, "I4", "review_litigation/review/corrected".to_owned()));
    for row in [
        "granted",
        "partial",
        "denied_state_secret",
        "denied_internal",
        "denied_process",
        "denied_query",
        "unable_not_held",
        "unable_needs_creation",
        "unable_unclear",
        "rejected_petition",
        "rejected_duplicate",
    ] {
        want.insert((s, "I3", format!("requests/{row}/total")));
    }
    assert_eq!(got, want);
}

#[test]
fn ambiguous_procurement_lists_the_readings() {
    let p = parse_file(&fixture("real/fujian_pingtan_2019.txt"));
    let c = p
        .report
        .cell(TableKind::Disclosure, "procurement", "amount_wan")
        .unwrap();
    let CellState::Ambiguous(cands) = &c.state else {
        panic!("{c:?}")
    };
    assert!(cands.contains(&"5394432.52元".to_owned()), "{cands:?}");
    assert!(cands.contains(&"75394432.52元".to_owned()), "{cands:?}");
    assert_eq!(c.raw, "13575394432.52元");
}

#[test]
fn glued_cells_keep_the_printed_run_and_its_place() {
    let p = parse_file(&fixture("real/fujian_pingtan_2021.txt"));
    let c = p.report.cell(TableKind::Requests, "new", "legal").unwrap();
    assert_eq!(c.state.number().unwrap().to_string(), "0");
    assert_eq!(c.raw, "640020470");
    assert!(c.loc.unwrap().to_string().starts_with("line 10 char "));
}

#[test]
fn the_same_report_as_text_html_and_markdown_gives_the_same_cells() {
    for f in [
        "jiangxi_dayu_2019.txt",
        "shanghai_shi-zhengfu-bangongting_2019.html",
        "jiangsu_huaian-shi_2024.pdftotext.txt",
    ] {
        let original = parse_file(&fixture(&format!("real/{f}")));
        let want = cell_tuples(&original.report);
        let html = parse_bytes("x.html", render_html(&original.report).as_bytes());
        assert_eq!(cell_tuples(&html.report), want, "{f} as html");
        let text = parse_bytes("x.txt", render_pipe_text(&original.report).as_bytes());
        assert_eq!(cell_tuples(&text.report), want, "{f} as pipe text");
        let md = parse_bytes("x.md", render_markdown(&original.report).as_bytes());
        assert_eq!(cell_tuples(&md.report), want, "{f} as markdown");
    }
}

#[test]
fn traditional_and_gbk_inputs_read_like_their_simplified_utf8_form() {
    let original = parse_file(&fixture("real/jiangxi_dayu_2019.txt"));
    let text = std::fs::read_to_string(fixture("real/jiangxi_dayu_2019.txt")).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let p = parse_bytes("dayu_gb18030.txt", &gbk);
    assert_eq!(cell_tuples(&p.report), cell_tuples(&original.report));
    let (big5, _, _) = encoding_rs::BIG5.encode(&text);
    let p = parse_bytes("dayu_big5.txt", &big5);
    assert_eq!(cell_tuples(&p.report), cell_tuples(&original.report));
}

/// PDF fonts (Chromium's print-to-PDF) map characters to Kangxi radicals and radical forms
/// (`⾏` for 行, `⺠` for 民): a report written so reads as the report itself, HTML or text.
#[test]
fn radical_glyphs_read_as_their_characters() {
    for f in [
        "real2/jiangsu_shuyang-fagaiju_2023.html",
        "real/jiangxi_dayu_2019.txt",
    ] {
        let text = std::fs::read_to_string(fixture(f)).unwrap();
        let original = parse_bytes(f, text.as_bytes());
        let glyphs: String = text
            .chars()
            .map(|c| match c {
                '行' => '⾏',
                '方' => '⽅',
                '革' => '⾰',
                '民' => '⺠',
                '一' => '⼀',
                '二' => '⼆',
                '人' => '⼈',
                '大' => '⼤',
                '自' => '⾃',
                '用' => '⽤',
                c => c,
            })
            .collect();
        assert_ne!(glyphs, text);
        let p = parse_bytes(f, glyphs.as_bytes());
        assert_eq!(cell_tuples(&p.report), cell_tuples(&original.report), "{f}");
        assert_eq!(p.report.meta.issuer, original.report.meta.issuer, "{f}");
    }
}
