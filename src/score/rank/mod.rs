//! The arithmetic of ranking: indicator values, normalisation within a peer group and year,
//! weighted aggregation, ties, rank change over issuers present in both years, Monte-Carlo
//! rank intervals and leave-one-out sensitivity. Deterministic for a given model and input
//! (seeded generator, stable sorts).

mod aggregate;

use aggregate::*;
pub use aggregate::{aggregate, normalise, raw_values};
mod values;
pub use values::{ByKey, KeySet, Values};

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::rng::Rng;

use super::formula::{Key, Measure};
use super::model::{Aggregation, Direction, Group, Missing, Model, Normalise, Split, Tie};
use crate::template::{CARRIED_IN, Layout, NEW, TOTAL, TableKind, request_columns};

/// One issuer's report for one year, as the scorer sees it.
#[derive(Clone, Debug, Default)]
pub struct Unit {
    pub report_id: String,
    /// The issuer's identity across years (region code, plus the name for departments).
    pub who: String,
    pub issuer: String,
    pub region_code: String,
    pub province: String,
    pub city: String,
    pub level: String,
    /// `government` or `department`.
    pub body: String,
    pub year: i32,
    pub layouts: String,
    pub values: Values,
    /// The cells the report prints empty (blank or not applicable): read, but no number.
    pub empty: KeySet,
    /// The report's own measures, in [`crate::score::Measure`] order.
    pub measures: [Option<f64>; Measure::ALL.len()],
}

/// The sample's rows as the template prints them (本年新收… + 上年结转…), for reasons.
fn sample_rows() -> String {
    let label = |r| crate::template::cell_row_label(TableKind::Requests, Layout::Y2021, r);
    format!("{} + {}", label(NEW), label(CARRIED_IN))
}

/// What a unit's requests say of the sample its rates rest on.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sample {
    /// At least the minimum: 本年新收 + 上年结转 as read, or 办理结果总计 (never more than
    /// the requests handled), reach it.
    Enough,
    /// 本年新收 and 上年结转 were both read and are below the minimum.
    Small,
    /// Neither decides: the rows were not read and what was read stays below the minimum.
    Unknown,
}

impl Unit {
    /// A cell read: its number, 0 for a cell printed empty, `None` when it was not read.
    fn read(&self, k: Key) -> Option<f64> {
        self.values
            .get(&k)
            .copied()
            .or_else(|| self.empty.contains(&k).then_some(0.0))
    }

    /// Whether the sample of the rate indicators is big enough, small, or unknown.
    pub fn sample(&self, min: u32) -> Sample {
        let min = f64::from(min);
        let row = |r| self.read((TableKind::Requests, r, TOTAL));
        let (new, carried) = (row(NEW), row(CARRIED_IN));
        let handled = new.unwrap_or(0.0) + carried.unwrap_or(0.0);
        let total = self
            .values
            .get(&(TableKind::Requests, TOTAL, TOTAL))
            .copied();
        if handled >= min || total.is_some_and(|t| t >= min) {
            Sample::Enough
        } else if new.is_some() && carried.is_some() {
            Sample::Small
        } else {
            Sample::Unknown
        }
    }

    /// A cell's value for a formula; with `derived`, a requests row's 总计 printed empty is
    /// the sum of its applicant cells when every one of them was read (the second value says
    /// the value was derived).
    pub fn value(&self, k: Key, derived: bool) -> Option<(f64, bool)> {
        if let Some(v) = self.values.get(&k) {
            return Some((*v, false));
        }
        if !(derived && k.0 == TableKind::Requests && k.2 == TOTAL && self.empty.contains(&k)) {
            return None;
        }
        let mut sum = 0.0;
        for c in request_columns().filter(|c| *c != TOTAL) {
            sum += self.read((k.0, k.1, c))?;
        }
        Some((sum, true))
    }
    fn group_value(&self, g: Group) -> &str {
        match g {
            Group::All => "all",
            Group::Province => &self.province,
            Group::City => &self.city,
            Group::Level => &self.level,
        }
    }

    /// The peer set's name in a group: the group's value, then what the model splits every
    /// set by (`示例一市 · county government`); `None` when the unit has no such value.
    pub fn peer_set(&self, g: Group, split: &[Split]) -> Option<String> {
        let v = self.group_value(g);
        if v.is_empty() {
            return None;
        }
        let mut by: Vec<&str> = Vec::new();
        if split.contains(&Split::Level) && g != Group::Level {
            by.push(if self.level.is_empty() {
                "unknown level"
            } else {
                &self.level
            });
        }
        if split.contains(&Split::Body) {
            by.push(if self.body.is_empty() {
                "unknown body"
            } else {
                &self.body
            });
        }
        Some(match (g, by.is_empty()) {
            (_, true) => v.to_owned(),
            (Group::All, false) => by.join(" "),
            _ => format!("{v} · {}", by.join(" ")),
        })
    }
}

/// One ranked (or unranked) issuer in one peer group and year.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub unit: usize,
    pub year: i32,
    pub group: Group,
    pub group_value: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    /// Positive: moved up, over issuers ranked in this group in both years.
    pub rank_change: Option<i64>,
    pub rank_p05: Option<u32>,
    pub rank_median: Option<u32>,
    pub rank_p95: Option<u32>,
    /// `new` (not ranked in this group the year before) or `continuing`.
    pub presence: &'static str,
    /// `ranked`; `below_min_sample` (本年新收 and 上年结转 read and below the model's
    /// minimum: rates unreliable, no rank); `insufficient_data` (the indicators present carry
    /// less than the model's coverage share of the weight: no rank).
    pub status: &'static str,
    /// The share of the scored weight the present indicators carry.
    pub coverage: f64,
    /// Why the unit is not ranked (empty when it is).
    pub reason: String,
    pub strongest: Option<String>,
    pub weakest: Option<String>,
    /// Normalised value per indicator, in model order.
    pub normalised: Vec<Option<f64>>,
}

/// Mean absolute rank change when one indicator is left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    pub year: i32,
    pub group: Group,
    pub group_value: String,
    pub indicator: String,
    pub mean_abs_rank_change: f64,
}

pub struct Ranking {
    /// Raw indicator values per unit, in model order.
    pub raw: Vec<Vec<Option<f64>>>,
    /// Per unit and indicator: the value rests on a derived 总计 (the model's
    /// `derived_totals`).
    pub derived: Vec<Vec<bool>>,
    pub ranked: Vec<Ranked>,
    pub sensitivity: Vec<Sensitivity>,
}

/// Ranks scores (higher is better) with the tie rule; `None` scores get no rank. Scores equal
/// to 1e-9 tie.
pub fn rank(scores: &[Option<f64>], tie: Tie) -> Vec<Option<u32>> {
    let mut out = Vec::new();
    rank_into(scores, tie, &mut Order::default(), &mut out);
    out
}

/// [`rank`] into `out`, with `order` as scratch: the Monte-Carlo draws rank the same peer
/// set a thousand times and reuse both.
/// Decimals of every published score (`rankings`, `scores`, the tables and the report).
/// Ranks are taken on the score as published: scores that print the same share a rank.
pub const PUBLISHED_DECIMALS: i32 = 6;

/// A score as published, rounded to [`PUBLISHED_DECIMALS`].
pub fn published(x: f64) -> f64 {
    (x * 10f64.powi(PUBLISHED_DECIMALS)).round() / 10f64.powi(PUBLISHED_DECIMALS)
}

/// Scratch for [`rank_into`]: the sort keys, in 64 bits when the draw's scores and indices
/// fit, else in 128.
#[derive(Default)]
struct Order {
    /// Each present score's head (see [`rank_into`]) with its index, worked out once.
    heads: Vec<(u64, usize)>,
    narrow: Vec<u64>,
    wide: Vec<u128>,
}

/// `x.round() as i64` (half away from zero) without calling `round`, which on x86-64's
/// baseline is a library call: for |x| < 2^52 the truncation and the fraction left are exact,
/// so the fraction decides as `round` does; beyond that (and NaN) `round` itself.
fn round_to_i64(x: f64) -> i64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64;
        let frac = x - t as f64;
        // As flags, not branches: the draws' fractions are random, and a mispredicted
        // branch per score was most of `rank_into`'s own time (`perf annotate`).
        t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
    } else {
        x.round() as i64
    }
}

fn rank_into(scores: &[Option<f64>], tie: Tie, order: &mut Order, out: &mut Vec<Option<u32>>) {
    out.clear();
    out.resize(scores.len(), None);
    // Scores as integers in units of the published precision (equal printed scores are
    // ties), flipped so that ascending is best first: sorted with the index after them (input
    // order breaks ties), as one integer, with no comparison closure in the sort.
    let head = |s: f64| {
        let units = round_to_i64(s * 10f64.powi(PUBLISHED_DECIMALS));
        !((units as u64) ^ (1 << 63))
    };
    let Order {
        heads,
        narrow,
        wide,
    } = order;
    heads.clear();
    let (mut lo, mut hi) = (u64::MAX, 0);
    for (i, s) in scores.iter().enumerate() {
        if let Some(s) = s {
            let h = head(*s);
            (lo, hi) = (lo.min(h), hi.max(h));
            heads.push((h, i));
        }
    }
    if heads.is_empty() {
        return; // no scores
    }
    let present = || heads.iter().copied();
    // Bits an index takes; the head relative to the lowest in the rest, when it fits (scores
    // in [0, 1] span 2^20 units): half the bytes to sort, the same order.
    let bits = usize::BITS - scores.len().leading_zeros();
    if bits < 64 && (hi - lo) >> (64 - bits) == 0 {
        let mask = (1u64 << bits) - 1;
        let pack = |(h, i): (u64, usize)| ((h - lo) << bits) | i as u64;
        let unpack = |p: u64| (p >> bits, (p & mask) as usize);
        sort_and_rank(narrow, present().map(pack), unpack, tie, out);
    } else {
        let pack = |(h, i): (u64, usize)| (u128::from(h) << 64) | i as u128;
        let unpack = |p: u128| ((p >> 64) as u64, p as u64 as usize);
        sort_and_rank(wide, present().map(pack), unpack, tie, out);
    }
}

/// Sorts the packed (head, index) keys in `buf` and ranks them into `out`.
fn sort_and_rank<K: Ord + Copy>(
    buf: &mut Vec<K>,
    keys: impl Iterator<Item = K>,
    unpack: impl Fn(K) -> (u64, usize),
    tie: Tie,
    out: &mut [Option<u32>],
) {
    buf.clear();
    buf.extend(keys);
    buf.sort_unstable();
    assign_ranks(buf.iter().map(|&k| unpack(k)), tie, out);
}

/// Ranks from (head, index) pairs best first: equal heads share a rank.
fn assign_ranks(sorted: impl Iterator<Item = (u64, usize)>, tie: Tie, out: &mut [Option<u32>]) {
    let mut dense = 0u32;
    let mut prev: Option<u64> = None;
    let mut current = 0u32;
    for (pos, (key, i)) in sorted.enumerate() {
        if prev != Some(key) {
            dense += 1;
            current = match tie {
                Tie::Competition => pos as u32 + 1,
                Tie::Dense => dense,
            };
            prev = Some(key);
        }
        out[i] = Some(current);
    }
}

/// A peer set: group, group value, year.
type SetKey = (Group, String, i32);
/// Scores of the issuers ranked in each peer set: (issuer identity, score).
type SetScores = HashMap<SetKey, Vec<(String, f64)>>;

/// The p-th percentile (nearest rank) of sorted values.
#[cfg(test)]
fn percentile(sorted: &[u32], p: f64) -> Option<u32> {
    let idx = percentile_index(sorted.len(), p)?;
    Some(sorted[idx])
}

/// Where the p-th percentile (nearest rank) of `n` sorted values sits.
fn percentile_index(n: usize, p: f64) -> Option<usize> {
    (n > 0).then(|| ((p * n as f64).ceil() as usize).clamp(1, n) - 1)
}

/// The 5th, 50th and 95th percentiles (nearest rank) of `values`: the value a full sort
/// would put at each place, found by counting (the values are ranks, at most the peer set's
/// size; `counts` is scratch), where each member's thousand draws would otherwise be sorted.
fn rank_interval(values: &[u32], counts: &mut Vec<u32>) -> [Option<u32>; 3] {
    let Some(&max) = values.iter().max() else {
        return [None; 3];
    };
    counts.clear();
    counts.resize(max as usize + 1, 0);
    for &v in values {
        counts[v as usize] += 1;
    }
    let at = [0.05, 0.5, 0.95].map(|p| percentile_index(values.len(), p).unwrap_or(0));
    let mut found = [None; 3];
    let (mut below, mut next) = (0usize, 0);
    for (v, &c) in counts.iter().enumerate() {
        below += c as usize;
        // `at` ascends: each place is the first value whose count takes the total past it.
        while next < 3 && at[next] < below {
            found[next] = Some(v as u32);
            next += 1;
        }
        if next == 3 {
            break;
        }
    }
    found
}

/// Scores and ranks every unit in every peer group and year.
pub fn run(model: &Model, units: &[Unit]) -> Ranking {
    let (raw, derived) = raw_values(model, units);
    let weights: Vec<f64> = model.indicators.iter().map(|i| i.weight).collect();
    let missing: Vec<Missing> = model.indicators.iter().map(|i| i.missing).collect();
    let mut ranked = Vec::new();
    let mut sensitivity = Vec::new();
    // Peer sets: (group, year, group value) → units, in a stable order.
    let mut sets: BTreeMap<(Group, String, i32), Vec<usize>> = BTreeMap::new();
    for &g in &model.groups {
        for (i, u) in units.iter().enumerate() {
            if let Some(v) = u.peer_set(g, &model.split) {
                sets.entry((g, v, u.year)).or_default().push(i);
            }
        }
    }
    // Each peer set is independent: ranked in parallel, merged in the sets' order.
    let sets: Vec<(SetKey, Vec<usize>)> = sets.into_iter().collect();
    // The largest sets first (a set's draws are seeded by its key, so the order they run in
    // changes nothing): in the sets' own order the all-issuer and provincial sets of a year,
    // each a thousand times larger than a city's, could be left last on one thread while
    // the other had nothing to do.
    let mut by_size: Vec<usize> = (0..sets.len()).collect();
    by_size.sort_by_key(|&s| std::cmp::Reverse(sets[s].1.len()));
    let mut per_set: Vec<(usize, SetResult)> = by_size
        .par_iter()
        .with_max_len(1)
        .map(|&s| {
            let (key, members) = &sets[s];
            (
                s,
                rank_set(model, units, &raw, &weights, &missing, key, members),
            )
        })
        .collect();
    per_set.sort_by_key(|(s, _)| *s);
    let per_set = per_set.into_iter().map(|(_, r)| r);
    let mut scores_by_set: SetScores = HashMap::new();
    for ((key, _), (r, s, scores)) in sets.into_iter().zip(per_set) {
        ranked.extend(r);
        sensitivity.extend(s);
        scores_by_set.insert(key, scores);
    }
    rank_change(model, units, &scores_by_set, &mut ranked);
    Ranking {
        raw,
        derived,
        ranked,
        sensitivity,
    }
}

/// What ranking one peer set gives: its rows, its sensitivity rows, and its issuers' scores.
type SetResult = (Vec<Ranked>, Vec<Sensitivity>, Vec<(String, f64)>);

/// Scores, ranks, perturbs and leaves out, within one peer set.
fn rank_set(
    model: &Model,
    units: &[Unit],
    raw: &[Vec<Option<f64>>],
    weights: &[f64],
    missing: &[Missing],
    key: &SetKey,
    members: &[usize],
) -> SetResult {
    let (g, gv, year) = (&key.0, &key.1, &key.2);
    let mut ranked = Vec::new();
    let mut sensitivity = Vec::new();

    let any_rate = model.indicators.iter().any(|x| x.rate);
    let scored_weight = model.scored_weight();
    // Per member: the share of the scored weight present, and the status with its reason.
    let standing: Vec<(f64, &'static str, String)> = members
        .iter()
        .map(|&i| {
            let present: f64 = model
                .indicators
                .iter()
                .zip(&raw[i])
                .filter(|(_, v)| v.is_some())
                .map(|(ind, _)| ind.weight)
                .sum();
            let coverage = present / scored_weight;
            let sample = units[i].sample(model.min_requests);
            if any_rate && sample == Sample::Small {
                let reason = format!(
                    "{} below {} requests: rates not scored",
                    sample_rows(),
                    model.min_requests
                );
                (coverage, "below_min_sample", reason)
            } else if coverage + 1e-9 < model.coverage {
                let absent: Vec<&str> = model
                    .indicators
                    .iter()
                    .zip(&raw[i])
                    .filter(|(ind, v)| v.is_none() && !ind.is_context())
                    .map(|(ind, _)| ind.key.as_str())
                    .collect();
                let mut reason = format!(
                    "indicators present carry {:.0}% of the weight (coverage {:.0}% needed); absent: {}",
                    coverage * 100.0,
                    model.coverage * 100.0,
                    absent.join(", ")
                );
                if any_rate && sample == Sample::Unknown {
                    reason.push_str(&format!("; {} not read", sample_rows()));
                }
                (coverage, "insufficient_data", reason)
            } else {
                (coverage, "ranked", String::new())
            }
        })
        .collect();
    let ranked_members: Vec<usize> = members
        .iter()
        .zip(&standing)
        .filter(|(_, s)| s.1 == "ranked")
        .map(|(&i, _)| i)
        .collect();
    let norm: Vec<Vec<Option<f64>>> = {
        let per_indicator: Vec<Vec<Option<f64>>> = model
            .indicators
            .iter()
            .enumerate()
            .map(|(k, ind)| {
                let vals: Vec<Option<f64>> = members.iter().map(|&i| raw[i][k]).collect();
                normalise(&vals, &ind.normalise, ind.goalposts, ind.direction)
            })
            .collect();
        (0..members.len())
            .map(|m| per_indicator.iter().map(|col| col[m]).collect())
            .collect()
    };
    let is_ranked: Vec<bool> = members
        .iter()
        .map(|&i| ranked_members.binary_search(&i).is_ok())
        .collect();
    let terms = Terms::new(&norm, missing, model.aggregation);
    let mut sums = Sums::default();
    let score_with = |w: &[f64], sums: &mut Sums| -> Vec<Option<f64>> {
        let mut out = Vec::with_capacity(norm.len());
        terms.scores_into(w, &is_ranked, sums, &mut out);
        out
    };
    let scores = score_with(weights, &mut sums);
    // Rank change compares years: only indicators comparable across the 2019/2021 break.
    let comparable: Vec<f64> = weights
        .iter()
        .zip(&model.indicators)
        .map(|(w, i)| if i.comparable { *w } else { 0.0 })
        .collect();
    let comparable_scores = score_with(&comparable, &mut sums);
    let ranks = rank(&scores, model.tie);
    // Monte Carlo.
    let mut rng = Rng::new(model.perturbation.seed ^ hash_str(&format!("{}{gv}{year}", g.key())));
    // Each ranked member's ranks, one per draw: sized once, not regrown ten times over.
    let mut draws: Vec<Vec<u32>> = is_ranked
        .iter()
        .map(|&r| {
            Vec::with_capacity(if r {
                model.perturbation.draws as usize
            } else {
                0
            })
        })
        .collect();
    let (mut w, mut drawn, mut order, mut draw_ranks) =
        (Vec::new(), Vec::new(), Order::default(), Vec::new());
    for _ in 0..model.perturbation.draws {
        w.clear();
        w.extend(
            weights
                .iter()
                .map(|w| w * (1.0 + model.perturbation.spread * (2.0 * rng.unit() - 1.0))),
        );
        terms.scores_into(&w, &is_ranked, &mut sums, &mut drawn);
        rank_into(&drawn, model.tie, &mut order, &mut draw_ranks);
        for (m, r) in draw_ranks.iter().enumerate() {
            if let Some(r) = r {
                draws[m].push(*r);
            }
        }
    }
    // Leave one out (context indicators weigh nothing: nothing to leave out).
    for (k, ind) in model.indicators.iter().enumerate() {
        if ind.is_context() {
            continue;
        }
        let mut w = weights.to_vec();
        w[k] = 0.0;
        let alt = rank(&score_with(&w, &mut sums), model.tie);
        let diffs: Vec<f64> = ranks
            .iter()
            .zip(&alt)
            .filter_map(|(a, b)| Some((f64::from((*a)?) - f64::from((*b)?)).abs()))
            .collect();
        if !diffs.is_empty() {
            sensitivity.push(Sensitivity {
                year: *year,
                group: *g,
                group_value: gv.clone(),
                indicator: ind.key.clone(),
                mean_abs_rank_change: diffs.iter().sum::<f64>() / diffs.len() as f64,
            });
        }
    }
    let mut set_scores = Vec::new();
    let mut counts = Vec::new();
    for (m, &i) in members.iter().enumerate() {
        let [p05, median, p95] = rank_interval(&draws[m], &mut counts);
        let (strongest, weakest) = extremes(model, &norm[m]);
        // Issuers ranked this year, with their comparable-indicator score.
        if let (Some(_), Some(c)) = (scores[m], comparable_scores[m]) {
            set_scores.push((units[i].who.clone(), c));
        }
        ranked.push(Ranked {
            unit: i,
            year: *year,
            group: *g,
            group_value: gv.clone(),
            score: scores[m],
            rank: ranks[m],
            rank_change: None,
            rank_p05: p05,
            rank_median: median,
            rank_p95: p95,
            presence: "new",
            status: standing[m].1,
            coverage: standing[m].0,
            reason: standing[m].2.clone(),
            strongest,
            weakest,
            normalised: norm[m].clone(),
        });
    }
    (ranked, sensitivity, set_scores)
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The scored indicators with the highest and lowest normalised value.
fn extremes(model: &Model, norm: &[Option<f64>]) -> (Option<String>, Option<String>) {
    let present: Vec<(usize, f64)> = norm
        .iter()
        .enumerate()
        .filter(|(k, _)| !model.indicators[*k].is_context())
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    let best = present
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| model.indicators[*k].key.clone());
    let worst = present
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
        .map(|(k, _)| model.indicators[*k].key.clone());
    (best, worst)
}

/// Rank change against the previous year, over issuers ranked in the group in both years
/// (each year re-ranked within that common set, so arrivals and departures do not move it),
/// on scores of the indicators comparable across the 2019/2021 template break.
fn rank_change(model: &Model, units: &[Unit], sets: &SetScores, ranked: &mut [Ranked]) {
    // Per peer set and year: the re-ranked common set, issuer → (rank before, rank now).
    let mut changes: HashMap<SetKey, HashMap<String, (u32, u32)>> = HashMap::new();
    for ((g, gv, year), this) in sets {
        let Some(prev) = sets.get(&(*g, gv.clone(), year - 1)) else {
            continue;
        };
        let in_prev: HashMap<&str, f64> = prev.iter().map(|(w, s)| (w.as_str(), *s)).collect();
        let common: Vec<(&str, f64, f64)> = this
            .iter()
            .filter_map(|(w, s)| in_prev.get(w.as_str()).map(|p| (w.as_str(), *p, *s)))
            .collect();
        let before = rank(
            &common.iter().map(|c| Some(c.1)).collect::<Vec<_>>(),
            model.tie,
        );
        let now = rank(
            &common.iter().map(|c| Some(c.2)).collect::<Vec<_>>(),
            model.tie,
        );
        let map = common
            .iter()
            .zip(before.iter().zip(&now))
            .filter_map(|((w, _, _), (b, n))| Some((w.to_string(), ((*b)?, (*n)?))))
            .collect();
        changes.insert((*g, gv.clone(), *year), map);
    }
    let prev_members: HashMap<SetKey, std::collections::HashSet<&str>> = sets
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().map(|(w, _)| w.as_str()).collect()))
        .collect();
    for r in ranked.iter_mut() {
        let who = units[r.unit].who.as_str();
        let key = (r.group, r.group_value.clone(), r.year - 1);
        if prev_members.get(&key).is_some_and(|m| m.contains(who)) {
            r.presence = "continuing";
        }
        if let Some((before, now)) = changes
            .get(&(r.group, r.group_value.clone(), r.year))
            .and_then(|m| m.get(who))
        {
            r.rank_change = Some(i64::from(*before) - i64::from(*now));
        }
    }
}

#[cfg(test)]
mod tests;
