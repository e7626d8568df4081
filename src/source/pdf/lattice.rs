//! Ruled tables from a page's rules (the lattice way of camelot and pdfplumber): rules that
//! touch form one table; the distinct x of its vertical rules and y of its horizontal ones cut
//! it into elementary cells; where the rule between two neighbours is missing, they are one
//! merged cell. A table whose merged cells are not rectangles is not read as a grid.

use super::collect::Rule;

/// Rules closer than this (points) are one line; ends closer than this meet.
const SNAP: f64 = 1.6;
/// A table smaller than this on either side is a box, not a table.
const MIN_SIDE: f64 = 8.0;

/// A ruled table on a page: its column edges `xs` and row edges `ys` (both ascending, y
/// downwards), and its cells over that grid.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Lattice {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub cells: Vec<Span>,
}

/// A cell of a lattice, in elementary rows and columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

impl Lattice {
    pub(super) fn top(&self) -> f64 {
        self.ys[0]
    }

    pub(super) fn bottom(&self) -> f64 {
        self.ys[self.ys.len() - 1]
    }

    /// Whether a point is inside the table's outline.
    pub(super) fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.xs[0] && x <= self.xs[self.xs.len() - 1] && y >= self.top() && y <= self.bottom()
    }

    /// The elementary (row, column) a point inside the outline is in.
    pub(super) fn locate(&self, (x, y): (f64, f64)) -> (usize, usize) {
        let find = |edges: &[f64], v: f64| {
            edges
                .partition_point(|e| *e <= v)
                .saturating_sub(1)
                .min(edges.len() - 2)
        };
        (find(&self.ys, y), find(&self.xs, x))
    }
}

/// Merges rules on the same line that overlap or nearly meet: one segment per drawn run.
fn merge(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // Snap the positions first: a border drawn as two half-point rectangles is one line.
    let mut out: Vec<Rule> = Vec::new();
    let mut group_start = 0;
    for i in 0..rules.len() {
        if i > 0 && rules[i].at - rules[group_start].at > SNAP {
            group_start = i;
        }
        let at = rules[group_start].at;
        rules[i].at = at;
    }
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    for r in rules {
        match out.last_mut() {
            Some(last) if last.at == r.at && r.from <= last.to + SNAP => {
                last.to = last.to.max(r.to);
            }
            _ => out.push(r),
        }
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
}

/// Distinct positions, snapped: runs of values closer than [`SNAP`] become their first.
fn distinct(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        if out.last().is_none_or(|l| x - l > SNAP) {
            out.push(x);
        }
    }
    out
}

/// Whether a rule at `at` (within SNAP) covers the point `mid` along it.
fn covered(rules: &[&Rule], at: f64, mid: f64) -> bool {
    rules
        .iter()
        .any(|r| (r.at - at).abs() <= SNAP && r.from - SNAP <= mid && r.to + SNAP >= mid)
}

/// The ruled tables of a page, top to bottom.
pub(super) fn tables(horizontal: &[Rule], vertical: &[Rule]) -> Vec<Lattice> {
    let h = merge(horizontal.to_vec());
    let v = merge(vertical.to_vec());
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, a) in h.iter().enumerate() {
        for (j, b) in v.iter().enumerate() {
            let meets = b.at >= a.from - SNAP
                && b.at <= a.to + SNAP
                && a.at >= b.from - SNAP
                && a.at <= b.to + SNAP;
            if meets {
                union(&mut parent, i, h.len() + j);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<&Rule>, Vec<&Rule>)> =
        std::collections::BTreeMap::new();
    for (i, r) in h.iter().enumerate() {
        groups.entry(find(&mut parent, i)).or_default().0.push(r);
    }
    for (j, r) in v.iter().enumerate() {
        groups
            .entry(find(&mut parent, h.len() + j))
            .or_default()
            .1
            .push(r);
    }
    let mut out: Vec<Lattice> = groups
        .into_values()
        .filter_map(|(hs, vs)| lattice(&hs, &vs))
        .collect();
    out.sort_by(|a, b| a.top().total_cmp(&b.top()));
    out
}

/// Adds the ends of `along` rules as outer edges of `edges` where they run past them.
fn outer(edges: &mut Vec<f64>, along: &[&Rule]) {
    let (Some(&first), Some(&last)) = (edges.first(), edges.last()) else {
        return;
    };
    let from = along.iter().map(|r| r.from).fold(f64::INFINITY, f64::min);
    let to = along.iter().map(|r| r.to).fold(f64::NEG_INFINITY, f64::max);
    if from < first - 2.0 * SNAP {
        edges.insert(0, from);
    }
    if to > last + 2.0 * SNAP {
        edges.push(to);
    }
}

/// One group of touching rules as a table, if it is one.
fn lattice(hs: &[&Rule], vs: &[&Rule]) -> Option<Lattice> {
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let mut ys = distinct(hs.iter().map(|r| r.at).collect());
    let mut xs = distinct(vs.iter().map(|r| r.at).collect());
    // Rules running past the outermost crossing ones bound a row or column whose outer
    // border is not drawn: a browser draws a row's top border with the row above it, so the
    // first row on a new page has none.
    outer(&mut ys, vs);
    outer(&mut xs, hs);
    if ys.len() < 2 || xs.len() < 2 {
        return None;
    }
    if xs[xs.len() - 1] - xs[0] < MIN_SIDE || ys[ys.len() - 1] - ys[0] < MIN_SIDE {
        return None;
    }
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    let id = |r: usize, c: usize| r * cols + c;
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    for r in 0..rows {
        let mid = (ys[r] + ys[r + 1]) / 2.0;
        for (c, &x) in xs.iter().enumerate().take(cols).skip(1) {
            if !covered(vs, x, mid) {
                union(&mut parent, id(r, c - 1), id(r, c));
            }
        }
    }
    for c in 0..cols {
        let mid = (xs[c] + xs[c + 1]) / 2.0;
        for (r, &y) in ys.iter().enumerate().take(rows).skip(1) {
            if !covered(hs, y, mid) {
                union(&mut parent, id(r - 1, c), id(r, c));
            }
        }
    }
    // Each merged cell's extent; it must fill its bounding rectangle exactly.
    let mut extent: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> =
        std::collections::BTreeMap::new();
    for r in 0..rows {
        for c in 0..cols {
            let root = find(&mut parent, id(r, c));
            let e = extent.entry(root).or_insert((r, c, r, c, 0));
            e.0 = e.0.min(r);
            e.1 = e.1.min(c);
            e.2 = e.2.max(r);
            e.3 = e.3.max(c);
            e.4 += 1;
        }
    }
    let mut cells = Vec::with_capacity(extent.len());
    for (r0, c0, r1, c1, count) in extent.into_values() {
        let span = Span {
            row: r0,
            col: c0,
            rows: r1 - r0 + 1,
            cols: c1 - c0 + 1,
        };
        if span.rows * span.cols != count {
            return None;
        }
        cells.push(span);
    }
    cells.sort_by_key(|s| (s.row, s.col));
    Some(Lattice { xs, ys, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(at: f64, from: f64, to: f64) -> Rule {
        Rule { at, from, to }
    }

    #[test]
    fn a_grid_with_a_merged_header_cell() {
        // Two columns, two rows; the top row's middle rule missing: one cell over both.
        let hs = [
            h(10.0, 0.0, 100.0),
            h(30.0, 0.0, 100.0),
            h(50.0, 0.0, 100.0),
        ];
        let vs = [
            h(0.0, 10.0, 50.0),
            h(100.0, 10.0, 50.0),
            h(50.0, 30.0, 50.0),
        ];
        let t = tables(&hs, &vs);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].xs, vec![0.0, 50.0, 100.0]);
        let spans: Vec<(usize, usize, usize, usize)> = t[0]
            .cells
            .iter()
            .map(|s| (s.row, s.col, s.rows, s.cols))
            .collect();
        assert_eq!(spans, vec![(0, 0, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1)]);
        assert_eq!(t[0].locate((75.0, 40.0)), (1, 1));
    }

    #[test]
    fn borders_drawn_in_pieces_are_one_line() {
        // Chromium draws each cell's border on its own, half a point apart.
        let hs = [
            h(10.0, 0.0, 50.0),
            h(10.6, 50.0, 100.0),
            h(40.0, 0.0, 100.0),
        ];
        let vs = [
            h(0.0, 10.0, 40.0),
            h(50.3, 10.0, 40.0),
            h(100.0, 10.0, 40.0),
        ];
        let t = tables(&hs, &vs);
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].ys.len(), t[0].xs.len(), t[0].cells.len()), (2, 3, 2));
    }

    #[test]
    fn separate_boxes_are_separate_tables_and_lone_rules_none() {
        let hs = [
            h(10.0, 0.0, 50.0),
            h(30.0, 0.0, 50.0),
            h(100.0, 0.0, 50.0),
            h(130.0, 0.0, 50.0),
            h(200.0, 0.0, 300.0),
        ];
        let vs = [
            h(0.0, 10.0, 30.0),
            h(50.0, 10.0, 30.0),
            h(0.0, 100.0, 130.0),
            h(50.0, 100.0, 130.0),
        ];
        let t = tables(&hs, &vs);
        assert_eq!(t.len(), 2);
        assert!(t[0].top() < t[1].top());
    }
}
