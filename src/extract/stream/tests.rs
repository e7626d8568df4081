//! The stream's tests: searches against plain scans, both indexes, and how lines become
//! words and tokens.

use super::*;

#[test]
fn find_agrees_with_a_plain_scan() {
    // Streams one after another, one with a character beyond the Basic Multilingual
    // Plane.
    for alphabet in ["规章0政府1信息", "信息公开0𠀀申请", "规章0政府1信息"] {
        find_agrees_on(alphabet);
    }
}

/// A line printed as it is matched takes the one-pass path; the same line printed with
/// full-width digits (matched as ASCII ones, the same number of characters) takes the
/// general one. Both give the same stream: characters, edges, tokens and their places,
/// the raw texts differing only by the digits' width.
#[test]
fn words_read_in_one_pass_are_the_general_paths_tokens() {
    use crate::source::{Block, Document, Format, Loc, Text};
    let lines = [
        "规章 | 3 / 无 -- 12",
        "无",
        "a|b||c",
        "行政许可\u{3000}22\t16 —— 5",
        "不适用 0 - 空",
        "|",
        "x -",
    ];
    let wide = |l: &str| -> String {
        l.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap(),
                c => c,
            })
            .collect()
    };
    let doc = |wide_digits: bool| {
        let mut converted = false;
        let blocks = (lines.iter().enumerate())
            .map(|(i, l)| {
                let raw = if wide_digits { wide(l) } else { l.to_string() };
                let loc = Loc::Line {
                    line: i as u32 + 1,
                    char: None,
                };
                Block::Line(Text::read(raw, loc, &mut converted))
            })
            .collect();
        Document {
            format: Format::Text,
            encoding: "UTF-8",
            converted_script: false,
            blocks,
            name: String::new(),
        }
    };
    let (narrow, wide_doc) = (doc(false), doc(true));
    let wide_lines = wide_doc.blocks.iter().filter(|b| match b {
        Block::Line(t) => !t.is_as_printed(),
        Block::Table(_) => false,
    });
    assert_eq!(
        wide_lines.count(),
        3,
        "lines with digits take the general path"
    );
    let (a, b) = (Stream::new(&narrow), Stream::new(&wide_doc));
    assert_eq!(a.chars, b.chars);
    assert_eq!(a.boundary, b.boundary);
    assert_eq!(a.token, b.token);
    assert_eq!(a.tokens.len(), b.tokens.len());
    for (i, (x, y)) in a.tokens.iter().zip(&b.tokens).enumerate() {
        assert_eq!(
            (x.start, x.offset, x.cell, x.loc),
            (y.start, y.offset, y.cell, y.loc)
        );
        let tx = &a.raw_text[x.raw.start as usize..x.raw.end as usize];
        let ty = &b.raw_text[y.raw.start as usize..y.raw.end as usize];
        assert_eq!(wide(tx), ty, "token {i}");
    }
    assert!(a.chars.contains(&NA_MARK));
}

/// Characters the template's searches start with are answered from the partial index,
/// others from the full one built on demand: both give every place, in order.
#[test]
fn char_places_are_every_place_of_either_index() {
    let starts = search_starts();
    let alphabet: Vec<char> = "本年新收政府信息公开申请0 1,一二三𠀀的了".chars().collect();
    assert!(alphabet.iter().any(|&c| starts.contains(c as u32)));
    assert!(alphabet.iter().any(|&c| !starts.contains(c as u32)));
    let mut rng = crate::rng::Rng::new(5);
    for len in [0, 1, 7, 300, 2_000] {
        let chars: Vec<char> = (0..len)
            .map(|_| alphabet[(rng.next_u64() % alphabet.len() as u64) as usize])
            .collect();
        let s = Stream {
            chars: chars.clone(),
            ..Stream::default()
        };
        // Asked in a random order, so either index may be built first.
        let mut order = alphabet.clone();
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
        }
        for c in order {
            let want: Vec<u32> = (0..chars.len() as u32)
                .filter(|&i| chars[i as usize] == c)
                .collect();
            assert_eq!(s.char_places(c), want, "{c} in {len}");
        }
    }
}

/// A line's words as the stream cuts them (`push_words` for lines printed as they are
/// matched, the general path for lines the reader trimmed): random lines of one-, two-,
/// three- and four-byte characters, white space among them (a tab, U+2028), bars and
/// not-applicable words, against words cut character by character.
#[test]
fn words_are_cut_as_characters_cut_them() {
    use crate::source::{Block, Document, Format, Loc, Text};
    let alphabet: Vec<char> = "ab1 |\t\u{2028}é½汉字—𠀀无-/".chars().collect();
    let mut rng = crate::rng::Rng::new(7);
    for _ in 0..300 {
        let lines: Vec<String> = (0..1 + rng.next_u64() % 6)
            .map(|_| {
                (0..rng.next_u64() % 24)
                    .map(|_| alphabet[(rng.next_u64() % alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect();
        let mut converted = false;
        let blocks: Vec<Block> = (lines.iter().enumerate())
            .map(|(i, l)| {
                let loc = Loc::Line {
                    line: i as u32 + 1,
                    char: None,
                };
                Block::Line(Text::read(l.clone(), loc, &mut converted))
            })
            .collect();
        let doc = Document {
            format: Format::Text,
            encoding: "UTF-8",
            converted_script: false,
            blocks,
            name: String::new(),
        };
        // Words of each line's matched text (the line trimmed), cut character by character.
        let mut want_chars: Vec<char> = Vec::new();
        let mut want_tokens: Vec<(usize, u32, String)> = Vec::new();
        let texts = doc.blocks.iter().filter_map(|b| match b {
            Block::Line(t) => Some(&t.text),
            Block::Table(_) => None,
        });
        for line in texts {
            let mut word: Option<(u32, usize)> = None;
            let ends = line.char_indices().map(Some).chain([None]);
            for (ci, next) in ends.enumerate() {
                let (b, sep) = match next {
                    Some((b, c)) => (b, c == '|' || c.is_whitespace()),
                    None => (line.len(), true),
                };
                match (sep, word) {
                    (true, Some((offset, from))) => {
                        let w = &line[from..b];
                        let start = want_chars.len();
                        if is_not_applicable(w) {
                            want_chars.push(NA_MARK);
                        } else {
                            want_chars.extend(w.chars());
                        }
                        want_tokens.push((start, offset, w.to_owned()));
                        word = None;
                    }
                    (false, None) => word = Some((ci as u32, b)),
                    _ => {}
                }
            }
        }
        let md = |l: &String| l.trim().starts_with('|') && l.trim().ends_with('|');
        if lines.iter().any(|l| md(l) || l.trim() == "|") {
            continue; // Markdown rows and lone bars take paths of their own
        }
        let s = Stream::new(&doc);
        assert_eq!(s.chars, want_chars, "{lines:?}");
        let got: Vec<(usize, u32, String)> = (s.tokens.iter())
            .map(|t| {
                let raw = &s.raw_text[t.raw.start as usize..t.raw.end as usize];
                (t.start, t.offset, raw.to_owned())
            })
            .collect();
        assert_eq!(got, want_tokens, "{lines:?}");
    }
}

fn find_agrees_on(alphabet: &str) {
    let alphabet: Vec<char> = alphabet.chars().collect();
    let mut x: u32 = 12345;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as usize
    };
    let chars: Vec<char> = (0..300)
        .map(|_| alphabet[next() % alphabet.len()])
        .collect();
    let s = Stream {
        chars: chars.clone(),
        ..Stream::default()
    };
    for _ in 0..2000 {
        let n = 1 + next() % 3;
        let needle: String = (0..n).map(|_| alphabet[next() % alphabet.len()]).collect();
        let from = next() % 310;
        let to = next() % 310;
        let want = (from..to.min(chars.len())).find(|&i| {
            i + n <= to.min(chars.len()) && chars[i..i + n].iter().copied().eq(needle.chars())
        });
        assert_eq!(s.find(&needle, from, to), want, "{needle} {from} {to}");
    }
}
