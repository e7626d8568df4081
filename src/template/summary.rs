//! Summary sheets: one row per issuer, one column per cell, headers written by people. The
//! words that name the identifying columns and the column synonyms people use; cell columns
//! are otherwise matched by the templates' own row labels and [`super::COLUMN_LABELS`].

/// Headers of the column naming the issuer.
pub(crate) const ISSUER_HEADERS: &[&str] = &[
    "单位名称",
    "机关名称",
    "发布机关",
    "填报单位",
    "部门名称",
    "行政机关",
    "单位",
    "issuer",
];

/// Headers of the column giving the report year (`2024年`, `2024`).
pub(crate) const YEAR_HEADERS: &[&str] = &["报告年度", "年度", "年份", "year"];

/// Headers of a column giving the GB/T 2260 code.
pub(crate) const REGION_HEADERS: &[&str] = &["行政区划代码", "区划代码", "地区代码", "region_code"];

/// Issuer cells of rows that sum the others (a province's total), not an issuer's report.
pub(crate) const TOTAL_ROWS: &[&str] = &["合计", "总计", "小计", "汇总", "全省合计", "全市合计"];

/// How a notes row below a summary table begins (`注：1.本表…`).
pub(crate) const NOTE_PREFIXES: &[&str] = &["注", "备注", "说明", "填表说明", "数据来源"];

/// Between two years of a title that spans several (`2022—2024年度`): the title's year is
/// then no row's year.
pub(crate) const YEAR_RANGE_MARKS: &[char] = &['—', '-', '–', '~', '～', '至', '到', '－'];

/// Columns that carry no cell and are not worth a finding (row numbers, remarks).
pub(crate) const IGNORED_HEADERS: &[&str] = &["序号", "备注", "说明", "no"];

/// Words people write for a column, beyond the templates' printed column labels: (column
/// key, synonyms). Longer synonyms win when several match a header.
pub(crate) const COLUMN_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "decisions",
        &["处理决定数量", "处理决定数", "决定数量", "决定数", "决定"],
    ),
    ("made", &["新制作数量", "新制作"]),
    ("published", &["新公开数量", "新公开"]),
    ("total_public", &["对外公开总数量", "对外公开总数"]),
    ("prev_items", &["上一年项目数量", "上年项目数"]),
    ("added", &["本年增加", "本年增"]),
    ("removed", &["本年减少", "本年减"]),
    ("projects", &["采购项目数量", "项目数"]),
    ("amount_wan", &["采购总金额", "收费金额", "金额"]),
    ("issued", &["本年制发件数", "制发件数", "制发"]),
    ("repealed", &["本年废止件数", "废止件数", "废止"]),
    ("in_force", &["现行有效件数", "现行有效"]),
    ("natural", &["自然人"]),
    ("business", &["商业企业"]),
    ("research", &["科研机构"]),
    ("social", &["社会公益组织"]),
    ("legal", &["法律服务机构"]),
    ("org_other", &["其他法人", "其他组织", "其他"]),
    ("upheld", &["结果维持", "维持"]),
    ("corrected", &["结果纠正", "纠正"]),
    ("other", &["其他结果", "其他"]),
    ("pending", &["尚未审结", "未审结"]),
    ("total", &["总计", "合计"]),
];

/// Units people append to headers, removed before matching.
pub(crate) const HEADER_UNITS: &[&str] = &[
    "(件)", "(个)", "(项)", "(万元)", "(元)", "(次)", "件", "万元",
];

/// Short row names people write in headers, beyond the templates' labels: (table key, row
/// key, words). A longer word (a template label) still wins over these.
pub(crate) const ROW_SYNONYMS: &[(&str, &str, &[&str])] = &[
    ("disclosure", "licensing", &["许可"]),
    ("disclosure", "penalty", &["处罚"]),
    ("disclosure", "coercion", &["强制"]),
    ("disclosure", "fees", &["收费"]),
    ("disclosure", "procurement", &["采购"]),
    ("requests", "new", &["新收申请", "新收"]),
    ("requests", "carried_in", &["上年结转"]),
    ("requests", "carried_out", &["结转下年", "转下年"]),
    ("review_litigation", "review", &["复议"]),
    ("review_litigation", "suit_direct", &["直接起诉"]),
    ("review_litigation", "suit_after_review", &["复议后起诉"]),
];
