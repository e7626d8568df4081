//! The PDF reader on arbitrary bytes that start like a PDF: an outcome (an error row for bad
//! input), never a panic that escapes, never a hang. pdf-extract panics on many malformed
//! files and the reader catches that (`corrupt`); libFuzzer's panic hook would abort even on
//! a caught panic, so this target silences the hook once: a panic the reader does not catch
//! (in the layout code after parsing) still escapes the target and is reported as a crash.
#![no_main]

use std::path::Path;
use std::sync::Once;

use libfuzzer_sys::fuzz_target;

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"%PDF-1.4\n").unwrap_or(data));
    let outcomes = gongkai::batch::process_all(Path::new("r.pdf"), &bytes, None);
    assert!(!outcomes.is_empty());
    for o in &outcomes {
        if let Err(f) = &o.result {
            assert_ne!(f.kind, "panic", "{}", f.message);
        }
    }
});
