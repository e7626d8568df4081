//! A cell's text as printed, kept in the cell itself when short.
//!
//! Nearly every printed cell is a few bytes (`30`, `108`, `—`, a glued run of digits), and a
//! `String` each was an allocation per cell wherever cells are made (extraction, and the
//! parent reading every worker's answer back) and a free per cell where they are dropped:
//! the parent drops a batch's cells on another thread than the one that read them, and
//! mimalloc's cross-thread free was 28 M of the parent's 1,055 M instructions of ingesting
//! the 1k text corpus. Texts of up to [`INLINE`] bytes live in the cell; longer ones on the
//! heap. Either way it reads as the `str` it holds.

/// Bytes a [`Raw`] holds in place: with its tag and length, the 24 bytes of a `String`.
const INLINE: usize = 22;

#[derive(Clone)]
pub struct Raw(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<str>),
}

impl Raw {
    pub fn new(s: &str) -> Raw {
        let b = s.as_bytes();
        if b.len() > INLINE {
            return Raw(Repr::Heap(s.into()));
        }
        let mut buf = [0u8; INLINE];
        buf[..b.len()].copy_from_slice(b);
        Raw(Repr::Inline {
            len: b.len() as u8,
            buf,
        })
    }

    /// The text of `chars`, built in place when it fits (a cut of a glued run, most often:
    /// through a `String` first, 340 instructions a cut).
    pub fn from_chars(chars: &[char]) -> Raw {
        let mut buf = [0u8; INLINE];
        let mut len = 0;
        for &c in chars {
            let n = c.len_utf8();
            if len + n > INLINE {
                return Raw(Repr::Heap(
                    chars.iter().collect::<String>().into_boxed_str(),
                ));
            }
            c.encode_utf8(&mut buf[len..len + n]);
            len += n;
        }
        Raw(Repr::Inline {
            len: len as u8,
            buf,
        })
    }

    /// Whether the text is held in place (no allocation).
    #[cfg(test)]
    pub(crate) fn is_inline(&self) -> bool {
        matches!(self.0, Repr::Inline { .. })
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: `buf[..len]` is only ever written in `new` and `from_chars`, with whole
            // characters' UTF-8 (the fields are private and never changed after). Checking it again at every
            // read was UTF-8 validation of every cell's text each time a frame read it.
            Repr::Inline { len, buf } => unsafe {
                std::str::from_utf8_unchecked(&buf[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl Default for Raw {
    fn default() -> Raw {
        Raw::new("")
    }
}

impl std::ops::Deref for Raw {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Raw {
    fn from(s: &str) -> Raw {
        Raw::new(s)
    }
}

impl From<String> for Raw {
    fn from(s: String) -> Raw {
        if s.len() > INLINE {
            Raw(Repr::Heap(s.into_boxed_str()))
        } else {
            Raw::new(&s)
        }
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Raw) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Raw {}

impl PartialEq<str> for Raw {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Raw {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl serde::Serialize for Raw {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        String::deserialize(d).map(Raw::from)
    }
}

#[cfg(test)]
mod tests {
    use super::Raw;

    /// Short texts in place, long ones on the heap: the same text either way, a `String`'s
    /// size, and shown as the `str` is.
    #[test]
    fn a_raw_text_reads_back_as_written() {
        assert_eq!(std::mem::size_of::<Raw>(), std::mem::size_of::<String>());
        for t in [
            "",
            "0",
            "640020470",
            "規章 ３",
            "1234567890123456789012",
            "12345678901234567890123",
            "示例示例示例示例示例示例示例",
        ] {
            let a = Raw::new(t);
            let b = Raw::from(t.to_owned());
            let chars: Vec<char> = t.chars().collect();
            assert_eq!(Raw::from_chars(&chars), a);
            assert_eq!(a.as_str(), t);
            assert_eq!(a, b);
            assert_eq!(format!("{a:?}"), format!("{t:?}"));
            assert_eq!(a.to_string(), t);
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, serde_json::to_string(t).unwrap());
            assert_eq!(serde_json::from_str::<Raw>(&json).unwrap(), a);
        }
    }
}
