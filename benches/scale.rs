//! Ingest at scale on synthetic corpora (示例省, every text shape, 10 % traditional, 10 %
//! GB18030): `ingest` of 1k / 10k / 100k reports from disk in parallel, against the floor of
//! reading the same bytes (`cat`), and the whole `run` (ingest, frames, ranking) at 10k.
//!
//! By hand, in release: `cargo bench --bench scale` (writes the corpora under the system temp
//! directory once). CI runs it once in debug on 20 reports.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::{Bencher, black_box};
use gongkai::synth::{self, Corpus, Options, Shape};

fn main() {
    divan::main();
}

fn sizes() -> &'static [usize] {
    if cfg!(debug_assertions) {
        &[20]
    } else {
        &[1_000, 10_000, 100_000]
    }
}

/// A corpus of about `n` reports (issuers × years), written once per size.
fn corpus(n: usize) -> PathBuf {
    static DIRS: OnceLock<std::sync::Mutex<Vec<(usize, PathBuf)>>> = OnceLock::new();
    let dirs = DIRS.get_or_init(Default::default);
    let mut dirs = dirs.lock().unwrap();
    if let Some((_, d)) = dirs.iter().find(|(k, _)| *k == n) {
        return d.clone();
    }
    let dir = std::env::temp_dir().join(format!("gongkai-bench-{n}"));
    if !dir.join("truth_cells.csv").exists() {
        // At most 99 × 99 fictional counties: large corpora span more years.
        let years = n.div_ceil(99 * 99).max(6) as i32;
        let c = Corpus {
            options: Options {
                issuers: n.div_ceil(years as usize),
                years: (2025 - years, 2024),
                seed: 2026,
                old_requests_rate: 0.2,
                error_rate: 0.05,
                contradiction_rate: 0.05,
                change_form_rate: 0.3,
            },
            shapes: Shape::TEXT.to_vec(),
            traditional_rate: 0.1,
            gbk_rate: 0.1,
        };
        synth::write_corpus(&c, &dir).expect("write corpus");
    }
    dirs.push((n, dir.clone()));
    dir
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("reports"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn cat_floor(bencher: Bencher, n: usize) {
    let f = files(&corpus(n));
    bencher
        .counter(divan::counter::ItemsCount::new(f.len()))
        .bench(|| {
            let mut total = 0usize;
            for p in &f {
                total += std::fs::read(p).unwrap().len();
            }
            black_box(total)
        });
}

#[divan::bench(args = sizes(), sample_count = 3, sample_size = 1)]
fn ingest(bencher: Bencher, n: usize) {
    let dir = corpus(n).join("reports");
    let count = files(&corpus(n)).len();
    bencher
        .counter(divan::counter::ItemsCount::new(count))
        .bench(|| black_box(gongkai::batch::ingest(std::slice::from_ref(&dir), None)));
}

#[divan::bench(args = [if cfg!(debug_assertions) { 20 } else { 10_000 }], sample_count = 3, sample_size = 1)]
fn run_with_frames_and_ranking(bencher: Bencher, n: usize) {
    let dir = corpus(n).join("reports");
    let model = gongkai::score::Model::default_model();
    bencher.bench(|| {
        let batch = gongkai::batch::ingest(std::slice::from_ref(&dir), None);
        let f = gongkai::frames::build(&batch.outcomes).unwrap();
        black_box(
            gongkai::score::score_frames(&model, &f.reports, &f.cells, Some(&f.findings)).unwrap(),
        )
    });
}
