//! Charts (plotters), each drawn once as SVG (inlined in `index.html`) and once as PNG (for
//! slides and mail), with the font [`super::font`] registered. A chart is plain data built by
//! [`super::view`]; this module only draws.
//!
//! Two kinds cover the report: [`rows::RowChart`] (one labelled row per issuer: rank bars,
//! 100 % stacked outcome bars, rank intervals, findings) and the numeric-axis charts of
//! [`lines`] (trends across years, volume against correction rate).

pub(crate) mod lines;
pub(crate) mod rows;

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
pub(crate) use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;

/// What chart drawing returns: plotters' error for the backend in use.
pub(crate) type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart that can draw itself on any plotters backend.
pub(crate) trait Chart {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB>;
}

/// The chart as an SVG document.
pub(crate) fn to_svg(chart: &impl Chart) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        chart.draw(&root).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// Draws the chart into a PNG file.
pub(crate) fn to_png(chart: &impl Chart, path: &Path) -> Result<(), String> {
    let root = BitMapBackend::new(path, chart.size()).into_drawing_area();
    chart.draw(&root).map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}

/// Text in the chart font, `size` pixels, anchored at `pos`.
pub(crate) fn text(size: u32, color: RGBColor, pos: (HPos, VPos)) -> TextStyle<'static> {
    TextStyle {
        font: (FAMILY, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(pos.0, pos.1),
    }
}

/// Colours: one qualitative palette for categories, and fixed roles.
pub(crate) mod palette {
    use plotters::style::RGBColor;

    /// Outcome bands and other categories, in order (colour-blind-safe Okabe–Ito).
    pub(crate) const CATEGORIES: [RGBColor; 7] = [
        RGBColor(0, 114, 178),
        RGBColor(86, 180, 233),
        RGBColor(213, 94, 0),
        RGBColor(230, 159, 0),
        RGBColor(204, 121, 167),
        RGBColor(150, 150, 150),
        RGBColor(0, 158, 115),
    ];
    /// Bars of real issuers.
    pub(crate) const REAL: RGBColor = RGBColor(213, 94, 0);
    /// Bars of synthetic (示例省) issuers.
    pub(crate) const SYNTHETIC: RGBColor = RGBColor(120, 160, 200);
    pub(crate) const ERROR: RGBColor = RGBColor(200, 40, 40);
    pub(crate) const WARNING: RGBColor = RGBColor(230, 159, 0);
    pub(crate) const INFO: RGBColor = RGBColor(86, 150, 210);
    pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
    pub(crate) const MUTED: RGBColor = RGBColor(110, 110, 110);
    pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
    pub(crate) const BAND: RGBColor = RGBColor(0, 114, 178);
    pub(crate) const HIGHLIGHT: RGBColor = RGBColor(213, 94, 0);
}

/// Round axis ticks from 0 to at least `max`: (step, ticks).
pub(crate) fn ticks(max: f64) -> (f64, Vec<f64>) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let n = (max / step).ceil() as usize;
    (step, (0..=n).map(|i| i as f64 * step).collect())
}

/// A number for an axis or a bar end: integers without decimals, others with up to three.
pub(crate) fn fmt_num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        let s = format!("{x:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        let (step, t) = ticks(0.87);
        assert_eq!(step, 0.2);
        assert!(*t.last().unwrap() >= 0.87);
        let (step, t) = ticks(1234.0);
        assert_eq!(step, 250.0);
        assert_eq!(t.last().copied(), Some(1250.0));
        assert_eq!(ticks(0.0).1.last().copied(), Some(1.0));
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(fmt_num(3.0), "3");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(0.123456), "0.123");
    }
}
