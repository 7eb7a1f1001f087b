//! Markdown's running text: paragraphs, inline elements, links and images.

use pulldown_cmark::{CowStr, Event, Tag};

use super::raw_html::{blocks_as_inlines, has_inline_html, run_start};
use super::{Reader, Spanned, MAX_DEPTH};
use crate::model::{Block, Image, Inline};
use crate::read::html::to_model::{self, only_images, trim_breaks};

impl<'a> Reader<'a, '_> {
    /// A paragraph of a run of inline events: nothing when it is empty,
    /// figures when it holds only images.
    pub(super) fn paragraph(&mut self, run: Vec<Spanned<'a>>) -> Vec<Block> {
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
    pub(super) fn inlines(&mut self, run: Vec<Spanned<'a>>) -> Vec<Inline> {
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
    pub(super) fn inline_tree(
        &mut self,
        events: &mut std::vec::IntoIter<Spanned<'a>>,
    ) -> Vec<Inline> {
        if self.depth >= MAX_DEPTH * 2 {
            return vec![Inline::text(alt_text(events))];
        }
        self.depth += 1;
        let inlines = self.inline_tree_here(events);
        self.depth -= 1;
        inlines
    }

    pub(super) fn inline_tree_here(
        &mut self,
        events: &mut std::vec::IntoIter<Spanned<'a>>,
    ) -> Vec<Inline> {
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
    pub(super) fn inline_element(
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

    /// A link target: `None` for in-page anchors, empty targets and
    /// `javascript:` (the HTML reader's rule).
    pub(super) fn link_url(&self, href: &str) -> Option<String> {
        let h = href.trim();
        let lower = h.get(..11).unwrap_or(h).to_ascii_lowercase();
        if h.starts_with('#') || lower.starts_with("javascript:") {
            return None;
        }
        self.resolve(h)
    }

    /// `url` resolved against the base, as the HTML reader does.
    pub(super) fn resolve(&self, url: &str) -> Option<String> {
        to_model::resolve_url(self.base.as_ref(), url.trim())
    }
}

pub(super) fn task_box(done: bool) -> &'static str {
    if done {
        "☑ "
    } else {
        "☐ "
    }
}

pub(super) fn non_empty(s: CowStr<'_>) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

pub(super) fn push_text(out: &mut Vec<Inline>, s: &str) {
    match out.last_mut() {
        Some(Inline::Text { text }) => text.push_str(s),
        _ => out.push(Inline::text(s)),
    }
}

/// Appends inlines, merging text with the text before it.
pub(super) fn append_all(out: &mut Vec<Inline>, inlines: Vec<Inline>) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => push_text(out, &text),
            other => out.push(other),
        }
    }
}

/// The plain text of an image's description, up to its `End` (consumed).
pub(super) fn alt_text(events: &mut std::vec::IntoIter<Spanned<'_>>) -> String {
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
