//! Compiles `src/source/t2s.tsv` (the traditional → simplified table, as text) into an fst map
//! and a blob of replacement texts in `OUT_DIR`, so that the reader's conversion table is
//! ready without building anything at run time (`source::t2s`).

use std::io::Write;

fn main() {
    let table = "src/source/t2s.tsv";
    println!("cargo::rerun-if-changed={table}");
    println!("cargo::rerun-if-changed=build.rs");
    let text = std::fs::read_to_string(table).expect("src/source/t2s.tsv is readable");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut map = fst::MapBuilder::memory();
    let mut replacements: Vec<u8> = Vec::new();
    for line in text.lines() {
        // `key` alone: the key stays as it is (value 0). `key\tvalue`: the value's place in
        // the blob, packed as offset << 8 | length (a length is never 0, so never 0 in all).
        let (key, packed) = match line.split_once('\t') {
            None => (line, 0),
            Some((key, value)) => {
                assert!(
                    value.len() < 256,
                    "a replacement longer than 255 bytes: {value}"
                );
                let packed = ((replacements.len() as u64) << 8) | value.len() as u64;
                replacements.extend_from_slice(value.as_bytes());
                (key, packed)
            }
        };
        map.insert(key, packed)
            .expect("t2s.tsv is sorted by bytes, each key once");
    }
    let fst = map.into_inner().expect("the fst builds");
    std::fs::File::create(out.join("t2s.fst"))
        .and_then(|mut f| f.write_all(&fst))
        .expect("OUT_DIR is writable");
    std::fs::File::create(out.join("t2s.values"))
        .and_then(|mut f| f.write_all(&replacements))
        .expect("OUT_DIR is writable");
}
