//! The format-neutral document model: what every reader produces and every
//! writer consumes.
//!
//! A [`Document`] is [`Metadata`] plus a tree of [`Block`]s whose leaves are
//! [`Inline`]s. The tree is plain owned data with serde derives, so the JSON
//! writer is the model serialised and the JSON reader is the model read back.
//! Nothing here knows about HTML, EPUB or PDF: a reader that meets something
//! the model cannot say maps it to the nearest variant (or drops it with a
//! warning); a writer that cannot show a variant degrades it the same way.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod packed;

/// Version of the JSON form of the model, `major.minor`. A reader refuses a
/// document whose major version differs; minor versions only add fields.
pub const SCHEMA_VERSION: &str = "1.0";

/// One article: its metadata and its body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Document {
    /// Title, authors, dates and the rest of the front matter.
    #[serde(default)]
    pub meta: Metadata,
    /// The article body, in reading order.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// Front matter normalised into typed fields; every key that has no typed
/// field is kept verbatim in [`Metadata::extra`] so nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
#[serde(default)]
pub struct Metadata {
    /// The article title, folded to one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Authors in the order given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<DateValue>,
    /// Last-update date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateValue>,
    /// Categories in order (Hexo's nested lists are flattened, in order).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// Tags in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Cover image URL or path (`cover`, `headimg`, `thumbnail`, `image`, `banner_img`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cover: Option<String>,
    /// BCP 47 language tag, from the front matter or detected from the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the article came from (`link`, `url`, `source`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// A short summary (`description`, `excerpt`, `summary`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Every other front-matter key, as given.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(any(test, feature = "arbitrary"), arbitrary(default))]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A date as written in the source, and the same instant in ISO 8601 when it
/// could be understood.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct DateValue {
    /// The string from the front matter, untouched.
    pub raw: String,
    /// ISO 8601 (`2022-02-14T07:02:16Z`, or a date alone), if parseable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
}

impl DateValue {
    /// The date for people: the day of the parsed instant (`2022-02-14`),
    /// else the raw text as written.
    pub fn day(&self) -> &str {
        match &self.iso {
            Some(iso) => iso.get(..10).unwrap_or(iso),
            None => self.raw.trim(),
        }
    }
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph { content: Vec<Inline> },
    /// A section heading, level 1 (largest) to 6.
    Heading { level: u8, content: Vec<Inline> },
    /// A bulleted or numbered list; each item is a list of blocks.
    List {
        ordered: bool,
        /// First number of an ordered list (1 unless the source says otherwise).
        #[serde(default = "one")]
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// A quotation set off from the text.
    BlockQuote { blocks: Vec<Block> },
    /// Preformatted source code, kept verbatim.
    CodeBlock {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<String>,
        code: String,
    },
    /// A stand-alone image with an optional caption.
    Figure {
        image: Image,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        caption: Vec<Inline>,
    },
    /// A table: header rows, then body rows.
    Table(Table),
    /// A thematic break.
    Rule,
}

fn one() -> u64 {
    1
}

/// An image reference; the bytes are fetched by writers that embed them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Image {
    /// URL or path as found (after resolving lazy-loading and relative URLs).
    pub src: String,
    /// Alternative text; empty when the source gave none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
    /// Tooltip title, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A simple table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Table {
    /// Header rows (`thead`, or leading rows of `th` cells).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<Row>,
    /// Body rows.
    #[serde(default)]
    pub body: Vec<Row>,
}

impl Table {
    /// The name of each column from the last header row (its cells' text,
    /// whitespace folded; a cell spanning columns names each); none
    /// without a header row. What stacked tables put before each cell.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for cell in self.head.last().into_iter().flatten() {
            let text = blocks_text(&cell.blocks);
            let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for _ in 0..cell.colspan.clamp(1, 64) {
                names.push(name.clone());
            }
        }
        names
    }
}

/// One table row.
pub type Row = Vec<Cell>;

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Cell {
    /// True for header cells (`th`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    /// Columns spanned (1 unless the source says otherwise).
    #[serde(default = "one_u32", skip_serializing_if = "is_one")]
    pub colspan: u32,
    /// The cell's content; usually one paragraph.
    pub blocks: Vec<Block>,
}

fn one_u32() -> u32 {
    1
}
fn is_one(n: &u32) -> bool {
    *n == 1
}

/// An inline element inside a paragraph, heading, caption or cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text (entities already decoded).
    Text { text: String },
    /// Emphasised text (usually italic).
    Emphasis { content: Vec<Inline> },
    /// Strongly emphasised text (usually bold).
    Strong { content: Vec<Inline> },
    /// Struck-out text.
    Strikeout { content: Vec<Inline> },
    /// Superscript.
    Superscript { content: Vec<Inline> },
    /// Subscript.
    Subscript { content: Vec<Inline> },
    /// Inline code, verbatim.
    Code { code: String },
    /// A hyperlink.
    Link {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        content: Vec<Inline>,
    },
    /// An image inside running text (an emoji picture, an icon).
    Image { image: Image },
    /// A forced line break.
    LineBreak,
}

impl Inline {
    /// A text node.
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text { text: s.into() }
    }
}

/// Many articles in one book: sections, each with its articles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Bundle {
    /// The book's own metadata (title, date, language).
    pub meta: Metadata,
    /// Sections in order; a bundle without grouping has one untitled section.
    pub sections: Vec<Section>,
}

/// One section of a bundle.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct Section {
    /// Section title (a source, a category, a day); empty when ungrouped.
    pub title: String,
    /// The section's articles in reading order.
    pub articles: Vec<Document>,
}

/// The plain text of a run of inlines, as a reader would say it aloud:
/// images give their alt text, line breaks a newline.
pub fn inline_text(inlines: &[Inline]) -> String {
    inline_text_with(inlines, &|image| image.alt.clone())
}

/// [`inline_text`] with images said by `image_text` (the text writer says
/// `[image: …]` where a search key wants only the alt text).
pub fn inline_text_with(inlines: &[Inline], image_text: &dyn Fn(&Image) -> String) -> String {
    let mut out = String::new();
    push_inline_text(inlines, image_text, &mut out);
    out
}

fn push_inline_text(inlines: &[Inline], image_text: &dyn Fn(&Image) -> String, out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::Code { code } => out.push_str(code),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => push_inline_text(content, image_text, out),
            Inline::Image { image } => out.push_str(&image_text(image)),
            Inline::LineBreak => out.push('\n'),
        }
    }
}

/// All text of a run of blocks, blocks separated by newlines (used for
/// language detection, search keys and duplicate detection).
pub fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    push_blocks_text(blocks, &mut out);
    out
}

fn push_blocks_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                out.push_str(&inline_text(content))
            }
            Block::List { items, .. } => items.iter().for_each(|i| push_blocks_text(i, out)),
            Block::BlockQuote { blocks } => push_blocks_text(blocks, out),
            Block::CodeBlock { code, .. } => out.push_str(code),
            Block::Figure { image, caption } => {
                if caption.is_empty() {
                    out.push_str(&image.alt)
                } else {
                    out.push_str(&inline_text(caption))
                }
            }
            Block::Table(table) => {
                for row in table.head.iter().chain(&table.body) {
                    for cell in row {
                        push_blocks_text(&cell.blocks, out);
                        out.push('\t');
                    }
                    out.push('\n');
                }
            }
            Block::Rule => {}
        }
        out.push('\n');
    }
}

impl Bundle {
    /// The bundle as one document: each section title becomes a level-1
    /// heading, each article title a level-2 heading (level 1 when the
    /// section is untitled), and article headings move down to make room.
    pub fn flatten(&self) -> Document {
        let mut blocks = Vec::new();
        for section in &self.sections {
            let titled = !section.title.is_empty();
            if titled {
                blocks.push(Block::Heading {
                    level: 1,
                    content: vec![Inline::text(&section.title)],
                });
            }
            let shift = if titled { 2 } else { 1 };
            for article in &section.articles {
                let title = article.meta.title.clone().unwrap_or_default();
                blocks.push(Block::Heading {
                    level: shift,
                    content: vec![Inline::text(title)],
                });
                blocks.extend(
                    article
                        .blocks
                        .iter()
                        .cloned()
                        .map(|b| shift_headings(b, shift)),
                );
            }
        }
        Document {
            meta: self.meta.clone(),
            blocks,
        }
    }
}

/// Copies of `blocks` with every heading `by` levels deeper (at most 6), for
/// articles nested under section and article titles in a bundle.
pub fn shifted_headings(blocks: &[Block], by: u8) -> Vec<Block> {
    blocks
        .iter()
        .cloned()
        .map(|b| shift_headings(b, by))
        .collect()
}

fn shift_headings(block: Block, by: u8) -> Block {
    match block {
        Block::Heading { level, content } => Block::Heading {
            // Saturating: a model read from JSON may say any level.
            level: level.saturating_add(by).min(6),
            content,
        },
        other => other,
    }
}

/// Calls `f` on every run of inlines directly held by a block (paragraph,
/// heading and caption text), in reading order, descending into lists,
/// quotes and table cells. The base of passes that rewrite inlines.
pub fn for_each_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => f(content),
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_inlines_mut(i, f)),
            Block::BlockQuote { blocks } => for_each_inlines_mut(blocks, f),
            Block::Figure { caption, .. } => f(caption),
            Block::Table(table) => {
                for row in table.head.iter_mut().chain(table.body.iter_mut()) {
                    row.iter_mut()
                        .for_each(|c| for_each_inlines_mut(&mut c.blocks, f));
                }
            }
            Block::CodeBlock { .. } | Block::Rule => {}
        }
    }
}

/// Calls `f` on every image in `blocks` (figures and inline images), for
/// passes that rewrite image sources.
pub fn for_each_image_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Image)) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                inline_images_mut(content, f)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| for_each_image_mut(i, f)),
            Block::BlockQuote { blocks } => for_each_image_mut(blocks, f),
            Block::Figure { image, caption } => {
                f(image);
                inline_images_mut(caption, f);
            }
            Block::Table(table) => {
                for row in table.head.iter_mut().chain(table.body.iter_mut()) {
                    row.iter_mut()
                        .for_each(|c| for_each_image_mut(&mut c.blocks, f));
                }
            }
            Block::CodeBlock { .. } | Block::Rule => {}
        }
    }
}

/// Link URLs numbered as notes, for formats that print them (plain text,
/// PDF): a link's note number is its URL's index + 1.
/// Whether `url` names its scheme ("https:", "mailto:") or its host
/// ("//example.com/…"): what a link note can give a reader.
fn is_absolute(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let scheme = url.split(':').next().unwrap_or("");
    url.len() > scheme.len()
        && scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(any(test, feature = "arbitrary"), derive(arbitrary::Arbitrary))]
pub struct LinkNotes {
    /// URLs in order of first appearance.
    pub urls: Vec<String>,
    /// URL → index in `urls`, so numbering stays linear in the links.
    index: std::collections::HashMap<String, usize>,
}

impl LinkNotes {
    /// The note number for a link, or `None` when the URL adds nothing to
    /// the text (it is the link text itself, an in-page anchor, or empty)
    /// or leads nowhere a reader could type it (a relative link of a saved
    /// page whose address is not known: "/users/name").
    pub fn number(&mut self, url: &str, text: &str) -> Option<usize> {
        let url = url.trim();
        if url.is_empty() || url.starts_with('#') || url == text.trim() || !is_absolute(url) {
            return None;
        }
        if let Some(&i) = self.index.get(url) {
            return Some(i + 1);
        }
        self.urls.push(url.to_string());
        self.index.insert(url.to_string(), self.urls.len() - 1);
        Some(self.urls.len())
    }

    /// Adds a `[n]` marker after every link in `blocks` whose URL gets a
    /// note, numbering in reading order.
    pub fn mark_links(&mut self, blocks: &mut [Block]) {
        for_each_inlines_mut(blocks, &mut |inlines| self.mark_inlines(inlines));
    }

    fn mark_inlines(&mut self, inlines: &mut Vec<Inline>) {
        let mut out = Vec::with_capacity(inlines.len());
        for mut inline in inlines.drain(..) {
            let mut marker = None;
            match &mut inline {
                Inline::Link { url, content, .. } => {
                    self.mark_inlines(content);
                    marker = self.number(url, &inline_text(content));
                }
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Strikeout { content }
                | Inline::Superscript { content }
                | Inline::Subscript { content } => self.mark_inlines(content),
                Inline::Text { .. }
                | Inline::Code { .. }
                | Inline::Image { .. }
                | Inline::LineBreak => {}
            }
            out.push(inline);
            if let Some(n) = marker {
                out.push(Inline::text(format!("[{n}]")));
            }
        }
        *inlines = out;
    }
}

impl Image {
    /// A short alt text (an emoji or symbol drawn as a picture), which
    /// formats that show inline pictures as text print as itself.
    pub fn symbol(&self) -> Option<&str> {
        let alt = self.alt.trim();
        (!alt.is_empty() && alt.chars().count() <= 2).then_some(alt)
    }

    /// What to call the image in text: its alt text, else its file name
    /// when that is a word (`harbour.jpg`); none for a hash a CMS named the
    /// file after (`0861-27fbcb52…8819c0.jpg`) or a `data:` URI. The words
    /// around it are the writer's ([`crate::words::Words::picture`]).
    pub fn label(&self) -> Option<String> {
        let alt = self.alt.trim();
        if !alt.is_empty() && !looks_like_hash_name(alt) {
            return Some(alt.to_string());
        }
        let path = self.src.split(['?', '#']).next().unwrap_or(&self.src);
        let name = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(path);
        if name.is_empty() || name.starts_with("data:") || looks_like_hash_name(name) {
            None
        } else {
            Some(name.to_string())
        }
    }
}

/// Whether `name` (a file name or an alt text copied from one) is a
/// machine-made hash rather than words: one of its `-`/`_`-separated parts
/// (before the extension) is 8+ hex digits, or 16+ characters mixing
/// letters and digits (`4499e616cc5ee57.jpg`, `v2_d5d4…3035_img_000`).
pub fn looks_like_hash_name(name: &str) -> bool {
    let stem = name.split(['.', '~']).next().unwrap_or(name);
    if stem
        .chars()
        .any(|c| !c.is_ascii_alphanumeric() && c != '-' && c != '_')
    {
        return false;
    }
    stem.split(['-', '_']).any(|part| {
        let digits = part.bytes().any(|b| b.is_ascii_digit());
        let hex = part.len() >= 8 && part.bytes().all(|b| b.is_ascii_hexdigit());
        let mixed = part.len() >= 16 && digits && part.bytes().any(|b| b.is_ascii_alphabetic());
        hex || mixed
    })
}

fn inline_images_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Image)) {
    for inline in inlines {
        match inline {
            Inline::Image { image } => f(image),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => inline_images_mut(content, f),
            Inline::Text { .. } | Inline::Code { .. } | Inline::LineBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifting_a_heading_of_level_255_is_not_an_overflow() {
        // Found by the write_txt fuzz target (fuzz/regressions/write_txt/):
        // a bundle of JSON-read articles with `level: 255` overflowed u8.
        let heading = Block::Heading {
            level: 255,
            content: vec![Inline::text("h")],
        };
        let shifted = shifted_headings(&[heading], 2);
        assert!(matches!(shifted[0], Block::Heading { level: 6, .. }));
    }

    /// Readability's archive-of-our-own page (no address of its own) gave
    /// 486 notes such as "[475] /users/AnaDielle" that lead nowhere.
    #[test]
    fn relative_links_get_no_note() {
        let mut notes = LinkNotes::default();
        assert_eq!(notes.number("https://example.com/a", "a"), Some(1));
        assert_eq!(notes.number("mailto:me@example.com", "me"), Some(2));
        assert_eq!(notes.number("//cdn.example.com/x", "x"), Some(3));
        for url in ["/users/AnaDielle", "page.html", "../up", "?q=1", "#fn1", "c:x"] {
            assert_eq!(notes.number(url, "text"), None, "{url}");
        }
    }
}
