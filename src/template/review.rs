//! Table 四 (administrative review and litigation): one printed row of 15 numbers, the same in
//! both templates.

use std::sync::OnceLock;

use super::{CellKind, Layout, PrintedCell, RowSpec, TableKind, TableSpec};

const fn cell(row: &'static str, col: &'static str) -> PrintedCell {
    PrintedCell {
        row: Some(row),
        col,
        kind: CellKind::Count,
    }
}

/// Canonical rows (groups) of table 四, in printed order.
pub const GROUPS: &[&str] = &["review", "suit_direct", "suit_after_review"];
/// Canonical columns of each group, in printed order.
pub const RESULTS: &[&str] = &["upheld", "corrected", "other", "pending", "total"];

const CELLS: &[PrintedCell] = &[
    cell("review", "upheld"),
    cell("review", "corrected"),
    cell("review", "other"),
    cell("review", "pending"),
    cell("review", "total"),
    cell("suit_direct", "upheld"),
    cell("suit_direct", "corrected"),
    cell("suit_direct", "other"),
    cell("suit_direct", "pending"),
    cell("suit_direct", "total"),
    cell("suit_after_review", "upheld"),
    cell("suit_after_review", "corrected"),
    cell("suit_after_review", "other"),
    cell("suit_after_review", "pending"),
    cell("suit_after_review", "total"),
];

pub static REVIEW: TableSpec = TableSpec {
    kind: TableKind::ReviewLitigation,
    // Both templates print the same table; it is recorded under the 2019 key.
    layout: Layout::Y2019,
    rows: &[RowSpec {
        key: "",
        labels: &[],
        ordinal: None,
        group: false,
        cells: CELLS,
    }],
    markers: &[],
    header_end: Some("总计"),
    instance_cache: OnceLock::new(),
};
