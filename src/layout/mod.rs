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
pub mod image;
pub mod page;
pub mod text;

pub use image::{load_image, ImageData, LoadedImage};
pub use page::{page_size, PageSize};

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::fonts::{FontSet, MissingGlyphs};
use crate::model::{shifted_headings, Block, Bundle, Document, Image, Inline, LinkNotes, Metadata};
use crate::session::Session;
use std::sync::Arc;
use text::{InlineStyle, ParaStyle, Styled};

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
}

impl Item {
    /// The item moved by (`dx`, `dy`) in the coordinates it is in.
    pub fn shifted(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text(r) => {
                r.x += dx;
                r.y += dy;
            }
            Item::Rect { x, y, .. } | Item::Image { x, y, .. } | Item::Link { x, y, .. } => {
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
            Item::Rect { y, h, .. } | Item::Image { y, h, .. } | Item::Link { y, h, .. } => {
                *y = top - *y - *h
            }
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
    /// Images referenced by [`Item::Image`] (shared with the run's assets:
    /// a picture is decoded once, however often it is shown).
    pub images: Vec<Arc<LoadedImage>>,
    /// The fonts referenced by [`TextRun::font`].
    pub fonts: FontSet,
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
    let mut lines = flow.title_block(&doc.meta, x, width);
    lines.extend(article_body(&mut flow, doc.blocks.clone(), x, width));
    finish(flow, lines, &doc.meta, col, fonts, 0)
}

/// Lays a bundle out: its cover (when it has one) on a page of its own,
/// the book's title block, then every section heading and every article on
/// a new page; each article opens with its own title block (title, authors,
/// date, source). Sections are level-1 outline entries and their articles
/// level 2 (level 1 when the bundle is not grouped).
pub fn layout_bundle(
    bundle: &Bundle,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
) -> Result<Layout> {
    let fonts = session.fonts()?;
    let col = Column::new(session);
    let (x, width) = (col.x, col.width);
    let mut flow = blocks::Flow::new(fonts, assets, col.font_size, col.height, warnings);
    let mut lines = Vec::new();
    if let Some(src) = bundle
        .meta
        .cover
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        let cover = Block::Figure {
            image: Image {
                src: src.to_string(),
                alt: String::new(),
                title: None,
            },
            caption: Vec::new(),
        };
        lines.extend(flow.blocks(&[cover], x, width, body_ctx()));
    }
    // A cover that could be had is a page of its own, undecorated.
    let front = usize::from(!lines.is_empty() && !flow.images.is_empty());
    lines.extend(starting_page(flow.title_block(&bundle.meta, x, width)));
    for section in &bundle.sections {
        let titled = !section.title.trim().is_empty();
        if titled {
            let heading = [Inline::text(&section.title)];
            lines.extend(starting_page(flow.heading(1, &heading, x, width)));
        }
        let level = if titled { 2 } else { 1 };
        for (i, article) in section.articles.iter().enumerate() {
            let mut head = flow.title_block(&article.meta, x, width);
            if let Some(first) = head.first_mut() {
                let title = article.meta.title.as_deref().unwrap_or_default();
                first.anchor = Some((
                    level,
                    title.split_whitespace().collect::<Vec<_>>().join(" "),
                ));
                // The first article of a section follows its heading.
                first.page_break = !(titled && i == 0);
            }
            lines.extend(head);
            let body = shifted_headings(&article.blocks, level);
            lines.extend(article_body(&mut flow, body, x, width));
        }
    }
    finish(flow, lines, &bundle.meta, col, fonts, front)
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
}

impl Column {
    fn new(session: &Session) -> Column {
        let size = session.page;
        Column {
            size,
            font_size: session.opts.font_size.clamp(4.0, 72.0),
            x: size.margin,
            width: size.width - 2.0 * size.margin,
            height: size.height - 2.0 * size.margin,
        }
    }
}

fn body_ctx() -> blocks::Ctx {
    blocks::Ctx {
        depth: 0,
        indent: true,
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
    let (mut pages, outline) = paginate(lines, size);
    let title = meta.title.clone().unwrap_or_default();
    decorate(
        &mut pages,
        &title,
        size,
        font_size,
        fonts,
        &mut missing,
        front,
    );
    if let Some(msg) = missing.message() {
        warnings.push(msg);
    }
    Ok(Layout {
        size,
        pages,
        outline,
        images,
        fonts: fonts.clone(),
    })
}

/// Fills pages with `lines`, honouring `keep_with_next` chains that fit on
/// one page.
pub fn paginate(lines: Vec<VLine>, size: PageSize) -> (Vec<Page>, Vec<OutlineEntry>) {
    let top = size.height - size.margin;
    let room = size.height - 2.0 * size.margin;
    let mut pages = vec![Page::default()];
    let mut outline = Vec::new();
    let mut cursor = 0.0f32;
    let mut used = false;
    for i in 0..lines.len() {
        let line = &lines[i];
        let before = if used { line.space_before } else { 0.0 };
        let mut chain = before + line.height;
        let mut j = i;
        while lines[j].keep_with_next && j + 1 < lines.len() {
            j += 1;
            chain += lines[j].space_before + lines[j].height;
        }
        let fits = cursor + chain <= room + 0.01;
        let own_fits = cursor + before + line.height <= room + 0.01;
        if used && (line.page_break || (!fits && chain - before <= room) || !own_fits) {
            pages.push(Page::default());
            cursor = 0.0;
            used = false;
        }
        if used {
            cursor += line.space_before;
        }
        let line_top = top - cursor;
        if let Some((level, title)) = &line.anchor {
            outline.push(OutlineEntry {
                level: *level,
                title: title.clone(),
                page: pages.len() - 1,
                y: line_top,
            });
        }
        if let Some(page) = pages.last_mut() {
            page.items
                .extend(line.items.iter().cloned().map(|it| it.into_page(line_top)));
        }
        cursor += line.height;
        used = true;
    }
    (pages, outline)
}

/// Running header (the title, from page 2) and page numbers.
fn decorate(
    pages: &mut [Page],
    title: &str,
    size: PageSize,
    font_size: f32,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
    front: usize,
) {
    let small = (font_size * 0.75).max(6.0);
    let para = ParaStyle {
        size: small,
        leading: small,
        indent: 0.0,
        justify: false,
        gray: 0.45,
        center: true,
    };
    let width = size.width - 2.0 * size.margin;
    let header = header_line(title, size.margin, width, para, fonts, missing);
    // The first `front` pages (a bundle's cover) stay bare; the page after
    // them opens with its own title, so the running header starts later.
    for (n, page) in pages.iter_mut().enumerate().skip(front) {
        if n > front {
            let top = size.height - size.margin * 0.35 - small;
            page.items
                .extend(header.iter().cloned().map(|it| it.into_page(top + small)));
            page.items.push(Item::Line {
                x1: size.margin,
                y1: size.height - size.margin * 0.35 - small * 1.4,
                x2: size.width - size.margin,
                y2: size.height - size.margin * 0.35 - small * 1.4,
                width: 0.3,
                gray: 0.6,
            });
        }
        let number = Styled {
            text: (n + 1).to_string(),
            spans: vec![(0, InlineStyle::default())],
        };
        for l in text::set_lines(&number, size.margin, width, para, fonts, missing) {
            let top = size.margin * 0.35 + small;
            page.items
                .extend(l.items.into_iter().map(|it| it.into_page(top)));
        }
    }
}

/// The title cut to one line with an ellipsis.
fn header_line(
    title: &str,
    x: f32,
    width: f32,
    para: ParaStyle,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
) -> Vec<Item> {
    let mut t: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let styled = Styled {
            text: t.clone(),
            spans: vec![(0, InlineStyle::default())],
        };
        let lines = text::set_lines(&styled, x, width, para, fonts, missing);
        if lines.len() <= 1 || t.chars().count() < 2 {
            return lines
                .into_iter()
                .next()
                .map(|l| l.items)
                .unwrap_or_default();
        }
        let keep = t.chars().count() * 9 / 10;
        t = t
            .chars()
            .take(keep.max(1))
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(h: f32, keep: bool) -> VLine {
        VLine {
            height: h,
            keep_with_next: keep,
            items: vec![Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h,
                gray: 0.0,
            }],
            ..VLine::default()
        }
    }

    fn size() -> PageSize {
        // 100 pt of room per page.
        PageSize {
            width: 200.0,
            height: 120.0,
            margin: 10.0,
        }
    }

    fn per_page(pages: &[Page]) -> Vec<usize> {
        pages.iter().map(|p| p.items.len()).collect()
    }

    #[test]
    fn heading_moves_to_the_next_page_with_its_paragraph() {
        // 8 lines of 10 fill 80; a heading (keep) + 3-line paragraph would
        // leave the heading alone at the foot.
        let mut lines: Vec<VLine> = (0..8).map(|_| line(10.0, false)).collect();
        lines.push(line(15.0, true));
        lines.push(line(10.0, true));
        lines.push(line(10.0, false));
        let (pages, _) = paginate(lines, size());
        assert_eq!(per_page(&pages), vec![8, 3]);
    }

    #[test]
    fn a_chain_taller_than_a_page_is_split_rather_than_looping() {
        let lines: Vec<VLine> = (0..15).map(|_| line(10.0, true)).collect();
        let (pages, _) = paginate(lines, size());
        let counts = per_page(&pages);
        assert_eq!(counts.iter().sum::<usize>(), 15);
        assert!(counts.iter().all(|&n| n <= 10), "{counts:?}");
    }

    #[test]
    fn items_stay_inside_the_margins() {
        let lines: Vec<VLine> = (0..25).map(|_| line(10.0, false)).collect();
        let (pages, _) = paginate(lines, size());
        for p in &pages {
            for it in &p.items {
                if let Item::Rect { y, h, .. } = it {
                    assert!(*y >= 10.0 - 0.01 && y + h <= 110.01, "{y} {h}");
                }
            }
        }
    }

    #[test]
    fn outline_records_page_and_position() {
        let mut lines: Vec<VLine> = (0..12).map(|_| line(10.0, false)).collect();
        lines[11].anchor = Some((2, "H".into()));
        let (_, outline) = paginate(lines, size());
        assert_eq!(
            outline,
            vec![OutlineEntry {
                level: 2,
                title: "H".into(),
                page: 1,
                y: 100.0
            }]
        );
    }
}
