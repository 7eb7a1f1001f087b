//! A bundle laid out batch by batch: cover, title page, then each article
//! (with its section heading) handed to the writer as soon as it is set.

use super::paginate::{decorate, paginate, Decoration};
use super::{article_body, blocks, body_ctx, starting_page, Column, Layout, LoadedImage, VLine};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::fonts::{FontSet, MissingGlyphs};
use crate::model::packed::PackedBundle;
use crate::model::{shifted_headings, Block, Image, Inline};
use crate::session::Session;
use std::sync::Arc;

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
