//! One set line turned into text runs, link areas and strike lines.

use super::{Glyph, InlineStyle, ParaStyle, Styled};
use crate::fonts::FontSet;
use crate::layout::{Item, TextRun};
use crate::linebreak::stretch_points;
use crate::text::is_default_ignorable;

/// The text runs (and link, strike decorations) of one line. `glyphs` are
/// the line's characters; `extra` is the space justification spreads over
/// the stretch points.
#[allow(clippy::too_many_arguments)]
pub(super) fn line_items(
    styled: &Styled,
    glyphs: &[Glyph],
    range: std::ops::Range<usize>,
    x0: f32,
    ascent: f32,
    extra: f32,
    para: ParaStyle,
    fonts: &FontSet,
) -> Vec<Item> {
    let text = &styled.text;
    let mut points: Vec<usize> = stretch_points(&text[range.clone()])
        .into_iter()
        .map(|p| p + range.start)
        .collect();
    // Too few stretch points for the gap (a long unbreakable word left a
    // hole): gaps over 3/4 em look worse than a ragged line, so stay ragged.
    let mut per = if points.is_empty() || extra / (points.len() as f32) > para.size * 0.75 {
        0.0
    } else {
        extra / points.len() as f32
    };
    // A cut URL or identifier has no spaces: letter-space it to the measure
    // when that stays light (≤ 0.15 em a character).
    if per == 0.0 && extra > 0.0 && glyphs.len() > 1 {
        let all: Vec<usize> = glyphs.iter().skip(1).map(|g| g.pos).collect();
        if extra / (all.len() as f32) <= para.size * 0.15 {
            per = extra / all.len() as f32;
            points = all;
        }
    }
    let mut items = Vec::new();
    let mut x = x0;
    let mut run: Option<(TextRun, usize, f32)> = None; // run, style index, start x
    for (k, g) in glyphs.iter().enumerate() {
        let c = text[g.pos..].chars().next().unwrap_or(' ');
        if c == '\n' || is_default_ignorable(c) {
            continue;
        }
        let stretch = if per != 0.0 && points.binary_search(&g.pos).is_ok() {
            per
        } else {
            0.0
        };
        let gap = stretch + if k == 0 { -g.open_half } else { g.adjust };
        let si = styled.style_at(g.pos);
        let same = run
            .as_ref()
            .is_some_and(|(r, s, _)| *s == si && r.font == g.font);
        if same {
            if let Some((r, _, _)) = run.as_mut() {
                if gap != 0.0 {
                    r.gaps.push((r.text.len(), gap));
                }
            }
            x += gap;
        } else {
            x += gap;
            if let Some((r, s, sx)) = run.take() {
                finish_run(
                    r,
                    &styled.spans[s].1,
                    sx,
                    x - gap,
                    ascent,
                    para.size,
                    &mut items,
                );
            }
            let style = &styled.spans[si].1;
            let (size, rise) = match style.script {
                1 => (para.size * 0.7, -para.size * 0.33),
                -1 => (para.size * 0.7, para.size * 0.15),
                _ => (para.size, 0.0),
            };
            let (bold, italic) = fonts.synthetic(g.font, style.bold, style.italic);
            run = Some((
                TextRun {
                    x,
                    y: ascent + rise,
                    font: g.font,
                    size,
                    text: String::new(),
                    gaps: Vec::new(),
                    bold,
                    italic,
                    color: if style.link.is_some() {
                        [0.05, 0.25, 0.65]
                    } else if style.mono {
                        [0.55, 0.1, 0.3]
                    } else {
                        [para.gray; 3]
                    },
                },
                si,
                x,
            ));
        }
        if let Some((r, _, _)) = run.as_mut() {
            r.text.push(c);
        }
        x += g.width;
    }
    if let Some((r, s, sx)) = run.take() {
        finish_run(r, &styled.spans[s].1, sx, x, ascent, para.size, &mut items);
    }
    items
}

fn finish_run(
    run: TextRun,
    style: &InlineStyle,
    x_start: f32,
    x_end: f32,
    ascent: f32,
    size: f32,
    items: &mut Vec<Item>,
) {
    if run.text.trim().is_empty() && style.link.is_none() {
        return;
    }
    if style.strike {
        items.push(Item::Line {
            x1: x_start,
            y1: ascent - size * 0.3,
            x2: x_end,
            y2: ascent - size * 0.3,
            width: size * 0.06,
            gray: 0.2,
        });
    }
    if let Some(url) = &style.link {
        items.push(Item::Link {
            x: x_start,
            y: ascent - size,
            w: x_end - x_start,
            h: size * 1.25,
            url: url.clone(),
        });
    }
    items.push(Item::Text(run));
}
