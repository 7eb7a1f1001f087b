//! DOM → model. Block elements become [`Block`]s; inline elements become
//! [`Inline`]s; containers (`div`, `section`, unknown tags) flatten. Runs of
//! inline content between blocks become paragraphs, split again at `<br><br>`
//! (bare text + `<br>` bodies). Whitespace collapses as in HTML, except that
//! a line break between two CJK characters disappears instead of becoming a
//! space. An inline element that contains a block is split around it, so no
//! text is lost whatever the nesting.

mod flow;
mod media;
mod shape;
mod table;
mod text;

use super::dom::{Dom, Element, NodeData, NodeId};
use super::elements;
use crate::diag::Warnings;
use crate::model::{Block, Inline};
use flow::{Flow, Wrap};
use text::{attach, code_text, language_of};
use url::Url;

pub(crate) use flow::only_images;
pub(crate) use media::resolve_url;
pub use text::normalize;
pub(crate) use text::trim_breaks;

/// Classes that mark an image caption in scraped pages.
const CAPTION_CLASSES: &[&str] = &[
    "img_descr",
    "img-desc",
    "img_desc",
    "image-caption",
    "img-caption",
    "pic_txt",
    "pic-caption",
    "caption",
];

/// Settings of the mapping.
pub struct Mapper<'d, 'a, 'w> {
    /// The (cleaned) DOM.
    pub dom: &'d Dom<'a>,
    /// Base for relative URLs.
    pub base: Option<Url>,
    /// Keep indentation and whitespace-only paragraphs.
    pub keep_all: bool,
    /// Where to report what was dropped.
    pub warnings: &'w mut Warnings,
    /// Block quotes, lists and tables open around the node being mapped.
    nesting: usize,
    /// Whether the "nested too deep" warning was given.
    flattened: bool,
    /// Level of the last `<h1>`…`<h6>` mapped (1, the title's, before any):
    /// subheads written as bold paragraphs go one below it.
    heading_level: u8,
}

impl<'d, 'a, 'w> Mapper<'d, 'a, 'w> {
    /// A mapper over `dom`.
    pub fn new(
        dom: &'d Dom<'a>,
        base: Option<Url>,
        keep_all: bool,
        warnings: &'w mut Warnings,
    ) -> Self {
        Mapper {
            dom,
            base,
            keep_all,
            warnings,
            nesting: 0,
            flattened: false,
            heading_level: 1,
        }
    }
}

impl Mapper<'_, '_, '_> {
    /// Records a warning about the element `id`, at its tag when the
    /// parser saw one.
    pub(super) fn warn_at(&mut self, id: NodeId, message: impl Into<String>) {
        match self.dom.node(id).offset() {
            Some(offset) => self.warnings.push_at(offset, message),
            None => self.warnings.push(message),
        }
    }

    /// The blocks of the children of `id`.
    pub fn blocks_of(&mut self, id: NodeId) -> Vec<Block> {
        let mut flow = Flow::new(self.keep_all);
        self.children(&mut flow, id);
        flow.finish()
    }

    fn children(&mut self, flow: &mut Flow, id: NodeId) {
        let dom = self.dom;
        let mut cur = dom.node(id).first_child();
        while let Some(c) = cur {
            cur = dom.node(c).next();
            self.node(flow, c);
        }
    }

    /// The inline content of `id` (blocks inside are joined by line breaks).
    fn inlines_of(&mut self, id: NodeId) -> Vec<Inline> {
        let blocks = self.blocks_of(id);
        let mut out = Vec::new();
        for b in blocks {
            if !out.is_empty() {
                out.push(Inline::LineBreak);
            }
            match b {
                Block::Paragraph { content } | Block::Heading { content, .. } => {
                    out.extend(content)
                }
                Block::Figure { image, .. } => out.push(Inline::Image { image }),
                other => out.push(Inline::text(crate::model::blocks_text(&[other]).trim())),
            }
        }
        out
    }

    fn node(&mut self, flow: &mut Flow, id: NodeId) {
        let dom = self.dom;
        match &dom.node(id).data {
            NodeData::Text(t) => flow.push_text(t),
            NodeData::Element(el) => self.element(flow, id, el),
            NodeData::Comment(_) | NodeData::Root => {}
        }
    }

    fn element(&mut self, flow: &mut Flow, id: NodeId, el: &Element<'_>) {
        let name = el.name.as_ref();
        let class = el.attr("class").unwrap_or("");
        if CAPTION_CLASSES.iter().any(|c| class.contains(c)) && self.caption(flow, id) {
            return;
        }
        match name {
            _ if elements::is(name, elements::SKIP) => {}
            "br" => flow.push(Inline::LineBreak),
            "hr" => flow.block(Block::Rule),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                self.heading_level = level;
                let mut content = self.inlines_of(id);
                normalize(&mut content, self.keep_all);
                trim_breaks(&mut content);
                flow.flush();
                if !content.is_empty() {
                    flow.block(Block::Heading { level, content });
                }
            }
            "ul" | "ol" | "menu" | "blockquote" | "table" if self.too_deep(id) => {
                // Items, quoted blocks and cells become the outer flow's.
                flow.flush();
                self.children(flow, id);
                flow.flush();
            }
            "ul" | "ol" | "menu" => {
                flow.flush();
                self.nesting += 1;
                let list = self.list(id, el);
                self.nesting -= 1;
                if let Some(list) = list {
                    flow.block(list);
                }
            }
            "dl" => {
                flow.flush();
                self.definition_list(flow, id);
            }
            "blockquote" => {
                flow.flush();
                self.nesting += 1;
                let blocks = self.blocks_of(id);
                self.nesting -= 1;
                if !blocks.is_empty() {
                    flow.block(Block::BlockQuote { blocks });
                }
            }
            "pre" | "xmp" | "listing" | "plaintext" => {
                flow.flush();
                if let Some(code) = self.code_block(id, el) {
                    flow.block(code);
                }
            }
            "table" => {
                flow.flush();
                self.nesting += 1;
                self.table(flow, id);
                self.nesting -= 1;
            }
            "figure" => {
                flow.flush();
                self.figure(flow, id);
            }
            "img" => match self.image(el) {
                Some(image) => flow.push(Inline::Image { image }),
                None => self.warn_at(id, "image without a usable source dropped"),
            },
            "iframe" | "embed" | "video" | "audio" | "object" => {
                flow.flush();
                if let Some(p) = self.embed(id, el) {
                    flow.block(p);
                }
            }
            "a" => match el.attr("href").and_then(|h| self.link_url(h)) {
                Some(url) => {
                    let title = el
                        .attr("title")
                        .map(str::to_string)
                        .filter(|t| !t.is_empty());
                    self.wrapped(flow, id, Wrap::Link(url, title));
                }
                None => self.children(flow, id),
            },
            "em" | "i" | "cite" | "dfn" | "var" => self.wrapped(flow, id, Wrap::Em),
            "strong" | "b" => self.wrapped(flow, id, Wrap::Strong),
            "s" | "strike" | "del" => self.wrapped(flow, id, Wrap::Strike),
            "sup" => self.wrapped(flow, id, Wrap::Sup),
            "sub" => self.wrapped(flow, id, Wrap::Sub),
            "code" | "kbd" | "samp" | "tt" => {
                let code = code_text(self.dom, id);
                let code = code.trim_matches('\n');
                if code.contains('\n') && !code.trim().is_empty() {
                    flow.block(Block::CodeBlock {
                        language: language_of(el),
                        code: code.to_string(),
                    });
                } else if !code.is_empty() {
                    flow.push(Inline::Code {
                        code: code.to_string(),
                    });
                }
            }
            "p" if self.subhead(flow, id, el) => {}
            _ if elements::is(name, elements::CONTAINER) => {
                flow.flush();
                self.children(flow, id);
                flow.flush();
            }
            _ => self.children(flow, id),
        }
    }

    fn wrapped(&mut self, flow: &mut Flow, id: NodeId, w: Wrap) {
        // Emphasis inside emphasis 32 deep says nothing more; the content
        // stays in the outer run (writers walk inlines recursively).
        if flow.depth() > shape::MAX_INLINE_NESTING {
            self.children(flow, id);
            return;
        }
        flow.open(w);
        self.children(flow, id);
        flow.close();
    }

    /// A caption-classed element right after a figure becomes its caption.
    fn caption(&mut self, flow: &mut Flow, id: NodeId) -> bool {
        flow.flush();
        let Some(Block::Figure { caption, .. }) = flow.blocks.last() else {
            return false;
        };
        if !caption.is_empty() {
            return false;
        }
        let mut content = self.inlines_of(id);
        normalize(&mut content, self.keep_all);
        trim_breaks(&mut content);
        if let Some(Block::Figure { caption, image }) = flow.blocks.last_mut() {
            *caption = content;
            media::alt_from_caption(image, caption);
        }
        true
    }

    fn list(&mut self, id: NodeId, el: &Element<'_>) -> Option<Block> {
        let ordered = el.name == "ol";
        let start = el
            .attr("start")
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map_or(1, |n| n.max(0) as u64);
        let mut items: Vec<Vec<Block>> = Vec::new();
        let kids: Vec<NodeId> = self.dom.children(id).collect();
        let mut loose = Flow::new(self.keep_all);
        for c in kids {
            if self.dom.name(c) == "li" {
                let stray = std::mem::replace(&mut loose, Flow::new(self.keep_all)).finish();
                attach(&mut items, stray);
                let blocks = self.blocks_of(c);
                if !blocks.is_empty() {
                    items.push(blocks);
                }
            } else {
                self.node(&mut loose, c);
            }
        }
        attach(&mut items, loose.finish());
        (!items.is_empty()).then_some(Block::List {
            ordered,
            start,
            items,
        })
    }

    fn definition_list(&mut self, flow: &mut Flow, id: NodeId) {
        let kids: Vec<NodeId> = self.dom.children(id).collect();
        for c in kids {
            if self.dom.name(c) == "dt" {
                let content = self.inlines_of(c);
                if !content.is_empty() {
                    flow.block(Block::Paragraph {
                        content: vec![Inline::Strong { content }],
                    });
                }
            } else {
                flow.flush();
                self.node(flow, c);
                flow.flush();
            }
        }
    }

    fn code_block(&mut self, id: NodeId, el: &Element<'_>) -> Option<Block> {
        let text = code_text(self.dom, id);
        let code = text.trim_start_matches(['\n', '\r']).trim_end();
        if code.is_empty() {
            return None;
        }
        let mut language = language_of(el);
        if language.is_none() {
            language = self
                .dom
                .children(id)
                .find_map(|c| self.dom.element(c).and_then(language_of));
        }
        if language.is_none() {
            language = self
                .dom
                .node(id)
                .parent()
                .and_then(|p| self.dom.element(p))
                .and_then(language_of);
        }
        Some(Block::CodeBlock {
            language,
            code: code.to_string(),
        })
    }
}
