//! The cell-value parser on arbitrary text, for every cell kind, strict and not.
#![no_main]

use libfuzzer_sys::fuzz_target;

use gongkai::fuzzing::parse_value as parse;
use gongkai::template::CellKind;

fuzz_target!(|text: &str| {
    for kind in [CellKind::Count, CellKind::Money, CellKind::Pair("removed")] {
        for strict in [false, true] {
            let values = parse(text, kind, strict);
            let want = if matches!(kind, CellKind::Pair(_)) { 2 } else { 1 };
            assert_eq!(values.len(), want, "{text:?}");
        }
    }
});
