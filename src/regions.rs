//! GB/T 2260 administrative divisions, embedded from `data/regions.csv` (see
//! `data/regions.md` for source, version and licence), with hand-kept aliases from
//! `data/region_aliases.csv`. Lookups by full name (大余县), short name (大余) and former
//! name (龙南县 → 龙南市).

// Looked up only, never iterated, so the hasher cannot change an answer; Fx instead of
// SipHash took `place::resolve` from 86.5 M to 69.1 M instructions on 1,002 reports.
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use crate::template::meta::REGION_SUFFIXES;

#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Level {
    Province,
    Prefecture,
    County,
}

impl Level {
    pub fn key(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }

    /// The level as evaluators name it (省级, 地级, 县级).
    pub fn zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::Prefecture => "地级",
            Level::County => "县级",
        }
    }

    /// The level with this key.
    pub fn from_key(key: &str) -> Option<Level> {
        [Level::Province, Level::Prefecture, Level::County]
            .into_iter()
            .find(|l| l.key() == key)
    }
}

/// One division. Its texts are the embedded table's own (or, for the synthetic units, one
/// buffer's made once per process): every worker builds the table, and with a `String` per
/// field and per map key that took 31.0 M instructions against 22.5 M.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub province_code: &'static str,
    /// Empty for units directly under a province-level unit (北京市东城区, 省直辖县).
    pub city_code: &'static str,
    /// A unit of the current list (not a former name).
    pub current: bool,
    /// For a former unit, the current unit that continues it, if known.
    pub successor: Option<&'static str>,
}

pub(crate) struct Regions {
    pub all: Vec<Region>,
    by_code: HashMap<&'static str, Vec<usize>>,
    /// Full and short names to units.
    by_name: HashMap<&'static str, Vec<usize>>,
    aliases: Vec<(&'static str, &'static str)>,
    longest_name: usize,
}

/// The embedded table, parsed once.
pub(crate) fn regions() -> &'static Regions {
    static R: OnceLock<Regions> = OnceLock::new();
    R.get_or_init(|| {
        Regions::parse(
            include_str!("../data/regions.csv"),
            include_str!("../data/region_aliases.csv"),
        )
    })
}

/// The name without its ending (大余县 → 大余), if what is left is a usable short name.
pub(crate) fn short_name(name: &str) -> Option<&str> {
    REGION_SUFFIXES.iter().find_map(|s| {
        let stem = name.strip_suffix(s)?;
        (stem.chars().count() >= 2).then_some(stem)
    })
}

/// The code prefix of the fictional province: every synthetic region code starts with it.
pub(crate) const SYNTHETIC_PREFIX: &str = "99";

/// True for a region code of the fictional province (示例省); outputs flag such rows so a
/// synthetic issuer can never pass for a real one.
pub(crate) fn is_synthetic(code: &str) -> bool {
    code.starts_with(SYNTHETIC_PREFIX)
}

/// The fictional province of the synthetic corpus (示例省, 990000) with 99 prefectures
/// (示例一市 … , 99MM00) of 99 counties each (示例一县 …, 99MMNN): visibly not real, so no
/// output can be mistaken for a real county's numbers.
/// The fictional province every synthetic issuer belongs to (codes 99…).
pub const PROVINCE: &str = "示例省";

/// 1..=99 in Chinese numerals (names carry no digits, like real ones).
fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n % 10]),
        _ => format!("{}十{}", D[n / 10 % 10], D[n % 10]),
    }
}

/// The name of synthetic prefecture `n` (示例一市).
pub fn city_name(n: usize) -> String {
    unit_name(&numeral(n), '市')
}

/// The name of synthetic county `n` within its prefecture (示例一县).
pub fn county_name(n: usize) -> String {
    unit_name(&numeral(n), '县')
}

/// A synthetic unit's name from its numeral and its level's last character.
fn unit_name(numeral: &str, suffix: char) -> String {
    let mut s = String::with_capacity(16);
    push_unit_name(&mut s, numeral, suffix);
    s
}

/// [`unit_name`], written at the end of `out`.
fn push_unit_name(out: &mut String, numeral: &str, suffix: char) {
    out.push_str("示例");
    out.push_str(numeral);
    out.push(suffix);
}

/// The code of the fictional province.
const PROVINCE_CODE: &str = "990000";

fn synthetic() -> Vec<Region> {
    // Every code and name written into one buffer, each numeral once (with a `format!` per
    // code and name, the 9,901 units cost every worker process 19 M instructions more), then
    // kept for the life of the process like the embedded table: the units borrow from it.
    let numerals: Vec<String> = (0..=99).map(numeral).collect();
    let mut buf = String::with_capacity(9_901 * 24);
    let code = |buf: &mut String, c: usize, k: usize| {
        let at = buf.len();
        buf.push_str(SYNTHETIC_PREFIX);
        for n in [c, k] {
            buf.push(char::from(b'0' + (n / 10) as u8));
            buf.push(char::from(b'0' + (n % 10) as u8));
        }
        at..buf.len()
    };
    let name = |buf: &mut String, n: usize, suffix: char| {
        let at = buf.len();
        push_unit_name(buf, &numerals[n], suffix);
        at..buf.len()
    };
    // (code, name, level, city code) of each unit, as ranges of `buf`.
    let mut units = Vec::with_capacity(99 * 100);
    for c in 1..=99 {
        let city = code(&mut buf, c, 0);
        units.push((
            city.clone(),
            name(&mut buf, c, '市'),
            Level::Prefecture,
            city.clone(),
        ));
        for k in 1..=99 {
            let county = code(&mut buf, c, k);
            units.push((county, name(&mut buf, k, '县'), Level::County, city.clone()));
        }
    }
    let text: &'static str = Box::leak(buf.into_boxed_str());
    let region = |code, name, level, city_code| Region {
        code,
        name,
        level,
        province_code: PROVINCE_CODE,
        city_code,
        current: true,
        successor: None,
    };
    let mut out = Vec::with_capacity(1 + units.len());
    out.push(region(PROVINCE_CODE, PROVINCE, Level::Province, ""));
    for (code, name, level, city) in units {
        out.push(region(&text[code], &text[name], level, &text[city]));
    }
    out
}

/// The first `N` fields of one line of the generated CSV (no field holds a comma or a quote,
/// except the alias notes, which come last and are not needed), if it has that many.
fn fields<const N: usize>(line: &'static str) -> Option<[&'static str; N]> {
    let mut f = [""; N];
    let mut parts = line.split(',');
    for slot in &mut f {
        *slot = parts.next()?;
    }
    Some(f)
}

impl Regions {
    fn parse(csv: &'static str, aliases: &'static str) -> Regions {
        let mut all = Vec::with_capacity(csv.lines().count() + 1 + 99 * 100);
        for line in csv.lines().skip(1) {
            let Some(f) = fields::<7>(line) else {
                continue;
            };
            let level = match f[2] {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                _ => Level::County,
            };
            all.push(Region {
                code: f[0],
                name: f[1],
                level,
                province_code: f[3],
                city_code: f[4],
                current: f[5] == "current",
                successor: (!f[6].is_empty()).then_some(f[6]),
            });
        }
        all.extend(synthetic());
        let mut by_code: HashMap<&'static str, Vec<usize>> = HashMap::default();
        let mut by_name: HashMap<&'static str, Vec<usize>> = HashMap::default();
        by_code.reserve(all.len());
        by_name.reserve(2 * all.len());
        let mut longest_name = 0;
        for (i, r) in all.iter().enumerate() {
            by_code.entry(r.code).or_default().push(i);
            by_name.entry(r.name).or_default().push(i);
            longest_name = longest_name.max(r.name.chars().count());
            if let Some(short) = short_name(r.name) {
                by_name.entry(short).or_default().push(i);
            }
        }
        let aliases = aliases
            .lines()
            .skip(1)
            .filter_map(|l| fields::<2>(l).map(|[alias, code]| (alias, code)))
            .collect();
        Regions {
            all,
            by_code,
            by_name,
            aliases,
            longest_name,
        }
    }

    /// The current unit with this code (or the former one, if the code is gone).
    pub(crate) fn by_code(&self, code: &str) -> Option<&Region> {
        let ids = self.by_code.get(code)?;
        ids.iter()
            .map(|&i| &self.all[i])
            .find(|r| r.current)
            .or_else(|| ids.first().map(|&i| &self.all[i]))
    }

    /// Units whose full or short name is exactly `name`.
    pub(crate) fn by_name(&self, name: &str) -> Vec<&Region> {
        self.by_name
            .get(name)
            .map(|ids| ids.iter().map(|&i| &self.all[i]).collect())
            .unwrap_or_default()
    }

    /// The code of a hand-kept alias that `text` starts with, and the alias's length.
    pub(crate) fn alias_prefix(&self, text: &str) -> Option<(&str, usize)> {
        self.aliases
            .iter()
            .filter(|(a, _)| text.starts_with(a))
            .max_by_key(|(a, _)| a.len())
            .map(|&(a, c)| (c, a.len()))
    }

    /// The longest name (full or short) that `text` starts with: its byte length and units.
    pub(crate) fn name_prefix(&self, text: &str) -> Option<(usize, Vec<&Region>)> {
        let ends: Vec<usize> = text
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take(self.longest_name)
            .collect();
        ends.into_iter().rev().find_map(|end| {
            let units = self.by_name(&text[..end]);
            (!units.is_empty()).then_some((end, units))
        })
    }

    /// The province-level unit of a region.
    pub(crate) fn province_of(&self, r: &Region) -> Option<&Region> {
        self.by_code(r.province_code)
    }

    /// The prefecture of a region, if it has one.
    pub(crate) fn city_of(&self, r: &Region) -> Option<&Region> {
        if r.city_code.is_empty() || r.city_code == r.code && r.level != Level::County {
            return None;
        }
        self.by_code(r.city_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_level() {
        let r = regions();
        let count = |l| {
            r.all
                .iter()
                .filter(|x| x.current && x.level == l && !x.code.starts_with("99"))
                .count()
        };
        assert_eq!(count(Level::Province), 34);
        assert!(count(Level::Prefecture) > 330);
        assert!(count(Level::County) > 2800);
        // The synthetic province resolves too, and is visibly fictional.
        assert_eq!(r.by_code("990101").unwrap().name, "示例一县");
    }

    /// Built piece by piece, the synthetic units are what their names and codes say.
    #[test]
    fn synthetic_units_are_named_and_coded_as_the_corpus_names_them() {
        let all = synthetic();
        assert_eq!(all.len(), 1 + 99 * 100);
        let mut i = 1;
        for c in 1..=99 {
            let city = format!("99{c:02}00");
            assert_eq!(
                (all[i].code, all[i].name.to_owned()),
                (city.as_str(), city_name(c))
            );
            assert_eq!(all[i].city_code, city);
            i += 1;
            for k in 1..=99 {
                assert_eq!(all[i].code, format!("99{c:02}{k:02}"));
                assert_eq!(all[i].name, county_name(k));
                assert_eq!(
                    (all[i].city_code, all[i].level),
                    (city.as_str(), Level::County)
                );
                i += 1;
            }
        }
    }

    #[test]
    fn names_short_names_and_former_names() {
        let r = regions();
        assert_eq!(r.by_name("大余县")[0].code, "360723");
        assert_eq!(r.by_name("大余")[0].code, "360723");
        let longnan = r.by_name("龙南县");
        assert_eq!(longnan[0].successor, Some("360783"));
        assert_eq!(r.by_code("320800").unwrap().name, "淮安市");
        assert_eq!(r.alias_prefix("平潭综合实验区2019年").unwrap().0, "350128");
        let (len, units) = r.name_prefix("赣州市大余县人民政府").unwrap();
        assert_eq!((len, units[0].code), ("赣州市".len(), "360700"));
        // The same county name in two provinces.
        assert!(r.by_name("朝阳区").len() >= 2);
    }
}
