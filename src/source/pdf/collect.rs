//! What a PDF's pages draw, as pdf-extract interprets their content streams: every glyph
//! with its box, and every ruling line (a stroked segment, or a thin filled rectangle, the
//! way Word, WPS, LibreOffice and Chromium draw table borders), in page coordinates with y
//! growing downwards. The plain-text rendering of the same pass is kept beside them, for
//! PDFs whose pages have no ruled table.

use pdf_extract::{
    ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, PlainTextOutput, Transform,
};

/// A filled rectangle thinner than this (points) is a rule; a thicker one is shading.
const RULE_WIDTH: f64 = 3.0;
/// A rule shorter than this is not a cell border (a bullet, a tick, an underline dot).
const MIN_RULE: f64 = 2.0;

/// One glyph: its text, its advance box along the baseline, and its size.
#[derive(Clone, Debug)]
pub(super) struct Glyph {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    /// The baseline (y downwards).
    pub base: f64,
    pub size: f64,
}

impl Glyph {
    /// The glyph's middle: what decides the cell it is in.
    pub(super) fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, self.base - self.size * 0.35)
    }
}

/// An axis-aligned ruling line: at `at` (y of a horizontal one, x of a vertical one), from
/// `from` to `to` along it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Rule {
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// What one page draws.
#[derive(Debug, Default)]
pub(super) struct Page {
    pub number: u32,
    pub glyphs: Vec<Glyph>,
    pub horizontal: Vec<Rule>,
    pub vertical: Vec<Rule>,
}

/// Why collecting stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// More glyphs and rules than the cap.
    TooMany(usize),
    /// Past the deadline.
    Late,
}

/// The output device: pages as they are drawn, the plain text beside them.
pub(super) struct Recorder<'t> {
    pub pages: Vec<Page>,
    pub stopped: Option<Stop>,
    plain: PlainTextOutput<&'t mut String>,
    height: f64,
    items: usize,
    max_items: usize,
    deadline: Option<std::time::Instant>,
}

impl<'t> Recorder<'t> {
    pub(super) fn new(
        plain: &'t mut String,
        max_items: usize,
        deadline: Option<std::time::Instant>,
    ) -> Recorder<'t> {
        Recorder {
            pages: Vec::new(),
            stopped: None,
            plain: PlainTextOutput::new(plain),
            height: 0.0,
            items: 0,
            max_items,
            deadline,
        }
    }

    /// Counts one more item against the caps, checked before it is stored.
    fn count(&mut self) -> Result<(), OutputError> {
        self.items += 1;
        let stop = if self.items > self.max_items {
            Some(Stop::TooMany(self.items))
        } else if self.items.is_multiple_of(4096)
            && self.deadline.is_some_and(|d| std::time::Instant::now() > d)
        {
            Some(Stop::Late)
        } else {
            None
        };
        match stop {
            Some(s) => {
                self.stopped = Some(s);
                Err(OutputError::IoError(std::io::Error::other(
                    "collection stopped",
                )))
            }
            None => Ok(()),
        }
    }

    fn page(&mut self) -> Option<&mut Page> {
        self.pages.last_mut()
    }

    /// A point of user space on the page, y downwards.
    fn point(&self, ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
        let px = x * ctm.m11 + y * ctm.m21 + ctm.m31;
        let py = x * ctm.m12 + y * ctm.m22 + ctm.m32;
        (px, self.height - py)
    }

    /// Keeps the box (x0, y0)–(x1, y1) as a rule if it is a thin one.
    fn thin_box(&mut self, a: (f64, f64), b: (f64, f64)) -> Result<(), OutputError> {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let (w, h) = (x1 - x0, y1 - y0);
        if !(w.is_finite() && h.is_finite()) {
            return Ok(());
        }
        if h <= RULE_WIDTH && w >= MIN_RULE && w > h {
            self.count()?;
            let r = Rule {
                at: (y0 + y1) / 2.0,
                from: x0,
                to: x1,
            };
            if let Some(p) = self.page() {
                p.horizontal.push(r);
            }
        } else if w <= RULE_WIDTH && h >= MIN_RULE && h > w {
            self.count()?;
            let r = Rule {
                at: (x0 + x1) / 2.0,
                from: y0,
                to: y1,
            };
            if let Some(p) = self.page() {
                p.vertical.push(r);
            }
        }
        Ok(())
    }

    /// The four edges of a rectangle, each as a thin box.
    fn edges(&mut self, corners: [(f64, f64); 4]) -> Result<(), OutputError> {
        for i in 0..4 {
            self.thin_box(corners[i], corners[(i + 1) % 4])?;
        }
        Ok(())
    }
}

/// Whether a paint colour is white (paper): white rules are not drawn borders.
fn is_white(space: &ColorSpace, color: &[f64]) -> bool {
    match space {
        ColorSpace::DeviceCMYK => color.iter().all(|c| *c <= 0.02),
        ColorSpace::DeviceGray
        | ColorSpace::DeviceRGB
        | ColorSpace::CalGray(_)
        | ColorSpace::CalRGB(_) => !color.is_empty() && color.iter().all(|c| *c >= 0.98),
        _ => false,
    }
}

impl OutputDev for Recorder<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.count()?;
        self.height = media_box.ury - media_box.lly;
        self.pages.push(Page {
            number: page_num,
            ..Page::default()
        });
        self.plain.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.plain.end_page()
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.plain
            .output_character(trm, width, spacing, font_size, char)?;
        if char.trim().is_empty() {
            return Ok(());
        }
        self.count()?;
        // The size of the glyph on the page: the side of the square with the area the
        // transformed em box has (pdf-extract's own measure), signs dropped for flipped text.
        let sx = (font_size * trm.m11).hypot(font_size * trm.m12);
        let sy = (font_size * trm.m21).hypot(font_size * trm.m22);
        let size = (sx * sy).sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        if !(size.is_finite() && x.is_finite() && y.is_finite()) || size <= 0.0 {
            return Ok(());
        }
        let advance = (width * size).max(0.0);
        let glyph = Glyph {
            text: char.to_owned(),
            x0: x,
            x1: x + advance,
            base: y,
            size,
        };
        if let Some(p) = self.page() {
            p.glyphs.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.plain.begin_word()
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        self.plain.end_word()
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        self.plain.end_line()
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        if is_white(colorspace, color) {
            return Ok(());
        }
        let mut at: Option<(f64, f64)> = None;
        let mut start: Option<(f64, f64)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    at = Some(self.point(ctm, x, y));
                    start = at;
                }
                PathOp::LineTo(x, y) => {
                    let to = self.point(ctm, x, y);
                    if let Some(from) = at {
                        self.thin_box(from, to)?;
                    }
                    at = Some(to);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => at = Some(self.point(ctm, x, y)),
                PathOp::Rect(x, y, w, h) => {
                    let c = [
                        self.point(ctm, x, y),
                        self.point(ctm, x + w, y),
                        self.point(ctm, x + w, y + h),
                        self.point(ctm, x, y + h),
                    ];
                    self.edges(c)?;
                }
                PathOp::Close => {
                    if let (Some(from), Some(to)) = (at, start) {
                        self.thin_box(from, to)?;
                    }
                    at = start;
                }
            }
        }
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        colorspace: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        if is_white(colorspace, color) {
            return Ok(());
        }
        // Each rectangle, and each closed sub-path, by its bounding box: a thin one is a rule.
        let mut sub: Vec<(f64, f64)> = Vec::new();
        let flush = |me: &mut Self, sub: &mut Vec<(f64, f64)>| -> Result<(), OutputError> {
            if sub.len() >= 2 {
                let (mut a, mut b) = (sub[0], sub[0]);
                for &(x, y) in sub.iter() {
                    a = (a.0.min(x), a.1.min(y));
                    b = (b.0.max(x), b.1.max(y));
                }
                me.thin_box(a, b)?;
            }
            sub.clear();
            Ok(())
        };
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    flush(self, &mut sub)?;
                    sub.push(self.point(ctm, x, y));
                }
                PathOp::LineTo(x, y) | PathOp::CurveTo(_, _, _, _, x, y) => {
                    sub.push(self.point(ctm, x, y))
                }
                PathOp::Rect(x, y, w, h) => {
                    flush(self, &mut sub)?;
                    let (a, b) = (self.point(ctm, x, y), self.point(ctm, x + w, y + h));
                    self.thin_box(a, b)?;
                }
                PathOp::Close => flush(self, &mut sub)?,
            }
        }
        flush(self, &mut sub)
    }
}
