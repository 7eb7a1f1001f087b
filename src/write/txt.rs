//! Plain text: a title block, paragraphs separated by blank lines, headings
//! marked with `#`, lists with markers, quotes with `>`, code indented, images
//! as `[image: …]`, and link URLs gathered as numbered notes at the end.
//!
//! No hard wrapping unless `--columns N` is given (e-readers reflow); then
//! lines are filled by display width (East Asian wide characters count two
//! columns) at UAX #14 break opportunities with the CJK line-start and
//! line-end rules, through [`crate::linebreak`].

use super::{Output, Writer};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::linebreak;
use crate::model::packed::PackedBundle;
use crate::model::{
    inline_text, shifted_headings, Block, Bundle, Document, Inline, LinkNotes, Metadata, Table,
};
use crate::session::Session;
use crate::words::Words;
use unicode_width::UnicodeWidthStr;

/// Writes plain text.
pub struct TextWriter;

impl Writer for TextWriter {
    fn name(&self) -> &'static str {
        "txt"
    }
    fn description(&self) -> &'static str {
        "plain text (UTF-8), optionally wrapped with --columns"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["txt", "text"]
    }
    fn write(
        &self,
        doc: &Document,
        s: &Session,
        _: &Assets,
        _: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        emit(&render(doc, s.opts.columns), out)
    }

    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        s: &Session,
        _: &Assets,
        _: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        emit(&render_bundle(&bundle.unpack()?, s.opts.columns), out)
    }
}

fn emit(text: &str, out: &mut dyn Output) -> Result<()> {
    out.write_all(text.as_bytes())
        .map_err(|e| crate::Error::write("txt", e))
}

/// Renders a bundle: the book's title block, then each section as a `#`
/// heading and each article as a `##` heading with its byline, body and
/// its own link notes, its headings moved under the section's.
pub fn render_bundle(bundle: &Bundle, columns: Option<usize>) -> String {
    let mut parts = vec![title_block(&bundle.meta, columns).join("\n")];
    for section in &bundle.sections {
        let titled = !section.title.trim().is_empty();
        if titled {
            parts.push(fill(&format!("# {}", section.title.trim()), columns, "", "").join("\n"));
        }
        let level = if titled { 2 } else { 1 };
        for article in &section.articles {
            let doc = Document {
                meta: article.meta.clone(),
                blocks: shifted_headings(&article.blocks, level),
            };
            // The article's title as a heading one level under the section,
            // then its byline and source as in a title block.
            let mut head = Vec::new();
            if let Some(title) = doc.meta.title.as_deref().filter(|t| !t.is_empty()) {
                let marks = "#".repeat(usize::from(level));
                head = fill(&format!("{marks} {title}"), columns, "", "");
            }
            head.extend(byline_lines(&doc.meta, columns));
            parts.push(render_with_head(&doc, columns, head).trim_end().to_string());
        }
    }
    parts.retain(|p| !p.is_empty());
    let mut out = parts.join("\n\n\n");
    out.push('\n');
    out
}

/// Renders a document as plain text, wrapped at `columns` when given.
pub fn render(doc: &Document, columns: Option<usize>) -> String {
    render_with_head(doc, columns, title_block(&doc.meta, columns))
}

/// The article under `head` (its title block, or a heading in a bundle),
/// then its link notes.
fn render_with_head(doc: &Document, columns: Option<usize>, head: Vec<String>) -> String {
    let mut text = Renderer {
        cjk: crate::text::indents_paragraphs(doc.meta.language.as_deref()),
        words: Words::of(doc.meta.language.as_deref()),
        notes: LinkNotes::default(),
        list_depth: 0,
    };
    let mut lines = head;
    // Links are numbered as they are rendered, in reading order: marking
    // a copy of the blocks first held the whole document twice (1,000,000
    // tiny elements: about 160 MB more at the peak).
    let body = text.blocks(&doc.blocks, columns);
    if !lines.is_empty() && !body.is_empty() {
        lines.push(String::new());
    }
    lines.extend(body);
    if !text.notes.urls.is_empty() {
        lines.push(String::new());
        for (i, url) in text.notes.urls.iter().enumerate() {
            lines.push(format!("[{}] {url}", i + 1));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn title_block(meta: &Metadata, columns: Option<usize>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(title) = meta.title.as_deref().filter(|t| !t.is_empty()) {
        lines.extend(fill(title, columns, "", ""));
    }
    lines.extend(byline_lines(meta, columns));
    lines
}

/// Authors and date on one line, then the source URL.
fn byline_lines(meta: &Metadata, columns: Option<usize>) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(byline) = crate::text::byline(meta) {
        lines.extend(fill(&byline, columns, "", ""));
    }
    if let Some(url) = &meta.source_url {
        lines.extend(fill(url, columns, "", ""));
    }
    lines
}

/// State while rendering one document.
struct Renderer {
    cjk: bool,
    /// The language of "[image]" and the like.
    words: Words,
    /// Link URLs, numbered as notes.
    notes: LinkNotes,
    /// How many lists enclose the current block (for bullet shapes).
    list_depth: usize,
}

impl Renderer {
    /// Renders blocks into lines that fit `width` columns, blocks separated by
    /// one blank line, two before a heading.
    fn blocks(&mut self, blocks: &[Block], width: Option<usize>) -> Vec<String> {
        let mut lines = Vec::new();
        for block in blocks {
            let rendered = self.block(block, width);
            if rendered.is_empty() {
                continue;
            }
            if !lines.is_empty() {
                lines.push(String::new());
                if matches!(block, Block::Heading { .. }) {
                    lines.push(String::new());
                }
            }
            lines.extend(rendered);
        }
        lines
    }

    fn block(&mut self, block: &Block, width: Option<usize>) -> Vec<String> {
        match block {
            Block::Paragraph { content } => self.paragraph(content, width),
            // A heading is its text on a line of its own with room above,
            // as plain-text books (Project Gutenberg, pandoc's `plain`) set
            // it: no Markdown marks for the reader to read past (and none a
            // PDF or EPUB of the same article lacks).
            Block::Heading { content, .. } => {
                let text = self.inlines(content).replace('\n', " ");
                fill(text.trim(), width, "", "")
            }
            Block::List {
                ordered,
                start,
                items,
            } => self.list(*ordered, *start, items, width),
            Block::BlockQuote { blocks } => {
                let inner = self.blocks(blocks, width.map(|w| w.saturating_sub(2).max(1)));
                inner
                    .into_iter()
                    .map(|l| {
                        if l.is_empty() {
                            ">".into()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect()
            }
            Block::CodeBlock { code, .. } => code
                .trim_end_matches('\n')
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!("    {l}")
                    }
                })
                .collect(),
            Block::Figure { image, caption } => {
                let caption = self.inlines(caption);
                // A picture with no caption, no alt and a hash for a name is
                // "[image]", as inline, not "[image: image]".
                let text = if caption.trim().is_empty() {
                    self.words.picture(image.label().as_deref())
                } else {
                    self.words.picture(Some(&caption.trim().replace('\n', " ")))
                };
                fill(&text, width, "", "")
            }
            Block::Table(table) => self.table(table),
            Block::Rule => vec!["* * *".to_string()],
        }
    }

    fn paragraph(&mut self, content: &[Inline], width: Option<usize>) -> Vec<String> {
        let text = self.inlines(content);
        let text = text.trim_matches(|c: char| c == '\n' || c == ' ');
        if text.is_empty() {
            return Vec::new();
        }
        // One rule for the document, by its language (crate::text), never
        // decided per paragraph.
        let indent = if self.cjk { "\u{3000}\u{3000}" } else { "" };
        let mut lines = Vec::new();
        for (i, hard_line) in text.split('\n').enumerate() {
            let first = if i == 0 { indent } else { "" };
            lines.extend(fill(hard_line, width, first, ""));
        }
        lines
    }

    fn list(
        &mut self,
        ordered: bool,
        start: u64,
        items: &[Vec<Block>],
        width: Option<usize>,
    ) -> Vec<String> {
        // Loose (blank lines between items) when an item holds more than one
        // paragraph; a nested list after the item's text keeps it tight.
        let loose = items.iter().any(|item| {
            item.iter()
                .filter(|b| !matches!(b, Block::List { .. }))
                .count()
                > 1
        });
        let mut lines = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let marker = if ordered {
                format!("{}. ", start.saturating_add(i as u64))
            } else {
                format!("{} ", crate::text::bullet(self.list_depth))
            };
            let pad = " ".repeat(marker.width());
            let inner_width = width.map(|w| w.saturating_sub(marker.width()).max(1));
            self.list_depth += 1;
            let inner = if loose {
                self.blocks(item, inner_width)
            } else {
                item.iter()
                    .flat_map(|b| self.block(b, inner_width))
                    .collect()
            };
            self.list_depth -= 1;
            if loose && i > 0 {
                lines.push(String::new());
            }
            if inner.is_empty() {
                lines.push(marker.trim_end().to_string());
            }
            for (j, line) in inner.into_iter().enumerate() {
                let line = line.trim_start_matches('\u{3000}');
                lines.push(match (j, line.is_empty()) {
                    (0, _) => format!("{marker}{line}"),
                    (_, true) => String::new(),
                    _ => format!("{pad}{line}"),
                });
            }
        }
        lines
    }

    fn table(&mut self, table: &Table) -> Vec<String> {
        let mut lines = Vec::new();
        for row in &table.head {
            lines.push(self.table_row(row));
        }
        if !table.head.is_empty() {
            let width = lines.iter().map(|l| l.width()).max().unwrap_or(3);
            lines.push("-".repeat(width.clamp(3, 80)));
        }
        for row in &table.body {
            lines.push(self.table_row(row));
        }
        lines
    }

    fn table_row(&mut self, row: &[crate::model::Cell]) -> String {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                let lines = self.blocks(&cell.blocks, None);
                lines
                    .iter()
                    .map(|l| l.trim())
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        cells.join(" | ").trim_end().to_string()
    }

    /// The text of inlines, each link followed by its `[n]` note mark (the
    /// numbering of [`LinkNotes::mark_links`], done while rendering);
    /// images are `[image: …]`.
    fn inlines(&mut self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out);
        out
    }

    fn push_inlines(&mut self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text { text } => out.push_str(text),
                Inline::Code { code } => out.push_str(code),
                Inline::Link { url, content, .. } => {
                    self.push_inlines(content, out);
                    if let Some(n) = self.notes.number(url, &inline_text(content)) {
                        out.push_str(&format!("[{n}]"));
                    }
                }
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Strikeout { content }
                | Inline::Superscript { content }
                | Inline::Subscript { content } => self.push_inlines(content, out),
                Inline::Image { image } => out.push_str(&self.words.inline_picture(image)),
                Inline::LineBreak => out.push('\n'),
            }
        }
    }
}

/// Fills one hard line into lines of at most `width` columns (East Asian
/// wide characters count two) with the shared UAX #14 + kinsoku line
/// breaker; the first line starts with `first`, the others with `rest`. A
/// Latin word longer than the line is kept whole rather than split. Without
/// a width the line is returned whole.
fn fill(text: &str, width: Option<usize>, first: &str, rest: &str) -> Vec<String> {
    let Some(width) = width else {
        return vec![format!("{first}{text}")];
    };
    let first_width = width.saturating_sub(first.width()).max(1) as f32;
    let rest_width = width.saturating_sub(rest.width()).max(1) as f32;
    let lines = linebreak::break_ranges_with(
        text,
        |n| if n == 0 { first_width } else { rest_width },
        |r| text[r].width() as f32,
        linebreak::LongWords::Overflow,
    );
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| format!("{}{}", if i == 0 { first } else { rest }, &text[line.range]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DateValue, Image, Inline};

    fn para(s: &str) -> Block {
        Block::Paragraph {
            content: vec![Inline::text(s)],
        }
    }

    #[test]
    fn cjk_paragraphs_get_two_ideographic_spaces() {
        // One rule for the document (its language), not per paragraph: the
        // English paragraph of a Chinese article is indented too, as in
        // the PDF and the EPUB.
        let doc = Document {
            meta: Metadata {
                title: Some("标题".into()),
                authors: vec!["作者".into()],
                date: Some(DateValue {
                    raw: "x".into(),
                    iso: Some("2022-02-14T07:02:16Z".into()),
                }),
                language: Some("zh".into()),
                ..Default::default()
            },
            blocks: vec![para("第一段。"), para("English line.")],
        };
        assert_eq!(
            render(&doc, None),
            "标题\n作者 · 2022-02-14\n\n\u{3000}\u{3000}第一段。\n\n\u{3000}\u{3000}English line.\n"
        );
    }

    /// Regression (corpus review): a picture named by a hash, with no alt
    /// or caption, printed "[image: image]".
    #[test]
    fn uncaptioned_hash_named_figure_is_image_alone() {
        let figure = |src: &str| Block::Figure {
            image: Image {
                src: src.into(),
                ..Default::default()
            },
            caption: vec![],
        };
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![
                figure("https://x.cn/0861-27fbcb525698b8cd8fb00596bf8819c0.jpg"),
                figure("harbour.jpg"),
            ],
        };
        assert_eq!(render(&doc, None), "[image]\n\n[image: harbour.jpg]\n");
    }

    /// Regression (issue 13): a Chinese article's pictures were "[image]",
    /// English in a book that has none.
    #[test]
    fn pictures_in_a_chinese_article_are_named_in_chinese() {
        let doc = Document {
            meta: Metadata {
                language: Some("zh-CN".into()),
                ..Metadata::default()
            },
            blocks: vec![
                Block::Figure {
                    image: Image {
                        src: "https://x.cn/0861-27fbcb525698b8cd8fb00596bf8819c0.jpg".into(),
                        ..Default::default()
                    },
                    caption: vec![Inline::text("港口")],
                },
                Block::Paragraph {
                    content: vec![Inline::Image {
                        image: Image {
                            src: "https://x.cn/4499e616cc5ee57a9b.png".into(),
                            ..Default::default()
                        },
                    }],
                },
            ],
        };
        let text = render(&doc, None);
        assert!(
            text.contains("[图片：港口]") && text.contains("[图片]"),
            "{text}"
        );
        assert!(!text.contains("image"), "{text}");
    }

    #[test]
    fn links_become_numbered_notes_once_per_url() {
        let link = |t: &str, u: &str| Inline::Link {
            url: u.into(),
            title: None,
            content: vec![Inline::text(t)],
        };
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![Block::Paragraph {
                content: vec![
                    link("a", "https://a.example/"),
                    Inline::text(" "),
                    link("b", "https://a.example/"),
                    Inline::text(" "),
                    link("https://c.example/", "https://c.example/"),
                ],
            }],
        };
        assert_eq!(
            render(&doc, None),
            "a[1] b[1] https://c.example/\n\n[1] https://a.example/\n"
        );
    }

    #[test]
    fn nested_lists_and_quotes_and_code() {
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![
                Block::List {
                    ordered: true,
                    start: 3,
                    items: vec![
                        vec![para("three")],
                        vec![
                            para("four"),
                            Block::List {
                                ordered: false,
                                start: 1,
                                items: vec![vec![para("inner")]],
                            },
                        ],
                    ],
                },
                Block::BlockQuote {
                    blocks: vec![para("quoted"), para("again")],
                },
                Block::CodeBlock {
                    language: Some("rust".into()),
                    code: "fn main() {\n\n}\n".into(),
                },
                Block::Figure {
                    image: Image {
                        src: "https://x.example/a/pic.png?w=1".into(),
                        ..Default::default()
                    },
                    caption: vec![],
                },
            ],
        };
        assert_eq!(
            render(&doc, None),
            "3. three\n4. four\n   ◦ inner\n\n> quoted\n>\n> again\n\n    fn main() {\n\n    }\n\n[image: pic.png]\n"
        );
    }

    #[test]
    fn columns_wrap_by_display_width_without_splitting_words() {
        let lines = fill("alpha supercalifragilistic beta", Some(10), "", "");
        assert_eq!(lines, ["alpha", "supercalifragilistic", "beta"]);
        // Wide characters count two columns; closing punctuation stays with
        // the character before it.
        let lines = fill("一二三四，五六七八。", Some(8), "", "");
        for line in &lines {
            assert!(line.width() <= 8, "{line:?} too wide");
            assert!(
                !line.starts_with('，') && !line.starts_with('。'),
                "{lines:?}"
            );
        }
        assert_eq!(lines.concat(), "一二三四，五六七八。");
    }
}
