//! Inlines flattened to one string with styles by byte position.

use crate::model::Inline;
use crate::words::Words;

/// How a piece of inline text is drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InlineStyle {
    /// Code: mono font chain.
    pub mono: bool,
    /// Code inside running text: set a little smaller, see
    /// [`INLINE_CODE_SCALE`].
    pub inline_code: bool,
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

/// Size of inline code against the text around it: the size of code
/// blocks. DejaVu Sans Mono is a wide face with a tall x-height (0.547 em
/// against the text faces' 0.48; its space is 0.6 em): at full size a
/// `code span` looks a size larger than the words beside it and its
/// spaces open holes in the line. fontspec's `Scale=MatchLowercase` would
/// take 0.88, typst sets raw text at 0.8 em, GitHub at 85 %.
pub const INLINE_CODE_SCALE: f32 = 0.82;

/// Full-width CJK punctuation whose em already holds its white: a source
/// space beside one is dropped ("Drag ，都是" sets as "Drag，都是"). Curly
/// quotes are left out: Latin text uses them too.
const FULL_WIDTH_PUNCT: &str = "，。、；：？！）」』】》〉〕］｝（「『【《〈〔［｛";

impl InlineStyle {
    /// The share of the paragraph's size this style is set at.
    pub fn scale(&self) -> f32 {
        let script = if self.script != 0 { 0.7 } else { 1.0 };
        let code = if self.inline_code {
            INLINE_CODE_SCALE
        } else {
            1.0
        };
        script * code
    }
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
            if c == ' ' && self.text.ends_with(|p| FULL_WIDTH_PUNCT.contains(p)) {
                continue;
            }
            if FULL_WIDTH_PUNCT.contains(c) && self.text.ends_with(' ') {
                self.drop_last_space();
            }
            self.text.push(c);
        }
    }

    /// Removes the text's trailing space; a style that started at it now
    /// starts where it was.
    fn drop_last_space(&mut self) {
        self.text.pop();
        let len = self.text.len();
        for span in &mut self.spans {
            span.0 = span.0.min(len);
        }
        // Of spans now starting at the same place only the last is used.
        let mut i = 0;
        while i + 1 < self.spans.len() {
            if self.spans[i].0 == self.spans[i + 1].0 {
                self.spans.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// Flattens conv's own text (`inlines` without pictures) in `base` style.
    pub fn from_inlines(inlines: &[Inline], base: &InlineStyle) -> Styled {
        Styled::from_content(inlines, base, Words::English)
    }

    /// Flattens an article's `inlines` in `base` style, inline pictures
    /// said in `words` ("[图片]" in a Chinese article).
    pub fn from_content(inlines: &[Inline], base: &InlineStyle, words: Words) -> Styled {
        let mut out = Styled::default();
        out.add_inlines(inlines, base, words);
        let trimmed = out.text.trim_end_matches(' ').len();
        out.text.truncate(trimmed);
        out
    }

    fn add_inlines(&mut self, inlines: &[Inline], style: &InlineStyle, words: Words) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => self.push(text, style, false),
                Inline::Code { code } => {
                    let st = InlineStyle {
                        mono: true,
                        inline_code: true,
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
                    words,
                ),
                Inline::Strong { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        bold: true,
                        ..style.clone()
                    },
                    words,
                ),
                Inline::Strikeout { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        strike: true,
                        ..style.clone()
                    },
                    words,
                ),
                Inline::Superscript { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        script: 1,
                        ..style.clone()
                    },
                    words,
                ),
                Inline::Subscript { content } => self.add_inlines(
                    content,
                    &InlineStyle {
                        script: -1,
                        ..style.clone()
                    },
                    words,
                ),
                Inline::Link { url, content, .. } => self.add_inlines(
                    content,
                    &InlineStyle {
                        // An unsafe target (script, file, data…) draws the
                        // text without a link.
                        link: crate::links::safe_href(url).map(Into::into),
                        ..style.clone()
                    },
                    words,
                ),
                // Inline pictures (emoji, icons) are shown by their text.
                Inline::Image { image } => self.push(&words.inline_picture(image), style, false),
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

    pub(super) fn style_at(&self, pos: usize) -> usize {
        self.spans
            .partition_point(|(start, _)| *start <= pos)
            .saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// 013_juejin on kindle pages: "<code>Drag</code> ，都是" set a word
    /// space before the full-width comma (and its half em of white), a
    /// 0.6 em hole the line's loose-gap figure caught. The space goes, the
    /// comma keeps its own style.
    #[test]
    fn space_beside_full_width_punctuation_is_dropped() {
        let s = Styled::from_inlines(
            &[
                Inline::Code {
                    code: "Drag".into(),
                },
                Inline::text(" ，都是（ 括号 ） 后"),
            ],
            &InlineStyle::default(),
        );
        assert_eq!(s.text, "Drag，都是（括号）后");
        let comma = s.text.find('，').unwrap();
        assert!(!s.spans[s.style_at(comma)].1.mono);
        assert!(s.spans[s.style_at(0)].1.mono);
        let latin =
            Styled::from_inlines(&[Inline::text("He said “yes” .")], &InlineStyle::default());
        assert_eq!(latin.text, "He said “yes” .");
    }

    /// Inline code is set at the size of code blocks, and only inline code.
    #[test]
    fn inline_code_is_set_smaller() {
        let s = Styled::from_inlines(
            &[Inline::Code { code: "x y".into() }],
            &InlineStyle::default(),
        );
        assert_eq!(s.spans[0].1.scale(), INLINE_CODE_SCALE);
        let block = InlineStyle {
            mono: true,
            ..InlineStyle::default()
        };
        assert_eq!(block.scale(), 1.0);
    }
}
