//! CSV for the frames whose columns are text, integers, `f64` or booleans (`cells`, the
//! biggest file of a batch: some 400 MB per 10,000 reports; `scores`, 70 MB), written row
//! slices at a time on every core. The bytes are those polars' `CsvWriter` writes with its
//! defaults (comma, `"` quotes only where needed, an empty string as `""`, null as nothing,
//! integers in decimal, floats as its `zmij` prints them, `true`/`false`, `\n` after each
//! row), which a test checks; frames with other columns go to polars as before.

use std::io::Write;

use polars::prelude::*;
use rayon::prelude::*;

/// Rows serialised per task.
const SLICE: usize = 1 << 15;

/// How [`write`] uses the cores.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Threads {
    /// Slices of rows on every core: for a frame written while nothing else runs.
    All,
    /// On the calling thread only: a streaming batch's writer thread must not queue work
    /// behind the workers reading the next chunk (it would wait for the whole chunk).
    Caller,
}

/// Writes `df` (with a UTF-8 byte-order mark and its header row when `header`, as the frames'
/// files begin) and returns `true`, or returns `false` having written nothing when a column is
/// of another type.
pub(super) fn write(
    df: &DataFrame,
    w: &mut impl Write,
    header: bool,
    threads: Threads,
) -> anyhow::Result<bool> {
    if !df.columns().iter().all(|c| {
        matches!(
            c.dtype(),
            DataType::String
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt32
                | DataType::UInt64
                | DataType::Float64
                | DataType::Boolean
        )
    }) {
        return Ok(false);
    }
    if header {
        let mut line = "\u{feff}".as_bytes().to_vec();
        for (i, name) in df.get_column_names().iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            field(&mut line, name.as_str());
        }
        line.push(b'\n');
        w.write_all(&line)?;
    }
    let starts: Vec<usize> = (0..df.height()).step_by(SLICE).collect();
    let slice = |start: &usize| rows(&df.slice(*start as i64, SLICE));
    if threads == Threads::Caller {
        for start in &starts {
            w.write_all(&slice(start)?)?;
        }
        return Ok(true);
    }
    // A few slices per core at a time, written in order: memory stays a few MB.
    for group in starts.chunks(4 * rayon::current_num_threads()) {
        let parts: Vec<PolarsResult<Vec<u8>>> = group.par_iter().map(slice).collect();
        for part in parts {
            w.write_all(&part?)?;
        }
    }
    Ok(true)
}

/// One column of a slice, read out once: rows are then written by index, without a call
/// through an iterator object per value.
enum Values<'a> {
    Text(Vec<Option<&'a str>>),
    /// `i32`, `i64` and `u32` columns.
    Int(Vec<Option<i64>>),
    UInt(Vec<Option<u64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
}

/// A numeric column's values, read chunk by chunk from its values and validity rather than
/// through the column's iterator (3.6 M fewer instructions for the 1k text corpus, whose wide
/// frames have 268 columns).
fn numbers<T, U>(ca: &ChunkedArray<T>, to: impl Fn(T::Native) -> U) -> Vec<Option<U>>
where
    T: PolarsNumericType,
{
    let mut out = Vec::with_capacity(ca.len());
    for arr in ca.downcast_iter() {
        let values = arr.values().iter().map(|&v| to(v));
        match arr.validity() {
            Some(valid) => out.extend(values.zip(valid.iter()).map(|(v, ok)| ok.then_some(v))),
            None => out.extend(values.map(Some)),
        }
    }
    out
}

/// The rows of a slice of `df`, as CSV lines.
fn rows(df: &DataFrame) -> PolarsResult<Vec<u8>> {
    let cols: Vec<Values> = df
        .columns()
        .iter()
        .map(|c| {
            Ok(match c.dtype() {
                DataType::Int32 => Values::Int(numbers(c.i32()?, i64::from)),
                DataType::Int64 => Values::Int(numbers(c.i64()?, |v| v)),
                DataType::UInt32 => Values::Int(numbers(c.u32()?, i64::from)),
                DataType::UInt64 => Values::UInt(numbers(c.u64()?, |v| v)),
                DataType::Float64 => Values::Float(numbers(c.f64()?, |v| v)),
                DataType::Boolean => Values::Bool(c.bool()?.iter().collect()),
                _ => Values::Text(c.str()?.iter().collect()),
            })
        })
        .collect::<PolarsResult<_>>()?;
    let mut out = Vec::with_capacity(df.height() * 16 * cols.len());
    let mut int = itoa::Buffer::new();
    let mut float = zmij::Buffer::new();
    for r in 0..df.height() {
        for (i, col) in cols.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match col {
                Values::Text(v) => {
                    if let Some(s) = v[r] {
                        field(&mut out, s);
                    }
                }
                Values::Int(v) => {
                    if let Some(n) = v[r] {
                        out.extend_from_slice(int.format(n).as_bytes());
                    }
                }
                Values::UInt(v) => {
                    if let Some(n) = v[r] {
                        out.extend_from_slice(int.format(n).as_bytes());
                    }
                }
                Values::Float(v) => {
                    if let Some(x) = v[r] {
                        write_float(&mut out, x, &mut int, &mut float);
                    }
                }
                Values::Bool(v) => match v[r] {
                    Some(true) => out.extend_from_slice(b"true"),
                    Some(false) => out.extend_from_slice(b"false"),
                    None => {}
                },
            }
        }
        out.push(b'\n');
    }
    Ok(out)
}

/// `x` as `zmij` prints it. A whole number below 2^53 (most values of the wide frames are
/// counts) is its digits and `.0` there, since `zmij` writes plain notation below 10^16
/// and the shortest digits that read back as such a number are its own: written so
/// directly (a test compares the two), the parent's instructions for the 1k text corpus
/// fell by 10 M (callgrind).
fn write_float(out: &mut Vec<u8>, x: f64, int: &mut itoa::Buffer, float: &mut zmij::Buffer) {
    const EXACT: f64 = (1u64 << 53) as f64;
    // Whole when it converts to an integer and back unchanged (no `fract`: without SSE4.1
    // that is a library call); -0.0 is printed with its sign.
    let whole = x as i64;
    if x.abs() < EXACT && whole as f64 == x && !(x == 0.0 && x.is_sign_negative()) {
        out.extend_from_slice(int.format(whole).as_bytes());
        out.extend_from_slice(b".0");
    } else {
        out.extend_from_slice(float.format(x).as_bytes());
    }
}

/// The start of every CSV row of a report's cells: its first five fields (report_id, source,
/// issuer, region_code, year), quoted once per report.
pub(super) fn cells_head(head: &mut Vec<u8>, (fields, year): &super::columns::ReportFields) {
    head.clear();
    for f in fields {
        if let Some(s) = f {
            field(head, s);
        }
        head.push(b',');
    }
    if let Some(y) = year {
        head.extend_from_slice(itoa::Buffer::new().format(*y).as_bytes());
    }
}

/// One CSV row of `cells`: the report's head, then a cell's eight fields. Only `raw` (the
/// fifth) is the report's own text; the others are template words, a number or a location,
/// which hold no comma, quote or line break (a test checks the words), so they are written
/// without looking for one. `key`, when given, is the first three fields (table, row, col)
/// already written, with the comma before each ([`key_fields`]).
pub(super) fn cells_row(
    out: &mut Vec<u8>,
    head: &[u8],
    key: Option<&[u8]>,
    tail: &[Option<&str>; 8],
) {
    out.extend_from_slice(head);
    let first = match key {
        Some(k) => {
            out.extend_from_slice(k);
            3
        }
        None => 0,
    };
    for (i, v) in tail.iter().enumerate().skip(first) {
        out.push(b',');
        match v {
            Some(s) if i == RAW => field(out, s),
            Some(s) => plain(out, s),
            None => {}
        }
    }
    out.push(b'\n');
}

/// The first three fields of a `cells` row, with the comma before each, for every key of the
/// template by its place in [`all_keys`](crate::template::all_keys): made once, copied into
/// each row of its key (written field by field they cost the parent of the 1k text corpus
/// 3.1 M more instructions, of its 888.5 M).
pub(super) fn key_fields() -> &'static [Box<[u8]>] {
    static FIELDS: std::sync::OnceLock<Vec<Box<[u8]>>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        (crate::template::all_keys().iter())
            .map(|&(t, r, c)| {
                let mut out = Vec::new();
                for w in [t.key(), r, c] {
                    out.push(b',');
                    plain(&mut out, w);
                }
                out.into_boxed_slice()
            })
            .collect()
    })
}

/// The place of `raw` among a cell's fields in [`cells_row`].
const RAW: usize = 4;

/// A field known to hold no comma, quote or line break.
fn plain(out: &mut Vec<u8>, s: &str) {
    debug_assert!(!needs_quotes(s.as_bytes()), "{s:?}");
    if s.is_empty() {
        out.extend_from_slice(b"\"\"");
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Whether a field holds a comma, a quote or a line break. For a long field a fold, not `any`:
/// without the early exit the loop is vectorised (every text cell of a batch passes here).
fn needs_quotes(b: &[u8]) -> bool {
    // Most fields are short (keys, numbers, locations): a table lookup per byte, stopping at
    // the first special one, costs less there than setting up the vectorised fold.
    const SPECIAL: [bool; 256] = {
        let mut t = [false; 256];
        t[b',' as usize] = true;
        t[b'\n' as usize] = true;
        t[b'\r' as usize] = true;
        t[b'"' as usize] = true;
        t
    };
    if b.len() < 16 {
        return b.iter().any(|&c| SPECIAL[c as usize]);
    }
    b.iter()
        .fold(false, |q, &c| q | matches!(c, b',' | b'\n' | b'\r' | b'"'))
}

/// One text field: quoted when it holds a comma, a quote or a line break, quotes doubled;
/// the empty string as `""` (an empty field is null).
fn field(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if b.is_empty() {
        out.extend_from_slice(b"\"\"");
    } else if !needs_quotes(b) {
        out.extend_from_slice(b);
    } else {
        out.push(b'"');
        for part in s.split('"').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Outcome;

    /// Every key's first three fields, made once, are the fields as a row writes them.
    #[test]
    fn key_fields_are_the_fields_written_one_by_one() {
        let all = crate::template::all_keys();
        assert_eq!(key_fields().len(), all.len());
        for (&(t, r, c), made) in all.iter().zip(key_fields()) {
            let mut one_by_one = Vec::new();
            let tail = [
                Some(t.key()),
                Some(r),
                Some(c),
                None,
                None,
                None,
                None,
                None,
            ];
            cells_row(&mut one_by_one, b"", None, &tail);
            let mut keyed = Vec::new();
            cells_row(&mut keyed, b"", Some(made), &tail);
            assert_eq!(keyed, one_by_one, "{t:?} {r} {c}");
        }
    }

    #[test]
    fn whole_floats_are_written_as_zmij_writes_them() {
        let mut rng = crate::rng::Rng::new(2026);
        let mut next = move || rng.next_u64();
        let mut values: Vec<f64> = vec![0.0, -0.0, 1.0, -1.0, 9.0, 10.0, 99.0, 100.0, 0.5];
        for e in 0..=53 {
            let p = (1u64 << e) as f64;
            values.extend([p - 1.0, p, p + 1.0, -p, 0.5 * p + 0.5]);
        }
        for e in 0..=17 {
            let p = 10f64.powi(e);
            values.extend([p - 1.0, p, p + 1.0, -p, p * 1.5]);
        }
        values.extend((0..20_000).map(|_| (next() >> (next() % 64)) as f64));
        values.extend((0..20_000).map(|_| -((next() % 1_000_000) as f64)));
        values.extend((0..2_000).map(|_| f64::from_bits(next())));
        values.extend([
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ]);
        let (mut int, mut float) = (itoa::Buffer::new(), zmij::Buffer::new());
        for v in values {
            let mut out = Vec::new();
            write_float(&mut out, v, &mut int, &mut float);
            assert_eq!(out, zmij::Buffer::new().format(v).as_bytes(), "{v:?}");
        }
    }

    #[test]
    fn cells_straight_from_outcomes_are_the_frames_bytes() {
        // The default corpus (real reports with quotes, commas and line breaks in their raw
        // text, every synthetic shape) and a failed file, which has no rows.
        let mut outcomes: Vec<Outcome> = crate::jobs::corpus::inputs()
            .iter()
            .map(|(p, b)| crate::batch::process_bytes(p, b, None))
            .collect();
        outcomes.push(crate::batch::process_bytes(
            std::path::Path::new("broken.xlsx"),
            b"PK\x03\x04 not a zip",
            None,
        ));
        let all: Vec<&Outcome> = outcomes.iter().collect();
        let mut got = Vec::new();
        let df = super::super::columns::cells_with(&all, Some(&mut got))
            .unwrap()
            .frame()
            .unwrap();
        assert!(df.height() > 10_000, "{}", df.height());
        let mut want = Vec::new();
        assert!(write(&df, &mut want, false, Threads::All).unwrap());
        assert!(got == want, "the two CSVs differ");
        let text = String::from_utf8(got).unwrap();
        assert!(text.contains('"'), "no quoted field was tried");
    }

    fn polars_bytes(df: &mut DataFrame, header: bool) -> Vec<u8> {
        let mut buf = Vec::new();
        CsvWriter::new(&mut buf)
            .include_bom(header)
            .include_header(header)
            .finish(df)
            .unwrap();
        buf
    }

    #[test]
    fn same_bytes_as_polars() {
        let text = [
            Some("plain"),
            None,
            Some(""),
            Some("a,b"),
            Some("say \"hi\""),
            Some("\"starts"),
            Some("two\nlines"),
            Some("cr\r"),
            Some("示例省示例一市"),
            Some(" spaced "),
            Some("both, \"and\"\n"),
        ];
        let n = text.len();
        let ints: Vec<Option<i32>> = (0..n as i32)
            .map(|i| (i % 3 != 1).then_some(i * 1000 - 5000))
            .collect();
        // Floats as scores, shares and wide frames hold them, and the odd ones.
        let floats = [
            Some(0.023256),
            None,
            Some(-0.0),
            Some(0.1 + 0.2),
            Some(1e-7),
            Some(1e21),
            Some(123_456_789.125),
            Some(f64::NAN),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
            Some(f64::MIN_POSITIVE),
        ];
        let bools: Vec<Option<bool>> = (0..n).map(|i| (i % 3 != 2).then_some(i % 2 == 0)).collect();
        let wide: Vec<Option<i64>> = (0..n as i64)
            .map(|i| (i != 4).then_some(i64::MIN + i * 1_000_000_007))
            .collect();
        let unsigned: Vec<Option<u32>> = (0..n as u32).map(|i| Some(u32::MAX - i)).collect();
        let big: Vec<Option<u64>> = (0..n as u64)
            .map(|i| (i != 1).then_some(u64::MAX - i))
            .collect();
        let mut df = DataFrame::new(
            n,
            vec![
                Column::new("report_id".into(), text.to_vec()),
                Column::new("year".into(), ints),
                Column::new("raw".into(), text.iter().rev().copied().collect::<Vec<_>>()),
                Column::new("score".into(), floats.to_vec()),
                Column::new("derived".into(), bools),
                Column::new("i64".into(), wide),
                Column::new("u32".into(), unsigned),
                Column::new("u64".into(), big),
            ],
        )
        .unwrap();
        for (header, threads) in [
            (true, Threads::All),
            (false, Threads::All),
            (true, Threads::Caller),
        ] {
            let mut ours = Vec::new();
            assert!(write(&df, &mut ours, header, threads).unwrap());
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&polars_bytes(&mut df, header))
            );
        }
        // Many slices: the rows stay in order.
        let rows = SLICE * 3 + 7;
        let mut big = DataFrame::new(
            rows,
            vec![
                Column::new(
                    "text".into(),
                    (0..rows).map(|i| text[i % n]).collect::<Vec<_>>(),
                ),
                Column::new("row".into(), (0..rows as i32).map(Some).collect::<Vec<_>>()),
            ],
        )
        .unwrap();
        let want = polars_bytes(&mut big, true);
        for threads in [Threads::All, Threads::Caller] {
            let mut ours = Vec::new();
            assert!(write(&big, &mut ours, true, threads).unwrap());
            assert_eq!(ours, want);
        }
    }

    #[test]
    fn template_words_need_no_quotes() {
        use crate::report::CellState;
        use crate::template::{Layout, TableKind, all_keys};
        let mut words: Vec<&str> = all_keys().iter().flat_map(|&(_, r, c)| [r, c]).collect();
        words.extend(TableKind::ALL.map(|t| t.key()));
        words.extend([Layout::Y2019.key(), Layout::Y2021.key()]);
        words.extend(
            [
                CellState::Number(crate::report::Dec::parse("1").unwrap()),
                CellState::Blank,
                CellState::NotApplicable,
                CellState::Ambiguous(vec![]),
                CellState::Unparsed,
                CellState::Missing,
            ]
            .iter()
            .map(|s| s.key()),
        );
        for w in words {
            assert!(!needs_quotes(w.as_bytes()), "{w:?}");
        }
    }

    #[test]
    fn other_columns_are_left_to_polars() {
        let df = DataFrame::new(1, vec![Column::new("x".into(), [1.5f32])]).unwrap();
        let mut ours = Vec::new();
        assert!(!write(&df, &mut ours, true, Threads::All).unwrap());
        assert!(ours.is_empty());
    }
}
