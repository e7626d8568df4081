//! The six sections, found by ordinal plus keyword (`三、` then 收到…申请 within a few
//! characters), in order, each after the one before.

use crate::template::{SECTION_KEYWORD_WINDOW, Section};

use super::Stream;

/// Stream positions of section headings, in `Section::ALL` order.
#[derive(Debug, Clone)]
pub(crate) struct Sections {
    pub starts: [Option<usize>; 6],
}

pub(crate) fn find_sections(s: &Stream) -> Sections {
    let mut starts = [None; 6];
    let mut from = 0;
    for (k, sec) in Section::ALL.into_iter().enumerate() {
        if let Some(at) = find_heading(s, sec, from) {
            starts[k] = Some(at);
            from = at + 1;
        }
    }
    Sections { starts }
}

fn find_heading(s: &Stream, sec: Section, from: usize) -> Option<usize> {
    let ord = sec.ordinal();
    let kws = sec.keywords();
    // Only where the ordinal stands (the stream's character index), not every character
    // from `from`: a section that is not there scanned the whole report.
    let places = s.char_places(ord);
    let first = places.partition_point(|&p| (p as usize) < from);
    let places = places[first..].iter().map(|&p| p as usize);
    places.take_while(|&i| i + 1 < s.len()).find(|&i| {
        if !matches!(s.chars[i + 1], '、' | '.' | ',') {
            return false;
        }
        // A heading's keyword follows closely, before any digit (table rows such as
        // 四、结转下年度继续办理 are followed by numbers first).
        let window_end = (i + 2 + SECTION_KEYWORD_WINDOW).min(s.len());
        let stop = (i + 2..window_end)
            .find(|&j| s.chars[j].is_ascii_digit())
            .unwrap_or(window_end);
        kws.iter().any(|k| s.find(k, i + 2, stop).is_some())
    })
}

impl Sections {
    /// The stream range of a section: from its heading (or `floor`, if it has none) to the
    /// next heading found after it.
    pub(crate) fn region(&self, sec: Section, floor: usize, len: usize) -> (usize, usize) {
        let k = Section::ALL.iter().position(|&s| s == sec).unwrap_or(0);
        let found = self.starts[k].is_some();
        let start = self.starts[k].unwrap_or(floor).max(floor);
        // Without a heading of its own, a section ends where the next heading begins, even
        // if that is where it starts (then it is empty).
        let end = self.starts[k + 1..]
            .iter()
            .flatten()
            .copied()
            .find(|&e| e > start || (!found && e >= start))
            .unwrap_or(len);
        (start, end)
    }
}
