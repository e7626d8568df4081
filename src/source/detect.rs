//! Format sniffing from the first bytes, never from the extension: government `.xls`
//! downloads are often HTML, and crawlers save pages as `.txt`.

use std::path::Path;

#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Text,
    Html,
    Pdf,
    /// Comma- or tab-separated values (sniffed from the extension and the content).
    Csv,
    /// Containers, once opened (`source::container`).
    Xlsx,
    Xls,
    Ods,
    Docx,
    /// Word 97–2003, which is not read: it must be converted.
    Doc,
    /// A zip container not yet opened, or holding none of the above.
    Zip,
    /// An OLE compound file not yet opened, or holding none of the above.
    Ole,
    Binary,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::Zip => "zip",
            Format::Ole => "ole",
            Format::Binary => "binary",
        }
    }
}

const SNIFF_BYTES: usize = 8192;

/// Decides the format of `bytes`. The path is only a tie-breaker for markup-free HTML.
pub fn sniff(bytes: &[u8], path: &Path) -> Format {
    let body = strip_bom(bytes);
    if body.starts_with(b"%PDF") {
        return Format::Pdf;
    }
    if body.starts_with(b"PK\x03\x04") {
        return Format::Zip;
    }
    if body.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Format::Ole;
    }
    let head = &body[..body.len().min(SNIFF_BYTES)];
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    // Control bytes below tab, NUL included.
    // Counted in byte-wide sums of at most 255 bytes, which the compiler makes vector code
    // of (with a filtered count, a loop a byte, sniffing the 1k text corpus took 24.5 M
    // instructions; 8.1 M this way).
    let control: usize = head
        .chunks(255)
        .map(|c| usize::from(c.iter().map(|&b| u8::from(b < 0x09)).sum::<u8>()))
        .sum();
    if !utf16 && control > head.len() / 64 {
        return Format::Binary;
    }
    // NUL bytes (UTF-16) are dropped before looking for tags; most heads have none, and
    // are searched as they are.
    let owned: Vec<u8>;
    let head_text: &[u8] = if head.contains(&0) {
        owned = head.iter().copied().filter(|&b| b != 0).collect();
        &owned
    } else {
        head
    };
    let first = head_text.iter().find(|b| !b.is_ascii_whitespace());
    // Each needle starts with `<`; compared in any case, all in one pass over the `<`s. A
    // head without one (most text reports) is not walked byte by byte at all.
    let any_tag = head_text.contains(&b'<');
    let has = |needles: &[&[u8]]| {
        any_tag
            && head_text.iter().enumerate().any(|(i, &b)| {
                b == b'<'
                    && needles.iter().any(|needle| {
                        head_text
                            .get(i..i + needle.len())
                            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
                    })
            })
    };
    if first == Some(&b'<') || has(&[b"<html", b"<table", b"<body"]) {
        return Format::Html;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("html" | "htm")) && has(&[b"<"]) {
        return Format::Html;
    }
    if matches!(ext.as_deref(), Some("csv" | "tsv")) && looks_delimited(head) {
        return Format::Csv;
    }
    Format::Text
}

/// Several of the first lines hold a comma or a tab: a CSV, not a report saved as `.csv`
/// (a CSV of a report starts with its title and narrative, one field per line).
fn looks_delimited(head: &[u8]) -> bool {
    let lines: Vec<&[u8]> = head
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(40)
        .collect();
    let with = lines
        .iter()
        .filter(|l| l.contains(&b',') || l.contains(&b'\t'))
        .count();
    with >= 3 || (with > 0 && with * 2 > lines.len())
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_extension() {
        let p = Path::new("x.xls");
        assert_eq!(sniff(b"<html><table>", p), Format::Html);
        assert_eq!(sniff(b"%PDF-1.7", Path::new("x.txt")), Format::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest", p), Format::Zip);
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 1, 2], p), Format::Ole);
        assert_eq!(sniff("一、总体情况".as_bytes(), p), Format::Text);
        assert_eq!(sniff(&[0u8; 100], p), Format::Binary);
        assert_eq!(
            sniff(
                "单位名称,年度\n示例县,2024\n".as_bytes(),
                Path::new("a.csv")
            ),
            Format::Csv
        );
        assert_eq!(
            sniff("一、总体情况\n".as_bytes(), Path::new("a.csv")),
            Format::Text
        );
    }
}
