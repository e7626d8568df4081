//! Parquet row groups of `cells` written from columns built as dictionaries.
//!
//! Polars writes a text column dictionary-encoded when its estimated cardinality is low; it
//! estimates the cardinality by hashing every value of the column, then finds the dictionary
//! by hashing every value again: about 250 instructions a value, 12 % of all the
//! instructions of ingesting the 1k text corpus. Every text column of `cells` is built here as
//! a dictionary while the rows are: a report's own columns (id, source, issuer, region code)
//! with one lookup a report, the template's words (table, row, column, state, layout) by their
//! address, a cell's value and location by the value and the location, its raw text by its
//! text. The pages are those polars writes: the dictionary is in order of first appearance,
//! as polars' own cast builds it, and the pages are made by polars' Parquet writer from that
//! dictionary. A test compares the files with polars' own.

use std::borrow::Cow;

use polars::prelude::{PolarsError, PolarsResult};
use polars_arrow::array::{
    Array, DictionaryArray, MutableBinaryViewArray, MutablePrimitiveArray, PrimitiveArray,
    Utf8ViewArray,
};
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_parquet::parquet::CowBuffer;
use polars_parquet::parquet::compression::CompressionOptions;
use polars_parquet::parquet::error::ParquetResult;
use polars_parquet::parquet::page::{
    CompressedDataPage, CompressedDictPage, CompressedPage, DataPageHeader, Page,
};
use polars_parquet::read::ParquetError;
use polars_parquet::write::{
    DynIter, DynStreamingIterator, Encoding, FallibleStreamingIterator, FileWriter, ParquetType,
    WriteOptions, array_to_columns, compress,
};
use rustc_hash::FxHashMap;

use super::dict_keys;

/// A text column as a dictionary: each distinct value once, in order of first appearance,
/// and a key per row.
pub(super) struct DictColumn<'a> {
    index: FxHashMap<Cow<'a, str>, u32>,
    /// Texts of up to 15 bytes (most values and raw texts: `12`, `0`, `—`), keyed by the
    /// bytes themselves: finding one is no comparison with a text that lies in another
    /// report's memory (`memcmp` was 3 % of an ingest's samples, and this lookup its largest
    /// caller in the writer: 4.6 M of its 10.8 M instructions there).
    short: FxHashMap<u128, u32>,
    values: MutableBinaryViewArray<str>,
    keys: MutablePrimitiveArray<u32>,
    /// Keys of recently seen texts by address and length (equal addresses and lengths are
    /// equal texts); the address 0 is no text's.
    seen: [((usize, usize), u32); SEEN],
}

/// Slots of [`DictColumn::seen`], a power of two: 32 missed about 8 % of the template words'
/// pushes of the 1k text corpus (their addresses collided), 256 about 0.4 %.
const SEEN: usize = 256;

impl<'a> DictColumn<'a> {
    pub(super) fn with_capacity(rows: usize) -> DictColumn<'a> {
        DictColumn {
            index: FxHashMap::default(),
            short: FxHashMap::default(),
            values: MutableBinaryViewArray::new(),
            keys: MutablePrimitiveArray::with_capacity(rows),
            seen: [((0, 0), 0); SEEN],
        }
    }

    fn key(&mut self, v: Cow<'a, str>) -> u32 {
        if let Some(packed) = packed(&v) {
            return self.short_key(packed, &v);
        }
        if let Some(&k) = self.index.get(v.as_ref()) {
            return k;
        }
        let k = self.values.len() as u32;
        self.values.push_value(v.as_ref());
        self.index.insert(v, k);
        k
    }

    fn short_key(&mut self, packed: u128, v: &str) -> u32 {
        let next = self.values.len() as u32;
        let k = *self.short.entry(packed).or_insert(next);
        if k == next {
            self.values.push_value(v);
        }
        k
    }

    /// A row borrowing its text. The template's words are the same few strings on every
    /// row: a slot per address remembers their keys without hashing them.
    pub(super) fn push(&mut self, v: &'a str) {
        let at = (v.as_ptr() as usize, v.len());
        // A multiplicative hash of the address: its top bits, as many as SEEN needs.
        let at_slot = at.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - SEEN.ilog2());
        let slot = &self.seen[at_slot];
        let k = if slot.0 == at {
            slot.1
        } else {
            let k = self.key(Cow::Borrowed(v));
            self.seen[at_slot] = (at, k);
            k
        };
        self.keys.push_value(k);
    }

    /// A row borrowing a text of its own (a cell's raw text): no slot remembers it, since no
    /// other row has its address.
    pub(super) fn push_own(&mut self, v: &'a str) {
        let k = self.key(Cow::Borrowed(v));
        self.keys.push_value(k);
    }

    /// The key of a text that lives only for the call (copied when it is new).
    pub(super) fn key_copy(&mut self, v: &str) -> u32 {
        if let Some(packed) = packed(v) {
            return self.short_key(packed, v);
        }
        match self.index.get(v) {
            Some(&k) => k,
            None => self.key(Cow::Owned(v.to_owned())),
        }
    }

    /// A row of the value with key `k` (from [`DictColumn::key_copy`]), or null.
    pub(super) fn push_key(&mut self, k: Option<u32>) {
        self.keys.push(k);
    }

    /// The text of key `k`.
    pub(super) fn text(&self, k: u32) -> &str {
        self.values.value(k as usize)
    }

    /// `rows` rows of one value (a report's own columns).
    pub(super) fn extend_constant(&mut self, rows: usize, v: Option<Cow<'a, str>>) {
        let k = v.map(|v| self.key(v));
        self.keys.extend_constant(rows, k);
    }

    pub(super) fn freeze(self) -> DictionaryArray<u32> {
        let dtype = ArrowDataType::Dictionary(
            IntegerType::UInt32,
            Box::new(ArrowDataType::Utf8View),
            false,
        );
        let values: Utf8ViewArray = self.values.freeze();
        let keys: PrimitiveArray<u32> = self.keys.into();
        // Checked (one pass over the keys): `push_key` takes keys from its caller.
        DictionaryArray::try_new(dtype, keys, values.boxed())
            .expect("every key was handed out by this column")
    }
}

/// A text of up to 15 bytes as one number: its bytes, then its length in the top byte (so
/// `"0"` and `"0\0"` differ).
fn packed(v: &str) -> Option<u128> {
    let b = v.as_bytes();
    if b.len() > 15 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..b.len()].copy_from_slice(b);
    buf[15] = b.len() as u8;
    Some(u128::from_le_bytes(buf))
}

/// The column as plain string views (for a frame), sharing the dictionary's buffers.
pub(super) fn views(dict: &DictionaryArray<u32>) -> Utf8ViewArray {
    let values: &Utf8ViewArray = dict
        .values()
        .as_any()
        .downcast_ref()
        .expect("a dictionary of text");
    let from = values.views();
    let keys = dict.keys();
    let views: Vec<_> = match keys.validity() {
        None => keys.values().iter().map(|&k| from[k as usize]).collect(),
        Some(valid) => keys
            .values()
            .iter()
            .zip(valid.iter())
            .map(|(&k, ok)| {
                if ok {
                    from[k as usize]
                } else {
                    Default::default()
                }
            })
            .collect(),
    };
    // SAFETY: every view is one of `values`' over the same buffers, or the empty view of a
    // null row.
    unsafe {
        Utf8ViewArray::new_unchecked_unknown_md(
            ArrowDataType::Utf8View,
            views.into(),
            values.data_buffers().clone(),
            keys.validity().cloned(),
            None,
        )
    }
}

/// One column of a row group.
pub(super) enum Part {
    /// Dictionary-encoded as polars would, if polars would.
    Dict(DictionaryArray<u32>),
    /// Left to polars' writer.
    Array(Box<dyn Array>),
}

impl Part {
    /// What polars would be given: a text column as string views.
    pub(super) fn into_array(self) -> Box<dyn Array> {
        match self {
            Part::Dict(d) => views(&d).boxed(),
            Part::Array(a) => a,
        }
    }
}

/// Writes `columns` (in the file's schema order, `rows` long) as one row group, the pages
/// those of polars' `BatchedWriter::write_batch` of the same values.
pub(super) fn write<W: std::io::Write>(
    writer: &mut FileWriter<W>,
    rows: usize,
    columns: Vec<Part>,
) -> PolarsResult<()> {
    let options = writer.options();
    let fields = writer.parquet_schema().fields().to_vec();
    let encodings = polars::io::parquet::write::get_encodings(writer.schema());
    let mut pages = Vec::with_capacity(columns.len());
    for ((part, field), encoding) in columns.into_iter().zip(fields).zip(encodings.iter()) {
        let array = match part {
            // Polars' rule (`encode_as_dictionary_optional`): a column of more than 128 rows
            // whose estimated cardinality is above 3/4 of its rows is written plain. With at
            // most half as many values as rows, the estimate (HyperLogLog, 2^14 registers,
            // under 1 % off) is far from that; nearer it, polars decides from the views.
            Part::Dict(d) if d.len() <= 128 || 2 * d.values().len() <= d.len() => {
                pages.extend(dict_pages(d, field, options)?);
                continue;
            }
            other => other.into_array(),
        };
        // Polars tries a dictionary for a float column too, but only after estimating its
        // cardinality (a 2^14-register HyperLogLog made, filled and counted per column and
        // row group: 46 M of the 2,645 M instructions of ingesting the 1k text corpus, 37 M of
        // it for the wide frames' value columns); its cast to a dictionary has no float case,
        // so the column is then written plain. It is written plain here at once (a test
        // compares the wide frames' files with polars' own).
        let plain = [Encoding::Plain];
        let encoding = match array.dtype() {
            ArrowDataType::Float32 | ArrowDataType::Float64
                if encoding.as_slice() == [Encoding::RleDictionary] =>
            {
                &plain[..]
            }
            _ => encoding.as_slice(),
        };
        pages.extend(array_to_columns(array, field, options, encoding)?);
    }
    // As polars' writer: each column's pages compressed as the file writer pulls them.
    let compressed = pages.into_iter().map(move |encoded| {
        let encoded = encoded.map(|page| {
            page.map_err(|e| ParquetError::FeatureNotSupported(format!("reraised in polars: {e}")))
        });
        Ok(DynStreamingIterator::new(Pages {
            pages: encoded,
            compression: options.compression,
            current: None,
        }))
    });
    writer.write(rows as u64, DynIter::new(compressed))
}

/// The pages of a column written as a dictionary: [`dict_keys::pages`], or polars' own
/// where that does not know how polars would write them.
fn dict_pages(
    d: DictionaryArray<u32>,
    field: ParquetType,
    options: WriteOptions,
) -> PolarsResult<Vec<DynIter<'static, PolarsResult<Page>>>> {
    match dict_keys::pages(&d, &field, options) {
        Some(pages) => Ok(vec![DynIter::new(pages.into_iter().map(Ok))]),
        None => array_to_columns(d.boxed(), field, options, &[Encoding::RleDictionary]),
    }
}

/// Writes `df` as polars' `write_batch` makes its row groups (one a chunk of the frame), here
/// so that their pages share this thread's compression context.
pub(super) fn write_frame<W: std::io::Write>(
    writer: &mut FileWriter<W>,
    df: &polars::prelude::DataFrame,
) -> PolarsResult<()> {
    for batch in df.iter_chunks(polars::prelude::CompatLevel::newest(), false) {
        if batch.is_empty() {
            continue;
        }
        let rows = batch.len();
        let parts = batch.into_arrays().into_iter().map(Part::Array);
        write(writer, rows, parts.collect())?;
    }
    Ok(())
}

/// A column's pages compressed as polars' `Compressor` compresses them, the same bytes, but
/// zstd's with one context a thread: polars makes a context for every page (zstd's
/// `bulk::compress_to_buffer`), and setting one up, nearly all of it clearing its tables,
/// was 33 M of the 144 M instructions of compressing a 1,000-report batch's 410 pages (with
/// a context kept, zstd's share of the writer went 141 M → 113 M).
struct Pages<I> {
    pages: I,
    compression: CompressionOptions,
    current: Option<CompressedPage>,
}

impl<I: Iterator<Item = ParquetResult<Page>>> FallibleStreamingIterator for Pages<I> {
    type Item = CompressedPage;
    type Error = PolarsError;

    fn advance(&mut self) -> Result<(), PolarsError> {
        self.current = match self.pages.next() {
            None => None,
            Some(page) => Some(compress_page(page?, self.compression)?),
        };
        Ok(())
    }

    fn get(&self) -> Option<&CompressedPage> {
        self.current.as_ref()
    }
}

/// One page compressed as `polars_parquet`'s page compression does it: zstd through
/// [`zstd_into`]; other codecs, and version-2 data pages (which polars does not write here),
/// by polars itself.
fn compress_page(page: Page, compression: CompressionOptions) -> PolarsResult<CompressedPage> {
    let v2 = matches!(&page, Page::Data(p) if matches!(p.header(), DataPageHeader::V2(_)));
    let (CompressionOptions::Zstd(level), false) = (compression, v2) else {
        return Ok(compress(page, Vec::new(), compression)?);
    };
    let level = level.map(|l| l.compression_level()).unwrap_or_default();
    Ok(match page {
        Page::Data(page) => {
            let mut out = Vec::new();
            zstd_into(page.buffer(), &mut out, level)?;
            let rows = page
                .num_rows()
                .ok_or_else(|| PolarsError::ComputeError("a page without its rows".into()))?;
            CompressedPage::Data(CompressedDataPage::new(
                page.header().clone(),
                CowBuffer::Owned(out),
                compression.into(),
                page.buffer().len(),
                page.descriptor.clone(),
                rows,
            ))
        }
        Page::Dict(page) => {
            let mut out = Vec::new();
            zstd_into(&page.buffer, &mut out, level)?;
            CompressedPage::Dict(CompressedDictPage::new(
                CowBuffer::Owned(out),
                compression.into(),
                page.buffer.len(),
                page.num_values,
                page.is_sorted,
            ))
        }
    })
}

/// Appends `input` compressed at `level` to `out`, with this thread's context (made at the
/// first page at that level, its parameters the same for every page: the frames are those
/// a fresh context gives).
fn zstd_into(input: &[u8], out: &mut Vec<u8>, level: i32) -> PolarsResult<()> {
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> =
            const { std::cell::RefCell::new(None) };
    }
    out.reserve(zstd::zstd_safe::compress_bound(input.len()));
    CONTEXT
        .with_borrow_mut(|slot| {
            let ctx = match slot {
                Some((l, ctx)) if *l == level => ctx,
                _ => &mut slot.insert((level, zstd::bulk::Compressor::new(level)?)).1,
            };
            ctx.compress_to_buffer(input, out).map(|_| ())
        })
        .map_err(PolarsError::from)
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use polars_parquet::write::FileWriter;

    use super::super::columns::{cells, cells_with};
    use crate::report::Outcome;

    /// A Parquet file of `df` as polars' `write_batch` writes it, and one of the same schema
    /// whose row groups `ours` writes.
    fn files(
        schema: &Schema,
        df: &DataFrame,
        ours: impl FnOnce(&mut FileWriter<&mut Vec<u8>>),
    ) -> (Vec<u8>, Vec<u8>) {
        let mut theirs = Vec::new();
        let mut w = ParquetWriter::new(&mut theirs).batched(schema).unwrap();
        w.write_batch(df).unwrap();
        w.finish().unwrap();
        drop(w);
        let mut mine = Vec::new();
        let w = ParquetWriter::new(&mut mine).batched(schema).unwrap();
        ours(&mut w.get_writer().lock().unwrap());
        w.finish().unwrap();
        drop(w);
        (theirs, mine)
    }

    /// The default corpus's outcomes, in path order.
    fn corpus() -> Vec<Outcome> {
        crate::jobs::corpus::inputs()
            .iter()
            .map(|(p, b)| crate::batch::process_bytes(p, b, None))
            .collect()
    }

    /// `cells` of `outcomes` as one row group, by polars from the frame and from the
    /// dictionaries here.
    fn both(outcomes: &[&Outcome]) -> (Vec<u8>, Vec<u8>) {
        let schema = cells(&[]).unwrap().schema().clone();
        files(&schema, &cells(outcomes).unwrap(), |w| {
            let chunk = cells_with(outcomes, None).unwrap();
            super::write(w, chunk.rows(), chunk.parts()).unwrap();
        })
    }

    /// The wide frames (a float column a key) as polars writes them, for a whole corpus and
    /// for frames of one report.
    #[test]
    fn wide_row_groups_are_the_bytes_polars_writes() {
        use crate::template::TableKind;
        let outcomes = corpus();
        let all: Vec<&Outcome> = outcomes.iter().collect();
        let mut sets = vec![all.clone()];
        sets.extend(all.iter().step_by(7).map(|o| vec![*o]));
        for set in sets {
            for df in super::super::columns::wides(&set, &TableKind::ALL).unwrap() {
                let (theirs, ours) = files(&df.schema().clone(), &df, |w| {
                    super::write_frame(w, &df).unwrap();
                });
                assert!(theirs == ours, "{} rows", df.height());
            }
        }
    }

    /// Each dictionary column's pages, made by `dict_keys`, are polars' own, page by page:
    /// with polars' page size (one page a column here) and with pages of a few dozen rows,
    /// whose last page is short and whose validity (the `value` column's) is sliced.
    #[test]
    fn dictionary_pages_are_the_pages_polars_makes() {
        use polars_arrow::array::Array;
        use polars_parquet::write::{Encoding, Page, array_to_columns};
        let outcomes = corpus();
        let all: Vec<&Outcome> = outcomes.iter().collect();
        let schema = cells(&[]).unwrap().schema().clone();
        let mut sink = Vec::new();
        let w = ParquetWriter::new(&mut sink).batched(&schema).unwrap();
        let (fields, options) = {
            let w = w.get_writer().lock().unwrap();
            (w.parquet_schema().fields().to_vec(), w.options())
        };
        let chunk = cells_with(&all, None).unwrap();
        let show = |p: &Page| match p {
            Page::Dict(d) => format!("dict {} {:?}", d.num_values, &d.buffer[..]),
            Page::Data(d) => format!("{:?} {:?} {:?}", d.header(), d.num_rows(), d.buffer()),
        };
        let mut dicts = 0;
        let mut nulls = 0;
        for (part, field) in chunk.parts().into_iter().zip(&fields) {
            let super::Part::Dict(d) = part else { continue };
            dicts += 1;
            nulls += usize::from(d.null_count() > 0);
            for size in [None, Some(64), Some(1_000)] {
                let mut options = options;
                options.data_page_size = size;
                let ours = super::dict_keys::pages(&d, field, options).expect("written here");
                let theirs: Vec<Page> = array_to_columns(
                    d.clone().boxed(),
                    field.clone(),
                    options,
                    &[Encoding::RleDictionary],
                )
                .unwrap()
                .into_iter()
                .flatten()
                .map(Result::unwrap)
                .collect();
                assert_eq!(ours.len(), theirs.len(), "{size:?}");
                if size.is_some() {
                    assert!(ours.len() > 2, "{size:?}");
                }
                for (a, b) in ours.iter().zip(&theirs) {
                    assert_eq!(show(a), show(b), "{size:?}");
                }
            }
        }
        assert_eq!(dicts, 12);
        assert!(nulls > 0);
    }

    /// Short texts are keyed by their bytes, longer ones by the text: the same key for the
    /// same text either way, and texts that differ only by a trailing NUL stay apart.
    #[test]
    fn a_text_has_one_key_whatever_its_length() {
        let long = "示例省示例一市示例一县人民政府".to_owned();
        let copy = long.clone();
        let mut d = super::DictColumn::with_capacity(8);
        let keys: Vec<u32> = ["12", "0", "0\0", long.as_str(), "12", copy.as_str(), ""]
            .iter()
            .map(|v| d.key_copy(v))
            .collect();
        assert_eq!(keys, [0, 1, 2, 3, 0, 3, 4]);
        assert_eq!(d.text(2), "0\0");
        assert_eq!(d.text(3), long);
    }

    #[test]
    fn row_groups_are_the_bytes_polars_writes() {
        let outcomes = corpus();
        let all: Vec<&Outcome> = outcomes.iter().collect();
        let (theirs, ours) = both(&all);
        assert!(theirs == ours, "the whole default corpus");
        // One report at a time: row groups of a few rows (always a dictionary in polars).
        for o in all.iter().step_by(5) {
            let (theirs, ours) = both(&[o]);
            assert!(theirs == ours, "{}", o.path.display());
        }
        // Many one-cell reports, some without an issuer: more distinct ids, sources and
        // issuers than half the rows, where polars decides by its estimate (and writes ids
        // and sources plain past 128 rows).
        let inputs = crate::jobs::corpus::inputs();
        let (path, bytes) = inputs
            .iter()
            .zip(&outcomes)
            .find(|(_, o)| o.result.as_ref().is_ok_and(|p| p.report.cells.len() > 3))
            .unwrap()
            .0;
        let mut many = Vec::new();
        for i in 0..300 {
            let mut o = crate::batch::process_bytes(path, bytes, None);
            o.id = format!("99{i:04}");
            o.path = format!("示例/{i}.txt").into();
            let p = o.result.as_mut().unwrap();
            p.report.cells.truncate(1 + usize::from(i % 5 == 0));
            if i % 3 == 0 {
                p.report.meta.issuer = None;
            } else {
                p.report.meta.issuer = Some(format!("示例省示例{}县人民政府", i % 150));
            }
            many.push(o);
        }
        for n in [1, 100, 129, 200, 300] {
            let some: Vec<&Outcome> = many[..n].iter().collect();
            let (theirs, ours) = both(&some);
            assert!(theirs == ours, "{n} one-cell reports");
        }
    }
}
