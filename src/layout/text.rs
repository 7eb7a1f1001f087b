//! Setting a run of inlines as lines: flattening to styled text, choosing a
//! font per character, breaking and justifying, and emitting text runs.

use super::{Item, TextRun, VLine};
use crate::fonts::{FontSet, MissingGlyphs, Role, Want};
use crate::linebreak::{break_ranges, break_total_fit, stretch_points};
use crate::model::Inline;
use crate::text::{is_cjk, is_cjk_letter, is_default_ignorable, is_latin_alnum};

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
    /// A quarter em between CJK and Latin letters or digits.
    pub autospace: bool,
    /// Indent of every line but the first (wrapped code rows).
    pub hang: f32,
}

/// One character placed on a line: where it is in the text, its face and
/// advance, and the space set before it (negative where CJK punctuation is
/// compressed, a quarter em at a CJK–Latin boundary).
struct Glyph {
    pos: usize,
    font: usize,
    width: f32,
    adjust: f32,
    /// An opening bracket drawn full width: at a line start it is pulled
    /// half an em into the margin's side (set half-width, clreq 3.1.6).
    open_half: f32,
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
    let mut glyphs = shape(styled, para.size, fonts, missing);
    cjk_spacing(text, &mut glyphs, para.size, para.autospace);
    // prefix[i] = width of glyphs[..i], the space before each included
    let mut prefix = Vec::with_capacity(glyphs.len() + 1);
    prefix.push(0.0f32);
    for g in &glyphs {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + g.adjust + g.width);
    }
    let index = |pos: usize| glyphs.partition_point(|g| g.pos < pos);
    // A line drops the space before its first glyph and sets an opening
    // bracket there half-width.
    let lead = |i: usize| glyphs.get(i).map_or(0.0, |g| g.adjust - g.open_half);
    let width_of = |r: std::ops::Range<usize>| {
        let (i, j) = (index(r.start), index(r.end));
        if i >= j {
            return 0.0;
        }
        prefix[j] - prefix[i] - lead(i)
    };
    let measure = |n: usize| {
        if n == 0 {
            width - para.indent
        } else {
            width - para.hang
        }
    };
    let lines = if para.justify && !para.center {
        let (spaces, cjk) = glue_points(text);
        let count = |pts: &[usize], r: &std::ops::Range<usize>| {
            pts.partition_point(|&p| p < r.end) - pts.partition_point(|&p| p <= r.start)
        };
        let em = para.size;
        let glue_of = |r: std::ops::Range<usize>| {
            let (s, c) = (count(&spaces, &r) as f32, count(&cjk, &r) as f32);
            (
                s * SPACE_STRETCH * em + c * CJK_STRETCH * em,
                s * SPACE_SHRINK * em,
            )
        };
        break_total_fit(text, measure, width_of, glue_of)
    } else {
        break_ranges(text, measure, width_of)
    };
    let ascent = para.size * 0.88;
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| {
            let indent = if n == 0 { para.indent } else { para.hang };
            let avail = width - indent;
            let mut x0 = x + indent;
            if para.center {
                x0 += ((avail - line.width) / 2.0).max(0.0);
            }
            // Total fit may also shrink a line's word spaces a little.
            let extra = if para.justify && !para.center && (!line.hard || line.width > avail) {
                avail - line.width
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
                fonts,
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

/// Stretch of a word space, in em: a line at its limit has word gaps of
/// about half an em with the Latin face's 0.29 em space (TeX would call
/// looser lines underfull).
const SPACE_STRETCH: f32 = 0.17;
/// Shrink of a word space, in em (down to about 0.19 em, TeX's 2/3).
const SPACE_SHRINK: f32 = 0.1;
/// Stretch between two CJK characters, in em.
const CJK_STRETCH: f32 = 0.12;

/// The stretch points of `text` (see [`stretch_points`]), split into word
/// spaces and CJK inter-character gaps.
fn glue_points(text: &str) -> (Vec<usize>, Vec<usize>) {
    stretch_points(text)
        .into_iter()
        .partition(|&p| text[..p].ends_with(' '))
}

/// Closing CJK punctuation: the glyph sits in the left half of its em.
pub const CLOSING_PUNCT: &str = "，。、；：）」』】》〉〕〗〙〛｝］”’";
/// Full-width marks centred in their em: never the first of a compressed
/// pair, but the second ("」？").
pub const MIDDLE_PUNCT: &str = "？！";
/// Opening CJK punctuation: the glyph sits in the right half of its em.
pub const OPENING_PUNCT: &str = "（「『【《〈〔〖〘〚｛［“‘";

/// CJK spacing between neighbours (clreq 3.1.4, 3.2; JIS X 4051):
/// - of two adjacent full-width punctuation marks whose facing halves are
///   both white (closing then any, opening then opening), the pair loses
///   half an em;
/// - a CJK letter next to a Latin letter or digit, with no space between,
///   gets a quarter em (`autospace`).
///
/// Invisible characters are looked through.
fn cjk_spacing(text: &str, glyphs: &mut [Glyph], size: f32, autospace: bool) {
    // Only marks drawn full width take part (a Latin face's quotes do not).
    let full = |c: char, w: f32| {
        (CLOSING_PUNCT.contains(c) || OPENING_PUNCT.contains(c) || MIDDLE_PUNCT.contains(c))
            && w >= size * 0.9
    };
    let mut prev: Option<(char, f32)> = None;
    for g in glyphs.iter_mut() {
        let c = text[g.pos..].chars().next().unwrap_or(' ');
        if is_default_ignorable(c) {
            continue;
        }
        if OPENING_PUNCT.contains(c) && full(c, g.width) {
            g.open_half = g.width / 2.0;
        }
        if let Some((p, pw)) = prev {
            let facing_white = CLOSING_PUNCT.contains(p)
                || (OPENING_PUNCT.contains(p) && OPENING_PUNCT.contains(c));
            if facing_white && full(p, pw) && full(c, g.width) {
                g.adjust -= pw.min(g.width) / 2.0;
            } else if autospace
                && ((is_cjk_letter(p) && is_latin_alnum(c))
                    || (is_latin_alnum(p) && is_cjk_letter(c)))
            {
                g.adjust += size / 4.0;
            }
        }
        prev = Some((c, g.width));
    }
}

/// Chooses the face of each character and measures it at `size`.
fn shape(styled: &Styled, size: f32, fonts: &FontSet, missing: &mut MissingGlyphs) -> Vec<Glyph> {
    let text = &styled.text;
    let mut out = Vec::with_capacity(text.len());
    let mut prev_cjk = false;
    // Code is set on a grid of mono columns: a wide character (CJK) drawn
    // from another face takes two, the rest of its room goes before the
    // next glyph.
    let column = fonts.fonts[FontSet::MONO].advance('0');
    let mut pending = 0.0f32;
    for (pos, c) in text.char_indices() {
        let style = &styled.spans[styled.style_at(pos)].1;
        let role = if style.mono { Role::Mono } else { Role::Body };
        let scale = if style.script != 0 { 0.7 } else { 1.0 };
        let mut glyph = |font, width| Glyph {
            pos,
            font,
            width,
            adjust: std::mem::take(&mut pending),
            open_half: 0.0,
        };
        if c == '\n' || is_default_ignorable(c) {
            // Never drawn, never a box (variation selectors, ZWJ, BOM…).
            out.push(glyph(FontSet::BODY, 0.0));
            continue;
        }
        let want = Want {
            bold: style.bold,
            italic: style.italic,
            cjk_context: prev_cjk || next_is_cjk(&text[pos + c.len_utf8()..]),
        };
        if c != ' ' {
            prev_cjk = is_cjk(c);
        }
        let font = fonts.pick_text(c, role, want).unwrap_or_else(|| {
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
        let g = glyph(font, adv * size * scale);
        if style.mono && font != FontSet::MONO && column > 0.0 {
            let cols = if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                2.0
            } else {
                1.0
            };
            pending = (cols * column * size * scale - g.width).max(0.0);
        }
        out.push(g);
    }
    out
}

/// True when the next visible character of `rest` is CJK.
fn next_is_cjk(rest: &str) -> bool {
    rest.chars()
        .find(|&c| c != ' ' && !is_default_ignorable(c))
        .is_some_and(is_cjk)
}

/// The text runs (and link, strike decorations) of one line. `glyphs` are
/// the line's characters; `extra` is the space justification spreads over
/// the stretch points.
#[allow(clippy::too_many_arguments)]
fn line_items(
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
            autospace: true,
            hang: 0.0,
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

    fn para(size: f32) -> ParaStyle {
        ParaStyle {
            size,
            leading: size * 1.6,
            indent: 0.0,
            justify: false,
            gray: 0.0,
            center: false,
            autospace: true,
            hang: 0.0,
        }
    }

    /// The runs of the lines of `text` set `width` wide at 10 pt.
    fn runs(text: &str, width: f32, p: ParaStyle) -> Vec<Vec<TextRun>> {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let styled = Styled::from_inlines(&[Inline::text(text)], &InlineStyle::default());
        let mut missing = MissingGlyphs::default();
        set_lines(&styled, 0.0, width, p, &fonts, &mut missing)
            .into_iter()
            .map(|l| {
                l.items
                    .into_iter()
                    .filter_map(|it| match it {
                        Item::Text(r) => Some(r),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    fn gap_before(run: &TextRun, c: char) -> f32 {
        let pos = run.text.find(c).unwrap();
        run.gaps.iter().filter(|g| g.0 == pos).map(|g| g.1).sum()
    }

    /// clreq 3.1.4: of adjacent full-width punctuation the first takes half
    /// an em ("）。", "」，", "。（").
    #[test]
    fn clreq_adjacent_punctuation_is_compressed() {
        let lines = runs("他说）。然后走」，再。（完」？", 400.0, para(10.0));
        let r = &lines[0][0];
        for c in ['。', '，', '（', '？'] {
            assert!((gap_before(r, c) + 5.0).abs() < 0.01, "{c}: {:?}", r.gaps);
        }
    }

    /// clreq 3.1.6: an opening bracket that starts a line is set half-width
    /// (pulled half an em to the margin's side).
    #[test]
    fn clreq_opening_bracket_at_line_start_is_half_width() {
        let lines = runs("「好」", 400.0, para(10.0));
        assert!((lines[0][0].x + 5.0).abs() < 0.01, "{}", lines[0][0].x);
    }

    /// clreq 3.2: a quarter em between CJK and Latin letters or digits
    /// where the source has no space; none with `--no-autospace`.
    #[test]
    fn clreq_quarter_em_between_cjk_and_latin() {
        let lines = runs("中文abc中文", 400.0, para(10.0));
        let first = &lines[0];
        assert_eq!(first.len(), 3, "{first:?}");
        let cjk_end = first[0].x + 20.0;
        assert!((first[1].x - cjk_end - 2.5).abs() < 0.01, "{}", first[1].x);
        let off = runs(
            "中文abc中文",
            400.0,
            ParaStyle {
                autospace: false,
                ..para(10.0)
            },
        );
        assert!((off[0][1].x - 20.0).abs() < 0.01);
    }

    /// Variation selectors, joiners and the BOM are neither drawn nor
    /// measured (they were boxes after ↩).
    #[test]
    fn default_ignorables_take_no_width_and_no_glyph() {
        let lines = runs("a\u{21A9}\u{FE0E}b\u{200D}c\u{FEFF}", 400.0, para(10.0));
        let text: String = lines[0].iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, "a\u{21A9}bc");
    }

    /// Latin text takes the bundled Latin face with real italic, CJK
    /// punctuation stays in the CJK face.
    #[test]
    fn latin_runs_use_the_latin_face() {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let styled = Styled::from_inlines(
            &[
                Inline::text("Word，中"),
                Inline::Emphasis {
                    content: vec![Inline::text("it")],
                },
            ],
            &InlineStyle::default(),
        );
        let mut missing = MissingGlyphs::default();
        let lines = set_lines(&styled, 0.0, 400.0, para(10.0), &fonts, &mut missing);
        let runs: Vec<&TextRun> = lines[0]
            .items
            .iter()
            .filter_map(|it| match it {
                Item::Text(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(runs[0].text, "Word");
        assert!(fonts.fonts[runs[0].font].name.contains("ConvSerif"));
        assert_eq!(runs[1].font, FontSet::BODY);
        let italic = runs.last().unwrap();
        assert!(fonts.fonts[italic.font].name.contains("Italic") && !italic.italic);
    }

    /// Code set on mono columns: a wide character takes two.
    #[test]
    fn wide_characters_in_code_take_two_columns() {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let mut styled = Styled::default();
        let mono = InlineStyle {
            mono: true,
            ..InlineStyle::default()
        };
        styled.push("中ab", &mono, true);
        let mut missing = MissingGlyphs::default();
        let glyphs = shape(&styled, 10.0, &fonts, &mut missing);
        let col = fonts.fonts[FontSet::MONO].advance('0') * 10.0;
        let second = glyphs[0].width + glyphs[1].adjust;
        assert!((second - 2.0 * col).abs() < 0.01, "{second} vs {col}");
    }
}
