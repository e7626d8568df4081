//! Readers: bytes in, a neutral [`Document`] out.
//!
//! Takes the bytes of one input file, hands on a `Document` of lines and tables (spans
//! expanded, every cell with its location), decoded to UTF-8 and normalised once, here:
//! full-width ASCII to half-width, traditional to simplified script on the lines that need it.
//! Never interprets template words: that is `extract`'s job.

pub(crate) mod container;
mod decode;
mod detect;
mod docx;
mod html;
mod normalize;
mod ods;
mod pdf;
pub(crate) mod sheet;
mod t2s;
mod text;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

pub use decode::decode;
pub use detect::{Format, sniff};
pub use normalize::normalize;

/// Inputs larger than this are refused with [`ReadError::TooLarge`]: no real report comes
/// near it, and a batch must not be stopped by one runaway file.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Deeper HTML nesting than this is cut off (hostile or broken markup).
pub const MAX_HTML_DEPTH: usize = 256;

/// Tables with more cells than this are cut off: a report's tables hold a few hundred.
pub const MAX_TABLE_CELLS: usize = 100_000;

/// Resource caps for one input. A file over any of them is an error row that says which cap
/// it met, and the batch goes on. The defaults sit far above any real report; the CLI's
/// `--max-*` and `--time-limit` options change them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Bytes of the file itself.
    pub file_bytes: u64,
    /// Bytes a container (xlsx, docx, ods) may hold decompressed, all entries together.
    pub unzipped_bytes: u64,
    /// Cells one sheet (or CSV file) may have.
    pub sheet_cells: usize,
    /// HTML element nesting.
    pub nesting: usize,
    /// Wall-clock time to read and extract one file, in milliseconds (0: no limit).
    pub millis: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: MAX_INPUT_BYTES,
            unzipped_bytes: container::MAX_UNZIPPED_BYTES,
            sheet_cells: MAX_TABLE_CELLS * 10,
            nesting: html::MAX_PARSE_DEPTH,
            millis: 60_000,
        }
    }
}

impl Limits {
    /// The time limit, if there is one.
    pub fn time(&self) -> Option<std::time::Duration> {
        (self.millis > 0).then(|| std::time::Duration::from_millis(self.millis))
    }
}

/// Where an input came from, and the caps it is read under.
#[derive(Clone, Debug)]
pub struct Origin {
    pub path: PathBuf,
    pub limits: Limits,
}

impl Origin {
    pub fn new(path: impl Into<PathBuf>) -> Origin {
        Origin {
            path: path.into(),
            limits: Limits::default(),
        }
    }

    pub fn with_limits(path: impl Into<PathBuf>, limits: Limits) -> Origin {
        Origin {
            path: path.into(),
            limits,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A place in a source document, 1-based, for people to go back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Loc {
    /// A line of a text file, and a character offset within it for cells cut out of a line.
    Line { line: u32, char: Option<u32> },
    /// A paragraph (block of text) of an HTML page.
    Para { para: u32, char: Option<u32> },
    /// A cell of a table (grid coordinates with spans expanded).
    Cell { table: u32, row: u32, col: u32 },
    /// A spreadsheet cell: sheet 1-based, row and column 0-based as stored (shown as `B7`).
    Sheet { sheet: u32, row: u32, col: u32 },
    /// A line of text on a PDF page, counted from the top of the page.
    Page {
        page: u32,
        line: u32,
        char: Option<u32>,
    },
    /// A cell of a PDF table: the page it is printed on, the table's number in the document,
    /// and its grid row and column (a table broken over pages counts its rows on).
    PageCell {
        page: u32,
        table: u32,
        row: u32,
        col: u32,
    },
}

impl Loc {
    /// The same place, `chars` further into the text.
    pub fn at_char(self, chars: u32) -> Loc {
        match self {
            Loc::Line { line, .. } => Loc::Line {
                line,
                char: Some(chars + 1),
            },
            Loc::Para { para, .. } => Loc::Para {
                para,
                char: Some(chars + 1),
            },
            Loc::Page { page, line, .. } => Loc::Page {
                page,
                line,
                char: Some(chars + 1),
            },
            cell => cell,
        }
    }
}

impl Loc {
    /// Appends the location as people read it (`line 12 char 5`, `table 1 row 2 col 3`,
    /// `sheet 1 cell B7`). Written by hand, not through `format!`: every cell of a batch
    /// carries its location into the frames.
    pub fn push_to(&self, out: &mut String) {
        fn num(out: &mut String, v: u32) {
            out.push_str(itoa::Buffer::new().format(v));
        }
        let with_char = |out: &mut String, what: &str, n: u32, char: Option<u32>| {
            out.push_str(what);
            num(out, n);
            if let Some(c) = char {
                out.push_str(" char ");
                num(out, c);
            }
        };
        match *self {
            Loc::Line { line, char } => with_char(out, "line ", line, char),
            Loc::Para { para, char } => with_char(out, "paragraph ", para, char),
            Loc::Cell { table, row, col } => {
                out.push_str("table ");
                num(out, table);
                out.push_str(" row ");
                num(out, row);
                out.push_str(" col ");
                num(out, col);
            }
            Loc::Page { page, line, char } => {
                out.push_str("page ");
                num(out, page);
                with_char(out, " line ", line, char);
            }
            Loc::PageCell {
                page,
                table,
                row,
                col,
            } => {
                out.push_str("page ");
                num(out, page);
                out.push_str(" table ");
                num(out, table);
                out.push_str(" row ");
                num(out, row);
                out.push_str(" col ");
                num(out, col);
            }
            Loc::Sheet { sheet, row, col } => {
                out.push_str("sheet ");
                num(out, sheet);
                out.push_str(" cell ");
                out.push_str(&sheet::a1(row, col));
            }
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.push_to(&mut s);
        f.write_str(&s)
    }
}

/// A run of text: normalised `text` for matching, and as printed (decoded only): see
/// [`Text::raw`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    /// The text as printed, only when it differs from `text` (width, script or trimming
    /// changed it). Most lines and cells are printed as they are matched: a second copy of
    /// each was a `String` per line of every report.
    printed: Option<String>,
    pub loc: Loc,
}

impl Text {
    /// A run of text as printed at `loc`, normalised once for matching; notes in `converted`
    /// whether traditional script was simplified. Every reader makes its texts here.
    pub fn read(raw: String, loc: Loc, converted: &mut bool) -> Text {
        let (norm, conv) = normalize::normalize_cow(&raw);
        *converted |= conv;
        let mut text = match norm {
            // Nothing to normalise: the text is the printed one, trimmed.
            Cow::Borrowed(_) => {
                let trimmed = crate::trim::trim(&raw);
                if trimmed.len() == raw.len() {
                    return Text::as_printed(raw, loc);
                }
                trimmed.to_owned()
            }
            Cow::Owned(text) => text,
        };
        // Trimmed where it lies: most texts have nothing to trim, and a copy each was one
        // allocation per grid cell of every report.
        text.truncate(text.trim_end().len());
        let lead = text.len() - text.trim_start().len();
        if lead > 0 {
            text.drain(..lead);
        }
        Text::printed_as(text, raw, loc)
    }

    /// A text matched as it is printed.
    fn as_printed(text: String, loc: Loc) -> Text {
        Text {
            text,
            printed: None,
            loc,
        }
    }

    /// `text` for matching, printed as `raw`.
    fn printed_as(text: String, raw: String, loc: Loc) -> Text {
        let printed = (raw != text).then_some(raw);
        Text { text, printed, loc }
    }

    /// The text as printed.
    pub fn raw(&self) -> &str {
        self.printed.as_deref().unwrap_or(&self.text)
    }

    /// Whether the text is printed as it is matched (then [`Text::raw`] is `text`).
    pub fn is_as_printed(&self) -> bool {
        self.printed.is_none()
    }
}

/// One anchor cell of a table, at its top-left grid position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridCell {
    pub row: u32,
    pub col: u32,
    pub rowspan: u32,
    pub colspan: u32,
    pub content: Text,
}

/// A table: its anchor cells in reading order (row-major); spans are expanded into grid
/// positions, so `row`/`col` are true grid coordinates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub cells: Vec<GridCell>,
    pub rows: u32,
    pub cols: u32,
}

impl Table {
    /// The grid with spans expanded: each position names its anchor cell.
    pub fn grid(&self) -> Vec<Vec<Option<usize>>> {
        let mut grid = vec![vec![None; self.cols as usize]; self.rows as usize];
        for (i, c) in self.cells.iter().enumerate() {
            for r in c.row..(c.row + c.rowspan).min(self.rows) {
                for k in c.col..(c.col + c.colspan).min(self.cols) {
                    grid[r as usize][k as usize] = Some(i);
                }
            }
        }
        grid
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A line of text (a text-file line, or a paragraph of a page). A text line may hold
    /// several cells separated by spaces or `|`; extraction splits them.
    Line(Text),
    Table(Table),
}

/// A decoded, normalised input.
#[derive(Clone, Debug)]
pub struct Document {
    pub format: Format,
    /// The encoding the bytes were decoded from.
    pub encoding: &'static str,
    /// Whether any line was converted from traditional script.
    pub converted_script: bool,
    pub blocks: Vec<Block>,
    /// The input's file name (normalised), the last-resort clue to issuer and year.
    pub name: String,
}

/// Adds a paragraph of a page or a Word document (its text already collapsed or trimmed),
/// numbered after the last one; an empty one is no paragraph.
fn push_para(blocks: &mut Vec<Block>, paras: &mut u32, raw: String, converted: &mut bool) {
    if raw.is_empty() {
        return;
    }
    *paras += 1;
    let loc = Loc::Para {
        para: *paras,
        char: None,
    };
    blocks.push(Block::Line(Text::read(raw, loc, converted)));
}

/// The normalised file name of an origin.
pub fn file_name(origin: &Origin) -> String {
    let raw = origin
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    normalize(&raw).0
}

/// Why an input could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    Io(std::io::Error),
    TooLarge {
        bytes: u64,
        max: u64,
    },
    Empty,
    Binary {
        what: &'static str,
    },
    Unsupported {
        format: Format,
    },
    NoText,
    /// A container or file whose structure is broken (truncated zip, bad XML, bad CSV).
    Corrupt {
        what: &'static str,
        detail: String,
    },
    /// Password-protected.
    Encrypted,
    /// A container that unzips to more than the limit (a zip bomb, or not a report).
    TooLargeUnzipped {
        max: u64,
    },
    /// A sheet with more cells than any report has.
    TooManyCells {
        sheet: String,
        cells: usize,
    },
    /// A PDF without a text layer (a scan).
    NoTextLayer,
    /// HTML nested deeper than any page (hostile or broken markup).
    TooDeep {
        depth: usize,
        max: usize,
    },
    /// A PDF that draws more than any report (pages, or glyphs and rules together).
    TooMuchDrawn {
        what: &'static str,
        count: usize,
        max: usize,
    },
    /// Reading and extracting took longer than the time limit.
    TimedOut {
        millis: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read file: {e}"),
            ReadError::TooLarge { bytes, max } => {
                write!(f, "file is {bytes} bytes, more than the limit of {max}")
            }
            ReadError::Empty => write!(f, "file is empty"),
            ReadError::Binary { what } => write!(f, "file is binary ({what}), not a report"),
            ReadError::Unsupported { format } => {
                write!(f, "{} files are not supported yet", format.key())
            }
            ReadError::NoText => write!(f, "file has no readable text"),
            ReadError::Corrupt { what, detail } => write!(f, "{what} file is damaged: {detail}"),
            ReadError::Encrypted => write!(f, "file is password-protected"),
            ReadError::TooLargeUnzipped { max } => {
                write!(f, "container unzips to more than {max} bytes")
            }
            ReadError::TooManyCells { sheet, cells } => {
                write!(f, "sheet {sheet} has {cells} cells, far more than a report")
            }
            ReadError::NoTextLayer => write!(f, "PDF has no text layer (a scanned document)"),
            ReadError::TooDeep { depth, max } => {
                write!(
                    f,
                    "HTML is nested {depth} levels deep, more than the limit of {max}"
                )
            }
            ReadError::TooMuchDrawn { what, count, max } => write!(
                f,
                "PDF has {count} {what}, more than the limit of {max} (far more than a report)"
            ),
            ReadError::TimedOut { millis } => {
                write!(f, "reading took longer than the limit of {millis} ms")
            }
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// What the user can do about it, if anything.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ReadError::TooLarge { .. } => {
                Some("check that it is a report; if it is, raise --max-file-bytes")
            }
            ReadError::TooLargeUnzipped { .. } => {
                Some("check that it is a report; if it is, raise --max-unzipped-bytes")
            }
            ReadError::TooManyCells { .. } | ReadError::TooMuchDrawn { .. } => {
                Some("check that it is a report; if it is, raise --max-cells")
            }
            ReadError::TooDeep { .. } => {
                Some("check that it is a report; if it is, raise --max-nesting")
            }
            ReadError::TimedOut { .. } => Some(
                "check that it is a report; if it is, raise --time-limit and please report the file",
            ),
            ReadError::Unsupported {
                format: Format::Doc,
            } => Some(
                "save it as .docx (Word, LibreOffice: soffice --convert-to docx FILE), then ingest that",
            ),
            ReadError::Unsupported { .. } => Some(
                "convert it to HTML or text (for a PDF: pdftotext -layout FILE), then ingest that",
            ),
            ReadError::Corrupt { .. } => Some("re-download the file; it may be truncated"),
            ReadError::NoTextLayer => {
                Some("no text layer: OCR it first (e.g. ocrmypdf FILE OUT.pdf), then ingest that")
            }
            ReadError::Encrypted => {
                Some("remove the password (or ask the issuer for an open copy), then ingest that")
            }
            ReadError::Binary { .. } => Some("check the file: it does not look like a report"),
            ReadError::Empty | ReadError::NoText => {
                Some("re-download the report; the crawler may have saved an empty page")
            }
            ReadError::Io(_) => None,
        }
    }
}

/// Reads one input into a `Document`, choosing the reader from the bytes (not the extension).
pub fn read(bytes: &[u8], origin: &Origin) -> Result<Document, ReadError> {
    let limits = &origin.limits;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            max: limits.file_bytes,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    let mut format = sniff(bytes, origin.path());
    if format == Format::Zip {
        format = container::zip_kind(bytes, limits.unzipped_bytes)?;
    } else if format == Format::Ole {
        format = container::ole_kind(bytes)?;
    }
    match format {
        Format::Text => text::read(bytes, origin),
        Format::Html => html::read(bytes, origin),
        Format::Csv => sheet::read_csv(bytes, origin),
        Format::Xlsx | Format::Xls => sheet::read_workbook(bytes, format, origin),
        Format::Ods => ods::read(bytes, origin),
        Format::Docx => docx::read(bytes, origin),
        Format::Pdf => pdf::read(bytes, origin),
        Format::Binary => Err(ReadError::Binary {
            what: "control bytes",
        }),
        other => Err(ReadError::Unsupported { format: other }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text normalisation leaves alone is its own printed form; one it changes keeps the
    /// printed form beside it, and trimming alone counts as a change.
    #[test]
    fn a_text_keeps_its_printed_form_only_where_it_differs() {
        let loc = Loc::Line {
            line: 1,
            char: None,
        };
        let mut converted = false;
        let same = Text::read("规章 12".into(), loc, &mut converted);
        assert!(same.is_as_printed());
        assert_eq!((same.text.as_str(), same.raw()), ("规章 12", "规章 12"));
        let wide = Text::read("规章\u{3000}１２".into(), loc, &mut converted);
        assert!(!wide.is_as_printed());
        assert_eq!(
            (wide.text.as_str(), wide.raw()),
            ("规章 12", "规章\u{3000}１２")
        );
        let padded = Text::read(" 12 ".into(), loc, &mut converted);
        assert_eq!((padded.text.as_str(), padded.raw()), ("12", " 12 "));
        assert!(!converted);
        let traditional = Text::read("規章".into(), loc, &mut converted);
        assert_eq!(
            (traditional.text.as_str(), traditional.raw()),
            ("规章", "規章")
        );
        assert!(converted);
    }

    #[test]
    fn locations_read_as_written() {
        let cases = [
            (
                Loc::Line {
                    line: 1,
                    char: None,
                },
                "line 1",
            ),
            (
                Loc::Line {
                    line: 10,
                    char: Some(0),
                },
                "line 10 char 0",
            ),
            (
                Loc::Para {
                    para: 4_294_967_295,
                    char: Some(907),
                },
                "paragraph 4294967295 char 907",
            ),
            (
                Loc::Para {
                    para: 3,
                    char: None,
                },
                "paragraph 3",
            ),
            (
                Loc::Cell {
                    table: 2,
                    row: 30,
                    col: 100,
                },
                "table 2 row 30 col 100",
            ),
            (
                Loc::Sheet {
                    sheet: 1,
                    row: 3,
                    col: 27,
                },
                "sheet 1 cell AB4",
            ),
            (
                Loc::Page {
                    page: 2,
                    line: 14,
                    char: Some(5),
                },
                "page 2 line 14 char 5",
            ),
            (
                Loc::PageCell {
                    page: 3,
                    table: 2,
                    row: 5,
                    col: 3,
                },
                "page 3 table 2 row 5 col 3",
            ),
        ];
        for (loc, want) in cases {
            assert_eq!(loc.to_string(), want);
        }
    }
}
