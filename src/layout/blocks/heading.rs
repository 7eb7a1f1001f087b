//! Headings and the title block, set balanced.

use super::*;

impl Flow<'_> {
    /// Sets a heading or title in the fewest lines, as even as the
    /// breaks allow, broken preferably after punctuation or between words
    /// (see [`crate::linebreak::break_balanced`]).
    fn set_balanced(&mut self, styled: &Styled, x: f32, width: f32, para: ParaStyle) -> Vec<VLine> {
        let para = ParaStyle {
            balance: true,
            ..para
        };
        self.set(styled, x, width, para)
    }

    /// Title, authors, date and source, centred, then a rule.
    pub fn title_block(&mut self, meta: &Metadata, x: f32, width: f32) -> Vec<VLine> {
        let mut out = Vec::new();
        let plain = InlineStyle::default();
        if let Some(title) = meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
            let size = self.size * 1.7;
            let para = ParaStyle {
                leading: size * 1.35,
                justify: false,
                center: true,
                ..self.para(size)
            };
            let styled = Styled::from_inlines(
                &[Inline::text(title)],
                &InlineStyle {
                    bold: true,
                    ..plain.clone()
                },
            );
            let mut lines = self.set_balanced(&styled, x, width, para);
            keep_together(&mut lines);
            out.extend(lines);
        }
        let byline = crate::text::byline(meta).unwrap_or_default();
        let small = self.size * 0.85;
        let meta_para = ParaStyle {
            justify: false,
            center: true,
            gray: 0.35,
            leading: small * 1.5,
            ..self.para(small)
        };
        if !byline.is_empty() {
            let styled = Styled::from_inlines(&[Inline::text(byline)], &plain);
            out.extend(self.set(&styled, x, width, meta_para));
        }
        if let Some(url) = &meta.source_url {
            let styled = Styled::from_inlines(
                &[Inline::Link {
                    url: url.clone(),
                    title: None,
                    content: vec![Inline::text(url)],
                }],
                &plain,
            );
            out.extend(self.set(&styled, x, width, meta_para));
        }
        if !out.is_empty() {
            let mut rule = self.rule(x, width);
            rule.space_before = self.size * 0.3;
            out.push(rule);
        }
        out
    }

    pub fn heading(&mut self, level: u8, content: &[Inline], x: f32, width: f32) -> Vec<VLine> {
        let scale = match level {
            1 => 1.45,
            2 => 1.3,
            3 => 1.15,
            4 => 1.05,
            _ => 1.0,
        };
        let size = self.size * scale;
        let styled = Styled::from_content(
            content,
            &InlineStyle {
                bold: true,
                ..InlineStyle::default()
            },
            self.words,
        );
        if styled.text.trim().is_empty() {
            return Vec::new();
        }
        let para = ParaStyle {
            leading: size * 1.4,
            justify: false,
            ..self.para(size)
        };
        let mut lines = self.set_balanced(&styled, x, width, para);
        for l in &mut lines {
            l.keep_with_next = true;
        }
        if let Some(first) = lines.first_mut() {
            first.space_before = size * 1.0;
            first.anchor = Some((
                level.clamp(1, 6),
                inline_text(content)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            ));
        }
        lines
    }
}
