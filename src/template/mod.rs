//! The two official report templates as data: tables, rows, printed cells, canonical keys,
//! label aliases, section keywords and the accounting identities.
//!
//! Takes nothing, hands every later stage its vocabulary. All domain words (row labels, their
//! traditional and typo variants, section keywords, cell words such as 不适用) live here and
//! nowhere else; the rest of the code asks this module. Labels are written in the normalised
//! form the `source` stage produces: simplified script, half-width ASCII punctuation.

mod disclosure;
mod identities;
pub(crate) mod interned;
mod keys;
pub(crate) mod meta;
mod requests;
mod review;
pub mod rules;
mod series;
pub(crate) mod summary;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

pub use disclosure::{DISCLOSURE_2019, DISCLOSURE_2021};
pub(crate) use identities::carry;
pub use identities::{Axis, IDENTITIES, Identity, Instance, identities};
pub use keys::{
    CARRIED_IN, CARRIED_OUT, CORRECTED, Key, NEW, OTHER, PENDING, TOTAL, UPHELD, all_keys,
    key_index, parse_key, table_keys,
};
pub use requests::{DENIED, OTHER_2021, REJECTED, REQUEST_RESULTS, UNABLE};
pub use requests::{REQUESTS_2019, REQUESTS_2021};
pub use review::{GROUPS as REVIEW_GROUPS, RESULTS as REVIEW_RESULTS, REVIEW};
pub use series::{
    CASE_SERIES, CORRECTED_SERIES, HARMONISED, Harmonised, OUTCOME_GROUPS, OutcomeGroup,
    VOLUME_SERIES,
};

/// A `&'static str` field of a cached type. The alias only hides the reference from serde's
/// derive, which would otherwise tie every deserializer to `'static` input; such fields are
/// read back through `interned::one`.
pub type Static = &'static str;

/// Table 三's column keys, in printed order (the six applicant columns, then `total`).
pub fn request_columns() -> impl Iterator<Item = &'static str> {
    requests::COLS.iter().map(|c| c.col)
}

/// The three standard tables of a report.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum TableKind {
    /// Table 二, 主动公开政府信息情况.
    Disclosure,
    /// Table 三, 收到和处理政府信息公开申请情况.
    Requests,
    /// Table 四, 政府信息公开行政复议、行政诉讼情况.
    ReviewLitigation,
}

impl TableKind {
    pub const ALL: [TableKind; 3] = [
        TableKind::Disclosure,
        TableKind::Requests,
        TableKind::ReviewLitigation,
    ];

    /// The stable key used in frames (`cells.table`).
    pub fn key(self) -> &'static str {
        match self {
            TableKind::Disclosure => "disclosure",
            TableKind::Requests => "requests",
            TableKind::ReviewLitigation => "review_litigation",
        }
    }

    /// The table's printed title, shortened.
    pub fn zh(self) -> &'static str {
        match self {
            TableKind::Disclosure => "二、主动公开政府信息情况",
            TableKind::Requests => "三、收到和处理政府信息公开申请情况",
            TableKind::ReviewLitigation => "四、政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The report section (二, 三, 四) that holds this table.
    pub fn section(self) -> Section {
        match self {
            TableKind::Disclosure => Section::Two,
            TableKind::Requests => Section::Three,
            TableKind::ReviewLitigation => Section::Four,
        }
    }

    /// The table specifications a report may print for this table.
    pub fn specs(self) -> &'static [&'static TableSpec] {
        static DISCLOSURE: [&TableSpec; 2] = [&DISCLOSURE_2019, &DISCLOSURE_2021];
        static REQUESTS: [&TableSpec; 2] = [&REQUESTS_2019, &REQUESTS_2021];
        static REVIEWS: [&TableSpec; 1] = [&REVIEW];
        match self {
            TableKind::Disclosure => &DISCLOSURE,
            TableKind::Requests => &REQUESTS,
            TableKind::ReviewLitigation => &REVIEWS,
        }
    }

    /// Chinese name, for people.
    pub fn name_zh(self) -> &'static str {
        match self {
            TableKind::Disclosure => "主动公开政府信息情况",
            TableKind::Requests => "收到和处理政府信息公开申请情况",
            TableKind::ReviewLitigation => "行政复议、行政诉讼情况",
        }
    }
}

/// Which official template a table's printed layout follows.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Layout {
    /// 国办公开办函〔2019〕60号, prescribed for report years 2019–2020.
    Y2019,
    /// 国办公开办函〔2021〕30号, from report year 2021.
    Y2021,
}

impl Layout {
    pub fn key(self) -> &'static str {
        match self {
            Layout::Y2019 => "2019",
            Layout::Y2021 => "2021",
        }
    }
}

/// The six sections of a report, in order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    One,
    Two,
    Three,
    Four,
    Five,
    Six,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::One,
        Section::Two,
        Section::Three,
        Section::Four,
        Section::Five,
        Section::Six,
    ];

    /// The Chinese ordinal printed before the heading (一、 … 六、).
    pub fn ordinal(self) -> char {
        match self {
            Section::One => '一',
            Section::Two => '二',
            Section::Three => '三',
            Section::Four => '四',
            Section::Five => '五',
            Section::Six => '六',
        }
    }

    /// Keywords of which one must follow the ordinal closely. Real headings vary
    /// (四、因政府信息公开工作被申请行政复议…, typos such as 行政法复议), so headings are matched
    /// on ordinal plus keyword, never on exact text.
    pub fn keywords(self) -> &'static [&'static str] {
        match self {
            Section::One => &["总体情况", "概述", "基本情况"],
            Section::Two => &["主动公开"],
            Section::Three => &["收到和处理", "依申请", "申请情况", "收到"],
            Section::Four => &["复议", "诉讼"],
            Section::Five => &["问题", "改进"],
            Section::Six => &["其他需要报告", "其他需报告", "其他事项"],
        }
    }
}

/// How many characters after a section ordinal its keyword may start.
pub const SECTION_KEYWORD_WINDOW: usize = 14;

/// The kind of value a printed cell holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum CellKind {
    /// A count: a non-negative integer.
    Count,
    /// Money in 万元 (converted from 元 when the cell says 元).
    Money,
    /// One printed cell holding two counts written `增/减` (`12/0`, `12/`, a bare `0`); the
    /// printed cell's `col` takes the first number, this the second.
    Pair(#[serde(deserialize_with = "crate::template::interned::one")] Static),
}

/// One printed cell of a row, and the canonical cell (or two, for a pair) it fills.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct PrintedCell {
    /// Canonical row key; `None` means the printed row's own key.
    pub row: Option<&'static str>,
    /// Canonical column key.
    pub col: &'static str,
    pub kind: CellKind,
}

impl PrintedCell {
    /// The canonical (row, col) keys this printed cell fills.
    pub fn targets(&self, row_key: &'static str) -> Targets {
        let row = self.row.unwrap_or(row_key);
        match self.kind {
            CellKind::Pair(second) => Targets::two((row, self.col), (row, second)),
            _ => Targets::one((row, self.col)),
        }
    }
}

/// The one or two canonical cells a printed cell fills.
pub type Targets = crate::two::UpToTwo<(&'static str, &'static str)>;

/// One printed row of a table.
#[derive(Debug)]
pub struct RowSpec {
    /// Canonical row key (`cells.row`), or empty for a row printed without a label (table 四).
    pub key: &'static str,
    /// Phrases that identify the row's label, each as it starts after the ordinal: the
    /// canonical simplified label first, then variants (typos, half-converted forms). A label
    /// broken over lines is still found when one phrase survives whole.
    pub labels: &'static [&'static str],
    /// The Arabic ordinal printed before the label (`2.其他法律…`), which crawlers glue onto
    /// the previous row's digits.
    pub ordinal: Option<u8>,
    /// A group heading (（三）不予公开): the template prints no numbers there; a report that
    /// does prints a subtotal, kept under `key`.
    pub group: bool,
    pub cells: &'static [PrintedCell],
}

/// A table as one template prints it.
#[derive(Debug)]
pub struct TableSpec {
    pub kind: TableKind,
    pub layout: Layout,
    pub rows: &'static [RowSpec],
    /// Header phrases only this layout prints; the layout of a found table is the spec with
    /// the most markers present.
    pub markers: &'static [&'static str],
    /// For a table whose data row has no label: the last header phrase before the numbers.
    pub header_end: Option<&'static str>,
    /// Every identity instance over this layout's cells, computed once.
    pub instance_cache: OnceLock<Vec<Instance>>,
}

impl TableSpec {
    /// The instances of every identity of this table over this layout's cells.
    pub fn instances(&'static self) -> &'static [Instance] {
        self.instance_cache.get_or_init(|| {
            identities(self.kind)
                .flat_map(|i| i.instances_over(self))
                .collect()
        })
    }

    /// Every canonical (row, col) this layout can fill, in printed order.
    pub fn targets(&self) -> Vec<(&'static str, &'static str)> {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().flat_map(move |c| c.targets(r.key)))
            .collect()
    }

    /// The kind of value a canonical cell holds.
    pub fn kind_of(&self, row: &str, col: &str) -> Option<CellKind> {
        self.rows.iter().find_map(|r| {
            r.cells.iter().find_map(|c| {
                let targets = c.targets(r.key);
                targets
                    .iter()
                    .any(|&(tr, tc)| tr == row && tc == col)
                    .then_some(match c.kind {
                        CellKind::Pair(_) => CellKind::Count,
                        k => k,
                    })
            })
        })
    }
}

/// Words a cell may hold instead of a number, all meaning "not applicable" (DESIGN §1.3).
pub const NOT_APPLICABLE_WORDS: &[&str] = &["不适用", "无", "/", "-", "--", "—", "——", "–", "空"];

/// Why a glued digit run was left unsplit (finding G2 says so).
pub(crate) const TOO_MANY_CUTS: &str = "too many ways to cut it";
pub(crate) const NO_CUT_FITS: &str = "no reading fits the row's cells";
/// The words every `&'static str` of a cached report is one of, besides the keys, rule ids
/// and claims (read back by [`interned`]): those two reasons, and the encoding of workbooks.
pub(crate) const OTHER_WORDS: &[&str] = &[TOO_MANY_CUTS, NO_CUT_FITS, "binary"];

/// Units that may follow a number in a cell, with the power of ten that converts the number
/// to the cell's unit (万元 for money, ones for counts).
pub const MONEY_UNITS: &[(&str, i32)] = &[("万元", 0), ("万", 0), ("元", -4)];
pub const COUNT_UNITS: &[&str] = &["件", "个", "条"];

/// The unit a cell of this kind is recorded in (万元 for money, 件 for counts).
pub fn unit_of(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Money => MONEY_UNITS[0].0,
        _ => COUNT_UNITS[0],
    }
}

/// The first report year of the 2021 template (the break charts mark).
pub const TEMPLATE_2021_FIRST_YEAR: i32 = 2021;

/// The label a table prints for row `key` in `layout` (its canonical label), if it has one.
pub fn row_label(kind: TableKind, layout: Layout, key: &str) -> Option<&'static str> {
    kind.specs()
        .iter()
        .filter(|s| s.layout == layout)
        .flat_map(|s| s.rows.iter())
        .find(|r| r.key == key)
        .and_then(|r| r.labels.first().copied())
}

/// Column keys as the templates print them, for people reading cells (the report's tables).
pub const COLUMN_LABELS: &[(&str, &str)] = &[
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("social", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("org_other", "其他组织"),
    ("total", "总计"),
    ("made", "新制作数量"),
    ("published", "新公开数量"),
    ("total_public", "对外公开总数量"),
    ("prev_items", "上一年项目数量"),
    ("added", "本年增"),
    ("removed", "本年减"),
    ("decisions", "处理决定数量"),
    ("projects", "采购项目数量"),
    ("amount_wan", "金额（万元）"),
    ("issued", "本年制发件数"),
    ("repealed", "本年废止件数"),
    ("in_force", "现行有效件数"),
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
];

/// Header phrases printed above a table's columns: the disclosure items' corner cell, the
/// request table's applicant heading and the one over the five 法人 columns, and table 四's
/// heading over its two suit groups. Extraction needs none of them; printing does.
pub const ITEM_HEADING: &str = "信息内容";
pub const APPLICANT_HEADING: &str = "申请人情况";
pub const ORGANISATIONS_HEADING: &str = "法人或其他组织";
pub const SUITS_HEADING: &str = "行政诉讼";

/// Table 四's groups as printed.
pub const REVIEW_GROUP_LABELS: &[(&str, &str)] = &[
    ("review", "行政复议"),
    ("suit_direct", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
];

/// Every phrase the templates print or look for: row labels and their variants, layout
/// markers, column labels, headings and section keywords. A report's own words: reading its
/// bytes in an encoding, `source::decode` counts them to tell the right one from a wrong one.
pub fn phrases() -> impl Iterator<Item = &'static str> {
    let specs = TableKind::ALL.into_iter().flat_map(|k| k.specs().iter());
    specs
        .flat_map(|s| {
            let labels = s.rows.iter().flat_map(|r| r.labels.iter().copied());
            labels.chain(s.markers.iter().copied())
        })
        .chain(COLUMN_LABELS.iter().map(|&(_, l)| l))
        .chain(REVIEW_GROUP_LABELS.iter().map(|&(_, l)| l))
        .chain([
            ITEM_HEADING,
            APPLICANT_HEADING,
            ORGANISATIONS_HEADING,
            SUITS_HEADING,
        ])
        .chain(
            Section::ALL
                .into_iter()
                .flat_map(|s| s.keywords().iter().copied()),
        )
}

/// The characters the extractor's searches of a report start with: the first characters of
/// [`phrases`], of the layouts' header ends and of the statistics period's markers, and the
/// section ordinals. The stream indexes where these stand before anything else (a search
/// starting with another character is still answered, by an index of every character).
pub fn search_starts() -> impl Iterator<Item = char> {
    let header_ends = (TableKind::ALL.into_iter())
        .flat_map(|k| k.specs().iter())
        .filter_map(|s| s.header_end);
    (phrases().chain(header_ends))
        .chain(meta::PERIOD_MARKERS.iter().copied())
        .filter_map(|p| p.chars().next())
        .chain(Section::ALL.into_iter().map(Section::ordinal))
}

/// The printed label of a column key (the key itself if it has none).
pub fn col_label(col: &str) -> &str {
    COLUMN_LABELS
        .iter()
        .find(|(k, _)| *k == col)
        .map_or(col, |(_, l)| l)
}

/// The printed label of a cell's row in `layout` (table 四's groups included), else the key.
pub fn cell_row_label(kind: TableKind, layout: Layout, row: &str) -> &str {
    row_label(kind, layout, row)
        .or_else(|| {
            REVIEW_GROUP_LABELS
                .iter()
                .find(|(k, _)| *k == row)
                .map(|(_, l)| *l)
        })
        .unwrap_or(row)
}
