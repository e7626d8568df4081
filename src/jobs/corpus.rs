//! The default corpus, so `gongkai run` works from any directory on a fresh machine: the
//! real development reports of `data/corpus/real/` (embedded in the binary) and a synthetic
//! province (示例省) printed by the project's own generator with a fixed seed, big enough to
//! be worth ranking: 200 fictional counties over 2019–2024, both template layouts, every
//! text shape, some traditional script and GB18030, injected source errors.

use std::path::PathBuf;

use crate::synth::{self, Corpus, Options, Shape};

/// `(path as shown in outputs, bytes)` of the real development reports.
pub const REAL: &[(&str, &[u8])] = &[
    (
        "data/corpus/real/fujian_pingtan_2019.txt",
        include_bytes!("../../data/corpus/real/fujian_pingtan_2019.txt"),
    ),
    (
        "data/corpus/real/fujian_pingtan_2021.txt",
        include_bytes!("../../data/corpus/real/fujian_pingtan_2021.txt"),
    ),
    (
        "data/corpus/real/fujian_pingtan_2023.txt",
        include_bytes!("../../data/corpus/real/fujian_pingtan_2023.txt"),
    ),
    (
        "data/corpus/real/jiangsu_huaian-shi_2024.pdftotext.txt",
        include_bytes!("../../data/corpus/real/jiangsu_huaian-shi_2024.pdftotext.txt"),
    ),
    (
        "data/corpus/real/jiangxi_dayu_2019.txt",
        include_bytes!("../../data/corpus/real/jiangxi_dayu_2019.txt"),
    ),
    (
        "data/corpus/real/shanghai_shi-zhengfu-bangongting_2019.html",
        include_bytes!("../../data/corpus/real/shanghai_shi-zhengfu-bangongting_2019.html"),
    ),
];

/// Where the synthetic reports appear to live in outputs.
pub const SYNTHETIC_DIR: &str = "synthetic/示例省";

/// The synthetic province of the default corpus. Changing it changes every default output,
/// so it is fixed here, seed included.
pub fn synthetic() -> Corpus {
    Corpus {
        options: Options {
            issuers: 200,
            years: (2019, 2024),
            seed: 20_261_125,
            ..Options::default()
        },
        shapes: Shape::ALL.to_vec(),
        traditional_rate: 0.05,
        gbk_rate: 0.05,
    }
}

/// Every input of the default corpus, real reports first: `(path, bytes)`.
pub fn inputs() -> Vec<(PathBuf, Vec<u8>)> {
    let c = synthetic();
    let truths = synth::generate(&c.options);
    let mut out: Vec<(PathBuf, Vec<u8>)> = REAL
        .iter()
        .map(|(p, b)| (PathBuf::from(p), b.to_vec()))
        .collect();
    out.extend(
        synth::files(&c, &truths)
            .into_iter()
            .map(|(name, bytes)| (PathBuf::from(SYNTHETIC_DIR).join(name), bytes)),
    );
    out
}
