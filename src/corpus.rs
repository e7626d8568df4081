//! The default corpus, embedded in the binary so `gongkai run` works from any directory on
//! a fresh machine: the real development reports in `data/corpus/real/`.

/// `(path as shown in outputs, bytes)`.
pub const DEFAULT_CORPUS: &[(&str, &[u8])] = &[
    (
        "data/corpus/real/fujian_pingtan_2019.txt",
        include_bytes!("../data/corpus/real/fujian_pingtan_2019.txt"),
    ),
    (
        "data/corpus/real/fujian_pingtan_2021.txt",
        include_bytes!("../data/corpus/real/fujian_pingtan_2021.txt"),
    ),
    (
        "data/corpus/real/fujian_pingtan_2023.txt",
        include_bytes!("../data/corpus/real/fujian_pingtan_2023.txt"),
    ),
    (
        "data/corpus/real/jiangsu_huaian-shi_2024.pdftotext.txt",
        include_bytes!("../data/corpus/real/jiangsu_huaian-shi_2024.pdftotext.txt"),
    ),
    (
        "data/corpus/real/jiangxi_dayu_2019.txt",
        include_bytes!("../data/corpus/real/jiangxi_dayu_2019.txt"),
    ),
    (
        "data/corpus/real/shanghai_shi-zhengfu-bangongting_2019.html",
        include_bytes!("../data/corpus/real/shanghai_shi-zhengfu-bangongting_2019.html"),
    ),
];
