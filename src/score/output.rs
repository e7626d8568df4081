//! The scorer's frames: `rankings`, `scores`, `sensitivity` and the researchers' `panel`.
//! Rows sorted deterministically; every frame carries the model hash.

use polars::prelude::*;
use rayon::prelude::*;

use super::model::Model;
use super::rank::{Ranking, Unit};
use crate::template::HARMONISED;

#[derive(Clone)]
pub struct Outputs {
    pub rankings: DataFrame,
    pub scores: DataFrame,
    pub sensitivity: DataFrame,
    pub panel: DataFrame,
    /// With a baseline (`run --baseline DIR`): the appeal round against it.
    pub appeal: Option<super::appeal::Appeal>,
}

/// `rankings.csv` columns, in order (the first ten are the contract of the ranking issue).
/// `scores.csv` columns, in order.
const SCORES_COLUMNS: [&str; 11] = [
    "year",
    "group",
    "group_value",
    "issuer",
    "region_code",
    "indicator",
    "raw",
    "normalised",
    "weight",
    "derived",
    "model_hash",
];

pub const RANKINGS_COLUMNS: [&str; 22] = [
    "year",
    "group",
    "issuer",
    "region_code",
    "score",
    "rank",
    "rank_change",
    "rank_p05",
    "rank_median",
    "rank_p95",
    "group_value",
    "report_id",
    "body",
    "level",
    "presence",
    "status",
    "coverage",
    "reason",
    "strongest",
    "weakest",
    "synthetic",
    "model_hash",
];

fn col<T>(name: &str, v: Vec<T>) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    Column::new(name.into(), v)
}

pub fn build(model: &Model, units: &[Unit], r: &Ranking) -> PolarsResult<Outputs> {
    // Stable order: year, group, group value, rank (unranked last), issuer.
    let mut order: Vec<usize> = (0..r.ranked.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&r.ranked[a], &r.ranked[b]);
        (
            x.year,
            x.group,
            &x.group_value,
            x.rank.unwrap_or(u32::MAX),
            &units[x.unit].who,
        )
            .cmp(&(
                y.year,
                y.group,
                &y.group_value,
                y.rank.unwrap_or(u32::MAX),
                &units[y.unit].who,
            ))
    });
    let ranked: Vec<&super::rank::Ranked> = order.iter().map(|&i| &r.ranked[i]).collect();
    let n = ranked.len();
    let rankings = || {
        let hash = vec![model.hash.clone(); n];
        DataFrame::new(
            n,
            vec![
                col("year", ranked.iter().map(|x| x.year).collect::<Vec<_>>()),
                col(
                    "group",
                    ranked
                        .iter()
                        .map(|x| x.group.key().to_owned())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "issuer",
                    ranked
                        .iter()
                        .map(|x| units[x.unit].issuer.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "region_code",
                    ranked
                        .iter()
                        .map(|x| units[x.unit].region_code.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "score",
                    ranked
                        .iter()
                        .map(|x| x.score.map(round6))
                        .collect::<Vec<_>>(),
                ),
                col("rank", ranked.iter().map(|x| x.rank).collect::<Vec<_>>()),
                col(
                    "rank_change",
                    ranked.iter().map(|x| x.rank_change).collect::<Vec<_>>(),
                ),
                col(
                    "rank_p05",
                    ranked.iter().map(|x| x.rank_p05).collect::<Vec<_>>(),
                ),
                col(
                    "rank_median",
                    ranked.iter().map(|x| x.rank_median).collect::<Vec<_>>(),
                ),
                col(
                    "rank_p95",
                    ranked.iter().map(|x| x.rank_p95).collect::<Vec<_>>(),
                ),
                col(
                    "group_value",
                    ranked
                        .iter()
                        .map(|x| x.group_value.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "report_id",
                    ranked
                        .iter()
                        .map(|x| units[x.unit].report_id.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "body",
                    ranked
                        .iter()
                        .map(|x| units[x.unit].body.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "level",
                    ranked
                        .iter()
                        .map(|x| units[x.unit].level.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "presence",
                    ranked
                        .iter()
                        .map(|x| x.presence.to_owned())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "status",
                    ranked
                        .iter()
                        .map(|x| x.status.to_owned())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "coverage",
                    ranked
                        .iter()
                        .map(|x| round6(x.coverage))
                        .collect::<Vec<_>>(),
                ),
                col(
                    "reason",
                    ranked
                        .iter()
                        .map(|x| (!x.reason.is_empty()).then(|| x.reason.clone()))
                        .collect::<Vec<_>>(),
                ),
                col(
                    "strongest",
                    ranked
                        .iter()
                        .map(|x| x.strongest.clone())
                        .collect::<Vec<_>>(),
                ),
                col(
                    "weakest",
                    ranked.iter().map(|x| x.weakest.clone()).collect::<Vec<_>>(),
                ),
                col(
                    "synthetic",
                    ranked
                        .iter()
                        .map(|x| crate::regions::is_synthetic(&units[x.unit].region_code))
                        .collect::<Vec<_>>(),
                ),
                col("model_hash", hash),
            ],
        )
    };
    // scores: one row per ranked row and indicator (450,000 rows on 10,002 reports), its
    // text columns borrowed rather than a `String` made per row and column. Each column
    // walks the same rows, so the columns are built side by side (the frame was the longest
    // of the three, on one thread, while the others had finished).
    let scores = || {
        let m = ranked.len() * model.indicators.len();
        let columns: Vec<Column> = (0..SCORES_COLUMNS.len())
            .into_par_iter()
            .map(|c| {
                let name = SCORES_COLUMNS[c];
                // The column's values, row by row: each ranked row, then each indicator.
                fn each<'r, T>(
                    ranked: &[&'r super::rank::Ranked],
                    indicators: usize,
                    f: impl Fn(&'r super::rank::Ranked, usize) -> T,
                ) -> Vec<T> {
                    let mut v = Vec::with_capacity(ranked.len() * indicators);
                    for &x in ranked {
                        v.extend((0..indicators).map(|k| f(x, k)));
                    }
                    v
                }
                let n = model.indicators.len();
                let ind = &model.indicators;
                match name {
                    "year" => col(name, each(&ranked, n, |x, _| x.year)),
                    "group" => col(name, each(&ranked, n, |x, _| x.group.key())),
                    "group_value" => col(name, each(&ranked, n, |x, _| x.group_value.as_str())),
                    "issuer" => col(name, each(&ranked, n, |x, _| units[x.unit].issuer.as_str())),
                    "region_code" => col(
                        name,
                        each(&ranked, n, |x, _| units[x.unit].region_code.as_str()),
                    ),
                    "indicator" => col(name, each(&ranked, n, |_, k| ind[k].key.as_str())),
                    "raw" => col(name, each(&ranked, n, |x, k| r.raw[x.unit][k].map(round6))),
                    "normalised" => col(name, each(&ranked, n, |x, k| x.normalised[k].map(round6))),
                    "weight" => col(name, each(&ranked, n, |_, k| ind[k].weight)),
                    "derived" => col(name, each(&ranked, n, |x, k| r.derived[x.unit][k])),
                    // "model_hash", the last.
                    _ => col(name, vec![model.hash.as_str(); m]),
                }
            })
            .collect();
        DataFrame::new(m, columns)
    };
    // The three frames are independent: built side by side.
    let (rankings, (scores, panel)) =
        rayon::join(rankings, || rayon::join(scores, || panel(model, units, r)));
    let (rankings, scores, panel) = (rankings?, scores?, panel?);
    let mut sens = r.sensitivity.clone();
    sens.sort_by(|a, b| {
        (a.year, a.group, &a.group_value, &a.indicator).cmp(&(
            b.year,
            b.group,
            &b.group_value,
            &b.indicator,
        ))
    });
    let k = sens.len();
    let sensitivity = DataFrame::new(
        k,
        vec![
            col("year", sens.iter().map(|s| s.year).collect::<Vec<_>>()),
            col(
                "group",
                sens.iter()
                    .map(|s| s.group.key().to_owned())
                    .collect::<Vec<_>>(),
            ),
            col(
                "group_value",
                sens.iter()
                    .map(|s| s.group_value.clone())
                    .collect::<Vec<_>>(),
            ),
            col(
                "indicator",
                sens.iter().map(|s| s.indicator.clone()).collect::<Vec<_>>(),
            ),
            col(
                "mean_abs_rank_change",
                sens.iter()
                    .map(|s| round6(s.mean_abs_rank_change))
                    .collect::<Vec<_>>(),
            ),
            col("model_hash", vec![model.hash.clone(); k]),
        ],
    )?;
    Ok(Outputs {
        rankings,
        scores,
        sensitivity,
        panel,
        appeal: None,
    })
}

fn round6(x: f64) -> f64 {
    super::rank::published(x)
}

/// One row per issuer and year: identifiers, layouts, every indicator's raw value (column =
/// indicator key), and the harmonised series (`h_…`).
fn panel(model: &Model, units: &[Unit], r: &Ranking) -> PolarsResult<DataFrame> {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| (&units[a].who, units[a].year).cmp(&(&units[b].who, units[b].year)));
    let n = order.len();
    let s = |f: &dyn Fn(&Unit) -> String| order.iter().map(|&i| f(&units[i])).collect::<Vec<_>>();
    let mut columns = vec![
        col("report_id", s(&|u| u.report_id.clone())),
        col("issuer", s(&|u| u.issuer.clone())),
        col("region_code", s(&|u| u.region_code.clone())),
        col("province", s(&|u| u.province.clone())),
        col("city", s(&|u| u.city.clone())),
        col("level", s(&|u| u.level.clone())),
        col(
            "year",
            order.iter().map(|&i| units[i].year).collect::<Vec<_>>(),
        ),
        col("layouts", s(&|u| u.layouts.clone())),
    ];
    for (k, ind) in model.indicators.iter().enumerate() {
        columns.push(col(
            &ind.key,
            order
                .iter()
                .map(|&i| r.raw[i][k].map(round6))
                .collect::<Vec<_>>(),
        ));
    }
    for h in HARMONISED {
        let (name, cells) = (h.name, h.cells);
        columns.push(col(
            &format!("h_{name}"),
            order
                .iter()
                .map(|&i| {
                    let vals: Vec<f64> = cells
                        .iter()
                        .filter_map(|&(t, row, c)| units[i].values.get(&(t, row, c)).copied())
                        .collect();
                    (!vals.is_empty()).then(|| vals.iter().sum::<f64>())
                })
                .collect::<Vec<_>>(),
        ));
    }
    columns.push(col("model_hash", vec![model.hash.clone(); n]));
    DataFrame::new(n, columns)
}
