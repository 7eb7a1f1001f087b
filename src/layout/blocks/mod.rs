//! Blocks → a column of [`VLine`]s: one function per block kind (headings,
//! code and tables in their own files).

mod code;
mod heading;
mod table;

use super::text::{set_lines, InlineStyle, ParaStyle, Styled};
use super::{load_image, Item, LoadedImage, VLine};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::fonts::{FontSet, MissingGlyphs};
use crate::linebreak::{hyphenation_lang, Lang};
use crate::model::{inline_text, Block, Cell, Inline, Metadata, Table};
use crate::words::Words;
use std::sync::Arc;

/// Where a run of blocks sits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    /// Nesting depth of lists (for bullet shapes).
    pub depth: usize,
    /// Paragraphs may get a first-line indent (not in lists or cells).
    pub indent: bool,
    /// Paragraphs are justified; table cells are set ragged-right, as
    /// narrow columns are (and as the EPUB shows them): a cell a few words
    /// wide cannot be justified without holes.
    pub justify: bool,
}

/// State of setting one document.
pub(super) struct Flow<'a> {
    fonts: &'a FontSet,
    assets: &'a Assets,
    size: f32,
    room: f32,
    warnings: &'a mut Warnings,
    /// Images placed since the last hand-over (all of a single document's).
    pub images: Vec<Arc<LoadedImage>>,
    /// Images placed and handed over before `images[0]` (a bundle gives
    /// the writer each article's pictures with its pages and lets them
    /// go, so its pixels are never all held at once).
    pub handed: usize,
    /// Characters no font had.
    pub missing: MissingGlyphs,
    /// Paragraphs of the current document open with a 2 em indent (the
    /// document's language decides, see [`crate::text::indents_paragraphs`]).
    indent_paras: bool,
    /// Deep nesting already reported (once per document is enough).
    too_deep: bool,
    /// A quarter em between CJK and Latin letters (off by `--no-autospace`).
    pub autospace: bool,
    /// The language words of the current document are hyphenated in.
    hyphenate: Option<Lang>,
    /// The language of "[image]" and the like in the current document.
    words: Words,
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
            handed: 0,
            missing: MissingGlyphs::default(),
            indent_paras: false,
            too_deep: false,
            hyphenate: hyphenation_lang(None),
            words: Words::English,
            autospace: true,
        }
    }

    /// Sets the language of the document whose blocks follow.
    pub fn set_language(&mut self, lang: Option<&str>) {
        self.indent_paras = crate::text::indents_paragraphs(lang);
        self.hyphenate = hyphenation_lang(lang);
        self.words = Words::of(lang);
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
            hyphenate: self.hyphenate,
            balance: false,
            fit_ragged: false,
        }
    }

    fn set(&mut self, styled: &Styled, x: f32, width: f32, para: ParaStyle) -> Vec<VLine> {
        set_lines(styled, x, width, para, self.fonts, &mut self.missing)
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
        let mut styled = Styled::from_content(content, &InlineStyle::default(), self.words);
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
                justify: ctx.justify,
                fit_ragged: !ctx.justify,
                // Ragged lines need no hyphens.
                hyphenate: self.hyphenate.filter(|_| ctx.justify),
                ..self.para(self.size)
            },
        );
        avoid_widows(&mut lines);
        if let Some(first) = lines.first_mut() {
            first.space_before = self.size * 0.6;
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
            ..ctx
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
                        image: self.handed + self.images.len() - 1,
                    }],
                    ..VLine::default()
                });
                if !caption.is_empty() {
                    let styled = Styled::from_content(caption, &InlineStyle::default(), self.words);
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
                let what = if caption.is_empty() {
                    image.label()
                } else {
                    Some(inline_text(caption))
                };
                let text = [Inline::text(self.words.picture(what.as_deref()))];
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
        // Each note is a small paragraph, its first line indented as
        // book footnotes are, with a little air between notes: the short
        // last line of one is not read as a gap inside the next.
        let para = ParaStyle {
            indent: small,
            ..para
        };
        let mut out = vec![self.rule(x, width)];
        for (i, url) in urls.iter().enumerate() {
            let note = [Inline::Link {
                url: url.clone(),
                title: None,
                content: vec![Inline::text(format!("[{}] {url}", i + 1))],
            }];
            let styled = Styled::from_inlines(&note, &InlineStyle::default());
            let mut lines = self.set(&styled, x, width, para);
            if let Some(first) = lines.first_mut() {
                first.space_before = small * 0.3;
            }
            out.extend(lines);
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
