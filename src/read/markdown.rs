//! Markdown → blocks, straight from pulldown-cmark's events (CommonMark
//! with tables, strikethrough, task lists and footnotes) to the model.
//!
//! Only raw HTML goes to the HTML reader ([`crate::read::html`]): an HTML
//! block is read as a fragment, and a paragraph, heading or cell whose text
//! has inline tags is rendered back to HTML and read the same way, so the
//! HTML parser pairs the tags. The scraper clean-up never runs: everything
//! in a Markdown file is the author's. Whitespace collapses as in the HTML
//! reader (a soft break between two CJK characters disappears).
//!
//! The model has no footnotes: a reference is its number in superscript,
//! and a definition is a paragraph that starts with that number, where the
//! author put it. Task-list boxes become the characters ☐ and ☑.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, Event, OffsetIter, Options as CmarkOptions, Parser, Tag, TagEnd,
};
use url::Url;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{Block, Cell, Inline, Table};
use crate::read::html::to_model;
use crate::session::Session;
use inline::append_all;

mod inline;
mod raw_html;

/// The Markdown extensions conv enables.
fn extensions() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_FOOTNOTES
}

/// Reads a Markdown body into blocks; relative URLs resolve against
/// `base_url`.
pub fn read(
    text: &str,
    base_url: Option<&str>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<Block>> {
    let mut reader = Reader {
        events: Parser::new_ext(text, extensions())
            .into_offset_iter()
            .peekable(),
        base: base_url.and_then(|u| Url::parse(u.trim()).ok()),
        keep_all: session.opts.keep_all,
        footnotes: HashMap::new(),
        depth: 0,
        warnings,
    };
    Ok(reader.blocks())
}

/// An event and its byte range in the Markdown text (where warnings point).
type Spanned<'a> = (Event<'a>, Range<usize>);

struct Reader<'a, 'w> {
    events: std::iter::Peekable<OffsetIter<'a>>,
    base: Option<Url>,
    keep_all: bool,
    /// Footnote numbers by label, in order of first mention.
    footnotes: HashMap<String, usize>,
    /// Block and inline elements open around the current event.
    depth: usize,
    warnings: &'w mut Warnings,
}

/// Deepest nesting of elements mapped as such; deeper content is kept as
/// the text of one paragraph (the writers could not show it nested, and
/// the reader's recursion stays bounded: `>` repeated 100,000 times).
const MAX_DEPTH: usize = 48;

/// Whether an event belongs to running text (and not to block structure).
fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(end) => matches!(
            end,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::TaskListMarker(_) => true,
        Event::Html(_) | Event::DisplayMath(_) | Event::Rule => false,
    }
}

impl<'a> Reader<'a, '_> {
    /// Blocks up to the end of the enclosing element (its `End` is
    /// consumed) or of the input.
    fn blocks(&mut self) -> Vec<Block> {
        if self.depth >= MAX_DEPTH {
            return self.flattened();
        }
        self.depth += 1;
        let blocks = self.blocks_here();
        self.depth -= 1;
        blocks
    }

    /// The rest of the enclosing element as one paragraph of its text.
    fn flattened(&mut self) -> Vec<Block> {
        let at = self.events.peek().map(|(_, range)| range.start);
        let mut text = String::new();
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::SoftBreak | Event::HardBreak => text.push('\n'),
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => {
                    depth -= 1;
                    text.push('\n');
                }
                _ => {}
            }
        }
        let mut content = vec![Inline::text(text)];
        to_model::normalize(&mut content, self.keep_all);
        if content.is_empty() {
            return Vec::new();
        }
        let message = format!(
            "Markdown nests deeper than {MAX_DEPTH} levels; the rest is kept as plain text"
        );
        match at {
            Some(at) => self.warnings.push_at(at, message),
            None => self.warnings.push(message),
        }
        vec![Block::Paragraph { content }]
    }

    fn blocks_here(&mut self) -> Vec<Block> {
        let mut out = Vec::new();
        loop {
            let Some((event, _)) = self.events.peek() else {
                return out;
            };
            if is_inline(event) {
                // Text straight inside a tight list item.
                let run = self.inline_run();
                out.extend(self.paragraph(run));
                continue;
            }
            let Some((event, range)) = self.events.next() else {
                return out;
            };
            match event {
                Event::Start(tag) => self.block(tag, range.start, &mut out),
                Event::Rule => out.push(Block::Rule),
                Event::Html(html) => out.extend(self.html_fragment(&html, range.start)),
                Event::DisplayMath(math) => out.push(Block::CodeBlock {
                    language: None,
                    code: math.to_string(),
                }),
                Event::End(_) => return out,
                _ => {}
            }
        }
    }

    /// One block element whose `Start` was just read, at byte `at`.
    fn block(&mut self, tag: Tag<'a>, at: usize, out: &mut Vec<Block>) {
        match tag {
            Tag::Paragraph => {
                let run = self.inline_run();
                self.skip_to_end();
                out.extend(self.paragraph(run));
            }
            Tag::Heading { level, .. } => {
                let run = self.inline_run();
                self.skip_to_end();
                let content = self.inlines(run);
                if !content.is_empty() {
                    out.push(Block::Heading {
                        level: level as u8,
                        content,
                    });
                }
            }
            Tag::BlockQuote(_) => {
                let blocks = self.blocks();
                if !blocks.is_empty() {
                    out.push(Block::BlockQuote { blocks });
                }
            }
            Tag::CodeBlock(kind) => out.extend(self.code_block(kind)),
            Tag::HtmlBlock => {
                let html = self.html_block();
                out.extend(self.html_fragment(&html, at));
            }
            Tag::List(start) => out.extend(self.list(start)),
            Tag::FootnoteDefinition(label) => {
                let number = self.footnote_number(&label);
                let blocks = self.blocks();
                out.extend(footnote(number, blocks));
            }
            Tag::Table(_) => out.extend(self.table()),
            // Not enabled (definition lists, metadata blocks), or stray: keep
            // the content.
            _ => out.extend(self.blocks()),
        }
    }

    /// Consumes events up to and including the `End` of the element being
    /// read (what a paragraph or heading holds besides text is nothing).
    fn skip_to_end(&mut self) {
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return,
                Event::End(_) => depth -= 1,
                _ => {}
            }
        }
    }

    /// The run of inline events from here to the next block event.
    fn inline_run(&mut self) -> Vec<Spanned<'a>> {
        let mut run = Vec::new();
        while let Some(event) = self.events.next_if(|(e, _)| is_inline(e)) {
            run.push(event);
        }
        run
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>) -> Option<Block> {
        let mut text = String::new();
        while let Some((Event::Text(part), _)) = self.events.peek() {
            text.push_str(part);
            self.events.next();
        }
        self.skip_to_end();
        let code = text.trim_start_matches(['\n', '\r']).trim_end();
        if code.is_empty() {
            return None;
        }
        let language = match kind {
            CodeBlockKind::Fenced(info) => language_of(&info),
            CodeBlockKind::Indented => None,
        };
        Some(Block::CodeBlock {
            language,
            code: code.to_string(),
        })
    }

    fn list(&mut self, start: Option<u64>) -> Option<Block> {
        let mut items = Vec::new();
        loop {
            match self.events.next().map(|(e, _)| e) {
                Some(Event::Start(Tag::Item)) => {
                    let blocks = self.blocks();
                    if !blocks.is_empty() {
                        items.push(blocks);
                    }
                }
                Some(Event::End(_)) | None => break,
                Some(_) => {}
            }
        }
        (!items.is_empty()).then_some(Block::List {
            ordered: start.is_some(),
            start: start.unwrap_or(1),
            items,
        })
    }

    /// A table (its `Start` read): the head's cells, then rows of cells.
    /// Markdown has no cell spans; column alignment has no place in the
    /// model and is dropped.
    fn table(&mut self) -> Option<Block> {
        let mut table = Table::default();
        loop {
            match self.events.next().map(|(e, _)| e) {
                Some(Event::Start(Tag::TableHead)) => {
                    let row = self.row(true);
                    table.head.push(row);
                }
                Some(Event::Start(Tag::TableRow)) => {
                    let row = self.row(false);
                    table.body.push(row);
                }
                Some(Event::End(_)) | None => break,
                Some(_) => {}
            }
        }
        let empty = |rows: &[Vec<Cell>]| rows.iter().flatten().all(|c| c.blocks.is_empty());
        if empty(&table.head) {
            table.head.clear();
        }
        (!(table.head.is_empty() && empty(&table.body))).then_some(Block::Table(table))
    }

    /// The cells up to the end of a row (or of the head).
    fn row(&mut self, header: bool) -> Vec<Cell> {
        let mut row = Vec::new();
        loop {
            match self.events.next().map(|(e, _)| e) {
                Some(Event::Start(Tag::TableCell)) => {
                    let run = self.inline_run();
                    self.skip_to_end();
                    row.push(Cell {
                        header,
                        colspan: 1,
                        blocks: self.paragraph(run),
                    });
                }
                Some(Event::End(_)) | None => return row,
                Some(_) => {}
            }
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_string()).or_insert(next)
    }
}

/// A footnote definition: its blocks, the first paragraph led by the
/// note's number (a paragraph of the number alone when the note starts
/// with something else).
fn footnote(number: usize, mut blocks: Vec<Block>) -> Vec<Block> {
    let label = Inline::Superscript {
        content: vec![Inline::text(number.to_string())],
    };
    match blocks.first_mut() {
        Some(Block::Paragraph { content }) => {
            let mut led = vec![label, Inline::text(" ")];
            append_all(&mut led, std::mem::take(content));
            *content = led;
        }
        _ => blocks.insert(
            0,
            Block::Paragraph {
                content: vec![label],
            },
        ),
    }
    blocks
}

/// The code language of a fence's info string: its first word, lower-cased,
/// unless it says "no language".
fn language_of(info: &str) -> Option<String> {
    let word = info.split_whitespace().next()?;
    let word = word.split(['{', ',']).next().unwrap_or(word);
    let lang = word
        .strip_prefix("language-")
        .unwrap_or(word)
        .to_ascii_lowercase();
    let none = ["", "text", "plain", "plaintext", "none", "nohighlight"];
    (!none.contains(&lang.as_str())).then_some(lang)
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
