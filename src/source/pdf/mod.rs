//! PDF with a text layer, read directly (pdf-extract over lopdf: pure Rust, no system
//! libraries) and by position: one pass over the content streams records every glyph with
//! its box and every ruling line ([`collect`]); touching rules make ruled tables
//! ([`lattice`]); glyphs fall into their cells, the rest of each page into lines ([`layout`]).
//! The result is the same `Document` of lines and grid tables that HTML and docx give. A PDF
//! with no ruled table at all (plain paragraphs of numbers) reads as its text layer, lines of
//! label and values in the shape `pdftotext -layout` gives, through the text reader. A scan
//! (no text layer) or an encrypted file is an error row that says what to do.

mod collect;
mod lattice;
mod layout;

use super::{Document, Format, Origin, ReadError, file_name, text};

/// Fewer visible characters than this is no text layer: a scan, perhaps with a page number.
const MIN_TEXT_CHARS: usize = 50;

/// More pages than this is not a report (real ones have 3 to 30).
pub(super) const MAX_PAGES: usize = 2_000;

/// What one pass over the pages gave.
struct Drawn {
    pages: Vec<collect::Page>,
    plain: String,
}

fn collect_pages(
    bytes: &[u8],
    max_items: usize,
    deadline: Option<std::time::Instant>,
) -> Result<Drawn, ReadError> {
    let corrupt = |detail: String| {
        if detail.to_ascii_lowercase().contains("crypt") || detail.contains("password") {
            ReadError::Encrypted
        } else {
            ReadError::Corrupt {
                what: "pdf",
                detail,
            }
        }
    };
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| corrupt(e.to_string()))?;
    if doc.is_encrypted() {
        // An owner password only: readable with the empty user password.
        doc.decrypt("").map_err(|_| ReadError::Encrypted)?;
    }
    let pages = doc.get_pages().len();
    if pages > MAX_PAGES {
        return Err(ReadError::TooMuchDrawn {
            what: "pages",
            count: pages,
            max: MAX_PAGES,
        });
    }
    let mut plain = String::new();
    let mut rec = collect::Recorder::new(&mut plain, max_items, deadline);
    let done = pdf_extract::output_doc(&doc, &mut rec);
    match (rec.stopped, done) {
        (Some(collect::Stop::TooMany(count)), _) => Err(ReadError::TooMuchDrawn {
            what: "glyphs and rules",
            count,
            max: max_items,
        }),
        (Some(collect::Stop::Late), _) => Err(ReadError::TimedOut { millis: 0 }),
        (None, Err(e)) => Err(corrupt(e.to_string())),
        (None, Ok(())) => {
            let pages = std::mem::take(&mut rec.pages);
            drop(rec);
            Ok(Drawn { pages, plain })
        }
    }
}

pub(super) fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    // pdf-extract and its CMap parser panic on some malformed files (found by fuzzing):
    // such a file is damaged, not a reason to stop. The collector checks the time limit as
    // it goes; a parse that never reaches it is cut off by the watchdog thread.
    let owned = bytes.to_vec();
    let max_items = origin.limits.sheet_cells;
    let deadline = origin.limits.time().map(|t| std::time::Instant::now() + t);
    let watched = crate::budget::watch(move || {
        std::panic::catch_unwind(|| collect_pages(&owned, max_items, deadline))
    });
    let timed_out = ReadError::TimedOut {
        millis: origin.limits.millis,
    };
    let Some(attempt) = watched else {
        return Err(timed_out);
    };
    let Ok(result) = attempt else {
        return Err(ReadError::Corrupt {
            what: "pdf",
            detail: "the PDF parser could not read its structure".into(),
        });
    };
    let drawn = match result {
        Err(ReadError::TimedOut { .. }) => return Err(timed_out),
        other => other?,
    };
    let visible = drawn.plain.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_TEXT_CHARS {
        return Err(ReadError::NoTextLayer);
    }
    let mut converted_script = false;
    match layout::blocks(&drawn.pages, &mut converted_script) {
        Some(blocks) if !blocks.is_empty() => Ok(Document {
            format: Format::Pdf,
            encoding: "UTF-8",
            converted_script,
            blocks,
            name: file_name(origin),
        }),
        _ => text::from_str(&drawn.plain, "UTF-8", Format::Pdf, origin),
    }
}

#[cfg(test)]
mod tests {
    /// `GONGKAI_PDF_DUMP=FILE cargo test --lib pdf_dump -- --ignored --nocapture` prints what
    /// the reader sees on each page: the ruled tables' edges and cell texts.
    #[test]
    #[ignore]
    fn pdf_dump() {
        let path = std::env::var("GONGKAI_PDF_DUMP").expect("GONGKAI_PDF_DUMP");
        let bytes = std::fs::read(path).unwrap();
        let drawn = super::collect_pages(&bytes, 10_000_000, None).unwrap();
        // GONGKAI_PDF_PLAIN=OUT.txt also writes the text layer as the text path reads it
        // (what PDFs without a ruled table go through, and what every PDF went through before
        // tables were read by position).
        if let Ok(out) = std::env::var("GONGKAI_PDF_PLAIN") {
            std::fs::write(out, &drawn.plain).unwrap();
        }
        for p in &drawn.pages {
            println!(
                "page {}: {} glyphs, {} h, {} v",
                p.number,
                p.glyphs.len(),
                p.horizontal.len(),
                p.vertical.len()
            );
            for t in super::lattice::tables(&p.horizontal, &p.vertical) {
                let xs: Vec<String> = t.xs.iter().map(|x| format!("{x:.1}")).collect();
                println!(
                    "  table y {:.1}..{:.1} xs {}",
                    t.top(),
                    t.bottom(),
                    xs.join(" ")
                );
            }
        }
        let mut conv = false;
        for b in super::layout::blocks(&drawn.pages, &mut conv).unwrap_or_default() {
            match b {
                crate::source::Block::Line(t) => println!("L {} | {}", t.loc, t.text),
                crate::source::Block::Table(t) => {
                    println!("T {}x{}", t.rows, t.cols);
                    for c in &t.cells {
                        println!(
                            "   {} [{}x{}] {:?}",
                            c.content.loc, c.rowspan, c.colspan, c.content.text
                        );
                    }
                }
            }
        }
    }
}
