//! Bytes to UTF-8: BOMs, then valid UTF-8, then a `<meta charset>`, then GBK when the bytes
//! read as a report in it, then a guess (chardetng, without a TLD hint: the `cn` hint biases
//! against Big5).

use std::sync::OnceLock;

use encoding_rs::Encoding;

use crate::charbits::CharBits;
use crate::template;

/// Decodes `bytes`, returning the text and the name of the encoding used.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc.name());
    }
    // The same check as `std::str::from_utf8`, by vector: a report is mostly Chinese, which
    // the standard check reads a byte at a time (18.2 M of the 1k text corpus's 2,119 M
    // instructions, callgrind).
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return (s.to_owned(), "UTF-8");
    }
    if let Some(enc) = meta_charset(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), enc.name());
    }
    // chardetng runs each of its candidates over every byte: about 1,600 instructions a byte
    // on the synthetic GBK reports (callgrind), more than all the rest of reading such a
    // report. A report in GBK says so itself.
    if let Some(text) = gbk_report(bytes) {
        return (text, encoding_rs::GBK.name());
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// At least this many of the templates' words, and one for every [`CHARS_PER_WORD`]
/// characters outside ASCII, make decoded bytes read as a report.
const MIN_WORDS: usize = 32;
const CHARS_PER_WORD: usize = 50;

/// `bytes` decoded as GBK if they decode without a malformed sequence and the text reads as
/// a report: it holds the templates' two-character words (申请, 公开, 复议…) often enough.
/// A report's bytes read in the wrong encoding (Big5 as GBK, GBK as Big5) make random
/// characters, where those words hardly occur: see the tests for both sides' counts. Anything
/// not decided here is left to the guess.
fn gbk_report(bytes: &[u8]) -> Option<String> {
    let text = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)?;
    let (words, wide) = template_words(&text);
    (words >= MIN_WORDS && words * CHARS_PER_WORD >= wide).then(|| text.into_owned())
}

/// The CJK block the templates' words are written in.
const HAN: std::ops::Range<u32> = 0x4E00..0xA000;

/// How many adjacent character pairs of `text` are two-character words of the templates'
/// phrases, and how many characters lie outside ASCII.
fn template_words(text: &str) -> (usize, usize) {
    let (firsts, pairs) = word_table();
    let (mut words, mut wide) = (0, 0);
    let mut prev = 0u32;
    for c in text.chars() {
        let u = c as u32;
        if u < 0x80 {
            prev = 0;
            continue;
        }
        wide += 1;
        if HAN.contains(&u) {
            if firsts.contains(prev) && pairs.binary_search(&pair(prev, u)).is_ok() {
                words += 1;
            }
            prev = u;
        } else {
            prev = 0;
        }
    }
    (words, wide)
}

fn pair(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// The templates' two-character words, sorted, and a bitmap of the characters they start
/// with (most characters of a text start none: the search is skipped).
fn word_table() -> &'static (CharBits, Vec<u64>) {
    static TABLE: OnceLock<(CharBits, Vec<u64>)> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut firsts = CharBits::new(HAN);
        let mut pairs = Vec::new();
        for phrase in template::phrases() {
            let cs: Vec<u32> = phrase.chars().map(|c| c as u32).collect();
            for w in cs.windows(2) {
                if HAN.contains(&w[0]) && HAN.contains(&w[1]) {
                    firsts.insert(w[0]);
                    pairs.push(pair(w[0], w[1]));
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        (firsts, pairs)
    })
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

    /// The vector check says what the standard one says: random valid text (Chinese, ASCII,
    /// four-byte characters) with, in half the cases, a truncated, overlong, surrogate,
    /// out-of-range or stray byte sequence put in somewhere.
    #[test]
    fn utf8_is_checked_as_the_standard_library_checks_it() {
        let valid: [&[u8]; 4] = [
            "报告".as_bytes(),
            b"12 |",
            &[0xF0, 0x9F, 0x98, 0x80],
            b"\r\n",
        ];
        let bad: [&[u8]; 6] = [
            &[0xE4, 0xB8],
            &[0xC0, 0xAF],
            &[0xED, 0xA0, 0x80],
            &[0xF4, 0x90, 0x80, 0x80],
            &[0x80],
            &[0xFF],
        ];
        let mut rng = crate::rng::Rng::new(8);
        let mut pick = |n: usize| (rng.next_u64() % n as u64) as usize;
        let (mut ok, mut refused) = (0, 0);
        for _ in 0..20_000 {
            let mut b: Vec<u8> = Vec::new();
            for _ in 0..pick(80) {
                b.extend_from_slice(valid[pick(valid.len())]);
            }
            if pick(2) == 0 {
                let at = pick(b.len() + 1);
                b.splice(at..at, bad[pick(bad.len())].iter().copied());
            }
            let want = std::str::from_utf8(&b).is_ok();
            assert_eq!(simdutf8::basic::from_utf8(&b).is_ok(), want, "{b:?}");
            if want {
                ok += 1;
            } else {
                refused += 1;
            }
        }
        assert!(ok > 5_000 && refused > 5_000, "{ok} {refused}");
    }

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

    /// Every report text at hand (the real fixtures, and synthetic reports of each text shape
    /// in both scripts), as UTF-8.
    fn report_texts() -> Vec<String> {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut texts = Vec::new();
        for sub in ["real", "real2"] {
            for e in std::fs::read_dir(fixtures.join(sub)).unwrap().flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.ends_with(".txt") || name.ends_with(".html") {
                    texts.push(std::fs::read_to_string(e.path()).unwrap());
                }
            }
        }
        let mut c = crate::jobs::corpus::synthetic();
        c.options.issuers = 4;
        let truths = crate::synth::generate(&c.options);
        for (i, t) in truths.iter().enumerate() {
            use crate::synth::Shape;
            let shapes = [
                Shape::Html,
                Shape::Pipe,
                Shape::Markdown,
                Shape::Layout,
                Shape::Glued,
            ];
            let bytes = crate::synth::report_bytes(t, shapes[i % shapes.len()], i % 2 == 1, false);
            texts.push(String::from_utf8(bytes).unwrap());
        }
        texts
    }

    fn guess(bytes: &[u8]) -> &'static Encoding {
        let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        det.feed(bytes, true);
        det.guess(None, chardetng::Utf8Detection::Allow)
    }

    /// Counted here: each report holds a template word in every 14 characters outside ASCII
    /// or more often (14: a real one in traditional script; the synthetic ones every 4 to 5),
    /// more than three times [`CHARS_PER_WORD`]'s rate; read in the wrong encoding, none holds
    /// a single one. And where the fast path decides, chardetng agrees.
    #[test]
    fn reports_in_gbk_read_as_reports_and_nothing_else_does() {
        let texts = report_texts();
        assert!(texts.len() > 30, "{}", texts.len());
        let mut sparsest = 0;
        for text in &texts {
            let head = text.chars().take(40).collect::<String>();
            let (words, wide) = template_words(text);
            sparsest = sparsest.max(wide / words.max(1));
            let (gbk, _, _) = encoding_rs::GB18030.encode(text);
            let fast = gbk_report(&gbk);
            assert!(fast.as_deref() == Some(text.as_str()), "{head}");
            assert_eq!(guess(&gbk), encoding_rs::GBK, "{head}");
            if meta_charset(&gbk).is_none() {
                assert!(decode(&gbk) == (text.clone(), "GBK"), "{head}");
            }
            // The same bytes read as Big5, and a Big5 report's bytes read as GBK.
            let as_big5 = encoding_rs::BIG5.decode_without_bom_handling(&gbk).0;
            assert_eq!(template_words(&as_big5).0, 0, "{head}");
            let (big5, _, _) = encoding_rs::BIG5.encode(text);
            let as_gbk = encoding_rs::GBK.decode_without_bom_handling(&big5).0;
            assert_eq!(template_words(&as_gbk).0, 0, "{head}");
            assert!(gbk_report(&big5).is_none(), "{head}");
        }
        assert!(sparsest * 3 < CHARS_PER_WORD, "{sparsest}");
    }

    #[test]
    fn random_hanzi_and_short_texts_are_left_to_the_guess() {
        // GB2312's common characters (lead bytes B0-D7) in a fixed pseudo-random order, as
        // Korean EUC-KR bytes read as GBK would look.
        let mut x = 2026u32;
        let bytes: Vec<u8> = (0..20_000)
            .flat_map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                [0xB0 + (x >> 16) as u8 % 40, 0xA1 + (x >> 8) as u8 % 94]
            })
            .collect();
        let text = encoding_rs::GBK.decode_without_bom_handling(&bytes).0;
        let (words, wide) = template_words(&text);
        assert!(words * CHARS_PER_WORD * 10 < wide, "{words} of {wide}");
        assert_eq!(gbk_report(&bytes), None);
        let (short, _, _) = encoding_rs::GBK.encode("申请公开，予以公开，不予公开");
        assert_eq!(gbk_report(&short), None);
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
