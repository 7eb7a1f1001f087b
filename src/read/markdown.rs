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
    CodeBlockKind, CowStr, Event, OffsetIter, Options as CmarkOptions, Parser, Tag, TagEnd,
};
use url::Url;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{Block, Cell, Image, Inline, Table};
use crate::read::html::{self, to_model};
use crate::session::Session;

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

    /// The text of an HTML block (its `Start` read). A block that leaves
    /// elements open (`<div class="highlight"><pre>` and a blank line in
    /// the code) takes the following blocks too, rendered as HTML, up to
    /// the block that closes them, so the HTML reader sees the element
    /// whole, as a browser would.
    fn html_block(&mut self) -> String {
        let mut html = String::new();
        self.html_block_text(&mut html);
        let mut depth = open_depth(&html);
        while depth > 0 {
            match self.events.peek() {
                None | Some((Event::End(_), _)) => break,
                Some((Event::Start(Tag::HtmlBlock), _)) => {
                    self.events.next();
                    let start = html.len();
                    self.html_block_text(&mut html);
                    depth += open_depth(&html[start..]);
                }
                Some(_) => {
                    let events = self.one_block_events();
                    html.push_str(&self.run_as_html(events));
                }
            }
        }
        html
    }

    /// Appends the text of the HTML block being read, through its `End`.
    fn html_block_text(&mut self, html: &mut String) {
        while let Some((Event::Html(part) | Event::Text(part), _)) = self.events.peek() {
            html.push_str(part);
            self.events.next();
        }
        self.skip_to_end();
    }

    /// The events of the next block, whole (a start, its content, its end).
    fn one_block_events(&mut self) -> Vec<Spanned<'a>> {
        let mut events = Vec::new();
        let mut depth = 0usize;
        while let Some(event) = self.events.next() {
            match &event.0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            events.push(event);
            if depth == 0 {
                break;
            }
        }
        events
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

    /// A paragraph of a run of inline events: nothing when it is empty,
    /// figures when it holds only images.
    fn paragraph(&mut self, run: Vec<Spanned<'a>>) -> Vec<Block> {
        if has_inline_html(&run) {
            let at = run_start(&run);
            let html = self.run_as_html(run);
            return self.html_fragment(&format!("<p>{html}</p>"), at);
        }
        let content = self.inlines(run);
        if content.is_empty() {
            return Vec::new();
        }
        match only_images(&content) {
            Some(images) => images
                .into_iter()
                .map(|image| Block::Figure {
                    image,
                    caption: Vec::new(),
                })
                .collect(),
            None => vec![Block::Paragraph { content }],
        }
    }

    /// The inlines of a run, whitespace collapsed, without line breaks at
    /// either end.
    fn inlines(&mut self, run: Vec<Spanned<'a>>) -> Vec<Inline> {
        let mut content = if has_inline_html(&run) {
            let at = run_start(&run);
            let html = self.run_as_html(run);
            let blocks = self.html_fragment(&format!("<p>{html}</p>"), at);
            blocks_as_inlines(blocks)
        } else {
            let mut events = run.into_iter();
            self.inline_tree(&mut events)
        };
        to_model::normalize(&mut content, self.keep_all);
        trim_breaks(&mut content);
        content
    }

    /// Inlines up to the `End` of the enclosing inline element (consumed).
    fn inline_tree(&mut self, events: &mut std::vec::IntoIter<Spanned<'a>>) -> Vec<Inline> {
        if self.depth >= MAX_DEPTH * 2 {
            return vec![Inline::text(alt_text(events))];
        }
        self.depth += 1;
        let inlines = self.inline_tree_here(events);
        self.depth -= 1;
        inlines
    }

    fn inline_tree_here(&mut self, events: &mut std::vec::IntoIter<Spanned<'a>>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Text(text) | Event::InlineMath(text) => push_text(&mut out, &text),
                Event::SoftBreak => push_text(&mut out, "\n"),
                Event::HardBreak => out.push(Inline::LineBreak),
                Event::Code(code) if !code.is_empty() => out.push(Inline::Code {
                    code: code.to_string(),
                }),
                Event::TaskListMarker(done) => push_text(&mut out, task_box(done)),
                Event::FootnoteReference(label) => {
                    let n = self.footnote_number(&label);
                    out.push(Inline::Superscript {
                        content: vec![Inline::text(n.to_string())],
                    });
                }
                Event::Start(tag) => self.inline_element(tag, range.start, events, &mut out),
                Event::End(_) => break,
                _ => {}
            }
        }
        out
    }

    /// One inline element whose `Start`, at byte `at`, was just read.
    fn inline_element(
        &mut self,
        tag: Tag<'a>,
        at: usize,
        events: &mut std::vec::IntoIter<Spanned<'a>>,
        out: &mut Vec<Inline>,
    ) {
        if let Tag::Image {
            dest_url, title, ..
        } = tag
        {
            let alt = alt_text(events);
            match self.resolve(&dest_url) {
                Some(src) => out.push(Inline::Image {
                    image: Image {
                        src,
                        alt: alt.trim().to_string(),
                        title: non_empty(title),
                    },
                }),
                None => self
                    .warnings
                    .push_at(at, "image without a usable source dropped"),
            }
            return;
        }
        let content = self.inline_tree(events);
        if content.is_empty() {
            return;
        }
        let inline = match tag {
            Tag::Emphasis => Inline::Emphasis { content },
            Tag::Strong => Inline::Strong { content },
            Tag::Strikethrough => Inline::Strikeout { content },
            Tag::Superscript => Inline::Superscript { content },
            Tag::Subscript => Inline::Subscript { content },
            Tag::Link {
                dest_url, title, ..
            } => match self.link_url(&dest_url) {
                Some(url) => Inline::Link {
                    url,
                    title: non_empty(title),
                    content,
                },
                // An in-page anchor or a script: the text stays.
                None => return append_all(out, content),
            },
            _ => return append_all(out, content),
        };
        out.push(inline);
    }

    /// A run with inline HTML rendered as HTML, footnote references and
    /// task boxes as conv shows them.
    fn run_as_html(&mut self, run: Vec<Spanned<'a>>) -> String {
        let events: Vec<Event<'a>> = run
            .into_iter()
            .map(|(event, _)| match event {
                Event::FootnoteReference(label) => {
                    let n = self.footnote_number(&label);
                    Event::InlineHtml(CowStr::from(format!("<sup>{n}</sup>")))
                }
                Event::TaskListMarker(done) => Event::Text(CowStr::Borrowed(task_box(done))),
                other => other,
            })
            .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        html
    }

    /// Raw HTML read by the HTML reader, without the scraper clean-up.
    /// The HTML was made from the Markdown at byte `at` (an HTML block's
    /// lines without their container's markers, or a paragraph rendered
    /// back), so its warnings point there.
    fn html_fragment(&mut self, html: &str, at: usize) -> Vec<Block> {
        let (base, keep_all) = (self.base.clone(), self.keep_all);
        self.warnings.pinned(at, |warnings| {
            let dom = html::parse(html);
            to_model::Mapper::new(&dom, base, keep_all, warnings).blocks_of(html::ROOT)
        })
    }

    /// A link target: `None` for in-page anchors, empty targets and
    /// `javascript:` (the HTML reader's rule).
    fn link_url(&self, href: &str) -> Option<String> {
        let h = href.trim();
        let lower = h.get(..11).unwrap_or(h).to_ascii_lowercase();
        if h.starts_with('#') || lower.starts_with("javascript:") {
            return None;
        }
        self.resolve(h)
    }

    /// `url` resolved against the base, as the HTML reader does.
    fn resolve(&self, url: &str) -> Option<String> {
        let url = url.trim();
        if url.is_empty() {
            return None;
        }
        if has_scheme(url) {
            return Some(url.to_string());
        }
        match &self.base {
            Some(base) => Some(
                base.join(url)
                    .map_or_else(|_| url.to_string(), String::from),
            ),
            None if url.starts_with("//") => Some(format!("https:{url}")),
            None => Some(url.to_string()),
        }
    }
}

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// How many more elements `html` opens than it closes (negative when it
/// closes more), by a quick scan of its tags; comments and void elements
/// do not count.
fn open_depth(html: &str) -> isize {
    let mut depth = 0isize;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let (closing, name_part) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let len = name_part
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name_part.len());
        if len == 0 || !name_part.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name = name_part[..len].to_ascii_lowercase();
        let tag_end = name_part.find('>').unwrap_or(name_part.len());
        let self_closing = name_part[..tag_end].ends_with('/');
        if VOID.contains(&name.as_str()) || self_closing {
            continue;
        }
        depth += if closing { -1 } else { 1 };
    }
    depth
}

fn has_inline_html(run: &[Spanned<'_>]) -> bool {
    run.iter().any(|(e, _)| matches!(e, Event::InlineHtml(_)))
}

/// Where a run of inline events starts in the Markdown text.
fn run_start(run: &[Spanned<'_>]) -> usize {
    run.first().map_or(0, |(_, range)| range.start)
}

fn task_box(done: bool) -> &'static str {
    if done {
        "☑ "
    } else {
        "☐ "
    }
}

fn non_empty(s: CowStr<'_>) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn push_text(out: &mut Vec<Inline>, s: &str) {
    match out.last_mut() {
        Some(Inline::Text { text }) => text.push_str(s),
        _ => out.push(Inline::text(s)),
    }
}

/// Appends inlines, merging text with the text before it.
fn append_all(out: &mut Vec<Inline>, inlines: Vec<Inline>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => push_text(out, &text),
            other => out.push(other),
        }
    }
}

/// The plain text of an image's description, up to its `End` (consumed).
fn alt_text(events: &mut std::vec::IntoIter<Spanned<'_>>) -> String {
    let mut alt = String::new();
    let mut depth = 0usize;
    for (event, _) in events.by_ref() {
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    alt
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

/// Whether `url` starts with a scheme (`https:`, `mailto:`, `data:`).
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Removes line breaks at the start and end of a run.
fn trim_breaks(content: &mut Vec<Inline>) {
    while matches!(content.last(), Some(Inline::LineBreak)) {
        content.pop();
    }
    let lead = content
        .iter()
        .take_while(|i| matches!(i, Inline::LineBreak))
        .count();
    content.drain(..lead);
}

/// When a paragraph is only images (possibly linked), those images.
fn only_images(content: &[Inline]) -> Option<Vec<Image>> {
    fn collect(content: &[Inline], images: &mut Vec<Image>) -> bool {
        content.iter().all(|i| match i {
            Inline::Image { image } => {
                images.push(image.clone());
                true
            }
            Inline::LineBreak => true,
            Inline::Link { content, .. } => collect(content, images),
            _ => false,
        })
    }
    let mut images = Vec::new();
    (collect(content, &mut images) && !images.is_empty()).then_some(images)
}

/// Blocks read from an HTML fragment as one run of inlines (for a heading
/// or a cell), blocks joined by line breaks.
fn blocks_as_inlines(blocks: Vec<Block>) -> Vec<Inline> {
    let mut out = Vec::new();
    for block in blocks {
        if !out.is_empty() {
            out.push(Inline::LineBreak);
        }
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => out.extend(content),
            Block::Figure { image, .. } => out.push(Inline::Image { image }),
            other => out.push(Inline::text(crate::model::blocks_text(&[other]).trim())),
        }
    }
    out
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
