//! Who, where and when: issuer, region, level and year from the report itself, each with the
//! clue that decided it; the figures the narrative states; the 信息处理费; and a fingerprint
//! of the narrative for text-reuse checks.
//!
//! Clues, strongest first: the title (2019年…政府信息公开工作年度报告), the statistics
//! period (统计期限自2021年1月1日…), the signature block (大余縣人民政府 / 2020年2月12日), a
//! crawled page's source line (来源:…), and the file name. Nothing here guesses: an issuer
//! that matches no division, or several, keeps its name and says so.

use crate::regions::{Level, Region, regions};
use crate::source::{Block, Document, Loc};
use crate::template::meta::{
    ALL_UPHELD, CLAIMS, FEE_MARKER, FEE_NONE, FILE_NAME_NOISE, GOVERNMENT_WORDS, NOT_COUNTS,
    PERIOD_MARKERS, RESULT_WORDS, SCOPE_OFFICE, SCOPE_REGION, SENTENCE_COUNT_UNITS, SOURCE_MARKERS,
    TITLE_MARKERS, YEAR_SUFFIXES,
};
use crate::template::{Section, TableKind};

use super::Stream;
use super::sections::Sections;
use crate::report::{AllUpheld, Body, Clue, Dec, Meta, Place, Scope, Stated};

impl Meta {
    /// Sets the region from a code (a manifest's word), keeping the body read from the
    /// issuer. Returns false if the code is unknown.
    pub fn set_region(&mut self, code: &str, clue: Clue) -> bool {
        let Some(r) = regions().by_code(code) else {
            return false;
        };
        self.place = Some(place_of(r));
        self.region_clue = Some(clue);
        self.candidates.clear();
        if self.body.is_none() {
            self.body = Some(Body::Government);
        }
        true
    }

    /// Sets the issuer, and resolves its region unless one is set already by the same clue.
    pub fn set_issuer(&mut self, issuer: &str, clue: Clue) {
        self.issuer = Some(issuer.to_owned());
        self.issuer_clue = Some(clue);
        let r = resolve(issuer, "");
        if r.place.is_some() {
            self.place = r.place;
            self.region_clue = Some(clue);
            self.candidates.clear();
        }
        if r.body.is_some() {
            self.body = r.body;
        }
    }

    pub fn set_year(&mut self, year: i32, clue: Clue) {
        self.year = Some(year);
        self.year_clue = Some(clue);
        self.years.retain(|(_, y)| *y == year);
        self.years.insert(0, (clue, year));
    }
}

/// Reads the metadata of a document.
pub(crate) fn read_meta(doc: &Document, s: &Stream, sections: &Sections) -> Meta {
    let lines: Vec<(&str, Loc)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Line(t) => Some((t.text.as_str(), t.loc)),
            Block::Table(_) => None,
        })
        .collect();
    let mut m = Meta::default();
    let mut issuers: Vec<(Clue, String)> = Vec::new();
    // The title and source line are looked for in the first lines, without white space.
    let head: Vec<String> = lines
        .iter()
        .take(HEAD_LINES)
        .map(|(t, _)| compact(t))
        .collect();
    if let Some((issuer, year)) = title(&head) {
        if let Some(i) = issuer {
            issuers.push((Clue::Title, i));
        }
        if let Some(y) = year {
            m.years.push((Clue::Title, y));
        }
    }
    if let Some(y) = period_year(s) {
        m.years.push((Clue::Period, y));
    }
    if let Some((issuer, year)) = signature(&lines) {
        if let Some(i) = issuer {
            issuers.push((Clue::Signature, i));
        }
        // Reports are signed in the months after the year they cover.
        m.years.push((Clue::Signature, year - 1));
    }
    if let Some(i) = source_line(&head) {
        issuers.push((Clue::Source, i));
    }
    let (name_issuer, name_year) = from_file_name(&doc.name);
    if let Some(i) = name_issuer {
        issuers.push((Clue::FileName, i));
    }
    if let Some(y) = name_year {
        m.years.push((Clue::FileName, y));
    }
    if let Some(&(clue, y)) = m.years.first() {
        m.year = Some(y);
        m.year_clue = Some(clue);
    }
    let context = context_text(s, sections);
    for (clue, name) in &issuers {
        let r = resolve(name, &context);
        if m.issuer.is_none() {
            m.issuer = Some(name.clone());
            m.issuer_clue = Some(*clue);
        }
        if r.place.is_some() || !r.candidates.is_empty() {
            m.issuer = Some(name.clone());
            m.issuer_clue = Some(*clue);
            m.place = r.place;
            m.region_clue = r.clue;
            m.body = r.body;
            m.candidates = r.candidates;
            break;
        }
    }
    narrative(s, sections, &mut m);
    m
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn parse_year(digits: &str) -> Option<i32> {
    let y: i32 = digits.parse().ok()?;
    (2000..=2099).contains(&y).then_some(y)
}

/// Splits `年`-terminated four-digit years off either end: `2019年度上海市…` or `平潭…2019年度`.
fn split_year(prefix: &str) -> (Option<String>, Option<i32>) {
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
fn issuer_text(s: &str) -> Option<String> {
    let s = s.trim_matches(|c: char| c.is_whitespace() || "《》\"“”()".contains(c));
    let n = s.chars().count();
    let ok = (2..=40).contains(&n)
        && !s.chars().any(|c| c.is_ascii_digit())
        && s.chars().filter(|c| is_cjk(*c)).count() * 2 >= n;
    ok.then(|| s.to_owned())
}

/// How far into a report its title and source line are looked for.
const HEAD_LINES: usize = 40;

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The title: a line holding a title marker, with issuer and/or year before the marker; an
/// issuer alone on the line above (淮安市人民政府 / 2024年政府信息公开工作年度报告).
fn title(head: &[String]) -> Option<(Option<String>, Option<i32>)> {
    let mut best: Option<(Option<String>, Option<i32>)> = None;
    for (i, line) in head.iter().enumerate() {
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
            issuer = issuer_text(&head[i - 1]);
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
fn period_year(s: &Stream) -> Option<i32> {
    PERIOD_MARKERS.iter().find_map(|m| {
        let at = s.find(m, 0, s.len())?;
        let from = at + m.chars().count();
        let window: String = s.chars[from..(from + 24).min(s.len())].iter().collect();
        first_year(&window)
    })
}

/// The first `NNNN年` in `text`.
fn first_year(text: &str) -> Option<i32> {
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
fn signature(lines: &[(&str, Loc)]) -> Option<(Option<String>, i32)> {
    let n = lines.len();
    for i in (n.saturating_sub(8)..n).rev() {
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
fn is_date(line: &str) -> bool {
    let Some((y, rest)) = line.split_once('年') else {
        return false;
    };
    let Some((mo, rest)) = rest.split_once('月') else {
        return false;
    };
    let Some(d) = rest.strip_suffix('日') else {
        return false;
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    y.len() == 4 && digits(y, 4) && digits(mo, 2) && digits(d, 2)
}

fn source_line(head: &[String]) -> Option<String> {
    head.iter().find_map(|line| {
        SOURCE_MARKERS.iter().find_map(|m| {
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
fn from_file_name(name: &str) -> (Option<String>, Option<i32>) {
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

/// The first few thousand characters, where a report names its province and city.
fn context_text(s: &Stream, sections: &Sections) -> String {
    let end = sections.starts[1].unwrap_or(s.len()).min(4000).min(s.len());
    s.chars[..end].iter().collect()
}

struct Resolution {
    place: Option<Place>,
    clue: Option<Clue>,
    body: Option<Body>,
    candidates: Vec<String>,
}

fn place_of(r: &Region) -> Place {
    let all = regions();
    let current = r
        .successor
        .as_deref()
        .filter(|_| !r.current)
        .and_then(|c| all.by_code(c))
        .unwrap_or(r);
    let province = all
        .province_of(current)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let city = if current.level == Level::Prefecture {
        current.name.clone()
    } else {
        all.city_of(current)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    Place {
        code: current.code.clone(),
        level: current.level,
        province,
        city,
        county: if current.level == Level::County {
            current.name.clone()
        } else {
            String::new()
        },
        former_name: (!r.current).then(|| r.name.clone()),
    }
}

fn is_within(inner: &Region, outer: &Region) -> bool {
    inner.province_code == outer.code || inner.city_code == outer.code
}

/// Resolves an issuer name to a division: a hand-kept alias, else the chain of division
/// names it starts with (江西省赣州市大余县…), each inside the one before.
fn resolve(issuer: &str, context: &str) -> Resolution {
    let all = regions();
    let none = Resolution {
        place: None,
        clue: None,
        body: None,
        candidates: Vec::new(),
    };
    if let Some((code, len)) = all.alias_prefix(issuer) {
        let Some(r) = all.by_code(code) else {
            return none;
        };
        return Resolution {
            place: Some(place_of(r)),
            clue: Some(Clue::Alias),
            body: Some(body_of(&issuer[len..])),
            candidates: Vec::new(),
        };
    }
    let mut pos = 0;
    let mut chain: Vec<Vec<&Region>> = Vec::new();
    while let Some((len, units)) = all.name_prefix(&issuer[pos..]) {
        let units: Vec<&Region> = match chain.last() {
            Some(outer) => units
                .into_iter()
                .filter(|u| outer.iter().any(|o| is_within(u, o)))
                .collect(),
            None => units,
        };
        if units.is_empty() {
            break;
        }
        chain.push(units);
        pos += len;
    }
    let Some(mut cands) = chain.pop() else {
        return none;
    };
    // A current unit of that name wins over a former one.
    if cands.iter().any(|r| r.current) {
        cands.retain(|r| r.current);
    }
    if cands.len() > 1 {
        // The same name in several provinces: let the report's own words decide.
        let score = |r: &Region| {
            let p = all.province_of(r).map_or(0, |p| mentions(context, &p.name));
            let c = all.city_of(r).map_or(0, |c| mentions(context, &c.name));
            p + c
        };
        let best = cands.iter().map(|r| score(r)).max().unwrap_or(0);
        let top: Vec<&Region> = cands.iter().copied().filter(|r| score(r) == best).collect();
        if best > 0 && top.len() == 1 {
            cands = top;
        }
    }
    if cands.len() > 1 {
        return Resolution {
            candidates: cands.iter().map(|r| r.code.clone()).collect(),
            body: Some(body_of(&issuer[pos..])),
            ..none
        };
    }
    Resolution {
        place: Some(place_of(cands[0])),
        clue: Some(Clue::IssuerName),
        body: Some(body_of(&issuer[pos..])),
        candidates: Vec::new(),
    }
}

fn mentions(text: &str, name: &str) -> usize {
    let short = crate::regions::short_name(name).unwrap_or(name);
    text.matches(short).count()
}

fn body_of(rest: &str) -> Body {
    if rest.is_empty() || GOVERNMENT_WORDS.contains(&rest) {
        Body::Government
    } else {
        Body::Department
    }
}

/// Sections 一 and 六 as sentences, with the stream position of each sentence's start.
fn sentences(s: &Stream, sections: &Sections, which: &[Section]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for &sec in which {
        let (start, end) = sections.region(sec, 0, s.len());
        if sections.starts[sec as usize].is_none() {
            continue;
        }
        let mut from = start;
        for i in start..=end {
            let stop = i == end || matches!(s.chars[i], '。' | ';' | '!' | '?');
            if stop {
                if i > from {
                    out.push((s.chars[from..i].iter().collect(), from));
                }
                from = i + 1;
            }
        }
    }
    out
}

/// A count right after `at` (skipping a few filler characters), with its unit.
fn count_after(chars: &[char], at: usize) -> Option<i64> {
    let mut i = at;
    let mut skipped = 0;
    while i < chars.len() && !chars[i].is_ascii_digit() {
        if skipped >= 3 || "。,;:".contains(chars[i]) {
            return None;
        }
        i += 1;
        skipped += 1;
    }
    let start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if start == i || i - start > 9 {
        return None;
    }
    let rest: String = chars[i..(i + 4).min(chars.len())].iter().collect();
    (SENTENCE_COUNT_UNITS.iter().any(|u| rest.starts_with(u))
        && !NOT_COUNTS.iter().any(|u| rest.starts_with(u)))
    .then(|| chars[start..i].iter().collect::<String>().parse().ok())
    .flatten()
}

/// The last `N件` within a few characters before `at`.
fn count_before(chars: &[char], at: usize) -> Option<i64> {
    let from = at.saturating_sub(16);
    let mut found = None;
    let mut i = from;
    while i < at {
        let starts_number = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_digit());
        if let Some(v) = starts_number.then(|| count_after(chars, i)).flatten() {
            found = Some(v);
        }
        i += 1;
    }
    found
}

fn find_all(chars: &[char], needle: &str) -> Vec<usize> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || chars.len() < n.len() {
        return Vec::new();
    }
    let first = n[0];
    (0..=chars.len() - n.len())
        .filter(|&i| chars[i] == first && chars[i..i + n.len()] == n[..])
        .collect()
}

fn table_of(key: &str) -> TableKind {
    TableKind::ALL
        .into_iter()
        .find(|t| t.key() == key)
        .unwrap_or(TableKind::Requests)
}

fn scope_of(before: &str) -> Scope {
    if SCOPE_OFFICE.iter().any(|w| before.contains(w)) {
        Scope::Office
    } else if SCOPE_REGION.iter().any(|w| before.contains(w)) {
        Scope::Region
    } else {
        Scope::Unsaid
    }
}

/// Figures stated in sections 一 and 六, the 信息处理费, and the narrative fingerprint.
fn narrative(s: &Stream, sections: &Sections, m: &mut Meta) {
    for (sentence, start) in sentences(s, sections, &[Section::One, Section::Six]) {
        let chars: Vec<char> = sentence.chars().collect();
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut groups: Vec<&'static str> = Vec::new();
        for claim in CLAIMS {
            for trigger in claim.triggers {
                for at in find_all(&chars, trigger) {
                    let end = at + trigger.chars().count();
                    // One figure per phrase: a trigger inside one already read (答复 inside
                    // 答复政府信息公开申请) is the same figure.
                    if taken.iter().any(|&(a, e)| at < e && a < end) {
                        continue;
                    }
                    let value = if claim.before {
                        count_before(&chars, at)
                    } else {
                        count_after(&chars, end)
                    };
                    let Some(value) = value else { continue };
                    taken.push((at, end));
                    let before: String = chars[..at].iter().collect();
                    let cells: Vec<(TableKind, &str, &str)> = claim
                        .cells
                        .iter()
                        .map(|&(t, r, c)| (table_of(t), r, c))
                        .collect();
                    if claim
                        .cells
                        .iter()
                        .all(|(t, _, _)| *t == "review_litigation")
                    {
                        groups.extend(claim.cells.iter().map(|(_, r, _)| *r));
                        results_after(&chars, end, claim, &sentence, start, s, m);
                    }
                    m.stated.push(Stated {
                        key: claim.key,
                        value,
                        cells,
                        what_zh: claim.zh,
                        sentence: sentence.clone(),
                        scope: scope_of(&before),
                        loc: s.loc(start),
                    });
                }
            }
        }
        if !groups.is_empty() && ALL_UPHELD.iter().any(|w| sentence.contains(w)) {
            m.all_upheld.push(AllUpheld {
                rows: groups,
                sentence: sentence.clone(),
                loc: s.loc(start),
            });
        }
        if m.processing_fee.is_none() && sentence.contains(FEE_MARKER) {
            m.processing_fee = fee(&sentence).map(|d| (d, sentence.clone()));
        }
    }
    m.fingerprint = fingerprint(s, sections);
}

/// `其中结果维持72件，结果纠正64件…` after a review or litigation figure, up to the next
/// figure of another kind.
fn results_after(
    chars: &[char],
    from: usize,
    claim: &'static crate::template::meta::Claim,
    sentence: &str,
    start: usize,
    s: &Stream,
    m: &mut Meta,
) {
    let stop = CLAIMS
        .iter()
        .flat_map(|c| c.triggers.iter())
        .flat_map(|t| find_all(chars, t))
        .filter(|&p| p > from)
        .min()
        .unwrap_or(chars.len());
    for &(word, col) in RESULT_WORDS {
        for at in find_all(&chars[..stop], word) {
            if at < from {
                continue;
            }
            let Some(value) = count_after(chars, at + word.chars().count()) else {
                continue;
            };
            m.stated.push(Stated {
                key: col,
                value,
                cells: claim
                    .cells
                    .iter()
                    .map(|&(_, r, _)| (TableKind::ReviewLitigation, r, col))
                    .collect(),
                what_zh: word,
                sentence: sentence.to_owned(),
                scope: Scope::Unsaid,
                loc: s.loc(start),
            });
        }
    }
}

/// The fee in 元 a sentence states: the first number followed by 元, or 0 when it says none
/// was charged.
fn fee(sentence: &str) -> Option<Dec> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if chars.get(i) == Some(&'元') {
                return Dec::parse(&chars[start..i].iter().collect::<String>());
            }
            continue;
        }
        i += 1;
    }
    FEE_NONE
        .iter()
        .any(|w| sentence.contains(w))
        .then(|| Dec::int(0))
}

/// Sampled hashes of the Chinese 8-grams of sections 一, 五 and 六 (digits and punctuation
/// dropped, so a new year's figures do not hide a copied text).
fn fingerprint(s: &Stream, sections: &Sections) -> Vec<u64> {
    const N: usize = 8;
    let mut text: Vec<char> = Vec::new();
    for sec in [Section::One, Section::Five, Section::Six] {
        if sections.starts[sec as usize].is_none() {
            continue;
        }
        let (a, b) = sections.region(sec, 0, s.len());
        text.extend(s.chars[a..b].iter().filter(|c| is_cjk(**c)));
    }
    let mut out: Vec<u64> = text
        .windows(N)
        .map(|w| {
            // FNV-1a: stable across runs and platforms.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in w {
                h ^= *c as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h
        })
        .filter(|h| h % 4 == 0)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_traditional_former_and_shared_names() {
        let r = resolve("大余人民政府", "");
        assert_eq!(r.place.unwrap().code, "360723");
        assert_eq!(r.body, Some(Body::Government));
        // A former name resolves to today's code and remembers the name it used.
        let p = resolve("龙南县人民政府", "").place.unwrap();
        assert_eq!(
            (p.code.as_str(), p.former_name.as_deref()),
            ("360783", Some("龙南县"))
        );
        // The same district name in two provinces: the report's own words decide…
        let r = resolve(
            "朝阳区人民政府",
            "北京市朝阳区2020年政府信息公开工作年度报告",
        );
        assert_eq!(r.place.unwrap().code, "110105");
        // …and without them it stays ambiguous, with the candidates.
        let r = resolve("朝阳区人民政府", "");
        assert!(r.place.is_none());
        assert!(
            r.candidates.contains(&"110105".to_owned()),
            "{:?}",
            r.candidates
        );
        // A chain of names narrows: 吉林省长春市朝阳区.
        let r = resolve("吉林省长春市朝阳区人民政府", "");
        assert_eq!(r.place.unwrap().code, "220104");
        // A department is attached to its region.
        let r = resolve("大余县发展和改革委员会", "");
        assert_eq!(r.body, Some(Body::Department));
        assert_eq!(r.place.unwrap().code, "360723");
        assert!(resolve("虚构县人民政府", "").place.is_none());
        // The synthetic province resolves to its 99 codes.
        assert_eq!(
            resolve("示例省示例一市示例二县人民政府", "")
                .place
                .unwrap()
                .code,
            "990102"
        );
    }

    #[test]
    fn title_prefixes_and_dates() {
        assert_eq!(
            split_year("平潭综合实验区2019年度"),
            (Some("平潭综合实验区".into()), Some(2019))
        );
        assert_eq!(
            split_year("2019年上海市人民政府办公厅"),
            (Some("上海市人民政府办公厅".into()), Some(2019))
        );
        assert_eq!(split_year("2024年"), (None, Some(2024)));
        assert!(is_date("2020年2月12日"));
        assert!(!is_date("2020年2月12日发布"));
        assert_eq!(from_file_name("jiangxi_dayu_2019.txt"), (None, Some(2019)));
        assert_eq!(
            from_file_name("大余县2020年度报告.html"),
            (Some("大余县".into()), Some(2020))
        );
        assert_eq!(first_year("自2021年1月1日起"), Some(2021));
    }

    #[test]
    fn fees_in_yuan_or_none() {
        assert_eq!(
            fee("全年收取政府信息公开信息处理费3940元"),
            Some(Dec::int(3940))
        );
        assert_eq!(fee("2021年,无收取信息处理费情况"), Some(Dec::int(0)));
        assert_eq!(fee("按照信息处理费管理办法执行"), None);
    }
}
