//! Reports as the office files evaluators receive: a workbook laid out like the template
//! (rust_xlsxwriter; merged heading rows, a blank spacer column, numbers stored as numbers,
//! text such as `12/0` as text), a Word document (a minimal `.docx` written by hand:
//! paragraphs, tables, merged heading cells), and a CSV of the same rows.

use std::io::{Cursor, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use super::render::PrintedTable;

/// A cell text as a number, if it is one (`25.1`, `447228`; not `12/0`, not `/`).
fn number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.matches('.').count() <= 1;
    ok.then(|| s.parse().ok()).flatten()
}

/// Columns a table's rows use: label, spacer, cells.
fn width(t: &PrintedTable) -> u16 {
    let cells = t.rows.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    (2 + cells.max(t.header.len())) as u16
}

/// The report as an `.xlsx`: one sheet with everything, or the title and narrative on the
/// first sheet and one sheet per table.
pub fn xlsx(
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
    one_sheet: bool,
) -> Result<Vec<u8>, XlsxError> {
    xlsx_with(tables, before, after, one_sheet, false)
}

/// [`xlsx`], optionally with every number typed as text (as many sheets have them).
pub fn xlsx_with(
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
    one_sheet: bool,
    text_numbers: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation time: the same report gives the same bytes (and report id).
    wb.set_properties(
        &DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let merged = Format::new();
    let cols = tables.iter().map(width).max().unwrap_or(4);
    let mut ws = wb.add_worksheet();
    ws.set_name("报告")?;
    let mut r: u32 = 0;
    for p in before {
        ws.merge_range(r, 0, r, cols - 1, p, &merged)?;
        r += 1;
    }
    r += 1;
    for (i, t) in tables.iter().enumerate() {
        if !one_sheet {
            ws = wb.add_worksheet();
            ws.set_name(format!("表{}", i + 2))?;
            r = 0;
        }
        // Each heading spans its own table's width, as in the template workbook.
        ws.merge_range(r, 0, r, width(t) - 1, &t.heading, &merged)?;
        r += 1;
        // Header phrases over the value columns; the spacer column B stays empty.
        for (c, h) in t.header.iter().enumerate() {
            ws.write_string(r, c as u16 + 2, h)?;
        }
        r += 1;
        for (label, cells) in &t.rows {
            // Values from column C; column B is an empty spacer column on every row.
            if !label.is_empty() {
                ws.write_string(r, 0, label)?;
            }
            for (c, v) in (2u16..).zip(cells) {
                match number(v).filter(|_| !text_numbers) {
                    Some(n) => ws.write_number(r, c, n)?,
                    None if v.is_empty() => ws,
                    None => ws.write_string(r, c, v)?,
                };
            }
            r += 1;
        }
        r += 1;
    }
    if !one_sheet {
        ws = wb.worksheet_from_index(0)?;
        r = before.len() as u32 + 1;
    }
    for p in after {
        ws.merge_range(r, 0, r, cols - 1, p, &merged)?;
        r += 1;
    }
    wb.save_to_buffer()
}

/// The one-sheet layout as rows of cell texts: narrative lines and headings in column A,
/// header phrases from column C, rows as label, blank spacer, cells.
fn rows(tables: &[PrintedTable], before: &[String], after: &[String]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = before.iter().map(|p| vec![p.clone()]).collect();
    for t in tables {
        // A blank row before each heading, as people separate tables on a sheet.
        out.push(Vec::new());
        out.push(vec![t.heading.clone()]);
        let mut header = vec![String::new(); 2];
        header.extend(t.header.iter().cloned());
        out.push(header);
        for (label, cells) in &t.rows {
            let mut rec = vec![label.clone(), String::new()];
            rec.extend(cells.iter().cloned());
            out.push(rec);
        }
    }
    out.extend(after.iter().map(|p| vec![p.clone()]));
    out
}

/// The report as CSV rows (the one-sheet layout of `rows`).
pub fn csv(tables: &[PrintedTable], before: &[String], after: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows(tables, before, after) {
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The report as an OpenDocument spreadsheet (`.ods`) of one sheet (the layout of `rows`); numbers
/// as float cells. Written by hand: a mimetype, a manifest and `content.xml`.
pub fn ods(
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
) -> std::io::Result<Vec<u8>> {
    let mut body = String::new();
    let headings: Vec<(&str, usize)> = tables
        .iter()
        .map(|t| (t.heading.as_str(), width(t) as usize))
        .collect();
    for r in rows(tables, before, after) {
        body += "<table:table-row>";
        // A heading spans its table's width, as a merged cell (ODF: spanned, then covered).
        if let [v] = r.as_slice()
            && let Some((_, w)) = headings.iter().find(|(h, _)| h == v)
        {
            body += &format!(
                "<table:table-cell table:number-columns-spanned=\"{w}\" office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                xml_escape(v)
            );
            body += &"<table:covered-table-cell/>".repeat(w - 1);
            body += "</table:table-row>";
            continue;
        }
        for v in r {
            body += &match number(&v) {
                Some(n) => format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{v}</text:p></table:table-cell>"
                ),
                None if v.is_empty() => "<table:table-cell/>".to_owned(),
                None => format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    xml_escape(&v)
                ),
            };
        }
        body += "</table:table-row>";
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"报告\">{body}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    zip_files(&[
        (
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet".to_owned(),
        ),
        ("META-INF/manifest.xml", manifest.to_owned()),
        ("content.xml", content),
    ])
}

/// A zip of text files, in order, with fixed timestamps (the same input, the same bytes).
fn zip_files(files: &[(&str, String)]) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in files {
        // The ODF mimetype must come first and uncompressed.
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(zip::DateTime::default());
        zip.start_file(*name, opts).map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub(super) fn para(s: &str) -> String {
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        xml_escape(s)
    )
}

pub(super) fn cell(s: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", para(s))
}

/// The report as a minimal `.docx`: paragraphs, then per table a heading row merged across
/// all columns (`w:gridSpan`), the header row, and the rows.
pub fn docx(
    tables: &[PrintedTable],
    before: &[String],
    after: &[String],
) -> std::io::Result<Vec<u8>> {
    let mut body = String::new();
    for p in before {
        body += &para(p);
    }
    for t in tables {
        let cols = width(t) - 1;
        body += "<w:tbl>";
        body += &format!(
            "<w:tr>{}</w:tr>",
            cell(&t.heading, &format!("<w:gridSpan w:val=\"{cols}\"/>"))
        );
        body += "<w:tr>";
        for h in &t.header {
            body += &cell(h, "");
        }
        body += "</w:tr>";
        for (label, cells) in &t.rows {
            body += "<w:tr>";
            if !label.is_empty() {
                body += &cell(label, "");
            }
            for v in cells {
                body += &cell(v, "");
            }
            body += "</w:tr>";
        }
        body += "</w:tbl>";
    }
    for p in after {
        body += &para(p);
    }
    docx_package(&body)
}

/// A `.docx` whose `word/document.xml` body is `body`.
pub(super) fn docx_package(body: &str) -> std::io::Result<Vec<u8>> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let files = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_owned(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_owned(),
        ),
        ("word/document.xml", document),
    ];
    zip_files(&files)
}
