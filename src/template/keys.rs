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
/// for every cell it writes, and the validator for every cell of a report (an identity
/// instance's own words often miss the address path: it asks once per instance, when the
/// instance is made, and keeps the places in [`super::Instance::places`]).
pub fn key_index(key: Key) -> Option<usize> {
    struct Index {
        by_address: rustc_hash::FxHashMap<(TableKind, usize, usize), usize>,
        by_text: rustc_hash::FxHashMap<Key, usize>,
    }
    static INDEX: OnceLock<Index> = OnceLock::new();
    let ix = INDEX.get_or_init(|| {
        let keys = all_keys();
        Index {
            by_address: (keys.iter().enumerate())
                .map(|(i, &(t, r, c))| ((t, r.as_ptr() as usize, c.as_ptr() as usize), i))
                .collect(),
            by_text: keys.iter().enumerate().map(|(i, &k)| (k, i)).collect(),
        }
    });
    let (t, r, c) = key;
    ix.by_address
        .get(&(t, r.as_ptr() as usize, c.as_ptr() as usize))
        .copied()
        // An address names its word only if the lengths agree too (words may share a start).
        .filter(|&i| {
            let (_, kr, kc) = all_keys()[i];
            kr.len() == r.len() && kc.len() == c.len()
        })
        .or_else(|| ix.by_text.get(&key).copied())
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
