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
/// together not above `max` bytes as declared. The declared sizes bound what is unpacked:
/// the zip crate (9.8) stops any entry that inflates past its declared size with an error
/// (its `Crc32Reader` size limit), so a lying size makes the file `corrupt` when the reader
/// reaches that entry, never a larger allocation. No entry is inflated here but the short
/// `mimetype`: inflating every entry only to count its bytes was a tenth of reading an xlsx
/// (263 M of 2,573 M instructions for 300 workbooks), and the reader inflated them again.
pub(crate) fn zip_kind(bytes: &[u8], max: u64) -> Result<Format, ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt("zip", e))?;
    let declared: u64 = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|e| e.size()))
        .fold(0u64, u64::saturating_add);
    if declared > max {
        return Err(ReadError::TooLargeUnzipped { max });
    }
    let mut kind = Format::Zip;
    let mut has_mimetype = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| corrupt("zip", e))?;
        if entry.encrypted() {
            return Err(ReadError::Encrypted);
        }
        match entry.name() {
            Ok(n) if n == "word/document.xml" => kind = Format::Docx,
            Ok(n) if n == "xl/workbook.xml" => kind = Format::Xlsx,
            Ok(n) if n == "mimetype" => has_mimetype = true,
            _ => {}
        }
    }
    if has_mimetype {
        let entry = zip.by_name("mimetype").map_err(|e| corrupt("zip", e))?;
        let mut mimetype = Vec::new();
        entry
            .take(max)
            .read_to_end(&mut mimetype)
            .map_err(|e| corrupt("zip", e))?;
        if String::from_utf8_lossy(&mimetype).trim()
            == "application/vnd.oasis.opendocument.spreadsheet"
        {
            kind = Format::Ods;
        }
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

    /// A zip of one deflated entry of `len` zeros named `name`.
    fn zeros(name: &str, len: usize) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file(name, opts).unwrap();
        z.write_all(&vec![0u8; len]).unwrap();
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn an_entry_that_inflates_past_its_declared_size_is_an_error() {
        // The declared sizes are all `zip_kind` counts: the zip crate must stop an entry
        // that lies about its size as it is read (a megabyte declared as 100 bytes).
        let mut bytes = zeros("word/document.xml", 1 << 20);
        let patch = |bytes: &mut Vec<u8>, sig: &[u8; 4], at: usize| {
            let pos = bytes.windows(4).position(|w| w == sig).unwrap();
            bytes[pos + at..pos + at + 4].copy_from_slice(&100u32.to_le_bytes());
        };
        patch(&mut bytes, b"PK\x03\x04", 22); // local header: uncompressed size
        patch(&mut bytes, b"PK\x01\x02", 24); // central directory: uncompressed size
        assert_eq!(zip_kind(&bytes, 1000).unwrap(), Format::Docx);
        let e = zip_entry(&bytes, "word/document.xml", MAX_UNZIPPED_BYTES).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt { .. }), "{e:?}");
    }

    #[test]
    fn declared_sizes_over_the_cap_are_refused_unread() {
        let bytes = zeros("xl/workbook.xml", 5000);
        assert!(bytes.len() < 1000);
        assert!(matches!(
            zip_kind(&bytes, 4999),
            Err(ReadError::TooLargeUnzipped { max: 4999 })
        ));
        assert_eq!(zip_kind(&bytes, 5000).unwrap(), Format::Xlsx);
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
