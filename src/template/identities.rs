//! The accounting identities (DESIGN §1.2) as data, and their instances over a layout's cells.

use super::*;

/// Which side of an identity a key list is on, and what the keys name.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Axis {
    /// The keys are row keys; the identity holds in every column.
    Rows,
    /// The keys are column keys; the identity holds in every row.
    Cols,
}

/// A linear accounting identity `sum(lhs) = sum(rhs)` (DESIGN §1.2).
#[derive(Debug)]
pub struct Identity {
    pub id: &'static str,
    pub table: TableKind,
    pub axis: Axis,
    pub lhs: &'static [&'static str],
    pub rhs: &'static [&'static str],
    pub zh: &'static str,
    pub en: &'static str,
}

/// I1–I5. I6 (non-negative integers) is a per-cell rule in `validate`.
pub const IDENTITIES: &[Identity] = &[
    Identity {
        id: "I1",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["new", "carried_in"],
        rhs: &["total", "carried_out"],
        zh: "本年新收加上年结转应等于办理结果总计加结转下年度",
        en: "new + carried_in must equal total + carried_out",
    },
    Identity {
        id: "I2",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["total"],
        rhs: REQUEST_RESULTS,
        zh: "办理结果总计应等于各项办理结果之和",
        en: "total must equal the sum of the outcome rows",
    },
    Identity {
        id: "I3",
        table: TableKind::Requests,
        axis: Axis::Cols,
        lhs: &["total"],
        rhs: &[
            "natural",
            "business",
            "research",
            "social",
            "legal",
            "org_other",
        ],
        zh: "总计列应等于六类申请人之和",
        en: "the total column must equal the sum of the six applicant columns",
    },
    Identity {
        id: "I4",
        table: TableKind::ReviewLitigation,
        axis: Axis::Cols,
        lhs: &["total"],
        rhs: &["upheld", "corrected", "other", "pending"],
        zh: "总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        en: "total must equal upheld + corrected + other + pending",
    },
    Identity {
        id: "I5",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["denied_subtotal"],
        rhs: DENIED,
        zh: "不予公开小计应等于其各项之和",
        en: "the 不予公开 subtotal must equal its rows",
    },
    Identity {
        id: "I5",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["unable_subtotal"],
        rhs: UNABLE,
        zh: "无法提供小计应等于其各项之和",
        en: "the 无法提供 subtotal must equal its rows",
    },
    Identity {
        id: "I5",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["rejected_subtotal"],
        rhs: REJECTED,
        zh: "不予处理小计应等于其各项之和",
        en: "the 不予处理 subtotal must equal its rows",
    },
    Identity {
        id: "I5",
        table: TableKind::Requests,
        axis: Axis::Rows,
        lhs: &["other_subtotal"],
        rhs: OTHER_2021,
        zh: "其他处理小计应等于其各项之和",
        en: "the 其他处理 subtotal must equal its rows",
    },
];

/// Every identity that applies to a table.
pub fn identities(table: TableKind) -> impl Iterator<Item = &'static Identity> {
    IDENTITIES.iter().filter(move |i| i.table == table)
}

/// The cells the rules across years read (`validate::across`): carry-over between years in
/// table 三, and documents in force in table 二 (2021 layout). A slim report keeps these.
pub(crate) mod carry {
    pub(crate) use crate::template::{CARRIED_IN, CARRIED_OUT, TOTAL};
    pub(crate) const IN_FORCE_ROWS: [&str; 2] = ["regulations", "normative_docs"];
    pub(crate) const IN_FORCE: &str = "in_force";
    pub(crate) const ISSUED: &str = "issued";
    pub(crate) const REPEALED: &str = "repealed";
}

/// One concrete instance of an identity: canonical cells on each side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instance {
    pub id: &'static str,
    pub lhs: Vec<(&'static str, &'static str)>,
    pub rhs: Vec<(&'static str, &'static str)>,
    /// Each cell's place in [`super::all_keys`], `lhs` then `rhs` (as [`Instance::cells`]
    /// lists them): worked out once, where the validator would look each cell up by its
    /// words in every report.
    pub places: Vec<Option<usize>>,
}

impl Identity {
    /// The identity's instances over the cells a layout has (one per column for `Rows`, one
    /// per row for `Cols`). Keys the layout lacks drop out; an instance with an empty side is
    /// no instance.
    pub fn instances_over(&'static self, spec: &TableSpec) -> Vec<Instance> {
        let targets = spec.targets();
        let has = |rc: (&'static str, &'static str)| targets.contains(&rc);
        let mut others: Vec<&'static str> = Vec::new();
        for &(r, c) in &targets {
            let other = match self.axis {
                Axis::Rows => c,
                Axis::Cols => r,
            };
            if !others.contains(&other) {
                others.push(other);
            }
        }
        others
            .into_iter()
            .filter_map(|o| {
                let side = |keys: &[&'static str]| -> Vec<(&'static str, &'static str)> {
                    keys.iter()
                        .map(|&k| match self.axis {
                            Axis::Rows => (k, o),
                            Axis::Cols => (o, k),
                        })
                        .filter(|&rc| has(rc))
                        .collect()
                };
                let (lhs, rhs) = (side(self.lhs), side(self.rhs));
                let places = lhs
                    .iter()
                    .chain(&rhs)
                    .map(|&(r, c)| super::key_index((spec.kind, r, c)))
                    .collect();
                (!lhs.is_empty() && !rhs.is_empty()).then_some(Instance {
                    id: self.id,
                    lhs,
                    rhs,
                    places,
                })
            })
            .collect()
    }
}

impl Instance {
    /// Both sides' sums, if every cell has a value.
    pub fn sums(
        &self,
        mut value: impl FnMut((&'static str, &'static str)) -> Option<i64>,
    ) -> Option<(i64, i64)> {
        let mut sum = |cells: &[(&'static str, &'static str)]| {
            cells
                .iter()
                .try_fold(0i64, |acc, &rc| Some(acc.saturating_add(value(rc)?)))
        };
        Some((sum(&self.lhs)?, sum(&self.rhs)?))
    }

    /// Every cell the instance names.
    pub fn cells(&self) -> impl Iterator<Item = &(&'static str, &'static str)> {
        self.lhs.iter().chain(self.rhs.iter())
    }
}
