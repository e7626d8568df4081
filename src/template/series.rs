//! Series across the 2019/2021 break (harmonised), the outcome groups of table 三, and the
//! series the charts plot.

use super::*;

/// A series that means the same in both templates (harmonised across the 2019/2021 break):
/// the sum of its cells, whichever of them a layout has.
#[derive(Debug)]
pub struct Harmonised {
    pub name: &'static str,
    pub cells: &'static [(TableKind, &'static str, &'static str)],
}

/// Series that mean the same in both templates, summed where the 2021 template split a row.
pub const HARMONISED: &[Harmonised] = &[
    Harmonised {
        name: "requests_new",
        cells: &[(TableKind::Requests, "new", "total")],
    },
    Harmonised {
        name: "requests_carried_in",
        cells: &[(TableKind::Requests, "carried_in", "total")],
    },
    Harmonised {
        name: "requests_granted",
        cells: &[(TableKind::Requests, "granted", "total")],
    },
    Harmonised {
        name: "requests_partial",
        cells: &[(TableKind::Requests, "partial", "total")],
    },
    Harmonised {
        name: "requests_total",
        cells: &[(TableKind::Requests, "total", "total")],
    },
    Harmonised {
        name: "requests_carried_out",
        cells: &[(TableKind::Requests, "carried_out", "total")],
    },
    Harmonised {
        name: "requests_other_all",
        cells: &[
            (TableKind::Requests, "other", "total"),
            (TableKind::Requests, "other_no_correction", "total"),
            (TableKind::Requests, "other_no_fee", "total"),
            (TableKind::Requests, "other_misc", "total"),
        ],
    },
    Harmonised {
        name: "review_total",
        cells: &[(TableKind::ReviewLitigation, "review", "total")],
    },
    Harmonised {
        name: "review_corrected",
        cells: &[(TableKind::ReviewLitigation, "review", "corrected")],
    },
    Harmonised {
        name: "suits_total",
        cells: &[
            (TableKind::ReviewLitigation, "suit_direct", "total"),
            (TableKind::ReviewLitigation, "suit_after_review", "total"),
        ],
    },
    Harmonised {
        name: "suits_corrected",
        cells: &[
            (TableKind::ReviewLitigation, "suit_direct", "corrected"),
            (
                TableKind::ReviewLitigation,
                "suit_after_review",
                "corrected",
            ),
        ],
    },
    Harmonised {
        name: "licensing_decisions",
        cells: &[(TableKind::Disclosure, "licensing", "decisions")],
    },
    Harmonised {
        name: "penalty_decisions",
        cells: &[(TableKind::Disclosure, "penalty", "decisions")],
    },
    Harmonised {
        name: "coercion_decisions",
        cells: &[(TableKind::Disclosure, "coercion", "decisions")],
    },
];

impl Harmonised {
    /// The series called `name`. Panics on a name not in [`HARMONISED`]: names are constants
    /// of this module, checked by a test.
    pub fn named(name: &str) -> &'static Harmonised {
        HARMONISED
            .iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("no harmonised series {name}"))
    }
}

/// A band of request outcomes as evaluators read them (table 三's printed groups).
pub struct OutcomeGroup {
    pub zh: &'static str,
    pub en: &'static str,
    /// Outcome rows ([`REQUEST_RESULTS`]) in this band.
    pub rows: &'static [&'static str],
}

/// The request outcomes in the bands table 三 prints, both layouts; together they cover
/// [`REQUEST_RESULTS`] once (checked by a test).
pub const OUTCOME_GROUPS: &[OutcomeGroup] = &[
    OutcomeGroup {
        zh: "予以公开",
        en: "granted",
        rows: &["granted"],
    },
    OutcomeGroup {
        zh: "部分公开",
        en: "partial",
        rows: &["partial"],
    },
    OutcomeGroup {
        zh: "不予公开",
        en: "denied",
        rows: DENIED,
    },
    OutcomeGroup {
        zh: "无法提供",
        en: "unable",
        rows: UNABLE,
    },
    OutcomeGroup {
        zh: "不予处理",
        en: "rejected",
        rows: REJECTED,
    },
    OutcomeGroup {
        zh: "其他处理",
        en: "other",
        rows: &["other", "other_no_correction", "other_no_fee", "other_misc"],
    },
];

/// The harmonised series the report's scatter chart compares: request volume against the
/// share of review and litigation cases that ended with the body corrected.
pub const VOLUME_SERIES: &str = "requests_total";
pub const CASE_SERIES: &[&str] = &["review_total", "suits_total"];
pub const CORRECTED_SERIES: &[&str] = &["review_corrected", "suits_corrected"];
