//! Model → XHTML body markup: one function for blocks, one for inlines, one
//! match arm per variant. Every character of text goes through [`escape`],
//! every attribute is one this module writes itself, and links are kept only
//! when they are absolute web or mail URLs, so nothing from the source page
//! (scripts, handlers, `javascript:` links, foreign attributes) can reach the
//! book.

use crate::assets::{Assets, Resource};
use crate::diag::Warnings;
use crate::model::{inline_text, Block, Cell, Image, Inline, Row, Table};
use std::collections::HashMap;
use std::sync::Arc;

/// Appends `text` escaped for XHTML element content and attribute values,
/// dropping characters XML 1.0 forbids (C0 controls other than tab and
/// newline) or discourages (C1 controls, U+FFFE, U+FFFF), which scraped
/// pages do contain and which make a whole e-book unreadable.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// True for characters allowed (and not discouraged) in XML 1.0 content.
pub fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// One line of plain text for metadata and the table of contents: invalid
/// characters dropped, runs of whitespace folded to one space.
pub fn clean_line(text: &str) -> String {
    text.split_whitespace()
        .flat_map(|word| [" ", word])
        .skip(1)
        .collect::<String>()
        .chars()
        .filter(|&c| is_xml_char(c))
        .collect()
}

pub use crate::links::safe_href;

/// The images of a book, taken from the run's [`Assets`]: stored once per
/// distinct content, numbered in order of first appearance.
pub struct Images<'o> {
    assets: &'o Assets,
    by_src: HashMap<String, Option<String>>,
    files: Vec<(String, Arc<Resource>)>,
}

impl<'o> Images<'o> {
    /// No images yet.
    pub fn new(assets: &'o Assets) -> Self {
        Images {
            assets,
            by_src: HashMap::new(),
            files: Vec::new(),
        }
    }

    /// Loads `src` as the cover; the resource is returned (not kept), and
    /// later references to the same source point at `href`.
    pub fn cover(&mut self, src: &str, warnings: &mut Warnings) -> Option<(String, Arc<Resource>)> {
        let res = self.assets.get(src, warnings)?;
        let href = format!("images/cover.{}", res.extension());
        self.by_src.insert(src.to_string(), Some(href.clone()));
        Some((href, res))
    }

    /// The in-book path of the image `src`, loading it on first use; `None`
    /// when it cannot be had (a warning was recorded).
    pub fn href(&mut self, src: &str, warnings: &mut Warnings) -> Option<String> {
        if let Some(known) = self.by_src.get(src) {
            return known.clone();
        }
        let href = self.assets.get(src, warnings).map(|res| {
            // The same picture under another URL (a redirect, a CDN mirror)
            // is stored once.
            if let Some((href, _)) = self.files.iter().find(|(_, f)| f.bytes == res.bytes) {
                return href.clone();
            }
            let href = format!("images/img-{:03}.{}", self.files.len() + 1, res.extension());
            self.files.push((href.clone(), res));
            href
        });
        self.by_src.insert(src.to_string(), href.clone());
        href
    }

    /// The loaded images, in order, for the manifest.
    pub fn into_files(self) -> Vec<(String, Arc<Resource>)> {
        self.files
    }
}

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
        self.out.push_str("<table>\n");
        if !table.head.is_empty() {
            self.out.push_str("<thead>\n");
            self.rows(&table.head, true);
            self.out.push_str("</thead>\n");
        }
        if !table.body.is_empty() {
            self.out.push_str("<tbody>\n");
            self.rows(&table.body, false);
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    fn rows(&mut self, rows: &[Row], head: bool) {
        for row in rows {
            self.out.push_str("<tr>");
            for cell in row {
                self.cell(cell, head);
            }
            self.out.push_str("</tr>\n");
        }
    }

    fn cell(&mut self, cell: &Cell, head: bool) {
        let tag = if head || cell.header { "th" } else { "td" };
        self.out.push('<');
        self.out.push_str(tag);
        if cell.colspan > 1 {
            self.out.push_str(&format!(" colspan=\"{}\"", cell.colspan));
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
mod tests {
    use super::*;

    fn render(blocks: &[Block]) -> (String, Vec<Heading>, Warnings) {
        let cache = tempfile::tempdir().unwrap();
        let session = crate::Session::new(crate::Options {
            offline: true,
            cache_dir: Some(cache.path().to_path_buf()),
            ..crate::Options::default()
        })
        .unwrap();
        let doc = crate::Document {
            blocks: blocks.to_vec(),
            ..Default::default()
        };
        let mut assets = Assets::default();
        let mut warnings = Warnings::new();
        assets.resolve_document(&doc, None, false, &session, &mut warnings);
        let mut images = Images::new(&assets);
        let mut body = Body::new(blocks, &mut images, &mut warnings);
        body.blocks(blocks);
        let (out, headings) = body.finish();
        (out, headings, warnings)
    }

    fn para(inlines: Vec<Inline>) -> Block {
        Block::Paragraph { content: inlines }
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let (out, _, _) = render(&[para(vec![Inline::text(
            "a<b>&\"c\" 'd'\u{1}\u{8}\u{85}\u{ffff} 中文",
        )])]);
        assert_eq!(out, "<p>a&lt;b&gt;&amp;&quot;c&quot; 'd' 中文</p>\n");
    }

    #[test]
    fn javascript_and_relative_links_keep_only_their_text() {
        let link = |url: &str| Inline::Link {
            url: url.into(),
            title: Some("t\"x".into()),
            content: vec![Inline::text("go")],
        };
        let (out, _, _) = render(&[para(vec![
            link("javascript:alert(1)"),
            link(" JavaScript:void(0)"),
            link("#section"),
            link("/relative/page.html"),
            link("http://"),
            link("https://example.com/a b?q=中"),
        ])]);
        assert_eq!(
            out,
            "<p>gogogogogo<a href=\"https://example.com/a%20b?q=%E4%B8%AD\" title=\"t&quot;x\">go</a></p>\n"
        );
    }

    #[test]
    fn nested_links_do_not_nest_anchors() {
        let inner = Inline::Link {
            url: "https://b.example/".into(),
            title: None,
            content: vec![Inline::text("b")],
        };
        let outer = Inline::Link {
            url: "https://a.example/".into(),
            title: None,
            content: vec![Inline::text("a"), inner],
        };
        let (out, _, _) = render(&[para(vec![outer])]);
        assert_eq!(out, "<p><a href=\"https://a.example/\">ab</a></p>\n");
    }

    #[test]
    fn every_inline_variant_has_its_element() {
        let (out, _, _) = render(&[para(vec![
            Inline::Emphasis {
                content: vec![Inline::text("e")],
            },
            Inline::Strong {
                content: vec![Inline::text("s")],
            },
            Inline::Strikeout {
                content: vec![Inline::text("x")],
            },
            Inline::Superscript {
                content: vec![Inline::text("2")],
            },
            Inline::Subscript {
                content: vec![Inline::text("i")],
            },
            Inline::Code { code: "a<b".into() },
            Inline::LineBreak,
            Inline::Image {
                image: Image {
                    src: "missing.png".into(),
                    alt: "[smile]".into(),
                    title: None,
                },
            },
        ])]);
        assert_eq!(
            out,
            "<p><em>e</em><strong>s</strong><s>x</s><sup>2</sup><sub>i</sub><code>a&lt;b</code><br/>[smile]</p>\n"
        );
    }

    #[test]
    fn headings_shift_under_the_chapter_title_and_get_ids() {
        let h = |level, text: &str| Block::Heading {
            level,
            content: vec![Inline::text(text)],
        };
        let (out, headings, _) = render(&[h(1, "One"), h(3, "Deep"), h(1, " "), h(2, "Two")]);
        assert_eq!(
            out,
            "<h2 id=\"h1\">One</h2>\n<h4 id=\"h2\">Deep</h4>\n<h3 id=\"h3\">Two</h3>\n"
        );
        let levels: Vec<_> = headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(levels, [(2, "One"), (4, "Deep"), (3, "Two")]);
    }

    #[test]
    fn lists_tables_code_and_rules() {
        let cell = |text: &str, header| Cell {
            header,
            colspan: 1,
            blocks: vec![para(vec![Inline::text(text)])],
        };
        let blocks = [
            Block::List {
                ordered: true,
                start: 3,
                items: vec![
                    vec![para(vec![Inline::text("three")])],
                    vec![para(vec![Inline::text("a")]), para(vec![Inline::text("b")])],
                ],
            },
            Block::List {
                ordered: false,
                start: 1,
                items: vec![vec![para(vec![Inline::text("dot")])]],
            },
            Block::Table(Table {
                head: vec![vec![cell("H", false)]],
                body: vec![vec![
                    Cell {
                        colspan: 2,
                        ..cell("wide", false)
                    },
                    cell("side", true),
                ]],
            }),
            Block::CodeBlock {
                language: Some("rust\" onclick=\"x".into()),
                code: "fn main() {}\n".into(),
            },
            Block::Rule,
        ];
        let (out, _, _) = render(&blocks);
        assert_eq!(
            out,
            "<ol start=\"3\">\n<li>three</li>\n<li>\n<p>a</p>\n<p>b</p>\n</li>\n</ol>\n\
             <ul>\n<li>dot</li>\n</ul>\n\
             <table>\n<thead>\n<tr><th>H</th></tr>\n</thead>\n\
             <tbody>\n<tr><td colspan=\"2\">wide</td><th>side</th></tr>\n</tbody>\n</table>\n\
             <pre><code class=\"language-rustonclickx\">fn main() {}</code></pre>\n<hr/>\n"
        );
    }

    #[test]
    fn a_missing_figure_becomes_its_caption_or_alt_with_a_warning() {
        let figure = |alt: &str, caption: &str| Block::Figure {
            image: Image {
                src: "https://example.invalid/x.png".into(),
                alt: alt.into(),
                title: None,
            },
            caption: if caption.is_empty() {
                vec![]
            } else {
                vec![Inline::text(caption)]
            },
        };
        let (out, _, warnings) =
            render(&[figure("alt", "Caption"), figure("alt", ""), figure("", "")]);
        assert_eq!(
            out,
            "<p class=\"image-missing\">Caption</p>\n<p class=\"image-missing\">alt</p>\n"
        );
        // One warning: the same source is tried once.
        assert_eq!(warnings.items().len(), 1);
        assert!(!out.contains("<img"));
    }

    #[test]
    fn scraped_indentation_is_left_to_the_stylesheet() {
        let (out, _, _) = render(&[
            para(vec![Inline::text("\u{3000}\u{3000}正文")]),
            para(vec![Inline::text("\u{a0} "), Inline::LineBreak]),
            para(vec![Inline::text("")]),
            para(vec![Inline::Emphasis { content: vec![] }]),
        ]);
        assert_eq!(out, "<p>正文</p>\n");
    }

    proptest::proptest! {
        #[test]
        fn escaping_round_trips_and_leaves_no_markup(text in "\\PC*|[<>&\"'\\x00-\\x1f\\u{80}-\\u{9f}a中]*") {
            let escaped = escape(&text);
            proptest::prop_assert!(!escaped.contains(['<', '>', '"']));
            proptest::prop_assert!(escaped.chars().all(is_xml_char));
            let back = escaped
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            let kept: String = text.chars().filter(|&c| is_xml_char(c)).collect();
            proptest::prop_assert_eq!(back, kept);
        }
    }

    #[test]
    fn clean_line_folds_whitespace() {
        assert_eq!(clean_line("  a\n\tb \u{1}c  "), "a b c");
    }
}
