//! What a crawler brings in at night: every hostile input is an error row with a reason (or a
//! report without tables), never a panic, and the rest of the batch goes on.

use crate::common;

use std::io::{Cursor, Write};

use common::{fixture, gongkai};

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// `GONGKAI_HOSTILE_FULL=DIR` writes the batch at the sizes of issue 18 (a 50 MB unclosed
/// quote, a 200 × 2,000 span storm) into DIR as well, for `benches/hostile.sh` to time in
/// release; the test itself runs at a tenth of that.
#[test]
fn a_batch_of_hostile_inputs_gives_error_rows_and_the_real_report_still_parses() {
    let full = std::env::var_os("GONGKAI_HOSTILE_FULL");
    let tmp = tempfile::tempdir().unwrap();
    let d = match &full {
        Some(dir) => std::path::PathBuf::from(dir),
        None => tmp.path().join("in"),
    };
    let (quote_bytes, storm_cells, storm_rows) = if full.is_some() {
        (50 << 20, 2_000, 200)
    } else {
        (4 << 20, 500, 100)
    };
    std::fs::create_dir(&d).unwrap();
    std::fs::copy(fixture("real/jiangxi_dayu_2019.txt"), d.join("dayu.txt")).unwrap();
    write(&d, "empty.txt", b"");
    write(&d, "blank.txt", b" \n\t\r\n ");
    write(
        &d,
        "binary.bin",
        &(0u8..=255).cycle().take(10_000).collect::<Vec<_>>(),
    );
    write(
        &d,
        "nul.txt",
        "一、总体情况\0\0\0二、\0".repeat(50).as_bytes(),
    );
    write(
        &d,
        "invalid-utf8.txt",
        &[0xFF, 0xFE, 0xFD, 0x80, 0x81, 0xC0, 0xAF].repeat(300),
    );
    // Markup nested far deeper than any page, and a table whose spans would fill gigabytes.
    write(
        &d,
        "deep.html",
        &format!("<html>{}x", "<div>".repeat(100_000)).into_bytes(),
    );
    write(
        &d,
        "spans.html",
        "<table><tr><td rowspan=\"1000000\" colspan=\"1000000\">1</td></tr></table>"
            .repeat(50)
            .as_bytes(),
    );
    // Files far under every size cap whose declarations ask for gigabytes (each aborted a
    // whole batch once): a workbook with cells at A1 and XFD1048576; 20,000 cells in column
    // XFD; a table of many large spans; a CSV whose unclosed quote swallows the file.
    write(&d, "far-cells.xlsx", &far_cells_xlsx());
    write(&d, "xfd-column.xlsx", &xfd_column_xlsx());
    let storm_row = format!(
        "<tr>{}</tr>",
        "<td rowspan=\"999\" colspan=\"999\">1</td>".repeat(storm_cells)
    );
    write(
        &d,
        "span-storm.html",
        format!("<table>{}</table>", storm_row.repeat(storm_rows)).as_bytes(),
    );
    let wide = "<w:tc><w:tcPr><w:gridSpan w:val=\"999\"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>";
    let rows = format!("<w:tr>{}</w:tr>", wide.repeat(500)).repeat(100);
    let doc = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:tbl>{rows}</w:tbl></w:body></w:document>"
    );
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    z.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(doc.as_bytes()).unwrap();
    write(&d, "span-storm.docx", &z.finish().unwrap().into_inner());
    let mut quote = String::from("单位名称,年度,requests.new.total\n示例省示例一县,2024,\"3\n");
    while quote.len() < quote_bytes {
        quote += "示例省示例二县,2024,4\n";
    }
    write(&d, "unclosed-quote.csv", quote.as_bytes());
    // 200 MB of text (sparse: the size alone refuses it).
    let big = std::fs::File::create(d.join("huge.txt")).unwrap();
    big.set_len(200 * 1024 * 1024).unwrap();
    // A truncated workbook, a zip of garbage, a password-protected Office file, old Word.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&b"<workbook/>".repeat(1000)).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    write(&d, "cut.xlsx", &zip[..zip.len() / 2]);
    write(&d, "garbage.xlsx", b"PK\x03\x04 not really a zip at all");
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 600]);
    write(
        &d,
        "locked.docx",
        &[ole.clone(), utf16("EncryptedPackage")].concat(),
    );
    write(&d, "old.doc", &[ole, utf16("WordDocument")].concat());
    write(&d, "fake.pdf", b"%PDF-1.7\n garbage");
    // Declarations that lie and structures that recurse: a PDF of 2,500 empty pages; a PDF nesting arrays 100,000 deep; a PDF whose one content stream
    // inflates to 256 MB; an ODS row of 1,000 cells repeated a million times; a docx nesting
    // tables 50,000 deep; an xlsx whose shared strings define a billion laughs.
    let mut storm = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count 2500 >>",
            (4..2504).map(|i| format!("{i} 0 R ")).collect::<String>()
        ),
        stream("", "0 0 m 1 1 l S"),
    ];
    storm.extend((0..2500).map(|_| {
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>".to_owned()
    }));
    write(&d, "page-storm.pdf", &pdf(&storm));
    write(
        &d,
        "deep-array.pdf",
        &pdf(&[
            "<< /Type /Catalog /Pages 2 0 R >>".into(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /X {}{} >>",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            stream("", "0 0 m 1 1 l S"),
        ]),
    );
    write(&d, "stream-bomb.pdf", &stream_bomb_pdf());
    write(&d, "row-repeats.ods", &row_repeats_ods());
    let nested = format!(
        "{}<w:p><w:r><w:t>1</w:t></w:r></w:p>{}",
        "<w:tbl><w:tr><w:tc>".repeat(50_000),
        "</w:tc></w:tr></w:tbl>".repeat(50_000)
    );
    write(&d, "deep-tables.docx", &docx(&nested));
    write(&d, "laughs.xlsx", &laughs_xlsx());
    // Odd names: spaces, a newline, a name that is not UTF-8.
    write(&d, "name with spaces 和中文.txt", b"");
    write(&d, "new\nline.txt", b"");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"latin1-\xE9t\xE9.txt");
        std::fs::write(d.join(name), b"").unwrap();
        // A symlink loop and a dangling link.
        std::os::unix::fs::symlink(d.join("loop-b"), d.join("loop-a")).unwrap();
        std::os::unix::fs::symlink(d.join("loop-a"), d.join("loop-b")).unwrap();
        std::os::unix::fs::symlink(d.join("nowhere"), d.join("dangling.txt")).unwrap();
        // A directory linking to itself is not followed.
        std::os::unix::fs::symlink(&d, d.join("self")).unwrap();
    }
    if full.is_some() {
        return;
    }
    let out = gongkai(&["ingest", "in", "--out", "o"], tmp.path());
    assert_eq!(out.status.code(), Some(3), "some inputs are unreadable");
    let mut reader = csv::Reader::from_path(tmp.path().join("o/reports.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kind_of = |file: &str| -> String {
        let r = rows
            .iter()
            .find(|r| r[col("source")].ends_with(file))
            .unwrap_or_else(|| panic!("no row for {file}"));
        if &r[col("status")] == "failed" {
            r[col("error_kind")].to_owned()
        } else {
            r[col("status")].to_owned()
        }
    };
    assert_eq!(kind_of("dayu.txt"), "parsed");
    for (file, kind) in [
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("binary.bin", "binary"),
        ("huge.txt", "too_large"),
        ("cut.xlsx", "corrupt"),
        ("garbage.xlsx", "corrupt"),
        ("locked.docx", "encrypted"),
        ("old.doc", "unsupported"),
        ("fake.pdf", "corrupt"),
        ("page-storm.pdf", "too_many_cells"),
        ("deep-array.pdf", "no_text_layer"),
        ("stream-bomb.pdf", "no_text_layer"),
        ("row-repeats.ods", "too_many_cells"),
        ("deep-tables.docx", "corrupt"),
        ("laughs.xlsx", "corrupt"),
        ("deep.html", "too_deep"),
        ("far-cells.xlsx", "too_many_cells"),
        ("xfd-column.xlsx", "too_many_cells"),
        ("span-storm.html", "too_many_cells"),
        ("span-storm.docx", "too_many_cells"),
        ("unclosed-quote.csv", "corrupt"),
        ("name with spaces 和中文.txt", "empty"),
        ("line.txt", "empty"),
    ] {
        assert_eq!(kind_of(file), kind, "{file}");
    }
    for file in ["nul.txt", "invalid-utf8.txt", "spans.html"] {
        let k = kind_of(file);
        assert!(
            ["no_tables", "partial", "binary", "no_text"].contains(&k.as_str()),
            "{file}: {k}"
        );
    }
    #[cfg(unix)]
    {
        assert_eq!(kind_of("loop-a"), "io");
        assert_eq!(kind_of("dangling.txt"), "io");
        assert_eq!(
            kind_of("t\u{FFFD}.txt"),
            "empty",
            "a non-UTF-8 name is kept, lossily"
        );
        assert!(rows.iter().all(|r| !r[col("source")].contains("/self/")));
    }
    // Every failure says why, with a hint where there is something to do.
    for r in rows.iter().filter(|r| &r[col("status")] == "failed") {
        assert!(!r[col("error_message")].is_empty(), "{r:?}");
    }
}

/// Inputs the fuzzer found (`tests/fixtures/fuzz/`): a PDF whose CMap made pdf-extract panic,
/// and a mangled page whose glued rows sent the joint search through 100,000 nodes of hashed
/// lookups (10 s in release; now a node limit of 10,000 and lookups prepared once).
#[test]
fn inputs_the_fuzzer_found_are_error_rows() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // The fuzz target's first byte picks the extension; the rest is the file.
        const EXT: [&str; 8] = ["txt", "html", "csv", "xlsx", "docx", "pdf", "ods", "md"];
        let name = format!("x.{}", EXT[bytes[0] as usize % EXT.len()]);
        for o in gongkai::batch::process_all(std::path::Path::new(&name), &bytes[1..], None) {
            if let Err(f) = &o.result {
                assert_ne!(f.kind.key(), "panic", "{}: {}", path.display(), f.message);
            }
        }
    }
}

/// A PDF of these objects (numbered from 1), with its cross-reference table.
fn pdf(objects: &[String]) -> Vec<u8> {
    common::pdf_of(
        &objects
            .iter()
            .map(|o| o.as_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
}

/// A stream object holding `data` as is, its dictionary extended by `dict`.
fn stream(dict: &str, data: &str) -> String {
    format!(
        "<< /Length {} {dict} >>\nstream\n{data}\nendstream",
        data.len()
    )
}

/// A one-page PDF whose content stream is 256 MB of spaces, deflated to a few hundred KB.
fn stream_bomb_pdf() -> Vec<u8> {
    use flate2::{Compression, write::ZlibEncoder};
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..256 {
        z.write_all(&chunk).unwrap();
    }
    let data = z.finish().unwrap();
    let mut content = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        data.len()
    )
    .into_bytes();
    content.extend(&data);
    content.extend(b"\nendstream");
    common::pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        content,
    ])
}

fn zipped(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn docx(body: &str) -> Vec<u8> {
    let doc = format!(
        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zipped(&[("word/document.xml", doc.as_bytes())])
}

/// One row of 1,000 cells (repeated), the row repeated a million times.
fn row_repeats_ods() -> Vec<u8> {
    let content = "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"><office:body><office:spreadsheet><table:table><table:table-row table:number-rows-repeated=\"1000000\"><table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"1000\"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>";
    zipped(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// A workbook whose shared strings declare nested entities (the billion laughs).
fn laughs_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_string(0, 0, "单位名称").unwrap();
    let good = wb.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(good)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        files.push((f.name().unwrap().into_owned(), bytes));
    }
    let mut dtd = String::from("<!DOCTYPE sst [<!ENTITY l0 \"lol\">");
    for i in 1..10 {
        let prev = format!("&l{};", i - 1).repeat(10);
        dtd += &format!("<!ENTITY l{i} \"{prev}\">");
    }
    dtd += "]>";
    let sst = format!(
        "<?xml version=\"1.0\"?>{dtd}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>&l9;</t></si></sst>"
    );
    for (name, bytes) in &mut files {
        if name == "xl/sharedStrings.xml" {
            *bytes = sst.clone().into_bytes();
        }
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zipped(&refs)
}

fn far_cells_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "单位名称").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    wb.save_to_buffer().unwrap()
}

fn xfd_column_xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..20_000 {
        ws.write_number(r, 16_383, r as f64).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Reads a batch's `reports.csv` as (file name, error kind or status), by file name.
fn kinds(out: &std::path::Path) -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(out.join("reports.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (source, status, kind) = (col("source"), col("status"), col("error_kind"));
    let mut k: Vec<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let name = r[source].rsplit('/').next().unwrap().to_owned();
            let k = if &r[status] == "failed" {
                &r[kind]
            } else {
                &r[status]
            };
            (name, k.to_owned())
        })
        .collect();
    k.sort();
    k
}

fn gongkai_env(args: &[&str], cwd: &std::path::Path, env: &[(&str, &str)]) -> std::process::Output {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// A directory holding `in/` with three real reports (Dayu 2019, Pingtan 2021 and 2023),
/// for the worker tests.
fn three_real_reports() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("in");
    std::fs::create_dir(&d).unwrap();
    for f in [
        "jiangxi_dayu_2019.txt",
        "fujian_pingtan_2021.txt",
        "fujian_pingtan_2023.txt",
    ] {
        std::fs::copy(fixture(&format!("real/{f}")), d.join(f)).unwrap();
    }
    tmp
}

/// A worker that dies mid-file (aborts, as on a failed allocation) or hangs costs that
/// file alone: its error row says why, the other files parse, and the batch finishes.
#[test]
fn a_worker_that_dies_or_hangs_is_one_error_row() {
    let tmp = three_real_reports();
    let out = gongkai_env(
        &[
            "ingest",
            "in",
            "--out",
            "o",
            "--no-cache",
            "--time-limit",
            "1",
        ],
        tmp.path(),
        &[
            (gongkai::batch::worker::CRASH_ON, "dayu"),
            (gongkai::batch::worker::HANG_ON, "pingtan_2021"),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let k = kinds(&tmp.path().join("o"));
    assert_eq!(
        k,
        [
            ("fujian_pingtan_2021.txt".to_owned(), "timed_out".to_owned()),
            ("fujian_pingtan_2023.txt".to_owned(), "parsed".to_owned()),
            ("jiangxi_dayu_2019.txt".to_owned(), "crashed".to_owned()),
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("died (signal 6)"), "{stderr}");
}

/// Files go to a worker several at a time, their answers held until the last: a worker
/// that dies on the middle one of three costs that file alone, and the files before and
/// after it still parse.
#[test]
fn a_worker_that_dies_mid_batch_costs_one_file() {
    let tmp = three_real_reports();
    let out = gongkai_env(
        &["ingest", "in", "--out", "o", "--no-cache"],
        tmp.path(),
        &[(gongkai::batch::worker::CRASH_ON, "pingtan_2023")],
    );
    assert_eq!(out.status.code(), Some(3));
    let k = kinds(&tmp.path().join("o"));
    assert_eq!(
        k,
        [
            ("fujian_pingtan_2021.txt".to_owned(), "parsed".to_owned()),
            ("fujian_pingtan_2023.txt".to_owned(), "crashed".to_owned()),
            ("jiangxi_dayu_2019.txt".to_owned(), "parsed".to_owned()),
        ]
    );
}

/// The worker's memory ceiling holds on a 50 MB CSV whose unclosed quote makes one field of
/// the whole file: an `out_of_memory` row, and the good report beside it parses.
#[test]
fn the_memory_ceiling_holds_on_an_unclosed_quote() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("in");
    std::fs::create_dir(&d).unwrap();
    std::fs::copy(fixture("real/jiangxi_dayu_2019.txt"), d.join("dayu.txt")).unwrap();
    let mut quote = String::from("单位名称,年度,requests.new.total\n示例省示例一县,2024,\"3\n");
    while quote.len() < 50 * 1024 * 1024 {
        quote += "示例省示例二县,2024,4\n";
    }
    std::fs::write(d.join("quote.csv"), quote).unwrap();
    let out = gongkai_env(
        &[
            "ingest",
            "in",
            "--out",
            "o",
            "--no-cache",
            "--max-worker-memory",
            "300000000",
        ],
        tmp.path(),
        &[],
    );
    assert_eq!(out.status.code(), Some(3));
    let k = kinds(&tmp.path().join("o"));
    assert_eq!(
        k,
        [
            ("dayu.txt".to_owned(), "parsed".to_owned()),
            ("quote.csv".to_owned(), "out_of_memory".to_owned()),
        ]
    );
}

/// Parsing in workers writes the same bytes as parsing in this process.
#[test]
fn workers_and_in_process_write_the_same_frames() {
    let tmp = tempfile::tempdir().unwrap();
    let real = fixture("real");
    let real2 = fixture("real2");
    let (a, b) = (real.to_str().unwrap(), real2.to_str().unwrap());
    let w = gongkai_env(
        &["ingest", a, b, "--out", "w", "--no-cache"],
        tmp.path(),
        &[],
    );
    let n = gongkai_env(
        &[
            "ingest",
            a,
            b,
            "--out",
            "n",
            "--no-cache",
            "--isolation",
            "none",
        ],
        tmp.path(),
        &[],
    );
    assert_eq!(w.status.code(), n.status.code());
    for name in ["reports", "cells", "findings", "requests_wide"] {
        for ext in ["csv", "parquet"] {
            let f = format!("{name}.{ext}");
            let x = std::fs::read(tmp.path().join("w").join(&f)).unwrap();
            let y = std::fs::read(tmp.path().join("n").join(&f)).unwrap();
            assert!(x == y, "{f} differs");
        }
    }
}
