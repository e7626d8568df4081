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

mod lex;

use super::{CellRead, Walker};

/// Deeper than this, the scanner leaves the page to html5ever (the walker stops at
/// `MAX_HTML_DEPTH`, html5ever's implied `html`, `body` and `tbody` included).
const MAX_DEPTH: usize = 200;

/// Elements html5ever's "in body" rules treat otherwise than an element it opens in place and
/// closes at its end tag (the standard's list): any other name is an ordinary element.
#[rustfmt::skip]
const SPECIAL: &[&str] = &[
    "a", "address", "applet", "area", "article", "aside", "b", "base", "basefont",
    "bgsound", "big", "blockquote", "body", "br", "button", "caption", "center", "code",
    "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "em", "embed",
    "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe",
    "image", "img", "input", "keygen", "li", "link", "listing", "main", "marquee", "math",
    "menu", "meta", "nav", "nobr", "noembed", "noframes", "noscript", "object", "ol",
    "optgroup", "option", "p", "param", "plaintext", "pre", "rb", "rp", "rt", "rtc", "s",
    "script", "search", "section", "select", "selectedcontent", "small", "source", "strike",
    "strong", "style", "summary", "svg", "table", "tbody", "td", "template", "textarea",
    "tfoot", "th", "thead", "title", "tr", "track", "tt", "u", "ul", "wbr", "xmp",
];

/// Elements whose start closes an open `p` (html5ever's `close_p_element_in_button_scope`)
/// that the scanner follows; it gives up when one starts inside a `p`.
#[rustfmt::skip]
const CLOSE_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "center", "div", "footer", "header",
    "main", "nav", "ol", "p", "section", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "li",
    "hr", "table", "form",
];

/// The walker's blocks ([`super::is_block`]) the scanner follows in a page's flow: their
/// start and end end a paragraph.
#[rustfmt::skip]
const FLOW_BLOCKS: &[&str] = &[
    "p", "div", "center", "section", "article", "header", "footer", "blockquote", "ul",
    "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
];

/// Formatting elements (kept in html5ever's list of active ones): followed while they nest.
#[rustfmt::skip]
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
            _ if among(name, FLOW_BLOCKS) => self.block_edge(),
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
            // Any block the scanner opened (a row's end is inside its table: no edge).
            _ if super::is_block(name) => self.block_edge(),
            _ => {}
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;
