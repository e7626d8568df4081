//! A set of characters of one range of code points, a bit each: asked of every character of
//! a report (the traditional characters, the templates' word starts, the characters searches
//! start with), so one bit test, not a hash or a search.

pub(crate) struct CharBits {
    range: std::ops::Range<u32>,
    bits: Vec<u64>,
}

impl CharBits {
    pub(crate) fn new(range: std::ops::Range<u32>) -> CharBits {
        let bits = vec![0u64; ((range.end - range.start) as usize).div_ceil(64)];
        CharBits { range, bits }
    }

    /// Adds `u` if it lies in the range (others are never in the set).
    pub(crate) fn insert(&mut self, u: u32) {
        if self.range.contains(&u) {
            let i = (u - self.range.start) as usize;
            self.bits[i / 64] |= 1 << (i % 64);
        }
    }

    // Asked for every character a report holds: inlined into those loops, and one test of
    // the word's place stands for the range's two ends. Below the range the offset wraps
    // to past the words; above it, up to the last word's end, the bits were never set
    // (`insert` sets none outside the range).
    #[inline]
    pub(crate) fn contains(&self, u: u32) -> bool {
        let i = u.wrapping_sub(self.range.start) as usize;
        self.bits
            .get(i / 64)
            .is_some_and(|w| (w >> (i % 64)) & 1 != 0)
    }

    /// The range the set covers: code points outside it are never in it.
    pub(crate) fn covers(&self, u: u32) -> bool {
        self.range.contains(&u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_inserted_within_its_range_only() {
        let mut set = CharBits::new(0x4E00..0xA000);
        for c in ['本', '年', '\u{4E00}', '\u{9FFF}', 'a', '𠀀'] {
            set.insert(c as u32);
        }
        for c in ['本', '年', '\u{4E00}', '\u{9FFF}'] {
            assert!(set.contains(c as u32), "{c}");
        }
        for c in ['a', '𠀀', '新', '\u{A000}', '\u{4DFF}'] {
            assert!(!set.contains(c as u32), "{c}");
        }
        assert!(set.covers('新' as u32) && !set.covers('a' as u32));
    }

    /// Every code point around ranges whose ends fall inside words, every other one
    /// inserted: in the set exactly when inserted and within the range.
    #[test]
    fn the_range_ends_hold_inside_a_word() {
        for range in [3..70, 64..128, 0..1, 100..101, 0x4E00..0xA000] {
            let mut set = CharBits::new(range.clone());
            let from = range.start.saturating_sub(130);
            let inserted = |u: u32| (u - from).is_multiple_of(2);
            for u in from..range.end + 130 {
                if inserted(u) {
                    set.insert(u);
                }
            }
            for u in from..range.end + 130 {
                let want = range.contains(&u) && inserted(u);
                assert_eq!(set.contains(u), want, "{u} in {range:?}");
            }
        }
    }
}
