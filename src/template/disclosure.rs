//! Table 二 (proactive disclosure). The two templates differ in columns, and only the 2019
//! template has 政府集中采购: keep the two as separate series.

use std::sync::OnceLock;

use super::{CellKind, Layout, PrintedCell, RowSpec, TableKind, TableSpec};

const fn count(col: &'static str) -> PrintedCell {
    PrintedCell {
        row: None,
        col,
        kind: CellKind::Count,
    }
}

const fn money(col: &'static str) -> PrintedCell {
    PrintedCell {
        row: None,
        col,
        kind: CellKind::Money,
    }
}

/// 本年增/减: one printed cell, two counts.
const ADDED_REMOVED: PrintedCell = PrintedCell {
    row: None,
    col: "added",
    kind: CellKind::Pair("removed"),
};

const fn row(
    key: &'static str,
    labels: &'static [&'static str],
    cells: &'static [PrintedCell],
) -> RowSpec {
    RowSpec {
        key,
        labels,
        ordinal: None,
        group: false,
        cells,
    }
}

const DOCS_2019: &[PrintedCell] = &[count("made"), count("published"), count("total_public")];
const ITEMS_2019: &[PrintedCell] = &[count("prev_items"), ADDED_REMOVED, count("decisions")];

pub static DISCLOSURE_2019: TableSpec = TableSpec {
    kind: TableKind::Disclosure,
    layout: Layout::Y2019,
    rows: &[
        row("regulations", &["规章"], DOCS_2019),
        row("normative_docs", &["规范性文件"], DOCS_2019),
        row("licensing", &["行政许可"], ITEMS_2019),
        row(
            "other_services",
            &["其他对外管理服务事项", "其他对外管理服务"],
            ITEMS_2019,
        ),
        row("penalty", &["行政处罚"], ITEMS_2019),
        row("coercion", &["行政强制"], ITEMS_2019),
        row(
            "fees",
            &["行政事业性收费"],
            &[count("prev_items"), ADDED_REMOVED],
        ),
        row(
            "procurement",
            &["政府集中采购"],
            &[count("projects"), money("amount_wan")],
        ),
    ],
    markers: &[
        "新制作数量",
        "新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "政府集中采购",
    ],
    header_end: None,
    instance_cache: OnceLock::new(),
};

const DOCS_2021: &[PrintedCell] = &[count("issued"), count("repealed"), count("in_force")];
const DECISIONS_2021: &[PrintedCell] = &[count("decisions")];

pub static DISCLOSURE_2021: TableSpec = TableSpec {
    kind: TableKind::Disclosure,
    layout: Layout::Y2021,
    rows: &[
        row("regulations", &["规章"], DOCS_2021),
        row(
            "normative_docs",
            &["行政规范性文件", "规范性文件"],
            DOCS_2021,
        ),
        row("licensing", &["行政许可"], DECISIONS_2021),
        row("penalty", &["行政处罚"], DECISIONS_2021),
        row("coercion", &["行政强制"], DECISIONS_2021),
        row("fees", &["行政事业性收费"], &[money("amount_wan")]),
    ],
    markers: &[
        "制发件数",
        "废止件数",
        "现行有效件数",
        "本年收费金额",
        "收费金额",
    ],
    header_end: None,
    instance_cache: OnceLock::new(),
};
