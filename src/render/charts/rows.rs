//! Charts with one labelled row per issuer: rank bars with scores, 100 % stacked outcome
//! bars, rank intervals (dot and whisker) and findings per issuer. Drawn by hand in pixels,
//! so long Chinese labels line up whatever their width.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, Drawn, HPos, VPos, fmt_num, palette, text, ticks};

/// One mark in a row, in axis units.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Mark {
    Bar {
        from: f64,
        to: f64,
        color: RGBColor,
    },
    /// A whisker from `from` to `to` with a dot at `at`.
    Whisker {
        from: f64,
        to: f64,
        at: f64,
        color: RGBColor,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Row {
    pub label: String,
    pub marks: Vec<Mark>,
    /// Printed after the row's last mark (a score, a count).
    pub end: String,
}

impl Row {
    /// A row that only says how many rows were left out here.
    pub(crate) fn gap(label: String) -> Row {
        Row {
            label,
            marks: Vec::new(),
            end: String::new(),
        }
    }

    fn right(&self) -> f64 {
        self.marks
            .iter()
            .map(|m| match m {
                Mark::Bar { to, .. } | Mark::Whisker { to, .. } => *to,
            })
            .fold(0.0, f64::max)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RowChart {
    pub title: String,
    /// One line under the title: what the rows are, what was left out.
    pub note: String,
    /// What the horizontal axis measures.
    pub axis: String,
    /// The axis maximum; `None` takes the rows' largest value.
    pub x_max: Option<f64>,
    /// Axis labels as percentages of 1.
    pub percent: bool,
    /// Where the axis starts (0; 1 for ranks; below 0 for negative scores).
    pub x_min: f64,
    pub rows: Vec<Row>,
    pub legend: Vec<(String, RGBColor)>,
}

const WIDTH: u32 = 960;
const LABEL_W: i32 = 250;
const END_W: i32 = 90;
const ROW_H: i32 = 22;
const HEAD_H: i32 = 78;
const FOOT_H: i32 = 52;
/// Longest label drawn in full (characters); longer ones end in "…".
const LABEL_CHARS: usize = 17;

fn clip(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

impl Chart for RowChart {
    fn size(&self) -> (u32, u32) {
        let h = HEAD_H + FOOT_H + ROW_H * self.rows.len().max(1) as i32;
        (WIDTH, h as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        let (w, h) = self.size();
        let (w, h) = (w as i32, h as i32);
        let left = LABEL_W;
        let right = w - END_W;
        let top = HEAD_H;
        let bottom = h - FOOT_H;
        root.draw(&Text::new(
            self.title.clone(),
            (16, 12),
            text(19, palette::INK, (HPos::Left, VPos::Top)),
        ))?;
        root.draw(&Text::new(
            self.note.clone(),
            (16, 38),
            text(12, palette::MUTED, (HPos::Left, VPos::Top)),
        ))?;
        let mut lx = 16;
        for (name, color) in &self.legend {
            root.draw(&Rectangle::new([(lx, 58), (lx + 11, 69)], color.filled()))?;
            root.draw(&Text::new(
                name.clone(),
                (lx + 15, 63),
                text(12, palette::INK, (HPos::Left, VPos::Center)),
            ))?;
            lx += 15 + 13 * name.chars().count() as i32 + 18;
        }
        let data_max = self.rows.iter().map(Row::right).fold(self.x_min, f64::max);
        let lo = self.x_min;
        let (_, marks) = ticks(self.x_max.unwrap_or(data_max).max(lo + 1e-9) - lo);
        let span = marks.last().copied().unwrap_or(1.0);
        let x =
            |v: f64| left + (((v - lo) / span).clamp(0.0, 1.0) * f64::from(right - left)) as i32;
        for t in &marks {
            let px = x(t + lo);
            root.draw(&PathElement::new(
                vec![(px, top - 4), (px, bottom)],
                palette::GRID,
            ))?;
            let label = if self.percent {
                format!("{}%", fmt_num(t * 100.0))
            } else {
                fmt_num(t + lo)
            };
            root.draw(&Text::new(
                label,
                (px, bottom + 6),
                text(12, palette::MUTED, (HPos::Center, VPos::Top)),
            ))?;
        }
        root.draw(&Text::new(
            self.axis.clone(),
            ((left + right) / 2, bottom + 26),
            text(13, palette::INK, (HPos::Center, VPos::Top)),
        ))?;
        for (i, row) in self.rows.iter().enumerate() {
            let y0 = top + ROW_H * i as i32;
            let mid = y0 + ROW_H / 2;
            let color = if row.marks.is_empty() {
                palette::MUTED
            } else {
                palette::INK
            };
            root.draw(&Text::new(
                clip(&row.label),
                (left - 8, mid),
                text(13, color, (HPos::Right, VPos::Center)),
            ))?;
            for m in &row.marks {
                match *m {
                    Mark::Bar { from, to, color } => {
                        let (a, b) = (x(from), x(to).max(x(from) + 1));
                        root.draw(&Rectangle::new(
                            [(a, y0 + 4), (b, y0 + ROW_H - 4)],
                            color.filled(),
                        ))?;
                    }
                    Mark::Whisker {
                        from,
                        to,
                        at,
                        color,
                    } => {
                        root.draw(&PathElement::new(
                            vec![(x(from), mid), (x(to), mid)],
                            color.stroke_width(2),
                        ))?;
                        for e in [from, to] {
                            root.draw(&PathElement::new(
                                vec![(x(e), mid - 5), (x(e), mid + 5)],
                                color.stroke_width(2),
                            ))?;
                        }
                        root.draw(&Circle::new((x(at), mid), 4, color.filled()))?;
                    }
                }
            }
            if !row.end.is_empty() {
                root.draw(&Text::new(
                    row.end.clone(),
                    (x(row.right()) + 6, mid),
                    text(12, palette::INK, (HPos::Left, VPos::Center)),
                ))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_are_clipped_with_an_ellipsis() {
        assert_eq!(clip("示例一县"), "示例一县");
        let long = "示例省示例二十一市示例九十九县人民政府办公室";
        let c = clip(long);
        assert_eq!(c.chars().count(), LABEL_CHARS);
        assert!(c.ends_with('…'));
    }

    #[test]
    fn size_grows_with_rows() {
        let mut c = RowChart {
            title: "t".into(),
            note: String::new(),
            axis: String::new(),
            x_max: None,
            percent: false,
            x_min: 0.0,
            rows: Vec::new(),
            legend: Vec::new(),
        };
        let empty = c.size().1;
        c.rows = vec![Row::gap("…".into()); 10];
        assert_eq!(c.size().1, empty - ROW_H as u32 + 10 * ROW_H as u32);
    }
}
