//! Deserializers for the `&'static str` fields of cached types. Every such string is a word
//! of the vocabulary — a row or column key, a rule id, a narrative claim's key or words, a
//! reason, an encoding's name — so it is read back by lookup in one set built from the
//! template, never leaked. A word this version does not know (an entry written by another
//! version, or a damaged one) is an error, which the cache treats as a miss.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer};

use super::{IDENTITIES, OTHER_WORDS, TableKind, all_keys, meta, rules};

/// Every word, by its bytes: a word is read back from the decoder's bytes without checking
/// them as UTF-8 first (every word is).
fn vocabulary() -> &'static FxHashMap<&'static [u8], &'static str> {
    static SET: OnceLock<FxHashMap<&'static [u8], &'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set: Vec<&'static str> = Vec::new();
        for &(_, r, c) in all_keys() {
            set.extend([r, c]);
        }
        // The printed rows' keys, which notes name: all are row keys above but table 四's one
        // printed row, whose key is empty (its cells carry their own rows). A pair's second
        // half is a column key, so it is above too.
        for t in TableKind::ALL {
            for spec in t.specs() {
                set.extend(spec.rows.iter().map(|row| row.key));
            }
        }
        set.extend(IDENTITIES.iter().map(|i| i.id));
        set.extend(rules::ALL);
        for c in meta::CLAIMS {
            set.extend([c.key, c.zh]);
        }
        for &(word, col) in meta::RESULT_WORDS {
            set.extend([word, col]);
        }
        set.extend(OTHER_WORDS);
        set.into_iter().map(|w| (w.as_bytes(), w)).collect()
    })
}

/// The vocabulary's own copy of a word, if it is one (for readers other than serde's).
pub(crate) fn word(s: &str) -> Option<&'static str> {
    vocabulary().get(s.as_bytes()).copied()
}

fn lookup<E: serde::de::Error>(s: &str) -> Result<&'static str, E> {
    lookup_bytes(s.as_bytes())
}

fn lookup_bytes<E: serde::de::Error>(b: &[u8]) -> Result<&'static str, E> {
    if let Some(&w) = vocabulary().get(b) {
        return Ok(w);
    }
    // Encodings are named by encoding_rs, whose names are static.
    match encoding_rs::Encoding::for_label(b) {
        Some(e) if e.name().as_bytes() == b => Ok(e.name()),
        _ => Err(E::custom(format!(
            "`{}` is no word of this version's vocabulary",
            String::from_utf8_lossy(b)
        ))),
    }
}

pub(crate) fn one<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    // Looked up where the decoder holds the text: no `String` per word (a report's outcome
    // holds a few hundred, read back from every worker and cache entry).
    struct Word;
    impl serde::de::Visitor<'_> for Word {
        type Value = &'static str;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a word of the vocabulary")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<&'static str, E> {
            lookup(s)
        }
        fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<&'static str, E> {
            lookup_bytes(b)
        }
    }
    // As bytes: bincode writes a `str` and bytes alike (length, then the bytes), and hands
    // bytes over without the UTF-8 check a `str` costs (a sixth of reading an outcome back, callgrind).
    d.deserialize_bytes(Word)
}

pub(crate) fn many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    let v = Vec::<String>::deserialize(d)?;
    v.iter().map(|s| lookup(s)).collect()
}

#[allow(clippy::type_complexity)]
pub(crate) fn cells<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(TableKind, &'static str, &'static str)>, D::Error> {
    let v = Vec::<(TableKind, String, String)>::deserialize(d)?;
    v.iter()
        .map(|(t, r, c)| Ok((*t, lookup(r)?, lookup(c)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_and_strangers_refused() {
        let de = |s: &str| lookup::<serde::de::value::Error>(s);
        for w in [
            "new",
            "total",
            "I3",
            "G2",
            "UTF-8",
            "GBK",
            "binary",
            "结果纠正",
        ] {
            assert_eq!(de(w).unwrap(), w);
        }
        assert!(de("no such key").is_err());
        assert!(de("utf-8").is_err(), "a label, not the name");
    }
}
