//! A PDF's pages as a `Document`: each ruled table as a grid (every cell's glyphs joined
//! across its lines, empty cells blank, merged cells as spans), the rest of the page as
//! lines of text, both in reading order, and a table broken over a page boundary joined
//! again when its columns line up.

use super::collect::{Glyph, Page};
use super::lattice::{self, Lattice};
use crate::source::{Block, GridCell, Loc, Table, Text};

/// Column edges closer than this (points) are the same column on the next page.
const SAME_COLUMN: f64 = 2.5;

/// A table of a page, before it is joined with its continuation.
struct Placed {
    page: u32,
    lattice: Lattice,
    /// Each cell's raw text, in `lattice.cells` order.
    texts: Vec<CellText>,
}

enum Item {
    Line { page: u32, line: u32, text: String },
    Table(Vec<Placed>),
}

/// Glyphs in reading order as lines: a new line where the baseline moves by more than half
/// a glyph. Each line's glyphs are left to right.
fn lines(mut glyphs: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    glyphs.sort_by(|a, b| a.base.total_cmp(&b.base).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    for g in glyphs {
        match out.last_mut() {
            Some(line) if g.base - base <= g.size * 0.5 => line.push(g),
            _ => {
                base = g.base;
                out.push(vec![g]);
            }
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

/// One line's text: a space where glyphs stand apart, a wide gap (a layout column) as four.
fn line_text(line: &[&Glyph], out: &mut String) {
    let mut end: Option<f64> = None;
    for g in line {
        if let Some(e) = end {
            let gap = g.x0 - e;
            if gap > g.size * 1.5 {
                out.push_str("    ");
            } else if gap > g.size * 0.2 {
                out.push(' ');
            }
        }
        out.push_str(&g.text);
        end = Some(end.map_or(g.x1, |e: f64| e.max(g.x1)));
    }
}

/// Whether a glyph is one a line may break after on its own (CJK: every character).
fn breaks_alone(g: &Glyph) -> bool {
    g.text.chars().next().is_some_and(|c| c >= '\u{2E80}')
}

/// The width of a line's first unbreakable run: a CJK character, or the letters, digits and
/// marks up to the first space or CJK character.
fn first_word(line: &[&Glyph]) -> f64 {
    let first = line[0];
    let mut end = first.x1;
    if !breaks_alone(first) {
        for g in &line[1..] {
            if breaks_alone(g) || g.x0 - end > g.size * 0.2 {
                break;
            }
            end = g.x1;
        }
    }
    end - first.x0
}

/// A cell's text, and how its last line ends (to tell whether a row broken over a page
/// boundary goes on in the same words).
struct CellText {
    text: String,
    /// The width the cell has for text, and the last line's width, and the next page's
    /// first word (set when parts are compared).
    room: f64,
    last_used: f64,
    first_word: f64,
}

/// Whether text `used` wide was wrapped before a word `next` wide: the word would not have
/// fitted after it.
fn wrapped(used: f64, next: f64, room: f64) -> bool {
    used + next + 0.5 > room
}

/// A cell's text: its lines joined. A line that ends where the next line's first word could
/// not have fitted was wrapped by the producer (`129` / `5` is 1295, a long label goes on),
/// so it joins without a space; a line that ended short was broken on purpose, and a space
/// keeps its words apart.
fn cell_text(glyphs: Vec<&Glyph>, left: f64, right: f64) -> CellText {
    let lines = lines(glyphs);
    let pad = lines
        .iter()
        .map(|l| l[0].x0 - left)
        .fold(f64::INFINITY, f64::min)
        .clamp(0.0, 6.0);
    let room = right - left - 2.0 * pad;
    let used = |l: &[&Glyph]| l[l.len() - 1].x1 - l[0].x0;
    let mut text = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && !wrapped(used(&lines[i - 1]), first_word(line), room) {
            text.push(' ');
        }
        line_text(line, &mut text);
    }
    CellText {
        text,
        room,
        last_used: lines.last().map_or(0.0, |l| used(l)),
        first_word: lines.first().map_or(0.0, |l| first_word(l)),
    }
}

/// The tables and lines of one page, top to bottom.
fn page_items(page: &Page) -> Vec<(f64, Item)> {
    let found = lattice::tables(&page.horizontal, &page.vertical);
    let mut inside: Vec<Vec<Vec<&Glyph>>> = found
        .iter()
        .map(|t| vec![Vec::new(); t.cells.len()])
        .collect();
    // Elementary position → cell, per table.
    let owners: Vec<Vec<usize>> = found
        .iter()
        .map(|t| {
            let cols = t.xs.len() - 1;
            let mut own = vec![0; (t.ys.len() - 1) * cols];
            for (i, s) in t.cells.iter().enumerate() {
                for r in s.row..s.row + s.rows {
                    for c in s.col..s.col + s.cols {
                        own[r * cols + c] = i;
                    }
                }
            }
            own
        })
        .collect();
    let mut outside = Vec::new();
    for g in &page.glyphs {
        let centre = g.centre();
        match found.iter().position(|t| t.contains(centre)) {
            Some(k) => {
                let (r, c) = found[k].locate(centre);
                let cols = found[k].xs.len() - 1;
                inside[k][owners[k][r * cols + c]].push(g);
            }
            None => outside.push(g),
        }
    }
    let mut items: Vec<(f64, Item)> = Vec::new();
    for (t, cells) in found.into_iter().zip(inside) {
        let texts = t
            .cells
            .iter()
            .zip(cells)
            .map(|(s, glyphs)| cell_text(glyphs, t.xs[s.col], t.xs[s.col + s.cols]))
            .collect();
        items.push((
            t.top(),
            Item::Table(vec![Placed {
                page: page.number,
                lattice: t,
                texts,
            }]),
        ));
    }
    for (n, line) in lines(outside).into_iter().enumerate() {
        let mut text = String::new();
        line_text(&line, &mut text);
        items.push((
            line[0].base,
            Item::Line {
                page: page.number,
                line: n as u32 + 1,
                text,
            },
        ));
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    items
}

/// Whether `next` continues `prev` on the next page: the same column edges.
fn continues(prev: &Placed, next: &Placed) -> bool {
    next.page == prev.page + 1
        && prev.lattice.xs.len() == next.lattice.xs.len()
        && prev
            .lattice
            .xs
            .iter()
            .zip(&next.lattice.xs)
            .all(|(a, b)| (a - b).abs() <= SAME_COLUMN)
}

/// Whether a line between two table parts is only page furniture (a page number).
fn furniture(text: &str) -> bool {
    crate::source::text::is_page_number(text) || text.trim().chars().all(|c| c.is_ascii_digit())
}

/// The last table of `items`, if `next` continues it.
fn continued(items: &[Item], next: &Placed) -> Option<usize> {
    let k = items.iter().rposition(|i| matches!(i, Item::Table(_)))?;
    let Item::Table(prev) = &items[k] else {
        return None;
    };
    let only_furniture = items[k + 1..]
        .iter()
        .all(|i| matches!(i, Item::Line { text, .. } if furniture(text)));
    (only_furniture && continues(prev.last()?, next)).then_some(k)
}

/// The pages as blocks. `None` when no page has a ruled table: such a PDF reads as text.
pub(super) fn blocks(pages: &[Page], converted: &mut bool) -> Option<Vec<Block>> {
    let mut items: Vec<Item> = Vec::new();
    let mut any = false;
    for page in pages {
        for (_, item) in page_items(page) {
            // A table part after only furniture (page numbers) since the last table is
            // that table's continuation when its columns line up.
            if let Item::Table(parts) = item {
                any = true;
                if let Some(k) = continued(&items, &parts[0]) {
                    if let Item::Table(prev) = &mut items[k] {
                        prev.extend(parts);
                    }
                } else {
                    items.push(Item::Table(parts));
                }
                continue;
            }
            items.push(item);
        }
    }
    if !any {
        return None;
    }
    let mut blocks = Vec::with_capacity(items.len());
    let mut tables = 0;
    for item in items {
        match item {
            Item::Line { page, line, text } => {
                if furniture(&text) || text.trim().is_empty() {
                    continue;
                }
                let loc = Loc::Page {
                    page,
                    line,
                    char: None,
                };
                blocks.push(Block::Line(Text::read(text, loc, converted)));
            }
            Item::Table(parts) => {
                tables += 1;
                blocks.push(Block::Table(table(tables, parts, converted)));
            }
        }
    }
    Some(blocks)
}

/// Whether the first row of `next` is the rest of the last row of `prev`, broken over the
/// page (Word and LibreOffice let a row break across pages by default): the same cells side
/// by side, some text left over, and every cell printed on both pages going on in the same
/// words: its last line on the first page full, so that the next page's first word would not
/// have fitted. A new row starts its own label, which would have fitted after the last one's.
fn split_row(prev: &Placed, next: &Placed) -> bool {
    let last = prev.lattice.ys.len() - 2;
    let ending: Vec<(usize, usize, &CellText)> = prev
        .lattice
        .cells
        .iter()
        .zip(&prev.texts)
        .filter(|(s, _)| s.row + s.rows - 1 == last)
        .map(|(s, t)| (s.col, s.cols, t))
        .collect();
    let first: Vec<(usize, usize, &CellText)> = next
        .lattice
        .cells
        .iter()
        .zip(&next.texts)
        .filter(|(s, _)| s.row == 0)
        .map(|(s, t)| (s.col, s.cols, t))
        .collect();
    let same_cells = ending.len() == first.len()
        && ending
            .iter()
            .zip(&first)
            .all(|(a, b)| (a.0, a.1) == (b.0, b.1));
    let goes_on = ending.iter().zip(&first).all(|(a, b)| {
        a.2.text.is_empty()
            || b.2.text.is_empty()
            || wrapped(a.2.last_used, b.2.first_word, a.2.room)
    });
    let leftover = first.iter().any(|b| !b.2.text.is_empty());
    same_cells && goes_on && leftover
}

/// A table's parts as one grid; a row broken over a page boundary is one row again, its
/// cells' texts joined.
fn table(number: u32, parts: Vec<Placed>, converted: &mut bool) -> Table {
    let mut out = Table::default();
    // Raw texts beside the cells, until every part is in.
    let mut raws: Vec<String> = Vec::new();
    let mut offset = 0u32;
    let mut prev: Option<Placed> = None;
    for part in parts {
        let joined = prev.as_ref().is_some_and(|p| split_row(p, &part));
        if joined {
            offset -= 1;
        }
        let l = &part.lattice;
        for (s, raw) in l.cells.iter().zip(&part.texts) {
            let row = offset + s.row as u32;
            if joined && s.row == 0 {
                // The cell the broken row began on the page before.
                let above = out
                    .cells
                    .iter()
                    .rposition(|c| c.col == s.col as u32 && c.row + c.rowspan == row + 1);
                if let Some(k) = above {
                    raws[k].push_str(&raw.text);
                    out.cells[k].rowspan += s.rows as u32 - 1;
                    continue;
                }
            }
            let loc = Loc::PageCell {
                page: part.page,
                table: number,
                row: row + 1,
                col: s.col as u32 + 1,
            };
            out.cells.push(GridCell {
                row,
                col: s.col as u32,
                rowspan: s.rows as u32,
                colspan: s.cols as u32,
                content: Text::as_printed(String::new(), loc),
            });
            raws.push(raw.text.clone());
        }
        offset += (l.ys.len() - 1) as u32;
        out.cols = out.cols.max((l.xs.len() - 1) as u32);
        prev = Some(part);
    }
    out.rows = offset;
    for (cell, raw) in out.cells.iter_mut().zip(raws) {
        cell.content = Text::read(raw, cell.content.loc, converted);
    }
    // Reading order: row by row.
    out.cells.sort_by_key(|c| (c.row, c.col));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text`, each `w` wide, from `x` on the baseline `base`, 10 pt.
    fn run(text: &str, x: f64, base: f64, w: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                text: c.to_string(),
                x0: x + i as f64 * w,
                x1: x + (i + 1) as f64 * w,
                base,
                size: 10.0,
            })
            .collect()
    }

    fn text_of(glyphs: &[Glyph], left: f64, right: f64) -> String {
        cell_text(glyphs.iter().collect(), left, right).text
    }

    #[test]
    fn a_number_wrapped_in_a_narrow_cell_is_one_number() {
        // `129` fills a 20 pt cell; `5` could not have followed on that line.
        let mut g = run("129", 1.0, 10.0, 6.0);
        g.extend(run("5", 1.0, 22.0, 6.0));
        assert_eq!(text_of(&g, 0.0, 20.0), "1295");
    }

    #[test]
    fn a_line_broken_short_keeps_its_words_apart() {
        // `12` ends early in a 60 pt cell, so the `3` below was put there on purpose.
        let mut g = run("12", 1.0, 10.0, 6.0);
        g.extend(run("3", 1.0, 22.0, 6.0));
        assert_eq!(text_of(&g, 0.0, 60.0), "12 3");
    }

    #[test]
    fn a_sign_left_alone_at_a_line_end_joins_its_number() {
        // `-` then `258`: the whole number would not have fitted after the sign.
        let mut g = run("-", 1.0, 10.0, 6.0);
        g.extend(run("258", 1.0, 22.0, 6.0));
        assert_eq!(text_of(&g, 0.0, 20.0), "-258");
    }

    #[test]
    fn a_wrapped_label_joins_and_words_on_a_line_keep_their_space() {
        let mut g = run("没有现成信息需", 1.0, 10.0, 10.0);
        g.extend(run("要另行制作", 1.0, 22.0, 10.0));
        assert_eq!(text_of(&g, 0.0, 72.0), "没有现成信息需要另行制作");
        let mut g = run("12", 1.0, 10.0, 6.0);
        g.extend(run("34", 21.0, 10.0, 6.0));
        assert_eq!(text_of(&g, 0.0, 60.0), "12 34");
    }

    fn part(page: u32, texts: &[(&str, f64)]) -> Placed {
        // One row of cells 40 pt wide; each text's last line `used` wide.
        let n = texts.len();
        Placed {
            page,
            lattice: Lattice {
                xs: (0..=n).map(|i| i as f64 * 40.0).collect(),
                ys: vec![0.0, 20.0],
                cells: (0..n)
                    .map(|c| lattice::Span {
                        row: 0,
                        col: c,
                        rows: 1,
                        cols: 1,
                    })
                    .collect(),
            },
            texts: texts
                .iter()
                .map(|(t, used)| CellText {
                    text: t.to_string(),
                    room: 38.0,
                    last_used: *used,
                    first_word: 6.0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_row_broken_over_a_page_is_joined_and_a_new_row_is_not() {
        // `没有现成信息需` fills its cell and `要…` goes on; `153` fills its cell and `6` goes on.
        let prev = part(1, &[("没有现成信息需", 36.0), ("153", 36.0)]);
        let next = part(2, &[("要另行制作", 30.0), ("6", 6.0)]);
        assert!(split_row(&prev, &next));
        // A row that ended short is complete: the next page's row is a new one.
        let prev = part(1, &[("5.属于三类", 20.0), ("135", 36.0)]);
        assert!(!split_row(&prev, &next));
        // Nothing left over: nothing to join.
        let prev = part(1, &[("没有现成信息需", 36.0), ("153", 36.0)]);
        let next = part(2, &[("", 0.0), ("", 0.0)]);
        assert!(!split_row(&prev, &next));
    }
}
