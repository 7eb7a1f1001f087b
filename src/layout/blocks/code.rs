//! Code blocks: mono rows on a grey ground, wrapped rows marked.

use super::*;

impl Flow<'_> {
    pub(super) fn code(&mut self, code: &str, x: f32, width: f32) -> Vec<VLine> {
        let size = self.size * 0.82;
        let pad = size * 0.6;
        let para = ParaStyle {
            leading: size * 1.4,
            justify: false,
            autospace: false,
            ..self.para(size)
        };
        let mut lines = Vec::new();
        for source in code.trim_end_matches(['\n', ' ']).split('\n') {
            lines.extend(self.code_line(source, x + pad, width - 2.0 * pad, para));
        }
        let n = lines.len();
        for (i, l) in lines.iter_mut().enumerate() {
            for it in &mut l.items {
                if let Item::Text(r) = it {
                    r.color = [0.1; 3];
                }
            }
            let (top, bottom) = (
                if i == 0 { pad } else { 0.0 },
                if i + 1 == n { pad } else { 0.0 },
            );
            l.items = std::mem::take(&mut l.items)
                .into_iter()
                .map(|it| it.shifted(0.0, top))
                .collect();
            l.height += top + bottom;
            l.baseline += top;
            l.items.insert(
                0,
                Item::Rect {
                    x,
                    y: 0.0,
                    w: width,
                    h: l.height,
                    gray: 0.94,
                },
            );
        }
        avoid_widows(&mut lines);
        if let Some(first) = lines.first_mut() {
            first.space_before = self.size * 0.6;
        }
        lines
    }

    /// One source line of code: rows that wrap keep the line's indentation
    /// and start with a continuation mark `↪`, so the code's shape stays
    /// readable.
    fn code_line(&mut self, source: &str, x: f32, width: f32, para: ParaStyle) -> Vec<VLine> {
        let style = InlineStyle {
            mono: true,
            ..InlineStyle::default()
        };
        let mut styled = Styled::default();
        styled.push(source, &style, true);
        let lead = source.len() - source.trim_start_matches([' ', '\t']).len();
        let mark_w = self.mono_width("↪ ", para.size);
        // Never let the indentation eat more than half the column.
        let hang = (self.mono_width(&source[..lead], para.size) + mark_w).min(width / 2.0);
        let mut rows = self.set(&styled, x, width, ParaStyle { hang, ..para });
        let mut mark = Styled::default();
        mark.push("↪", &style, true);
        for row in rows.iter_mut().skip(1) {
            let m = self.set(&mark, x + hang - mark_w, mark_w + para.size, para);
            // The mark is conv's, not the code's: text extraction and
            // copying skip it, as they skip an inserted hyphen.
            row.items
                .extend(m.into_iter().flat_map(|l| l.items).map(|mut item| {
                    if let Item::Text(run) = &mut item {
                        run.inserted = true;
                    }
                    item
                }));
        }
        rows
    }

    /// Width of `s` in the mono face at `size`.
    fn mono_width(&self, s: &str, size: f32) -> f32 {
        s.chars()
            .map(|c| {
                self.fonts
                    .pick(c, crate::fonts::Role::Mono)
                    .map_or(0.6, |f| self.fonts.fonts[f].advance(c))
            })
            .sum::<f32>()
            * size
    }
}
