//! Headings and the title block, set balanced.

use super::*;

impl Flow<'_> {
    /// Sets a heading or title so that its lines come out as even as the
    /// breaks allow: the narrowest measure that needs no more lines than the
    /// full one (bisection; a measure that would cut a word needs more).
    fn set_balanced(&mut self, styled: &Styled, x: f32, width: f32, para: ParaStyle) -> Vec<VLine> {
        let mut probe = MissingGlyphs::default();
        let count = |w: f32, probe: &mut MissingGlyphs| {
            set_lines(styled, x, w, para, self.fonts, probe).len()
        };
        let n = count(width, &mut probe);
        if !(2..=8).contains(&n) {
            return self.set(styled, x, width, para);
        }
        let (mut lo, mut hi) = (width / n as f32 * 0.8, width);
        for _ in 0..10 {
            let mid = (lo + hi) / 2.0;
            if count(mid, &mut probe) <= n {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let off = if para.center { (width - hi) / 2.0 } else { 0.0 };
        self.set(styled, x + off, hi, para)
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
        let styled = Styled::from_inlines(
            content,
            &InlineStyle {
                bold: true,
                ..InlineStyle::default()
            },
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
