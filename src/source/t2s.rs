//! Traditional → simplified conversion, character_converter's algorithm over its own table.
//!
//! character_converter rebuilds its table as a `HashMap<String, String>` in every process
//! that converts (115,571 entries: 30–80 ms before a worker converts its first line, 167 M
//! instructions) and hashes every key it finds with SipHash. The same table (`t2s.tsv`,
//! written from the crate's data by `scripts/t2s_table.py`; its licence in `t2s.NOTICE`) is
//! compiled by `build.rs` into an fst map whose value says where a key's replacement lies in
//! one blob: nothing is built at run time, and a replacement is a slice, not a lookup. The
//! tests check the conversion against character_converter itself.

use std::sync::OnceLock;

use fst::raw::{CompiledAddr, Fst, Node, Output};

/// Every key of the table, with the place of its replacement in [`REPLACEMENTS`] packed as
/// `offset << 8 | length`, or 0 for a key that stays as it is.
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/t2s.fst"));
/// The replacements, one after another.
static REPLACEMENTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/t2s.values"));

fn table() -> &'static Fst<&'static [u8]> {
    static FST: OnceLock<Fst<&'static [u8]>> = OnceLock::new();
    // Reads the fst's header and footer, nothing more. build.rs wrote these bytes from the
    // table in this crate; they fail to load only if the build itself is broken.
    FST.get_or_init(|| Fst::new(TABLE).expect("build.rs writes a valid fst"))
}

/// `raw` in simplified script: at each place the longest key of the table that starts there
/// is replaced by its value and passed over; where no key starts, one character is kept. That
/// is character_converter's `traditional_to_simplified`, so the text is the same.
pub(super) fn traditional_to_simplified(raw: &str) -> String {
    let fst = table();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while at < raw.len() {
        let tail = &raw[at..];
        match longest_key(fst, tail) {
            Some((packed, len)) => {
                let (offset, n) = ((packed >> 8) as usize, (packed & 0xFF) as usize);
                // A key that stays as it is, or its replacement (written by build.rs from
                // `&str`s: whole characters).
                let value = match packed {
                    0 => None,
                    _ => (REPLACEMENTS.get(offset..offset + n))
                        .and_then(|b| std::str::from_utf8(b).ok()),
                };
                out.push_str(value.unwrap_or(&tail[..len]));
                at += len;
            }
            None => {
                // `at` is a character boundary short of the end: a character follows.
                let Some(c) = tail.chars().next() else { break };
                out.push(c);
                at += c.len_utf8();
            }
        }
    }
    out
}

/// The value and byte length of the longest key that `text` starts with. Keys are whole
/// strings, so the length ends on a character boundary of `text`.
fn longest_key(fst: &Fst<&[u8]>, text: &str) -> Option<(u64, usize)> {
    // The walk through the first character's bytes is the same at every place that character
    // stands (a report holds a few hundred distinct characters thousands of times): it is
    // made once per character and thread, and the walk goes on from where it ended.
    thread_local! {
        static FIRST: std::cell::RefCell<rustc_hash::FxHashMap<char, First>> =
            std::cell::RefCell::new(Default::default());
    }
    let c = text.chars().next()?;
    let (n, bytes) = (c.len_utf8(), text.as_bytes());
    let first = FIRST.with_borrow_mut(|m| match m.get(&c) {
        Some(&f) => f,
        None => {
            let f = walk(fst, fst.root(), Output::zero(), &bytes[..n]).0;
            // At most this many characters a thread are remembered (a page of every
            // character Unicode has would otherwise keep them all).
            if m.len() < MAX_REMEMBERED {
                m.insert(c, f);
            }
            f
        }
    });
    let First::Reached { addr, out } = first else {
        return None;
    };
    let node = fst.node(addr);
    let found = node
        .is_final()
        .then(|| (out.cat(node.final_output()).value(), n));
    match walk(fst, node, out, &bytes[n..]) {
        (_, Some((value, len))) => Some((value, n + len)),
        _ => found,
    }
}

const MAX_REMEMBERED: usize = 1 << 16;

/// Where the walk through a character's bytes ends.
#[derive(Clone, Copy)]
enum First {
    /// No key starts with the character.
    None,
    /// The node reached and the output gathered on the way.
    Reached { addr: CompiledAddr, out: Output },
}

/// Walks `bytes` from `node` (with `out` gathered so far) while the table has a transition:
/// where the walk ended (if it took every byte), and the value and length of the longest key
/// it passed.
fn walk<'f>(
    fst: &'f Fst<&[u8]>,
    mut node: Node<'f>,
    mut out: Output,
    bytes: &[u8],
) -> (First, Option<(u64, usize)>) {
    let mut found = None;
    for (i, &b) in bytes.iter().enumerate() {
        let Some(t) = node.find_input(b) else {
            return (First::None, found);
        };
        let t = node.transition(t);
        out = out.cat(t.out);
        node = fst.node(t.addr);
        if node.is_final() {
            found = Some((out.cat(node.final_output()).value(), i + 1));
        }
    }
    let end = First::Reached {
        addr: node.addr(),
        out,
    };
    (end, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_says(s: &str) -> String {
        character_converter::traditional_to_simplified(s).into_owned()
    }

    #[test]
    fn converts_as_character_converter_does() {
        for s in [
            "大余縣人民政府",
            "屬于國家秘密",
            "規范性文件",
            "19024.59萬元",
            "乾隆年間",
            "乾县",
            "政府資訊公開",
            "",
            "abc 123",
            "21三體綜合症",
        ] {
            assert_eq!(traditional_to_simplified(s), crate_says(s), "{s}");
        }
    }

    #[test]
    fn every_key_of_the_table_converts_as_character_converter_converts_it() {
        // Each key alone, then each with the next key after it (so that a longer key can
        // begin inside the first, or a match run past its end): 231,142 texts in all.
        let keys: Vec<&str> = include_str!("t2s.tsv")
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(l))
            .collect();
        assert_eq!(keys.len(), 115_571);
        let mut differ = Vec::new();
        for (i, k) in keys.iter().enumerate() {
            let two = format!("{k}{}", keys[(i * 7919 + 1) % keys.len()]);
            for s in [*k, two.as_str()] {
                if traditional_to_simplified(s) != crate_says(s) {
                    differ.push(s.to_owned());
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ: {:?}",
            differ.len(),
            &differ[..differ.len().min(10)]
        );
    }
}
