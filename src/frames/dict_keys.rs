//! The pages of a dictionary column, the bytes polars' Parquet writer makes, without
//! polars pulling each key through its chain of iterators.
//!
//! Polars encodes a page's keys (runs repeated or bit-packed, Parquet's "hybrid" encoding)
//! by pulling each key through a zip with the validity, a filter and its run finder, twice
//! (once for the largest key): 86 M of the parent's 1,055 M instructions of ingesting the 1k
//! text corpus (199,176 cells, 13 columns). What else a page holds depends on the column's
//! values and validity only: the dictionary page and the statistics (of the values, and the
//! column's null count) are taken from polars' pages of a one-key probe with the same values;
//! where pages end, the validity's levels and the header are made here as polars makes them,
//! and the keys are encoded here. A test compares the files with polars' own.

use polars_arrow::array::{Array, DictionaryArray, PrimitiveArray};
use polars_arrow::compute::aggregate::estimated_bytes_size;
use polars_arrow::datatypes::ArrowDataType;
use polars_parquet::parquet::CowBuffer;
use polars_parquet::parquet::encoding::{bitpacked, ceil8, uleb128};
use polars_parquet::parquet::metadata::Descriptor;
use polars_parquet::parquet::page::{DataPage, DataPageHeader, DataPageHeaderV1, Page};
use polars_parquet::parquet::schema::Repetition;
use polars_parquet::write::{
    Encoding, ParquetType, Version, WriteOptions, array_to_columns, write_def_levels,
};

/// A literal run holds at most this many keys before it is written (polars'
/// `MAX_VALUES_PER_LITERAL_RUN`).
const MAX_LITERAL: usize = 8 * 1024;
/// Keys are packed 32 at a time (polars' `U32_BLOCK_LEN`).
const BLOCK: usize = 32;
/// A data page's size when the options name none (polars' `DEFAULT_PAGE_SIZE`).
const PAGE_SIZE: usize = 1024 * 1024;

/// The pages of `dict` written as a dictionary, or `None` where this does not know how
/// polars would write them (the caller then lets polars write the column).
pub(super) fn pages(
    dict: &DictionaryArray<u32>,
    field: &ParquetType,
    options: WriteOptions,
) -> Option<Vec<Page>> {
    if dict.values().is_empty()
        || dict.values().validity().is_some()
        || options.version != Version::V1
    {
        return None;
    }
    let ParquetType::PrimitiveType(leaf) = field else {
        return None;
    };
    let optional = match leaf.field_info.repetition {
        Repetition::Optional => true,
        Repetition::Required => false,
        Repetition::Repeated => return None,
    };
    let (dict_page, header, descriptor) = probe(dict, field, options)?;
    let mut pages = vec![dict_page];
    // Where pages end, as polars' `row_slice_ranges` places them.
    let rows = dict.len();
    let max_page = options
        .data_page_size
        .unwrap_or(PAGE_SIZE)
        .min(2usize.pow(31) - 2usize.pow(25));
    let per_row = if rows == 0 {
        0
    } else {
        (estimated_bytes_size(dict.keys()) as f64 / rows as f64) as usize
    };
    let per_page = (max_page / (per_row + 1)).max(1);
    let mut present = Vec::new();
    for offset in (0..rows).step_by(per_page) {
        let len = (offset + per_page).min(rows) - offset;
        // Sliced as polars slices it: a slice without nulls has no validity.
        let slice = dict.clone().sliced(offset, len);
        let validity = slice.keys().validity();
        let mut buffer = Vec::with_capacity(len + 16);
        write_def_levels(&mut buffer, optional, validity, len, options.version).ok()?;
        let keys = slice.keys().values().as_slice();
        let keys = match validity {
            Some(valid) => {
                present.clear();
                present.extend(
                    keys.iter()
                        .zip(valid.iter())
                        .filter_map(|(&k, ok)| ok.then_some(k)),
                );
                &present[..]
            }
            None => keys,
        };
        let bits = 32 - keys.iter().copied().max().unwrap_or(0).leading_zeros();
        buffer.push(bits as u8);
        encode(keys, bits, &mut buffer);
        let mut header = header.clone();
        header.num_values = i32::try_from(len).ok()?;
        pages.push(Page::Data(DataPage::new(
            DataPageHeader::V1(header),
            CowBuffer::Owned(buffer),
            descriptor.clone(),
            len,
        )));
    }
    Some(pages)
}

/// What polars writes for a one-key column of `dict`'s values: its dictionary page (the
/// column's), and its data page's header (the values' statistics, given `dict`'s null count)
/// and descriptor.
fn probe(
    dict: &DictionaryArray<u32>,
    field: &ParquetType,
    options: WriteOptions,
) -> Option<(Page, DataPageHeaderV1, Descriptor)> {
    let key = PrimitiveArray::<u32>::new(ArrowDataType::UInt32, vec![0u32].into(), None);
    let probe = DictionaryArray::try_new(dict.dtype().clone(), key, dict.values().clone()).ok()?;
    let encoding = [Encoding::RleDictionary];
    let mut pages = Vec::new();
    for column in array_to_columns(probe.boxed(), field.clone(), options, &encoding).ok()? {
        for page in column {
            pages.push(page.ok()?);
        }
    }
    let [dict_page @ Page::Dict(_), Page::Data(first)] = <[Page; 2]>::try_from(pages).ok()? else {
        return None;
    };
    let DataPageHeader::V1(mut header) = first.header().clone() else {
        return None;
    };
    if let Some(stats) = header.statistics.as_mut() {
        stats.null_count = Some(dict.null_count() as i64);
    }
    Some((dict_page, header, first.descriptor.clone()))
}

/// `keys` in Parquet's hybrid encoding at `bits` a key, the runs exactly where polars'
/// `hybrid_rle::encode` puts them: a run of more than 8 equal keys is a repeated run, its
/// start joining the literal run before it until that holds a multiple of 8; a literal run
/// is written when a repeated run follows it, when it holds `MAX_LITERAL` keys, and at the
/// end.
fn encode(keys: &[u32], bits: u32, out: &mut Vec<u8>) {
    let mut repeats = 0usize;
    let mut previous = 0u32;
    let mut literal = vec![0u32; MAX_LITERAL];
    let mut held = 0usize;
    let mut literal_end = 0usize;
    let mut i = 0;
    while i < keys.len() {
        let key = keys[i];
        i += 1;
        if key == previous {
            repeats += 1;
            if repeats > 8 {
                // A repeated run goes on: nothing is held. Skip to its end at once.
                let same = keys[i..].iter().take_while(|&&k| k == previous).count();
                repeats += same;
                i += same;
                continue;
            }
            if repeats == 8 {
                let pad = (8 - literal_end % 8) % 8;
                repeats -= pad;
                literal_end += pad;
            }
        } else if repeats > 8 {
            if literal_end > 0 {
                bit_packed(&literal[..literal_end], bits, out);
                literal_end = 0;
            }
            repeated(repeats, previous, bits, out);
            repeats = 1;
            held = 0;
        } else {
            literal_end = held;
            repeats = 1;
        }
        if held == MAX_LITERAL {
            bit_packed(&literal, bits, out);
            repeats = 1;
            held = 0;
            literal_end = 0;
        }
        literal[held] = key;
        previous = key;
        held += 1;
    }
    if repeats <= 8 {
        literal_end = held;
    }
    if literal_end > 0 {
        bit_packed(&literal[..literal_end], bits, out);
    }
    if repeats > 8 {
        repeated(repeats, previous, bits, out);
    }
}

fn uleb(v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 10];
    let n = uleb128::encode(v, &mut buf);
    out.extend_from_slice(&buf[..n]);
}

fn repeated(run: usize, key: u32, bits: u32, out: &mut Vec<u8>) {
    uleb((run as u64) << 1, out);
    out.extend_from_slice(&key.to_le_bytes()[..ceil8(bits as usize)]);
}

/// A literal run, packed 32 keys at a time. As in polars, a last block of fewer than 32 keys
/// is packed over what the block before it left in the buffer, and written to a whole
/// multiple of `bits` bytes: the keys past the run's end in those bytes are the earlier
/// block's (readers stop at the column's length).
fn bit_packed(keys: &[u32], bits: u32, out: &mut Vec<u8>) {
    let bits = bits as usize;
    uleb(((ceil8(keys.len()) as u64) << 1) | 1, out);
    let mut block = [0u32; BLOCK];
    let mut packed = [0u8; 4 * BLOCK];
    let mut chunks = keys.chunks_exact(BLOCK);
    for chunk in chunks.by_ref() {
        bitpacked::encode_pack::<u32>(chunk, bits, &mut packed);
        out.extend_from_slice(&packed[..4 * bits]);
        block.copy_from_slice(chunk);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        block[..rest.len()].copy_from_slice(rest);
        bitpacked::encode_pack::<u32>(&block, bits, &mut packed);
        out.extend_from_slice(&packed[..ceil8(rest.len()) * bits]);
    }
}

#[cfg(test)]
mod tests {
    use polars_parquet::parquet::encoding::hybrid_rle;

    fn polars(keys: &[u32], bits: u32) -> Vec<u8> {
        let mut out = Vec::new();
        hybrid_rle::encode::<u32, _, _>(&mut out, keys.iter().copied(), bits).unwrap();
        out
    }

    fn ours(keys: &[u32], bits: u32) -> Vec<u8> {
        let mut out = Vec::new();
        super::encode(keys, bits, &mut out);
        out
    }

    /// Runs of every length around the thresholds (8 and 9 repeats, literal runs not a
    /// multiple of 8, the 8,192-key buffer filling mid-run), over random keys and the
    /// columns' shapes (a report's constant column, keys counting up, mostly-equal keys).
    #[test]
    fn keys_encode_as_polars_encodes_them() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut cases: Vec<Vec<u32>> = vec![vec![], vec![0], vec![5], vec![0; 8], vec![0; 9]];
        for len in [
            1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 8191, 8192, 8193, 20_000,
        ] {
            cases.push((0..len).map(|i| i as u32).collect());
            cases.push(vec![3; len]);
        }
        for _ in 0..3_000 {
            let mut keys = Vec::new();
            let len = next(3_000) as usize + if next(10) == 0 { 8_000 } else { 0 };
            let alphabet = [2, 3, 16, 300, 70_000][next(5) as usize];
            while keys.len() < len {
                let k = next(alphabet) as u32;
                let run = match next(4) {
                    0 => 1,
                    1 => next(12) as usize + 1,
                    2 => next(300) as usize + 1,
                    _ => 8 + next(3) as usize,
                };
                keys.extend(std::iter::repeat_n(k, run));
            }
            keys.truncate(len);
            cases.push(keys);
        }
        for keys in &cases {
            let max = keys.iter().copied().max().unwrap_or(0);
            let bits = 32 - max.leading_zeros();
            for b in [bits, bits + 1] {
                assert_eq!(
                    ours(keys, b),
                    polars(keys, b),
                    "{} keys at {b} bits",
                    keys.len()
                );
            }
        }
    }
}
