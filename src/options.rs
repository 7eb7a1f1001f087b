//! Options for one conversion: one flat record with defaults, shared by every
//! reader and writer (each reads the fields it cares about).

use crate::device::{ImagePolicy, Profile};
use std::path::PathBuf;

/// The kind of body the reader should assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Detect from the content (front matter, then HTML, Markdown or text).
    #[default]
    Auto,
    /// The body is HTML.
    Html,
    /// The body is Markdown (CommonMark with tables, strikethrough, tasks).
    Markdown,
    /// The body is plain text: blank lines separate paragraphs.
    Text,
    /// The input is conv's JSON form of the model.
    Json,
}

impl InputFormat {
    /// Parses a `--from` name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "auto" => Self::Auto,
            "html" | "htm" => Self::Html,
            "markdown" | "md" => Self::Markdown,
            "text" | "txt" | "plain" => Self::Text,
            "json" => Self::Json,
            _ => return None,
        })
    }

    /// Names accepted by [`InputFormat::from_name`], for `--list-formats`.
    pub const NAMES: &'static [&'static str] = &["auto", "html", "markdown", "text", "json"];
}

/// Options for reading and writing one document.
#[derive(Debug, Clone)]
pub struct Options {
    // ---- reading ----
    /// What the body is; `Auto` detects it.
    pub from: InputFormat,
    /// Turn the clean-up of scraped pages off (keep promotion blocks, indents…).
    pub keep_all: bool,
    /// Whole-page article extraction: `Some(true)` forces it, `Some(false)`
    /// turns it off, `None` extracts when the input is a whole page.
    pub extract: Option<bool>,
    /// Extra clean-up rules (TOML, same form as the built-in rules file).
    pub rules_file: Option<PathBuf>,
    /// Force an input encoding (an encoding label: `gbk`, `big5`, `utf-8`).
    pub encoding: Option<String>,

    // ---- writing: common ----
    /// Seconds since the epoch to stamp as the modification time, for
    /// reproducible output (`SOURCE_DATE_EPOCH`); otherwise the article date.
    pub source_date_epoch: Option<i64>,
    /// Do not fetch remote images.
    pub offline: bool,
    /// Folder for cached remote images (`None`: the user cache folder).
    pub cache_dir: Option<PathBuf>,
    /// A folder local pictures may also come from, besides the article's
    /// own (`--resource-dir`).
    pub resource_dir: Option<PathBuf>,
    /// Largest picture read, downloaded or decoded from a `data:` URI.
    pub max_image_bytes: u64,
    /// Folder whose templates and CSS override the built-in ones.
    pub template_dir: Option<PathBuf>,

    // ---- writing: plain text ----
    /// Wrap plain text at this display width (`None`: no hard wrapping).
    pub columns: Option<usize>,

    // ---- writing: PDF and EPUB fonts ----
    /// Page preset (`a4`, `a5`, `letter`, `kindle`, `kobo`, `remarkable`) or `WxHmm`.
    pub page: String,
    /// Body font size in points.
    pub font_size: f32,
    /// Body font file replacing the bundled CJK font.
    pub font: Option<PathBuf>,
    /// Face index inside a TTC collection given with `font`.
    pub font_index: u32,
    /// Code font file replacing the bundled monospace font.
    pub mono_font: Option<PathBuf>,
    /// Further fonts tried, in order, for characters the others lack.
    pub fallback_fonts: Vec<PathBuf>,
    /// Embed the subset of the CJK font the book uses into the EPUB.
    pub embed_font: bool,
    /// PDF: no quarter-em space between CJK and Latin letters or digits
    /// where the source has none.
    pub no_autospace: bool,

    // ---- the reader's device ----
    /// The profile (`--device`) the page, font size, margin, picture and
    /// cover settings were taken from ([`Options::for_device`]).
    pub device: &'static Profile,
    /// PDF margin in millimetres (`--margin`); `None`: the page preset's.
    pub margin_mm: Option<f32>,
    /// How pictures are readied for the screen (`--image-max`, `--grey`,
    /// `--colour`, `--jpeg-quality`).
    pub images: ImagePolicy,
    /// Largest cover picture (`--cover-size`); `None`: as it is. Drawn
    /// bundle covers are drawn to fit it.
    pub cover_size: Option<(u32, u32)>,
}

impl Options {
    /// The defaults with the settings of `device`.
    pub fn for_device(device: &'static Profile) -> Options {
        Options {
            page: device.page.to_string(),
            font_size: device.font_size,
            device,
            margin_mm: device.margin_mm,
            images: device.images(),
            cover_size: device.cover,
            ..Options::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            from: InputFormat::Auto,
            keep_all: false,
            extract: None,
            rules_file: None,
            encoding: None,
            source_date_epoch: None,
            offline: false,
            cache_dir: None,
            resource_dir: None,
            max_image_bytes: crate::assets::MAX_IMAGE_BYTES,
            template_dir: None,
            columns: None,
            page: "a5".to_string(),
            font_size: 11.0,
            font: None,
            font_index: 0,
            mono_font: None,
            fallback_fonts: Vec::new(),
            embed_font: false,
            no_autospace: false,
            device: &crate::device::GENERIC,
            margin_mm: None,
            images: ImagePolicy::KEEP,
            cover_size: None,
        }
    }
}
