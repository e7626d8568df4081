//! A report's cells as one compact byte string inside the worker's answers, the cache's
//! entries and Spark's slim outcomes (all bincode): a canonical key as its index among the
//! template's keys, states, layouts, kinds and places as one-byte tags, numbers as their bits.
//! With bincode's own field-by-field form, reading the outcomes of 1,002 text reports back
//! (199,176 cells) cost the parent 211 M of its 1,230 M instructions (callgrind); with this,
//! 100 M.
//!
//! Read back by bounds-checked reads only: a damaged or foreign string is an error (the
//! cache then parses the file again), never a panic, and no count allocates past what the
//! bytes left could hold.

use serde::{Deserializer, Serializer};

use super::{Cell, CellState, Dec};
use crate::source::Loc;
use crate::template::{CellKind, Layout, TableKind, all_keys};

/// The key index that says the key follows as text (one the template does not list).
const TEXT_KEY: u16 = u16::MAX;
/// The fewest bytes a cell takes: key (2), state (1), raw's length (4), layout (1),
/// kind (1), place (1).
const MIN_CELL: usize = 10;

pub(super) fn serialize<S: Serializer>(cells: &[Cell], s: S) -> Result<S::Ok, S::Error> {
    let mut out = Vec::with_capacity(4 + cells.len() * 32);
    encode(cells, &mut out);
    s.serialize_bytes(&out)
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cell>, D::Error> {
    struct Blob;
    impl serde::de::Visitor<'_> for Blob {
        type Value = Vec<Cell>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a report's cells, encoded")
        }
        fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Vec<Cell>, E> {
            decode(b).map_err(E::custom)
        }
    }
    d.deserialize_bytes(Blob)
}

fn key_index(c: &Cell) -> Option<u16> {
    crate::template::key_index((c.table, c.row, c.col))
        .and_then(|i| u16::try_from(i).ok())
        .filter(|&i| i != TEXT_KEY)
}

fn table_tag(t: TableKind) -> u8 {
    TableKind::ALL.iter().position(|&k| k == t).unwrap_or(0) as u8
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt(out: &mut Vec<u8>, v: Option<u32>) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

fn put_u32s(out: &mut Vec<u8>, vs: &[u32]) {
    for v in vs {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn encode(cells: &[Cell], out: &mut Vec<u8>) {
    out.extend_from_slice(&(cells.len() as u32).to_le_bytes());
    for c in cells {
        match key_index(c) {
            Some(i) => out.extend_from_slice(&i.to_le_bytes()),
            None => {
                out.extend_from_slice(&TEXT_KEY.to_le_bytes());
                out.push(table_tag(c.table));
                put_str(out, c.row);
                put_str(out, c.col);
            }
        }
        match &c.state {
            CellState::Number(d) => {
                out.push(0);
                out.extend_from_slice(&d.mant.to_le_bytes());
                out.extend_from_slice(&d.scale.to_le_bytes());
            }
            CellState::Blank => out.push(1),
            CellState::NotApplicable => out.push(2),
            CellState::Ambiguous(cands) => {
                out.push(3);
                out.extend_from_slice(&(cands.len() as u32).to_le_bytes());
                for s in cands {
                    put_str(out, s);
                }
            }
            CellState::Unparsed => out.push(4),
            CellState::Missing => out.push(5),
        }
        put_str(out, &c.raw);
        out.push(match c.layout {
            Layout::Y2019 => 0,
            Layout::Y2021 => 1,
        });
        match c.kind {
            CellKind::Count => out.push(0),
            CellKind::Money => out.push(1),
            CellKind::Pair(second) => {
                out.push(2);
                put_str(out, second);
            }
        }
        put_loc(out, c.loc);
    }
}

/// A cell's place: a tag (0 none), then its numbers; [`Reader::loc`] reads it back.
fn put_loc(out: &mut Vec<u8>, loc: Option<Loc>) {
    match loc {
        None => out.push(0),
        Some(Loc::Line { line, char }) => {
            out.push(1);
            put_u32s(out, &[line]);
            put_opt(out, char);
        }
        Some(Loc::Para { para, char }) => {
            out.push(2);
            put_u32s(out, &[para]);
            put_opt(out, char);
        }
        Some(Loc::Cell { table, row, col }) => {
            out.push(3);
            put_u32s(out, &[table, row, col]);
        }
        Some(Loc::Sheet { sheet, row, col }) => {
            out.push(4);
            put_u32s(out, &[sheet, row, col]);
        }
        Some(Loc::Page { page, line, char }) => {
            out.push(5);
            put_u32s(out, &[page, line]);
            put_opt(out, char);
        }
        Some(Loc::PageCell {
            page,
            table,
            row,
            col,
        }) => {
            out.push(6);
            put_u32s(out, &[page, table, row, col]);
        }
    }
}

/// Bounds-checked reads over the encoded cells.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if n > self.bytes.len() {
            return Err("encoded cells end early".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn opt(&mut self) -> Result<Option<u32>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.u32()?)),
            t => Err(format!("encoded cells: no optional number has tag {t}")),
        }
    }

    fn str(&mut self) -> Result<&'a str, String> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        // Most texts are a cell's few ASCII digits: checked as such, they skip `from_utf8`'s
        // call and set-up (54 instructions a text, 16 % of decoding the 1k text corpus's
        // cells in the parent, callgrind).
        if b.is_ascii() {
            // SAFETY: ASCII bytes are UTF-8.
            return Ok(unsafe { std::str::from_utf8_unchecked(b) });
        }
        std::str::from_utf8(b).map_err(|e| format!("encoded cells: {e}"))
    }

    /// A place as [`put_loc`] wrote it.
    fn loc(&mut self) -> Result<Option<Loc>, String> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(Loc::Line {
                line: self.u32()?,
                char: self.opt()?,
            })),
            2 => Ok(Some(Loc::Para {
                para: self.u32()?,
                char: self.opt()?,
            })),
            3 => Ok(Some(Loc::Cell {
                table: self.u32()?,
                row: self.u32()?,
                col: self.u32()?,
            })),
            4 => Ok(Some(Loc::Sheet {
                sheet: self.u32()?,
                row: self.u32()?,
                col: self.u32()?,
            })),
            5 => Ok(Some(Loc::Page {
                page: self.u32()?,
                line: self.u32()?,
                char: self.opt()?,
            })),
            6 => Ok(Some(Loc::PageCell {
                page: self.u32()?,
                table: self.u32()?,
                row: self.u32()?,
                col: self.u32()?,
            })),
            t => Err(format!("encoded cells: no place has tag {t}")),
        }
    }

    fn word(&mut self) -> Result<&'static str, String> {
        let s = self.str()?;
        crate::template::interned::word(s)
            .ok_or_else(|| format!("encoded cells: `{s}` is no word of this version's vocabulary"))
    }
}

fn decode(bytes: &[u8]) -> Result<Vec<Cell>, String> {
    let mut r = Reader { bytes };
    let n = r.u32()? as usize;
    if n > r.bytes.len() / MIN_CELL {
        return Err(format!(
            "encoded cells: {n} cells cannot fit in {} bytes",
            bytes.len()
        ));
    }
    let keys = all_keys();
    let mut cells = Vec::with_capacity(n);
    for _ in 0..n {
        let (table, row, col) = match r.u16()? {
            TEXT_KEY => {
                let t = r.u8()?;
                let table = *TableKind::ALL
                    .get(t as usize)
                    .ok_or_else(|| format!("encoded cells: no table has tag {t}"))?;
                (table, r.word()?, r.word()?)
            }
            i => *keys
                .get(i as usize)
                .ok_or_else(|| format!("encoded cells: no key has index {i}"))?,
        };
        let state = match r.u8()? {
            0 => {
                let m = r.take(16)?;
                let mut mant = [0u8; 16];
                mant.copy_from_slice(m);
                CellState::Number(Dec {
                    mant: i128::from_le_bytes(mant),
                    scale: r.u32()?,
                })
            }
            1 => CellState::Blank,
            2 => CellState::NotApplicable,
            3 => {
                let k = r.u32()? as usize;
                // Each candidate takes at least its length's four bytes.
                if k > r.bytes.len() / 4 {
                    return Err("encoded cells: more candidates than bytes".into());
                }
                let mut cands = Vec::with_capacity(k);
                for _ in 0..k {
                    cands.push(r.str()?.to_owned());
                }
                CellState::Ambiguous(cands)
            }
            4 => CellState::Unparsed,
            5 => CellState::Missing,
            t => return Err(format!("encoded cells: no state has tag {t}")),
        };
        let raw = super::Raw::new(r.str()?);
        let layout = match r.u8()? {
            0 => Layout::Y2019,
            1 => Layout::Y2021,
            t => return Err(format!("encoded cells: no layout has tag {t}")),
        };
        let kind = match r.u8()? {
            0 => CellKind::Count,
            1 => CellKind::Money,
            2 => CellKind::Pair(r.word()?),
            t => return Err(format!("encoded cells: no kind has tag {t}")),
        };
        let loc = r.loc()?;
        cells.push(Cell {
            table,
            row,
            col,
            state,
            raw,
            layout,
            kind,
            loc,
        });
    }
    if !r.bytes.is_empty() {
        return Err(format!(
            "encoded cells: {} bytes past the last cell",
            r.bytes.len()
        ));
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_shape() -> Vec<Cell> {
        let keys = all_keys();
        let locs = [
            None,
            Some(Loc::Line {
                line: 7,
                char: Some(3),
            }),
            Some(Loc::Para {
                para: 2,
                char: None,
            }),
            Some(Loc::Cell {
                table: 1,
                row: 4,
                col: 5,
            }),
            Some(Loc::Sheet {
                sheet: 2,
                row: 0,
                col: 9,
            }),
            Some(Loc::Page {
                page: 3,
                line: 40,
                char: Some(u32::MAX),
            }),
            Some(Loc::PageCell {
                page: 1,
                table: 2,
                row: 3,
                col: 4,
            }),
        ];
        let states = [
            CellState::Number(Dec {
                mant: -170_141_183_460_469_231_731_687_303_715_884_105_728,
                scale: 4,
            }),
            CellState::Number(Dec { mant: 12, scale: 0 }),
            CellState::Blank,
            CellState::NotApplicable,
            CellState::Ambiguous(vec!["1".into(), "23".into(), String::new()]),
            CellState::Unparsed,
            CellState::Missing,
        ];
        let mut cells = Vec::new();
        for (i, &(table, row, col)) in keys.iter().enumerate() {
            cells.push(Cell {
                table,
                row,
                col,
                state: states[i % states.len()].clone(),
                raw: ["", "16/15", "規章 ３", "示例"][i % 4].into(),
                layout: if i % 2 == 0 {
                    Layout::Y2019
                } else {
                    Layout::Y2021
                },
                kind: match i % 3 {
                    0 => CellKind::Count,
                    1 => CellKind::Money,
                    _ => CellKind::Pair(keys[(i + 1) % keys.len()].2),
                },
                loc: locs[i % locs.len()],
            });
        }
        // A key the template does not list, with words it has: kept as text.
        let (t, r, _) = keys[0];
        let other = keys.iter().find(|k| k.0 != t).map_or("total", |k| k.2);
        assert!(!keys.contains(&(t, r, other)));
        cells.push(Cell {
            col: other,
            ..cells[0].clone()
        });
        // A listed key whose words are copies (other addresses): found by their text.
        let copy: &'static str = Box::leak(r.to_owned().into_boxed_str());
        cells.push(Cell {
            row: copy,
            ..cells[0].clone()
        });
        cells
    }

    #[test]
    fn keys_are_indexed_by_address_or_text_and_others_kept_as_text() {
        let cells = every_shape();
        let n = cells.len();
        assert!(cells[..n - 2].iter().all(|c| key_index(c).is_some()));
        assert_eq!(key_index(&cells[n - 2]), None);
        assert_eq!(key_index(&cells[n - 1]), Some(0));
    }

    #[test]
    fn every_kind_of_cell_comes_back_as_it_was() {
        let cells = every_shape();
        let mut bytes = Vec::new();
        encode(&cells, &mut bytes);
        assert_eq!(decode(&bytes).unwrap(), cells);
        assert_eq!(decode(&[0, 0, 0, 0]).unwrap(), Vec::new());
    }

    #[test]
    fn damaged_bytes_are_errors_not_panics() {
        let cells = every_shape();
        let mut bytes = Vec::new();
        encode(&cells, &mut bytes);
        // Every cut-short form, and a sweep of flipped bytes: each is an error or (where
        // the flip lands in a number or a text) some cells, never a panic.
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_err(), "cut at {n}");
        }
        for i in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[i] ^= 0xA5;
            let _ = decode(&b);
        }
        // A count no bytes could hold is refused before anything is allocated.
        assert!(decode(&[0xFF, 0xFF, 0xFF, 0x7F]).is_err());
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode(&long).is_err(), "trailing bytes");
    }
}
