//! `str::trim` for a report's texts, most of which have no white space at either end: asked
//! of every line, cell and word (hundreds of times a report), `str::trim`'s pattern search
//! from both ends was about 1.5 % of the text corpora's instructions.

/// `s.trim()`, the same slice always; a text whose first and last characters cannot be white
/// space by their bytes (or are not) is returned as it is.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    if starts_white(s) || ends_white(s) {
        s.trim()
    } else {
        s
    }
}

/// `c.is_whitespace()`, answered without Unicode's tables for ASCII and for every character
/// after U+3000 (the last white-space character): Chinese text, most of a report.
#[inline]
pub(crate) fn is_white(c: char) -> bool {
    if c.is_ascii() {
        ascii_white(c as u8)
    } else {
        c <= '\u{3000}' && c.is_whitespace()
    }
}

/// ASCII white space as `char::is_whitespace` has it (with the vertical tab, which
/// `u8::is_ascii_whitespace` leaves out).
fn ascii_white(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Whether `s` starts with white space. Outside ASCII, white space (U+0085, U+00A0, U+1680,
/// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) starts with one of four bytes;
/// only then is the character read.
fn starts_white(s: &str) -> bool {
    match s.as_bytes().first() {
        None => false,
        Some(&b) if b < 0x80 => ascii_white(b),
        Some(0xC2 | 0xE1 | 0xE2 | 0xE3) => s.chars().next().is_some_and(char::is_whitespace),
        Some(_) => false,
    }
}

/// Whether `s` ends with white space: outside ASCII, the last byte of a white-space
/// character is one of these; only then is the character read.
fn ends_white(s: &str) -> bool {
    match s.as_bytes().last() {
        None => false,
        Some(&b) if b < 0x80 => ascii_white(b),
        Some(0x80..=0x8A | 0x9F | 0xA0 | 0xA8 | 0xA9 | 0xAF) => {
            s.chars().next_back().is_some_and(char::is_whitespace)
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every white-space character at either end, or inside, of texts of every kind of
    /// character, trims as `str::trim` trims.
    #[test]
    fn trims_as_str_trim() {
        let white: Vec<char> = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(white.len(), 25, "{white:?}");
        assert_eq!(white.last(), Some(&'\u{3000}'));
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_white(c), c.is_whitespace(), "{c:?}");
        }
        // Characters beside them by their first or last byte, and others.
        let others = [
            'a', '|', '0', 'é', '\u{86}', '\u{A1}', '规', '、', '“', '—', '\u{2030}', '\u{2080}',
            '\u{3001}', '\u{FEFF}', '\u{E000}', '😀', '\u{1681}', '\u{200B}', '\u{1E80}',
        ];
        let mut rng = crate::rng::Rng::new(29);
        for _ in 0..20_000 {
            let len = rng.below(6) as usize;
            let s: String = (0..len)
                .map(|_| {
                    if rng.chance(0.3) {
                        white[rng.below(white.len() as u64) as usize]
                    } else {
                        others[rng.below(others.len() as u64) as usize]
                    }
                })
                .collect();
            assert_eq!(trim(&s), s.trim(), "{s:?}");
            assert_eq!(trim(&s).as_ptr(), s.trim().as_ptr(), "{s:?}");
        }
        for c in white.iter().chain(&others) {
            for s in [
                format!("{c}"),
                format!("{c}规"),
                format!("规{c}"),
                format!("{c}a{c}"),
            ] {
                assert_eq!(trim(&s), s.trim(), "{s:?}");
            }
        }
    }
}
