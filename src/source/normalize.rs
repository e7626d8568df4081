//! Script and width normalisation, done once at the door.
//!
//! Full-width ASCII becomes half-width and odd spaces become plain spaces on every line.
//! Traditional → simplified conversion (`t2s`) runs only on lines that hold at least one
//! character whose simplified form differs; the list of such characters
//! (`traditional_chars.txt`: the Big5 characters the converter changes, less every GB2312
//! character, since those are valid simplified text such as 覆盖) keeps 乾 (乾县).

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::charbits::CharBits;

/// The CJK range the traditional-character bitmap covers (Extension A and the Basic block).
const CJK_START: u32 = 0x3400;
const CJK_END: u32 = 0xA000;

fn traditional_chars() -> &'static CharBits {
    static SET: OnceLock<CharBits> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = CharBits::new(CJK_START..CJK_END);
        for c in include_str!("traditional_chars.txt").chars() {
            set.insert(c as u32);
        }
        set
    })
}

/// The character a PDF font's radical or compatibility glyph stands for (`⾏` is 行, `⺠` is
/// 民), from `radicals.txt`; any other character as it is.
fn radical(c: char) -> char {
    static MAP: OnceLock<Vec<(char, char)>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut m: Vec<(char, char)> = include_str!("radicals.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cs = l.chars();
                Some((cs.next()?, cs.next()?))
            })
            .collect();
        m.sort_unstable();
        m
    });
    map.binary_search_by_key(&c, |&(from, _)| from)
        .map_or(c, |i| map[i].1)
}

/// A character's half-width, plain-space or radical-free form (itself when it has none).
#[inline]
fn width_form(c: char) -> char {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        0x3000 | 0x00A0 | 0x2002..=0x200B | 0xFEFF => ' ',
        0x2E80..=0x2FDF | 0xF900..=0xFAFF => radical(c),
        _ => c,
    }
}

/// Normalises one line: width first, then script where needed. Returns the text and whether
/// the script was converted.
pub fn normalize(raw: &str) -> (String, bool) {
    let (text, converted) = normalize_cow(raw);
    (text.into_owned(), converted)
}

/// [`normalize`], borrowing the line when nothing in it changes (most lines: ASCII, or
/// simplified script at its usual width), which is then not copied character by character.
pub(super) fn normalize_cow(raw: &str) -> (Cow<'_, str>, bool) {
    // ASCII (digits, markup, separators) is never changed.
    if raw.is_ascii() {
        return (Cow::Borrowed(raw), false);
    }
    let traditional_set = traditional_chars();
    // One pass over the bytes. Most characters are Chinese of the unified block (three
    // bytes, no width form there): their code point is put together and looked up in the
    // traditional set, and they stay in the run of bytes copied as it is. Only a character
    // with another form (full-width punctuation, most often) ends the run; the text is made
    // at the first one.
    let b = raw.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut traditional = false;
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let three = (0xE0..0xF0).contains(&lead) && i + 2 < b.len();
        let u = if three {
            (u32::from(lead & 0x0F) << 12)
                | (u32::from(b[i + 1] & 0x3F) << 6)
                | u32::from(b[i + 2] & 0x3F)
        } else {
            0
        };
        if three && (CJK_START..CJK_END).contains(&u) {
            traditional |= traditional_set.contains(u);
            i += 3;
            continue;
        }
        let Some(c) = raw[i..].chars().next() else {
            break;
        };
        let n = width_form(c);
        traditional |= traditional_set.contains(n as u32);
        if n != c {
            let o = out.get_or_insert_with(|| String::with_capacity(raw.len()));
            o.push_str(&raw[copied..i]);
            o.push(n);
            copied = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    let text = match out {
        None => Cow::Borrowed(raw),
        Some(mut o) => {
            o.push_str(&raw[copied..]);
            Cow::Owned(o)
        }
    };
    if traditional {
        (
            Cow::Owned(super::t2s::traditional_to_simplified(&text)),
            true,
        )
    } else {
        (text, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_only_what_needs_it() {
        assert_eq!(normalize("大余縣人民政府").0, "大余县人民政府");
        assert_eq!(normalize("屬于國家秘密").0, "属于国家秘密");
        assert_eq!(normalize("規范性文件").0, "规范性文件");
        assert_eq!(normalize("19024.59萬元").0, "19024.59万元");
        let (s, converted) = normalize("乾县人民政府");
        assert_eq!((s.as_str(), converted), ("乾县人民政府", false));
        let (s, converted) = normalize("实现全覆盖、位居榜首");
        assert_eq!((s.as_str(), converted), ("实现全覆盖、位居榜首", false));
    }

    #[test]
    fn radical_glyphs_become_their_characters() {
        // As Chromium's print-to-PDF fonts map them (沭阳县发展和改⾰局).
        assert_eq!(normalize("沭阳县发展和改⾰局").0, "沭阳县发展和改革局");
        assert_eq!(
            normalize("⼀⼆⼈⼤⼯⽅⽆⽇⽉⽌⽤⾃⾏⺠").0,
            "一二人大工方无日月止用自行民"
        );
        assert_eq!(normalize("7.属于⾏政执法案卷").0, "7.属于行政执法案卷");
        // A compatibility ideograph; unmapped radicals stay as they are.
        assert_eq!(normalize("\u{F9B8}").0, "隶");
        assert_eq!(normalize("⺅").0, "⺅");
    }

    #[test]
    fn full_width_becomes_half_width() {
        assert_eq!(normalize("（一）１２３，４５６").0, "(一)123,456");
        assert_eq!(normalize("a\u{3000}b\u{a0}c").0, "a b c");
    }

    /// The normalisation character by character, as it was written before the one pass
    /// over bytes: width form, then the script of the whole line if any character is
    /// traditional.
    fn by_chars(raw: &str) -> (String, bool) {
        let set = traditional_chars();
        let mut out = String::new();
        let mut traditional = false;
        for c in raw.chars() {
            let n = width_form(c);
            traditional |= set.contains(n as u32);
            out.push(n);
        }
        if traditional {
            (super::super::t2s::traditional_to_simplified(&out), true)
        } else {
            (out, false)
        }
    }

    #[test]
    fn one_pass_over_bytes_normalises_as_character_by_character() {
        // Every kind of character the byte reading tells apart, and those it must not miss.
        let alphabet: Vec<char> = "a1 |,.:（）１２，\u{3000}\u{a0}\u{2003}\u{feff}é国县縣萬万乾覆⾏⺠\u{F9B8}\u{2E80}\u{3400}\u{9FFF}\u{A000}\u{E000}\u{FF5E}\u{FF5F}𠀀😀"
            .chars()
            .collect();
        let mut rng = crate::rng::Rng::new(7);
        for _ in 0..20_000 {
            let n = rng.below(8) as usize;
            let line: String = (0..n)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            let (text, converted) = normalize_cow(&line);
            let (want, want_converted) = by_chars(&line);
            assert_eq!(
                (text.as_ref(), converted),
                (want.as_str(), want_converted),
                "{line:?}"
            );
            // Borrowed exactly when nothing changed.
            assert_eq!(matches!(text, Cow::Borrowed(_)), text == line && !converted);
        }
    }
}
