//! A bundle laid out batch by batch: the cover (filling its page), the
//! title page, the printed table of contents, then each section's divider
//! page and each article, handed to the writer as soon as it is set.

mod pages;
mod toc;

use super::paginate::{decorate, paginate, Decoration};
use super::{article_body, blocks, Column, Layout, LoadedImage, Page, PageSize, Placement, VLine};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::fonts::{FontSet, MissingGlyphs};
use crate::model::packed::PackedBundle;
use crate::model::shifted_headings;
use crate::session::Session;
use crate::words::Words;
use pages::one_line;
use std::sync::Arc;

/// Lays a bundle out: its cover (when it has one) filling a page of its
/// own, the title page, a table of contents with page numbers (when the
/// book holds more than one article), then each section opened by a
/// divider page and each article on a new page, with its own title block
/// (title, authors, date, source). Sections are level-1 outline entries
/// and their articles level 2 (level 1 when the bundle is not grouped).
/// The words the bundle adds (the table's heading, the article counts)
/// are in the book's language; the running header names the section and
/// the article.
///
/// The pages are handed to `sink` a batch at a time (the cover, the title
/// page, the table of contents, each divider, each article), page numbers
/// and outline pages counted from the batch's first page, so a writer can
/// write each batch out before the next is laid out. The table of
/// contents comes twice: first held back ([`Placement::Reserve`]), at the
/// end numbered ([`Placement::Fill`]).
pub fn layout_bundle_each(
    bundle: &PackedBundle,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
    sink: &mut dyn FnMut(Layout) -> Result<()>,
) -> Result<()> {
    let fonts = session.fonts()?;
    let col = Column::new(session);
    let mut flow = blocks::Flow::new(fonts, assets, col.font_size, col.height, warnings);
    flow.autospace = !session.opts.no_autospace;
    let words = Words::of(bundle.meta.language.as_deref());
    let title = bundle.meta.title.clone().unwrap_or_default();
    let mut book = Batches {
        col,
        fonts,
        front: 0,
        pages: 0,
        missing: MissingGlyphs::default(),
    };
    let mut front_lines = Vec::new();
    if let Some(src) = bundle
        .meta
        .cover
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        match pages::cover(&mut flow, src, &col) {
            Ok(page) => {
                book.front = 1;
                book.hand_page(&mut flow, page, sink)?;
            }
            // A cover that could not be had leaves its text above the title.
            Err(lines) => front_lines = lines,
        }
    }
    flow.set_language(bundle.meta.language.as_deref());
    front_lines.extend(pages::title_page(&mut flow, &bundle.meta, &col, fonts));
    book.emit(&mut flow, front_lines, &title, Placement::Next, sink)?;
    let toc = toc::Toc {
        heading: words.contents(),
        entries: toc_entries(bundle, words),
        fonts,
        col,
    };
    // One article needs no table.
    let articles = toc.entries.iter().filter(|e| !e.section).count();
    let toc_at = book.pages;
    let reserved = if articles > 1 {
        let lines = toc.lines(&mut flow, None);
        book.emit(&mut flow, lines, toc.heading, Placement::Reserve, sink)?
    } else {
        0
    };
    let numbers = articles_each(bundle, words, &mut flow, &mut book, sink)?;
    if reserved > 0 {
        flow.set_language(bundle.meta.language.as_deref());
        let lines = toc.lines(&mut flow, Some(&numbers));
        let filled = book.emit(&mut flow, lines, toc.heading, Placement::Fill(toc_at), sink)?;
        if filled != reserved {
            let why = format!("the table of contents took {filled} pages, not {reserved}");
            return Err(Error::write("pdf", why));
        }
    }
    let (_, mut missing, warnings) = flow.into_parts();
    missing.merge(book.missing);
    if let Some(msg) = missing.message() {
        warnings.push(msg);
    }
    Ok(())
}

/// The table of contents' entries: each titled section, then its articles.
fn toc_entries(bundle: &PackedBundle, words: Words) -> Vec<toc::Entry> {
    let mut entries = Vec::new();
    for section in &bundle.sections {
        let title = one_line(&section.title);
        if !title.is_empty() {
            entries.push(toc::Entry {
                section: true,
                title,
            });
        }
        for article in &section.articles {
            entries.push(toc::Entry {
                section: false,
                title: article_title(article.meta.title.as_deref(), words),
            });
        }
    }
    entries
}

fn article_title(title: Option<&str>, words: Words) -> String {
    match title.map(one_line).filter(|t| !t.is_empty()) {
        Some(title) => title,
        None => words.untitled().to_string(),
    }
}

/// Lays out every section (its divider page, then its articles) and
/// returns the printed page number each opens on, in the order of the
/// table of contents' entries.
fn articles_each(
    bundle: &PackedBundle,
    words: Words,
    flow: &mut blocks::Flow<'_>,
    book: &mut Batches<'_>,
    sink: &mut dyn FnMut(Layout) -> Result<()>,
) -> Result<Vec<usize>> {
    let (x, width) = (book.col.x, book.col.width);
    let mut numbers = Vec::new();
    for section in &bundle.sections {
        let section_title = one_line(&section.title);
        let titled = !section_title.is_empty();
        if titled {
            flow.set_language(bundle.meta.language.as_deref());
            let count = words.count(section.articles.len());
            let lines = pages::divider(flow, &section_title, &count, &book.col, book.fonts);
            numbers.push(book.pages + 1);
            // A divider page has no running header.
            book.emit(flow, lines, "", Placement::Next, sink)?;
        }
        let level = if titled { 2 } else { 1 };
        for packed in &section.articles {
            // One article unpacked at a time (see `model::packed`).
            let article = packed.unpack()?;
            flow.set_language(article.meta.language.as_deref());
            let title = article_title(article.meta.title.as_deref(), words);
            let mut lines = flow.title_block(&article.meta, x, width);
            let body = shifted_headings(&article.blocks, level);
            lines.extend(article_body(flow, body, x, width));
            if lines.is_empty() {
                // Nothing to show: still a page, which the table names.
                lines.push(VLine::default());
            }
            lines[0].anchor = Some((level, title.clone()));
            lines[0].page_break = true;
            let header = if titled {
                format!("{section_title} · {title}")
            } else {
                title
            };
            numbers.push(book.pages + 1);
            book.emit(flow, lines, &header, Placement::Next, sink)?;
        }
    }
    Ok(numbers)
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
            Some(book) => merge(book, batch),
        }
        Ok(())
    })?;
    let mut whole =
        whole.ok_or_else(|| crate::Error::write("pdf", "the bundle laid out no page"))?;
    whole.placement = Placement::Next;
    Ok(whole)
}

/// Adds `batch` to `book` where its placement says.
fn merge(book: &mut Layout, batch: Layout) {
    book.images.extend(batch.images);
    if let Placement::Fill(at) = batch.placement {
        for (i, page) in batch.pages.into_iter().enumerate() {
            if let Some(slot) = book.pages.get_mut(at + i) {
                *slot = page;
            }
        }
        return;
    }
    let first = book.pages.len();
    book.outline.extend(batch.outline.into_iter().map(|mut e| {
        e.page += first;
        e
    }));
    book.pages.extend(batch.pages);
}

/// Pagination of a bundle batch by batch: where the book stands.
struct Batches<'f> {
    col: Column,
    fonts: &'f FontSet,
    /// Pages at the front left bare (the cover).
    front: usize,
    /// Pages handed over (or reserved) so far.
    pages: usize,
    missing: MissingGlyphs,
}

impl Batches<'_> {
    /// Paginates `lines` (which start on a new page), decorates the pages
    /// (running header `header`, none when empty; page numbers) and hands
    /// them, with the images loaded since the last batch, to `sink`, placed
    /// as `placement` says. Returns how many pages they took.
    fn emit(
        &mut self,
        flow: &mut blocks::Flow<'_>,
        lines: Vec<VLine>,
        header: &str,
        placement: Placement,
        sink: &mut dyn FnMut(Layout) -> Result<()>,
    ) -> Result<usize> {
        if lines.is_empty() {
            return Ok(0);
        }
        // Pagination sees the vertical margins only.
        let column = PageSize {
            margin: self.col.v_margin,
            ..self.col.size
        };
        let (mut pages, outline) = paginate(lines, column);
        let first = match placement {
            Placement::Fill(at) => at,
            Placement::Next | Placement::Reserve => self.pages,
        };
        decorate(
            &mut pages,
            header,
            self.col.size,
            self.col.font_size,
            self.fonts,
            &mut self.missing,
            Decoration {
                front: self.front,
                first,
            },
        );
        let count = pages.len();
        if !matches!(placement, Placement::Fill(_)) {
            self.pages += count;
        }
        self.hand(flow, pages, outline, placement, sink)?;
        Ok(count)
    }

    /// Hands over one page as it is (the cover: no header, no number).
    fn hand_page(
        &mut self,
        flow: &mut blocks::Flow<'_>,
        page: Page,
        sink: &mut dyn FnMut(Layout) -> Result<()>,
    ) -> Result<()> {
        self.pages += 1;
        self.hand(flow, vec![page], Vec::new(), Placement::Next, sink)
    }

    fn hand(
        &mut self,
        flow: &mut blocks::Flow<'_>,
        pages: Vec<Page>,
        outline: Vec<super::OutlineEntry>,
        placement: Placement,
        sink: &mut dyn FnMut(Layout) -> Result<()>,
    ) -> Result<()> {
        // The pictures go to the writer with the pages that show them; held
        // back pages show none yet, so theirs wait for the next batch.
        let image_base = flow.handed;
        let images: Vec<Arc<LoadedImage>> = if placement == Placement::Reserve {
            Vec::new()
        } else {
            // Handed over, not kept: the flow holds no picture it has laid.
            flow.handed += flow.images.len();
            std::mem::take(&mut flow.images)
        };
        sink(Layout {
            size: self.col.size,
            pages,
            outline,
            images,
            image_base,
            fonts: self.fonts.clone(),
            placement,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{page_size, Item};

    fn batch(marks: &[f32], placement: Placement) -> Layout {
        let pages = marks
            .iter()
            .map(|&gray| Page {
                items: vec![Item::Rect {
                    x: 0.0,
                    y: 0.0,
                    w: 1.0,
                    h: 1.0,
                    gray,
                }],
            })
            .collect();
        Layout {
            size: page_size("a4").unwrap(),
            pages,
            outline: Vec::new(),
            images: Vec::new(),
            image_base: 0,
            fonts: crate::fonts::FontSet::from_options(&Default::default()).unwrap(),
            placement,
        }
    }

    /// The table of contents is held back, then drawn into its room: the
    /// book's pages stay in reading order.
    #[test]
    fn filled_pages_replace_their_reservation() {
        let mut book = batch(&[0.1], Placement::Next);
        merge(&mut book, batch(&[0.0, 0.0], Placement::Reserve));
        merge(&mut book, batch(&[0.4], Placement::Next));
        merge(&mut book, batch(&[0.2, 0.3], Placement::Fill(1)));
        let order: Vec<f32> = book
            .pages
            .iter()
            .map(|p| match p.items[0] {
                Item::Rect { gray, .. } => gray,
                _ => -1.0,
            })
            .collect();
        assert_eq!(order, vec![0.1, 0.2, 0.3, 0.4]);
    }
}
