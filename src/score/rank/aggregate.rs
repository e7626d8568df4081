//! From units to scores: raw indicator values, normalised within a year, weighted into a
//! score over the indicators present.

use super::*;

/// Raw indicator values: the formula over the unit's cells and measures; rates of units
/// whose sample is not known to reach the minimum have none. With each, whether it rests on
/// a derived 总计.
pub fn raw_values(model: &Model, units: &[Unit]) -> (Vec<Vec<Option<f64>>>, Vec<Vec<bool>>) {
    units
        .iter()
        .map(|u| {
            let enough = u.sample(model.min_requests) == Sample::Enough;
            model
                .indicators
                .iter()
                .map(|ind| {
                    if ind.rate && !enough {
                        return (None, false);
                    }
                    let derived = std::cell::Cell::new(false);
                    let v = ind
                        .formula
                        .eval(
                            &|k| {
                                let (v, d) = u.value(k, model.derived_totals)?;
                                derived.set(derived.get() | d);
                                Some(v)
                            },
                            &|m| u.measures[m as usize],
                        )
                        .filter(|v| v.is_finite());
                    let d = v.is_some() && derived.get();
                    (v, d)
                })
                .unzip()
        })
        .unzip()
}

/// Normalises one indicator's values within a peer set; `None` stays `None`.
pub fn normalise(
    values: &[Option<f64>],
    how: &Normalise,
    goalposts: Option<[f64; 2]>,
    dir: Direction,
) -> Vec<Option<f64>> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let flip = |x: f64| match dir {
        Direction::Higher => x,
        Direction::Lower => 1.0 - x,
    };
    match how {
        Normalise::Minmax => {
            let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            values
                .iter()
                .map(|v| v.map(|x| flip(if hi > lo { (x - lo) / (hi - lo) } else { 1.0 })))
                .collect()
        }
        Normalise::Zscore => {
            let n = present.len() as f64;
            let mean = present.iter().sum::<f64>() / n.max(1.0);
            let sd = (present.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n.max(1.0)).sqrt();
            values
                .iter()
                .map(|v| {
                    v.map(|x| {
                        let z = if sd > 0.0 { (x - mean) / sd } else { 0.0 };
                        match dir {
                            Direction::Higher => z,
                            Direction::Lower => -z,
                        }
                    })
                })
                .collect()
        }
        Normalise::Rank => {
            // Percentile rank with ties averaged: (rank among present) / count, in (0, 1].
            let n = present.len() as f64;
            let counts = below_and_equal(&present);
            values
                .iter()
                .map(|v| {
                    v.map(|x| {
                        let (below, equal) = counts(x);
                        flip((below as f64 + (equal as f64 + 1.0) / 2.0) / n)
                    })
                })
                .collect()
        }
        Normalise::Goalposts => {
            let [lo, hi] = goalposts.unwrap_or([0.0, 1.0]);
            values
                .iter()
                .map(|v| v.map(|x| flip(((x - lo) / (hi - lo)).clamp(0.0, 1.0))))
                .collect()
        }
    }
}

/// How many of `present` are below a value and how many equal it: counted in a sorted copy
/// (a peer set of 1,667 members counted every value against every other), or one by one
/// when a value is NaN, which no order places.
pub(super) fn below_and_equal(present: &[f64]) -> impl Fn(f64) -> (usize, usize) {
    let mut sorted = present.to_vec();
    let nan = sorted.iter().any(|x| x.is_nan());
    // Ascending; -0.0 sorts before 0.0, which `<` and `==` take as one value: each is
    // counted equal to the other, never below it, as a pass over all counts them.
    sorted.sort_unstable_by(f64::total_cmp);
    move |x| {
        if nan {
            let below = sorted.iter().filter(|&&y| y < x).count();
            (below, sorted.iter().filter(|&&y| y == x).count())
        } else {
            let below = sorted.partition_point(|&y| y < x);
            (below, sorted[below..].partition_point(|&y| y == x))
        }
    }
}

/// The weighted aggregate of one unit's normalised values.
pub fn aggregate(
    norm: &[Option<f64>],
    weights: &[f64],
    missing: &[Missing],
    how: Aggregation,
) -> Option<f64> {
    let mut sum = 0.0;
    let mut wsum = 0.0;
    for ((v, w), m) in norm.iter().zip(weights).zip(missing) {
        let v = match (v, m) {
            (Some(v), _) => *v,
            (None, Missing::Worst) => 0.0,
            (None, Missing::Skip) => continue,
        };
        match how {
            Aggregation::Arithmetic => sum += w * v,
            Aggregation::Geometric => sum += w * v.max(1e-3).ln(),
        }
        wsum += w;
    }
    if wsum == 0.0 {
        return None;
    }
    Some(match how {
        Aggregation::Arithmetic => sum / wsum,
        Aggregation::Geometric => (sum / wsum).exp(),
    })
}

/// The members' normalised values laid out for [`aggregate`] under many weight vectors: per
/// indicator and member the term that multiplies the weight (a missing value counted as worst
/// is 0, the geometric mean's logarithm taken once) and whether the weight counts (a missing
/// value skipped adds 0 to both sums). Indicator-major, so one draw adds each indicator's
/// weighted terms to every member's sums in one pass the compiler vectorises, instead of one
/// member's chain of dependent additions after another. Each member's sums are still
/// [`aggregate`]'s, term by term in the same order, so the scores are the same to the bit.
pub(super) struct Terms {
    /// Members.
    pub(super) n: usize,
    pub(super) term: Vec<f64>,
    pub(super) counts: Vec<f64>,
    /// Per indicator: every member's term is finite, so a weight of 0 adds only ±0 to the
    /// sums and the indicator can be passed over (see [`Terms::scores_into`]).
    pub(super) finite: Vec<bool>,
    pub(super) how: Aggregation,
}

/// Scratch for [`Terms::scores_into`]: each member's two running sums.
#[derive(Default)]
pub(super) struct Sums {
    sum: Vec<f64>,
    wsum: Vec<f64>,
}

impl Terms {
    pub(super) fn new(norm: &[Vec<Option<f64>>], missing: &[Missing], how: Aggregation) -> Terms {
        let n = norm.len();
        let mut term = vec![0.0; n * missing.len()];
        let mut counts = vec![0.0; n * missing.len()];
        for (m, values) in norm.iter().enumerate() {
            for (k, (v, miss)) in values.iter().zip(missing).enumerate() {
                let v = match (v, miss) {
                    (Some(v), _) => *v,
                    (None, Missing::Worst) => 0.0,
                    // Adds 0 to both sums: the zeros already there.
                    (None, Missing::Skip) => continue,
                };
                term[k * n + m] = match how {
                    Aggregation::Arithmetic => v,
                    Aggregation::Geometric => v.max(1e-3).ln(),
                };
                counts[k * n + m] = 1.0;
            }
        }
        let finite = if n == 0 {
            vec![true; missing.len()]
        } else {
            term.chunks_exact(n)
                .map(|t| t.iter().all(|v| v.is_finite()))
                .collect()
        };
        Terms {
            n,
            term,
            counts,
            finite,
            how,
        }
    }

    /// Every member's aggregate under `weights` into `out`; members not `scored` get none.
    pub(super) fn scores_into(
        &self,
        weights: &[f64],
        scored: &[bool],
        sums: &mut Sums,
        out: &mut Vec<Option<f64>>,
    ) {
        let n = self.n;
        let (sum, wsum) = (&mut sums.sum, &mut sums.wsum);
        sum.clear();
        sum.resize(n, 0.0);
        wsum.clear();
        wsum.resize(n, 0.0);
        if n > 0 {
            for (((&w, t), c), &finite) in weights
                .iter()
                .zip(self.term.chunks_exact(n))
                .zip(self.counts.chunks_exact(n))
                .zip(&self.finite)
            {
                // A context indicator (weight 0, a third of the default model's) adds ±0 to
                // every sum: passed over, the sums are the same to the bit (they start at +0
                // and no sum of these terms is ever -0, so adding ±0 changes none).
                if w == 0.0 && finite {
                    continue;
                }
                add_weighted(sum, wsum, w, t, c);
            }
        }
        out.clear();
        out.extend(
            sum.iter()
                .zip(wsum.iter())
                .zip(scored)
                .map(|((&s, &ws), &scored)| {
                    if !scored || ws == 0.0 {
                        return None;
                    }
                    Some(match self.how {
                        Aggregation::Arithmetic => s / ws,
                        Aggregation::Geometric => (s / ws).exp(),
                    })
                }),
        );
    }
}

/// `sum += w × t` and `wsum += w × c`, member by member: the draws' inner loop.
fn add_weighted(sum: &mut [f64], wsum: &mut [f64], w: f64, t: &[f64], c: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, just checked.
        unsafe { add_weighted_avx2(sum, wsum, w, t, c) };
        return;
    }
    add_weighted_body(sum, wsum, w, t, c);
}

/// [`add_weighted_body`] compiled for AVX2: four members per instruction instead of SSE2's
/// two. The same multiplications and additions, each rounded on its own (no fused
/// multiply-add is enabled), in the same order for every member: the same bits.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn add_weighted_avx2(sum: &mut [f64], wsum: &mut [f64], w: f64, t: &[f64], c: &[f64]) {
    add_weighted_body(sum, wsum, w, t, c);
}

#[inline(always)]
fn add_weighted_body(sum: &mut [f64], wsum: &mut [f64], w: f64, t: &[f64], c: &[f64]) {
    for (((s, ws), t), c) in sum.iter_mut().zip(wsum.iter_mut()).zip(t).zip(c) {
        *s += w * t;
        *ws += w * c;
    }
}
