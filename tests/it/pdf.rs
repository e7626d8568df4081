//! PDFs as Word, LibreOffice, WPS and browsers make them, read by position: every cell of
//! the LibreOffice and Chromium fixtures (made by `tests/fixtures/pdf/make.sh` from
//! fictional reports) reads to its truth, blanks included; real web pages printed by
//! Chromium read like their HTML.

use crate::common;

use std::collections::BTreeMap;

use common::{cell_tuples, expected_cells, fixture, parse_file};
use gongkai::report::CellState;

/// `truth_cells.csv` of the fixtures: (file, table, row, col) → (value, state).
fn truth() -> BTreeMap<(String, String, String, String), (String, String)> {
    let mut r = csv::Reader::from_path(fixture("pdf/truth_cells.csv")).unwrap();
    let h = r.headers().unwrap().clone();
    let at = |name: &str| {
        h.iter()
            .position(|x| x.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (source, table, row, col, value, state) = (
        at("source"),
        at("table"),
        at("row"),
        at("col"),
        at("value"),
        at("state"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let file = rec[source].rsplit('/').next().unwrap().to_owned();
            (
                (file, rec[table].into(), rec[row].into(), rec[col].into()),
                (rec[value].into(), rec[state].into()),
            )
        })
        .collect()
}

#[test]
fn producer_pdfs_read_to_their_truth_cells() {
    let truth = truth();
    let mut files: Vec<&String> = truth.keys().map(|k| &k.0).collect();
    files.dedup();
    assert!(files.len() >= 10, "{files:?}");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in files {
        let p = parse_file(&fixture(&format!("pdf/{file}")));
        assert_eq!(p.report.format, gongkai::source::Format::Pdf, "{file}");
        let mut got: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
        for c in &p.report.cells {
            let value = c.state.number().map(|d| d.to_string()).unwrap_or_default();
            got.insert(
                (c.table.key().into(), c.row.into(), c.col.into()),
                (value, c.state.key().into()),
            );
        }
        for ((f, t, r, c), want) in
            truth.range((file.clone(), String::new(), String::new(), String::new())..)
        {
            if f != file {
                break;
            }
            checked += 1;
            let key = (t.clone(), r.clone(), c.clone());
            match got.remove(&key) {
                Some(g) if &g == want => {}
                other => wrong.push(format!("{file} {t}/{r}/{c}: want {want:?}, got {other:?}")),
            }
        }
        // Nothing printed that the report does not hold.
        for ((t, r, c), (v, state)) in got {
            if state == CellState::Blank.key() || state == "missing" {
                continue;
            }
            wrong.push(format!(
                "{file} {t}/{r}/{c}: not in the truth, got {state} {v}"
            ));
        }
    }
    eprintln!("{checked} truth cells checked, {} wrong", wrong.len());
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Real web pages printed by Chromium (its fonts map glyphs to Kangxi radicals: `⾏`, `⺠`)
/// read cell for cell like the pages themselves, and every hand-read value comes out.
#[test]
fn printed_real_pages_read_like_their_html() {
    for (corpus, name) in [
        ("real", "shanghai_shi-zhengfu-bangongting_2019"),
        ("real2", "jiangsu_shuyang-fagaiju_2023"),
    ] {
        let html = parse_file(&fixture(&format!("{corpus}/{name}.html")));
        let pdf = parse_file(&fixture(&format!("pdf/real/{name}.pdf")));
        assert_eq!(pdf.report.format, gongkai::source::Format::Pdf);
        assert_eq!(pdf.report.meta.issuer, html.report.meta.issuer, "{name}");
        assert_eq!(pdf.report.meta.year, html.report.meta.year, "{name}");
        assert_eq!(
            cell_tuples(&pdf.report),
            cell_tuples(&html.report),
            "{name}"
        );
        let listed: Vec<_> = expected_cells(corpus)
            .into_iter()
            .filter(|e| e.file == format!("{name}.html"))
            .collect();
        assert!(!listed.is_empty(), "{name}");
        for e in listed {
            let cell = pdf
                .report
                .cells
                .iter()
                .find(|c| c.table.key() == e.table && c.row == e.row && c.col == e.col)
                .unwrap_or_else(|| panic!("{name} {e:?} missing"));
            let got = match &cell.state {
                CellState::Number(d) => d.to_string(),
                s => s.key().to_owned(),
            };
            assert_eq!(got, e.expected, "{name} {e:?}");
        }
        // Cells say where they are on the page.
        let loc = pdf.report.cells[0].loc.expect("a location").to_string();
        assert!(loc.starts_with("page "), "{loc}");
    }
}
