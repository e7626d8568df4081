//! HTML pages: paragraphs in document order, tables as grids with rowspan and colspan
//! expanded, `<br>` inside a cell joined (header cells split by `<br />`), `&nbsp;` cells kept
//! as blank cells. Word-exported markup nests spans and paragraphs inside cells; only the text
//! matters. A page is read in one pass by `scan/` when html5ever would build its tree in
//! source order (the scanner's reading is then the tree's), else from html5ever's tree
//! (scraper).

mod scan;

use scraper::{ElementRef, Html, Node};

use super::{
    Block, Document, Format, GridCell, Loc, MAX_HTML_DEPTH, MAX_TABLE_CELLS, Origin, ReadError,
    Table, Text, decode, file_name, push_para,
};

/// Spans larger than this are clamped: hostile pages use them to blow up grids.
const MAX_SPAN: u32 = 1000;

/// Nesting deeper than this is refused before parsing: html5ever's cost grows with the depth
/// of open elements at every tag, so 100,000 nested `<div>` take minutes. Real pages, tag
/// soup with unclosed `<font>` included, stay far below.
pub(super) const MAX_PARSE_DEPTH: usize = 2048;

/// Elements that never hold others, or close themselves in tag soup (not counted as depth).
const FLAT_TAGS: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "wbr", "col", "area", "base", "embed", "param",
    "source", "track", "p", "li", "td", "th", "tr", "option", "dt", "dd", "!doctype",
];

/// The deepest nesting of start tags, estimated in one pass (script and style bodies and
/// comments skipped).
fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    let find = |from: usize, pat: &[u8]| {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map(|p| from + p)
    };
    while i < b.len() {
        if b[i] != b'<' {
            i = b[i..]
                .iter()
                .position(|&c| c == b'<')
                .map_or(b.len(), |p| i + p);
            continue;
        }
        if b[i..].starts_with(b"<!--") {
            i = find(i + 4, b"-->").map_or(b.len(), |p| p + 3);
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let mut end = start;
        while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'!') {
            end += 1;
        }
        if end == start || !b[start].is_ascii_alphabetic() && b[start] != b'!' {
            i += 1;
            continue;
        }
        // Lowered into a buffer on the stack (a page has hundreds of tags, and a `String` each
        // was an allocation each); a name longer than any listed one is none of them.
        let mut lower = [0u8; 16];
        let name: &[u8] = match lower.get_mut(..end - start) {
            Some(buf) => {
                buf.copy_from_slice(&b[start..end]);
                buf.make_ascii_lowercase();
                buf
            }
            None => b"",
        };
        let is = |tag: &str| name == tag.as_bytes();
        let flat = FLAT_TAGS.iter().any(|t| is(t));
        let close = b[end..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |p| end + p);
        let self_closing = close > 0 && b.get(close - 1) == Some(&b'/');
        i = close + 1;
        if closing {
            if !flat {
                depth = depth.saturating_sub(1);
            }
        } else if is("script") {
            i = find(i, b"</script").unwrap_or(b.len());
        } else if is("style") {
            i = find(i, b"</style").unwrap_or(b.len());
        } else if !self_closing && !flat {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

pub(super) fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let (text, encoding) = decode(bytes);
    // Each level the estimate counts starts at a `<`: a page with no more of them than the
    // limit is within it, and is not estimated (the pass over its tags was 35.8 M of the
    // 667.5 M instructions of ingesting 300 synthetic pages, callgrind). Counted to the end:
    // `memchr`'s count takes a page in wide steps, where stopping one past the limit (`nth`)
    // finds each `<` in turn (300 synthetic pages: 632.0 M with the count, 640.3 M with `nth`).
    let limit = origin.limits.nesting;
    if memchr::memchr_iter(b'<', text.as_bytes()).count() > limit {
        let depth = nesting_depth(&text);
        if depth > limit {
            return Err(ReadError::TooDeep { depth, max: limit });
        }
    }
    let walker = || Walker {
        max_grid: origin.limits.sheet_cells,
        ..Walker::default()
    };
    // In one pass where the scanner follows the page; otherwise as html5ever builds it.
    let w = match scan::scan(&text, walker()) {
        Some(w) => w,
        None => {
            let html = Html::parse_document(&text);
            let mut w = walker();
            w.walk(html.root_element(), 0);
            w.flush();
            w
        }
    };
    if let Some((table, cells)) = w.too_large {
        return Err(ReadError::TooManyCells {
            sheet: format!("HTML table {table}"),
            cells,
        });
    }
    if w.blocks.is_empty() {
        return Err(ReadError::NoText);
    }
    Ok(Document {
        format: Format::Html,
        encoding,
        converted_script: w.converted,
        blocks: w.blocks,
        name: file_name(origin),
    })
}

#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    buf: String,
    paras: u32,
    tables: u32,
    converted: bool,
    /// Grid positions one table may expand to (rows × columns, spans counted): checked as
    /// each span is placed, before the grid grows.
    max_grid: usize,
    /// A table whose spans would expand past `max_grid`: (table number, positions).
    too_large: Option<(u32, usize)>,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "title"
            | "blockquote"
            | "pre"
            | "center"
            | "dd"
            | "dt"
            | "header"
            | "footer"
            | "tr"
            | "td"
            | "th"
            | "body"
    )
}

impl Walker {
    fn walk(&mut self, el: ElementRef<'_>, depth: usize) {
        if depth > MAX_HTML_DEPTH {
            return;
        }
        let name = el.value().name();
        match name {
            "script" | "style" | "noscript" | "template" => return,
            "table" => {
                self.flush();
                self.add_table(dom_rows(el));
                return;
            }
            "br" => {
                self.flush();
                return;
            }
            _ => {}
        }
        let block = is_block(name);
        if block {
            self.flush();
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.buf.push_str(t),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.walk(c, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if block {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let raw = collapse(&self.buf);
        self.buf.clear();
        push_para(&mut self.blocks, &mut self.paras, raw, &mut self.converted);
    }

    /// Places a table's cells on its grid (spans expanded, caps checked) and adds it, if it
    /// holds any cell.
    fn add_table(&mut self, rows: Vec<Vec<CellRead>>) {
        self.tables += 1;
        let mut occupied: Vec<Vec<bool>> = Vec::new();
        let mut out = Table::default();
        let n_rows = rows.len() as u32;
        'rows: for (r, tr) in rows.into_iter().enumerate() {
            let mut c = 0u32;
            for cell in tr {
                if out.cells.len() >= MAX_TABLE_CELLS {
                    break;
                }
                while cell_taken(&occupied, r, c) {
                    c += 1;
                }
                let rowspan = cell.rowspan.min(n_rows - r as u32);
                let colspan = cell.colspan;
                // The grid is at most rows × columns: refused before it grows past the cap
                // (many large spans fill gigabytes although each is within MAX_SPAN).
                let cols = out.cols.max(c.saturating_add(colspan)) as usize;
                let area = (n_rows as usize).saturating_mul(cols);
                if area > self.max_grid {
                    self.too_large = Some((self.tables, area));
                    break 'rows;
                }
                for rr in r..r + rowspan as usize {
                    if occupied.len() <= rr {
                        occupied.resize(rr + 1, Vec::new());
                    }
                    let row = &mut occupied[rr];
                    let end = (c + colspan) as usize;
                    if row.len() < end {
                        row.resize(end, false);
                    }
                    for slot in &mut row[c as usize..end] {
                        *slot = true;
                    }
                }
                let raw = collapse_owned(cell.text);
                // Collapsed, so trimmed already (only a zero-width or byte-order mark
                // normalised to a space can be left at an end: `read` trims the text).
                let loc = Loc::Cell {
                    table: self.tables,
                    row: r as u32 + 1,
                    col: c + 1,
                };
                out.cells.push(GridCell {
                    row: r as u32,
                    col: c,
                    rowspan,
                    colspan,
                    content: Text::read(raw, loc, &mut self.converted),
                });
                out.cols = out.cols.max(c + colspan);
                c += colspan;
            }
        }
        out.rows = n_rows;
        if !out.cells.is_empty() {
            self.blocks.push(Block::Table(out));
        }
    }
}

/// A table cell as read: its spans (parsed and clamped) and its text as printed.
struct CellRead {
    rowspan: u32,
    colspan: u32,
    text: String,
}

impl CellRead {
    /// A cell from its `rowspan` and `colspan` attributes, as the page gives them.
    fn new(rowspan: Option<&str>, colspan: Option<&str>) -> CellRead {
        let span = |v: Option<&str>| {
            v.and_then(|v| v.trim().parse::<u32>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_SPAN)
        };
        CellRead {
            rowspan: span(rowspan),
            colspan: span(colspan),
            text: String::new(),
        }
    }
}

/// The rows of a table in the tree, each its `td` and `th` cells; no more cells than a table
/// may hold are read (the rest could not be placed).
fn dom_rows(table: ElementRef<'_>) -> Vec<Vec<CellRead>> {
    let mut trs = Vec::new();
    collect_rows(table, &mut trs, 0);
    let mut read = 0usize;
    trs.iter()
        .map(|tr| {
            let mut cells = Vec::new();
            for cell in tr.children().filter_map(ElementRef::wrap) {
                if !matches!(cell.value().name(), "td" | "th") || read >= MAX_TABLE_CELLS {
                    continue;
                }
                read += 1;
                let el = cell.value();
                let mut c = CellRead::new(el.attr("rowspan"), el.attr("colspan"));
                c.text = cell_text(cell);
                cells.push(c);
            }
            cells
        })
        .collect()
}

fn cell_taken(occupied: &[Vec<bool>], r: usize, c: u32) -> bool {
    occupied
        .get(r)
        .and_then(|row| row.get(c as usize))
        .copied()
        .unwrap_or(false)
}

/// The `tr` elements of this table, not of tables nested in its cells.
fn collect_rows<'a>(el: ElementRef<'a>, rows: &mut Vec<ElementRef<'a>>, depth: usize) {
    if depth > MAX_HTML_DEPTH {
        return;
    }
    for child in el.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => rows.push(child),
            "table" => {}
            _ => collect_rows(child, rows, depth + 1),
        }
    }
}

/// A cell's text; `<br>` joins without a space, since header cells break words with it.
fn cell_text(cell: ElementRef<'_>) -> String {
    cell.text().collect()
}

/// [`collapse`] of a text given away: most cells are a few ASCII characters without white
/// space, kept as they are (a copy each was most of the collapsing's cost).
fn collapse_owned(s: String) -> String {
    if s.bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_whitespace() && b != b'\x0b')
    {
        return s;
    }
    collapse(&s)
}

/// Trims and folds runs of white space (source formatting) into one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for part in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if part.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        read(s.as_bytes(), &Origin::new("t.html")).unwrap()
    }

    #[test]
    fn texts_given_away_collapse_as_borrowed_ones() {
        for t in [
            "30",
            "",
            " 3 0 ",
            "a\x0bb",
            "x\x0c",
            "规 章",
            "1\u{a0}2",
            "\u{3000}7",
            "a|b",
        ] {
            assert_eq!(collapse_owned(t.to_owned()), collapse(t), "{t:?}");
        }
    }

    #[test]
    fn nesting_is_estimated_without_parsing() {
        assert_eq!(
            nesting_depth("<html><body><div><p>a<br>b</div></body></html>"),
            3
        );
        assert_eq!(
            nesting_depth("<script>if (a<b && c<d) {}</script><div></div>"),
            1
        );
        assert_eq!(nesting_depth(&"<div>".repeat(5000)), 5000);
        assert_eq!(nesting_depth("<!-- <div><div> --><span/>"), 0);
    }

    /// A page is estimated only when it holds more `<` than the limit (`read`): no page
    /// estimates deeper than its count of `<`, whatever its tags, comments and raw text.
    #[test]
    fn nesting_is_never_deeper_than_the_count_of_tag_openings() {
        let parts = [
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<DIV class=\"a>b\">",
            "<span/>",
            "<br>",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<style>",
            "</style >",
            "<!doctype html>",
            "<",
            ">",
            "/",
            "a",
            "规",
            "<td>",
            "</",
            "<x",
        ];
        let mut rng = crate::rng::Rng::new(11);
        for _ in 0..20_000 {
            let page: String = (0..rng.below(40))
                .map(|_| parts[rng.below(parts.len() as u64) as usize])
                .collect();
            let opens = page.bytes().filter(|&b| b == b'<').count();
            assert!(nesting_depth(&page) <= opens, "{page:?}");
        }
    }

    /// Around the limit: a page of as many `<` as the limit is read, one `<` more is
    /// estimated, and refused only when the estimate passes the limit.
    #[test]
    fn pages_are_refused_for_depth_only_past_the_limit() {
        let deep = |n: usize| format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
        let read_with = |page: &str, nesting: usize| {
            let mut origin = Origin::new("t.html");
            origin.limits.nesting = nesting;
            read(page.as_bytes(), &origin)
        };
        // The depth and limit a page is refused with (it must be refused so).
        let refused = |page: &str, nesting: usize| match read_with(page, nesting) {
            Err(ReadError::TooDeep { depth, max }) => (depth, max),
            other => panic!("{other:?}"),
        };
        // 3 levels, 6 `<`: read at any limit from 3 up (at 3 to 5 it is estimated).
        for nesting in 3..=6 {
            assert!(read_with(&deep(3), nesting).is_ok(), "{nesting}");
        }
        // 4 levels at a limit of 3: estimated and refused, with the estimate.
        assert_eq!(refused(&deep(4), 3), (4, 3));
        // One `<` past the limit is enough to be estimated: 4 unclosed levels, 4 `<`.
        assert_eq!(refused("<div><div><div><div>x", 3), (4, 3));
        // As many `<` as the limit: within it.
        assert!(read_with("<div><div><div><div>x", 4).is_ok());
    }

    #[test]
    fn spans_expand_into_grid_positions() {
        let d = doc(
            "<p>三、</p><table><tr><td rowspan=2>a</td><td colspan=2>b</td></tr>\
                     <tr><td>c</td><td>&nbsp;</td></tr></table><p>after</p>",
        );
        assert_eq!(d.blocks.len(), 3);
        let Block::Table(t) = &d.blocks[1] else {
            panic!()
        };
        assert_eq!((t.rows, t.cols), (2, 3));
        let pos: Vec<_> = t
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.content.text.as_str()))
            .collect();
        assert_eq!(pos, [(0, 0, "a"), (0, 1, "b"), (1, 1, "c"), (1, 2, "")]);
        assert_eq!(t.grid()[1][0], Some(0));
        assert_eq!(t.cells[3].content.loc.to_string(), "table 1 row 2 col 3");
    }

    #[test]
    fn br_in_cells_joins_and_scripts_are_skipped() {
        let d = doc("<script>x=1</script><table><tr><td>本年新<br />制作数量</td></tr></table>");
        let Block::Table(t) = &d.blocks[0] else {
            panic!()
        };
        assert_eq!(t.cells[0].content.text, "本年新制作数量");
    }
}
