//! Setting a run of inlines as lines: flattening to styled text, choosing a
//! font per character, breaking and justifying, and emitting text runs.

use super::{Item, TextRun, VLine};
use crate::fonts::{FontSet, MissingGlyphs, Role};
use crate::linebreak::{break_ranges, stretch_points};
use crate::model::Inline;

/// How a piece of inline text is drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InlineStyle {
    /// Code: mono font chain.
    pub mono: bool,
    /// Strong: drawn with a thin outline (the bundled font has one weight).
    pub bold: bool,
    /// Emphasis: slanted.
    pub italic: bool,
    /// Struck out.
    pub strike: bool,
    /// +1 superscript, -1 subscript.
    pub script: i8,
    /// Link target, already checked by [`crate::links::safe_href`]; shared,
    /// not copied, by the runs and link areas of every line it spans.
    pub link: Option<std::sync::Arc<str>>,
}

/// Text with styles by byte position.
#[derive(Debug, Default)]
pub struct Styled {
    /// The text; a forced line break is `\n`.
    pub text: String,
    /// (start byte, style) in order; each style lasts until the next start.
    pub spans: Vec<(usize, InlineStyle)>,
}

impl Styled {
    /// Appends `s` in `style`, with whitespace folded to single spaces
    /// unless `verbatim`.
    pub fn push(&mut self, s: &str, style: &InlineStyle, verbatim: bool) {
        if self.spans.last().map(|(_, st)| st) != Some(style) {
            self.spans.push((self.text.len(), style.clone()));
        }
        if verbatim {
            self.text
                .extend(s.chars().map(|c| if c == '\t' { ' ' } else { c }));
            return;
        }
        for c in s.chars() {
            let c = if c.is_whitespace() && c != '\u{3000}' {
                ' '
            } else {
                c
            };
            if c == ' ' && (self.text.is_empty() || self.text.ends_with([' ', '\n'])) {
                continue;
            }
            self.text.push(c);
        }
    }

    /// Flattens `inlines` in `base` style.
    pub fn from_inlines(inlines: &[Inline], base: &InlineStyle) -> Styled {
        let mut out = Styled::default();
        out.add_inlines(inlines, base);
        let trimmed = out.text.trim_end_matches(' ').len();
        out.text.truncate(trimmed);
        out
    }

    fn add_inlines(&mut self, inlines: &[Inline], style: &InlineStyle) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.push(text, style, false),
                Inline::Code { code } => {
                    let st = InlineStyle {
                        mono: true,
                        ..style.clone()
                    };
                    self.push(code, &st, false)
                }
                Inline::Emphasis { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        italic: true,
                        ..style.clone()
                    },
                ),
                Inline::Strong { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        bold: true,
                        ..style.clone()
                    },
                ),
                Inline::Strikeout { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        strike: true,
                        ..style.clone()
                    },
                ),
                Inline::Superscript { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        script: 1,
                        ..style.clone()
                    },
                ),
                Inline::Subscript { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        script: -1,
                        ..style.clone()
                    },
                ),
                Inline::Link { url, content, .. } => self.add_inlines(
                    content,
                    &InlineStyle {
                        // An unsafe target (script, file, data…) draws the
                        // text without a link.
                        link: crate::links::safe_href(url).map(Into::into),
                        ..style.clone()
                    },
                ),
                // Inline pictures (emoji, icons) are shown by their text.
                Inline::Image { image } => self.push(&image.as_text(), style, false),
                Inline::LineBreak => {
                    let trimmed = self.text.trim_end_matches(' ').len();
                    self.text.truncate(trimmed);
                    self.text.push('\n');
                }
            }
        }
    }

    /// Drops leading spaces (ideographic ones too), keeping styles aligned.
    pub fn trim_start(&mut self) {
        let cut = self.text.len() - self.text.trim_start_matches([' ', '\u{3000}']).len();
        if cut == 0 {
            return;
        }
        self.text.drain(..cut);
        let mut spans: Vec<(usize, InlineStyle)> = Vec::new();
        for (start, style) in self.spans.drain(..) {
            let start = start.saturating_sub(cut);
            if spans.last().is_some_and(|(s, _)| *s == start) {
                spans.pop();
            }
            spans.push((start, style));
        }
        self.spans = spans;
    }

    fn style_at(&self, pos: usize) -> usize {
        self.spans
            .partition_point(|(start, _)| *start <= pos)
            .saturating_sub(1)
    }
}

/// Paragraph settings.
#[derive(Debug, Clone, Copy)]
pub struct ParaStyle {
    /// Font size in points.
    pub size: f32,
    /// Baseline-to-baseline distance, in points.
    pub leading: f32,
    /// First-line indent in points.
    pub indent: f32,
    /// Justify all lines but the last.
    pub justify: bool,
    /// Grey level of the text (0 black).
    pub gray: f32,
    /// Centre lines instead.
    pub center: bool,
}

/// One character placed on a line: where it is in the text, its face and
/// advance.
struct Glyph {
    pos: usize,
    font: usize,
    width: f32,
}

/// Sets `styled` into lines `width` wide starting at `x`.
pub fn set_lines(
    styled: &Styled,
    x: f32,
    width: f32,
    para: ParaStyle,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
) -> Vec<VLine> {
    let text = &styled.text;
    if text.is_empty() {
        return Vec::new();
    }
    let glyphs = shape(styled, para.size, fonts, missing);
    // prefix[i] = width of glyphs[..i]
    let mut prefix = Vec::with_capacity(glyphs.len() + 1);
    prefix.push(0.0f32);
    for g in &glyphs {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + g.width);
    }
    let index = |pos: usize| glyphs.partition_point(|g| g.pos < pos);
    let width_of = |r: std::ops::Range<usize>| prefix[index(r.end)] - prefix[index(r.start)];
    let lines = break_ranges(
        text,
        |n| if n == 0 { width - para.indent } else { width },
        width_of,
    );
    let ascent = para.size * 0.88;
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let indent = if n == 0 { para.indent } else { 0.0 };
            let avail = width - indent;
            let mut x0 = x + indent;
            if para.center {
                x0 += ((avail - line.width) / 2.0).max(0.0);
            }
            let extra = if para.justify && !line.hard && !para.center {
                (avail - line.width).max(0.0)
            } else {
                0.0
            };
            let items = line_items(
                styled,
                &glyphs[index(line.range.start)..index(line.range.end)],
                line.range.clone(),
                x0,
                ascent,
                extra,
                para,
            );
            VLine {
                height: para.leading,
                baseline: ascent + (para.leading - para.size) / 2.0,
                items: items
                    .into_iter()
                    .map(|it| it.shifted(0.0, (para.leading - para.size) / 2.0))
                    .collect(),
                ..VLine::default()
            }
        })
        .collect()
}

/// Chooses the face of each character and measures it at `size`.
fn shape(styled: &Styled, size: f32, fonts: &FontSet, missing: &mut MissingGlyphs) -> Vec<Glyph> {
    let mut out = Vec::with_capacity(styled.text.len());
    for (pos, c) in styled.text.char_indices() {
        let style = &styled.spans[styled.style_at(pos)].1;
        let role = if style.mono { Role::Mono } else { Role::Body };
        let scale = if style.script != 0 { 0.7 } else { 1.0 };
        if c == '\n' {
            out.push(Glyph {
                pos,
                font: FontSet::BODY,
                width: 0.0,
            });
            continue;
        }
        let font = fonts.pick(c, role).unwrap_or_else(|| {
            if !c.is_control() {
                missing.add(c);
            }
            FontSet::BODY
        });
        let face = &fonts.fonts[font];
        let adv = if face.covers(c) {
            face.advance(c)
        } else {
            face.advance('\u{25A1}').max(0.5)
        };
        out.push(Glyph {
            pos,
            font,
            width: adv * size * scale,
        });
    }
    out
}

/// The text runs (and link, strike decorations) of one line. `glyphs` are
/// the line's characters; `extra` is the space justification spreads over
/// the stretch points.
fn line_items(
    styled: &Styled,
    glyphs: &[Glyph],
    range: std::ops::Range<usize>,
    x0: f32,
    ascent: f32,
    extra: f32,
    para: ParaStyle,
) -> Vec<Item> {
    let text = &styled.text;
    let points: Vec<usize> = stretch_points(&text[range.clone()])
        .into_iter()
        .map(|p| p + range.start)
        .collect();
    // Too few stretch points for the gap (a long unbreakable word left a
    // hole): gaps over 3/4 em look worse than a ragged line, so stay ragged.
    let per = if points.is_empty() || extra / (points.len() as f32) > para.size * 0.75 {
        0.0
    } else {
        extra / points.len() as f32
    };
    let mut items = Vec::new();
    let mut x = x0;
    let mut run: Option<(TextRun, usize, f32)> = None; // run, style index, start x
    for g in glyphs {
        let c = text[g.pos..].chars().next().unwrap_or(' ');
        if c == '\n' {
            continue;
        }
        let gap = if per > 0.0 && points.binary_search(&g.pos).is_ok() {
            per
        } else {
            0.0
        };
        let si = styled.style_at(g.pos);
        let same = run
            .as_ref()
            .is_some_and(|(r, s, _)| *s == si && r.font == g.font);
        if same {
            if let Some((r, _, _)) = run.as_mut() {
                if gap > 0.0 {
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
            run = Some((
                TextRun {
                    x,
                    y: ascent + rise,
                    font: g.font,
                    size,
                    text: String::new(),
                    gaps: Vec::new(),
                    bold: style.bold,
                    italic: style.italic,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;

    #[test]
    fn whitespace_folds_and_styles_split() {
        let s = Styled::from_inlines(
            &[
                Inline::text("a  b\n c "),
                Inline::Strong {
                    content: vec![Inline::text("d")],
                },
                Inline::LineBreak,
                Inline::text("e "),
            ],
            &InlineStyle::default(),
        );
        assert_eq!(s.text, "a b c d\ne");
        let mut s2 = Styled::from_inlines(
            &[Inline::text("\u{3000}\u{3000}正文")],
            &InlineStyle::default(),
        );
        s2.trim_start();
        assert_eq!(s2.text, "正文");
        assert_eq!(s2.spans[0].0, 0);
        assert_eq!(s.spans.len(), 3);
        assert!(s.spans[1].1.bold);
    }

    #[test]
    fn justified_lines_fill_the_width_and_stay_inside() {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let styled = Styled::from_inlines(
            &[Inline::text(
                "这是一个用来测试两端对齐的段落，它应该被分成好几行，每一行都正好填满宽度。",
            )],
            &InlineStyle::default(),
        );
        let para = ParaStyle {
            size: 10.0,
            leading: 16.0,
            indent: 20.0,
            justify: true,
            gray: 0.0,
            center: false,
        };
        let mut missing = MissingGlyphs::default();
        let lines = set_lines(&styled, 0.0, 105.0, para, &fonts, &mut missing);
        assert!(lines.len() >= 3);
        for l in &lines {
            for it in &l.items {
                if let Item::Text(r) = it {
                    let first = r.text.chars().next().unwrap();
                    assert!(!"，。".contains(first) || r.x > 0.0);
                    let w: f32 = r.text.chars().count() as f32 * 10.0
                        + r.gaps.iter().map(|g| g.1).sum::<f32>();
                    assert!(r.x + w <= 105.5, "{} + {w}", r.x);
                }
            }
        }
        assert!(missing.message().is_none());
    }
}
