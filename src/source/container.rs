//! Zip and OLE containers: which document is inside (xlsx, docx, ods; xls, doc), read with a
//! bound on decompressed bytes so a zip bomb is an error row, not an out-of-memory kill.

use std::io::{Cursor, Read};

use super::{Format, ReadError};

/// Decompressed bytes a container may hold in all, by default: real workbooks and Word
/// reports are a few megabytes unzipped.
pub(crate) const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;

fn corrupt(what: &'static str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        what,
        detail: e.to_string(),
    }
}

/// What a zip container holds, after checking every entry: not encrypted, and all of them
/// together not above `max` bytes when actually decompressed.
pub(crate) fn zip_kind(bytes: &[u8], max: u64) -> Result<Format, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt("zip", e))?;
    // Declared sizes first (cheap, and enough for an honest bomb); then the real count,
    // since a declared size can lie.
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|e| e.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        return Err(ReadError::TooLargeUnzipped { max });
    }
    let mut kind = Format::Zip;
    let mut total: u64 = 0;
    let mut mimetype = String::new();
    for i in 0..zip.len() {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(ReadError::Encrypted);
            }
            Err(e) => return Err(corrupt("zip", e)),
        };
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        kind = match name.as_str() {
            "word/document.xml" => Format::Docx,
            "xl/workbook.xml" => Format::Xlsx,
            _ => kind,
        };
        let left = max - total;
        let mut sink: Vec<u8> = Vec::new();
        let n = if name == "mimetype" {
            (&mut entry).take(left + 1).read_to_end(&mut sink)
        } else {
            std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink())
                .map(|n| n as usize)
        }
        .map_err(|e| corrupt("zip", e))? as u64;
        if name == "mimetype" {
            mimetype = String::from_utf8_lossy(&sink).into_owned();
        }
        total += n;
        if total > max {
            return Err(ReadError::TooLargeUnzipped { max });
        }
    }
    if mimetype.trim() == "application/vnd.oasis.opendocument.spreadsheet" {
        kind = Format::Ods;
    }
    Ok(kind)
}

/// One entry of a zip container (already checked by [`zip_kind`] against `max`).
pub(crate) fn zip_entry(bytes: &[u8], name: &str, max: u64) -> Result<Vec<u8>, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt("zip", e))?;
    let entry = zip.by_name(name).map_err(|e| corrupt("zip", e))?;
    let mut out = Vec::new();
    entry
        .take(max)
        .read_to_end(&mut out)
        .map_err(|e| corrupt("zip", e))?;
    Ok(out)
}

/// A UTF-16LE stream name as it appears in an OLE directory.
fn utf16(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// What an OLE compound file holds: an Excel 97 workbook, a Word 97 document, or an
/// encrypted Office 2007+ file (which Office wraps in OLE).
pub(crate) fn ole_kind(bytes: &[u8]) -> Result<Format, ReadError> {
    let has = |name: &str| {
        let n = utf16(name);
        bytes.windows(n.len()).any(|w| w == n.as_slice())
    };
    if has("EncryptedPackage") {
        Err(ReadError::Encrypted)
    } else if has("WordDocument") {
        Ok(Format::Doc)
    } else if has("Workbook") || has("Book") {
        Ok(Format::Xls)
    } else {
        Ok(Format::Ole)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_after_the_zip_magic_is_corrupt() {
        let e = zip_kind(b"PK\x03\x04garbage", MAX_UNZIPPED_BYTES).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
    }

    #[test]
    fn ole_streams_say_what_is_inside() {
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0];
        doc.extend(utf16("WordDocument"));
        assert_eq!(ole_kind(&doc).unwrap(), Format::Doc);
        let mut enc = vec![0xD0, 0xCF, 0x11, 0xE0];
        enc.extend(utf16("EncryptedPackage"));
        assert!(matches!(ole_kind(&enc), Err(ReadError::Encrypted)));
    }
}
