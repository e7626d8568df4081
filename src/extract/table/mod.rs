//! Reading one table out of its section: layout, rows, pieces, cells.

mod floating;
mod joint;
mod reach;
mod readings;
mod rows;

use rustc_hash::FxHashMap as HashMap;

use crate::report::Raw;
use crate::template::{
    COUNT_UNITS, CellKind, Instance, MONEY_UNITS, PrintedCell, RowSpec, TableKind, TableSpec,
    Targets,
};

use super::glued::{Counts, Cut, CutText, MAX_CELL_CHARS, Split, split_row};
use super::value::{BLANK_MARK, NA_MARK, Value, parse};
use super::{Cell, CellState, Note, Report, Stream, TableRead};

use floating::*;
use joint::*;
use reach::*;
use readings::*;
use rows::*;

/// Search budget for choosing among rows' readings jointly.
const MAX_JOINT_NODES: usize = 10_000;
const MAX_SOLUTIONS: usize = 256;

/// A run of value characters in the stream: `[start, end)`, and those characters (the
/// stream's own, not a copy: a table's pieces were one allocation each).
#[derive(Clone, Copy, Debug)]
struct Piece<'s> {
    start: usize,
    end: usize,
    chars: &'s [char],
}

/// One printed row as found: its label, the pieces after it, and its readings.
struct RowRead<'s> {
    spec: &'static RowSpec,
    label: Option<Span>,
    pieces: Vec<Piece<'s>>,
    /// Readings; several when a glued run could be cut more than one way.
    options: Vec<Vec<Cut>>,
    glued: bool,
    unsplittable: Option<&'static str>,
    /// The readings put empty cells in spaces between the runs.
    blank_gaps: bool,
    /// Identities of the row (as instances of the table) that no reading satisfies.
    broken: Vec<usize>,
    /// For a row whose label floated out of its table and could not be paired with one
    /// value row for sure: each cell's candidate texts (the value rows' in its column).
    unplaced: Option<Vec<Vec<String>>>,
}

type Key = (&'static str, &'static str);
/// A label match: stream range `[start, end)`.
type Span = (usize, usize);

/// Reads table `kind` from the stream range `[start, end)` into `report`; returns the end
/// of the range it used, or `None` if no table was found.
pub(super) fn read_table(
    s: &Stream,
    kind: TableKind,
    start: usize,
    end: usize,
    report: &mut Report,
) -> Option<usize> {
    let Some((spec, labels)) = choose_spec(s, kind, start, end) else {
        report.tables.push(TableRead {
            table: kind,
            layout: None,
            loc: None,
        });
        report.notes.push(Note::TableNotFound { table: kind });
        return None;
    };
    let mut rows: Vec<RowRead> = Vec::with_capacity(spec.rows.len());
    let found: Vec<usize> = (0..labels.len()).filter(|&i| labels[i].is_some()).collect();
    for (i, row) in spec.rows.iter().enumerate() {
        let label = labels[i];
        let pieces = match label {
            Some((_, lend)) => {
                let next = found
                    .iter()
                    .find(|&&j| j > i)
                    .and_then(|&j| {
                        labels[j].map(|(ls, _)| trim_ordinal(s, ls, spec.rows[j].ordinal))
                    })
                    .unwrap_or(end);
                pieces(s, lend, next.max(lend))
            }
            None => Vec::new(),
        };
        rows.push(RowRead {
            spec: row,
            label,
            pieces,
            options: Vec::new(),
            glued: false,
            unsplittable: None,
            blank_gaps: false,
            broken: Vec::new(),
            unplaced: None,
        });
    }
    let instances = spec.instances();
    let blocks = floating_blocks(s, &mut rows);
    for row in &mut rows {
        read_row(row, instances);
    }
    solve_jointly(&mut rows, instances);
    for b in &blocks {
        settle_floating(b, &mut rows, instances, report, kind);
    }
    let table_loc = rows
        .iter()
        .find_map(|r| r.label.map(|(st, _)| st))
        .and_then(|st| s.loc(st));
    report.tables.push(TableRead {
        table: kind,
        layout: Some(spec.layout),
        loc: table_loc,
    });
    for row in &rows {
        emit(s, spec, row, report);
    }
    let used_end = rows
        .iter()
        .filter_map(|r| r.pieces.last().map(|p| p.end))
        .max()
        .unwrap_or(start);
    Some(used_end)
}

/// Picks the layout with the most markers in the range (then the most rows found; then the
/// first listed). Layouts are tried by markers, most first: once one with rows is found,
/// those with fewer markers cannot win, and their rows are not matched.
fn choose_spec(
    s: &Stream,
    kind: TableKind,
    start: usize,
    end: usize,
) -> Option<(&'static TableSpec, Vec<Option<Span>>)> {
    let specs = kind.specs();
    let markers: Vec<usize> = specs
        .iter()
        .map(|spec| {
            (spec.markers.iter())
                .filter(|m| s.find(m, start, end).is_some())
                .count()
        })
        .collect();
    let mut order: Vec<usize> = (0..specs.len()).collect();
    // Stable: among equal markers, the order listed (which wins a tie of rows).
    order.sort_by_key(|&i| std::cmp::Reverse(markers[i]));
    let mut best: Option<(&'static TableSpec, Vec<Option<Span>>)> = None;
    let mut best_score = (0, 0);
    for &i in &order {
        if best.is_some() && markers[i] < best_score.0 {
            break;
        }
        let spec = specs[i];
        let labels = match_rows(s, spec, start, end);
        let rows_with_values = labels
            .iter()
            .enumerate()
            .filter(|(i, l)| l.is_some() && !spec.rows[*i].group)
            .count();
        let score = (markers[i], rows_with_values);
        if rows_with_values > 0 && (best.is_none() || score > best_score) {
            best = Some((spec, labels));
            best_score = score;
        }
    }
    best
}

/// Turns a row's readings into cells and notes.
fn emit(s: &Stream, spec: &'static TableSpec, row: &RowRead<'_>, report: &mut Report) {
    let kind = spec.kind;
    let layout = spec.layout;
    let push = |report: &mut Report, pc: &PrintedCell, t: Key, state: CellState, raw: Raw, loc| {
        report.cells.push(Cell {
            table: kind,
            row: t.0,
            col: t.1,
            state,
            raw,
            layout,
            // Each half of a 增/减 pair is a count.
            kind: match pc.kind {
                CellKind::Pair(_) => CellKind::Count,
                k => k,
            },
            loc,
        });
    };
    let printed_row = row.spec.key;
    if let Some(cands) = &row.unplaced {
        let loc = row.label.and_then(|(at, _)| s.loc(at));
        if cands.is_empty() {
            report.notes.push(Note::Floating {
                table: kind,
                rows: vec![printed_row],
                value_rows: 0,
                placed: false,
            });
        }
        for (j, pc) in row.spec.cells.iter().enumerate() {
            let state = match cands.get(j) {
                Some(c) => CellState::Ambiguous(c.clone()),
                None => CellState::Missing,
            };
            for t in pc.targets(printed_row) {
                push(report, pc, t, state.clone(), Raw::default(), loc);
            }
        }
        return;
    }
    if let (Some((at, _)), true, false) = (row.label, row.pieces.is_empty(), row.spec.group) {
        // The label is printed and the next row's follows it with nothing between: the row
        // is printed with empty cells (`2.申请人逾期未按收费通知…3.其他`), not missing.
        for pc in row.spec.cells {
            for t in pc.targets(printed_row) {
                push(report, pc, t, CellState::Blank, Raw::default(), s.loc(at));
            }
        }
        return;
    }
    if row.label.is_none() || row.pieces.is_empty() {
        if row.spec.group {
            return; // the template prints nothing here; neither did the report
        }
        report.notes.push(Note::RowNotFound {
            table: kind,
            row: if printed_row.is_empty() {
                "(values)"
            } else {
                printed_row
            },
        });
        for pc in row.spec.cells {
            for t in pc.targets(printed_row) {
                push(report, pc, t, CellState::Missing, Raw::default(), None);
            }
        }
        return;
    }
    let n = row.spec.cells.len();
    let first_loc = s.loc(row.pieces[0].start);
    let run_raw = |p: usize| {
        let pc = &row.pieces[p];
        s.raw(pc.start, pc.end)
    };
    // Blank cells past the row's own (a wide table's padding, as sheets print it) are no
    // values: only printed extras are worth a note.
    let printed_extra = (n..row.pieces.len()).any(|p| !run_raw(p).trim().is_empty());
    if row.pieces.len() > n && printed_extra {
        report.notes.push(Note::ExtraValues {
            table: kind,
            row: printed_row,
            extra: (n..row.pieces.len()).map(run_raw).collect(),
            loc: s.loc(row.pieces[n].start),
        });
    }
    // The row's printed values as one text, for notes and unread cells only (most rows
    // need neither).
    let whole_raw = || {
        row.pieces[..row.pieces.len().min(n)]
            .iter()
            .map(|p| s.raw(p.start, p.end))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(reason) = row.unsplittable {
        report.notes.push(Note::Unsplittable {
            table: kind,
            row: printed_row,
            raw: whole_raw(),
            loc: first_loc,
            reason,
        });
    }
    for &b in &row.broken {
        let inst = &spec.instances()[b];
        report.notes.push(Note::Broken {
            table: kind,
            row: printed_row,
            rule: inst.id,
            cells: inst
                .cells()
                .map(|(r, c)| format!("{}/{r}/{c}", kind.key()))
                .collect(),
            raw: whole_raw(),
            alone: row.broken.len() == 1,
            loc: first_loc,
        });
    }
    if row.options.len() > 1 {
        report.notes.push(Note::Ambiguous {
            table: kind,
            row: printed_row,
            raw: whole_raw(),
            candidates: row
                .options
                .iter()
                .map(|o| {
                    o.iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect(),
            loc: first_loc,
        });
    }
    for (j, pc) in row.spec.cells.iter().enumerate() {
        let targets = pc.targets(printed_row);
        let Some(first) = row.options.first() else {
            for t in targets {
                push(
                    report,
                    pc,
                    t,
                    CellState::Unparsed,
                    whole_raw().into(),
                    first_loc,
                );
            }
            continue;
        };
        let cut = &first[j];
        let mut raw = if row.blank_gaps {
            // The spaces are part of what decided the cells.
            Raw::from(whole_raw())
        } else {
            s.raw_cell(row.pieces[cut.piece].start, row.pieces[cut.piece].end)
        };
        let loc = if row.blank_gaps {
            first_loc
        } else {
            s.loc(row.pieces[cut.piece].start)
        };
        let all_same = row.options[1..].iter().all(|o| o[j].text == cut.text);
        if !all_same {
            let mut cands: Vec<String> = (row.options.iter())
                .map(|o| o[j].text.as_str().to_owned())
                .collect();
            cands.sort();
            cands.dedup();
            for t in targets {
                push(
                    report,
                    pc,
                    t,
                    CellState::Ambiguous(cands.clone()),
                    raw.clone(),
                    loc,
                );
            }
            continue;
        }
        let vals = parse(&cut.text, pc.kind, cut.cut);
        // The raw text is moved into the last cell it is for (most printed cells are one).
        let mut cells = targets.into_iter().zip(vals).peekable();
        while let Some((t, v)) = cells.next() {
            let state = match v {
                Value::Number(d) => CellState::Number(d),
                Value::Blank => CellState::Blank,
                Value::NotApplicable => CellState::NotApplicable,
                Value::Unparsed => CellState::Unparsed,
            };
            let text = if cells.peek().is_some() {
                raw.clone()
            } else {
                std::mem::take(&mut raw)
            };
            push(report, pc, t, state, text, loc);
        }
    }
}
