//! Normalisation, aggregation, ties, percentiles and rank intervals, on cases worked by hand.

use super::*;

fn some(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().map(|x| Some(*x)).collect()
}

#[test]
fn normalisations_by_hand() {
    let v = some(&[2.0, 4.0, 6.0]);
    assert_eq!(
        normalise(&v, &Normalise::Minmax, None, Direction::Higher),
        some(&[0.0, 0.5, 1.0])
    );
    assert_eq!(
        normalise(&v, &Normalise::Minmax, None, Direction::Lower),
        some(&[1.0, 0.5, 0.0])
    );
    // mean 4, population sd sqrt(8/3)
    let z = normalise(&v, &Normalise::Zscore, None, Direction::Higher);
    let sd = (8.0f64 / 3.0).sqrt();
    assert_eq!(z, some(&[-2.0 / sd, 0.0, 2.0 / sd]));
    // percentile ranks with a tie: (below + (equal + 1) / 2) / n
    let r = normalise(
        &some(&[1.0, 1.0, 3.0]),
        &Normalise::Rank,
        None,
        Direction::Higher,
    );
    assert_eq!(r, some(&[0.5, 0.5, 1.0]));
    let g = normalise(
        &some(&[-1.0, 0.25, 2.0]),
        &Normalise::Goalposts,
        Some([0.0, 1.0]),
        Direction::Higher,
    );
    assert_eq!(g, some(&[0.0, 0.25, 1.0]));
    assert_eq!(
        normalise(
            &[None, Some(1.0)],
            &Normalise::Minmax,
            None,
            Direction::Higher
        ),
        vec![None, Some(1.0)]
    );
}

#[test]
fn rank_normalisation_counts_as_a_pass_over_all_does() {
    let by_pass = |v: &[f64], x: f64| {
        let below = v.iter().filter(|&&y| y < x).count();
        (below, v.iter().filter(|&&y| y == x).count())
    };
    let mut rng = crate::rng::Rng::new(7);
    let mut cases: Vec<Vec<f64>> = vec![
        vec![],
        vec![0.0, -0.0, 0.0, 1.0, -1.0, -0.0],
        vec![f64::NAN, 1.0, 1.0, 2.0],
        vec![2.0, f64::NAN, -0.0, 0.0, -f64::NAN],
    ];
    // Ties among a few values, and values all apart.
    cases.push((0..500).map(|_| (rng.unit() * 7.0).floor()).collect());
    cases.push((0..500).map(|_| rng.unit() - 0.5).collect());
    for v in &cases {
        let counts = below_and_equal(v);
        for &x in v.iter().chain(&[-0.0, 0.0, 3.5, f64::NAN]) {
            assert_eq!(counts(x), by_pass(v, x), "{x} in {v:?}");
        }
    }
}

#[test]
fn aggregation_by_hand() {
    let n = some(&[1.0, 0.5]);
    let w = [3.0, 1.0];
    let skip = [Missing::Skip, Missing::Skip];
    assert_eq!(
        aggregate(&n, &w, &skip, Aggregation::Arithmetic),
        Some(0.875)
    );
    let g = aggregate(&n, &w, &skip, Aggregation::Geometric).unwrap();
    assert!((g - 0.5f64.powf(0.25)).abs() < 1e-12);
    // Missing: skipped (weights renormalised) or counted as 0.
    let m = [Some(1.0), None];
    assert_eq!(aggregate(&m, &w, &skip, Aggregation::Arithmetic), Some(1.0));
    assert_eq!(
        aggregate(
            &m,
            &w,
            &[Missing::Skip, Missing::Worst],
            Aggregation::Arithmetic
        ),
        Some(0.75)
    );
}

#[test]
fn tie_rules_by_hand() {
    let s = some(&[0.9, 0.5, 0.9, 0.1]);
    assert_eq!(
        rank(&s, Tie::Competition),
        [Some(1), Some(3), Some(1), Some(4)]
    );
    assert_eq!(rank(&s, Tie::Dense), [Some(1), Some(2), Some(1), Some(3)]);
    assert_eq!(rank(&[None, Some(0.2)], Tie::Competition), [None, Some(1)]);
    // Scores that differ only past the published sixth decimal print the same and share a
    // rank (both print 0.765775); one a printed unit apart does not.
    let close = some(&[0.7657751, 0.7657749, 0.765776]);
    assert_eq!(rank(&close, Tie::Competition), [Some(2), Some(2), Some(1)]);
    assert_eq!(published(0.7657751), published(0.7657749));
    // z-scores are negative too.
    assert_eq!(
        rank(&some(&[-1.0, 0.5, -2.0, 0.5, 0.0]), Tie::Competition),
        [Some(4), Some(1), Some(5), Some(1), Some(3)]
    );
}

#[test]
fn percentiles_by_nearest_rank() {
    let d = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert_eq!(percentile(&d, 0.05), Some(1));
    assert_eq!(percentile(&d, 0.5), Some(5));
    assert_eq!(percentile(&d, 0.95), Some(10));
}

#[test]
fn terms_aggregate_as_aggregate_does_to_the_bit() {
    let mut rng = Rng::new(11);
    let missing = [Missing::Worst, Missing::Skip, Missing::Skip, Missing::Worst];
    let norm: Vec<Vec<Option<f64>>> = (0..200)
        .map(|_| {
            (0..4)
                .map(|_| (rng.unit() > 0.3).then(|| rng.unit() * 2.0 - 0.5))
                .collect()
        })
        .collect();
    let scored: Vec<bool> = (0..norm.len()).map(|m| m % 7 != 3).collect();
    let (mut sums, mut out) = (Sums::default(), Vec::new());
    for how in [Aggregation::Arithmetic, Aggregation::Geometric] {
        let terms = Terms::new(&norm, &missing, how);
        for i in 0..20 {
            // A context indicator weighs 0 (passed over by `scores_into`, not by
            // `aggregate`); each indicator in turn, one of them as -0.
            let w: Vec<f64> = (0..4)
                .map(|k| match (i % 5 == k, i % 10 == k) {
                    (true, true) => -0.0,
                    (true, false) => 0.0,
                    _ => rng.unit(),
                })
                .collect();
            terms.scores_into(&w, &scored, &mut sums, &mut out);
            for (m, n) in norm.iter().enumerate() {
                let want = aggregate(n, &w, &missing, how).filter(|_| scored[m]);
                assert_eq!(out[m].map(f64::to_bits), want.map(f64::to_bits));
            }
        }
    }
}

#[test]
fn rank_interval_is_the_sorted_percentiles() {
    let mut rng = Rng::new(7);
    for n in [0, 1, 2, 3, 19, 20, 21, 1000] {
        let d: Vec<u32> = (0..n).map(|_| (rng.unit() * 50.0) as u32).collect();
        let mut sorted = d.clone();
        sorted.sort_unstable();
        let want = [0.05, 0.5, 0.95].map(|p| percentile(&sorted, p));
        assert_eq!(rank_interval(&d, &mut Vec::new()), want, "{n} draws");
    }
}

#[test]
fn round_to_i64_is_round() {
    let mut rng = Rng::new(5);
    let mut xs = vec![
        0.5,
        -0.5,
        1.5,
        -1.5,
        2.5,
        0.49999999999999994,
        -0.0,
        f64::NAN,
    ];
    xs.extend([
        f64::INFINITY,
        f64::NEG_INFINITY,
        4_503_599_627_370_495.5,
        1e300,
    ]);
    xs.extend((0..10_000).map(|_| (rng.unit() - 0.5) * 10f64.powi((rng.unit() * 20.0) as i32)));
    for x in xs {
        assert_eq!(round_to_i64(x), x.round() as i64, "{x}");
    }
}

#[test]
fn ranks_in_64_bits_are_the_ranks_in_128() {
    // Scores that fit 64 bits with the index (a span of about 2^20 units) and scores that do
    // not (±5e11, about 2^60 units): the same ranks as a comparison sort gives.
    let mut rng = Rng::new(9);
    for spread in [1.0, 1e12] {
        for tie in [Tie::Competition, Tie::Dense] {
            let scores: Vec<Option<f64>> = (0..500)
                .map(|_| {
                    (rng.unit() > 0.1).then(|| ((rng.unit() * 20.0).floor() / 20.0 - 0.5) * spread)
                })
                .collect();
            let mut by_hand: Vec<(i64, usize)> = (scores.iter().enumerate())
                .filter_map(|(i, s)| s.map(|s| (-((s * 1e6).round() as i64), i)))
                .collect();
            by_hand.sort();
            let mut want = vec![None; scores.len()];
            let (mut dense, mut prev) = (0, None);
            let mut current = 0;
            for (pos, &(k, i)) in by_hand.iter().enumerate() {
                if prev != Some(k) {
                    dense += 1;
                    current = if tie == Tie::Dense {
                        dense
                    } else {
                        pos as u32 + 1
                    };
                    prev = Some(k);
                }
                want[i] = Some(current);
            }
            assert_eq!(rank(&scores, tie), want, "spread {spread}");
        }
    }
}
