//! White space in a report's texts, by bytes: `str::trim` for texts most of which have no
//! white space at either end (asked of every line, cell and word, hundreds of times a report,
//! `str::trim`'s pattern search from both ends was 29 M of the 1k text corpus's 1,967 M
//! instructions), and the white space a byte string starts with, for loops over bytes.

/// `s.trim()`, the same slice always; a text whose first and last characters are not white
/// space, told by their bytes, is returned as it is.
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

/// How many bytes of white space (`char::is_whitespace`, Unicode's White_Space) `b` starts
/// with, one character's: 0 when none. Only these byte sequences are white space in UTF-8:
/// ASCII's, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and
/// U+3000. None starts with a continuation byte, so a match in UTF-8 text is always at a
/// character's first byte.
#[inline]
pub(crate) fn white_width(b: &[u8]) -> usize {
    let next = |k: usize| b.get(k).copied();
    match next(0) {
        Some(b'\t'..=b'\r' | b' ') => 1,
        Some(0xC2) if matches!(next(1), Some(0x85 | 0xA0)) => 2,
        Some(0xE1) if next(1) == Some(0x9A) && next(2) == Some(0x80) => 3,
        Some(0xE2) => match (next(1), next(2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        Some(0xE3) if next(1) == Some(0x80) && next(2) == Some(0x80) => 3,
        _ => 0,
    }
}

/// ASCII white space as `char::is_whitespace` has it (with the vertical tab, which
/// `u8::is_ascii_whitespace` leaves out).
fn ascii_white(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

#[inline]
fn starts_white(s: &str) -> bool {
    white_width(s.as_bytes()) > 0
}

/// Whether `s` ends with white space: its last one, two or three bytes, when they are a
/// white-space character (ASCII's are one byte; the others are two or three, and start with a
/// byte that is no continuation byte, so such a match is a whole character).
#[inline]
fn ends_white(s: &str) -> bool {
    let b = s.as_bytes();
    match b.last() {
        None => false,
        Some(&l) if l < 0x80 => ascii_white(l),
        Some(_) => (2..=3).any(|k| b.len() >= k && white_width(&b[b.len() - k..]) == k),
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
            let width = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(white_width(format!("{c}a").as_bytes()), width, "{c:?}");
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
