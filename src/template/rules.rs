//! Rule ids other than the identities (I1–I5, in [`super::IDENTITIES`]), documented in the
//! README.

pub const NON_NEGATIVE_INTEGER: &str = "I6";
pub const TABLE_NOT_FOUND: &str = "T1";
pub const ROW_NOT_FOUND: &str = "T2";
pub const EXTRA_VALUES: &str = "T3";
pub const AMBIGUOUS: &str = "G1";
pub const UNSPLITTABLE: &str = "G2";
pub const UNPARSED: &str = "P1";
pub const FLOATING_LABELS: &str = "G3";
pub const UNKNOWN_COLUMNS: &str = "S1";
pub const NARRATIVE: &str = "N1";
pub const NARRATIVE_SCOPE: &str = "N2";
pub const ALL_UPHELD: &str = "N3";
pub const REGION_UNKNOWN: &str = "M1";
pub const YEAR_UNKNOWN: &str = "M2";
pub const YEAR_CONFLICT: &str = "M3";
pub const CARRY_OVER: &str = "X1";
pub const IN_FORCE: &str = "X2";
pub const DUPLICATE: &str = "D1";
pub const REUSE_PREVIOUS: &str = "R1";
pub const REUSE_PEER: &str = "R2";

/// The rules across reports (they need the whole batch).
pub const ACROSS: &[&str] = &[CARRY_OVER, IN_FORCE, DUPLICATE, REUSE_PREVIOUS, REUSE_PEER];

/// Every id above.
pub const ALL: &[&str] = &[
    NON_NEGATIVE_INTEGER,
    TABLE_NOT_FOUND,
    ROW_NOT_FOUND,
    EXTRA_VALUES,
    AMBIGUOUS,
    UNSPLITTABLE,
    UNPARSED,
    FLOATING_LABELS,
    UNKNOWN_COLUMNS,
    NARRATIVE,
    NARRATIVE_SCOPE,
    ALL_UPHELD,
    REGION_UNKNOWN,
    YEAR_UNKNOWN,
    YEAR_CONFLICT,
    CARRY_OVER,
    IN_FORCE,
    DUPLICATE,
    REUSE_PREVIOUS,
    REUSE_PEER,
];
