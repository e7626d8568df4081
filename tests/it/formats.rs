//! Every format a report arrives in gives the cells its text form gives; bad containers are
//! error rows with a reason, never panics.

use crate::common;

use std::io::{Cursor, Write};
use std::path::Path;

use common::{cell_tuples, fixture, parse_bytes, parse_file};
use gongkai::batch::process_bytes;
use gongkai::synth::office;
use gongkai::synth::render::print_report;

const REPORTS: [&str; 3] = [
    "jiangxi_dayu_2019.txt",
    "shanghai_shi-zhengfu-bangongting_2019.html",
    "jiangsu_huaian-shi_2024.pdftotext.txt",
];

#[test]
fn each_development_report_reads_the_same_from_every_office_format() {
    for f in REPORTS {
        let original = parse_file(&fixture(&format!("real/{f}")));
        let want = cell_tuples(&original.report);
        let tables = print_report(&original.report);
        let forms: Vec<(&str, Vec<u8>)> = vec![
            ("x.xlsx", office::xlsx(&tables, &[], &[], true).unwrap()),
            (
                "sheets.xlsx",
                office::xlsx(&tables, &[], &[], false).unwrap(),
            ),
            (
                "text-numbers.xlsx",
                office::xlsx_with(&tables, &[], &[], true, true).unwrap(),
            ),
            ("x.ods", office::ods(&tables, &[], &[]).unwrap()),
            ("x.docx", office::docx(&tables, &[], &[]).unwrap()),
            ("x.csv", office::csv(&tables, &[], &[]).into_bytes()),
            (
                "gbk.csv",
                encoding_rs::GB18030
                    .encode(&office::csv(&tables, &[], &[]))
                    .0
                    .into_owned(),
            ),
            // Government ".xls" downloads are often workbooks of another kind, or HTML.
            (
                "misnamed.xls",
                office::xlsx(&tables, &[], &[], true).unwrap(),
            ),
        ];
        for (name, bytes) in forms {
            let p = parse_bytes(name, &bytes);
            assert_eq!(cell_tuples(&p.report), want, "{f} as {name}");
        }
    }
}

#[test]
fn sheet_cells_point_at_their_a1_address() {
    let original = parse_file(&fixture("real/jiangxi_dayu_2019.txt"));
    let bytes = office::xlsx(&print_report(&original.report), &[], &[], true).unwrap();
    let p = parse_bytes("x.xlsx", &bytes);
    let c = p
        .report
        .cell(gongkai::template::TableKind::Requests, "new", "total")
        .unwrap();
    let loc = c.loc.unwrap().to_string();
    assert!(loc.starts_with("sheet 1 cell "), "{loc}");
}

fn failure(name: &str, bytes: &[u8]) -> (String, String, Option<String>) {
    let o = process_bytes(Path::new(name), bytes, None);
    let f = o.result.expect_err(name);
    (f.kind.key().to_owned(), f.message, f.hint)
}

#[test]
fn a_truncated_workbook_is_a_corrupt_file() {
    let original = parse_file(&fixture("real/jiangxi_dayu_2019.txt"));
    let bytes = office::xlsx(&print_report(&original.report), &[], &[], true).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 30, 10] {
        let (kind, message, hint) = failure("cut.xlsx", &bytes[..cut]);
        assert_eq!(kind, "corrupt", "{cut}: {message}");
        assert!(hint.unwrap().contains("re-download"));
    }
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_unpacked() {
    // One megabyte of zeros, stored 300 times under different names: 300 MB unpacked.
    let mut one = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    one.start_file("a", opts).unwrap();
    one.write_all(&vec![0u8; 1 << 20]).unwrap();
    let one = one.finish().unwrap().into_inner();
    let mut src = zip::ZipArchive::new(Cursor::new(one)).unwrap();
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..300 {
        let f = src.by_index_raw(0).unwrap();
        bomb.raw_copy_file_rename(f, format!("xl/sheet{i}.xml"))
            .unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());
    let (kind, message, _) = failure("bomb.xlsx", &bomb);
    assert_eq!(kind, "too_large_unzipped", "{message}");
}

#[test]
fn password_protected_and_old_word_files_say_what_to_do() {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 500]);
    let mut encrypted = ole.clone();
    encrypted.extend(utf16("EncryptedPackage"));
    let (kind, _, hint) = failure("locked.xlsx", &encrypted);
    assert_eq!(kind, "encrypted");
    assert!(hint.unwrap().contains("password"));
    let mut doc = ole.clone();
    doc.extend(utf16("WordDocument"));
    let (kind, message, hint) = failure("old.doc", &doc);
    assert_eq!(kind, "unsupported", "{message}");
    assert!(hint.unwrap().contains(".docx"));
    // An OLE file that claims to be a workbook but is not one.
    let mut xls = ole;
    xls.extend(utf16("Workbook"));
    let (kind, _, _) = failure("broken.xls", &xls);
    assert_eq!(kind, "corrupt");
}

#[test]
fn an_empty_workbook_and_a_huge_csv_are_error_rows() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    let empty = wb.save_to_buffer().unwrap();
    let (kind, _, _) = failure("empty.xlsx", &empty);
    assert_eq!(kind, "no_text");
    let mut big = String::from("单位名称,年度,本年新收,予以公开,部分公开,不予公开\n");
    for i in 0..200_000 {
        big += &format!("示例{i}县,2024,{i},0,0,0\n");
    }
    let (kind, message, _) = failure("huge.csv", big.as_bytes());
    assert_eq!(kind, "too_many_cells", "{message}");
}

#[test]
fn the_pdf_reads_like_its_pdftotext_text() {
    let pdf = parse_file(&fixture("real/jiangsu_huaian-shi_2024.pdf"));
    let text = parse_file(&fixture("real/jiangsu_huaian-shi_2024.pdftotext.txt"));
    assert_eq!(pdf.report.format, gongkai::source::Format::Pdf);
    assert_eq!(cell_tuples(&pdf.report), cell_tuples(&text.report));
    assert_eq!(pdf.report.meta.issuer.as_deref(), Some("淮安市人民政府"));
    assert_eq!(pdf.report.meta.year, Some(2024));
    let rules = |p: &gongkai::report::Parsed| {
        let mut r: Vec<&str> = p.findings.iter().map(|f| f.rule).collect();
        r.sort_unstable();
        r
    };
    assert_eq!(rules(&pdf), rules(&text));
}

/// A valid PDF of one page with `content` as its page stream (no fonts: no text layer).
fn pdf_with(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    ];
    let objects: Vec<Vec<u8>> = objects.into_iter().map(String::into_bytes).collect();
    common::pdf_of(&objects)
}

#[test]
fn a_scanned_or_broken_pdf_is_an_error_row_that_says_what_to_do() {
    // A page that only draws (a scan's image would be the same: no text).
    let scan = pdf_with("0 0 m 100 100 l S");
    let (kind, message, hint) = failure("scan.pdf", &scan);
    assert_eq!(kind, "no_text_layer", "{message}");
    assert!(hint.unwrap().contains("OCR"));
    let real = std::fs::read(fixture("real/jiangsu_huaian-shi_2024.pdf")).unwrap();
    let (kind, message, _) = failure("cut.pdf", &real[..real.len() / 3]);
    assert_eq!(kind, "corrupt", "{message}");
}

/// A PDF that draws more than any report is an error row once it passes the cap, checked as
/// it is drawn (not after everything is in memory).
#[test]
fn a_pdf_drawing_past_the_cap_is_an_error_row() {
    use gongkai::batch::{Options, process_cached};
    use gongkai::source::Limits;
    let rules = "0 0 10 0.5 re f\n".repeat(5_000);
    let pdf = pdf_with(&rules);
    let tight = Options {
        limits: Limits {
            sheet_cells: 1_000,
            ..Limits::default()
        },
        ..Options::default()
    };
    let o = process_cached(Path::new("rules.pdf"), &pdf, None, &tight);
    let f = o[0].result.as_ref().unwrap_err();
    assert_eq!(f.kind.key(), "too_many_cells", "{}", f.message);
    assert!(f.message.contains("glyphs and rules"), "{}", f.message);
    assert!(f.hint.as_deref().unwrap().contains("--max-cells"));
    // Under the default cap the same file is only a page without text.
    let (kind, _, _) = failure("rules.pdf", &pdf);
    assert_eq!(kind, "no_text_layer");
}

/// A province's summary workbook: a title, two header rows with merged parents, synonyms, a
/// traditional header, a canonical key, numbers as Int, Float and text, an unknown column.
fn summary_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        14,
        "示例省2024年政府信息公开工作年度报告汇总表",
        &f,
    )
    .unwrap();
    for (c, h) in ["序号", "单位名称", "年度"].iter().enumerate() {
        ws.merge_range(1, c as u16, 2, c as u16, h, &f).unwrap();
    }
    ws.merge_range(1, 3, 1, 9, "本年新收政府信息公开申请数量", &f)
        .unwrap();
    for (i, h) in [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, 3 + i as u16, *h).unwrap();
    }
    ws.merge_range(1, 10, 2, 10, "行政許可處理決定數", &f)
        .unwrap();
    ws.merge_range(1, 11, 2, 11, "行政处罚决定数", &f).unwrap();
    ws.merge_range(1, 12, 2, 12, "review_litigation.review.total", &f)
        .unwrap();
    ws.merge_range(1, 13, 2, 13, "行政复议结果纠正", &f)
        .unwrap();
    ws.merge_range(1, 14, 2, 14, "联系电话", &f).unwrap();
    let rows: [(&str, [f64; 7], &str); 3] = [
        (
            "示例省示例一市示例一县人民政府",
            [10.0, 1.0, 0.0, 0.0, 0.0, 1.0, 12.0],
            "447228",
        ),
        (
            "示例省示例一市示例二县人民政府",
            [3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 3.0],
            "25",
        ),
        ("示例省示例二市示例一县人民政府", [0.0; 7], "0"),
    ];
    for (i, (name, new, licensing)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, "2024年").unwrap();
        for (k, v) in new.iter().enumerate() {
            ws.write_number(r, 3 + k as u16, *v).unwrap();
        }
        ws.write_string(r, 10, *licensing).unwrap();
        ws.write_number(r, 11, 5.0).unwrap();
        ws.write_number(r, 12, 2.0).unwrap();
        ws.write_number(r, 13, 1.0).unwrap();
        ws.write_string(r, 14, "0000-0000000").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_summary_sheet_gives_one_report_per_row() {
    let bytes = summary_workbook();
    let outcomes = gongkai::batch::process_all(Path::new("汇总.xlsx"), &bytes, None);
    assert_eq!(outcomes.len(), 3);
    let id = &outcomes[0].id;
    assert!(id.ends_with("-r4"), "{id}");
    let codes: Vec<String> = outcomes
        .iter()
        .map(|o| {
            let p = o.result.as_ref().unwrap();
            assert_eq!(p.report.meta.year, Some(2024));
            p.report.meta.place.as_ref().unwrap().code.clone()
        })
        .collect();
    assert_eq!(codes, ["990101", "990102", "990201"]);
    let p = outcomes[0].result.as_ref().unwrap();
    let value = |t, r, c| {
        p.report
            .cell(t, r, c)
            .and_then(|c| c.state.number())
            .map(|d| d.to_string())
    };
    use gongkai::template::TableKind::*;
    assert_eq!(value(Requests, "new", "natural").as_deref(), Some("10"));
    assert_eq!(value(Requests, "new", "total").as_deref(), Some("12"));
    assert_eq!(
        value(Disclosure, "licensing", "decisions").as_deref(),
        Some("447228")
    );
    assert_eq!(
        value(Disclosure, "penalty", "decisions").as_deref(),
        Some("5")
    );
    assert_eq!(
        value(ReviewLitigation, "review", "total").as_deref(),
        Some("2")
    );
    assert_eq!(
        value(ReviewLitigation, "review", "corrected").as_deref(),
        Some("1")
    );
    let unknown = p.findings.iter().find(|f| f.rule == "S1").expect("S1");
    assert!(unknown.actual.contains("联系电话"), "{}", unknown.actual);
    assert!(!unknown.actual.contains("序号"));
    // Cells point at their place in the sheet.
    let loc = p
        .report
        .cell(Requests, "new", "natural")
        .unwrap()
        .loc
        .unwrap()
        .to_string();
    assert_eq!(loc, "sheet 1 cell D4");
}

#[test]
fn a_csv_summary_of_many_issuers_ingests_row_by_row() {
    let mut csv = String::from("单位名称,年度,requests.new.total,disclosure.licensing.decisions\n");
    for i in 1..=50 {
        csv += &format!(
            "示例省示例一市{}人民政府,{},{i},{}\n",
            gongkai::synth::county_name(i),
            2019 + i % 6,
            i * 10
        );
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("summary.csv"), csv).unwrap();
    let out = common::gongkai(&["ingest", "summary.csv", "--out", "o"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("50 files seen, 50 parsed"), "{stdout}");
}

#[test]
fn libreoffice_padding_in_ods_is_not_expanded() {
    // LibreOffice pads rows to 1,024 columns and sheets to a million rows with repeats.
    let row = |cells: &str| {
        format!(
            "<table:table-row>{cells}<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
        )
    };
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let num = |v: u32| {
        format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let body = [
        row(&[cell("单位名称"), cell("年度"), cell("本年新收（件）"), cell("行政许可处理决定数")].concat()),
        row(&[cell("示例省示例一市示例一县人民政府"), cell("2024年"), num(7), num(9)].concat()),
        "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>".to_owned(),
    ]
    .concat();
    let content = format!(
        "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\
<office:body><office:spreadsheet><table:table table:name=\"s\">{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let outcomes = gongkai::batch::process_all(Path::new("lo.ods"), &bytes, None);
    assert_eq!(outcomes.len(), 1);
    let p = outcomes[0].result.as_ref().unwrap();
    let new = p
        .report
        .cell(gongkai::template::TableKind::Requests, "new", "total")
        .unwrap();
    assert_eq!(
        new.state.number().map(|d| d.to_string()).as_deref(),
        Some("7")
    );
}

/// A province's summary over several years, shaped like real ones: the title spans
/// 2022—2024 (a line above the table), a header in two rows with merged group cells, a 序号
/// column, 年度 as text in every common form, one issuer-year per row (the same issuer in
/// two years), a row with no year, a 合计 row and a notes row below the table.
const MULTI_YEAR_TITLE: &str = "示例省2022—2024年度政府信息公开工作年度报告汇总表";
const MULTI_YEAR_ROWS: [(&str, &str, [u32; 7], u32); 5] = [
    (
        "示例省示例一市示例一县人民政府",
        "2023年",
        [4, 0, 0, 0, 0, 1, 5],
        120,
    ),
    (
        "示例省示例一市示例一县人民政府",
        "2024",
        [6, 1, 0, 0, 0, 0, 7],
        130,
    ),
    (
        "示例省示例一市示例二县人民政府",
        "2022年度",
        [2, 0, 0, 0, 0, 0, 2],
        40,
    ),
    (
        "示例省示例一市示例二县人民政府",
        "2024 年",
        [3, 0, 0, 0, 0, 0, 3],
        41,
    ),
    (
        "示例省示例二市示例一县人民政府",
        "",
        [1, 0, 0, 0, 0, 0, 1],
        9,
    ),
];
const NEW_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

fn multi_year_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 10, MULTI_YEAR_TITLE, &f).unwrap();
    for (c, h) in ["序号", "单位名称", "年度"].iter().enumerate() {
        ws.merge_range(1, c as u16, 2, c as u16, h, &f).unwrap();
    }
    ws.merge_range(1, 3, 1, 9, "本年新收政府信息公开申请数量", &f)
        .unwrap();
    for (i, h) in NEW_COLUMNS.iter().enumerate() {
        ws.write_string(2, 3 + i as u16, *h).unwrap();
    }
    ws.merge_range(1, 10, 2, 10, "行政许可处理决定数", &f)
        .unwrap();
    let mut r = 3u32;
    for (i, (name, year, new, lic)) in MULTI_YEAR_ROWS.iter().enumerate() {
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        if !year.is_empty() {
            ws.write_string(r, 2, *year).unwrap();
        }
        for (k, v) in new.iter().enumerate() {
            ws.write_number(r, 3 + k as u16, *v as f64).unwrap();
        }
        ws.write_number(r, 10, *lic as f64).unwrap();
        r += 1;
    }
    ws.merge_range(r, 0, r, 2, "合计", &f).unwrap();
    for k in 0..7 {
        let sum: u32 = MULTI_YEAR_ROWS.iter().map(|x| x.2[k]).sum();
        ws.write_number(r, 3 + k as u16, sum as f64).unwrap();
    }
    ws.merge_range(
        r + 1,
        0,
        r + 1,
        10,
        "注：1.本表由各县填报；2.年度为报告所属年度。",
        &f,
    )
    .unwrap();
    wb.save_to_buffer().unwrap()
}

/// The same sheet as LibreOffice writes it: spans, covered cells, repeated empty cells.
fn multi_year_ods() -> Vec<u8> {
    let s = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let n = |v: u32| {
        format!(
            "<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let span = |v: &str, cols: usize, rows: usize| {
        format!(
            "<table:table-cell table:number-columns-spanned=\"{cols}\" table:number-rows-spanned=\"{rows}\" office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let covered = |k: usize| "<table:covered-table-cell/>".repeat(k);
    let row = |cells: String| format!("<table:table-row>{cells}</table:table-row>");
    let mut body = row(span(MULTI_YEAR_TITLE, 11, 1) + &covered(10));
    body += &row([
        span("序号", 1, 2),
        span("单位名称", 1, 2),
        span("年度", 1, 2),
        span("本年新收政府信息公开申请数量", 7, 1),
        covered(6),
        span("行政许可处理决定数", 1, 2),
    ]
    .concat());
    body += &row(covered(3) + &NEW_COLUMNS.iter().map(|h| s(h)).collect::<String>() + &covered(1));
    for (i, (name, year, new, lic)) in MULTI_YEAR_ROWS.iter().enumerate() {
        let year = if year.is_empty() {
            "<table:table-cell/>".to_owned()
        } else {
            s(year)
        };
        body += &row(n(i as u32 + 1)
            + &s(name)
            + &year
            + &new.iter().map(|v| n(*v)).collect::<String>()
            + &n(*lic));
    }
    let sums: String = (0..7)
        .map(|k| n(MULTI_YEAR_ROWS.iter().map(|x| x.2[k]).sum()))
        .collect();
    body += &row(span("合计", 3, 1) + &covered(2) + &sums + "<table:table-cell/>");
    body += &row(span("注：1.本表由各县填报；2.年度为报告所属年度。", 11, 1) + &covered(10));
    body += "<table:table-row table:number-rows-repeated=\"1000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"汇总\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    ods_zip(&content)
}

fn ods_zip(content: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_multi_year_summary_takes_each_rows_own_year() {
    for (name, bytes) in [
        ("汇总2022-2024.xlsx", multi_year_xlsx()),
        ("汇总2022-2024.ods", multi_year_ods()),
    ] {
        let outcomes = gongkai::batch::process_all(Path::new(name), &bytes, None);
        let parsed: Vec<_> = outcomes
            .iter()
            .map(|o| {
                o.result
                    .as_ref()
                    .unwrap_or_else(|f| panic!("{name}: {}", f.message))
            })
            .collect();
        // One report per issuer-year: not the 合计 row, not the notes.
        assert_eq!(parsed.len(), 5, "{name}");
        let years: Vec<Option<i32>> = parsed.iter().map(|p| p.report.meta.year).collect();
        assert_eq!(
            years,
            [Some(2023), Some(2024), Some(2022), Some(2024), None],
            "{name}: each row's own 年度; none where it is empty, not the title's 2024"
        );
        for (p, (issuer, _, new, lic)) in parsed.iter().zip(MULTI_YEAR_ROWS) {
            assert_eq!(p.report.meta.issuer.as_deref(), Some(issuer), "{name}");
            let num = |t, r, c| {
                p.report
                    .cell(t, r, c)
                    .and_then(|c| c.state.number())
                    .and_then(|d| d.as_i64())
            };
            use gongkai::template::TableKind::*;
            assert_eq!(
                num(Requests, "new", "natural"),
                Some(new[0] as i64),
                "{name}"
            );
            assert_eq!(num(Requests, "new", "total"), Some(new[6] as i64), "{name}");
            assert_eq!(
                num(Disclosure, "licensing", "decisions"),
                Some(lic as i64),
                "{name}"
            );
            // The first data row is data, not a third header row.
            for f in p.findings.iter().filter(|f| f.rule == "S1") {
                assert!(
                    !f.actual.contains("序号1") && !f.actual.contains("年度2023"),
                    "{name}: {f:?}"
                );
            }
        }
        let last = &parsed[4];
        assert!(
            last.findings.iter().any(|f| f.rule == "M2"),
            "{name}: a row without a year says so: {:#?}",
            last.findings
        );
    }
}

/// Markdown as PDF converters write it when row labels float out of the table: the labels
/// of the rows starting with `prefixes` become plain lines before the table's next value
/// row, each broken mid-word across two lines, and their rows keep only the values.
fn float_labels(md: &str, prefixes: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<String>, labels: &mut Vec<String>, values: &mut Vec<String>| {
        for l in labels.drain(..) {
            let chars: Vec<char> = l.chars().collect();
            let half = chars.len() / 2 + 1;
            out.push(chars[..half].iter().collect());
            out.push(chars[half..].iter().collect());
        }
        out.append(values);
    };
    for line in md.lines() {
        let cells: Vec<&str> = line.split('|').collect();
        let label = cells.get(1).map_or("", |c| c.trim());
        if line.starts_with('|') && prefixes.iter().any(|p| label.starts_with(p)) {
            labels.push(label.to_owned());
            values.push(format!("|{}", cells[2..].join("|")));
            continue;
        }
        flush(&mut out, &mut labels, &mut values);
        out.push(line.to_owned());
    }
    flush(&mut out, &mut labels, &mut values);
    out.join("\n") + "\n"
}

fn markdown_truth() -> gongkai::synth::Truth {
    let opts = gongkai::synth::Options {
        issuers: 1,
        years: (2022, 2022),
        seed: 7,
        error_rate: 0.0,
        contradiction_rate: 0.0,
        old_requests_rate: 0.0,
        change_form_rate: 0.0,
    };
    gongkai::synth::generate(&opts).remove(0)
}

#[test]
fn floating_labels_are_paired_with_their_value_rows_when_the_sums_confirm_it() {
    use gongkai::report::CellState;
    use gongkai::template::TableKind;
    let t = markdown_truth();
    let md = String::from_utf8(gongkai::synth::render_report(
        &t,
        gongkai::synth::Shape::Markdown,
    ))
    .unwrap();
    let unable = ["1.本机关不掌握", "2.没有现成信息", "3.补正后"];
    let floated = float_labels(&md, &unable);
    assert!(
        floated.contains("\n1.本机关不掌握\n相关政府信息\n"),
        "{floated}"
    );
    let p = common::parse_bytes("floated.md", floated.as_bytes());
    for ((kind, r, c), v) in &t.cells {
        let cell = p.report.cell(*kind, r, c).unwrap();
        assert_eq!(
            cell.state.number().and_then(|d| d.as_i64()),
            Some(*v),
            "{}/{r}/{c}",
            kind.key()
        );
    }
    let g3 = p.findings.iter().find(|f| f.rule == "G3").expect("G3");
    assert_eq!(g3.severity, gongkai::report::Severity::Info);
    // The same rows when the table's sums do not hold: nothing confirms the pairing, so
    // the three rows are ambiguous among the value rows, never placed by guess.
    let broken = floated.replacen("| 总计 |", "| 总计 | 1", 1);
    let p = common::parse_bytes("floated.md", broken.as_bytes());
    for row in ["unable_not_held", "unable_needs_creation", "unable_unclear"] {
        let c = p.report.cell(TableKind::Requests, row, "total").unwrap();
        assert!(matches!(c.state, CellState::Ambiguous(_)), "{row}: {c:?}");
    }
    assert!(
        p.findings
            .iter()
            .any(|f| f.rule == "G3" && f.severity == gongkai::report::Severity::Warning)
    );
}

#[test]
fn a_floating_label_with_no_value_row_is_missing_not_blank() {
    use gongkai::report::CellState;
    use gongkai::template::TableKind;
    let t = markdown_truth();
    let md = String::from_utf8(gongkai::synth::render_report(
        &t,
        gongkai::synth::Shape::Markdown,
    ))
    .unwrap();
    // The label floats out and its value row is lost.
    let mut floated = float_labels(&md, &["2.没有现成信息"]);
    let lost = floated
        .lines()
        .find(|l| {
            l.starts_with('|')
                && !l.contains("没有现成")
                && floated.contains(&format!("需要另行制作\n{l}"))
        })
        .map(str::to_owned)
        .unwrap();
    floated = floated.replacen(&format!("{lost}\n"), "", 1);
    let p = common::parse_bytes("floated.md", floated.as_bytes());
    let c = p
        .report
        .cell(TableKind::Requests, "unable_needs_creation", "total")
        .unwrap();
    assert_eq!(c.state, CellState::Missing, "{c:?}");
    assert!(p.findings.iter().any(|f| f.rule == "G3"));
}
