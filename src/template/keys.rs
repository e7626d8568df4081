//! Canonical cell keys: every `(table, row, col)` of both layouts, the few keys the code asks
//! for by name, and the one parser of dotted names (the scoring formulas and summary-sheet
//! headers both use it).

use std::sync::OnceLock;

use super::TableKind;

/// A canonical cell: table, row key, column key.
pub type Key = (TableKind, &'static str, &'static str);

/// The 总计 column (and row) of table 三, and the 总计 column of each group of table 四.
pub const TOTAL: &str = "total";
/// Table 三's 本年新收 row.
pub const NEW: &str = "new";
/// Table 三's 上年结转 row.
pub const CARRIED_IN: &str = "carried_in";
/// Table 三's 结转下年度继续办理 row.
pub const CARRIED_OUT: &str = "carried_out";
/// Table 四's result columns: 结果维持, 结果纠正, 其他结果, 尚未审结.
pub const UPHELD: &str = "upheld";
pub const CORRECTED: &str = "corrected";
pub const OTHER: &str = "other";
pub const PENDING: &str = "pending";

/// The canonical `(row, col)` keys of a table over both layouts, in printed order.
pub fn table_keys(table: TableKind) -> Vec<(&'static str, &'static str)> {
    let mut keys = Vec::new();
    for spec in table.specs() {
        for k in spec.targets() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys
}

/// Every canonical key of the three tables, tables in [`TableKind::ALL`] order.
pub fn all_keys() -> &'static [Key] {
    static ALL: OnceLock<Vec<Key>> = OnceLock::new();
    ALL.get_or_init(|| {
        TableKind::ALL
            .into_iter()
            .flat_map(|t| table_keys(t).into_iter().map(move |(r, c)| (t, r, c)))
            .collect()
    })
}

/// The place of a key in [`all_keys`]: found by its words' addresses when they are those
/// [`all_keys`] holds (as extracted cells' are), else by their text. The cell codec asks it
/// for every cell it writes, the validator for every cell of a report and the wide frames
/// for every cell they place (an identity instance's own words often miss the address path:
/// it asks once per instance, when the instance is made, and keeps the places in
/// [`super::Instance::places`]).
// Inlined where it is asked (a cell at a time), with the maps' lookups out of line: with
// them inside, each call saved and restored registers for paths that run for a few keys.
#[inline]
pub fn key_index(key: Key) -> Option<usize> {
    let ix = index();
    let (t, r, c) = key;
    let slot = &ix.slots[Slot::of(t, r.as_ptr() as usize, c.as_ptr() as usize)];
    // One key has these addresses' slot: it is the answer if the words are its words
    // (addresses and lengths); else no key has these addresses and lengths (it would
    // share the slot), and only the text can name one.
    if slot.index < Slot::SHARED
        && slot.table == t
        && slot.row == r.as_ptr() as usize
        && slot.col == c.as_ptr() as usize
        && slot.lens == Slot::lens(r, c)
    {
        return Some(usize::from(slot.index));
    }
    key_index_by_maps(ix, slot.index, key)
}

/// [`key_index`] for words whose slot is not theirs alone: by the text, or by the address
/// where two keys share the slot.
#[cold]
#[inline(never)]
fn key_index_by_maps(ix: &Index, slot: u16, key: Key) -> Option<usize> {
    let (t, r, c) = key;
    if slot != Slot::SHARED {
        return ix.by_text.get(&key).copied();
    }
    ix.by_address
        .get(&(t, r.as_ptr() as usize, c.as_ptr() as usize))
        .copied()
        // An address names its word only if the lengths agree too (words may share a
        // start).
        .filter(|&i| {
            let (_, kr, kc) = all_keys()[i];
            kr.len() == r.len() && kc.len() == c.len()
        })
        .or_else(|| ix.by_text.get(&key).copied())
}

struct Index {
    /// Each key's words' addresses, hashed into a table of their own: one multiplication
    /// and one comparison a lookup. With only the map below, the lookup was about 80
    /// instructions, asked three times for each cell of a batch (callgrind: 16 M each
    /// time for the 1k text corpus's 199,176 cells).
    slots: Vec<Slot>,
    /// The same by address, for the slots two keys share.
    by_address: rustc_hash::FxHashMap<(TableKind, usize, usize), usize>,
    by_text: rustc_hash::FxHashMap<Key, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let keys = all_keys();
        let mut slots = vec![Slot::default(); Slot::COUNT];
        for (i, &(t, r, c)) in keys.iter().enumerate() {
            let slot = &mut slots[Slot::of(t, r.as_ptr() as usize, c.as_ptr() as usize)];
            *slot = if slot.index == Slot::EMPTY {
                Slot {
                    row: r.as_ptr() as usize,
                    col: c.as_ptr() as usize,
                    lens: Slot::lens(r, c),
                    table: t,
                    index: i as u16,
                }
            } else {
                Slot {
                    index: Slot::SHARED,
                    ..*slot
                }
            };
        }
        Index {
            slots,
            by_address: (keys.iter().enumerate())
                .map(|(i, &(t, r, c))| ((t, r.as_ptr() as usize, c.as_ptr() as usize), i))
                .collect(),
            by_text: keys.iter().enumerate().map(|(i, &k)| (k, i)).collect(),
        }
    })
}

/// A slot of [`Index::slots`]: the one key whose addresses hash here, or none, or several.
#[derive(Clone, Copy)]
struct Slot {
    row: usize,
    col: usize,
    lens: u64,
    table: TableKind,
    index: u16,
}

impl Default for Slot {
    fn default() -> Slot {
        Slot {
            row: 0,
            col: 0,
            lens: 0,
            table: TableKind::Disclosure,
            index: Slot::EMPTY,
        }
    }
}

impl Slot {
    /// Slots for the template's few hundred keys (a test says how many share one).
    const BITS: u32 = 12;
    const COUNT: usize = 1 << Slot::BITS;
    const EMPTY: u16 = u16::MAX;
    /// Two keys or more hash here: the map decides.
    const SHARED: u16 = u16::MAX - 1;

    fn of(t: TableKind, row: usize, col: usize) -> usize {
        let h = (row ^ col.rotate_left(23) ^ t as usize).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h as u64 >> (64 - Slot::BITS)) as usize
    }

    fn lens(r: &str, c: &str) -> u64 {
        (r.len() as u64) << 32 | c.len() as u64
    }
}

/// The key a dotted name names: `table.row.col` (or `table/row/col`), `row.col` (no such
/// pair is in two tables; a test says so), or `row` alone (that row of table 三, column
/// 总计). Case matters; `None` when nothing is named.
pub fn parse_key(name: &str) -> Option<Key> {
    let parts: Vec<&str> = if name.contains('/') {
        name.split('/').collect()
    } else {
        name.split('.').collect()
    };
    let find = |t: Option<TableKind>, r: &str, c: &str| {
        all_keys()
            .iter()
            .copied()
            .find(|&(kt, kr, kc)| t.is_none_or(|t| t == kt) && kr == r && kc == c)
    };
    match parts.as_slice() {
        [t, r, c] => find(
            Some(TableKind::ALL.into_iter().find(|k| k.key() == *t)?),
            r,
            c,
        ),
        [r, c] => find(None, r, c),
        [r] => find(Some(TableKind::Requests), r, TOTAL),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key is found by its own words through the slot table, and through the maps
    /// when its slot is shared. How many share a slot depends on where the build puts the
    /// words (8 of 259 in one test build, 29 in another); the bound below only catches a hash
    /// that has stopped spreading them.
    #[test]
    fn slots_name_every_key_and_few_are_shared() {
        let keys = all_keys();
        assert!(keys.len() < usize::from(Slot::SHARED));
        let ix = index();
        let mut shared = 0;
        for (i, &(t, r, c)) in keys.iter().enumerate() {
            let slot = ix.slots[Slot::of(t, r.as_ptr() as usize, c.as_ptr() as usize)];
            match slot.index {
                Slot::SHARED => shared += 1,
                j => assert_eq!(usize::from(j), i, "{t:?}/{r}/{c}"),
            }
            assert_eq!(key_index((t, r, c)), Some(i));
        }
        assert!(shared * 2 < keys.len(), "{shared} of {} keys", keys.len());
        // A key of other words than the template's (the same text elsewhere) is found by its
        // text, wherever its addresses hash.
        for (i, &(t, r, c)) in keys.iter().enumerate() {
            let (r2, c2): (&'static str, &'static str) =
                (String::from(r).leak(), String::from(c).leak());
            assert_eq!(key_index((t, r2, c2)), Some(i));
            assert_eq!(key_index((t, r, c2)), Some(i));
        }
        // A word that starts where a template word starts but is shorter names no key of that
        // word (the prefix, if a key, by its text).
        let (t, r, c) = keys[0];
        let short = &r[..r.len() - 1];
        assert_eq!(
            key_index((t, short, c)),
            keys.iter().position(|k| *k == (t, short, c))
        );
    }
}
