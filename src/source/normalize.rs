//! Script and width normalisation, done once at the door.
//!
//! Full-width ASCII becomes half-width and odd spaces become plain spaces on every line.
//! Traditional → simplified conversion (`t2s`) runs only on lines that hold at least one
//! character whose simplified form differs; the list of such characters
//! (`traditional_chars.txt`: the Big5 characters the converter changes, less every GB2312
//! character, since those are valid simplified text such as 覆盖) keeps 乾 (乾县).

use std::borrow::Cow;
use std::sync::OnceLock;

/// The CJK range the traditional-character bitmap covers (Extension A and the Basic block).
const CJK_START: u32 = 0x3400;
const CJK_END: u32 = 0xA000;

/// A set of characters of one range of code points, a bit each.
pub(super) struct CharBits {
    range: std::ops::Range<u32>,
    bits: Vec<u64>,
}

impl CharBits {
    pub(super) fn new(range: std::ops::Range<u32>) -> CharBits {
        let bits = vec![0u64; ((range.end - range.start) as usize).div_ceil(64)];
        CharBits { range, bits }
    }

    /// Adds `u` if it lies in the range (others are never in the set).
    pub(super) fn insert(&mut self, u: u32) {
        if self.range.contains(&u) {
            let i = (u - self.range.start) as usize;
            self.bits[i / 64] |= 1 << (i % 64);
        }
    }

    // Asked for every character a report holds: inlined into those loops.
    #[inline]
    pub(super) fn contains(&self, u: u32) -> bool {
        self.range.contains(&u) && {
            let i = (u - self.range.start) as usize;
            self.bits[i / 64] & (1 << (i % 64)) != 0
        }
    }
}

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
    let unchanged = raw.chars().all(|c| {
        (c as u32) < 0x80 || {
            let n = width_form(c);
            n == c && !traditional_set.contains(n as u32)
        }
    });
    if unchanged {
        return (Cow::Borrowed(raw), false);
    }
    let mut out = String::with_capacity(raw.len());
    let mut traditional = false;
    for c in raw.chars() {
        if (c as u32) < 0x80 {
            out.push(c);
            continue;
        }
        let n = width_form(c);
        traditional |= traditional_set.contains(n as u32);
        out.push(n);
    }
    if traditional {
        (
            Cow::Owned(super::t2s::traditional_to_simplified(&out)),
            true,
        )
    } else {
        (Cow::Owned(out), false)
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
}
