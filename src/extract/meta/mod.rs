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
    ALL_UPHELD, CLAIMS, DATE_MARKS, FEE_MARKER, FEE_NONE, FILE_NAME_NOISE, GOVERNMENT_WORDS,
    NOT_COUNTS, PERIOD_MARKERS, RESULT_WORDS, SCOPE_OFFICE, SCOPE_REGION, SENTENCE_COUNT_UNITS,
    SOURCE_MARKERS, TITLE_MARKERS, YEAR_SUFFIXES,
};
use crate::template::{Section, TableKind};

mod clues;
mod narrative;
mod place;

use super::Stream;
use super::sections::Sections;

use crate::report::{AllUpheld, Body, Clue, Dec, Meta, Place, Scope, Stated};
use clues::*;
use narrative::*;
use place::*;
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
    let head = Head::new(lines.iter().take(HEAD_LINES).map(|(t, _)| *t).collect());
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
    let context = std::cell::OnceCell::new();
    let context = || context.get_or_init(|| context_text(s, sections)).as_str();
    for (clue, name) in &issuers {
        let r = resolve_in(name, &context);
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
