//! The scoring model: a versioned TOML file (default `data/scoring.toml`, embedded) of
//! indicators as formulas over canonical keys, with direction, weight, normalisation and
//! missing-value rule; aggregation; peer groups; the minimum sample; the tie rule; and the
//! weight perturbation for rank intervals. A wrong model file is an error naming the line.

use std::fmt;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::formula::{self, Expr};

/// The model shipped in `data/scoring.toml`.
pub const DEFAULT_MODEL: &str = include_str!("../../data/scoring.toml");

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalise {
    /// (x − min) / (max − min) within the peer group and year.
    Minmax,
    /// (x − mean) / sd, within the peer group and year.
    Zscore,
    /// Percentile rank in (0, 1], ties averaged.
    Rank,
    /// (x − lo) / (hi − lo), clamped to [0, 1]: fixed goalposts, comparable across years.
    Goalposts,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// The indicator is left out of the issuer's score (weights renormalised).
    Skip,
    /// Counted as the worst normalised value (0).
    Worst,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregation {
    Arithmetic,
    Geometric,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tie {
    /// 1, 2, 2, 4 (SQL `RANK()`).
    Competition,
    /// 1, 2, 2, 3 (SQL `DENSE_RANK()`).
    Dense,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    All,
    Province,
    City,
    Level,
}

impl Group {
    pub fn key(self) -> &'static str {
        match self {
            Group::All => "all",
            Group::Province => "province",
            Group::City => "city",
            Group::Level => "level",
        }
    }
}

/// What every peer set is split by, besides its group: nothing ranks a department against a
/// government, or a county against a province.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// `government` or `department` (the reports frame's `body`).
    Body,
    /// `province`, `prefecture`, `county`, … (the reports frame's `level`).
    Level,
}

impl Split {
    pub fn key(self) -> &'static str {
        match self {
            Split::Body => "body",
            Split::Level => "level",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    key: Spanned<String>,
    zh: String,
    en: String,
    formula: Spanned<String>,
    denominator: String,
    direction: Direction,
    weight: Spanned<f64>,
    normalise: Normalise,
    #[serde(default)]
    goalposts: Option<[f64; 2]>,
    #[serde(default = "default_missing")]
    missing: Missing,
    /// A rate: issuers below the minimum sample get no value.
    #[serde(default)]
    rate: bool,
    /// Comparable across the 2019/2021 template break.
    #[serde(default = "yes")]
    comparable: bool,
}

fn default_missing() -> Missing {
    Missing::Skip
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    version: String,
    name: String,
    aggregation: Aggregation,
    groups: Vec<Group>,
    min_requests: u32,
    #[serde(default = "default_tie")]
    tie: Tie,
    #[serde(default = "default_split")]
    split: Vec<Split>,
    #[serde(default = "default_coverage")]
    coverage: Spanned<f64>,
    #[serde(default)]
    derived_totals: bool,
    perturbation: Perturbation,
    indicator: Vec<RawIndicator>,
}

fn default_split() -> Vec<Split> {
    vec![Split::Body, Split::Level]
}

fn default_coverage() -> Spanned<f64> {
    Spanned::new(0..0, 0.6)
}

fn default_tie() -> Tie {
    Tie::Competition
}

/// Monte-Carlo weight perturbation: each weight times U(1 − spread, 1 + spread).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Perturbation {
    pub draws: u32,
    pub spread: f64,
    pub seed: u64,
}

#[derive(Clone, Debug)]
pub struct Indicator {
    pub key: String,
    pub zh: String,
    pub en: String,
    pub formula: Expr,
    pub formula_text: String,
    pub denominator: String,
    pub direction: Direction,
    pub weight: f64,
    pub normalise: Normalise,
    pub goalposts: Option<[f64; 2]>,
    pub missing: Missing,
    pub rate: bool,
    pub comparable: bool,
}

impl Indicator {
    /// Weight 0: shown beside the score, never in it.
    pub fn is_context(&self) -> bool {
        self.weight == 0.0
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    pub version: String,
    pub name: String,
    pub aggregation: Aggregation,
    pub groups: Vec<Group>,
    pub min_requests: u32,
    pub tie: Tie,
    /// Every peer set is split by these (default body and level).
    pub split: Vec<Split>,
    /// The share of the scored weight an issuer's present indicators must carry to be ranked
    /// (default 0.6); below it the status is `insufficient_data`.
    pub coverage: f64,
    /// A requests row whose 总计 is printed blank while every applicant cell is read takes
    /// the applicant cells' sum as its total (marked derived in `scores`).
    pub derived_totals: bool,
    pub perturbation: Perturbation,
    pub indicators: Vec<Indicator>,
    /// First 16 hex digits of the model file's SHA-256: printed on every output.
    pub hash: String,
}

#[derive(Debug)]
pub struct ModelError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ModelError {}

fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())].matches('\n').count() + 1
}

impl Model {
    /// Parses and checks a model file.
    pub fn parse(src: &str) -> Result<Model, ModelError> {
        let raw: RawModel = toml::from_str(src).map_err(|e| ModelError {
            line: e.span().map_or(1, |s| line_of(src, s.start)),
            message: e.message().to_owned(),
        })?;
        let mut indicators = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for ri in raw.indicator {
            let key_line = line_of(src, ri.key.span().start);
            let key = ri.key.into_inner();
            if seen.contains(&key) {
                return Err(ModelError {
                    line: key_line,
                    message: format!("indicator `{key}` is defined twice"),
                });
            }
            seen.push(key.clone());
            let formula_line = line_of(src, ri.formula.span().start);
            let formula_text = ri.formula.into_inner();
            let formula = formula::parse(&formula_text).map_err(|e| ModelError {
                line: formula_line,
                message: format!("indicator `{key}`: formula {e}"),
            })?;
            let weight_line = line_of(src, ri.weight.span().start);
            let weight = ri.weight.into_inner();
            if !(weight.is_finite() && weight >= 0.0) {
                return Err(ModelError {
                    line: weight_line,
                    message: format!(
                        "indicator `{key}`: weight must be a positive number (or 0 for context), not {weight}"
                    ),
                });
            }
            if ri.normalise == Normalise::Goalposts && !ri.goalposts.is_some_and(|[lo, hi]| lo < hi)
            {
                return Err(ModelError {
                    line: key_line,
                    message: format!(
                        "indicator `{key}`: normalise = \"goalposts\" needs goalposts = [low, high] with low < high"
                    ),
                });
            }
            indicators.push(Indicator {
                key,
                zh: ri.zh,
                en: ri.en,
                formula,
                formula_text,
                denominator: ri.denominator,
                direction: ri.direction,
                weight,
                normalise: ri.normalise,
                goalposts: ri.goalposts,
                missing: ri.missing,
                rate: ri.rate,
                comparable: ri.comparable,
            });
        }
        if indicators.is_empty() {
            return Err(ModelError {
                line: 1,
                message: "the model has no [[indicator]]".into(),
            });
        }
        if !indicators.iter().any(|i| i.weight > 0.0) {
            return Err(ModelError {
                line: 1,
                message: "every indicator has weight 0: nothing would be scored".into(),
            });
        }
        let coverage_line = line_of(src, raw.coverage.span().start);
        let coverage = raw.coverage.into_inner();
        if !(0.0..=1.0).contains(&coverage) {
            return Err(ModelError {
                line: coverage_line,
                message: format!("coverage must be a share in [0, 1], not {coverage}"),
            });
        }
        if raw.groups.is_empty() {
            return Err(ModelError {
                line: 1,
                message: "groups must name at least one peer group".into(),
            });
        }
        if !(0.0..1.0).contains(&raw.perturbation.spread) {
            return Err(ModelError {
                line: 1,
                message: "perturbation.spread must be in [0, 1)".into(),
            });
        }
        let hash = crate::hex::lower(&Sha256::digest(src.as_bytes())[..8]);
        Ok(Model {
            version: raw.version,
            name: raw.name,
            aggregation: raw.aggregation,
            groups: raw.groups,
            min_requests: raw.min_requests,
            tie: raw.tie,
            split: raw.split,
            coverage,
            derived_totals: raw.derived_totals,
            perturbation: raw.perturbation,
            indicators,
            hash,
        })
    }

    /// The weight the scored indicators carry together (context indicators weigh 0): what
    /// the coverage rule takes its share of.
    pub fn scored_weight(&self) -> f64 {
        self.indicators.iter().map(|i| i.weight).sum()
    }

    pub fn default_model() -> Model {
        Model::parse(DEFAULT_MODEL).expect("the embedded default model parses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_model_parses() {
        let m = Model::default_model();
        assert!(m.indicators.len() >= 8);
        assert_eq!(m.hash.len(), 16);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = DEFAULT_MODEL.replacen(
            "(granted + partial) / total",
            "(granted + partal) / total",
            1,
        );
        let e = Model::parse(&bad).unwrap_err();
        let want = DEFAULT_MODEL
            .lines()
            .position(|l| l.contains("(granted + partial) / total"))
            .unwrap()
            + 1;
        assert_eq!(e.line, want, "{e}");
        assert!(e.message.contains("did you mean `partial`"), "{e}");
        let e = Model::parse(&DEFAULT_MODEL.replacen(
            "direction = \"higher\"",
            "direction = \"up\"",
            1,
        ))
        .unwrap_err();
        assert!(e.message.contains("unknown variant"), "{e}");
        let e = Model::parse(&DEFAULT_MODEL.replacen("weight = ", "weight = -", 1)).unwrap_err();
        assert!(e.message.contains("positive"), "{e}");
    }
}
