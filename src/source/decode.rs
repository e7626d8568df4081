//! Bytes to UTF-8: BOMs, then valid UTF-8, then a `<meta charset>`, then a guess
//! (chardetng, without a TLD hint: the `cn` hint biases against Big5).

use encoding_rs::Encoding;

/// Decodes `bytes`, returning the text and the name of the encoding used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), "UTF-8");
    }
    let enc = meta_charset(bytes).unwrap_or_else(|| {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
    });
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// The charset an HTML page declares in its first bytes, if any. GB2312 pages are decoded
/// as GBK's superset (encoding_rs maps the label accordingly).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let pos = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &lower[pos..];
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_big5_and_boms() {
        let s = "大余县人民政府总计";
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        assert_eq!(decode(&gbk).0, s);
        let t = "大余縣人民政府總計申請數量";
        let (big5, _, _) = encoding_rs::BIG5.encode(t);
        assert_eq!(decode(&big5).0, t);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom), (s.to_owned(), "UTF-8"));
        let mut u16 = vec![0xFF, 0xFE];
        u16.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&u16).0, s);
    }

    #[test]
    fn meta_charset_wins_over_guessing() {
        let mut page = b"<html><head><meta charset=\"gb2312\"></head><body>".to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("规章");
        page.extend_from_slice(&gbk);
        let (text, enc) = decode(&page);
        assert!(text.contains("规章"), "{text}");
        assert_eq!(enc, "GBK");
    }
}
