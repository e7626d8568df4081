//! Finding a table's rows: labels in template order, ordinals, and the value pieces after
//! each label.

use super::*;

/// The earliest label of `labels` in `[from, to)`; the longest on a tie.
pub(super) fn find_label(
    s: &Stream,
    labels: &'static [&'static str],
    from: usize,
    to: usize,
) -> Option<Span> {
    s.find_any(labels, from, to)
}

/// Finds each row's label in template order, each after the one before. A group heading is
/// looked for only before the next row's label, so one printed out of place (pdftotext puts
/// vertically centred headings mid-group) cannot make rows be skipped.
///
/// Taking each label at its first place is right when every row is printed. When one is not
/// (a report without a 规章 row), its label may still turn up later, in prose after the
/// table, and taking it there would push every later row past the table. So when the first
/// places leave a row unfound, the rows are matched again to find as many as possible in
/// order, each still at its first place after the row before.
pub(super) fn match_rows(
    s: &Stream,
    spec: &TableSpec,
    start: usize,
    end: usize,
) -> Vec<Option<Span>> {
    let greedy = match_rows_with(s, spec, start, end, &mut |_, _| true);
    if settled(s, spec, &greedy, start, end) {
        return greedy;
    }
    most_rows(s, spec, start, end)
}

/// Whether the first places `greedy` are already what [`most_rows`] would find, by two
/// checks that cost a label search per row (the search they spare cost 46 M of the 2,044 M
/// instructions of ingesting the 1k text corpus, whose reports of the 2021 layout leave out
/// two rows of table 三 and print the third's label, 其他, only before its place):
///
/// - at most one row left unfound is printed anywhere in the range; and
/// - each row found is found at the same place when looked for right after the row found
///   before it (group headings in between aside), as the search looks for it.
///
/// The search takes a row where the first places did unless leaving it out finds more of
/// the rows after it. Taken there, the rows after it are found as the first places found
/// them (the second check, row after row): all the found ones. Left out, at most those and
/// the one unfound row printed can be found: one more at most, which is the row itself. So
/// every row is taken where the first places took it, and the search's answer is `greedy`.
/// A test compares the two on random tables.
fn settled(
    s: &Stream,
    spec: &TableSpec,
    greedy: &[Option<Span>],
    start: usize,
    end: usize,
) -> bool {
    // The end of the last row found with a label of its own.
    let mut after: Option<usize> = None;
    let mut unfound_printed = 0;
    for (r, m) in spec.rows.iter().zip(greedy) {
        if r.group || r.labels.is_empty() {
            continue;
        }
        match m {
            None => {
                if find_label(s, r.labels, start, end).is_some() {
                    unfound_printed += 1;
                    if unfound_printed > 1 {
                        return false;
                    }
                }
            }
            Some(m) => {
                if let Some(c) = after
                    && find_label(s, r.labels, c, end) != Some(*m)
                {
                    return false;
                }
                after = Some(m.1);
            }
        }
    }
    true
}

/// The rows matched again to find as many as possible in order: a row is taken at its first
/// place after the row before unless leaving it out finds more of the rows after it
/// ([`settled`] says when that is where the first places took every row).
fn most_rows(s: &Stream, spec: &TableSpec, start: usize, end: usize) -> Vec<Option<Span>> {
    let labelled: Vec<usize> = (0..spec.rows.len())
        .filter(|&i| !spec.rows[i].group && !spec.rows[i].labels.is_empty())
        .collect();
    let mut most = MostRows {
        s,
        spec,
        end,
        labelled: &labelled,
        // Sized for a table's usual search up front: grown from empty, its rehashing cost
        // 11 M of the 1k text corpus's instructions (1,024 saves no more than 256).
        memo: HashMap::with_capacity_and_hasher(256, Default::default()),
    };
    match_rows_with(s, spec, start, end, &mut |i, at| {
        let Some(li) = labelled.iter().position(|&j| j == i) else {
            return true;
        };
        // Take the row here unless leaving it out finds more of the rows after it.
        let end_here = find_label(s, spec.rows[i].labels, at, end).map_or(at, |m| m.1);
        1 + most.count(li + 1, end_here) >= most.count(li + 1, at)
    })
}

/// The most rows, from `labelled[li]` on, that can be found in order after a position.
pub(super) struct MostRows<'a> {
    s: &'a Stream,
    spec: &'a TableSpec,
    end: usize,
    labelled: &'a [usize],
    memo: HashMap<(usize, usize), usize>,
}

impl MostRows<'_> {
    fn count(&mut self, li: usize, at: usize) -> usize {
        if li == self.labelled.len() {
            return 0;
        }
        if let Some(&n) = self.memo.get(&(li, at)) {
            return n;
        }
        let row = &self.spec.rows[self.labelled[li]];
        let skip = self.count(li + 1, at);
        let take =
            find_label(self.s, row.labels, at, self.end).map_or(0, |m| 1 + self.count(li + 1, m.1));
        let n = skip.max(take);
        self.memo.insert((li, at), n);
        n
    }
}

/// Rows matched in order; `take(i, pos)` says whether row `i`, found after `pos`, is taken.
pub(super) fn match_rows_with(
    s: &Stream,
    spec: &TableSpec,
    start: usize,
    end: usize,
    take: &mut dyn FnMut(usize, usize) -> bool,
) -> Vec<Option<Span>> {
    let mut out = vec![None; spec.rows.len()];
    let mut pos = start;
    for (i, row) in spec.rows.iter().enumerate() {
        if row.labels.is_empty() {
            out[i] = header_anchor(s, spec, pos, end);
            continue;
        }
        let bound = if row.group {
            spec.rows[i + 1..]
                .iter()
                .find(|r| !r.group)
                .and_then(|r| find_label(s, r.labels, pos, end))
                .map_or(end, |(at, _)| at)
        } else {
            end
        };
        if let Some(m) = find_label(s, row.labels, pos, bound)
            && take(i, pos)
        {
            out[i] = Some(m);
            pos = m.1;
        }
    }
    out
}

/// For a row printed without a label (table 四): just after the last header phrase before
/// the first value that follows a header phrase (a sentence with numbers may come before the
/// table). No header, or no value after it, is no table.
pub(super) fn header_anchor(s: &Stream, spec: &TableSpec, from: usize, end: usize) -> Option<Span> {
    let is_value = |c: char| c.is_ascii_digit() || c == BLANK_MARK || c == NA_MARK;
    let h = spec.header_end?;
    let h_len = h.chars().count();
    let first_header = s.find(h, from, end)?;
    let first_value = (first_header..end).find(|&i| is_value(s.chars[i]))?;
    let mut at = first_header + h_len;
    let mut p = first_header + 1;
    while let Some(i) = s.find(h, p, first_value) {
        at = i + h_len;
        p = i + 1;
    }
    Some((at, at))
}

/// Moves a label start back over its printed Arabic ordinal (`2.`), which crawlers glue
/// onto the previous row's digits (`00000002.其他法律…`).
pub(super) fn trim_ordinal(s: &Stream, label_start: usize, ordinal: Option<u8>) -> usize {
    let Some(n) = ordinal else {
        return label_start;
    };
    // The ordinal's digits (at most three), on the stack.
    let mut buf = ['0'; 3];
    let mut len = 0;
    let mut v = n;
    loop {
        buf[len] = char::from(b'0' + v % 10);
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf[..len].reverse();
    let digits = &buf[..len];
    if label_start < digits.len() + 1 {
        return label_start;
    }
    let sep = s.chars[label_start - 1];
    if !matches!(sep, '.' | '、' | ',') {
        return label_start;
    }
    let d0 = label_start - 1 - digits.len();
    if s.chars[d0..label_start - 1] == *digits {
        d0
    } else {
        label_start
    }
}

pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The value pieces in `[from, to)`: digit runs (with `.`, thousands `,`, `/` and a unit)
/// and placeholders. Text before the first piece is skipped (the rest of a long label);
/// text of two or more Chinese characters after a piece ends the row (a following heading).
pub(super) fn pieces(s: &Stream, from: usize, to: usize) -> Vec<Piece<'_>> {
    // Room for a row's cells at once (growing from nothing took three allocations a row).
    let mut out: Vec<Piece<'_>> = Vec::with_capacity(16.min(to.saturating_sub(from)));
    let mut i = from;
    while i < to {
        let c = s.chars[i];
        if c == BLANK_MARK || c == NA_MARK {
            out.push(Piece {
                start: i,
                end: i + 1,
                chars: &s.chars[i..i + 1],
            });
            i += 1;
            continue;
        }
        let digit_follows = i + 1 < to && s.chars[i + 1].is_ascii_digit() && !s.boundary[i + 1];
        // A sign before digits opens a value (`-18` printed under 本年增/减), also right
        // after the digits of the cell before when a crawler glued them (`15-180`): it is
        // never part of the number before it, and never dropped (`-18` is not 18).
        let signed = matches!(c, '-' | '+');
        let starts_value = c.is_ascii_digit() || ((c == '/' || signed) && digit_follows);
        if starts_value {
            let mut j = i + 1;
            while j < to && !s.boundary[j] {
                let d = s.chars[j];
                let ok = d.is_ascii_digit()
                    || d == '/'
                    || (d == '.'
                        && j + 1 < to
                        && s.chars[j + 1].is_ascii_digit()
                        && !s.boundary[j + 1])
                    || (d == ','
                        && j + 3 < to
                        && s.chars[j + 1..j + 4].iter().all(char::is_ascii_digit)
                        && (j + 4 >= to || !s.chars[j + 4].is_ascii_digit()));
                if !ok {
                    break;
                }
                j += 1;
            }
            // A unit directly after the number belongs to it. Most numbers end at a cell
            // edge, where no unit is looked for.
            if j < to && !s.boundary[j] {
                let units = MONEY_UNITS
                    .iter()
                    .map(|(u, _)| *u)
                    .chain(COUNT_UNITS.iter().copied());
                for unit in units {
                    let n = unit.chars().count();
                    if j + n <= to && s.starts_with_at(j, unit) {
                        j += n;
                        break;
                    }
                }
            }
            // A year and 年 end the table: the crawler spliced a sentence onto the last cell
            // (`结转下年度继续办理20000022025年，我局…`).
            if let Some(y) = year_before(s, i, j, to) {
                if y > i {
                    out.push(Piece {
                        start: i,
                        end: y,
                        chars: &s.chars[i..y],
                    });
                }
                if !out.is_empty() {
                    break;
                }
                i = j;
                continue;
            }
            out.push(Piece {
                start: i,
                end: j,
                chars: &s.chars[i..j],
            });
            i = j;
            continue;
        }
        if !out.is_empty() && is_cjk(c) && i + 1 < to && is_cjk(s.chars[i + 1]) {
            break;
        }
        i += 1;
    }
    out
}

/// Where a year (19xx or 20xx) starts when the value `[from, to)` ends with one and 年 or a
/// space and 年 follow it.
pub(super) fn year_before(s: &Stream, from: usize, to: usize, limit: usize) -> Option<usize> {
    let y = to.checked_sub(4).filter(|&y| y >= from)?;
    let next = (to..limit).find(|&k| s.chars[k] != ' ')?;
    let digits = &s.chars[y..to];
    let century = matches!(digits[..2], ['1', '9'] | ['2', '0']);
    let plain =
        digits.iter().all(char::is_ascii_digit) && (y == from || s.chars[y - 1].is_ascii_digit());
    (s.chars[next] == '年' && century && plain).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Origin, read};

    /// Whether the first places found every row with a label of its own.
    fn all_found(spec: &TableSpec, greedy: &[Option<Span>]) -> bool {
        (spec.rows.iter().zip(greedy)).all(|(r, m)| m.is_some() || r.group || r.labels.is_empty())
    }

    /// What [`match_rows`] answers without its shortcut: the rows matched again whenever the
    /// first places leave one unfound.
    fn without_shortcut(s: &Stream, spec: &TableSpec) -> Vec<Option<Span>> {
        let greedy = match_rows_with(s, spec, 0, s.len(), &mut |_, _| true);
        if all_found(spec, &greedy) {
            greedy
        } else {
            most_rows(s, spec, 0, s.len())
        }
    }

    /// Random tables of each layout: rows left out, printed twice, out of order and again in
    /// prose after the table, labels in their variants, values between them. The rows
    /// matched are the same with the shortcut and without it, and both kinds of table come
    /// up: those the shortcut settles and those it leaves to the search (where the first
    /// places are not the answer in some).
    #[test]
    fn the_shortcut_gives_the_rows_the_search_gives() {
        let mut rng = crate::rng::Rng::new(27);
        let mut next = move |n: usize| rng.below(n as u64) as usize;
        let (mut settled, mut searched, mut moved) = (0, 0, 0);
        for t in TableKind::ALL {
            for spec in t.specs() {
                for _ in 0..400 {
                    let mut words: Vec<String> = Vec::new();
                    for r in spec.rows {
                        if r.labels.is_empty() || next(4) == 0 {
                            continue; // left out
                        }
                        let label = r.labels[next(r.labels.len())];
                        let times = if next(8) == 0 { 2 } else { 1 };
                        for _ in 0..times {
                            words.push(label.to_owned());
                            for _ in 0..r.cells.len() {
                                words.push(next(100).to_string());
                            }
                        }
                    }
                    // A few rows swapped, and a few labels again in prose after the table.
                    for _ in 0..next(3) {
                        let (a, b) = (next(words.len().max(1)), next(words.len().max(1)));
                        if a < words.len() && b < words.len() {
                            words.swap(a, b);
                        }
                    }
                    for _ in 0..next(6) {
                        let r = &spec.rows[next(spec.rows.len())];
                        if let Some(l) = r.labels.first() {
                            words.push(format!("本年度{l}情况良好"));
                        }
                    }
                    if words.is_empty() {
                        continue;
                    }
                    let text = words.join("\n");
                    let doc = read(text.as_bytes(), &Origin::new("x.txt")).unwrap();
                    let s = Stream::new(&doc);
                    let greedy = match_rows_with(&s, spec, 0, s.len(), &mut |_, _| true);
                    let fast = match_rows(&s, spec, 0, s.len());
                    let slow = without_shortcut(&s, spec);
                    assert_eq!(fast, slow, "{:?} {:?}: {text}", spec.kind, spec.layout);
                    if !all_found(spec, &greedy) {
                        if fast == greedy {
                            settled += 1;
                        } else {
                            searched += 1;
                        }
                        moved += usize::from(slow != greedy);
                    }
                }
            }
        }
        assert!(
            settled > 50 && searched > 20 && moved > 10,
            "{settled} {searched} {moved}"
        );
    }

    /// A row found after a group heading is taken where the first places took it only if
    /// it stands there too right after the row before: here a row's label stands before the
    /// layout's first group heading (which the first places take, the row after the heading
    /// being left out) and again after it, so the shortcut leaves the table to the search.
    /// (With the template's labels the search then agrees: no test here finds a table where
    /// this check alone decides; it keeps the argument in `settled` whole.) The labels are
    /// the template's: the row before the heading, the heading, and the second row after it.
    #[test]
    fn a_row_found_past_a_group_heading_is_left_to_the_search() {
        let spec = &crate::template::REQUESTS_2019;
        let g = spec.rows.iter().position(|r| r.group).unwrap();
        let (a, c) = (g - 1, g + 2);
        assert!(!spec.rows[a].group && !spec.rows[g + 1].group && !spec.rows[c].group);
        let [before, heading, row] = [a, g, c].map(|i| spec.rows[i].labels[0]);
        let stream =
            |text: &str| Stream::new(&read(text.as_bytes(), &Origin::new("x.txt")).unwrap());
        let s = stream(&format!("{before} 1\n{row} 3\n{heading} 4\n{row} 5"));
        let greedy = match_rows_with(&s, spec, 0, s.len(), &mut |_, _| true);
        // The first places: the row before, the heading, and the row at its second place.
        assert!(greedy[a].is_some() && greedy[g + 1].is_none());
        assert!(greedy[c].is_some_and(|m| m.0 > greedy[g].unwrap().0));
        assert!(!settled(&s, spec, &greedy, 0, s.len()));
        assert_eq!(match_rows(&s, spec, 0, s.len()), without_shortcut(&s, spec));
        let s = stream(&format!("{before} 1\n{heading} 4\n{row} 5"));
        let greedy = match_rows_with(&s, spec, 0, s.len(), &mut |_, _| true);
        assert!(settled(&s, spec, &greedy, 0, s.len()));
    }
}
