//! Vocabulary for who, where and when: title and period phrases, government and department
//! words, scope words, and the narrative claims checked against the tables.

use super::TableKind;

/// A report's title ends with one of these (2019年度政府信息公开工作年度报告).
pub(crate) const TITLE_MARKERS: &[&str] = &[
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政务公开工作年度报告",
    "信息公开工作年度报告",
];

/// What follows a year in titles and file names (2019年度, 2019年), longest first.
pub(crate) const YEAR_SUFFIXES: &[&str] = &["年度", "年"];

/// Title words in file names, removed before reading an issuer from the name.
pub(crate) const FILE_NAME_NOISE: &[&str] =
    &["政府信息公开工作年度报告", "政府信息公开", "年度报告"];

/// The statistics-period sentence (统计期限自2021年1月1日起至12月31日止).
pub(crate) const PERIOD_MARKERS: &[&str] = &["统计期限", "统计时限", "统计期间", "统计时段"];

/// The characters of a signature's date (`2020年2月12日`): after the year, the month, the day.
pub(crate) const DATE_MARKS: [char; 3] = ['年', '月', '日'];

/// Crawled pages name the publisher in a header line (来源:平潭县人民政府).
pub(crate) const SOURCE_MARKERS: &[&str] = &["来源:", "发布机构:", "信息来源:", "发文机关:"];

/// What follows a region name when the government itself reports.
pub(crate) const GOVERNMENT_WORDS: &[&str] = &["人民政府", "政府", "管委会", "管理委员会"];

/// Endings of division names, longest first; a name without one is a short name (大余).
pub(crate) const REGION_SUFFIXES: &[&str] = &[
    "自治县",
    "自治旗",
    "自治州",
    "自治区",
    "特区",
    "林区",
    "县",
    "市",
    "区",
    "旗",
    "盟",
    "州",
    "省",
];

/// Words that say a narrative figure covers only the reporting office (县政府办共收到…).
pub(crate) const SCOPE_OFFICE: &[&str] = &[
    "政府办",
    "办公室",
    "办公厅",
    "本机关",
    "本单位",
    "本部门",
    "本级",
];
/// Words that say a narrative figure covers the whole region (全县共受理…).
pub(crate) const SCOPE_REGION: &[&str] = &[
    "全县", "全市", "全区", "全省", "全州", "全旗", "各级", "全域",
];

/// Units after a count in a sentence (3119件, 4起).
pub(crate) const SENTENCE_COUNT_UNITS: &[&str] = &["件", "起", "个", "宗", "次"];

/// Measures that start like a count unit but are not counts (平均答复时间12个工作日).
pub(crate) const NOT_COUNTS: &[&str] = &["个工作日", "个月", "个小时", "个百分点", "次/"];

/// A figure a narrative states, and the table cells it must equal.
#[derive(Debug)]
pub(crate) struct Claim {
    pub key: &'static str,
    /// Phrases the figure follows (or precedes, when `before`).
    pub triggers: &'static [&'static str],
    /// The figure stands before the trigger (另有103件顺延到下年度).
    pub before: bool,
    /// Cells whose sum the figure states: (table, row, col).
    pub cells: &'static [(TableKind, &'static str, &'static str)],
    pub zh: &'static str,
}

pub(crate) const CLAIMS: &[Claim] = &[
    Claim {
        key: "requests_new",
        triggers: &[
            "收到政府信息公开申请",
            "受理政府信息公开申请",
            "收到信息公开申请",
            "受理信息公开申请",
            "新收政府信息公开申请",
            "收到依申请公开申请",
        ],
        before: false,
        cells: &[(TableKind::Requests, "new", "total")],
        zh: "本年新收申请",
    },
    Claim {
        key: "requests_done",
        triggers: &[
            "答复政府信息公开申请",
            "办结政府信息公开申请",
            "答复",
            "办结",
        ],
        before: false,
        cells: &[(TableKind::Requests, "total", "total")],
        zh: "办理结果总计",
    },
    Claim {
        key: "carried_in",
        triggers: &["上年度结转申请", "上年结转申请", "上年度结转", "上年结转"],
        before: false,
        cells: &[(TableKind::Requests, "carried_in", "total")],
        zh: "上年结转",
    },
    Claim {
        key: "carried_out",
        triggers: &[
            "顺延到下年度",
            "顺延至下年度",
            "结转到下年度",
            "结转至下年度",
        ],
        before: true,
        cells: &[(TableKind::Requests, "carried_out", "total")],
        zh: "结转下年度",
    },
    Claim {
        key: "review_total",
        triggers: &["行政复议"],
        before: false,
        cells: &[(TableKind::ReviewLitigation, "review", "total")],
        zh: "行政复议总计",
    },
    Claim {
        key: "suit_total",
        triggers: &["行政诉讼", "诉讼"],
        before: false,
        cells: &[
            (TableKind::ReviewLitigation, "suit_direct", "total"),
            (TableKind::ReviewLitigation, "suit_after_review", "total"),
        ],
        zh: "行政诉讼总计",
    },
];

/// Result words that follow a 复议/诉讼 figure in the same sentence (其中结果维持72件…),
/// with the table column they state.
pub(crate) const RESULT_WORDS: &[(&str, &str)] = &[
    ("结果维持", "upheld"),
    ("结果纠正", "corrected"),
    ("其他结果", "other"),
    ("尚未审结", "pending"),
];

/// "All upheld" (均获维持): then nothing may be corrected, other or pending.
pub(crate) const ALL_UPHELD: &[&str] = &[
    "均获维持",
    "全部维持",
    "均被维持",
    "均予维持",
    "全部获得维持",
];

/// The 信息处理费 sentence of section 六 (收取信息处理费3940元; 无收取信息处理费情况).
pub(crate) const FEE_MARKER: &str = "信息处理费";
pub(crate) const FEE_NONE: &[&str] = &["无收取", "未收取", "没有收取", "不收取", "未产生", "无"];
