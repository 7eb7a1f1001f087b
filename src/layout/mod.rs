//! conv's own typesetting: a [`Document`] becomes pages of positioned items
//! (text runs, rules, boxes, images, links) plus an outline. The PDF writer
//! only serialises the result.
//!
//! Blocks are first set as a column of [`VLine`]s (each line of text, table
//! row or image is one unbreakable line carrying its own decorations), then
//! [`paginate`] fills pages, keeping lines flagged `keep_with_next` together
//! (headings with what follows, the first two and last two lines of a
//! paragraph, an image with its caption).

mod blocks;
mod bundle;
pub mod image;
pub mod page;
mod paginate;
mod slice;
pub mod text;

pub use bundle::{layout_bundle, layout_bundle_each};
pub use image::{load_image, ImageData, LoadedImage};
pub use page::{page_size, PageSize};
pub use paginate::paginate;

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::fonts::FontSet;
use crate::model::{Block, Document, LinkNotes, Metadata};
use crate::session::Session;
use paginate::{decorate, Decoration, Furniture};
use std::sync::Arc;

/// A run of text in one face and style. Coordinates are in points; on a
/// laid-out [`Page`], `x`/`y` are PDF coordinates (origin bottom-left) of the
/// run's baseline start.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left end of the baseline.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Index into [`FontSet::fonts`].
    pub font: usize,
    /// Font size.
    pub size: f32,
    /// The characters.
    pub text: String,
    /// Justification: extra space (points) before the character at this
    /// byte offset of `text`.
    pub gaps: Vec<(usize, f32)>,
    /// Draw with a thin outline (fake bold).
    pub bold: bool,
    /// Draw slanted.
    pub italic: bool,
    /// Glyphs conv added that are not in the text (the hyphen of a break
    /// inside a word): drawn, but marked so text extraction skips them.
    pub inserted: bool,
    /// RGB fill colour, 0–1.
    pub color: [f32; 3],
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text.
    Text(TextRun),
    /// A filled rectangle (`y` is its bottom on a page).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: f32,
    },
    /// A stroked line.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        gray: f32,
    },
    /// An image from [`Layout::images`] (`y` is its bottom on a page).
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: usize,
    },
    /// A clickable area opening `url`.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        url: std::sync::Arc<str>,
    },
    /// A clickable area leading to the top of a page of the book (0-based
    /// index; a bundle's table of contents).
    GoTo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        page: usize,
    },
}

impl Item {
    /// The item moved by (`dx`, `dy`) in the coordinates it is in.
    pub fn shifted(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text(r) => {
                r.x += dx;
                r.y += dy;
            }
            Item::Rect { x, y, .. }
            | Item::Image { x, y, .. }
            | Item::Link { x, y, .. }
            | Item::GoTo { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }

    /// Converts from line coordinates (y down from the line top, boxes by
    /// their top edge) to PDF page coordinates, the line top being at `top`.
    fn into_page(mut self, top: f32) -> Item {
        match &mut self {
            Item::Text(r) => r.y = top - r.y,
            Item::Rect { y, h, .. }
            | Item::Image { y, h, .. }
            | Item::Link { y, h, .. }
            | Item::GoTo { y, h, .. } => *y = top - *y - *h,
            Item::Line { y1, y2, .. } => {
                *y1 = top - *y1;
                *y2 = top - *y2;
            }
        }
        self
    }
}

/// One unbreakable line of the column: a line of text, a table row, an
/// image. Item coordinates: x absolute, y down from the line's top.
#[derive(Debug, Clone, Default)]
pub struct VLine {
    /// Height taken on the page.
    pub height: f32,
    /// Space above, dropped at the top of a page.
    pub space_before: f32,
    /// Distance from the top to the first baseline (for list markers).
    pub baseline: f32,
    /// Must share a page with the next line.
    pub keep_with_next: bool,
    /// Starts a new page (a bundle's sections and articles).
    pub page_break: bool,
    /// The heading this line starts, for the outline: (level, title).
    pub anchor: Option<(u8, String)>,
    /// What is drawn.
    pub items: Vec<Item>,
}

/// One outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Heading level, 1 = top.
    pub level: u8,
    /// Heading text.
    pub title: String,
    /// 0-based page index.
    pub page: usize,
    /// PDF y of the heading's top on that page.
    pub y: f32,
}

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// Items in PDF coordinates.
    pub items: Vec<Item>,
}

/// The result of layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Page size (every page has the same).
    pub size: PageSize,
    /// The pages.
    pub pages: Vec<Page>,
    /// Headings in order, for bookmarks.
    pub outline: Vec<OutlineEntry>,
    /// Images referenced by [`Item::Image`]: index `image_base + i` is
    /// `images[i]` (shared with the run's assets: a picture is decoded once;
    /// a bundle hands its images over article by article).
    pub images: Vec<Arc<LoadedImage>>,
    /// The index of `images[0]`.
    pub image_base: usize,
    /// The fonts referenced by [`TextRun::font`].
    pub fonts: FontSet,
    /// Where the pages go in the book.
    pub placement: Placement,
}

/// Where a batch of pages goes in the book. A bundle's printed table of
/// contents can be numbered only once every article is laid out, so its
/// pages are first held back (their room kept, their outline given) and
/// drawn at the end into that room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Placement {
    /// After the pages handed over before.
    #[default]
    Next,
    /// Room for these pages after those handed over before; the pages
    /// themselves come again later as [`Placement::Fill`].
    Reserve,
    /// These pages go into the room reserved at this 0-based page index
    /// (their outline was given with the reservation).
    Fill(usize),
}

/// Lays `doc` out on pages of `--page` at `--font-size`, with the fonts of
/// the session and the pictures of the asset pass.
pub fn layout(
    doc: &Document,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
) -> Result<Layout> {
    let fonts = session.fonts()?;
    let col = Column::new(session);
    let (x, width) = (col.x, col.width);
    let mut flow = blocks::Flow::new(fonts, assets, col.font_size, col.height, warnings);
    flow.autospace = !session.opts.no_autospace;
    flow.set_language(doc.meta.language.as_deref());
    let mut lines = flow.title_block(&doc.meta, x, width);
    lines.extend(article_body(&mut flow, doc.blocks.clone(), x, width));
    finish(flow, lines, &doc.meta, col, fonts, 0)
}

/// An article's blocks with `[n]` after each link, then its link notes,
/// numbered as the text writer numbers them.
fn article_body(
    flow: &mut blocks::Flow<'_>,
    mut body: Vec<Block>,
    x: f32,
    width: f32,
) -> Vec<VLine> {
    let mut notes = LinkNotes::default();
    notes.mark_links(&mut body);
    let mut lines = flow.blocks(&body, x, width, body_ctx());
    lines.extend(flow.link_notes(&notes.urls, x, width));
    lines
}

/// The text column of `opts.page` at `opts.font_size`.
#[derive(Debug, Clone, Copy)]
struct Column {
    size: PageSize,
    font_size: f32,
    /// Left edge and width of the column.
    x: f32,
    width: f32,
    /// Height available between the margins.
    height: f32,
    /// Top and bottom margin: the page's, or more where the running header
    /// and page number need the room (e-reader pages).
    v_margin: f32,
}

impl Column {
    fn new(session: &Session) -> Column {
        let size = session.page;
        let font_size = session.opts.font_size.clamp(4.0, 72.0);
        let v_margin = Furniture::new(size, font_size).margin(size);
        Column {
            size,
            font_size,
            x: size.margin,
            width: size.width - 2.0 * size.margin,
            height: size.height - 2.0 * v_margin,
            v_margin,
        }
    }
}

fn body_ctx() -> blocks::Ctx {
    blocks::Ctx {
        depth: 0,
        indent: true,
        justify: true,
    }
}

/// Marks the first of `lines` as starting a new page.
fn starting_page(mut lines: Vec<VLine>) -> Vec<VLine> {
    if let Some(first) = lines.first_mut() {
        first.page_break = true;
    }
    lines
}

/// Paginates the column, adds running headers and page numbers, and
/// reports characters no font had.
fn finish(
    flow: blocks::Flow<'_>,
    lines: Vec<VLine>,
    meta: &Metadata,
    col: Column,
    fonts: &FontSet,
    front: usize,
) -> Result<Layout> {
    let (size, font_size) = (col.size, col.font_size);
    let (images, mut missing, warnings) = flow.into_parts();
    // Pagination sees the vertical margins only.
    let (mut pages, outline) = paginate(
        lines,
        PageSize {
            margin: col.v_margin,
            ..size
        },
    );
    let title = meta.title.clone().unwrap_or_default();
    decorate(
        &mut pages,
        &title,
        size,
        font_size,
        fonts,
        &mut missing,
        Decoration { front, first: 0 },
    );
    if let Some(msg) = missing.message() {
        warnings.push(msg);
    }
    Ok(Layout {
        size,
        pages,
        outline,
        images,
        image_base: 0,
        fonts: fonts.clone(),
        placement: Placement::Next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;
    use crate::options::Options;

    /// Issue 9: `--page 40x40mm --font-size 14` (or 60) looped for ever
    /// shortening the running header.
    #[test]
    fn tiny_page_with_large_type_does_not_loop_on_the_header() {
        for font_size in [14.0, 60.0, 72.0] {
            let opts = Options {
                page: "40x40mm".into(),
                font_size,
                ..Options::default()
            };
            let session = crate::session::Session::new(opts.clone()).unwrap();
            let doc = Document {
                meta: Metadata {
                    title: Some("一个很长的标题 with words that never fit".into()),
                    ..Metadata::default()
                },
                blocks: vec![Block::Paragraph {
                    content: vec![Inline::text("正文 text ".repeat(20))],
                }],
            };
            let mut w = Warnings::new();
            let laid = layout(&doc, &session, &Assets::default(), &mut w).unwrap();
            assert!(laid.pages.len() > 1);
        }
    }

    /// Issue 9: 29 nested block quotes narrowed the column to nothing; the
    /// nesting now stops indenting (with one warning) and the text stays.
    #[test]
    fn deeply_nested_quotes_keep_their_text() {
        let mut block = Block::Paragraph {
            content: vec![Inline::text("deep words here")],
        };
        for _ in 0..29 {
            block = Block::BlockQuote {
                blocks: vec![block],
            };
        }
        let opts = Options::default();
        let session = crate::session::Session::new(opts.clone()).unwrap();
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![block],
        };
        let mut w = Warnings::new();
        let laid = layout(&doc, &session, &Assets::default(), &mut w).unwrap();
        let text: String = laid.pages[0]
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(r) => Some(r.text.clone()),
                _ => None,
            })
            .collect();
        assert!(
            text.contains("deepwordshere") || text.contains("deep words here"),
            "{text}"
        );
        assert_eq!(
            w.items()
                .iter()
                .filter(|m| m.message.contains("nested"))
                .count(),
            1
        );
    }

    /// Issue 11 Deliver 5: a heading of two lines comes out balanced, not
    /// a full line and a stub ("…老旧小 / 区改造提速").
    #[test]
    fn headings_are_balanced() {
        let opts = Options::default();
        let session = crate::session::Session::new(opts.clone()).unwrap();
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![Block::Heading {
                level: 1,
                content: vec![Inline::text(
                    "示例财经：城市更新计划公布，老旧小区改造提速，全面推进",
                )],
            }],
        };
        let mut w = Warnings::new();
        let laid = layout(&doc, &session, &Assets::default(), &mut w).unwrap();
        let mut rows: Vec<(i32, usize)> = Vec::new();
        for it in &laid.pages[0].items {
            if let Item::Text(r) = it {
                let y = r.y.round() as i32;
                match rows.iter_mut().find(|(ry, _)| *ry == y) {
                    Some(row) => row.1 += r.text.chars().count(),
                    None => rows.push((y, r.text.chars().count())),
                }
            }
        }
        assert!(rows.len() >= 2, "{rows:?}");
        let (a, b) = (rows[0].1 as i64, rows[1].1 as i64);
        assert!((a - b).abs() <= 3, "{rows:?}");
    }
}
