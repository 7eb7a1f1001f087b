//! The pages a bundle adds around its articles: the cover, filling the
//! page edge to edge; the title page; a divider page opening each section.

use super::super::text::{set_lines, InlineStyle, ParaStyle, Styled};
use super::super::{blocks::Flow, body_ctx, Column, Item, Page, PageSize, VLine};
use crate::fonts::FontSet;
use crate::model::{Block, Image, Inline, Metadata};

/// How much of a cover may be cut off, as a share of its width or height,
/// so that it fills the page (the drawn 3:4 cover loses 6 % of its width
/// on A4); a picture whose shape is further from the page's is shown
/// whole, centred on a grey page.
const MAX_CROP: f32 = 0.15;

/// The cover as a page of its own, filling it; `Err` with what the column
/// says instead when the picture cannot be had.
pub(super) fn cover(flow: &mut Flow<'_>, src: &str, col: &Column) -> Result<Page, Vec<VLine>> {
    let figure = Block::Figure {
        image: Image {
            src: src.to_string(),
            alt: String::new(),
            title: None,
        },
        caption: Vec::new(),
    };
    let lines = flow.blocks(&[figure], col.x, col.width, body_ctx());
    let placed = lines.iter().flat_map(|l| &l.items).find_map(|it| match it {
        Item::Image { w, h, image, .. } if *w > 0.0 && *h > 0.0 => Some((*w, *h, *image)),
        _ => None,
    });
    match placed {
        Some((w, h, image)) => Ok(Page {
            items: full_bleed(w, h, image, col.size),
        }),
        None => Err(lines),
    }
}

/// A picture of `w`×`h` (any unit: only its shape counts) scaled to cover
/// the page and centred, the overflow cut by the page's edges; shown whole
/// on a grey page when covering would cut more than [`MAX_CROP`].
fn full_bleed(w: f32, h: f32, image: usize, page: PageSize) -> Vec<Item> {
    let covering = (page.width / w).max(page.height / h);
    let cut = 1.0 - (page.width / (w * covering)).min(page.height / (h * covering));
    let mut items = Vec::new();
    let scale = if cut <= MAX_CROP {
        covering
    } else {
        items.push(Item::Rect {
            x: 0.0,
            y: 0.0,
            w: page.width,
            h: page.height,
            gray: 0.92,
        });
        (page.width / w).min(page.height / h)
    };
    let (w, h) = (w * scale, h * scale);
    items.push(Item::Image {
        x: (page.width - w) / 2.0,
        y: (page.height - h) / 2.0,
        w,
        h,
        image,
    });
    items
}

/// Empty room at the top of a page of its own (title page, divider).
fn opening_space(height: f32) -> VLine {
    VLine {
        height,
        page_break: true,
        keep_with_next: true,
        ..VLine::default()
    }
}

/// A centred line (or lines) of small grey text.
fn centred_note(text: &str, col: &Column, fonts: &FontSet, flow: &mut Flow<'_>) -> Vec<VLine> {
    let size = col.font_size * 0.9;
    let para = ParaStyle {
        size,
        leading: size * 1.5,
        indent: 0.0,
        justify: false,
        gray: 0.35,
        center: true,
        autospace: flow.autospace,
        hang: 0.0,
        hyphenate: None,
        balance: false,
        fit_ragged: false,
    };
    let styled = Styled::from_inlines(&[Inline::text(text)], &InlineStyle::default());
    let mut lines = set_lines(&styled, col.x, col.width, para, fonts, &mut flow.missing);
    if let Some(first) = lines.first_mut() {
        first.space_before = size * 0.8;
    }
    lines
}

/// The title page: the book's title and its sources (the author line),
/// then the date range and the article count, a fifth of the way down.
pub(super) fn title_page(
    flow: &mut Flow<'_>,
    meta: &Metadata,
    col: &Column,
    fonts: &FontSet,
) -> Vec<VLine> {
    // The bundle's own date and source would say again, less well, what
    // its description says.
    let shown = Metadata {
        title: meta.title.clone(),
        authors: meta.authors.clone(),
        language: meta.language.clone(),
        ..Metadata::default()
    };
    let mut lines = vec![opening_space(col.height * 0.2)];
    lines.extend(flow.title_block(&shown, col.x, col.width));
    if let Some(description) = meta.description.as_deref().filter(|d| !d.is_empty()) {
        lines.extend(centred_note(description, col, fonts, flow));
    }
    lines
}

/// A section's divider page: its title, large and centred a third of the
/// way down (the outline's level-1 entry), and how many articles follow.
pub(super) fn divider(
    flow: &mut Flow<'_>,
    title: &str,
    count: &str,
    col: &Column,
    fonts: &FontSet,
) -> Vec<VLine> {
    let size = col.font_size * 2.0;
    let para = ParaStyle {
        size,
        leading: size * 1.3,
        indent: 0.0,
        justify: false,
        gray: 0.0,
        center: true,
        autospace: flow.autospace,
        hang: 0.0,
        hyphenate: None,
        balance: true,
        fit_ragged: false,
    };
    let bold = InlineStyle {
        bold: true,
        ..InlineStyle::default()
    };
    let styled = Styled::from_inlines(&[Inline::text(title)], &bold);
    let mut heading = set_lines(&styled, col.x, col.width, para, fonts, &mut flow.missing);
    let n = heading.len();
    for (i, line) in heading.iter_mut().enumerate() {
        line.keep_with_next = i + 1 < n;
    }
    if let Some(first) = heading.first_mut() {
        first.anchor = Some((1, one_line(title)));
    }
    let mut lines = vec![opening_space(col.height * 0.3)];
    lines.extend(heading);
    lines.extend(centred_note(count, col, fonts, flow));
    lines
}

/// `text` with its runs of white space made single spaces.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4() -> PageSize {
        crate::layout::page_size("a4").unwrap()
    }

    fn image_rect(items: &[Item]) -> (f32, f32, f32, f32) {
        items
            .iter()
            .find_map(|it| match it {
                Item::Image { x, y, w, h, .. } => Some((*x, *y, *w, *h)),
                _ => None,
            })
            .unwrap()
    }

    /// Issue 13: the PDF cover left a white strip at the foot of the page.
    #[test]
    fn a_three_by_four_cover_fills_an_a4_page() {
        let page = a4();
        let items = full_bleed(900.0, 1200.0, 0, page);
        assert_eq!(items.len(), 1, "no background: the picture covers it");
        let (x, y, w, h) = image_rect(&items);
        assert!(x <= 0.0 && y <= 0.0, "{x} {y}");
        assert!(x + w >= page.width - 0.01 && y + h >= page.height - 0.01);
        // Centred: as much cut on the left as on the right.
        assert!((x + (x + w - page.width)).abs() < 0.01);
    }

    #[test]
    fn a_wide_picture_is_shown_whole_on_a_grey_page() {
        let page = a4();
        let items = full_bleed(1600.0, 900.0, 0, page);
        assert!(matches!(items[0], Item::Rect { .. }));
        let (x, _, w, h) = image_rect(&items);
        assert!((x - 0.0).abs() < 0.01 && (w - page.width).abs() < 0.01);
        assert!(h < page.height);
    }
}
