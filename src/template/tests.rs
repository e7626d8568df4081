//! Invariants of the template data (like ripgrep's tests over its FLAGS slice).

use super::*;

fn all_specs() -> impl Iterator<Item = &'static TableSpec> {
    TableKind::ALL
        .into_iter()
        .flat_map(|t| t.specs().iter().copied())
}

#[test]
fn row_keys_and_targets_are_unique_per_spec() {
    for spec in all_specs() {
        let mut keys: Vec<&str> = spec.rows.iter().map(|r| r.key).collect();
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "{:?} {:?}", spec.kind, spec.layout);
        let mut t = spec.targets();
        let n = t.len();
        t.sort();
        t.dedup();
        assert_eq!(t.len(), n, "{:?} {:?}", spec.kind, spec.layout);
    }
}

#[test]
fn every_label_names_exactly_one_row() {
    for spec in all_specs() {
        let mut seen: Vec<&str> = Vec::new();
        for row in spec.rows {
            for l in row.labels {
                assert!(!seen.contains(l), "label {l} twice in {:?}", spec.kind);
                seen.push(l);
            }
        }
    }
}

#[test]
fn labels_are_normalised_simplified_text() {
    for spec in all_specs() {
        for row in spec.rows {
            for l in row.labels {
                let (n, _) = crate::source::normalize(l);
                assert_eq!(&n, l, "label {l} is not in normalised form");
                assert!(!l.chars().any(|c| c.is_whitespace()), "{l}");
            }
        }
    }
}

#[test]
fn every_identity_names_existing_keys() {
    for id in IDENTITIES {
        let specs = id.table.specs();
        for key in id.lhs.iter().chain(id.rhs) {
            let exists = specs.iter().any(|s| {
                s.targets().iter().any(|&(r, c)| match id.axis {
                    Axis::Rows => r == *key,
                    Axis::Cols => c == *key,
                })
            });
            assert!(exists, "{} names unknown key {key}", id.id);
        }
        assert!(
            specs.iter().any(|s| !id.instances_over(s).is_empty()),
            "{} has no instance",
            id.id
        );
    }
}

#[test]
fn i2_covers_every_outcome_row_of_each_layout() {
    for spec in TableKind::Requests.specs() {
        for row in spec.rows {
            let outcome =
                !row.group && !matches!(row.key, "new" | "carried_in" | "total" | "carried_out");
            if outcome {
                assert!(REQUEST_RESULTS.contains(&row.key), "{}", row.key);
            }
        }
    }
}

#[test]
fn ordinals_count_up_within_groups() {
    for spec in TableKind::Requests.specs() {
        let mut expected = 1;
        for row in spec.rows {
            match row.ordinal {
                Some(n) => {
                    assert_eq!(n, expected, "{}", row.key);
                    expected += 1;
                }
                None => expected = 1,
            }
        }
    }
}

#[test]
fn layout_markers_belong_to_one_layout() {
    for kind in TableKind::ALL {
        let specs = kind.specs();
        for a in specs.iter() {
            for m in a.markers {
                for b in specs.iter().filter(|b| b.layout != a.layout) {
                    assert!(!b.markers.contains(m), "{m}");
                }
            }
        }
    }
}

#[test]
fn review_identity_has_one_instance_per_group() {
    let i4 = IDENTITIES.iter().find(|i| i.id == "I4").unwrap();
    let inst = i4.instances_over(&REVIEW);
    assert_eq!(inst.len(), 3);
    assert_eq!(inst[0].lhs, vec![("review", "total")]);
}

#[test]
fn outcome_groups_cover_every_result_once() {
    let mut rows: Vec<&str> = OUTCOME_GROUPS
        .iter()
        .flat_map(|g| g.rows.iter().copied())
        .collect();
    rows.sort_unstable();
    let mut expected = REQUEST_RESULTS.to_vec();
    expected.sort_unstable();
    assert_eq!(rows, expected);
}

#[test]
fn chart_series_are_harmonised_series() {
    for name in [VOLUME_SERIES]
        .iter()
        .chain(CASE_SERIES)
        .chain(CORRECTED_SERIES)
    {
        assert_eq!(Harmonised::named(name).name, *name);
    }
}

#[test]
fn row_labels_come_from_the_layout() {
    assert_eq!(
        row_label(TableKind::Requests, Layout::Y2021, "granted"),
        Some("予以公开")
    );
    assert_eq!(
        row_label(TableKind::Requests, Layout::Y2019, "other_misc"),
        None
    );
}

#[test]
fn every_column_and_group_has_a_printed_label() {
    for spec in all_specs() {
        for row in spec.rows {
            for cell in row.cells {
                for (r, c) in cell.targets(row.key) {
                    assert_ne!(col_label(c), c, "column {c}");
                    assert_ne!(cell_row_label(spec.kind, spec.layout, r), r, "row {r}");
                }
            }
        }
    }
}

#[test]
fn every_key_the_vocabulary_names_is_a_cell_of_the_templates() {
    let keys = all_keys();
    let is_key = |k: &Key| keys.contains(k);
    for h in HARMONISED {
        for c in h.cells {
            assert!(is_key(c), "harmonised series {} names {c:?}", h.name);
        }
    }
    for claim in meta::CLAIMS {
        for c in claim.cells {
            assert!(is_key(c), "narrative claim {} names {c:?}", claim.key);
        }
    }
    for g in OUTCOME_GROUPS {
        for r in g.rows {
            assert!(
                is_key(&(TableKind::Requests, r, TOTAL)),
                "outcome group {} names {r}",
                g.en
            );
        }
    }
    let cols: Vec<&str> = keys.iter().map(|k| k.2).collect();
    for (col, _) in summary::COLUMN_SYNONYMS {
        assert!(cols.contains(col), "summary synonyms name column {col}");
    }
    for (col, _) in COLUMN_LABELS {
        assert!(cols.contains(col), "column label for {col}");
    }
    for name in [TOTAL, NEW, CARRIED_IN, CARRIED_OUT] {
        assert!(is_key(&(TableKind::Requests, name, TOTAL)), "{name}");
    }
    for col in [UPHELD, CORRECTED, OTHER, PENDING, TOTAL] {
        assert!(REVIEW_RESULTS.contains(&col), "{col}");
    }
}

#[test]
fn one_parser_of_dotted_keys_names_every_cell() {
    let keys = all_keys();
    for &(t, r, c) in keys {
        let full = format!("{}.{r}.{c}", t.key());
        assert_eq!(parse_key(&full), Some((t, r, c)), "{full}");
        assert_eq!(
            parse_key(&full.replace('.', "/")),
            Some((t, r, c)),
            "{full}"
        );
        // `row.col` is unambiguous: no pair is a cell of two tables.
        let twice: Vec<&Key> = keys.iter().filter(|k| k.1 == r && k.2 == c).collect();
        assert_eq!(twice.len(), 1, "{r}.{c} names {twice:?}");
        assert_eq!(parse_key(&format!("{r}.{c}")), Some((t, r, c)));
    }
    assert_eq!(
        parse_key("granted"),
        Some((TableKind::Requests, "granted", TOTAL))
    );
    assert_eq!(parse_key("requests.granted.nope"), None);
    assert_eq!(parse_key("a.b.c.d"), None);
}

/// The keys are distinct, and every key is found at its place whatever was asked before it,
/// by its words' addresses or, for equal words elsewhere in memory, by their text.
#[test]
fn every_key_is_found_at_its_place_in_any_order() {
    use super::keys::{all_keys, key_index};
    let keys = all_keys();
    let distinct: std::collections::HashSet<_> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len());
    let n = keys.len();
    let orders: [Box<dyn Fn(usize) -> usize>; 4] = [
        Box::new(|i| i),
        Box::new(move |i| n - 1 - i),
        Box::new(|i| i / 2),
        Box::new(move |i| (i * 7919) % n),
    ];
    for order in &orders {
        for i in 0..n {
            let j = order(i);
            assert_eq!(key_index(keys[j]), Some(j));
            let (t, r, c) = keys[j];
            let copied: &'static str = String::from(r).leak();
            assert_eq!(key_index((t, copied, c)), Some(j));
        }
    }
    assert_eq!(key_index((keys[0].0, "no such row", "total")), None);
}
