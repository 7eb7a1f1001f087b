//! Blocks → a column of [`VLine`]s: one function per block kind.

use super::text::{set_lines, InlineStyle, ParaStyle, Styled};
use super::{load_image, Item, LoadedImage, VLine};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::fonts::{FontSet, MissingGlyphs};
use crate::model::{inline_text, Block, Cell, Inline, Metadata, Table};
use std::sync::Arc;

/// Where a run of blocks sits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    /// Nesting depth of lists (for bullet shapes).
    pub depth: usize,
    /// Paragraphs may get a first-line indent (not in lists or cells).
    pub indent: bool,
}

/// State of setting one document.
pub(super) struct Flow<'a> {
    fonts: &'a FontSet,
    assets: &'a Assets,
    size: f32,
    room: f32,
    warnings: &'a mut Warnings,
    /// Images placed so far.
    pub images: Vec<Arc<LoadedImage>>,
    /// Characters no font had.
    pub missing: MissingGlyphs,
    /// Paragraphs of the current document open with a 2 em indent (the
    /// document's language decides, see [`crate::text::indents_paragraphs`]).
    indent_paras: bool,
    /// Deep nesting already reported (once per document is enough).
    too_deep: bool,
    /// A quarter em between CJK and Latin letters (off by `--no-autospace`).
    pub autospace: bool,
}

/// The narrowest column nesting may leave, in ems: deeper quotes and lists
/// stop indenting so their text never vanishes.
const MIN_COLUMN_EMS: f32 = 8.0;

impl<'a> Flow<'a> {
    pub fn new(
        fonts: &'a FontSet,
        assets: &'a Assets,
        size: f32,
        room: f32,
        warnings: &'a mut Warnings,
    ) -> Self {
        Flow {
            fonts,
            assets,
            size,
            room,
            warnings,
            images: Vec::new(),
            missing: MissingGlyphs::default(),
            indent_paras: false,
            too_deep: false,
            autospace: true,
        }
    }

    /// Sets the language of the document whose blocks follow.
    pub fn set_language(&mut self, lang: Option<&str>) {
        self.indent_paras = crate::text::indents_paragraphs(lang);
    }

    /// What setting produced besides lines: the images to embed, the
    /// characters no font had, and the warnings sink back.
    pub fn into_parts(self) -> (Vec<Arc<LoadedImage>>, MissingGlyphs, &'a mut Warnings) {
        (self.images, self.missing, self.warnings)
    }

    fn para(&self, size: f32) -> ParaStyle {
        ParaStyle {
            size,
            leading: size * 1.6,
            indent: 0.0,
            justify: true,
            gray: 0.0,
            center: false,
            autospace: self.autospace,
            hang: 0.0,
        }
    }

    fn set(&mut self, styled: &Styled, x: f32, width: f32, para: ParaStyle) -> Vec<VLine> {
        set_lines(styled, x, width, para, self.fonts, &mut self.missing)
    }

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

    /// Sets `blocks` in a column `width` wide at `x`.
    pub fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, ctx: Ctx) -> Vec<VLine> {
        let mut out = Vec::new();
        for block in blocks {
            let lines = match block {
                Block::Paragraph { content } => self.paragraph(content, x, width, ctx),
                Block::Heading { level, content } => self.heading(*level, content, x, width),
                Block::List {
                    ordered,
                    start,
                    items,
                } => self.list(*ordered, *start, items, x, width, ctx),
                Block::BlockQuote { blocks } => self.quote(blocks, x, width, ctx),
                Block::CodeBlock { code, .. } => self.code(code, x, width),
                Block::Figure { image, caption } => self.figure(image, caption, x, width),
                Block::Table(table) => self.table(table, x, width),
                Block::Rule => self.dinkus(x, width),
            };
            out.extend(lines);
        }
        out
    }

    fn paragraph(&mut self, content: &[Inline], x: f32, width: f32, ctx: Ctx) -> Vec<VLine> {
        let mut styled = Styled::from_inlines(content, &InlineStyle::default());
        if styled.text.trim().is_empty() {
            return Vec::new();
        }
        let cjk = self.indent_paras;
        if cjk {
            // Scraped Chinese paragraphs often carry their indent as
            // ideographic spaces; we set our own.
            styled.trim_start();
        }
        let indent = if ctx.indent && cjk {
            self.size * 2.0
        } else {
            0.0
        };
        let mut lines = self.set(
            &styled,
            x,
            width,
            ParaStyle {
                indent,
                ..self.para(self.size)
            },
        );
        avoid_widows(&mut lines);
        if let Some(first) = lines.first_mut() {
            first.space_before = self.size * 0.6;
        }
        lines
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

    fn list(
        &mut self,
        ordered: bool,
        start: u64,
        items: &[Vec<Block>],
        x: f32,
        width: f32,
        ctx: Ctx,
    ) -> Vec<VLine> {
        let last = start.saturating_add(items.len() as u64);
        let widest = if ordered {
            format!("{last}.")
        } else {
            "•".into()
        };
        let hang = (self.text_width(&widest) + self.size * 0.6).max(self.size * 1.5);
        // Too deep: the marker hangs in the enclosing indent.
        let hang = self.nest(hang, width);
        let inner = Ctx {
            depth: ctx.depth + 1,
            indent: false,
        };
        let mut out = Vec::new();
        for (n, item) in items.iter().enumerate() {
            let marker = if ordered {
                format!("{}.", start.saturating_add(n as u64))
            } else {
                crate::text::bullet(ctx.depth).to_string()
            };
            let mut lines = self.blocks(item, x + hang, width - hang, inner);
            if lines.is_empty() {
                lines.push(VLine {
                    height: self.size * 1.6,
                    baseline: self.size * 1.18,
                    ..VLine::default()
                });
            }
            let mw = self.text_width(&marker);
            let styled = Styled::from_inlines(&[Inline::text(marker)], &InlineStyle::default());
            let para = ParaStyle {
                justify: false,
                ..self.para(self.size)
            };
            let marker_lines = self.set(&styled, x + hang - self.size * 0.4 - mw, mw + 1.0, para);
            let first = &mut lines[0];
            let base = first.baseline;
            if let Some(m) = marker_lines.into_iter().next() {
                let dy = base - m.baseline;
                first
                    .items
                    .extend(m.items.into_iter().map(|it| it.shifted(0.0, dy)));
            }
            first.space_before = if n == 0 {
                self.size * 0.6
            } else {
                self.size * 0.25
            };
            out.extend(lines);
        }
        out
    }

    fn text_width(&self, s: &str) -> f32 {
        s.chars()
            .map(|c| {
                self.fonts
                    .pick(c, crate::fonts::Role::Body)
                    .map_or(0.5, |f| self.fonts.fonts[f].advance(c))
            })
            .sum::<f32>()
            * self.size
    }

    /// `pad` when the column stays at least [`MIN_COLUMN_EMS`] wide after
    /// it, else nothing (and one warning): nesting stops indenting.
    fn nest(&mut self, pad: f32, width: f32) -> f32 {
        if width - pad >= self.size * MIN_COLUMN_EMS {
            return pad;
        }
        if !self.too_deep {
            self.too_deep = true;
            self.warnings.push(
                "quotes or lists nested too deep for the page: the deepest are not indented further",
            );
        }
        0.0
    }

    fn quote(&mut self, blocks: &[Block], x: f32, width: f32, ctx: Ctx) -> Vec<VLine> {
        let pad = self.nest(self.size * 1.2, width);
        let mut lines = self.blocks(blocks, x + pad, width - pad, ctx);
        let rule_x = x + self.size * 0.3;
        for l in &mut lines {
            for it in &mut l.items {
                if let Item::Text(r) = it {
                    if r.color == [0.0; 3] {
                        r.color = [0.25; 3];
                    }
                }
            }
            // A bar beside every line (and the gap above it, except the
            // first) so the quote's rule is continuous and splits cleanly.
            l.items.push(Item::Rect {
                x: rule_x,
                y: 0.0,
                w: self.size * 0.2,
                h: l.height,
                gray: 0.75,
            });
        }
        for l in lines.iter_mut().skip(1) {
            if l.space_before > 0.0 {
                l.items.push(Item::Rect {
                    x: rule_x,
                    y: -l.space_before,
                    w: self.size * 0.2,
                    h: l.space_before,
                    gray: 0.75,
                });
            }
        }
        lines
    }

    fn code(&mut self, code: &str, x: f32, width: f32) -> Vec<VLine> {
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
            row.items.extend(m.into_iter().flat_map(|l| l.items));
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

    fn figure(
        &mut self,
        image: &crate::model::Image,
        caption: &[Inline],
        x: f32,
        width: f32,
    ) -> Vec<VLine> {
        let mut out = Vec::new();
        let caption_para = ParaStyle {
            justify: false,
            center: true,
            gray: 0.35,
            ..self.para(self.size * 0.85)
        };
        match load_image(&image.src, self.assets, self.warnings) {
            Some(img) => {
                // 96 px per inch, scaled down to the column and 70 % of the page.
                let natural_w = img.width as f32 * 0.75;
                let natural_h = img.height as f32 * 0.75;
                let scale = (width / natural_w)
                    .min(self.room * 0.7 / natural_h)
                    .min(1.0);
                let (w, h) = (natural_w * scale, natural_h * scale);
                self.images.push(img);
                out.push(VLine {
                    height: h,
                    space_before: self.size * 0.8,
                    baseline: h,
                    keep_with_next: !caption.is_empty(),
                    items: vec![Item::Image {
                        x: x + (width - w) / 2.0,
                        y: 0.0,
                        w,
                        h,
                        image: self.images.len() - 1,
                    }],
                    ..VLine::default()
                });
                if !caption.is_empty() {
                    let styled = Styled::from_inlines(caption, &InlineStyle::default());
                    let mut lines = self.set(&styled, x, width, caption_para);
                    if let Some(f) = lines.first_mut() {
                        f.space_before = self.size * 0.3;
                    }
                    out.extend(lines);
                }
            }
            None => {
                // The picture cannot be had: say what it was, as the text
                // writer does.
                let mut text = vec![Inline::text("[image: ")];
                if caption.is_empty() {
                    text.push(Inline::text(image.label()));
                } else {
                    text.extend_from_slice(caption);
                }
                text.push(Inline::text("]"));
                let styled = Styled::from_inlines(&text, &InlineStyle::default());
                let mut lines = self.set(&styled, x, width, caption_para);
                if let Some(f) = lines.first_mut() {
                    f.space_before = self.size * 0.6;
                }
                out.extend(lines);
            }
        }
        out
    }

    /// The numbered link notes of an article (`[1] https://…`), small and
    /// grey under a short rule, so the addresses survive on paper and on
    /// readers where links cannot be followed.
    pub fn link_notes(&mut self, urls: &[String], x: f32, width: f32) -> Vec<VLine> {
        if urls.is_empty() {
            return Vec::new();
        }
        let small = self.size * 0.8;
        let para = ParaStyle {
            gray: 0.35,
            leading: small * 1.45,
            ..self.para(small)
        };
        let mut out = vec![self.rule(x, width)];
        for (i, url) in urls.iter().enumerate() {
            let note = [Inline::Link {
                url: url.clone(),
                title: None,
                content: vec![Inline::text(format!("[{}] {url}", i + 1))],
            }];
            let styled = Styled::from_inlines(&note, &InlineStyle::default());
            out.extend(self.set(&styled, x, width, para));
        }
        out
    }

    /// A thematic break drawn as books do, a centred `* * *` (the text
    /// writer's mark too, so copied text keeps it).
    fn dinkus(&mut self, x: f32, width: f32) -> Vec<VLine> {
        let para = ParaStyle {
            justify: false,
            center: true,
            gray: 0.45,
            ..self.para(self.size)
        };
        let styled = Styled::from_inlines(&[Inline::text("*   *   *")], &InlineStyle::default());
        let mut lines = self.set(&styled, x, width, para);
        if let Some(first) = lines.first_mut() {
            first.space_before = self.size * 0.6;
        }
        lines
    }

    fn rule(&mut self, x: f32, width: f32) -> VLine {
        let h = self.size * 1.2;
        VLine {
            height: h,
            space_before: self.size * 0.3,
            baseline: h / 2.0,
            items: vec![Item::Line {
                x1: x + width * 0.25,
                y1: h / 2.0,
                x2: x + width * 0.75,
                y2: h / 2.0,
                width: 0.5,
                gray: 0.6,
            }],
            ..VLine::default()
        }
    }

    fn table(&mut self, table: &Table, x: f32, width: f32) -> Vec<VLine> {
        let rows: Vec<(&Vec<Cell>, bool)> = table
            .head
            .iter()
            .map(|r| (r, true))
            .chain(table.body.iter().map(|r| (r, false)))
            .collect();
        let ncols = rows
            .iter()
            .map(|(r, _)| {
                r.iter()
                    .map(|c| c.colspan.clamp(1, 64) as usize)
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0);
        if ncols == 0 {
            return Vec::new();
        }
        let size = self.size * 0.9;
        let pad = size * 0.4;
        let cols = self.column_widths(&rows, ncols, width, size, pad);
        let mut out = Vec::new();
        let n = rows.len();
        for (i, (row, head)) in rows.iter().enumerate() {
            let mut line = self.table_row(row, *head, &cols, x, size, pad);
            if i + 1 == n {
                line.items.push(hline(x, x + width, line.height));
            }
            line.keep_with_next = *head;
            if i == 0 {
                line.space_before = self.size * 0.6;
            }
            out.push(line);
        }
        out
    }

    fn column_widths(
        &mut self,
        rows: &[(&Vec<Cell>, bool)],
        ncols: usize,
        width: f32,
        size: f32,
        pad: f32,
    ) -> Vec<f32> {
        let mut natural = vec![size * 2.0; ncols];
        for (row, _) in rows {
            let mut c = 0;
            for cell in row.iter() {
                let span = cell.colspan.clamp(1, 64) as usize;
                if span == 1 && c < ncols {
                    let text = crate::model::blocks_text(&cell.blocks);
                    let w = text
                        .lines()
                        .map(|l| self.text_width(l) * 0.9)
                        .fold(0.0, f32::max)
                        + 2.0 * pad;
                    natural[c] = natural[c].max(w.min(width));
                }
                c += span;
            }
        }
        let total: f32 = natural.iter().sum();
        if total <= width {
            let extra = (width - total) / ncols as f32;
            natural.iter().map(|w| w + extra).collect()
        } else {
            // Share the width by natural width, with a floor for narrow columns.
            let floor = (width / ncols as f32 * 0.5).min(size * 4.0);
            let sqrt: Vec<f32> = natural.iter().map(|w| w.sqrt()).collect();
            let sum: f32 = sqrt.iter().sum();
            let raw: Vec<f32> = sqrt.iter().map(|s| (width * s / sum).max(floor)).collect();
            let k = width / raw.iter().sum::<f32>();
            raw.into_iter().map(|w| w * k).collect()
        }
    }

    fn table_row(
        &mut self,
        row: &[Cell],
        head: bool,
        cols: &[f32],
        x: f32,
        size: f32,
        pad: f32,
    ) -> VLine {
        let mut items = Vec::new();
        let mut height: f32 = size * 1.5 + 2.0 * pad;
        let mut cx = x;
        let mut c = 0;
        let mut cells = Vec::new();
        for cell in row {
            let span = (cell.colspan.clamp(1, 64) as usize)
                .min(cols.len().saturating_sub(c))
                .max(1);
            let w: f32 = cols[c.min(cols.len() - 1)..(c + span).min(cols.len())]
                .iter()
                .sum();
            let saved = self.size;
            self.size = size;
            let mut lines = self.blocks(
                &cell.blocks,
                cx + pad,
                (w - 2.0 * pad).max(size),
                Ctx {
                    depth: 0,
                    indent: false,
                },
            );
            self.size = saved;
            if head || cell.header {
                for l in &mut lines {
                    for it in &mut l.items {
                        if let Item::Text(r) = it {
                            r.bold = true;
                        }
                    }
                }
            }
            let mut y = pad;
            let mut cell_items = Vec::new();
            for (k, l) in lines.into_iter().enumerate() {
                if k > 0 {
                    y += l.space_before;
                }
                cell_items.extend(l.items.into_iter().map(|it| it.shifted(0.0, y)));
                y += l.height;
            }
            height = height.max(y + pad);
            cells.push((cx, w, cell_items));
            cx += w;
            c += span;
        }
        if head {
            items.push(Item::Rect {
                x,
                y: 0.0,
                w: cols.iter().sum(),
                h: height,
                gray: 0.92,
            });
        }
        items.push(hline(x, x + cols.iter().sum::<f32>(), 0.0));
        for (cx, w, cell_items) in cells {
            items.push(Item::Line {
                x1: cx,
                y1: 0.0,
                x2: cx,
                y2: height,
                width: 0.4,
                gray: 0.5,
            });
            items.extend(cell_items);
            let _ = w;
        }
        let right = x + cols.iter().sum::<f32>();
        items.push(Item::Line {
            x1: right,
            y1: 0.0,
            x2: right,
            y2: height,
            width: 0.4,
            gray: 0.5,
        });
        VLine {
            height,
            baseline: pad + size * 1.2,
            items,
            ..VLine::default()
        }
    }
}

fn hline(x1: f32, x2: f32, y: f32) -> Item {
    Item::Line {
        x1,
        y1: y,
        x2,
        y2: y,
        width: 0.4,
        gray: 0.5,
    }
}

/// Marks every line of a short block to stay together.
fn keep_together(lines: &mut [VLine]) {
    let n = lines.len();
    for l in lines.iter_mut().take(n.saturating_sub(1)) {
        l.keep_with_next = true;
    }
}

/// No one-line orphan at a page foot or widow at a page head: the first
/// line stays with the second, the last with the one before.
fn avoid_widows(lines: &mut [VLine]) {
    let n = lines.len();
    if n >= 2 {
        lines[0].keep_with_next = true;
        lines[n - 2].keep_with_next = true;
    }
}
