//! Ranking at provincial-evaluation scale: 10,000 fictional issuers (示例省, codes 99…) ×
//! 6 years with the default model (1,000 weight draws, four peer groups).
//!
//! By hand, in release: `cargo bench --bench rank`. CI runs it once in debug
//! (`cargo test --benches`) on 50 issuers × 2 years × 20 draws so it stays quick.

use divan::{Bencher, black_box};
use gongkai::score::model::Model;
use gongkai::score::rank::{self, Unit};
use gongkai::template::TableKind;

fn main() {
    divan::main();
}

/// Deterministic fictional units with plausible magnitudes.
fn units(issuers: usize, years: i32) -> Vec<Unit> {
    let mut seed = 0x5EED_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = Vec::new();
    for y in 0..years {
        for i in 0..issuers {
            let mut values = rank::Values::default();
            let new = (next() % 500) as f64;
            let granted = new * (next() % 100) as f64 / 100.0;
            let denied = (new - granted) / 2.0;
            let mut put = |t, r, c, v| {
                values.insert((t, r, c), v);
            };
            let rq = TableKind::Requests;
            put(rq, "new", "total", new);
            put(rq, "carried_in", "total", (next() % 10) as f64);
            put(rq, "granted", "total", granted);
            put(rq, "partial", "total", 0.0);
            put(rq, "denied_internal", "total", denied);
            put(rq, "unable_not_held", "total", new - granted - denied);
            put(rq, "total", "total", new);
            put(rq, "carried_out", "total", (next() % 10) as f64);
            let rl = TableKind::ReviewLitigation;
            put(rl, "review", "total", (next() % 20) as f64);
            put(rl, "review", "corrected", (next() % 3) as f64);
            put(
                TableKind::Disclosure,
                "licensing",
                "decisions",
                (next() % 100_000) as f64,
            );
            out.push(Unit {
                report_id: format!("{i}-{y}"),
                who: format!("99{i:04}"),
                issuer: format!("示例县{i}"),
                region_code: format!("99{i:04}"),
                province: format!("示例省{}", i % 10),
                city: format!("示例市{}", i % 100),
                level: "county".into(),
                body: "government".into(),
                year: 2019 + y,
                layouts: "2021/2021".into(),
                values,
                empty: Default::default(),
                // Every report measured, as an ingest gives them: completeness, identity
                // failures, reuse (from the second year), the fee.
                measures: [
                    Some(0.9 + (next() % 10) as f64 / 100.0),
                    Some((next() % 3) as f64),
                    (y > 0).then(|| (next() % 100) as f64 / 100.0),
                    Some((next() % 2) as f64),
                ],
            });
        }
    }
    out
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn rank_10k_issuers_6_years(bencher: Bencher) {
    let (issuers, years, draws) = if cfg!(debug_assertions) {
        (50, 2, 20)
    } else {
        (10_000, 6, 1_000)
    };
    let mut model = Model::default_model();
    model.perturbation.draws = draws;
    let u = units(issuers, years);
    bencher.bench(|| black_box(rank::run(&model, black_box(&u))));
}
