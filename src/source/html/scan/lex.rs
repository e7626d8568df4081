//! The scanner's tokens: entities, comments, tags with the attributes the reader uses, and
//! the raw text of `title`, `script`, `style` and `iframe`, read as html5ever's tokenizer
//! reads them wherever the scanner goes on (elsewhere it gives up).

use std::borrow::Cow;

use super::{ENTITIES, Scanner, Tag, is_ws};

impl<'a> Scanner<'a> {
    /// `&…`: an entity from the list or a number, else a lone `&` before white space or
    /// markup; anything else is left to html5ever.
    pub(super) fn entity(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        let rest = &b[self.i + 1..];
        let (c, len) = match rest.first() {
            Some(b'#') => {
                let hex = matches!(rest.get(1), Some(b'x' | b'X'));
                let digits = &rest[1 + usize::from(hex)..];
                let n = digits
                    .iter()
                    .take_while(|d| {
                        if hex {
                            d.is_ascii_hexdigit()
                        } else {
                            d.is_ascii_digit()
                        }
                    })
                    .count();
                if n == 0 || n > 7 || digits.get(n) != Some(&b';') {
                    return None;
                }
                let v = u32::from_str_radix(
                    &self.s[self.i + 2 + usize::from(hex)..][..n],
                    if hex { 16 } else { 10 },
                )
                .ok()?;
                // Controls, surrogates and non-characters html5ever maps or reports.
                let plain = matches!(v, 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfdcf | 0xfdf0..=0xfffd)
                    || (0x10000..=0x10ffff).contains(&v) && v & 0xfffe != 0xfffe;
                if !plain {
                    return None;
                }
                (char::from_u32(v)?, 2 + usize::from(hex) + n + 1)
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                let n = rest
                    .iter()
                    .take_while(|d| d.is_ascii_alphanumeric())
                    .count();
                if rest.get(n) != Some(&b';') {
                    return None;
                }
                let name = &self.s[self.i + 1..self.i + 1 + n];
                let &(_, c) = ENTITIES.iter().find(|(e, _)| *e == name)?;
                (c, 1 + n + 1)
            }
            // `&` followed by white space, `<`, `&` or the end is the character itself.
            None => ('&', 1),
            Some(&c) if is_ws(c) || c == b'<' || c == b'&' => ('&', 1),
            _ => return None,
        };
        let mut buf = [0u8; 4];
        self.text(c.encode_utf8(&mut buf))?;
        self.i += len;
        Some(())
    }
    /// `<!--…-->`, in the plain form only.
    pub(super) fn comment(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        let body = &b[self.i + 4..];
        if body.starts_with(b">") || body.starts_with(b"->") {
            return None;
        }
        let end = memchr::memmem::find(body, b"-->")?;
        if memchr::memmem::find(&body[..end + 2], b"--!").is_some() {
            return None;
        }
        self.i += 4 + end + 3;
        Some(())
    }
    /// A tag's name and attributes, from just after `<` or `</` to just after `>`.
    pub(super) fn tag(&mut self, end: bool) -> Option<Tag<'a>> {
        let s = self.s;
        let b = s.as_bytes();
        let start = self.i;
        let mut i = start;
        while i < b.len() && !is_ws(b[i]) && b[i] != b'/' && b[i] != b'>' {
            if b[i] == 0 {
                return None;
            }
            i += 1;
        }
        let raw = &s[start..i];
        let name = if raw.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(raw.to_ascii_lowercase())
        } else {
            Cow::Borrowed(raw)
        };
        let mut tag = Tag {
            name,
            self_closing: false,
            rowspan: None,
            colspan: None,
        };
        loop {
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            match b.get(i)? {
                b'>' => {
                    self.i = i + 1;
                    return Some(tag);
                }
                b'/' => {
                    if b.get(i + 1) != Some(&b'>') {
                        return None;
                    }
                    tag.self_closing = true;
                    self.i = i + 2;
                    return (!end).then_some(tag);
                }
                _ if end => return None,
                _ => {}
            }
            // An attribute: its name, then `=` and a value, or nothing.
            let at = i;
            while i < b.len() && !is_ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                if matches!(b[i], b'"' | b'\'' | b'<' | 0) {
                    return None;
                }
                i += 1;
            }
            if i == at {
                // `=` where a name should start.
                return None;
            }
            let attr = &s[at..i];
            while i < b.len() && is_ws(b[i]) {
                i += 1;
            }
            let mut value = "";
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && is_ws(b[i]) {
                    i += 1;
                }
                match b.get(i)? {
                    &q @ (b'"' | b'\'') => {
                        let len = memchr::memchr(q, &b[i + 1..])?;
                        value = &s[i + 1..i + 1 + len];
                        i += len + 2;
                        if !b
                            .get(i)
                            .is_some_and(|&c| is_ws(c) || c == b'>' || c == b'/')
                        {
                            return None;
                        }
                    }
                    b'>' => return None,
                    _ => {
                        let v = i;
                        while i < b.len() && !is_ws(b[i]) && b[i] != b'>' {
                            if matches!(b[i], b'"' | b'\'' | b'<' | b'=' | b'`') {
                                return None;
                            }
                            i += 1;
                        }
                        value = &s[v..i];
                    }
                }
                if value.as_bytes().contains(&0) {
                    return None;
                }
            }
            // The first of a repeated attribute counts, as in html5ever; a span's value is
            // read as written (html5ever would decode an entity in it).
            let span = attr.eq_ignore_ascii_case("rowspan") || attr.eq_ignore_ascii_case("colspan");
            if span && value.contains('&') {
                return None;
            }
            if attr.eq_ignore_ascii_case("rowspan") && tag.rowspan.is_none() {
                tag.rowspan = Some(value);
            } else if attr.eq_ignore_ascii_case("colspan") && tag.colspan.is_none() {
                tag.colspan = Some(value);
            }
        }
    }
    /// The text of a `title`, `script`, `style` or `iframe` up to its end tag, which is read
    /// too.
    pub(super) fn raw_text(&mut self, name: &str) -> Option<&'a str> {
        let s = self.s;
        let b = s.as_bytes();
        let from = self.i;
        let mut at = from;
        loop {
            let p = at + memchr::memmem::find(&b[at..], b"</")?;
            let after = p + 2 + name.len();
            if b.len() > after
                && b[p + 2..after].eq_ignore_ascii_case(name.as_bytes())
                && (is_ws(b[after]) || b[after] == b'>' || b[after] == b'/')
            {
                let body = &s[from..p];
                if body.as_bytes().contains(&0) {
                    return None;
                }
                self.i = p + 2;
                let end = self.tag(true)?;
                debug_assert_eq!(end.name, name);
                return Some(body);
            }
            at = p + 2;
        }
    }
}
