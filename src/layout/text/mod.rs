//! Setting a run of inlines as lines: flattening to styled text, choosing a
//! font per character, breaking and justifying, and emitting text runs.

use super::VLine;
use crate::fonts::{FontSet, MissingGlyphs, Role, Want};
use crate::linebreak::{
    break_balanced, break_ranges, break_total_fit, word_breaks, Extra, Glue, Lang, Line, Measure,
};
use runs::line_items;
use shape::{cjk_spacing, shape};
use std::ops::Range;

mod justify;
mod runs;
mod shape;
mod styled;

pub use shape::{CLOSING_PUNCT, MIDDLE_PUNCT, OPENING_PUNCT};
pub use styled::{InlineStyle, Styled};

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
    /// Hyphenate words in this language where that evens out justified
    /// lines (never in code).
    pub hyphenate: Option<Lang>,
    /// Break into lines as even as possible, preferably after punctuation
    /// or between words (headings and titles).
    pub balance: bool,
    /// Break by total fit, at the same points as justified text (camel
    /// humps and separators of identifiers, hyphens), but set the lines
    /// ragged-right (table cells: "frozenedColumns|Count", not
    /// "frozenedColumnsCou|nt").
    pub fit_ragged: bool,
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
    /// Inline code or a code row: set on its columns, never spaced out.
    mono: bool,
    /// A character no face has: it keeps its room, blank, and is never
    /// drawn (a `.notdef` box, text extraction reading NUL).
    blank: bool,
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
    let lines = if para.balance {
        break_balanced(text, measure, width_of)
    } else if (para.justify || para.fit_ragged) && !para.center {
        let hyphen_width = hyphen_advance(fonts) * para.size;
        let counts = justify::GlueCounts::new(text, &glyphs);
        let glue_in = |r: Range<usize>| counts.of_line(index(r.start), index(r.end));
        justified_breaks(styled, para, measure, width_of, glue_in, hyphen_width)
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
            let fill = para.justify && !line.hard;
            let extra = if !para.center && (fill || line.width > avail) {
                avail - line.width
            } else {
                0.0
            };
            let items = line_items(
                styled,
                &glyphs[index(line.range.start)..index(line.range.end)],
                x0,
                ascent,
                runs::Fill {
                    extra,
                    hyphen: line.hyphen,
                },
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

/// Breaks a justified paragraph by total fit, with hyphenation points
/// (outside code) and break points inside URLs and identifiers.
fn justified_breaks(
    styled: &Styled,
    para: ParaStyle,
    measure: impl Fn(usize) -> f32,
    width_of: impl Fn(Range<usize>) -> f32,
    glue_in: impl Fn(Range<usize>) -> [u32; 3],
    hyphen_width: f32,
) -> Vec<Line> {
    let text = &styled.text;
    let mut extra = Vec::new();
    // Code breaks at its separators and humps, but is never hyphenated.
    let allowed = |pos: usize, kind: Extra| {
        kind != Extra::Hyphen || !styled.spans[styled.style_at(pos)].1.mono
    };
    word_breaks(text, para.hyphenate, allowed, &mut extra);
    let em = para.size;
    // The same glue the line will be justified with (see `justify`):
    // word spaces, gaps beside CJK, and for emergency stretch the
    // boundaries between letters; none inside code.
    let glue_of = |r: Range<usize>| {
        let [s, c, l] = glue_in(r).map(|n| n as f32);
        Glue {
            stretch: (s * justify::SPACE_STRETCH + c * justify::CJK_STRETCH) * em,
            shrink: s * justify::SPACE_SHRINK * em,
            letters: (c + l) * em,
        }
    };
    let m = Measure {
        width_of,
        glue_of,
        hyphen_width,
    };
    break_total_fit(text, &extra, measure, m)
}

/// Advance of the hyphen a break inserts, in em (the Latin face's).
fn hyphen_advance(fonts: &FontSet) -> f32 {
    fonts
        .pick_text('-', Role::Body, Want::default())
        .map_or(0.33, |f| fonts.fonts[f].advance('-'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Item, TextRun};
    use crate::model::Inline;
    use crate::options::Options;

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
            hyphenate: None,
            balance: false,
            fit_ragged: false,
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
            hyphenate: None,
            balance: false,
            fit_ragged: false,
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

    /// 013_juejin's parameter table: set greedily, a cell broke
    /// "frozenedColumnsCou / nt"; ragged total fit breaks at a hump and
    /// leaves the lines unfilled.
    #[test]
    fn table_cells_break_identifiers_at_humps_and_stay_ragged() {
        let p = ParaStyle {
            fit_ragged: true,
            ..para(10.0)
        };
        let lines = runs("frozenedColumnsCount", 70.0, p);
        assert!(lines.len() >= 2, "{lines:?}");
        let second = &lines[1][0].text;
        assert!(second.starts_with(char::is_uppercase), "{lines:?}");
        assert!(
            lines.iter().flatten().all(|r| r.gaps.is_empty()),
            "{lines:?}"
        );
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
}

#[cfg(test)]
mod blank_tests {
    use super::*;
    use crate::layout::{Item, TextRun};
    use crate::model::Inline;
    use crate::options::Options;

    /// Readability's ebb-org page: "ebb ℠ is a service mark" drew ℠, which
    /// no bundled face has, as `.notdef` (extraction read NUL). It keeps
    /// its room and is not drawn.
    #[test]
    fn a_character_no_face_has_keeps_its_room_and_is_not_drawn() {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let set = |text: &str| {
            let styled = Styled::from_inlines(&[Inline::text(text)], &InlineStyle::default());
            let mut missing = MissingGlyphs::default();
            let lines = set_lines(
                &styled,
                0.0,
                400.0,
                ParaStyle {
                    size: 10.0,
                    leading: 16.0,
                    indent: 0.0,
                    justify: false,
                    gray: 0.0,
                    center: false,
                    autospace: true,
                    hang: 0.0,
                    hyphenate: None,
                    balance: false,
                    fit_ragged: false,
                },
                &fonts,
                &mut missing,
            );
            let runs: Vec<TextRun> = lines[0]
                .items
                .iter()
                .filter_map(|it| match it {
                    Item::Text(r) => Some(r.clone()),
                    _ => None,
                })
                .collect();
            (runs, missing.message())
        };
        let (runs, missing) = set("ebb \u{2120} is");
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert!(!text.contains('\u{2120}'), "{text:?}");
        assert!(missing.is_some_and(|m| m.contains('\u{2120}')));
        // The room stays: a gap where the character was, "is" not closed up.
        assert_eq!(text, "ebb  is");
        let room: f32 = runs.iter().flat_map(|r| &r.gaps).map(|g| g.1).sum();
        assert!(room >= 4.0, "{room}");
    }
}
