//! Charts on numeric axes: a measure across years (median and interquartile band, one issuer
//! highlighted, the template break marked) and request volume against correction rate.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Chart, Drawn, HPos, VPos, fmt_num, palette, text};
use crate::render::font::FAMILY;

/// One year of a trend: quartiles over the issuers with a value that year.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct YearStats {
    pub year: i32,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub n: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Trend {
    pub title: String,
    pub note: String,
    pub y_label: String,
    pub years: Vec<YearStats>,
    /// One issuer's own line: (name, (year, value)).
    pub highlight: Option<(String, Vec<(i32, f64)>)>,
    /// First year of the new template: a line is drawn just before it.
    pub break_year: Option<i32>,
    pub break_label: String,
    pub band_label: String,
    pub median_label: String,
}

const HEAD: u32 = 62;

fn header<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str, note: &str) -> Drawn<DB> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        title.to_owned(),
        (16, 12),
        text(19, palette::INK, (HPos::Left, VPos::Top)),
    ))?;
    root.draw(&Text::new(
        note.to_owned(),
        (16, 38),
        text(12, palette::MUTED, (HPos::Left, VPos::Top)),
    ))?;
    Ok(())
}

/// Axis labels only at whole years.
fn year_label(v: &f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

impl Chart for Trend {
    fn size(&self) -> (u32, u32) {
        (960, 440)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        header(root, &self.title, &self.note)?;
        let body = root.margin(HEAD, 8, 8, 24);
        let (Some(first), Some(last)) = (self.years.first(), self.years.last()) else {
            return Ok(());
        };
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for y in &self.years {
            lo = lo.min(y.p25);
            hi = hi.max(y.p75);
        }
        if let Some((_, pts)) = &self.highlight {
            for (_, v) in pts {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        let pad = ((hi - lo) * 0.1).max(0.01);
        let (lo, hi) = (lo - pad, hi + pad);
        let x0 = f64::from(first.year) - 0.5;
        let x1 = f64::from(last.year) + 0.5;
        let mut chart = ChartBuilder::on(&body)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(x0..x1, lo..hi)?;
        let years = (last.year - first.year + 1) as usize;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(years * 2 + 1)
            .x_label_formatter(&year_label)
            .y_label_formatter(&|v| fmt_num(*v))
            .y_desc(self.y_label.clone())
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 13))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(palette::GRID)
            .draw()?;
        let mut band: Vec<(f64, f64)> = self
            .years
            .iter()
            .map(|y| (f64::from(y.year), y.p75))
            .collect();
        band.extend(self.years.iter().rev().map(|y| (f64::from(y.year), y.p25)));
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                palette::BAND.mix(0.18).filled(),
            )))?
            .label(self.band_label.clone())
            .legend(|(x, y)| {
                Rectangle::new(
                    [(x, y - 5), (x + 14, y + 5)],
                    palette::BAND.mix(0.18).filled(),
                )
            });
        chart
            .draw_series(LineSeries::new(
                self.years.iter().map(|y| (f64::from(y.year), y.median)),
                palette::BAND.stroke_width(2),
            ))?
            .label(self.median_label.clone())
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 14, y)], palette::BAND.stroke_width(2))
            });
        if let Some((name, pts)) = &self.highlight {
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|(y, v)| (f64::from(*y), *v)),
                    palette::HIGHLIGHT.stroke_width(3),
                ))?
                .label(name.clone())
                .legend(|(x, y)| {
                    PathElement::new(
                        vec![(x, y), (x + 14, y)],
                        palette::HIGHLIGHT.stroke_width(3),
                    )
                });
            chart
                .draw_series(pts.iter().map(|(y, v)| {
                    Circle::new((f64::from(*y), *v), 4, palette::HIGHLIGHT.filled())
                }))?;
        }
        if let Some(b) = self
            .break_year
            .filter(|b| (first.year + 1..=last.year).contains(b))
        {
            let bx = f64::from(b) - 0.5;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(bx, lo), (bx, hi)],
                palette::MUTED.stroke_width(1),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                self.break_label.clone(),
                (bx, hi),
                text(12, palette::MUTED, (HPos::Left, VPos::Top)),
            )))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font((FAMILY, 13))
            .background_style(WHITE.mix(0.85))
            .border_style(palette::GRID)
            .draw()?;
        Ok(())
    }
}

/// One issuer in the scatter chart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Point {
    pub x: f64,
    pub y: f64,
    pub synthetic: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scatter {
    pub title: String,
    pub note: String,
    pub x_label: String,
    pub y_label: String,
    /// Points with `x >= 1` (the axis is logarithmic).
    pub points: Vec<Point>,
    pub real_label: String,
    pub synthetic_label: String,
}

impl Chart for Scatter {
    fn size(&self) -> (u32, u32) {
        (960, 520)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        header(root, &self.title, &self.note)?;
        let body = root.margin(HEAD, 8, 8, 24);
        let xmax = self
            .points
            .iter()
            .map(|p| p.x)
            .fold(10.0, f64::max)
            .mul_add(1.3, 0.0);
        let mut chart = ChartBuilder::on(&body)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d((1f64..xmax).log_scale(), 0f64..1.05f64)?;
        chart
            .configure_mesh()
            .x_desc(self.x_label.clone())
            .y_desc(self.y_label.clone())
            .x_label_formatter(&|v| fmt_num(*v))
            .y_label_formatter(&|v| format!("{}%", fmt_num((v * 100.0).round())))
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 13))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(palette::GRID)
            .draw()?;
        for (synthetic, color, label) in [
            (true, palette::SYNTHETIC, &self.synthetic_label),
            (false, palette::REAL, &self.real_label),
        ] {
            let pts: Vec<&Point> = self
                .points
                .iter()
                .filter(|p| p.synthetic == synthetic)
                .collect();
            if pts.is_empty() {
                continue;
            }
            chart
                .draw_series(
                    pts.iter()
                        .map(|p| Circle::new((p.x, p.y), 4, color.mix(0.7).filled())),
                )?
                .label(label.clone())
                .legend(move |(x, y)| Circle::new((x + 7, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FAMILY, 13))
            .background_style(WHITE.mix(0.85))
            .border_style(palette::GRID)
            .draw()?;
        Ok(())
    }
}
