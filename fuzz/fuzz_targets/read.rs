//! Every reader on arbitrary bytes: `process_all` must return outcomes (error rows for bad
//! input), never panic or hang. The first byte picks the file name's extension, since a few
//! formats (CSV, markup-free HTML) are told apart by it.
#![no_main]

use std::path::Path;

use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static QUIET: Once = Once::new();

const NAMES: [&str; 8] = [
    "r.txt", "r.html", "r.csv", "r.xlsx", "r.docx", "r.pdf", "r.ods", "r.md",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    // pdf-extract panics on many malformed PDFs; the reader catches that and says `corrupt`,
    // but libFuzzer's panic hook aborts on any panic, caught or not. So the hook is silenced
    // once: a panic nobody catches still escapes the target and is a crash. PDFs also have
    // their own target (`pdf`); regression files live in tests/fixtures/fuzz/.
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let name = NAMES[pick as usize % NAMES.len()];
    let outcomes = gongkai::batch::process_all(Path::new(name), bytes, None);
    assert!(!outcomes.is_empty());
    for o in &outcomes {
        if let Err(f) = &o.result {
            // A panic caught inside is a bug too: it must be a reasoned error row.
            assert_ne!(f.kind, "panic", "{}", f.message);
        }
    }
});
