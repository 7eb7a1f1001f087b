//! Inlines flattened to one string with styles by byte position.

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
}
