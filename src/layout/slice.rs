//! Slicing a line taller than a page (a table row holding a whole article,
//! as layout tables of old pages do) into pieces that fit, cut between
//! lines of text as a browser fragments a box across printed pages. Cell
//! borders and shading are clipped to each piece; text and pictures are
//! never cut.

use super::{Item, VLine};

/// `line` cut into pieces: the first at most `first` high, the others at
/// most `room`; each cut falls where no text or picture crosses it unless
/// one is taller than a whole page.
pub(super) fn slice_tall(line: &VLine, first: f32, room: f32) -> Vec<VLine> {
    let solids = solid_spans(&line.items);
    let mut cuts = vec![0.0f32];
    let mut limit = first;
    while line.height - cuts[cuts.len() - 1] > limit + 0.01 {
        let start = cuts[cuts.len() - 1];
        let cut = cut_before(&solids, start, start + limit);
        cuts.push(cut);
        limit = room;
    }
    cuts.push(line.height);
    let pieces = cuts.len() - 1;
    (0..pieces)
        .map(|k| {
            let (top, bottom) = (cuts[k], cuts[k + 1]);
            VLine {
                height: bottom - top,
                space_before: if k == 0 { line.space_before } else { 0.0 },
                baseline: if k == 0 { line.baseline } else { 0.0 },
                keep_with_next: k + 1 == pieces && line.keep_with_next,
                page_break: k == 0 && line.page_break,
                anchor: if k == 0 { line.anchor.clone() } else { None },
                items: line
                    .items
                    .iter()
                    .filter_map(|it| piece_of(it, top, bottom, k + 1 == pieces))
                    .collect(),
            }
        })
        .collect()
}

/// Vertical extents (top, bottom) of what must not be cut: text (from its
/// ascenders to its descenders) and pictures.
fn solid_spans(items: &[Item]) -> Vec<(f32, f32)> {
    items
        .iter()
        .filter_map(|it| match it {
            Item::Text(r) => Some((r.y - r.size * 0.95, r.y + r.size * 0.3)),
            Item::Image { y, h, .. } => Some((*y, *y + *h)),
            _ => None,
        })
        .collect()
}

/// The lowest cut at or above `limit` (and below `start`) that no solid
/// span crosses; `limit` itself when a span taller than the piece leaves
/// no such place.
fn cut_before(solids: &[(f32, f32)], start: f32, limit: f32) -> f32 {
    let mut cut = limit;
    // Each step moves the cut up to the top of a span it crossed; spans are
    // few per row, and the loop ends when nothing is crossed.
    while let Some(top) = solids
        .iter()
        .filter(|(t, b)| *t < cut - 0.01 && *b > cut + 0.01)
        .map(|(t, _)| *t)
        .reduce(f32::min)
    {
        cut = top;
    }
    if cut <= start + 0.01 {
        limit
    } else {
        cut
    }
}

/// The part of `item` in the piece from `top` to `bottom` of the line,
/// moved to the piece's coordinates. Text and pictures belong to the piece
/// their top is in; boxes and rules are clipped.
fn piece_of(item: &Item, top: f32, bottom: f32, last: bool) -> Option<Item> {
    let inside = |y: f32| y >= top - 0.01 && (y < bottom - 0.01 || last);
    match item {
        Item::Text(r) => inside(r.y - r.size * 0.95).then(|| item.clone().shifted(0.0, -top)),
        Item::Image { y, .. } | Item::Link { y, .. } | Item::GoTo { y, .. } => {
            inside(*y).then(|| item.clone().shifted(0.0, -top))
        }
        Item::Rect { x, y, w, h, gray } => {
            let (y1, y2) = ((*y).max(top), (*y + *h).min(bottom));
            (y2 > y1).then(|| Item::Rect {
                x: *x,
                y: y1 - top,
                w: *w,
                h: y2 - y1,
                gray: *gray,
            })
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            gray,
        } => {
            let (lo, hi) = (y1.min(*y2), y1.max(*y2));
            if hi - lo < 0.01 {
                // A rule across: in the piece it lies in (the row's bottom
                // rule in the last).
                return inside(lo).then(|| item.clone().shifted(0.0, -top));
            }
            let (a, b) = (lo.max(top), hi.min(bottom));
            (b > a).then(|| Item::Line {
                x1: *x1,
                y1: a - top,
                x2: *x2,
                y2: b - top,
                width: *width,
                gray: *gray,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::TextRun;

    fn text_at(y: f32) -> Item {
        Item::Text(TextRun {
            x: 0.0,
            y,
            font: 0,
            size: 10.0,
            text: "cell".into(),
            gaps: Vec::new(),
            bold: false,
            italic: false,
            inserted: false,
            color: [0.0; 3],
        })
    }

    /// A table row 100 lines tall with a border down its side.
    fn tall_row() -> VLine {
        let mut items: Vec<Item> = (0..100).map(|n| text_at(12.0 + 16.0 * n as f32)).collect();
        items.push(Item::Line {
            x1: 0.0,
            y1: 0.0,
            x2: 0.0,
            y2: 1604.0,
            width: 0.4,
            gray: 0.5,
        });
        VLine {
            height: 1604.0,
            space_before: 6.0,
            items,
            ..VLine::default()
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_cut_between_lines_of_text() {
        let row = tall_row();
        let pieces = slice_tall(&row, 200.0, 500.0);
        assert!(pieces[0].height <= 200.0 && pieces[0].space_before == 6.0);
        assert!(pieces[1..].iter().all(|p| p.height <= 500.0 && p.space_before == 0.0));
        let total: f32 = pieces.iter().map(|p| p.height).sum();
        assert!((total - row.height).abs() < 0.01);
        let mut texts = 0;
        for p in &pieces {
            for it in &p.items {
                match it {
                    Item::Text(r) => {
                        texts += 1;
                        // Whole inside its piece: from ascenders to descenders.
                        assert!(r.y - 9.5 >= -0.01 && r.y + 3.0 <= p.height + 0.01, "{}", r.y);
                    }
                    Item::Line { y1, y2, .. } => {
                        assert!(*y1 >= 0.0 && *y2 <= p.height + 0.01);
                    }
                    _ => {}
                }
            }
        }
        assert_eq!(texts, 100, "every line of text is drawn once");
    }

    #[test]
    fn a_picture_taller_than_the_room_is_cut_where_it_must_be() {
        let row = VLine {
            height: 900.0,
            items: vec![Item::Image {
                x: 0.0,
                y: 0.0,
                w: 10.0,
                h: 900.0,
                image: 0,
            }],
            ..VLine::default()
        };
        let pieces = slice_tall(&row, 500.0, 500.0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0].height, 500.0);
    }
}
