//! Table 三 (requests): the same seven applicant columns in both templates; the 2021 template
//! splits （六）其他处理 into three rows.

use std::sync::OnceLock;

use super::{CellKind, Layout, PrintedCell, RowSpec, TableKind, TableSpec};

const fn count(col: &'static str) -> PrintedCell {
    PrintedCell {
        row: None,
        col,
        kind: CellKind::Count,
    }
}

/// 自然人, then 法人或其他组织 (商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他), then 总计.
/// The template prints no 法人 subtotal column.
pub(super) const COLS: &[PrintedCell] = &[
    count("natural"),
    count("business"),
    count("research"),
    count("social"),
    count("legal"),
    count("org_other"),
    count("total"),
];

pub const DENIED: &[&str] = &[
    "denied_state_secret",
    "denied_law",
    "denied_security",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement_file",
    "denied_query",
];
pub const UNABLE: &[&str] = &["unable_not_held", "unable_needs_creation", "unable_unclear"];
pub const REJECTED: &[&str] = &[
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirm",
];
pub const OTHER_2021: &[&str] = &["other_no_correction", "other_no_fee", "other_misc"];

/// The outcome rows that add up to `total` (I2), over both layouts; a layout lacks some.
pub const REQUEST_RESULTS: &[&str] = &[
    "granted",
    "partial",
    "denied_state_secret",
    "denied_law",
    "denied_security",
    "denied_third_party",
    "denied_internal",
    "denied_process",
    "denied_enforcement_file",
    "denied_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirm",
    "other",
    "other_no_correction",
    "other_no_fee",
    "other_misc",
];

const fn row(key: &'static str, labels: &'static [&'static str], ordinal: Option<u8>) -> RowSpec {
    RowSpec {
        key,
        labels,
        ordinal,
        group: false,
        cells: COLS,
    }
}

const fn group(key: &'static str, labels: &'static [&'static str]) -> RowSpec {
    RowSpec {
        key,
        labels,
        ordinal: None,
        group: true,
        cells: COLS,
    }
}

macro_rules! request_rows {
    ($($other:expr),* $(,)?) => {
        &[
            row("new", &["本年新收政府信息公开申请数量", "本年新收"], None),
            row("carried_in", &["上年结转政府信息公开申请数量", "上年结转"], None),
            row("granted", &["予以公开"], None),
            row("partial", &["部分公开"], None),
            group("denied_subtotal", &["不予公开"]),
            row("denied_state_secret", &["属于国家秘密", "国家秘密"], Some(1)),
            row(
                "denied_law",
                &[
                    "其他法律行政法规禁止公开",
                    "其他法律和行政法规禁止公开",
                    "其他法律行政止公开",
                    "其他法律法规禁止公开",
                    "其他法律",
                ],
                Some(2),
            ),
            row("denied_security", &["危及"], Some(3)),
            row("denied_third_party", &["保护第三方合法权益", "保护第三方"], Some(4)),
            row("denied_internal", &["属于三类内部事务信息", "三类内部事务"], Some(5)),
            row("denied_process", &["属于四类过程性信息", "四类过程性"], Some(6)),
            row(
                "denied_enforcement_file",
                // 案件 for 案卷 is a real typo (平潭 2025).
                &["属于行政执法案卷", "行政执法案卷", "属于行政执法案件", "行政执法案件"],
                Some(7),
            ),
            row("denied_query", &["属于行政查询事项", "行政查询事项"], Some(8)),
            group("unable_subtotal", &["无法提供"]),
            row("unable_not_held", &["本机关不掌握相关政府信息", "本机关不掌握"], Some(1)),
            row("unable_needs_creation", &["没有现成信息需要另行制作", "没有现成信息"], Some(2)),
            row("unable_unclear", &["补正后申请内容仍不明确", "补正后"], Some(3)),
            group("rejected_subtotal", &["不予处理"]),
            row("rejected_petition", &["信访举报投诉类申请", "信访举报投诉"], Some(1)),
            row("rejected_duplicate", &["重复申请"], Some(2)),
            row("rejected_publication", &["要求提供公开出版物", "公开出版物"], Some(3)),
            row("rejected_excessive", &["无正当理由大量反复申请", "大量反复申请"], Some(4)),
            row("rejected_confirm", &["要求行政机关确认或重新出具已获取信息", "要求行政机关确认"], Some(5)),
            $($other,)*
            row("total", &["总计"], None),
            row("carried_out", &["结转下年度继续办理", "结转下年度"], None),
        ]
    };
}

pub static REQUESTS_2019: TableSpec = TableSpec {
    kind: TableKind::Requests,
    layout: Layout::Y2019,
    rows: request_rows![row("other", &["其他处理"], None)],
    markers: &[],
    header_end: None,
    instance_cache: OnceLock::new(),
};

pub static REQUESTS_2021: TableSpec = TableSpec {
    kind: TableKind::Requests,
    layout: Layout::Y2021,
    rows: request_rows![
        group("other_subtotal", &["其他处理"]),
        row(
            "other_no_correction",
            &["申请人无正当理由逾期不补正", "逾期不补正"],
            Some(1)
        ),
        row(
            "other_no_fee",
            &[
                "申请人逾期未按收费通知要求缴纳费用",
                "逾期未按收费通知",
                "逾期未按收费"
            ],
            Some(2)
        ),
        row("other_misc", &["其他"], Some(3)),
    ],
    // Only the 2021 layout prints the three 其他处理 rows; the 2019 layout has no marker of
    // its own, so it wins when none of these is found.
    markers: &["逾期不补正", "逾期未按收费"],
    header_end: None,
    instance_cache: OnceLock::new(),
};
