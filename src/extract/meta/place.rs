//! An issuer's name to a division of the embedded table, with its body (government or
//! department); several candidates or none are said, never guessed.

use super::*;

/// The first few thousand characters, where a report names its province and city.
pub(super) fn context_text(s: &Stream, sections: &Sections) -> String {
    let end = sections.starts[1].unwrap_or(s.len()).min(4000).min(s.len());
    s.chars[..end].iter().collect()
}

pub(super) struct Resolution {
    pub(super) place: Option<Place>,
    pub(super) clue: Option<Clue>,
    pub(super) body: Option<Body>,
    pub(super) candidates: Vec<String>,
}

pub(super) fn place_of(r: &Region) -> Place {
    let all = regions();
    let current = r
        .successor
        .filter(|_| !r.current)
        .and_then(|c| all.by_code(c))
        .unwrap_or(r);
    let province = all
        .province_of(current)
        .map(|p| p.name.to_owned())
        .unwrap_or_default();
    let city = if current.level == Level::Prefecture {
        current.name.to_owned()
    } else {
        all.city_of(current)
            .map(|c| c.name.to_owned())
            .unwrap_or_default()
    };
    Place {
        code: current.code.to_owned(),
        level: current.level,
        province,
        city,
        county: if current.level == Level::County {
            current.name.to_owned()
        } else {
            String::new()
        },
        former_name: (!r.current).then(|| r.name.to_owned()),
    }
}

pub(super) fn is_within(inner: &Region, outer: &Region) -> bool {
    inner.province_code == outer.code || inner.city_code == outer.code
}

/// Resolves an issuer name to a division: a hand-kept alias, else the chain of division
/// names it starts with (江西省赣州市大余县…), each inside the one before.
pub(super) fn resolve(issuer: &str, context: &str) -> Resolution {
    resolve_in(issuer, &|| context)
}

/// [`resolve`] with the report's opening text made only when a name needs it (several
/// divisions of that name): most reports' names resolve without it, and copying it out of
/// the stream cost about 50,000 instructions a report.
pub(super) fn resolve_in<'c>(issuer: &str, context: &dyn Fn() -> &'c str) -> Resolution {
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
        let context = context();
        // Each name is counted once: a count is a pass over the text, and candidates of one
        // province (or city) share its name (300 reports of a county name found in every
        // fictional city: 195.2 M instructions in this function when each candidate's names
        // were counted, twice).
        let mut counted: Vec<(&'static str, usize)> = Vec::new();
        let mut count = |name: &'static str| match counted.iter().find(|(n, _)| *n == name) {
            Some(&(_, k)) => k,
            None => {
                let k = mentions(context, name);
                counted.push((name, k));
                k
            }
        };
        let scores: Vec<usize> = (cands.iter())
            .map(|r| {
                let p = all.province_of(r).map_or(0, |p| count(p.name));
                let c = all.city_of(r).map_or(0, |c| count(c.name));
                p + c
            })
            .collect();
        let best = scores.iter().copied().max().unwrap_or(0);
        let top: Vec<&Region> = (cands.iter().zip(&scores))
            .filter(|&(_, &s)| s == best)
            .map(|(&r, _)| r)
            .collect();
        if best > 0 && top.len() == 1 {
            cands = top;
        }
    }
    if cands.len() > 1 {
        return Resolution {
            candidates: cands.iter().map(|r| r.code.to_owned()).collect(),
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

pub(super) fn mentions(text: &str, name: &str) -> usize {
    let short = crate::regions::short_name(name).unwrap_or(name);
    text.matches(short).count()
}

pub(super) fn body_of(rest: &str) -> Body {
    if rest.is_empty() || GOVERNMENT_WORDS.contains(&rest) {
        Body::Government
    } else {
        Body::Department
    }
}
