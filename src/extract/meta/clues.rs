//! The clues to issuer and year: the title, the statistics period, the signature block, a
//! crawled page's source line, and the file name.

use super::*;

pub(super) fn compact(s: &str) -> String {
    // Over bytes: the runs between white space copied whole (a match is always at a
    // character's first byte: `white_width`).
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        let width = crate::trim::white_width(&b[i..]);
        if width == 0 {
            i += 1;
        } else {
            out.push_str(&s[run..i]);
            i += width;
            run = i;
        }
    }
    out.push_str(&s[run..]);
    out
}

pub(super) fn parse_year(digits: &str) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    (2000..=2099).contains(&y).then_some(y)
}

/// Splits `年`-terminated four-digit years off either end: `2019年度上海市…` or `平潭…2019年度`.
pub(super) fn split_year(prefix: &str) -> (Option<String>, Option<i32>) {
    let p = YEAR_SUFFIXES
        .iter()
        .fold(prefix, |p, s| p.trim_end_matches(s))
        .to_owned();
    let chars: Vec<char> = p.chars().collect();
    let n = chars.len();
    // Year at the end (平潭综合实验区2019).
    if n >= 4 && chars[n - 4..].iter().all(char::is_ascii_digit) {
        let y = parse_year(&chars[n - 4..].iter().collect::<String>());
        let rest: String = chars[..n - 4].iter().collect();
        return (issuer_text(&rest), y);
    }
    // Year at the start (2019年上海市人民政府办公厅).
    let pc: Vec<char> = prefix.chars().collect();
    if pc.len() >= 5 && pc[..4].iter().all(char::is_ascii_digit) && pc[4] == '年' {
        let y = parse_year(&pc[..4].iter().collect::<String>());
        let rest: String = pc[5..].iter().collect();
        let rest = rest.trim_start_matches('度').to_owned();
        return (issuer_text(&rest), y);
    }
    (issuer_text(&p), None)
}

/// A plausible issuer name: 2 to 40 characters, mostly Chinese, no digits.
pub(super) fn issuer_text(s: &str) -> Option<String> {
    let s = s.trim_matches(|c: char| c.is_whitespace() || "《》\"“”()".contains(c));
    let n = s.chars().count();
    let ok = (2..=40).contains(&n)
        && !s.chars().any(|c| c.is_ascii_digit())
        && s.chars().filter(|c| is_cjk(*c)).count() * 2 >= n;
    ok.then(|| s.to_owned())
}

/// How far into a report its title and source line are looked for.
pub(super) const HEAD_LINES: usize = 40;

pub(super) fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// A document's first lines, each compacted (white space dropped) the first time it is asked
/// for: most are only asked whether they hold a marker's last character, which compacting
/// cannot add.
pub(super) struct Head<'a> {
    lines: Vec<&'a str>,
    compacted: Vec<std::cell::OnceCell<String>>,
}

impl<'a> Head<'a> {
    pub(super) fn new(lines: Vec<&'a str>) -> Head<'a> {
        let compacted = lines.iter().map(|_| std::cell::OnceCell::new()).collect();
        Head { lines, compacted }
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether line `i`, compacted, can hold a word ending in one of these words' last
    /// characters.
    fn may_hold(&self, i: usize, words: &[&str]) -> bool {
        let line = self.lines[i];
        let mut tried = None;
        (words.iter().filter_map(|w| w.chars().next_back())).any(|c| {
            // Words listed together often end alike (every title marker in 告, every source
            // marker in its colon): one search for them all.
            if tried == Some(c) {
                return false;
            }
            tried = Some(c);
            line.contains(c)
        })
    }

    /// Line `i` without white space.
    fn get(&self, i: usize) -> &str {
        self.compacted[i].get_or_init(|| compact(self.lines[i]))
    }
}

/// The title: a line holding a title marker, with issuer and/or year before the marker; an
/// issuer alone on the line above (淮安市人民政府 / 2024年政府信息公开工作年度报告).
pub(super) fn title(head: &Head<'_>) -> Option<(Option<String>, Option<i32>)> {
    let mut best: Option<(Option<String>, Option<i32>)> = None;
    for i in 0..head.len() {
        if !head.may_hold(i, TITLE_MARKERS) {
            continue;
        }
        let line = head.get(i);
        let Some((at, _)) = TITLE_MARKERS
            .iter()
            .filter_map(|m| line.find(m).map(|at| (at, *m)))
            .min()
        else {
            continue;
        };
        let before = &line[..at];
        let cut = before
            .rfind(|c: char| ":|。,;》”)]".contains(c))
            .map_or(0, |p| {
                p + before[p..].chars().next().map_or(1, char::len_utf8)
            });
        let (mut issuer, year) = split_year(&before[cut..]);
        if issuer.is_none() && i > 0 {
            issuer = issuer_text(head.get(i - 1));
        }
        let found = (issuer, year);
        if found.0.is_some() && found.1.is_some() {
            return Some(found);
        }
        if best.is_none() && (found.0.is_some() || found.1.is_some()) {
            best = Some(found);
        }
    }
    best
}

/// The year of the statistics period sentence.
pub(super) fn period_year(s: &Stream) -> Option<i32> {
    PERIOD_MARKERS.iter().find_map(|m| {
        let at = s.find(m, 0, s.len())?;
        let from = at + m.chars().count();
        let window: String = s.chars[from..(from + 24).min(s.len())].iter().collect();
        first_year(&window)
    })
}

/// The first `NNNN年` in `text`.
pub(super) fn first_year(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let ok = chars[i..i + 4].iter().all(char::is_ascii_digit)
            && chars[i + 4] == '年'
            && (i == 0 || !chars[i - 1].is_ascii_digit());
        ok.then(|| parse_year(&chars[i..i + 4].iter().collect::<String>()))
            .flatten()
    })
}

/// A date line `2020年2月12日` near the end, and the issuer line above it.
pub(super) fn signature(lines: &[(&str, Loc)]) -> Option<(Option<String>, i32)> {
    let n = lines.len();
    for i in (n.saturating_sub(8)..n).rev() {
        // A date ends in its day's mark: a line without one (most of a report's last lines
        // are narrative or table rows) is not compacted to be asked.
        if !lines[i].0.contains(DATE_MARKS[2]) {
            continue;
        }
        let line = compact(lines[i].0);
        if !is_date(&line) {
            continue;
        }
        let year = first_year(&line)?;
        let issuer = (i > 0)
            .then(|| issuer_text(&compact(lines[i - 1].0)))
            .flatten();
        return Some((issuer, year));
    }
    None
}

/// `2020年2月12日` and nothing else.
pub(super) fn is_date(line: &str) -> bool {
    let [year, month, day] = DATE_MARKS;
    let Some((y, rest)) = line.split_once(year) else {
        return false;
    };
    let Some((mo, rest)) = rest.split_once(month) else {
        return false;
    };
    let Some(d) = rest.strip_suffix(day) else {
        return false;
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    y.len() == 4 && digits(y, 4) && digits(mo, 2) && digits(d, 2)
}

pub(super) fn source_line(head: &Head<'_>) -> Option<String> {
    (0..head.len()).find_map(|i| {
        // A quick no first: a line without the markers' last character (the colon) holds no
        // marker, compacted or not.
        if !head.may_hold(i, SOURCE_MARKERS) {
            return None;
        }
        SOURCE_MARKERS.iter().find_map(|m| {
            let line = head.get(i);
            let at = line.find(m)?;
            let rest = &line[at + m.len()..];
            let end = rest
                .find(|c: char| " |:".contains(c) || c.is_ascii_digit())
                .unwrap_or(rest.len());
            issuer_text(&rest[..end])
        })
    })
}

/// Issuer (a run of Chinese) and year (`20NN`) from a file name.
pub(super) fn from_file_name(name: &str) -> (Option<String>, Option<i32>) {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let chars: Vec<char> = stem.chars().collect();
    let mut year = None;
    for i in 0..chars.len().saturating_sub(3) {
        let four = &chars[i..i + 4];
        let bounded = (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if bounded && four.iter().all(char::is_ascii_digit) {
            year = parse_year(&four.iter().collect::<String>());
            if year.is_some() {
                break;
            }
        }
    }
    let run: String = chars
        .iter()
        .skip_while(|c| !is_cjk(**c))
        .take_while(|c| is_cjk(**c))
        .collect();
    let mut name = run;
    for noise in FILE_NAME_NOISE {
        name = name.replace(noise, "");
    }
    let issuer = issuer_text(
        YEAR_SUFFIXES
            .iter()
            .fold(name.as_str(), |n, s| n.trim_end_matches(s)),
    );
    (issuer, year)
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn compact_drops_exactly_the_white_space_characters() {
        // Every character, alone and between others; then mixed runs.
        let plain = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        for u in 0..0x11_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("a{c}年{c}{c}");
            assert_eq!(compact(&s), plain(&s), "U+{u:04X}");
        }
        for s in [
            "",
            " ",
            "示例\u{3000}省 \t人民政府\u{a0}2019年\u{2028}",
            "\u{205f}\u{202f}x\u{1680}\u{85}\u{200a}\u{200b}",
            "。、「」\u{3001}\u{e2}",
        ] {
            assert_eq!(compact(s), plain(s), "{s:?}");
        }
    }
}
