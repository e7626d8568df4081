//! Plain text in its real shapes: one cell per line with `|` separators, a whole page on one
//! line with cells glued together, and `pdftotext -layout` output. The reader keeps lines as
//! they are (cells are split later, where the template is known) and drops only page numbers
//! (`-3-`, `— 5 —`), which must never be read as cells.

use std::borrow::Cow;

use super::normalize::normalize_cow;
use super::{Block, Document, Format, Loc, Origin, ReadError, Text, decode, file_name};

pub(super) fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let (text, encoding) = decode(bytes);
    from_str(&text, encoding, Format::Text, origin)
}

/// Lines of decoded text (a text file's, or what a PDF's text layer reads as).
pub(super) fn from_str(
    text: &str,
    encoding: &'static str,
    format: Format,
    origin: &Origin,
) -> Result<Document, ReadError> {
    // Sized for the lines up front (most become blocks), not regrown as they are read; at
    // most a few thousand ahead, whatever a file of empty lines would ask.
    let count = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut blocks = Vec::with_capacity(count.min(4096));
    let mut converted_script = false;
    for (i, raw) in lines(text).enumerate() {
        let raw = raw.trim_end_matches('\r');
        let trimmed = crate::trim::trim(raw);
        if trimmed.is_empty() || is_trimmed_page_number(trimmed) {
            continue;
        }
        let (norm, converted) = normalize_cow(raw);
        converted_script |= converted;
        let loc = Loc::Line {
            line: i as u32 + 1,
            char: None,
        };
        blocks.push(Block::Line(match norm {
            Cow::Borrowed(_) => Text::as_printed(raw.to_owned(), loc),
            Cow::Owned(norm) => Text::printed_as(norm, raw.to_owned(), loc),
        }));
    }
    if blocks.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(Document {
        format,
        encoding,
        converted_script,
        blocks,
        name: file_name(origin),
    })
}

/// The text's lines, cut at each `\n` by a plain byte loop: most lines are a cell's few
/// bytes, and `str::lines` set up a character search for each (6.4 M of a worker's 785 M
/// instructions on the 1k text corpus). A last empty line, which `lines` leaves out, is
/// given; [`from_str`] skips it as every empty line.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let (line, next) = match rest.bytes().position(|b| b == b'\n') {
            Some(end) => (&rest[..end], &rest[end + 1..]),
            None => (rest, ""),
        };
        rest = next;
        Some(line)
    })
}

/// A line that is only a page number between dashes: `-3-`, `— 5 —`, `- 12 -`.
pub(super) fn is_page_number(line: &str) -> bool {
    is_trimmed_page_number(line.trim())
}

/// [`is_page_number`] of a line already trimmed.
fn is_trimmed_page_number(t: &str) -> bool {
    let dash = |c: char| matches!(c, '-' | '—' | '–' | '－');
    let Some(inner) = t.strip_prefix(dash).and_then(|s| s.strip_suffix(dash)) else {
        return false;
    };
    let inner = inner.trim_matches(|c: char| c.is_whitespace() || dash(c));
    !inner.is_empty() && inner.len() <= 4 && inner.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_are_dropped() {
        for p in ["-3-", "  -4-  ", "— 5 —", "- 12 -", "——6——"] {
            assert!(is_page_number(p), "{p}");
        }
        for p in ["-", "—", "0", "12/0", "-3", "-abc-"] {
            assert!(!is_page_number(p), "{p}");
        }
    }

    /// Lines end at `\n` with any `\r` before it dropped, as `str::lines` and a trim of
    /// `\r` cut them; a last line needs no `\n`.
    #[test]
    fn lines_are_cut_as_str_lines_cuts_them() {
        for text in ["a\r\n\r\nb |\r\n-3-\nc", "a\n\n\nb\r\r\n", "\n1\n", "x"] {
            let doc = read(text.as_bytes(), &Origin::new("x.txt")).unwrap();
            let got: Vec<(u32, &str)> = (doc.blocks.iter())
                .map(|b| match b {
                    Block::Line(t) => match t.loc {
                        Loc::Line { line, .. } => (line, t.raw()),
                        _ => panic!("{t:?}"),
                    },
                    _ => panic!(),
                })
                .collect();
            let want: Vec<(u32, &str)> = (text.lines().enumerate())
                .map(|(i, l)| (i as u32 + 1, l.trim_end_matches('\r')))
                .filter(|(_, l)| !l.trim().is_empty() && !is_page_number(l))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn lines_keep_raw_and_location() {
        let doc = read("規章 |\n\n  -3-\n0 |\n".as_bytes(), &Origin::new("x.txt")).unwrap();
        assert_eq!(doc.blocks.len(), 2);
        let Block::Line(t) = &doc.blocks[1] else {
            panic!()
        };
        assert_eq!(
            t.loc,
            Loc::Line {
                line: 4,
                char: None
            }
        );
        let Block::Line(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!((t.text.as_str(), t.raw()), ("规章 |", "規章 |"));
    }
}
