//! Model → XHTML body markup: one function for blocks, one for inlines, one
//! match arm per variant. Every character of text goes through [`escape`],
//! every attribute is one this module writes itself, and links are kept only
//! when they are absolute web or mail URLs, so nothing from the source page
//! (scripts, handlers, `javascript:` links, foreign attributes) can reach the
//! book.

mod escaping;
mod images;

pub use escaping::{clean_line, escape, escape_into, safe_href};
pub use images::Images;

use crate::diag::Warnings;
use crate::model::{inline_text, Block, Cell, Image, Inline, Row, Table};

/// A heading met in the body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Output level, 2 to 6 (level 1 is the chapter title).
    pub level: u8,
    /// The `id` of the heading element.
    pub id: String,
    /// Its text on one line.
    pub text: String,
}

/// Renders the blocks of one chapter.
pub struct Body<'a, 'o> {
    out: String,
    images: &'a mut Images<'o>,
    warnings: &'a mut Warnings,
    /// Subtracted from source heading levels so the highest becomes `h2`.
    shift: i32,
    headings: Vec<Heading>,
    /// Inside an `<a>`: nested links render as text (HTML forbids `a` in `a`).
    in_link: bool,
}

impl<'a, 'o> Body<'a, 'o> {
    /// A renderer for `blocks`, sharing the book's images.
    pub fn new(blocks: &[Block], images: &'a mut Images<'o>, warnings: &'a mut Warnings) -> Self {
        let top = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .min()
            .unwrap_or(2);
        Body {
            out: String::with_capacity(blocks.len() * 256),
            images,
            warnings,
            shift: i32::from(top) - 2,
            headings: Vec::new(),
            in_link: false,
        }
    }

    /// The markup and the headings it contains.
    pub fn finish(self) -> (String, Vec<Heading>) {
        (self.out, self.headings)
    }

    /// Renders a run of blocks.
    pub fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph { content } => self.paragraph(content),
            Block::Heading { level, content } => self.heading(*level, content),
            Block::List {
                ordered,
                start,
                items,
            } => self.list(*ordered, *start, items),
            Block::BlockQuote { blocks } if !blocks.is_empty() => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::BlockQuote { .. } => {}
            Block::CodeBlock { language, code } => self.code_block(language.as_deref(), code),
            Block::Figure { image, caption } => self.figure(image, caption),
            Block::Table(table) => self.table(table),
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    fn paragraph(&mut self, content: &[Inline]) {
        let content = trim_indent(content);
        if content.is_empty() {
            return;
        }
        let start = self.out.len();
        self.out.push_str("<p>");
        self.inlines(&content);
        if !has_visible(&self.out[start + 3..]) {
            // Nothing visible (empty text, an image with no alt): no `<p>`.
            self.out.truncate(start);
            return;
        }
        self.out.push_str("</p>\n");
    }

    fn heading(&mut self, level: u8, content: &[Inline]) {
        let level = (i32::from(level) - self.shift).clamp(2, 6) as u8;
        let text = clean_line(&inline_text(content));
        if text.is_empty() {
            return;
        }
        let id = format!("h{}", self.headings.len() + 1);
        self.out.push_str(&format!("<h{level} id=\"{id}\">"));
        self.inlines(content);
        self.out.push_str(&format!("</h{level}>\n"));
        self.headings.push(Heading { level, id, text });
    }

    fn list(&mut self, ordered: bool, start: u64, items: &[Vec<Block>]) {
        if items.is_empty() {
            return;
        }
        match (ordered, start) {
            (false, _) => self.out.push_str("<ul>\n"),
            (true, 1) => self.out.push_str("<ol>\n"),
            (true, n) => self.out.push_str(&format!("<ol start=\"{n}\">\n")),
        }
        for item in items {
            self.out.push_str("<li>");
            self.cell_content(item);
            self.out.push_str("</li>\n");
        }
        self.out
            .push_str(if ordered { "</ol>\n" } else { "</ul>\n" });
    }

    /// List items and table cells holding one paragraph render it bare, so
    /// tight lists stay tight and are not indented like running text.
    fn cell_content(&mut self, blocks: &[Block]) {
        match blocks {
            [Block::Paragraph { content }] => self.inlines(content),
            _ => {
                self.out.push('\n');
                self.blocks(blocks);
            }
        }
    }

    fn code_block(&mut self, language: Option<&str>, code: &str) {
        let class: String = language
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
            .collect();
        if class.is_empty() {
            self.out.push_str("<pre><code>");
        } else {
            self.out
                .push_str(&format!("<pre><code class=\"language-{class}\">"));
        }
        escape_into(&mut self.out, code.trim_end_matches(['\n', '\r']));
        self.out.push_str("</code></pre>\n");
    }

    fn figure(&mut self, image: &Image, caption: &[Inline]) {
        let Some(href) = self.images.href(&image.src, self.warnings) else {
            // The picture cannot be had: its words stand in for it.
            let text = if caption.is_empty() {
                clean_line(&image.alt)
            } else {
                clean_line(&inline_text(caption))
            };
            if !text.is_empty() {
                self.out.push_str("<p class=\"image-missing\">");
                escape_into(&mut self.out, &text);
                self.out.push_str("</p>\n");
            }
            return;
        };
        self.out.push_str("<figure>\n");
        self.img(&href, image, "");
        self.out.push('\n');
        if !caption.is_empty() {
            self.out.push_str("<figcaption>");
            self.inlines(caption);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn img(&mut self, href: &str, image: &Image, class: &str) {
        self.out.push_str("<img");
        if !class.is_empty() {
            self.out.push_str(&format!(" class=\"{class}\""));
        }
        self.out.push_str(" src=\"");
        escape_into(&mut self.out, href);
        self.out.push_str("\" alt=\"");
        escape_into(&mut self.out, &clean_line(&image.alt));
        self.out.push('"');
        if let Some(title) = image.title.as_deref().map(clean_line) {
            if !title.is_empty() {
                self.out.push_str(" title=\"");
                escape_into(&mut self.out, &title);
                self.out.push('"');
            }
        }
        self.out.push_str("/>");
    }

    fn table(&mut self, table: &Table) {
        if table.head.is_empty() && table.body.is_empty() {
            return;
        }
        // A wide table with a header row can be stacked on a small screen
        // (the stylesheet's `table.stacks`): each body cell carries its
        // column's name.
        let labels = stacking_labels(table);
        self.out.push_str(if labels.is_empty() {
            "<table>\n"
        } else {
            "<table class=\"stacks\">\n"
        });
        if !table.head.is_empty() {
            self.out.push_str("<thead>\n");
            self.rows(&table.head, true, &[]);
            self.out.push_str("</thead>\n");
        }
        if !table.body.is_empty() {
            self.out.push_str("<tbody>\n");
            self.rows(&table.body, false, &labels);
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn rows(&mut self, rows: &[Row], head: bool, labels: &[String]) {
        for row in rows {
            self.out.push_str("<tr>");
            let mut column = 0;
            for cell in row {
                let label = labels.get(column).filter(|_| cell.colspan <= 1);
                self.cell(cell, head, label.map(String::as_str));
                column += cell.colspan.clamp(1, 64) as usize;
            }
            self.out.push_str("</tr>\n");
        }
    }

    fn cell(&mut self, cell: &Cell, head: bool, label: Option<&str>) {
        let tag = if head || cell.header { "th" } else { "td" };
        self.out.push('<');
        self.out.push_str(tag);
        if cell.colspan > 1 {
            self.out.push_str(&format!(" colspan=\"{}\"", cell.colspan));
        }
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            self.out.push_str(" data-label=\"");
            escape_into(&mut self.out, label);
            self.out.push('"');
        }
        self.out.push('>');
        self.cell_content(&cell.blocks);
        self.out.push_str(&format!("</{tag}>"));
    }

    /// Renders a run of inlines.
    pub fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text { text } => escape_into(&mut self.out, text),
            Inline::Emphasis { content } => self.wrap("em", content),
            Inline::Strong { content } => self.wrap("strong", content),
            Inline::Strikeout { content } => self.wrap("s", content),
            Inline::Superscript { content } => self.wrap("sup", content),
            Inline::Subscript { content } => self.wrap("sub", content),
            Inline::Code { code } => {
                self.out.push_str("<code>");
                escape_into(&mut self.out, code);
                self.out.push_str("</code>");
            }
            Inline::Link {
                url,
                title,
                content,
            } => self.link(url, title.as_deref(), content),
            Inline::Image { image } => match self.images.href(&image.src, self.warnings) {
                Some(href) => self.img(&href, image, "inline"),
                None => escape_into(&mut self.out, &clean_line(&image.alt)),
            },
            Inline::LineBreak => self.out.push_str("<br/>"),
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
        self.inlines(content);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    fn link(&mut self, url: &str, title: Option<&str>, content: &[Inline]) {
        let href = if self.in_link { None } else { safe_href(url) };
        let Some(href) = href else {
            self.inlines(content);
            return;
        };
        self.out.push_str("<a href=\"");
        escape_into(&mut self.out, &href);
        self.out.push('"');
        if let Some(title) = title.map(clean_line).filter(|t| !t.is_empty()) {
            self.out.push_str(" title=\"");
            escape_into(&mut self.out, &title);
            self.out.push('"');
        }
        self.out.push('>');
        self.in_link = true;
        if content.is_empty() {
            escape_into(&mut self.out, &href);
        } else {
            self.inlines(content);
        }
        self.in_link = false;
        self.out.push_str("</a>");
    }
}

/// True when markup shows something: text outside tags, or a picture.
fn has_visible(markup: &str) -> bool {
    let mut in_tag = false;
    for (i, c) in markup.char_indices() {
        match c {
            '<' if markup[i..].starts_with("<img") => return true,
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

/// A paragraph's content without the leading spaces scraped Chinese text
/// uses for indentation (ideographic or no-break spaces): the stylesheet
/// indents, and both together would indent twice.
fn trim_indent(content: &[Inline]) -> std::borrow::Cow<'_, [Inline]> {
    let indent = |c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}';
    match content.first() {
        Some(Inline::Text { text }) if text.starts_with(indent) => {
            let mut owned = content.to_vec();
            let rest = text.trim_start_matches(indent);
            if rest.is_empty() {
                owned.remove(0);
                // A paragraph of blank text and nothing else is dropped.
                if owned.iter().all(|i| matches!(i, Inline::LineBreak)) {
                    owned.clear();
                }
            } else {
                owned[0] = Inline::text(rest);
            }
            std::borrow::Cow::Owned(owned)
        }
        _ => std::borrow::Cow::Borrowed(content),
    }
}

#[cfg(test)]
#[path = "xhtml/tests.rs"]
mod tests;

/// The column names a wide table's body cells carry for stacking, from its
/// last header row; none for a table without one or narrow enough to stay
/// a grid on a small screen (its columns' widest cells, estimated at an em
/// per CJK character and half an em per other, add up to 24 ems or less).
fn stacking_labels(table: &Table) -> Vec<String> {
    if table.head.is_empty() {
        return Vec::new();
    }
    let ems = |text: &str| -> f32 {
        text.chars()
            .map(|c| if crate::text::is_cjk(c) { 1.0 } else { 0.55 })
            .sum::<f32>()
            .min(30.0)
    };
    let mut widest: Vec<f32> = Vec::new();
    for row in table.head.iter().chain(&table.body) {
        let mut column = 0;
        for cell in row {
            let span = cell.colspan.clamp(1, 64) as usize;
            if span == 1 {
                if widest.len() <= column {
                    widest.resize(column + 1, 0.0);
                }
                let w = ems(crate::model::blocks_text(&cell.blocks).trim());
                widest[column] = widest[column].max(w);
            }
            column += span;
        }
    }
    if widest.len() < 2 || widest.iter().sum::<f32>() <= 24.0 {
        return Vec::new();
    }
    table.column_names()
}
