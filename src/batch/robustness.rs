//! Mangled real reports never panic. A batch catches panics and turns them into error
//! rows, so these tests call the stages directly, where a panic fails the test.

use std::path::PathBuf;

use crate::extract::extract;
use crate::source::{Origin, read};
use crate::validate::validate;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn run(bytes: &[u8], name: &str) {
    if let Ok(doc) = read(bytes, &Origin::new(name)) {
        let report = extract(&doc);
        let _ = validate(&report);
    }
}

#[test]
fn truncated_flipped_and_spliced_reports_do_not_panic() {
    let files = [
        "real/jiangxi_dayu_2019.txt",
        "real/fujian_pingtan_2021.txt",
        "real/jiangsu_huaian-shi_2024.pdftotext.txt",
        "real/shanghai_shi-zhengfu-bangongting_2019.html",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for f in files {
        let original = std::fs::read(fixture(f)).unwrap();
        for i in 0..60 {
            let mut b = original.clone();
            match i % 4 {
                0 => b.truncate(rng.below(b.len())),
                1 => {
                    for _ in 0..1 + rng.below(20) {
                        let at = rng.below(b.len());
                        b[at] = rng.next() as u8;
                    }
                }
                2 => {
                    let from = rng.below(b.len());
                    let to = from + rng.below(b.len() - from);
                    let at = rng.below(b.len());
                    let chunk = b[from..to].to_vec();
                    b.splice(at..at, chunk);
                }
                _ => {
                    let from = rng.below(b.len());
                    let to = from + rng.below((b.len() - from).min(4000));
                    b.drain(from..to);
                }
            }
            run(&b, f);
        }
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let long_digits = "1".repeat(100_000);
    let inputs: Vec<Vec<u8>> = vec![
        b"|".to_vec(),
        "三、收到和处理政府信息公开申请情况".as_bytes().to_vec(),
        format!("三、收到和处理申请情况一、本年新收政府信息公开申请数量{long_digits}").into_bytes(),
        "<table>".repeat(5000).into_bytes(),
        "<table><tr><td rowspan=999999 colspan=999999>1</td></tr></table>"
            .as_bytes()
            .to_vec(),
        "四、行政复议总计".repeat(1000).into_bytes(),
        "| | | |\n|---|---|\n||||\n |\n".as_bytes().to_vec(),
        vec![0xFF, 0xFE, 0x00],
        "2.其他法律行政法规禁止公开2.2.2.".as_bytes().to_vec(),
    ];
    for (i, b) in inputs.iter().enumerate() {
        run(b, &format!("odd{i}.txt"));
        run(b, &format!("odd{i}.html"));
    }
}
