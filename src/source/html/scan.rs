//! A page read in one pass over its text, without building a tree, when the page is one whose
//! tree html5ever would build in the order of its source.
//!
//! What the reader takes from a page (paragraph text split where blocks start and end, tables'
//! cells) depends only on the order of the text and of the elements that hold it. html5ever
//! builds a tree in source order except where the HTML standard repairs markup: text moved
//! out of a table (foster parenting), elements closed by others (`<p>` by `<div>`, `<li>` by
//! `<li>`), misnested formatting re-opened, cells and rows implied, raw text in `textarea`
//! and `xmp`, foreign content. This scanner follows the pages where none of that happens:
//! every element closed by its own end tag in order, tables made of `tbody`, `tr`, `td` and
//! `th` only, entities from a short list. At anything else it gives up (`None`) and the page
//! is parsed by html5ever, so what it returns is what the tree gives: a test compares the two
//! on every page of the corpora and on generated tag soup.

use std::borrow::Cow;

use super::{CellRead, Walker};

/// Deeper than this, the scanner leaves the page to html5ever (the walker stops at
/// `MAX_HTML_DEPTH`, html5ever's implied `html`, `body` and `tbody` included).
const MAX_DEPTH: usize = 200;

/// Elements html5ever's "in body" rules treat otherwise than an element it opens in place and
/// closes at its end tag (the standard's list): any other name is an ordinary element.
const SPECIAL: &[&str] = &[
    "a",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "b",
    "base",
    "basefont",
    "bgsound",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "math",
    "menu",
    "meta",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "plaintext",
    "pre",
    "rb",
    "rp",
    "rt",
    "rtc",
    "s",
    "script",
    "search",
    "section",
    "select",
    "selectedcontent",
    "small",
    "source",
    "strike",
    "strong",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "wbr",
    "xmp",
];

/// Elements whose start closes an open `p` (html5ever's `close_p_element_in_button_scope`)
/// that the scanner follows; it gives up when one starts inside a `p`.
const CLOSE_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "div",
    "footer",
    "header",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "hr",
    "table",
    "form",
];

/// Formatting elements (kept in html5ever's list of active ones): followed while they nest.
const FORMATTING: &[&str] = &[
    "b", "big", "code", "em", "font", "i", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements without content that the scanner follows.
const VOID: &[&str] = &["br", "img", "input", "hr", "wbr", "meta", "link", "base"];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Entities the scanner decodes (with their semicolon); any other is left to html5ever.
const ENTITIES: &[(&str, char)] = &[
    ("nbsp", '\u{a0}'),
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("mdash", '\u{2014}'),
    ("ndash", '\u{2013}'),
    ("hellip", '\u{2026}'),
    ("middot", '\u{b7}'),
    ("times", '\u{d7}'),
    ("copy", '\u{a9}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the body's content (doctype, `html`, `head` and what a head holds).
    Before,
    Body,
    /// After `</body>` or `</html>`: only white space and comments follow.
    After,
}

/// A table being read: its rows of cells, and the cell open now.
#[derive(Default)]
struct TableRead {
    rows: Vec<Vec<CellRead>>,
    cell: Option<CellRead>,
    /// Cells read so far (no more are kept than a table may hold).
    cells: usize,
}

struct Scanner<'a> {
    s: &'a str,
    i: usize,
    /// Open elements below `html` and `body`, by lower-case name.
    open: Vec<Cow<'a, str>>,
    phase: Phase,
    head_open: bool,
    table: Option<TableRead>,
    w: Walker,
}

/// Reads `text` into `w` as html5ever's tree would have it read, or `None` where the page is
/// not one the scanner follows.
pub(super) fn scan(text: &str, w: Walker) -> Option<Walker> {
    let mut sc = Scanner {
        s: text,
        i: 0,
        open: Vec::new(),
        phase: Phase::Before,
        head_open: false,
        table: None,
        w,
    };
    if sc.run().is_none() {
        tracing::debug!(at = sc.i, "HTML page left to html5ever");
        return None;
    }
    Some(sc.w)
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn among(name: &str, list: &[&str]) -> bool {
    list.contains(&name)
}

/// A start or end tag's name and the attributes the reader uses.
struct Tag<'a> {
    name: Cow<'a, str>,
    self_closing: bool,
    rowspan: Option<&'a str>,
    colspan: Option<&'a str>,
}

impl<'a> Scanner<'a> {
    fn run(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        while self.i < b.len() {
            let at = self.i;
            let stop = memchr::memchr3(b'<', b'&', 0, &b[at..]).map_or(b.len(), |p| at + p);
            if stop > at {
                self.text(&self.s[at..stop])?;
            }
            self.i = stop;
            match b.get(stop) {
                None => break,
                Some(b'&') => self.entity()?,
                Some(b'<') => self.markup()?,
                // NUL: html5ever drops or replaces it.
                Some(_) => return None,
            }
        }
        if self.table.is_some() {
            return None;
        }
        self.w.flush();
        Some(())
    }

    /// Text as the page holds it at this place.
    fn text(&mut self, t: &str) -> Option<()> {
        match &mut self.table {
            Some(TableRead {
                cell: Some(cell), ..
            }) => cell.text.push_str(t),
            // Text between a table's rows and cells: html5ever moves all but white space out
            // of the table.
            Some(_) => {
                if !t.bytes().all(is_ws) {
                    return None;
                }
            }
            None => match self.phase {
                Phase::Before if t.bytes().all(is_ws) => {}
                Phase::Before => {
                    self.start_body();
                    self.w.buf.push_str(t);
                }
                Phase::Body => self.w.buf.push_str(t),
                Phase::After if t.bytes().all(is_ws) => {}
                Phase::After => return None,
            },
        }
        Some(())
    }

    /// The body begins (`<body>`, or the first content after the head's): `body` is a block.
    fn start_body(&mut self) {
        self.head_open = false;
        self.phase = Phase::Body;
        self.w.flush();
    }

    /// `&…`: an entity from the list or a number, else a lone `&` before white space or
    /// markup; anything else is left to html5ever.
    fn entity(&mut self) -> Option<()> {
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

    /// `<…`: a tag, comment or doctype; a `<` that starts none of them is text.
    fn markup(&mut self) -> Option<()> {
        let b = self.s.as_bytes();
        let rest = &b[self.i..];
        match rest.get(1) {
            Some(b'!') if rest.starts_with(b"<!--") => self.comment(),
            Some(b'!') if rest.len() >= 9 && rest[2..9].eq_ignore_ascii_case(b"doctype") => {
                if self.phase != Phase::Before || !self.open.is_empty() {
                    return None;
                }
                let end = memchr::memchr(b'>', rest)?;
                self.i += end + 1;
                Some(())
            }
            Some(b'/') if rest.get(2).is_some_and(u8::is_ascii_alphabetic) => {
                self.i += 2;
                let tag = self.tag(true)?;
                self.end(tag)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                self.i += 1;
                let tag = self.tag(false)?;
                self.start(tag)
            }
            Some(b'!' | b'/' | b'?') => None,
            // `<` before anything else (a digit, a space, a Chinese character, the end).
            _ => {
                self.text("<")?;
                self.i += 1;
                Some(())
            }
        }
    }

    /// `<!--…-->`, in the plain form only.
    fn comment(&mut self) -> Option<()> {
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
    fn tag(&mut self, end: bool) -> Option<Tag<'a>> {
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
        let (mut seen_rowspan, mut seen_colspan) = (false, false);
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
            if attr.eq_ignore_ascii_case("rowspan") && !seen_rowspan {
                seen_rowspan = true;
                tag.rowspan = Some(value);
            } else if attr.eq_ignore_ascii_case("colspan") && !seen_colspan {
                seen_colspan = true;
                tag.colspan = Some(value);
            }
        }
    }

    /// Whether a `p` is open up to the nearest cell or table (html5ever's button scope).
    fn p_in_scope(&self) -> bool {
        for name in self.open.iter().rev() {
            match name.as_ref() {
                "p" => return true,
                "td" | "th" | "table" | "button" => return false,
                _ => {}
            }
        }
        false
    }

    /// A block starts or ends (or a `<br>`): the walker's paragraph ends there, outside
    /// tables (a cell's text is the cell's whole text).
    fn block_edge(&mut self) {
        if self.table.is_none() {
            self.w.flush();
        }
    }

    fn top(&self) -> &str {
        self.open.last().map_or("", |n| n.as_ref())
    }

    fn start(&mut self, tag: Tag<'a>) -> Option<()> {
        let name = tag.name.as_ref();
        let void = among(name, VOID);
        if tag.self_closing && !void {
            return None;
        }
        let in_table = self.table.as_ref().map(|t| t.cell.is_none());
        match name {
            "html" | "head" | "body" => {
                if self.phase != Phase::Before || !self.open.is_empty() {
                    return None;
                }
                match name {
                    "head" => self.head_open = true,
                    "body" => self.start_body(),
                    _ => {}
                }
                return Some(());
            }
            "meta" | "link" | "base" if in_table.is_none() => return Some(()),
            "title" | "script" | "style" if in_table.is_none() && self.phase != Phase::After => {
                let body = self.raw_text(name)?;
                if name == "title" {
                    if body.bytes().any(|c| c == b'&' || c == b'<') {
                        return None;
                    }
                    self.w.flush();
                    self.w.buf.push_str(body);
                    self.w.flush();
                } else if name == "script" && body.contains("<!--") {
                    return None;
                }
                return Some(());
            }
            _ => {}
        }
        match self.phase {
            Phase::Before => self.start_body(),
            Phase::Body => {}
            Phase::After => return None,
        }
        if self.open.len() >= MAX_DEPTH {
            return None;
        }
        match name {
            // A table's parts where they belong; anywhere else they fall to the arms below,
            // which give up.
            "table" if in_table.is_none() && !self.p_in_scope() => {
                self.w.flush();
                self.table = Some(TableRead::default());
            }
            "tbody" | "thead" | "tfoot" if self.top() == "table" => {}
            "tr" if matches!(self.top(), "table" | "tbody" | "thead" | "tfoot") => {
                self.table.as_mut()?.rows.push(Vec::new());
            }
            "td" | "th" if self.top() == "tr" => {
                let t = self.table.as_mut()?;
                t.cell = Some(CellRead::new(tag.rowspan, tag.colspan));
            }
            // Raw text the tree keeps as a text node of an element that is no block.
            "iframe" if in_table.is_none() => {
                let body = self.raw_text(name)?;
                self.w.buf.push_str(body);
                return Some(());
            }
            _ if in_table == Some(true) => return None,
            _ if among(name, CLOSE_P) && self.p_in_scope() => return None,
            _ if among(name, HEADINGS) && among(self.top(), HEADINGS) => return None,
            "li" if !matches!(self.top(), "ul" | "ol") => return None,
            // Nested, these close the open one (a form's start is ignored): given up.
            "a" | "form" | "button" if self.open.iter().any(|n| n == name) => return None,
            _ if void => {
                if name == "br" {
                    self.block_edge();
                }
                return Some(());
            }
            "p" | "div" | "center" | "section" | "article" | "header" | "footer" | "blockquote"
            | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.block_edge(),
            "address" | "aside" | "nav" | "main" | "a" | "form" | "button" => {}
            _ if among(name, FORMATTING) => {}
            _ if among(name, SPECIAL) => return None,
            // An ordinary element (`span`, Word's `o:p`): opened in place.
            _ => {}
        }
        self.open.push(tag.name);
        Some(())
    }

    fn end(&mut self, tag: Tag<'a>) -> Option<()> {
        let name = tag.name.as_ref();
        match name {
            "head" => {
                if !self.head_open {
                    return None;
                }
                self.head_open = false;
                return Some(());
            }
            "body" | "html" => {
                if !self.open.is_empty() || self.table.is_some() {
                    return None;
                }
                match (self.phase, name) {
                    (Phase::Body, "body") => {
                        self.w.flush();
                        self.phase = Phase::After;
                    }
                    (Phase::Body | Phase::After, "html") => self.phase = Phase::After,
                    _ => return None,
                }
                return Some(());
            }
            _ => {}
        }
        if self.top() != name {
            return None;
        }
        self.open.pop();
        match name {
            "td" | "th" => {
                let t = self.table.as_mut()?;
                let cell = t.cell.take()?;
                if t.cells < super::MAX_TABLE_CELLS {
                    t.cells += 1;
                    t.rows.last_mut()?.push(cell);
                }
            }
            "table" => {
                let t = self.table.take()?;
                self.w.add_table(t.rows);
            }
            "p" | "div" | "center" | "section" | "article" | "header" | "footer" | "blockquote"
            | "ul" | "ol" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.block_edge(),
            _ => {}
        }
        Some(())
    }

    /// The text of a `title`, `script`, `style` or `iframe` up to its end tag, which is read
    /// too.
    fn raw_text(&mut self, name: &str) -> Option<&'a str> {
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

#[cfg(test)]
mod tests {
    use super::super::{Html, Walker, decode};
    use crate::rng::Rng;

    /// The page as html5ever's tree gives it.
    fn tree(text: &str) -> Walker {
        let html = Html::parse_document(text);
        let mut w = Walker {
            max_grid: 1_000_000,
            ..Walker::default()
        };
        w.walk(html.root_element(), 0);
        w.flush();
        w
    }

    /// Whether the scanner reads `text`, checking that it reads it as the tree does.
    fn same(text: &str) -> bool {
        let w = Walker {
            max_grid: 1_000_000,
            ..Walker::default()
        };
        let Some(ours) = super::scan(text, w) else {
            return false;
        };
        let theirs = tree(text);
        assert_eq!(ours.blocks, theirs.blocks, "{text}");
        assert_eq!(ours.too_large, theirs.too_large, "{text}");
        assert_eq!(ours.converted, theirs.converted, "{text}");
        true
    }

    #[test]
    fn real_and_synthetic_pages_read_as_their_trees() {
        let real: [&[u8]; 2] = [
            include_bytes!(
                "../../../tests/fixtures/real/shanghai_shi-zhengfu-bangongting_2019.html"
            ),
            include_bytes!("../../../tests/fixtures/real2/jiangsu_shuyang-fagaiju_2023.html"),
        ];
        // Both real pages are ones the scanner follows (the Jiangsu one with Word's markup,
        // scripts, styles, a search form and an iframe).
        let read: Vec<bool> = real.iter().map(|b| same(&decode(b).0)).collect();
        assert_eq!(read, [true, true]);
        // A fuzzer's page (a control byte before `<html>`, NUL bytes in a cell): left to
        // html5ever.
        let fuzzed = decode(include_bytes!(
            "../../../tests/fixtures/fuzz/read-html-joint-search-slow.bin"
        ))
        .0;
        assert!(!same(&fuzzed));
        let opts = crate::synth::Options {
            issuers: 12,
            years: (2019, 2024),
            ..Default::default()
        };
        let mut n = 0;
        for (i, t) in crate::synth::generate(&opts).iter().enumerate() {
            let bytes =
                crate::synth::report_bytes(t, crate::synth::Shape::Html, i % 3 == 0, i % 5 == 0);
            assert!(same(&decode(&bytes).0), "synthetic page {i}");
            n += 1;
        }
        assert!(n >= 60);
    }

    /// Elements a page's flow holds.
    const FLOW: &[&str] = &[
        "<p>",
        "<div>",
        "<span>",
        "<b>",
        "<font color=red>",
        "<o:p>",
        "<h2>",
        "<center>",
        "<strong>",
        "<section>",
        "<P>",
        "<Div class='x'>",
        "<i>",
        "<u>",
        "<em>",
        "<label>",
        "<a href=\"x?a=1&b=2\">",
        "<span lang=EN-US style='font-size:10.5pt'>",
    ];
    /// Elements html5ever repairs or treats otherwise, for tag soup (with `FLOW`'s).
    const MORE: &[&str] = &[
        "<ul>",
        "<li>",
        "<ol>",
        "<h3>",
        "<table>",
        "<tbody>",
        "<tr>",
        "<td>",
        "<th>",
        "<td rowspan=2>",
        "<td colspan=\"3\">",
        "<TD ROWSPAN='2' colspan=2>",
        "<thead>",
        "<pre>",
        "<form>",
        "<dl>",
        "<dt>",
        "<dd>",
        "<caption>",
        "<select>",
        "<option>",
        "<textarea>",
        "<button>",
        "<nobr>",
        "<address>",
        "<main>",
    ];
    const CLOSE: &[&str] = &[
        "</p>",
        "</div>",
        "</span>",
        "</b>",
        "</font>",
        "</o:p>",
        "</h2>",
        "</ul>",
        "</li>",
        "</center>",
        "</strong>",
        "</a>",
        "</section>",
        "</ol>",
        "</h3>",
        "</table>",
        "</tbody>",
        "</tr>",
        "</td>",
        "</th>",
        "</thead>",
        "</P>",
        "</br>",
        "</i>",
        "</u>",
        "</em>",
    ];
    const OTHER: &[&str] = &[
        "<br>",
        "<br/>",
        "<BR />",
        "<img src=a.png>",
        "<hr>",
        "<input type=hidden>",
        "<meta charset=utf-8>",
        "<!-- 注释 -->",
        "<!---->",
        "<!-- a -- b -->",
        "<!--x--!>",
        "<title>标题</title>",
        "<script>var a = 1 < 2;</script>",
        "<style>p{}</style>",
        "<script><!-- x --></script>",
        "<html>",
        "<head>",
        "</head>",
        "<body>",
        "</body>",
        "</html>",
        "<!DOCTYPE html>",
        "<noscript>x</noscript>",
        "<p/>",
        "<td/>",
        "<td rowspan=\"2\"colspan=2>",
        "<td rowspan=&#50;>",
        "<td rowspan=2 rowspan=3>",
        "<?xml version='1.0'?>",
        "</>",
        "</ p>",
        "<td\nrowspan\n=\n\"2\"\n>",
        "<iframe src=x></iframe>",
        "<iframe>a &amp; <b></iframe>",
        "<form action=/s>",
        "</form>",
        "<button>",
        "</button>",
        "<input name=q>",
    ];
    const TEXT: &[&str] = &[
        "示例",
        "12",
        " ",
        "\n",
        "\r\n",
        "\t",
        "&nbsp;",
        "&amp;",
        "&lt;",
        "&#20013;",
        "&#x4e2d;",
        "&ldquo;是&rdquo;",
        "&copy",
        "&notin;",
        "&foo;",
        "& ",
        "a<b",
        "< 3",
        "&#0;",
        "&#128;",
        "\u{3000}",
        "\u{a0}",
        "本年新收政府信息公开申请数量",
        "（一）",
    ];

    fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
        list[rng.below(list.len() as u64) as usize]
    }

    /// A random page: elements opened and closed in order, with a piece of any kind put in
    /// at random now and then.
    fn page(rng: &mut Rng, soup: bool) -> String {
        let mut out = String::new();
        let mut open: Vec<&str> = Vec::new();
        if rng.chance(0.5) {
            out.push_str("<html><head><meta charset=\"utf-8\"><title>报告</title></head><body>");
        }
        for _ in 0..rng.below(60) {
            let r = rng.unit();
            if soup && r < 0.08 {
                out.push_str(pick(rng, OTHER));
            } else if soup && r < 0.12 {
                out.push_str(pick(rng, CLOSE));
            } else if r < 0.45 {
                let from = if soup && rng.chance(0.6) { MORE } else { FLOW };
                let tag = pick(rng, from);
                out.push_str(tag);
                let name = tag[1..].split([' ', '>']).next().unwrap_or("");
                open.push(name);
            } else if r < 0.65 && !open.is_empty() {
                let name = open.pop().unwrap_or_default();
                out.push_str(&format!("</{name}>"));
            } else if r < 0.7 {
                out.push_str("<br>");
            } else if soup {
                out.push_str(pick(rng, TEXT));
            } else {
                out.push_str(pick(rng, &TEXT[..13]));
            }
        }
        while let Some(name) = open.pop() {
            if soup && rng.chance(0.2) {
                continue;
            }
            out.push_str(&format!("</{name}>"));
        }
        out
    }

    /// A random table (what the scanner must read): rows of cells with spans, text and
    /// markup inside, between paragraphs.
    fn tables(rng: &mut Rng) -> String {
        let mut out = String::from("<p>前言</p>");
        for _ in 0..1 + rng.below(3) {
            out.push_str("<table>");
            let body = rng.chance(0.5);
            if body {
                out.push_str("<tbody>\n");
            }
            for _ in 0..rng.below(6) {
                out.push_str("<tr> ");
                for _ in 0..rng.below(6) {
                    match rng.below(4) {
                        0 => out.push_str("<td>"),
                        1 => out.push_str(&format!("<td rowspan=\"{}\">", rng.below(4))),
                        2 => out.push_str(&format!("<th colspan={}>", 1 + rng.below(3))),
                        _ => out.push_str("<td rowspan=2 colspan=2>"),
                    }
                    for _ in 0..rng.below(3) {
                        match rng.below(5) {
                            0 => out.push_str("<p><span>12</span></p>"),
                            1 => out.push_str("新<br />制作"),
                            2 => out.push_str("&nbsp;"),
                            3 => out.push_str("<o:p></o:p>"),
                            _ => out.push_str(pick(rng, TEXT)),
                        }
                    }
                    let last = out.rfind("<t").unwrap_or(0);
                    out.push_str(if out[last..].starts_with("<th") {
                        "</th>"
                    } else {
                        "</td>"
                    });
                }
                out.push_str("</tr>\n");
            }
            if body {
                out.push_str("</tbody>");
            }
            out.push_str("</table>");
            out.push_str(pick(rng, TEXT));
        }
        out
    }

    /// Where the scanner gives up, the page is still read (by html5ever): nesting past its
    /// depth, a paragraph a `div` closes, text loose in a table, an unknown entity.
    #[test]
    fn pages_the_scanner_leaves_are_read_by_the_tree() {
        let deep = format!("{}深{}", "<div>".repeat(250), "</div>".repeat(250));
        for page in [
            deep.as_str(),
            "<p>甲<div>乙</div>丙</p>",
            "<table>散<tr><td>1</td></tr></table>",
            "<p>&hearts;</p>",
        ] {
            let w = Walker {
                max_grid: 1_000_000,
                ..Walker::default()
            };
            assert!(super::scan(page, w).is_none(), "{page}");
            let doc = super::super::read(page.as_bytes(), &crate::source::Origin::new("t.html"));
            assert!(doc.is_ok_and(|d| !d.blocks.is_empty()), "{page}");
        }
    }

    #[test]
    fn generated_pages_read_as_their_trees() {
        let mut rng = Rng::new(20261207);
        let mut read = [0usize; 3];
        for i in 0..30_000 {
            let text = match i % 3 {
                0 => page(&mut rng, false),
                1 => page(&mut rng, true),
                _ => tables(&mut rng),
            };
            read[i % 3] += usize::from(same(&text));
        }
        // Enough of each kind read by the scanner for the comparison to mean something.
        assert!(
            read[0] > 2000 && read[1] > 300 && read[2] > 2000,
            "{read:?} of 10,000 each read"
        );
    }
}
