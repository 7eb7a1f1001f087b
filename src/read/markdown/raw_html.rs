//! Raw HTML in Markdown: HTML blocks (taking the following blocks while
//! they leave elements open), runs with inline tags rendered back to HTML,
//! and the HTML fragment reader they go to.

use pulldown_cmark::{CowStr, Event, Tag};

use super::inline::task_box;
use super::{Reader, Spanned};
use crate::model::{Block, Inline};
use crate::read::html::{self, to_model};

impl<'a> Reader<'a, '_> {
    /// The text of an HTML block (its `Start` read). A block that leaves
    /// elements open (`<div class="highlight"><pre>` and a blank line in
    /// the code) takes the following blocks too, rendered as HTML, up to
    /// the block that closes them, so the HTML reader sees the element
    /// whole, as a browser would.
    pub(super) fn html_block(&mut self) -> String {
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
    pub(super) fn html_block_text(&mut self, html: &mut String) {
        while let Some((Event::Html(part) | Event::Text(part), _)) = self.events.peek() {
            html.push_str(part);
            self.events.next();
        }
        self.skip_to_end();
    }

    /// The events of the next block, whole (a start, its content, its end).
    pub(super) fn one_block_events(&mut self) -> Vec<Spanned<'a>> {
        let mut events = Vec::new();
        let mut depth = 0usize;
        for event in self.events.by_ref() {
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

    /// A run with inline HTML rendered as HTML, footnote references and
    /// task boxes as conv shows them.
    pub(super) fn run_as_html(&mut self, run: Vec<Spanned<'a>>) -> String {
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
    pub(super) fn html_fragment(&mut self, html: &str, at: usize) -> Vec<Block> {
        let (base, keep_all) = (self.base.clone(), self.keep_all);
        self.warnings.pinned(at, |warnings| {
            let dom = html::parse(html);
            to_model::Mapper::new(&dom, base, keep_all, warnings).blocks_of(html::ROOT)
        })
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
pub(super) fn open_depth(html: &str) -> isize {
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

pub(super) fn has_inline_html(run: &[Spanned<'_>]) -> bool {
    run.iter().any(|(e, _)| matches!(e, Event::InlineHtml(_)))
}

/// Where a run of inline events starts in the Markdown text.
pub(super) fn run_start(run: &[Spanned<'_>]) -> usize {
    run.first().map_or(0, |(_, range)| range.start)
}

/// Blocks read from an HTML fragment as one run of inlines (for a heading
/// or a cell), blocks joined by line breaks.
pub(super) fn blocks_as_inlines(blocks: Vec<Block>) -> Vec<Inline> {
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
