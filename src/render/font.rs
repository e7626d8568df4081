//! The font charts are drawn with. A fresh machine has no CJK font and plotters' system-font
//! path draws boxes without a word, so the binary carries an OFL subset of Noto Sans CJK SC
//! (`data/fonts/`, README there says how it was made) and registers it with plotters'
//! `ab_glyph` backend; `--font PATH` registers another face instead.

use std::path::Path;
use std::sync::OnceLock;

use ab_glyph::FontRef;

/// Noto Sans CJK SC Regular, subset: ASCII, punctuation, GB2312 and U+4E00–9FFF.
pub(crate) static EMBEDDED: &[u8] =
    include_bytes!("../../data/fonts/NotoSansCJKsc-Regular-subset.otf");

/// The family name charts ask for; in SVG it is overridden by the page's CSS font list.
pub(crate) const FAMILY: &str = "sans-serif";

/// The font registered for this process (the first call to [`install`] wins).
static INSTALLED: OnceLock<&'static [u8]> = OnceLock::new();

#[derive(Debug)]
pub(crate) struct FontError(String);

impl std::fmt::Display for FontError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FontError {}

/// Registers the embedded font, or the file at `path`, as [`FAMILY`] for plotters. Called
/// once per process, before the first chart; later calls keep the first font.
pub(crate) fn install(path: Option<&Path>) -> Result<&'static [u8], FontError> {
    if let Some(bytes) = INSTALLED.get() {
        return Ok(bytes);
    }
    let bytes: &'static [u8] = match path {
        None => EMBEDDED,
        Some(p) => {
            let data = std::fs::read(p).map_err(|e| {
                FontError(format!(
                    "{}: cannot read the font: {e}\n  hint: give an .otf or .ttf file, or leave out --font for the embedded Noto Sans CJK SC",
                    p.display()
                ))
            })?;
            // Leaked once per process: plotters keeps fonts for the program's lifetime.
            Box::leak(data.into_boxed_slice())
        }
    };
    FontRef::try_from_slice(bytes).map_err(|_| {
        FontError(format!(
            "{}: not a font plotters can read\n  hint: give one face as .otf or .ttf (not a .ttc collection)",
            path.map_or("embedded font".into(), |p| p.display().to_string())
        ))
    })?;
    plotters::style::register_font(FAMILY, plotters::style::FontStyle::Normal, bytes)
        .map_err(|_| FontError("the font could not be registered".into()))?;
    Ok(INSTALLED.get_or_init(|| bytes))
}

/// The characters of `text` (other than whitespace) that `font` has no glyph for.
#[cfg(test)]
pub(crate) fn missing_glyphs(font: &[u8], text: &str) -> Vec<char> {
    use ab_glyph::Font;
    let Ok(f) = FontRef::try_from_slice(font) else {
        return text.chars().collect();
    };
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && f.glyph_id(*c).0 == 0)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{EMBEDDED, missing_glyphs};
    use crate::render::view::labels;

    #[test]
    fn every_region_name_and_chart_label_has_a_glyph_in_the_embedded_font() {
        let mut missing = BTreeSet::new();
        for r in &crate::regions::regions().all {
            missing.extend(missing_glyphs(EMBEDDED, r.name));
        }
        for l in labels::ALL {
            missing.extend(missing_glyphs(EMBEDDED, l));
        }
        for g in crate::template::OUTCOME_GROUPS {
            missing.extend(missing_glyphs(EMBEDDED, g.zh));
        }
        assert!(missing.is_empty(), "no glyph for {missing:?}");
        // The check itself works: a character outside the subset is reported.
        assert_eq!(missing_glyphs(EMBEDDED, "示例\u{20000}"), vec!['\u{20000}']);
    }
}
