//! Where the characters of a stream stand (those its searches start with, or every one):
//! built once per report, on the first search.

use crate::charbits::CharBits;

/// Where each character of the stream stands, grouped by character in one array (a counting
/// sort: a few allocations, not a growing vector per character).
#[derive(Debug)]
pub(super) struct CharIndex {
    /// Each character's group.
    group: rustc_hash::FxHashMap<char, u32>,
    /// Where each group starts in `at`; one more entry for the end.
    start: Vec<u32>,
    /// Stream positions, by group, in order within each.
    at: Vec<u32>,
}

impl CharIndex {
    /// Where each character of `chars` stands, or only each of `only` (the others answer
    /// no places).
    pub(super) fn new(chars: &[char], only: Option<&CharBits>) -> CharIndex {
        // Each character's group id, numbered in order of first appearance. Characters of the
        // Basic Multilingual Plane (every report character but a rare few) find their id in
        // a per-thread table indexed by the character itself, so the report's thousands of
        // characters are numbered without hashing; the table is cleared again, entry by entry,
        // for the few hundred distinct characters a report holds. Others go through a map.
        thread_local! {
            static BMP: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
            // The vectors below, kept between reports (grown from empty for each report,
            // they were reallocated a dozen times a report).
            static WORK: std::cell::Cell<Work> = std::cell::Cell::new(Work::default());
        }
        let mut work = WORK.take();
        let Work {
            distinct,
            count,
            kept,
        } = &mut work;
        distinct.clear();
        count.clear();
        kept.clear();
        let mut rare: rustc_hash::FxHashMap<char, u32> = Default::default();
        // Each indexed character's place and group id (only those: most characters of a
        // report are left out when `only` is given).
        BMP.with_borrow_mut(|table| {
            if table.is_empty() {
                table.resize(0x1_0000, 0);
            }
            let bmp = Cleared(table);
            for (i, &c) in chars.iter().enumerate() {
                if only.is_some_and(|set| !set.contains(c as u32)) {
                    continue;
                }
                let u = c as usize;
                let id = if let Some(slot) = bmp.0.get_mut(u) {
                    // 0: not seen in this report; else the id plus one.
                    if *slot == 0 {
                        *slot = distinct.len() as u32 + 1;
                        distinct.push(c);
                        count.push(0);
                    }
                    *slot - 1
                } else {
                    let next = distinct.len() as u32;
                    let id = *rare.entry(c).or_insert(next);
                    if id == next {
                        distinct.push(c);
                        count.push(0);
                    }
                    id
                };
                count[id as usize] += 1;
                kept.push((i as u32, id));
            }
            for &c in distinct.iter() {
                if let Some(slot) = bmp.0.get_mut(c as usize) {
                    *slot = 0;
                }
            }
        });
        let mut group: rustc_hash::FxHashMap<char, u32> = Default::default();
        group.reserve(distinct.len());
        for (id, &c) in distinct.iter().enumerate() {
            group.insert(c, id as u32);
        }
        let mut start = Vec::with_capacity(count.len() + 1);
        let mut total = 0u32;
        for n in count.iter() {
            start.push(total);
            total += n;
        }
        start.push(total);
        let mut fill = start.clone();
        let mut at = vec![0u32; total as usize];
        for &(i, id) in kept.iter() {
            let slot = &mut fill[id as usize];
            at[*slot as usize] = i;
            *slot += 1;
        }
        // Kept for the next report only while small: a huge report's vectors are not held
        // for the rest of the batch.
        if work.kept.capacity() <= KEEP_AT_MOST {
            WORK.set(work);
        }
        CharIndex { group, start, at }
    }

    /// Where `c` stands, in order.
    pub(super) fn places(&self, c: char) -> &[u32] {
        self.group.get(&c).map_or(&[], |&g| {
            &self.at[self.start[g as usize] as usize..self.start[g as usize + 1] as usize]
        })
    }
}

/// The most places [`Work::kept`] holds on to between reports (a report's indexed characters:
/// at most 1,040 in the real corpora, 187 in the 1k synthetic corpus).
const KEEP_AT_MOST: usize = 1 << 16;

/// The working vectors of [`CharIndex::new`]: each distinct character in order of first
/// appearance, how often it stands, and each indexed character's place and id.
#[derive(Default)]
struct Work {
    distinct: Vec<char>,
    count: Vec<u32>,
    kept: Vec<(u32, u32)>,
}

/// The per-thread character table of [`CharIndex::new`], borrowed: should anything unwind while
/// it is being filled, it is cleared whole, so the next report on the thread starts from zeros.
struct Cleared<'a>(&'a mut Vec<u32>);

impl Drop for Cleared<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.fill(0);
        }
    }
}
