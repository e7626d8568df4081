//! What the narrative states: counts beside the tables' words, all-upheld claims, the
//! 信息处理费, and the fingerprint for text-reuse checks.

use super::*;
use crate::charbits::CharBits;

/// The sentences of sections `which` (一 and 六) as ranges of the stream: no `String` is
/// built for the many that state no figure (see [`narrative`]).
pub(super) fn sentences(s: &Stream, sections: &Sections, which: &[Section]) -> Vec<(usize, usize)> {
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
                    out.push((from, i));
                }
                from = i + 1;
            }
        }
    }
    out
}

/// A count right after `at` (skipping a few filler characters), with its unit.
pub(super) fn count_after(chars: &[char], at: usize) -> Option<i64> {
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
pub(super) fn count_before(chars: &[char], at: usize) -> Option<i64> {
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

/// Which of the claims' triggers' first characters a sentence holds: a trigger whose first
/// character it lacks cannot stand in it.
pub(super) struct TriggerFirsts {
    bits: u64,
    masks: &'static [u64],
}

/// The claims' triggers' first characters: each one's bit, and a bitmap of them over the
/// Chinese block (a sentence's characters are tested against it, most of them no trigger's).
struct Firsts {
    /// Sorted, without repeats; a character's bit is its place here (past 64, none).
    all: Vec<char>,
    /// `all` within the block.
    block: CharBits,
    /// Whether any of `all` lies outside the block (none does: the triggers are Chinese).
    outside: bool,
    /// Each trigger's first character's bit, triggers counted claim after claim; 0 for
    /// one that has none.
    masks: Vec<u64>,
}

impl TriggerFirsts {
    fn table() -> &'static Firsts {
        static FIRSTS: std::sync::OnceLock<Firsts> = std::sync::OnceLock::new();
        FIRSTS.get_or_init(|| {
            let mut all: Vec<char> = (CLAIMS.iter())
                .flat_map(|c| c.triggers)
                .filter_map(|t| t.chars().next())
                .collect();
            all.sort_unstable();
            all.dedup();
            let mut block = CharBits::new(0x4E00..0xA000);
            for &c in &all {
                block.insert(c as u32);
            }
            let outside = all.iter().any(|&c| !block.covers(c as u32));
            let masks = (CLAIMS.iter())
                .flat_map(|c| c.triggers)
                .map(|t| match t.chars().next().map(|f| all.binary_search(&f)) {
                    Some(Ok(k)) if k < 64 => 1 << k,
                    _ => 0,
                })
                .collect();
            Firsts {
                all,
                block,
                outside,
                masks,
            }
        })
    }

    pub(super) fn of(chars: &[char]) -> TriggerFirsts {
        let t = Self::table();
        let mut bits = 0u64;
        for &c in chars {
            let u = c as u32;
            let maybe = if t.block.covers(u) {
                t.block.contains(u)
            } else {
                t.outside
            };
            if maybe
                && let Ok(k) = t.all.binary_search(&c)
                && k < 64
            {
                bits |= 1 << k;
            }
        }
        TriggerFirsts {
            bits,
            masks: &t.masks,
        }
    }

    /// False only when the sentence cannot hold the `n`th trigger of [`CLAIMS`], counted
    /// claim after claim (a first character past the 64 this set tells apart is always a
    /// maybe).
    pub(super) fn may_hold(&self, n: usize) -> bool {
        let mask = self.masks[n];
        mask == 0 || self.bits & mask != 0
    }
}

/// Where `needle` starts in `chars`, in order (an empty needle nowhere); the needle's
/// characters read from the text at each place its first one stands (no vector made of them:
/// asked for every trigger a sentence may hold).
pub(super) fn find_all<'a>(chars: &'a [char], needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let first = needle.chars().next();
    let len = needle.chars().count();
    // Places where the needle fits; for an empty one, every character's (none matches it).
    (0..(chars.len() + 1).saturating_sub(len.max(1))).filter(move |&i| {
        Some(chars[i]) == first && chars[i..i + len].iter().copied().eq(needle.chars())
    })
}

pub(super) fn scope_of(before: &str) -> Scope {
    if SCOPE_OFFICE.iter().any(|w| before.contains(w)) {
        Scope::Office
    } else if SCOPE_REGION.iter().any(|w| before.contains(w)) {
        Scope::Region
    } else {
        Scope::Unsaid
    }
}

/// Figures stated in sections 一 and 六, the 信息处理费, and the narrative fingerprint.
pub(super) fn narrative(s: &Stream, sections: &Sections, m: &mut Meta) {
    let fee_marker: Vec<char> = FEE_MARKER.chars().collect();
    for (start, stop) in sentences(s, sections, &[Section::One, Section::Six]) {
        let chars = &s.chars[start..stop];
        // A figure is digits beside a trigger: a sentence without digits states none (most
        // sentences of a report), so its triggers are not looked for, and unless it names
        // the processing fee its text is not even built.
        let digits = chars.iter().any(char::is_ascii_digit);
        let names_fee =
            m.processing_fee.is_none() && chars.windows(fee_marker.len()).any(|w| w == fee_marker);
        if !digits && !names_fee {
            continue;
        }
        // The sentence's text, made once a figure or the fee is found in it.
        let text = std::cell::OnceCell::new();
        let sentence = || -> &String { text.get_or_init(|| chars.iter().collect()) };
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut groups: Vec<&'static str> = Vec::new();
        let claims = if digits { CLAIMS } else { &[] };
        let firsts = TriggerFirsts::of(if digits { chars } else { &[] });
        // The trigger's place among all claims' triggers, for `firsts`.
        let mut nth = 0;
        for claim in claims {
            for trigger in claim.triggers {
                nth += 1;
                // Most triggers are not in a given sentence: one whose first character the
                // sentence lacks is passed over at once (a substring test for each of the
                // claims' triggers in each sentence with digits was 24 M of the 1k text
                // corpus's 2,119 M instructions); the rest are looked for in its characters
                // (a substring test of its text first cost 290 instructions a trigger).
                if !firsts.may_hold(nth - 1) {
                    continue;
                }
                for at in find_all(chars, trigger) {
                    let end = at + trigger.chars().count();
                    // One figure per phrase: a trigger inside one already read (答复 inside
                    // 答复政府信息公开申请) is the same figure.
                    if taken.iter().any(|&(a, e)| at < e && a < end) {
                        continue;
                    }
                    let value = if claim.before {
                        count_before(chars, at)
                    } else {
                        count_after(chars, end)
                    };
                    let Some(value) = value else { continue };
                    taken.push((at, end));
                    let before: String = chars[..at].iter().collect();
                    let cells: Vec<(TableKind, &str, &str)> = claim.cells.to_vec();
                    if claim
                        .cells
                        .iter()
                        .all(|(t, _, _)| *t == TableKind::ReviewLitigation)
                    {
                        groups.extend(claim.cells.iter().map(|(_, r, _)| *r));
                        results_after(chars, end, claim, sentence(), start, s, m);
                    }
                    m.stated.push(Stated {
                        key: claim.key,
                        value,
                        cells,
                        what_zh: claim.zh,
                        sentence: sentence().clone(),
                        scope: scope_of(&before),
                        loc: s.loc(start),
                    });
                }
            }
        }
        if !groups.is_empty() && ALL_UPHELD.iter().any(|w| sentence().contains(w)) {
            m.all_upheld.push(AllUpheld {
                rows: groups,
                sentence: sentence().clone(),
                loc: s.loc(start),
            });
        }
        // `names_fee` said whether the sentence holds the marker, the fee not found before.
        if m.processing_fee.is_none() && names_fee {
            m.processing_fee = fee(sentence()).map(|d| (d, sentence().clone()));
        }
    }
    m.fingerprint = fingerprint(s, sections);
}

/// `其中结果维持72件，结果纠正64件…` after a review or litigation figure, up to the next
/// figure of another kind.
pub(super) fn results_after(
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
pub(super) fn fee(sentence: &str) -> Option<Dec> {
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
pub(super) fn fingerprint(s: &Stream, sections: &Sections) -> Vec<u64> {
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

    /// `find_all` finds every place a needle stands, as a comparison at every place does,
    /// and an empty needle nowhere.
    #[test]
    fn find_all_finds_every_place() {
        let mut rng = crate::rng::Rng::new(31);
        let mut found = 0;
        // The claims' first trigger's characters, and digits.
        let pool: Vec<char> = (CLAIMS[0].triggers[0].chars()).chain(['1', '2']).collect();
        for _ in 0..5_000 {
            let text: Vec<char> = (0..rng.below(12))
                .map(|_| pool[rng.below(pool.len() as u64) as usize])
                .collect();
            let needle: String = (0..rng.below(4))
                .map(|_| pool[rng.below(pool.len() as u64) as usize])
                .collect();
            let n: Vec<char> = needle.chars().collect();
            let every: Vec<usize> = (0..text.len())
                .filter(|&i| !n.is_empty() && text[i..].starts_with(&n))
                .collect();
            assert_eq!(
                find_all(&text, &needle).collect::<Vec<_>>(),
                every,
                "{needle}"
            );
            found += every.len();
        }
        assert!(found > 200, "{found}");
    }

    /// A trigger the sentence holds is never passed over: sentences of the triggers' own
    /// characters and others, at random, against the substring test alone.
    #[test]
    fn trigger_firsts_never_pass_over_a_trigger_a_sentence_holds() {
        let triggers: Vec<&str> = CLAIMS.iter().flat_map(|c| c.triggers).copied().collect();
        let mut pool: Vec<char> = triggers.iter().flat_map(|t| t.chars()).collect();
        pool.extend("12件。,的年度共计其中".chars());
        let mut rng = crate::rng::Rng::new(20);
        let (mut held, mut passed) = (0, 0);
        for _ in 0..20_000 {
            let n = (rng.next_u64() % 40) as usize;
            let mut chars: Vec<char> = (0..n)
                .map(|_| pool[(rng.next_u64() % pool.len() as u64) as usize])
                .collect();
            if rng.next_u64().is_multiple_of(3) {
                let t = triggers[(rng.next_u64() % triggers.len() as u64) as usize];
                let at = (rng.next_u64() % (chars.len() as u64 + 1)) as usize;
                chars.splice(at..at, t.chars());
            }
            let sentence: String = chars.iter().collect();
            let firsts = TriggerFirsts::of(&chars);
            for (n, t) in triggers.iter().enumerate() {
                if sentence.contains(t) {
                    held += 1;
                    assert!(firsts.may_hold(n), "{t} in {sentence}");
                } else if !firsts.may_hold(n) {
                    passed += 1;
                }
            }
        }
        // Both sides were met: triggers held and triggers passed over.
        assert!(held > 1_000 && passed > 1_000, "{held} {passed}");
    }
}
