//! One set line turned into text runs, link areas and strike lines.

use super::{justify, Glyph, InlineStyle, ParaStyle, Styled};
use crate::fonts::{FontSet, Role};
use crate::layout::{Item, TextRun};
use crate::text::is_default_ignorable;

/// How a line fills its measure.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fill {
    /// The width justification adds (negative: takes) over the line.
    pub extra: f32,
    /// The line ends inside a word: draw a hyphen after it.
    pub hyphen: bool,
}

/// The text runs (and link, strike decorations) of one line. `glyphs` are
/// the line's characters.
pub(super) fn line_items(
    styled: &Styled,
    glyphs: &[Glyph],
    x0: f32,
    ascent: f32,
    fill: Fill,
    para: ParaStyle,
    fonts: &FontSet,
) -> Vec<Item> {
    let text = &styled.text;
    let spacing = justify::spacing(text, glyphs, fill.extra, para.size);
    let mut items = Vec::new();
    let mut x = x0;
    let mut run: Option<(TextRun, usize, f32)> = None; // run, style index, start x
                                                       // Room of blank glyphs since the last drawn one.
    let mut skipped = 0.0f32;
    for (k, g) in glyphs.iter().enumerate() {
        let c = text[g.pos..].chars().next().unwrap_or(' ');
        if c == '\n' || is_default_ignorable(c) {
            continue;
        }
        let stretch = spacing[k];
        let gap = stretch + if k == 0 { -g.open_half } else { g.adjust };
        if g.blank {
            skipped += gap + g.width;
            continue;
        }
        let gap = gap + std::mem::take(&mut skipped);
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
            let size = para.size * style.scale();
            let rise = match style.script {
                1 => -para.size * 0.33,
                -1 => para.size * 0.15,
                _ => 0.0,
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
                    inserted: false,
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
    x += skipped;
    let hyphen = match &run {
        Some((r, _, _)) if fill.hyphen => Some(hyphen_run(r, x, fonts)),
        _ => None,
    };
    if let Some((r, s, sx)) = run.take() {
        finish_run(r, &styled.spans[s].1, sx, x, ascent, para.size, &mut items);
    }
    items.extend(hyphen.map(Item::Text));
    items
}

/// The hyphen a break inside a word adds after `last`, the line's last
/// run, at `x`: in its face and colour, marked as inserted so that text
/// extraction reads the word whole.
fn hyphen_run(last: &TextRun, x: f32, fonts: &FontSet) -> TextRun {
    let font = if fonts.fonts[last.font].covers('-') {
        last.font
    } else {
        fonts.pick('-', Role::Body).unwrap_or(FontSet::BODY)
    };
    TextRun {
        x,
        font,
        text: "-".into(),
        gaps: Vec::new(),
        inserted: true,
        ..last.clone()
    }
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
