//! Ingest throughput per reader on the real corpus: each report is read, extracted and
//! validated as `gongkai ingest` does (without disk I/O), 1,000 times per sample batch.
//!
//! By hand, in release: `cargo bench --bench ingest`. CI only runs it once, in debug:
//! `cargo test --benches`.

use std::path::Path;

use divan::{Bencher, black_box, counter::ItemsCount};
use gongkai::batch::process_bytes;
use gongkai::jobs::corpus::REAL;

fn main() {
    divan::main();
}

fn corpus(name: &str) -> (&'static str, &'static [u8]) {
    REAL.iter()
        .copied()
        .find(|(p, _)| p.ends_with(name))
        .expect("report in the embedded corpus")
}

/// One report per reader shape, repeated 1,000 times per iteration.
#[divan::bench(args = [
    "jiangxi_dayu_2019.txt",
    "fujian_pingtan_2021.txt",
    "jiangsu_huaian-shi_2024.pdftotext.txt",
    "shanghai_shi-zhengfu-bangongting_2019.html",
], sample_count = 10, sample_size = 1)]
fn reports_x1000(bencher: Bencher, name: &str) {
    let (path, bytes) = corpus(name);
    let n: usize = if cfg!(debug_assertions) { 1 } else { 1000 };
    bencher.counter(ItemsCount::new(n)).bench(|| {
        for _ in 0..n {
            black_box(process_bytes(Path::new(path), black_box(bytes), None));
        }
    });
}

/// The Dayu report written in each office format (as `tests/formats.rs` writes it), read
/// 1,000 times per iteration: reports/s per format.
#[divan::bench(args = ["xlsx", "sheets", "ods", "docx", "csv", "html"], sample_count = 10, sample_size = 1)]
fn office_x1000(bencher: Bencher, format: &str) {
    use gongkai::synth::render::{Shape, print_report, render};
    let (path, bytes) = corpus("jiangxi_dayu_2019.txt");
    let parsed = process_bytes(Path::new(path), bytes, None)
        .result
        .expect("Dayu parses");
    let shape = Shape::ALL
        .into_iter()
        .find(|s| s.key() == format)
        .expect("a shape");
    let file = render(shape, &print_report(&parsed.report), &[], &[]);
    let name = format!("dayu.{}", shape.extension());
    let n: usize = if cfg!(debug_assertions) { 1 } else { 1000 };
    bencher.counter(ItemsCount::new(n)).bench(|| {
        for _ in 0..n {
            black_box(process_bytes(Path::new(&name), black_box(&file), None));
        }
    });
}

/// The Huaian PDF (412 KB, text layer read with pdf-extract), 100 times per iteration.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn pdf_x100(bencher: Bencher) {
    let bytes: &[u8] = include_bytes!("../tests/fixtures/real/jiangsu_huaian-shi_2024.pdf");
    let n: usize = if cfg!(debug_assertions) { 1 } else { 100 };
    bencher.counter(ItemsCount::new(n)).bench(|| {
        for _ in 0..n {
            black_box(process_bytes(
                Path::new("huaian.pdf"),
                black_box(bytes),
                None,
            ));
        }
    });
}
