//! Outputs for people: rankings as Markdown and as a styled `.xlsx`, charts (SVG and PNG)
//! with Chinese labels, and one self-contained `index.html`. Takes what the earlier stages
//! made (outcomes, frames, scores); computes nothing new but layout.

pub(crate) mod charts;
pub(crate) mod font;
pub(crate) mod html;
pub(crate) mod tables;
pub(crate) mod view;
