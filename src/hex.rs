//! Digests written as lower-case hexadecimal, two digits a byte, as `format!("{b:02x}")`
//! writes each: a `format!` per byte made a small string each (32 for a SHA-256), 16.6 M of
//! the parent's 920 M instructions of ingesting the 1k text corpus (callgrind), where every
//! file's digest is written.

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// `bytes` in lower-case hexadecimal.
pub(crate) fn lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_are_written_as_format_writes_them() {
        let all: Vec<u8> = (0..=255).collect();
        let want: String = all.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(super::lower(&all), want);
        assert_eq!(super::lower(&[]), "");
    }
}
