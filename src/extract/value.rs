//! Cell values: one printed cell's text to a value and a state (DESIGN §1.3). Exact decimals,
//! never floats: 251000元 is 25.1 万元 to the last digit.

use std::borrow::Cow;

use crate::report::Dec;
use crate::template::{COUNT_UNITS, CellKind, MONEY_UNITS, NOT_APPLICABLE_WORDS};

/// What a printed cell holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Number(Dec),
    Blank,
    NotApplicable,
    /// Text that is not a value of this cell's kind.
    Unparsed,
}

impl Value {
    /// The value as a count in an identity: a number's integer, a blank's 0; `None` for a
    /// number with decimals or one beyond `i64`, a not-applicable word, text.
    pub(crate) fn as_count(&self) -> Option<i64> {
        match self {
            Value::Number(d) => d.as_i64(),
            Value::Blank => Some(0),
            _ => None,
        }
    }
}

/// Placeholder characters the extractor puts in its stream for whole cells that hold no
/// digits: an empty cell, and a not-applicable word.
pub(crate) const BLANK_MARK: char = '\u{E000}';
pub(crate) const NA_MARK: char = '\u{E001}';
/// The two marks as text, for the stream's tokens (a test checks they are the marks).
pub(crate) const BLANK_TEXT: &str = "\u{E000}";
pub(crate) const NA_TEXT: &str = "\u{E001}";

/// Whether a whole cell's text is a not-applicable word (`/`, `-`, 无, 不适用 …).
pub(crate) fn is_not_applicable(text: &str) -> bool {
    // Asked of every word of every report: most are longer than any such word.
    const LONGEST: usize = {
        let mut longest = 0;
        let mut i = 0;
        while i < NOT_APPLICABLE_WORDS.len() {
            if NOT_APPLICABLE_WORDS[i].len() > longest {
                longest = NOT_APPLICABLE_WORDS[i].len();
            }
            i += 1;
        }
        longest
    };
    let t = crate::trim::trim(text);
    t.len() <= LONGEST && NOT_APPLICABLE_WORDS.contains(&t)
}

/// Parses one printed cell. `strict` is for cells cut out of glued digit runs, where a
/// leading zero or a bare non-zero 增/减 means the cut is wrong.
pub fn parse(text: &str, kind: CellKind, strict: bool) -> Parsed {
    // Most cells are plain digits: what the general path below makes of them, directly (no
    // sign, unit, separator, blank or not-applicable word can be among them).
    if let Some(v) = crate::report::small_int(text) {
        let d = Value::Number(Dec::int(v));
        // A leading zero is a wrong cut (strict), as `digits_ok` says.
        let ok = !strict || text == "0" || !text.starts_with('0');
        return match (kind, ok) {
            (_, false) => blanks(kind, Value::Unparsed),
            (CellKind::Pair(_), true) if v == 0 => Parsed::two(d, d),
            (CellKind::Pair(_), true) => Parsed::two(d, Value::Blank),
            (_, true) => Parsed::one(d),
        };
    }
    parse_general(text, kind, strict)
}

/// [`parse`] for any text.
fn parse_general(text: &str, kind: CellKind, strict: bool) -> Parsed {
    let t = crate::trim::trim(text);
    if t.is_empty() || is_char(t, BLANK_MARK) {
        return blanks(kind, Value::Blank);
    }
    if strict && matches!(t, "-" | "+") {
        // A sign cut off the number it signs is no cell.
        return blanks(kind, Value::Unparsed);
    }
    if is_char(t, NA_MARK) || is_not_applicable(t) {
        return blanks(kind, Value::NotApplicable);
    }
    match kind {
        CellKind::Count => Parsed::one(count(t, strict)),
        CellKind::Money => Parsed::one(money(t, strict)),
        CellKind::Pair(_) => {
            let [a, b] = pair(t, strict);
            Parsed::two(a, b)
        }
    }
}

/// A printed cell's values: one, or two for a 增/减 pair.
pub(crate) type Parsed = crate::two::UpToTwo<Value>;

fn is_char(t: &str, c: char) -> bool {
    let mut cs = t.chars();
    cs.next() == Some(c) && cs.next().is_none()
}

fn blanks(kind: CellKind, v: Value) -> Parsed {
    match kind {
        CellKind::Pair(_) => Parsed::two(v, v),
        _ => Parsed::one(v),
    }
}

/// Removes thousands separators when they sit where separators belong (`3,119`).
fn strip_thousands(t: &str) -> Option<Cow<'_, str>> {
    if !t.contains(',') {
        return Some(Cow::Borrowed(t));
    }
    let int = t.split('.').next().unwrap_or(t);
    let groups: Vec<&str> = int.split(',').collect();
    let ok =
        !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    ok.then(|| Cow::Owned(t.replace(',', "")))
}

fn digits_ok(t: &str, strict: bool) -> bool {
    let int = t.split('.').next().unwrap_or(t);
    !strict || int == "0" || !int.starts_with('0')
}

fn strip_suffix_any<'a>(t: &'a str, units: &[&str]) -> &'a str {
    units
        .iter()
        .find_map(|u| t.strip_suffix(u))
        .unwrap_or(t)
        .trim_end()
}

/// A leading sign, and the rest: a printed `-5` is minus five (I6 then says a count cannot
/// be negative), never a silent 5.
fn signed(t: &str) -> (bool, &str) {
    match t.strip_prefix(['-', '+']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => (t.starts_with('-'), rest),
        _ => (false, t),
    }
}

fn negated(v: Value, negative: bool) -> Value {
    match v {
        Value::Number(d) if negative => Value::Number(Dec {
            mant: -d.mant,
            scale: d.scale,
        }),
        v => v,
    }
}

fn count(t: &str, strict: bool) -> Value {
    let (negative, t) = signed(t);
    negated(unsigned_count(t, strict), negative)
}

fn unsigned_count(t: &str, strict: bool) -> Value {
    let t = strip_suffix_any(t, COUNT_UNITS);
    let Some(t) = strip_thousands(t) else {
        return Value::Unparsed;
    };
    if strict && t.contains('.') {
        return Value::Unparsed;
    }
    match Dec::parse(&t) {
        Some(d) if digits_ok(&t, strict) => Value::Number(d),
        _ => Value::Unparsed,
    }
}

fn money(t: &str, strict: bool) -> Value {
    let (negative, t) = signed(t);
    negated(unsigned_money(t, strict), negative)
}

fn unsigned_money(t: &str, strict: bool) -> Value {
    let (num, exp) = MONEY_UNITS
        .iter()
        .find_map(|(u, e)| t.strip_suffix(u).map(|n| (n.trim_end(), *e)))
        .unwrap_or((t, 0));
    let Some(num) = strip_thousands(num) else {
        return Value::Unparsed;
    };
    match Dec::parse(&num) {
        Some(d) if digits_ok(&num, strict) => Value::Number(d.shift(exp)),
        _ => Value::Unparsed,
    }
}

/// 本年增/减: `12/0`, `12/`, `/5`, a bare `0` (no change either way), or one signed number.
/// A single value is the net change the report printed, and its sign says which column it
/// belongs to: `7` and `+7` are added 7, `-18` is removed 18, and the other column was not
/// printed, so it is blank (as in `7/` and `/18`). Only a bare `0` fills both.
fn pair(t: &str, strict: bool) -> [Value; 2] {
    let side = |s: &str| {
        let s = s.trim();
        if s.is_empty() {
            Value::Blank
        } else if is_not_applicable(s) {
            Value::NotApplicable
        } else {
            count(s, strict)
        }
    };
    match t.split_once('/') {
        Some((a, b)) if !b.contains('/') => [side(a), side(b)],
        Some(_) => [Value::Unparsed, Value::Unparsed],
        None => {
            let (negative, magnitude) = match t.strip_prefix(['-', '+']) {
                Some(m) => (t.starts_with('-'), m.trim_start()),
                None => (false, t),
            };
            if magnitude.starts_with(['-', '+']) {
                return [Value::Unparsed, Value::Unparsed];
            }
            match unsigned_count(magnitude, strict) {
                Value::Number(d) if d == Dec::int(0) => [Value::Number(d), Value::Number(d)],
                Value::Number(d) if negative => [Value::Blank, Value::Number(d)],
                Value::Number(d) => [Value::Number(d), Value::Blank],
                _ => [Value::Unparsed, Value::Unparsed],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marks_as_text_are_the_marks() {
        assert_eq!(BLANK_TEXT, BLANK_MARK.to_string());
        assert_eq!(NA_TEXT, NA_MARK.to_string());
    }

    fn one(t: &str, kind: CellKind) -> Value {
        parse(t, kind, false)[0]
    }

    fn num(s: &str) -> Value {
        Value::Number(Dec::parse(s).unwrap())
    }

    #[test]
    fn plain_digits_read_as_the_general_path_reads_them() {
        let kinds = [CellKind::Count, CellKind::Money, CellKind::Pair("removed")];
        let texts = [
            "0",
            "00",
            "007",
            "7",
            "10",
            "070",
            "999999999999999999",
            "100000000000000000",
        ];
        for t in texts {
            for kind in kinds {
                for strict in [false, true] {
                    assert_eq!(
                        parse(t, kind, strict),
                        parse_general(t, kind, strict),
                        "{t} {kind:?} {strict}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_spelling_of_design_1_3() {
        use CellKind::*;
        assert_eq!(one("0", Count), num("0"));
        assert_eq!(one("", Count), Value::Blank);
        assert_eq!(one(" ", Count), Value::Blank);
        for na in ["/", "-", "—", "无", "不适用"] {
            assert_eq!(one(na, Count), Value::NotApplicable, "{na}");
        }
        assert_eq!(one("3,119", Count), num("3119"));
        assert_eq!(one("1,234,567", Count), num("1234567"));
        assert_eq!(one("12,34", Count), Value::Unparsed);
        assert_eq!(one("19024.59万元", Money), num("19024.59"));
        assert_eq!(one("251000元", Money), num("25.1"));
        assert_eq!(one("5394432.52元", Money), num("539.443252"));
        assert_eq!(one("24252.311082", Money), num("24252.311082"));
        assert_eq!(one("96171.6", Money), num("96171.6"));
        assert_eq!(one("abc", Count), Value::Unparsed);
        assert_eq!(one("12件", Count), num("12"));
        // A sign is read, so I6 can say a count is negative.
        assert_eq!(one("-5", Count), Value::Number(Dec::int(-5)));
        assert_eq!(one("+5", Count), num("5"));
        assert_eq!(one("-", Count), Value::NotApplicable);
    }

    #[test]
    fn added_removed_pairs() {
        let p = |t| parse(t, CellKind::Pair("removed"), false);
        assert_eq!(p("12/0"), [num("12"), num("0")]);
        assert_eq!(p("12/"), [num("12"), Value::Blank]);
        assert_eq!(p("0/5"), [num("0"), num("5")]);
        assert_eq!(p("/5"), [Value::Blank, num("5")]);
        assert_eq!(p("0"), [num("0"), num("0")]);
        assert_eq!(p("7"), [num("7"), Value::Blank]);
        assert_eq!(p("+3"), [num("3"), Value::Blank]);
        assert_eq!(p("-18"), [Value::Blank, num("18")]);
        assert_eq!(p("-0"), [num("0"), num("0")]);
        assert_eq!(p("--3"), [Value::Unparsed, Value::Unparsed]);
        // Cut from a glued run: a single value reads as well, leading zeros do not.
        let strict = |t| parse(t, CellKind::Pair("removed"), true);
        assert_eq!(strict("50"), [num("50"), Value::Blank]);
        assert_eq!(strict("05"), [Value::Unparsed, Value::Unparsed]);
        assert_eq!(strict("-"), [Value::Unparsed, Value::Unparsed]);
        assert_eq!(p("/"), [Value::NotApplicable, Value::NotApplicable]);
        assert_eq!(p(""), [Value::Blank, Value::Blank]);
    }

    #[test]
    fn strict_refuses_leading_zeros_and_decimals_in_counts() {
        assert_eq!(parse("012", CellKind::Count, true), [Value::Unparsed]);
        assert_eq!(parse("0", CellKind::Count, true), [num("0")]);
        assert_eq!(parse("1.5", CellKind::Count, true), [Value::Unparsed]);
        assert_eq!(parse("012", CellKind::Count, false), [num("12")]);
    }

    #[test]
    fn to_f64_is_the_parse_of_the_text() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..20_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mant = (x >> (i % 64)) as i128 * if i % 3 == 0 { -1 } else { 1 };
            let d = Dec {
                mant,
                scale: i % 26,
            };
            let want: f64 = d.to_string().parse().unwrap();
            assert_eq!(d.to_f64().to_bits(), want.to_bits(), "{d}");
        }
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Dec::parse("25.10").unwrap().to_string(), "25.1");
        assert_eq!(Dec::parse("251000").unwrap().shift(-4).to_string(), "25.1");
        assert_eq!(Dec::parse("3").unwrap().shift(-4).to_string(), "0.0003");
        assert_eq!(Dec::parse("1.5").unwrap().shift(4).to_string(), "15000");
        assert_eq!(Dec::parse("."), None);
        assert_eq!(Dec::parse("1."), None);
    }
}
