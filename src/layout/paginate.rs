//! Pages from the column: [`paginate`] fills them keeping `keep_with_next`
//! chains together, [`decorate`] adds the running header and page numbers.

use super::text::{self, InlineStyle, ParaStyle, Styled};
use super::{Item, OutlineEntry, Page, PageSize, VLine};
use crate::fonts::{FontSet, MissingGlyphs};

/// Where the running header and the page number go.
#[derive(Debug, Clone, Copy)]
pub(super) struct Furniture {
    /// Their type size.
    pub small: f32,
    /// Distance of their outer edge from the page edge: at least 6 pt on
    /// pocket e-reader pages, or the device may clip them (they show the
    /// page edge to edge), and 13.5 pt on anything wider than 300 pt
    /// (tablets, A5 and up), which may be printed: printers leave 3–4 mm
    /// unprinted, and the header's ascenders reach ~2.5 pt above its box.
    pub edge: f32,
}

impl Furniture {
    pub fn new(size: PageSize, font_size: f32) -> Furniture {
        Furniture {
            small: (font_size * 0.75).max(6.0),
            edge: (size.margin * 0.35).max(if size.width > 300.0 { 13.5 } else { 6.0 }),
        }
    }

    /// The margin that keeps the text clear of header and number: their
    /// line (with descenders), the rule, and half a line of air.
    pub fn margin(&self, size: PageSize) -> f32 {
        let need = self.edge + self.small * 2.0;
        // Never more than a quarter of the page: tiny pages keep some text.
        size.margin.max(need).min(size.height / 4.0)
    }
}

/// Fills pages with `lines`, honouring `keep_with_next` chains that fit on
/// one page.
pub fn paginate(lines: Vec<VLine>, size: PageSize) -> (Vec<Page>, Vec<OutlineEntry>) {
    let mut fill = Filler {
        top: size.height - size.margin,
        room: size.height - 2.0 * size.margin,
        pages: vec![Page::default()],
        outline: Vec::new(),
        cursor: 0.0,
        used: false,
    };
    let room = fill.room;
    let after = chain_heights(&lines);
    for (line, &after) in lines.iter().zip(&after) {
        if line.height <= room + 0.01 {
            fill.place(line, after);
            continue;
        }
        // Taller than a page: cut into pieces, the first filling what is
        // left of this page when that is a fair part of it.
        let left = room - fill.cursor - line.space_before;
        let first = if fill.used && left >= room / 4.0 { left } else { room };
        let pieces = super::slice::slice_tall(line, first, room);
        let n = pieces.len();
        for (k, piece) in pieces.iter().enumerate() {
            fill.place(piece, if k + 1 == n { after } else { 0.0 });
        }
    }
    (fill.pages, fill.outline)
}

/// Pages being filled, top to bottom.
struct Filler {
    /// PDF y of the text's top on a page.
    top: f32,
    /// Height for text on a page.
    room: f32,
    pages: Vec<Page>,
    outline: Vec<OutlineEntry>,
    /// Height used on the last page.
    cursor: f32,
    /// Whether the last page has anything on it.
    used: bool,
}

impl Filler {
    /// Puts `line` on the last page, or on a new one when it (with the
    /// `after` height of its keep-with-next chain, if that fits on any
    /// page) does not fit.
    fn place(&mut self, line: &VLine, after: f32) {
        let room = self.room;
        let before = if self.used { line.space_before } else { 0.0 };
        let chain = before + line.height + after;
        let fits = self.cursor + chain <= room + 0.01;
        let own_fits = self.cursor + before + line.height <= room + 0.01;
        if self.used && (line.page_break || (!fits && chain - before <= room) || !own_fits) {
            self.pages.push(Page::default());
            self.cursor = 0.0;
            self.used = false;
        }
        if self.used {
            self.cursor += line.space_before;
        }
        let line_top = self.top - self.cursor;
        if let Some((level, title)) = &line.anchor {
            self.outline.push(OutlineEntry {
                level: *level,
                title: title.clone(),
                page: self.pages.len() - 1,
                y: line_top,
            });
        }
        if let Some(page) = self.pages.last_mut() {
            page.items
                .extend(line.items.iter().cloned().map(|it| it.into_page(line_top)));
        }
        self.cursor += line.height;
        self.used = true;
    }
}

/// Where a batch of pages sits in the book.
#[derive(Debug, Clone, Copy)]
pub(super) struct Decoration {
    /// The first `front` pages of the book (a bundle's cover) stay bare.
    pub front: usize,
    /// The book's index of the batch's first page.
    pub first: usize,
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

/// Running header (`title`, from the batch's second page; none when it is
/// empty) and page numbers.
pub(super) fn decorate(
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
        hyphenate: None,
        balance: false,
        fit_ragged: false,
    };
    let width = size.width - 2.0 * size.margin;
    let header = header_line(title, size.margin, width, para, fonts, missing);
    // The first `front` pages (a bundle's cover) stay bare.
    for (i, page) in pages.iter_mut().enumerate() {
        let n = i + at.first;
        if n < front {
            continue;
        }
        // A batch's first page opens it with its own title; a section's
        // divider (no header given) has none.
        if i > 0 && !header.is_empty() {
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
    use crate::layout::page_size;

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

    /// Issue 11 Deliver 10: on e-reader pages the running header and the
    /// page number stay at least 6 pt from the edge and clear of the text.
    #[test]
    fn page_furniture_keeps_off_the_edge_on_kindle_pages() {
        let size = page_size("kindle").unwrap();
        let f = Furniture::new(size, 11.0);
        assert!(f.edge >= 6.0);
        assert!(f.margin(size) >= f.edge + f.small * 2.0 - 0.01);
    }

    /// Regression (device profiles): on the remarkable and kobo pages
    /// (wider than 300 pt, 10 and 6 mm margins) the page number sat 6–9 pt
    /// from the edge, inside what a printer leaves blank.
    #[test]
    fn page_furniture_keeps_clear_of_the_printable_edge_of_wider_pages() {
        for name in ["remarkable", "kobo", "a5", "a4"] {
            let size = page_size(name).unwrap();
            let f = Furniture::new(size, 11.0);
            assert!(f.edge >= 13.5, "{name}: {}", f.edge);
            assert!(f.margin(size) >= f.edge + f.small * 2.0 - 0.01, "{name}");
        }
    }
}
