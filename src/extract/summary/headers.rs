//! Which cell, issuer, year or region a summary sheet's column header names.

use super::*;

/// What a column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Issuer,
    Year,
    Region,
    Ignored,
    Cell(TableKind, &'static str, &'static str),
    Unknown(String),
}

/// One canonical cell and the words that name it.
pub(super) struct Entry {
    pub(super) table: TableKind,
    pub(super) row: &'static str,
    pub(super) col: &'static str,
    pub(super) kind: CellKind,
    /// Layouts that print this cell.
    pub(super) layouts: Vec<Layout>,
    pub(super) row_labels: Vec<&'static str>,
}

pub(super) fn catalog() -> &'static [Entry] {
    static C: OnceLock<Vec<Entry>> = OnceLock::new();
    C.get_or_init(|| {
        let mut out: Vec<Entry> = Vec::new();
        for table in TableKind::ALL {
            for spec in table.specs() {
                for row in spec.rows {
                    for pc in row.cells {
                        for (i, (r, c)) in pc.targets(row.key).into_iter().enumerate() {
                            let kind = match pc.kind {
                                CellKind::Pair(_) if i == 0 => pc.kind,
                                CellKind::Pair(_) => CellKind::Count,
                                k => k,
                            };
                            let mut labels: Vec<&'static str> = if row.labels.is_empty() {
                                REVIEW_GROUP_LABELS
                                    .iter()
                                    .filter(|(k, _)| *k == r)
                                    .map(|(_, l)| *l)
                                    .collect()
                            } else {
                                row.labels.to_vec()
                            };
                            labels.extend(
                                ROW_SYNONYMS
                                    .iter()
                                    .filter(|(t, k, _)| *t == table.key() && *k == r)
                                    .flat_map(|(_, _, w)| w.iter().copied()),
                            );
                            match out
                                .iter_mut()
                                .find(|e| e.table == table && e.row == r && e.col == c)
                            {
                                Some(e) => {
                                    e.layouts.push(spec.layout);
                                    for l in labels {
                                        if !e.row_labels.contains(&l) {
                                            e.row_labels.push(l);
                                        }
                                    }
                                }
                                None => out.push(Entry {
                                    table,
                                    row: r,
                                    col: c,
                                    kind,
                                    layouts: vec![spec.layout],
                                    row_labels: labels,
                                }),
                            }
                        }
                    }
                }
            }
        }
        out
    })
}

pub(super) fn col_words(col: &str) -> Vec<&'static str> {
    let mut w: Vec<&'static str> = COLUMN_SYNONYMS
        .iter()
        .filter(|(k, _)| *k == col)
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    if let Some((_, l)) = crate::template::COLUMN_LABELS
        .iter()
        .find(|(k, _)| *k == col)
    {
        w.push(l);
    }
    w
}

pub(super) fn clean(header: &str) -> String {
    let mut h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    for u in HEADER_UNITS {
        // Most headers hold no unit: a character search says so without building a copy.
        if u.chars().next().is_some_and(|c| h.contains(c)) {
            h = h.replace(u, "");
        }
    }
    h
}

/// What a header names among the columns that are not cells (issuer, year, region, ignored),
/// or `None` when only the catalog can tell. Cheap: no catalog scan, so a table can be
/// ruled out (no issuer column) before any header is matched against the cells.
pub(super) fn early(h: &str) -> Option<Target> {
    if h.is_empty() {
        return Some(Target::Ignored);
    }
    let lower = h.to_ascii_lowercase();
    if IGNORED_HEADERS.iter().any(|w| lower == *w) {
        return Some(Target::Ignored);
    }
    if REGION_HEADERS.iter().any(|w| lower.contains(w)) {
        return Some(Target::Region);
    }
    if ISSUER_HEADERS
        .iter()
        .any(|w| lower == *w || (w.chars().count() > 2 && lower.contains(w)))
    {
        return Some(Target::Issuer);
    }
    if YEAR_HEADERS
        .iter()
        .any(|w| lower == *w || lower.contains(w))
        && h.chars().count() <= 6
    {
        return Some(Target::Year);
    }
    None
}

pub(super) fn is_issuer(header: &str) -> bool {
    early(&clean(header)) == Some(Target::Issuer)
}

/// What a header names.
pub(super) fn target(header: &str) -> Target {
    let h = clean(header);
    if let Some(t) = early(&h) {
        return t;
    }
    let entries = catalog();
    // A canonical key as it is (`requests.new.total`, `requests/new/total`, `new.total`).
    let lower = h.to_ascii_lowercase();
    if lower.contains(['.', '/'])
        && let Some((table, row, col)) = crate::template::parse_key(&lower)
    {
        return Target::Cell(table, row, col);
    }
    // The longest row label in the header, then the longest column word of that row.
    let mut best: Option<(usize, TableKind, &'static str)> = None;
    for e in entries {
        for l in &e.row_labels {
            let n = l.chars().count();
            if h.contains(l) && best.is_none_or(|(m, _, _)| n > m) {
                best = Some((n, e.table, e.row));
            }
        }
    }
    let Some((_, table, row)) = best else {
        return Target::Unknown(header.trim().to_owned());
    };
    let cols: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.table == table && e.row == row)
        .collect();
    let mut col: Option<(usize, &'static str)> = None;
    for e in &cols {
        for w in col_words(e.col) {
            let n = w.chars().count();
            if h.contains(w) && col.is_none_or(|(m, _)| n > m) {
                col = Some((n, e.col));
            }
        }
    }
    let col = col.map(|(_, c)| c).or_else(|| {
        // No column word: the row's total, or its only cell.
        cols.iter()
            .find(|e| e.col == crate::template::TOTAL)
            .or(if cols.len() == 1 { cols.first() } else { None })
            .map(|e| e.col)
    });
    match col {
        Some(c) => Target::Cell(table, row, c),
        None => Target::Unknown(header.trim().to_owned()),
    }
}
