//! The document as one stream of characters with cell boundaries, so that one matcher serves
//! every shape: a grid cell, a `|` cell on its own line, a `pdftotext` column, and cells
//! glued together by a crawler all become tokens here.
//!
//! White space and `|` are dropped but leave a boundary on the next character: a boundary is
//! a sure cell edge; its absence is not (glued cells have none). Empty cells and
//! not-applicable words become one placeholder character each, so they keep their place.

use crate::charbits::CharBits;
use crate::report::Raw;
use crate::source::{Block, Document, Loc, Text};

use super::value::{BLANK_TEXT, NA_MARK, NA_TEXT, is_not_applicable};

mod index;

use index::CharIndex;

/// Where a token came from.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub loc: Loc,
    /// The token as printed: its bytes in [`Stream::raw_text`] (one buffer for the whole
    /// stream, not a `String` per token).
    raw: std::ops::Range<u32>,
    /// Stream index of its first character.
    pub start: usize,
    /// Character offset of the token in its line (for locations inside long lines).
    pub offset: u32,
    /// Whether the token is a whole grid cell (its location needs no character offset).
    pub cell: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Stream {
    pub chars: Vec<char>,
    /// `boundary[i]`: a sure cell edge lies before `chars[i]`.
    pub boundary: Vec<bool>,
    /// `token[i]`: index into `tokens` of the token holding `chars[i]`.
    pub token: Vec<u32>,
    pub tokens: Vec<Token>,
    /// Every token's printed text, one after another.
    raw_text: String,
    /// The stream ranges of Markdown table rows, and whether every cell of the row is a
    /// value or empty (a row whose label floated out of the table, `| 1 | 0 | … |`).
    pub md_rows: Vec<MdRow>,
    /// Where each character the template's searches start with stands, in order: built on
    /// the first search (the stream is complete by then), so a label's search visits only
    /// the places where its first character stands instead of scanning the report once per
    /// label and alias.
    index: std::sync::OnceLock<CharIndex>,
    /// Where every character stands: built only when a search starts with a character the
    /// template's searches do not (`index` holds only those: most of a report's characters
    /// are never looked for, and indexing them was about 3 % of its instructions).
    full_index: std::sync::OnceLock<CharIndex>,
    /// Every place each needle looked for so far stands, in order, with its length in
    /// characters: the row matcher asks for one label after many positions (each row after
    /// the one before, and the fallback that finds the most rows), and each answer is then
    /// a binary search instead of a scan.
    found: std::cell::RefCell<rustc_hash::FxHashMap<Box<str>, Found>>,
    /// For each set of a row's labels looked for so far (a template slice, so its address
    /// names it for the whole run), every match of any of them as `(start, end)`, ordered by
    /// start and then longest first: see [`Stream::find_any`].
    found_any: std::cell::RefCell<rustc_hash::FxHashMap<usize, Vec<(u32, u32)>>>,
}

/// The places a needle stands in the stream, and its length in characters.
#[derive(Debug)]
struct Found {
    len: usize,
    at: Vec<u32>,
}

/// A Markdown table row as it sits in the stream.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MdRow {
    pub start: usize,
    pub end: usize,
    pub values_only: bool,
}

impl Stream {
    pub(crate) fn new(doc: &Document) -> Stream {
        let mut s = Stream::default();
        // Sized for the document's characters up front (at most one per byte of its text),
        // not regrown as they are pushed (9.6 M of the 2,462 M instructions of ingesting the
        // 1k text corpus).
        let bytes: usize = (doc.blocks.iter())
            .map(|b| match b {
                Block::Line(t) => t.text.len(),
                Block::Table(table) => table.cells.iter().map(|c| c.content.text.len()).sum(),
            })
            .sum();
        s.chars.reserve(bytes);
        s.boundary.reserve(bytes);
        s.token.reserve(bytes);
        s.raw_text.reserve(bytes);
        for block in &doc.blocks {
            match block {
                Block::Line(t) => s.push_line(t),
                Block::Table(table) => {
                    for c in &table.cells {
                        s.push_cell(&c.content);
                    }
                }
            }
        }
        s
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// A line of text splits on white space and `|`; a line of only `|` is structure, but
    /// ` |` (nothing before the cell's closing bar) is an empty cell.
    fn push_line(&mut self, t: &Text) {
        if t.text.starts_with(char::is_whitespace) && t.text.trim() == "|" {
            self.push_token(BLANK_TEXT, "", t.loc, 0, false);
            return;
        }
        if self.push_markdown_row(t) {
            return;
        }
        // Most lines are printed as they are matched (no width or script changed): each
        // token is its own raw text, read in one pass.
        let raw = t.raw();
        if t.is_as_printed() || raw == t.text {
            self.push_words(&t.text, t.loc);
            return;
        }
        // Otherwise tokens are cut at separators of the normalised text; when the raw line has
        // as many characters, each token's raw text is the same character range of it.
        let same_shape = raw.chars().count() == t.text.chars().count();
        let mut raw_at = raw.char_indices().map(|(b, _)| b).chain([raw.len()]);
        let mut raw_byte = 0;
        // (char index, byte offset in text, byte offset in raw) of the token being read
        let mut start: Option<(usize, usize, usize)> = None;
        let ends = t.text.char_indices().map(Some).chain([None]);
        for (ci, next) in ends.enumerate() {
            let (byte, sep) = match next {
                Some((b, c)) => (b, crate::trim::is_white(c) || c == '|'),
                None => (t.text.len(), true),
            };
            if same_shape {
                raw_byte = raw_at.next().unwrap_or(raw.len());
            }
            match (sep, start) {
                (true, Some((ch, b, rb))) => {
                    let text = &t.text[b..byte];
                    let raw_tok = if same_shape { &raw[rb..raw_byte] } else { text };
                    self.push_token(text, raw_tok, t.loc, ch as u32, false);
                    start = None;
                }
                (false, None) => start = Some((ci, byte, raw_byte)),
                _ => {}
            }
        }
    }

    /// The tokens of a line printed as it is matched (most lines): words between white space
    /// and `|`, each its own raw text. Each character is decoded once and goes to the stream
    /// as it is read; a word that turns out to be a not-applicable word is then put back as
    /// its mark, as [`Stream::push_token`] puts it. (Through `push_token`, each word was
    /// decoded twice, and its characters pushed one growing vector at a time.)
    fn push_words(&mut self, text: &str, loc: Loc) {
        // The word being read: its character index in the line, its byte offset, and where
        // its characters start in the stream.
        let mut word: Option<(u32, usize, usize)> = None;
        for (ci, (b, c)) in text.char_indices().enumerate() {
            if c == '|' || crate::trim::is_white(c) {
                if let Some((offset, from, at)) = word.take() {
                    self.end_word(&text[from..b], loc, offset, at);
                }
            } else {
                if word.is_none() {
                    word = Some((ci as u32, b, self.chars.len()));
                }
                self.chars.push(c);
            }
        }
        if let Some((offset, from, at)) = word {
            self.end_word(&text[from..], loc, offset, at);
        }
    }

    /// Ends a word of [`Stream::push_words`] whose characters are `chars[at..]`.
    fn end_word(&mut self, word: &str, loc: Loc, offset: u32, at: usize) {
        if is_not_applicable(word) {
            self.chars.truncate(at);
            self.chars.push(NA_MARK);
        }
        self.close_token(at, word, loc, offset, false);
    }

    /// A Markdown table row (`| 规章 | 0 |  | 3 |`): cells between bars, an empty one kept
    /// as blank. Separator rows (`|---|:-:|`) are structure. Returns false for other lines
    /// (a line of bars only is the Dayu shape's structure, not a row of blanks).
    fn push_markdown_row(&mut self, t: &Text) -> bool {
        // Most lines hold no bar at all: not trimmed to find that out, and looked for as a
        // byte (an ASCII byte stands in UTF-8 only as itself; the character search set up
        // for it cost 13.7 M of the 1k text corpus's 2,119 M instructions).
        if memchr::memchr(b'|', t.text.as_bytes()).is_none() {
            return false;
        }
        let line = crate::trim::trim(&t.text);
        let is_row = line.len() > 2
            && line.starts_with('|')
            && line.ends_with('|')
            && line.matches('|').count() >= 3
            && line.chars().any(|c| c != '|' && !c.is_whitespace());
        if !is_row {
            return false;
        }
        let inner = &line[1..line.len() - 1];
        // Each cell with its text trimmed.
        let cells: Vec<(&str, &str)> = inner
            .split('|')
            .map(|c| (c, crate::trim::trim(c)))
            .collect();
        if cells
            .iter()
            .all(|(_, c)| !c.is_empty() && c.chars().all(|x| matches!(x, '-' | ':')))
        {
            return true;
        }
        let lead = t.text.len() - t.text.trim_start().len();
        let mut offset = t.text[..lead + 1].chars().count() as u32;
        let start = self.chars.len();
        let values_only =
            cells.iter().all(|(_, c)| is_value_text(c)) && cells.iter().any(|(_, c)| !c.is_empty());
        for (cell, text) in cells {
            let at = offset + cell[..cell.len() - cell.trim_start().len()].chars().count() as u32;
            if text.is_empty() {
                self.push_token(BLANK_TEXT, "", t.loc, at, false);
            } else {
                for part in text.split_whitespace() {
                    self.push_token(part, part, t.loc, at, false);
                }
            }
            offset += cell.chars().count() as u32 + 1;
        }
        self.md_rows.push(MdRow {
            start,
            end: self.chars.len(),
            values_only,
        });
        true
    }

    /// The Markdown row holding stream position `i`.
    pub(crate) fn md_row_at(&self, i: usize) -> Option<&MdRow> {
        let k = self.md_rows.partition_point(|r| r.end <= i);
        self.md_rows.get(k).filter(|r| r.start <= i)
    }

    fn push_cell(&mut self, t: &Text) {
        let trimmed = crate::trim::trim(&t.text);
        if trimmed.is_empty() {
            self.push_token(BLANK_TEXT, "", t.loc, 0, true);
            return;
        }
        if is_not_applicable(&t.text) {
            self.push_token(NA_TEXT, t.raw(), t.loc, 0, true);
            return;
        }
        // A cell's own spaces are boundaries too, but the pieces keep the cell's location.
        let one_piece = !trimmed.contains(' ');
        let mut first = true;
        for part in t.text.split_whitespace() {
            let raw = if first && one_piece {
                crate::trim::trim(t.raw())
            } else {
                part
            };
            first = false;
            self.push_token(part, raw, t.loc, 0, true);
        }
    }

    fn push_token(&mut self, text: &str, raw: &str, loc: Loc, offset: u32, cell: bool) {
        let start = self.chars.len();
        let mut mark = [0; 4];
        let text = if !cell && is_not_applicable(text) {
            &*NA_MARK.encode_utf8(&mut mark)
        } else {
            text
        };
        // Pushed one by one into the room reserved for the whole stream (`extend` from
        // `Chars` asks for room again at each character).
        for c in text.chars() {
            self.chars.push(c);
        }
        self.close_token(start, raw, loc, offset, cell);
    }

    /// Ends the token whose characters are `chars[start..]` (none for an empty cell's):
    /// marks its edge and its characters' token, and keeps its printed text.
    fn close_token(&mut self, start: usize, raw: &str, loc: Loc, offset: u32, cell: bool) {
        let idx = self.tokens.len() as u32;
        let added = self.chars.len() - start;
        if added > 0 {
            self.boundary.push(true);
            self.boundary.extend(std::iter::repeat_n(false, added - 1));
            self.token.extend(std::iter::repeat_n(idx, added));
        }
        let raw_start = self.raw_text.len() as u32;
        self.raw_text.push_str(raw);
        self.tokens.push(Token {
            loc,
            raw: raw_start..self.raw_text.len() as u32,
            start,
            offset,
            cell,
        });
    }

    /// The location of stream character `i`.
    pub(crate) fn loc(&self, i: usize) -> Option<Loc> {
        let t = self.tokens.get(*self.token.get(i)? as usize)?;
        if t.cell {
            Some(t.loc)
        } else {
            Some(t.loc.at_char(t.offset + (i - t.start) as u32))
        }
    }

    /// The printed text of the token holding character `i`, when the piece `[i, end)` is that
    /// whole token; otherwise the piece's own text (a cut of a glued run).
    pub(crate) fn raw(&self, i: usize, end: usize) -> String {
        match self.whole_token(i, end) {
            Some(text) => text.to_owned(),
            None => self.piece(i, end),
        }
    }

    /// [`Stream::raw`] as a cell keeps it (without an allocation when short).
    pub(crate) fn raw_cell(&self, i: usize, end: usize) -> Raw {
        match self.whole_token(i, end) {
            Some(text) => Raw::new(text),
            None => Raw::from_chars(&self.chars[i..end]),
        }
    }

    /// The printed text of the token holding character `i`, if `[i, end)` is that whole token
    /// (`Some("")` past the stream's end, as `raw` has always read there).
    fn whole_token(&self, i: usize, end: usize) -> Option<&str> {
        let Some(&tok) = self.token.get(i) else {
            return Some("");
        };
        let t = &self.tokens[tok as usize];
        let tok_end = self
            .tokens
            .get(tok as usize + 1)
            .map_or(self.chars.len(), |n| n.start);
        (t.start == i && tok_end == end)
            .then(|| &self.raw_text[t.raw.start as usize..t.raw.end as usize])
    }

    /// The characters `[i, end)` as a text.
    fn piece(&self, i: usize, end: usize) -> String {
        // Sized first: collecting grew the string once or twice a cell.
        let piece = &self.chars[i..end];
        let mut out = String::with_capacity(piece.iter().map(|c| c.len_utf8()).sum());
        out.extend(piece);
        out
    }

    /// Where character `c` stands in the stream, in order.
    pub(crate) fn char_places(&self, c: char) -> &[u32] {
        let starts = search_starts();
        if starts.contains(c as u32) {
            self.index
                .get_or_init(|| CharIndex::new(&self.chars, Some(starts)))
                .places(c)
        } else {
            self.full_index
                .get_or_init(|| CharIndex::new(&self.chars, None))
                .places(c)
        }
    }

    /// Finds `needle` at or after `from`, ending by `to`, ignoring boundaries. Returns the
    /// start; the match is `needle.chars().count()` characters long.
    pub(crate) fn find(&self, needle: &str, from: usize, to: usize) -> Option<usize> {
        self.find_span(needle, from, to).map(|(at, _)| at)
    }

    /// [`Stream::find`] with the end of the match.
    pub(crate) fn find_span(&self, needle: &str, from: usize, to: usize) -> Option<(usize, usize)> {
        let to = to.min(self.chars.len());
        let mut found = self.found.borrow_mut();
        if !found.contains_key(needle) {
            let places = self.places(needle);
            found.insert(needle.into(), places);
        }
        let f = found.get(needle)?;
        let n = f.len;
        if n == 0 || to < n || from > to - n {
            return None;
        }
        // The first place at or after `from`; places are in order and all as long, so when
        // that one ends past `to`, every later one does too.
        let lo = f.at.partition_point(|&p| (p as usize) < from);
        let at = *f.at.get(lo)? as usize;
        (at <= to - n).then_some((at, at + n))
    }

    /// The earliest match of any of `labels` in `[from, to)`, the longest on a tie: a row's
    /// label and its variants, asked for after many positions by the row matcher.
    pub(crate) fn find_any(
        &self,
        labels: &'static [&'static str],
        from: usize,
        to: usize,
    ) -> Option<(usize, usize)> {
        let key = labels.as_ptr() as usize;
        let mut cache = self.found_any.borrow_mut();
        let spans = cache.entry(key).or_insert_with(|| {
            let mut spans: Vec<(u32, u32)> = Vec::new();
            for l in labels {
                self.each_place(l, |p, n| {
                    if n > 0 {
                        spans.push((p, p + n as u32));
                    }
                });
            }
            spans.sort_unstable_by_key(|&(p, e)| (p, std::cmp::Reverse(e)));
            spans
        });
        let to = to.min(self.chars.len());
        // Spans from `from` on, in the order the answer prefers. Each label's first place
        // after `from` is the only one of its places that can be its answer (a later one
        // ends later still), so the first span that ends by `to` is the answer; the ones
        // passed over end past `to`, at most one per label before the answer's start is
        // passed, and the scan stops once starts leave room for nothing.
        let lo = spans.partition_point(|&(p, _)| (p as usize) < from);
        spans[lo..]
            .iter()
            .take_while(|&&(p, _)| (p as usize) < to)
            .find(|&&(_, e)| e as usize <= to)
            .map(|&(p, e)| (p as usize, e as usize))
    }

    /// Every place `needle` stands: candidates are where its first character stands, and
    /// the rest is compared there.
    fn places(&self, needle: &str) -> Found {
        let mut at = Vec::new();
        let len = self.each_place(needle, |p, _| at.push(p));
        Found { len, at }
    }

    /// Calls `f(place, length in characters)` at every place `needle` stands, in order;
    /// returns the length.
    fn each_place(&self, needle: &str, mut f: impl FnMut(u32, usize)) -> usize {
        // The needle's characters decoded once, not again at each place its first one
        // stands (a label's first character stands in hundreds of places of a report).
        let mut short = ['\0'; 32];
        let long: Vec<char>;
        let n = needle.chars().count();
        let chars: &[char] = if n <= short.len() {
            for (slot, c) in short.iter_mut().zip(needle.chars()) {
                *slot = c;
            }
            &short[..n]
        } else {
            long = needle.chars().collect();
            &long
        };
        let Some((&first, rest)) = chars.split_first() else {
            return 0;
        };
        for &p in self.char_places(first) {
            let at = p as usize;
            // Compared in place: most places differ at once, and a slice comparison is a
            // `memcmp` call each.
            if at + n <= self.chars.len()
                && (rest.iter())
                    .zip(&self.chars[at + 1..at + n])
                    .all(|(a, b)| a == b)
            {
                f(p, n);
            }
        }
        n
    }

    /// Whether `needle` stands at `at`.
    pub(crate) fn starts_with_at(&self, at: usize, needle: &str) -> bool {
        (at..)
            .zip(needle.chars())
            .all(|(i, c)| self.chars.get(i) == Some(&c))
    }
}

/// Whether a cell's text is a value or nothing: digits (with `.`, `,`, `/`, a sign, a unit)
/// or a not-applicable word.
fn is_value_text(t: &str) -> bool {
    if t.is_empty() || is_not_applicable(t) {
        return true;
    }
    let units = crate::template::MONEY_UNITS
        .iter()
        .map(|(u, _)| *u)
        .chain(crate::template::COUNT_UNITS.iter().copied());
    let mut core = t;
    for u in units {
        if let Some(c) = t.strip_suffix(u) {
            core = c.trim_end();
            break;
        }
    }
    core.chars().any(|c| c.is_ascii_digit())
        && core
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/' | '-' | '+'))
}

/// [`crate::template::search_starts`] as a set over the Basic Multilingual Plane (a search
/// starting with a character beyond it uses the index of every character).
fn search_starts() -> &'static CharBits {
    static SET: std::sync::OnceLock<CharBits> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set = CharBits::new(0..0x1_0000);
        for c in crate::template::search_starts() {
            set.insert(c as u32);
        }
        set
    })
}

#[cfg(test)]
mod tests;
