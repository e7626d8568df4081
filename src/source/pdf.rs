//! PDF with a text layer, read directly (pdf-extract over lopdf: pure Rust, no system
//! libraries). Its text comes out as lines of label and values, the shape `pdftotext -layout`
//! gives, and goes through the text reader. A scan (no text layer) or an encrypted file is an
//! error row that says what to do.

use super::{Document, Format, Origin, ReadError, text};

/// Fewer visible characters than this is no text layer: a scan, perhaps with a page number.
const MIN_TEXT_CHARS: usize = 50;

pub fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    // pdf-extract and its CMap parser panic on some malformed files (found by fuzzing):
    // such a file is damaged, not a reason to stop.
    // It cannot be interrupted either, so under a time limit it runs on a watchdog thread.
    let owned = bytes.to_vec();
    let watched = crate::budget::watch(move || {
        std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(&owned))
    });
    let Some(attempt) = watched else {
        return Err(ReadError::TimedOut {
            millis: origin.limits.millis,
        });
    };
    let Ok(result) = attempt else {
        return Err(ReadError::Corrupt {
            what: "pdf",
            detail: "the PDF parser could not read its structure".into(),
        });
    };
    let extracted = result.map_err(|e| {
        let detail = e.to_string();
        if detail.to_ascii_lowercase().contains("crypt") || detail.contains("password") {
            ReadError::Encrypted
        } else {
            ReadError::Corrupt {
                what: "pdf",
                detail,
            }
        }
    })?;
    let visible = extracted.chars().filter(|c| !c.is_whitespace()).count();
    if visible < MIN_TEXT_CHARS {
        return Err(ReadError::NoTextLayer);
    }
    text::from_str(&extracted, "UTF-8", Format::Pdf, origin)
}
