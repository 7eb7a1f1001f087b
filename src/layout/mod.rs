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
use crate::model::packed::PackedBundle;
use crate::model::{shifted_headings, Block, Document, Image, Inline, LinkNotes, Metadata};
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
    /// Images referenced by [`Item::Image`]: index `image_base + i` is
    /// `images[i]` (shared with the run's assets: a picture is decoded once;
    /// a bundle hands its images over article by article).
    pub images: Vec<Arc<LoadedImage>>,
    /// The index of `images[0]`.
    pub image_base: usize,
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
    flow.autospace = !session.opts.no_autospace;
    flow.set_language(doc.meta.language.as_deref());
    let mut lines = flow.title_block(&doc.meta, x, width);
    lines.extend(article_body(&mut flow, doc.blocks.clone(), x, width));
    finish(flow, lines, &doc.meta, col, fonts, 0)
}

/// Lays a bundle out: its cover (when it has one) on a page of its own,
/// the book's title block, then every section heading and every article on
/// a new page; each article opens with its own title block (title, authors,
/// date, source). Sections are level-1 outline entries and their articles
/// level 2 (level 1 when the bundle is not grouped).
///
/// The pages are handed to `sink` a batch at a time (the cover, the title
/// page, each article with the section heading before it), page numbers and
/// outline pages counted from the batch's first page, so a writer can
/// write each batch out before the next is laid out.
pub fn layout_bundle_each(
    bundle: &PackedBundle,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
    sink: &mut dyn FnMut(Layout) -> Result<()>,
) -> Result<()> {
    let fonts = session.fonts()?;
    let col = Column::new(session);
    let (x, width) = (col.x, col.width);
    let mut flow = blocks::Flow::new(fonts, assets, col.font_size, col.height, warnings);
    flow.autospace = !session.opts.no_autospace;
    let mut batches = Batches {
        col,
        fonts,
        title: bundle.meta.title.clone().unwrap_or_default(),
        front: 0,
        pages: 0,
        images: 0,
        missing: MissingGlyphs::default(),
    };
    let mut cover_lines = Vec::new();
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
        cover_lines = flow.blocks(&[cover], x, width, body_ctx());
        // A cover that could be had is a page of its own, undecorated.
        if !cover_lines.is_empty() && !flow.images.is_empty() {
            batches.front = 1;
            batches.emit(&mut flow, std::mem::take(&mut cover_lines), sink)?;
        }
    }
    // A cover that could not be had leaves its text above the title.
    flow.set_language(bundle.meta.language.as_deref());
    cover_lines.extend(starting_page(flow.title_block(&bundle.meta, x, width)));
    batches.emit(&mut flow, cover_lines, sink)?;
    for section in &bundle.sections {
        let titled = !section.title.trim().is_empty();
        let mut lines = Vec::new();
        if titled {
            let heading = [Inline::text(&section.title)];
            lines.extend(starting_page(flow.heading(1, &heading, x, width)));
        }
        let level = if titled { 2 } else { 1 };
        for (i, packed) in section.articles.iter().enumerate() {
            // One article unpacked at a time (see `model::packed`).
            let article = packed.unpack()?;
            flow.set_language(article.meta.language.as_deref());
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
            batches.emit(&mut flow, std::mem::take(&mut lines), sink)?;
        }
        if !lines.is_empty() {
            batches.emit(&mut flow, lines, sink)?;
        }
    }
    let (_, mut missing, warnings) = flow.into_parts();
    missing.merge(batches.missing);
    if let Some(msg) = missing.message() {
        warnings.push(msg);
    }
    Ok(())
}

/// Lays a bundle out as one [`Layout`] (see [`layout_bundle_each`]).
pub fn layout_bundle(
    bundle: &PackedBundle,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
) -> Result<Layout> {
    let mut whole: Option<Layout> = None;
    layout_bundle_each(bundle, session, assets, warnings, &mut |batch| {
        match whole.as_mut() {
            None => whole = Some(batch),
            Some(book) => {
                let first = book.pages.len();
                book.outline.extend(batch.outline.into_iter().map(|mut e| {
                    e.page += first;
                    e
                }));
                book.pages.extend(batch.pages);
                book.images.extend(batch.images);
            }
        }
        Ok(())
    })?;
    whole.ok_or_else(|| crate::Error::write("pdf", "the bundle laid out no page"))
}

/// Pagination of a bundle batch by batch: where the book stands.
struct Batches<'f> {
    col: Column,
    fonts: &'f FontSet,
    title: String,
    /// Pages at the front left bare (the cover).
    front: usize,
    /// Pages handed over so far.
    pages: usize,
    /// Images handed over so far.
    images: usize,
    missing: MissingGlyphs,
}

impl Batches<'_> {
    /// Paginates `lines` (which start on a new page), decorates the pages
    /// and hands them, with the images loaded since the last batch, to
    /// `sink`.
    fn emit(
        &mut self,
        flow: &mut blocks::Flow<'_>,
        lines: Vec<VLine>,
        sink: &mut dyn FnMut(Layout) -> Result<()>,
    ) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let (mut pages, outline) = paginate(lines, self.col.size);
        decorate(
            &mut pages,
            &self.title,
            self.col.size,
            self.col.font_size,
            self.fonts,
            &mut self.missing,
            Decoration {
                front: self.front,
                first: self.pages,
            },
        );
        // The pictures go to the writer with the pages that show them.
        let images: Vec<Arc<LoadedImage>> = flow.images[self.images..].to_vec();
        let image_base = self.images;
        self.images = flow.images.len();
        self.pages += pages.len();
        sink(Layout {
            size: self.col.size,
            pages,
            outline,
            images,
            image_base,
            fonts: self.fonts.clone(),
        })
    }
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

/// Where the running header and the page number go.
#[derive(Debug, Clone, Copy)]
struct Furniture {
    /// Their type size.
    small: f32,
    /// Distance of their outer edge from the page edge: at least 6 pt, or
    /// the device may clip them (e-readers show the page edge to edge).
    edge: f32,
}

impl Furniture {
    fn new(size: PageSize, font_size: f32) -> Furniture {
        Furniture {
            small: (font_size * 0.75).max(6.0),
            edge: (size.margin * 0.35).max(6.0),
        }
    }

    /// The margin that keeps the text clear of header and number: their
    /// line (with descenders), the rule, and half a line of air.
    fn margin(&self, size: PageSize) -> f32 {
        let need = self.edge + self.small * 2.0;
        // Never more than a quarter of the page: tiny pages keep some text.
        size.margin.max(need).min(size.height / 4.0)
    }
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
    let after = chain_heights(&lines);
    for i in 0..lines.len() {
        let line = &lines[i];
        let before = if used { line.space_before } else { 0.0 };
        let chain = before + line.height + after[i];
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

/// Where a batch of pages sits in the book.
#[derive(Debug, Clone, Copy)]
struct Decoration {
    /// The first `front` pages of the book (a bundle's cover) stay bare.
    front: usize,
    /// The book's index of the batch's first page.
    first: usize,
}

/// For each line, the height of the lines its `keep_with_next` chain drags
/// along after it (their space above included), summed from the end so
/// long chains (thousands of headings) cost linear time.
fn chain_heights(lines: &[VLine]) -> Vec<f32> {
    let mut after = vec![0.0f32; lines.len()];
    for i in (0..lines.len().saturating_sub(1)).rev() {
        if lines[i].keep_with_next {
            let next = &lines[i + 1];
            after[i] = next.space_before + next.height + after[i + 1];
        }
    }
    after
}

/// Running header (the title, from page 2) and page numbers.
fn decorate(
    pages: &mut [Page],
    title: &str,
    size: PageSize,
    font_size: f32,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
    at: Decoration,
) {
    let front = at.front;
    let Furniture { small, edge } = Furniture::new(size, font_size);
    let para = ParaStyle {
        size: small,
        leading: small,
        indent: 0.0,
        justify: false,
        gray: 0.45,
        center: true,
        autospace: true,
        hang: 0.0,
    };
    let width = size.width - 2.0 * size.margin;
    let header = header_line(title, size.margin, width, para, fonts, missing);
    // The first `front` pages (a bundle's cover) stay bare; the page after
    // them opens with its own title, so the running header starts later.
    for (n, page) in pages.iter_mut().enumerate() {
        let n = n + at.first;
        if n < front {
            continue;
        }
        if n > front {
            // The line box's top a little inside the edge, for ascenders.
            let top = size.height - edge - small * 0.15;
            page.items
                .extend(header.iter().cloned().map(|it| it.into_page(top)));
            let rule = size.height - edge - small * 1.4;
            page.items.push(Item::Line {
                x1: size.margin,
                y1: rule,
                x2: size.width - size.margin,
                y2: rule,
                width: 0.3,
                gray: 0.6,
            });
        }
        let number = Styled {
            text: (n + 1).to_string(),
            spans: vec![(0, InlineStyle::default())],
        };
        for l in text::set_lines(&number, size.margin, width, para, fonts, missing) {
            // Descenders stay above the edge.
            let top = edge + small * 1.2;
            page.items
                .extend(l.items.into_iter().map(|it| it.into_page(top)));
        }
    }
}

/// The title cut to one line with an ellipsis: the longest prefix that
/// fits, found by bisection (a handful of settings, and it always ends,
/// however small the page or large the type); nothing when not even one
/// character and the ellipsis fit.
fn header_line(
    title: &str,
    x: f32,
    width: f32,
    para: ParaStyle,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
) -> Vec<Item> {
    let t: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut one_line = |s: String| {
        let styled = Styled {
            text: s,
            spans: vec![(0, InlineStyle::default())],
        };
        let mut lines = text::set_lines(&styled, x, width, para, fonts, missing);
        (lines.len() <= 1).then(|| lines.pop().map(|l| l.items).unwrap_or_default())
    };
    if let Some(items) = one_line(t.clone()) {
        return items;
    }
    let chars: Vec<char> = t.chars().collect();
    let cut = |k: usize| chars[..k].iter().collect::<String>().trim_end().to_string() + "…";
    // Invariant: a prefix of `lo` chars fits (0 is "nothing"), `hi` does not.
    let (mut lo, mut hi) = (0usize, chars.len());
    let mut best = Vec::new();
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        match one_line(cut(mid)) {
            Some(items) => {
                lo = mid;
                best = items;
            }
            None => hi = mid,
        }
    }
    if lo > 0 && best.is_empty() {
        best = one_line(cut(lo)).unwrap_or_default();
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

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

    /// Issue 9: keep-with-next chains were summed from every line of the
    /// chain (40,000 headings: 24 s); now once, from the end.
    #[test]
    fn keep_with_next_chain_heights_are_summed_once() {
        let mut lines: Vec<VLine> = (0..5).map(|_| line(10.0, true)).collect();
        lines.push(line(10.0, false));
        lines[3].space_before = 2.0;
        assert_eq!(
            chain_heights(&lines),
            vec![52.0, 42.0, 32.0, 20.0, 10.0, 0.0]
        );
        let long: Vec<VLine> = (0..40_000).map(|_| line(10.0, true)).collect();
        let (pages, _) = paginate(long, size());
        assert_eq!(pages.len(), 4_000);
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

    /// Issue 11 Deliver 10: on e-reader pages the running header and the
    /// page number stay at least 6 pt from the edge and clear of the text.
    #[test]
    fn page_furniture_keeps_off_the_edge_on_kindle_pages() {
        let size = page_size("kindle").unwrap();
        let f = Furniture::new(size, 11.0);
        assert!(f.edge >= 6.0);
        assert!(f.margin(size) >= f.edge + f.small * 2.0 - 0.01);
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
