//! DOM → model. Block elements become [`Block`]s; inline elements become
//! [`Inline`]s; containers (`div`, `section`, unknown tags) flatten. Runs of
//! inline content between blocks become paragraphs, split again at `<br><br>`
//! (bare text + `<br>` bodies). Whitespace collapses as in HTML, except that
//! a line break between two CJK characters disappears instead of becoming a
//! space. An inline element that contains a block is split around it, so no
//! text is lost whatever the nesting.

use super::dom::{Dom, Element, NodeData, NodeId};
use super::elements;
use crate::diag::Warnings;
use crate::model::{Block, Cell, Image, Inline, Row, Table};
use url::Url;

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

/// Attributes lazy-loading scripts keep the real image source in.
const LAZY_SRC: &[&str] = &[
    "data-src",
    "data-original",
    "_src",
    "data-actualsrc",
    "data-lazy-src",
    "data-original-src",
    "data-url",
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
}

#[derive(Debug, Clone)]
enum Wrap {
    Root,
    Em,
    Strong,
    Strike,
    Sup,
    Sub,
    Link(String, Option<String>),
}

struct Frame {
    wrap: Wrap,
    content: Vec<Inline>,
}

/// Blocks produced so far plus the open inline wrappers of the paragraph
/// being built.
struct Flow {
    blocks: Vec<Block>,
    frames: Vec<Frame>,
    keep_all: bool,
}

impl Flow {
    fn new(keep_all: bool) -> Self {
        Flow {
            blocks: Vec::new(),
            frames: vec![Frame {
                wrap: Wrap::Root,
                content: Vec::new(),
            }],
            keep_all,
        }
    }

    fn top(&mut self) -> &mut Vec<Inline> {
        let n = self.frames.len();
        &mut self.frames[n - 1].content
    }

    fn push_text(&mut self, s: &str) {
        let top = self.top();
        if let Some(Inline::Text { text }) = top.last_mut() {
            text.push_str(s);
        } else {
            top.push(Inline::text(s));
        }
    }

    fn push(&mut self, inline: Inline) {
        self.top().push(inline);
    }

    fn open(&mut self, wrap: Wrap) {
        self.frames.push(Frame {
            wrap,
            content: Vec::new(),
        });
    }

    fn close(&mut self) {
        if self.frames.len() <= 1 {
            return;
        }
        if let Some(f) = self.frames.pop() {
            if !f.content.is_empty() {
                self.push(wrap(&f.wrap, f.content));
            }
        }
    }

    /// Ends the paragraph being built (keeping the open wrappers open for
    /// what follows) and emits it.
    fn flush(&mut self) {
        if self.frames.iter().all(|f| f.content.is_empty()) {
            return;
        }
        for i in (1..self.frames.len()).rev() {
            let content = std::mem::take(&mut self.frames[i].content);
            if !content.is_empty() {
                let w = wrap(&self.frames[i].wrap, content);
                self.frames[i - 1].content.push(w);
            }
        }
        let root = std::mem::take(&mut self.frames[0].content);
        for piece in split_at_double_breaks(root) {
            self.emit(piece);
        }
    }

    fn emit(&mut self, mut piece: Vec<Inline>) {
        normalize(&mut piece, self.keep_all);
        trim_breaks(&mut piece);
        if piece.is_empty() {
            return;
        }
        if let Some(images) = only_images(&piece) {
            for image in images {
                self.blocks.push(Block::Figure {
                    image,
                    caption: Vec::new(),
                });
            }
            return;
        }
        self.blocks.push(Block::Paragraph { content: piece });
    }

    fn block(&mut self, block: Block) {
        self.flush();
        self.blocks.push(block);
    }

    fn finish(mut self) -> Vec<Block> {
        while self.frames.len() > 1 {
            self.close();
        }
        self.flush();
        self.blocks
    }
}

fn wrap(w: &Wrap, content: Vec<Inline>) -> Inline {
    match w {
        Wrap::Root => Inline::Emphasis { content },
        Wrap::Em => Inline::Emphasis { content },
        Wrap::Strong => Inline::Strong { content },
        Wrap::Strike => Inline::Strikeout { content },
        Wrap::Sup => Inline::Superscript { content },
        Wrap::Sub => Inline::Subscript { content },
        Wrap::Link(url, title) => Inline::Link {
            url: url.clone(),
            title: title.clone(),
            content,
        },
    }
}

impl Mapper<'_, '_, '_> {
    /// The blocks of the children of `id`.
    pub fn blocks_of(&mut self, id: NodeId) -> Vec<Block> {
        let mut flow = Flow::new(self.keep_all);
        self.children(&mut flow, id);
        flow.finish()
    }

    fn children(&mut self, flow: &mut Flow, id: NodeId) {
        let dom = self.dom;
        let mut cur = dom.node(id).first_child;
        while let Some(c) = cur {
            cur = dom.node(c).next;
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
                let mut content = self.inlines_of(id);
                normalize(&mut content, self.keep_all);
                trim_breaks(&mut content);
                flow.flush();
                if !content.is_empty() {
                    flow.block(Block::Heading { level, content });
                }
            }
            "ul" | "ol" | "menu" => {
                flow.flush();
                if let Some(list) = self.list(id, el) {
                    flow.block(list);
                }
            }
            "dl" => {
                flow.flush();
                self.definition_list(flow, id);
            }
            "blockquote" => {
                flow.flush();
                let blocks = self.blocks_of(id);
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
                self.table(flow, id);
            }
            "figure" => {
                flow.flush();
                self.figure(flow, id);
            }
            "img" => match self.image(el) {
                Some(image) => flow.push(Inline::Image { image }),
                None => self.warnings.push("image without a usable source dropped"),
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
            _ if elements::is(name, elements::CONTAINER) => {
                flow.flush();
                self.children(flow, id);
                flow.flush();
            }
            _ => self.children(flow, id),
        }
    }

    fn wrapped(&mut self, flow: &mut Flow, id: NodeId, w: Wrap) {
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
        if let Some(Block::Figure { caption, .. }) = flow.blocks.last_mut() {
            *caption = content;
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
                .parent
                .and_then(|p| self.dom.element(p))
                .and_then(language_of);
        }
        Some(Block::CodeBlock {
            language,
            code: code.to_string(),
        })
    }

    fn table(&mut self, flow: &mut Flow, id: NodeId) {
        let mut rows: Vec<(NodeId, bool)> = Vec::new();
        let mut caption = None;
        for c in self.dom.children(id) {
            match self.dom.name(c) {
                "tr" => rows.push((c, false)),
                "thead" | "tbody" | "tfoot" => {
                    let head = self.dom.name(c) == "thead";
                    rows.extend(
                        self.dom
                            .children(c)
                            .filter(|&r| self.dom.name(r) == "tr")
                            .map(|r| (r, head)),
                    );
                }
                "caption" => caption = Some(c),
                _ => {}
            }
        }
        let cells_of = |dom: &Dom<'_>, r: NodeId| -> Vec<NodeId> {
            dom.children(r)
                .filter(|&c| matches!(dom.name(c), "td" | "th"))
                .collect()
        };
        let width = rows
            .iter()
            .map(|&(r, _)| cells_of(self.dom, r).len())
            .max()
            .unwrap_or(0);
        if let Some(c) = caption {
            let content = self.inlines_of(c);
            if !content.is_empty() {
                flow.block(Block::Paragraph { content });
            }
        }
        // A one-column table is page layout, not data: flatten it.
        if width <= 1 {
            for (r, _) in rows {
                for cell in cells_of(self.dom, r) {
                    flow.flush();
                    self.children(flow, cell);
                    flow.flush();
                }
            }
            return;
        }
        let mut table = Table::default();
        let mut leading_th = true;
        for (r, in_head) in rows {
            let mut row: Row = Vec::new();
            for cell in cells_of(self.dom, r) {
                let header = self.dom.name(cell) == "th";
                let colspan = self
                    .dom
                    .element(cell)
                    .and_then(|e| e.attr("colspan"))
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .map_or(1, |n| n.clamp(1, 1000));
                let blocks = self.blocks_of(cell);
                row.push(Cell {
                    header,
                    colspan,
                    blocks,
                });
            }
            let all_th = !row.is_empty() && row.iter().all(|c| c.header);
            if in_head || (leading_th && all_th && table.body.is_empty()) {
                table.head.push(row);
            } else {
                leading_th = false;
                table.body.push(row);
            }
        }
        let empty = |rows: &[Row]| rows.iter().flatten().all(|c| c.blocks.is_empty());
        if empty(&table.head) {
            table.head.clear();
        }
        // After clearing an empty head, a table with no content at all is dropped.
        if !(empty(&table.head) && empty(&table.body)) {
            flow.block(Block::Table(table));
        }
    }

    fn figure(&mut self, flow: &mut Flow, id: NodeId) {
        let mut image = None;
        let mut caption = Vec::new();
        let mut cur = self.dom.node(id).first_child;
        while let Some(n) = cur {
            let mut skip = false;
            if let Some(el) = self.dom.element(n) {
                match el.name.as_ref() {
                    "img" if image.is_none() => image = self.image(el),
                    "figcaption" => {
                        caption = self.inlines_of(n);
                        normalize(&mut caption, self.keep_all);
                        trim_breaks(&mut caption);
                        skip = true;
                    }
                    _ => {}
                }
            }
            cur = self.dom.next_in(id, n, skip);
        }
        match image {
            Some(image) => flow.block(Block::Figure { image, caption }),
            None => {
                self.children(flow, id);
                flow.flush();
            }
        }
    }

    fn embed(&mut self, id: NodeId, el: &Element<'_>) -> Option<Block> {
        let mut src = ["src", "data-src", "data"]
            .iter()
            .find_map(|a| el.attr(a).filter(|s| !s.trim().is_empty()))
            .map(str::to_string);
        if src.is_none() {
            src = self.dom.children(id).find_map(|c| {
                let e = self.dom.element(c)?;
                (e.name == "source").then(|| e.attr("src").map(str::to_string))?
            });
        }
        let url = self.resolve(src?.trim())?;
        // The URL itself is the label: an embed's title often repeats the
        // caption paragraph next to it.
        let title = el
            .attr("title")
            .map(str::to_string)
            .filter(|t| !t.trim().is_empty());
        Some(Block::Paragraph {
            content: vec![Inline::Link {
                url: url.clone(),
                title,
                content: vec![Inline::text(url)],
            }],
        })
    }

    /// The image an `img` shows, after lazy-loading and srcset.
    pub fn image(&self, el: &Element<'_>) -> Option<Image> {
        let usable = |s: &&str| {
            let s = s.trim();
            !s.is_empty() && !is_placeholder(s)
        };
        let src = LAZY_SRC
            .iter()
            .find_map(|a| el.attr(a).filter(usable))
            .map(str::to_string)
            .or_else(|| {
                ["srcset", "data-srcset"]
                    .iter()
                    .find_map(|a| el.attr(a).and_then(largest_candidate))
            })
            .or_else(|| el.attr("src").filter(usable).map(str::to_string))?;
        let src = self.resolve(src.trim())?;
        Some(Image {
            src,
            alt: el
                .attr("alt")
                .map(|a| a.trim().to_string())
                .unwrap_or_default(),
            title: el
                .attr("title")
                .map(str::to_string)
                .filter(|t| !t.is_empty()),
        })
    }

    fn link_url(&self, href: &str) -> Option<String> {
        let h = href.trim();
        let lower = h.get(..11).unwrap_or(h).to_ascii_lowercase();
        if h.is_empty() || h.starts_with('#') || lower.starts_with("javascript:") {
            return None;
        }
        self.resolve(h)
    }

    /// `url` resolved against the base (protocol-relative URLs get https).
    fn resolve(&self, url: &str) -> Option<String> {
        if url.is_empty() {
            return None;
        }
        // Absolute URLs are kept as written (the common case; no parse).
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

/// Adds blocks that sit between list items to the previous item.
fn attach(items: &mut Vec<Vec<Block>>, blocks: Vec<Block>) {
    if blocks.is_empty() {
        return;
    }
    match items.last_mut() {
        Some(last) => last.extend(blocks),
        None => items.push(blocks),
    }
}

/// A `data:` URI that is a lazy-loading placeholder (a gif or a tiny image).
fn is_placeholder(src: &str) -> bool {
    let lower = src.get(..20).unwrap_or(src).to_ascii_lowercase();
    lower.starts_with("data:")
        && (lower.starts_with("data:image/gif")
            || lower.starts_with("data:image/svg")
            || src.len() < 512)
}

/// The largest candidate of a `srcset` (by width, else density).
fn largest_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for cand in srcset.split(", ").flat_map(|c| c.split(',').next()) {
        let mut parts = cand.split_whitespace();
        let Some(url) = parts.next() else { continue };
        if is_placeholder(url) {
            continue;
        }
        let size = parts
            .next()
            .and_then(|d| {
                let (num, unit) = d.split_at(d.len().saturating_sub(1));
                let n: f64 = num.parse().ok()?;
                Some(if unit == "w" { n } else { n * 1000.0 })
            })
            .unwrap_or(1000.0);
        if best.is_none_or(|(b, _)| size > b) {
            best = Some((size, url));
        }
    }
    best.map(|(_, u)| u.to_string())
}

/// A code language named in a class (`language-x`, `lang-x`, `highlight-x`,
/// `brush: x`).
fn language_of(el: &Element<'_>) -> Option<String> {
    let class = el.attr("class")?;
    let mut words = class.split(|c: char| c.is_whitespace() || c == ';');
    let lang = words.find_map(|w| {
        ["language-", "lang-", "highlight-", "source-"]
            .iter()
            .find_map(|p| w.strip_prefix(p))
            .filter(|l| !l.is_empty())
            .map(str::to_string)
    });
    let lang = lang.or_else(|| {
        class
            .split("brush:")
            .nth(1)
            .and_then(|r| {
                r.split(|c: char| c == ';' || c.is_whitespace())
                    .find(|s| !s.is_empty())
            })
            .map(str::to_string)
    })?;
    let lang = lang.to_ascii_lowercase();
    (!matches!(
        lang.as_str(),
        "text" | "plain" | "plaintext" | "none" | "nohighlight"
    ))
    .then_some(lang)
}

/// Text of a code element: verbatim, `<br>` as newline.
fn code_text(dom: &Dom<'_>, id: NodeId) -> String {
    let mut out = String::new();
    let mut cur = dom.node(id).first_child;
    while let Some(n) = cur {
        let mut skip = false;
        match &dom.node(n).data {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element(e) => match e.name.as_ref() {
                "br" => out.push('\n'),
                "script" | "style" | "noscript" | "template" => skip = true,
                "div" | "p" | "li" if !out.is_empty() && !out.ends_with('\n') => out.push('\n'),
                _ => {}
            },
            _ => {}
        }
        cur = dom.next_in(id, n, skip);
    }
    out
}

/// Splits paragraph content at two or more line breaks in a row.
fn split_at_double_breaks(content: Vec<Inline>) -> Vec<Vec<Inline>> {
    let mut pieces = Vec::new();
    let mut cur = Vec::new();
    let mut pending = Vec::new();
    let mut breaks = 0;
    for inline in content {
        match &inline {
            Inline::LineBreak => {
                breaks += 1;
                pending.push(inline);
            }
            Inline::Text { text } if breaks > 0 && text.trim().is_empty() => pending.push(inline),
            _ => {
                if breaks >= 2 {
                    pieces.push(std::mem::take(&mut cur));
                    pending.clear();
                } else {
                    cur.append(&mut pending);
                }
                breaks = 0;
                cur.push(inline);
            }
        }
    }
    cur.append(&mut pending);
    pieces.push(cur);
    pieces
}

/// Removes line breaks at the start and end of a paragraph.
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

/// When the paragraph is only images (possibly linked), those images.
fn only_images(content: &[Inline]) -> Option<Vec<Image>> {
    let mut images = Vec::new();
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
    (collect(content, &mut images) && !images.is_empty()).then_some(images)
}

fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Whether a line break between two characters should vanish (Chinese and
/// Japanese are written without spaces; Korean uses them and is excluded).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

enum Item<'x> {
    Text(&'x mut String),
    Atom,
    Break,
}

fn collect_items<'x>(content: &'x mut [Inline], out: &mut Vec<Item<'x>>) {
    for inline in content.iter_mut() {
        match inline {
            Inline::Text { text } => out.push(Item::Text(text)),
            Inline::LineBreak => out.push(Item::Break),
            Inline::Code { .. } | Inline::Image { .. } => out.push(Item::Atom),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => collect_items(content, out),
        }
    }
}

/// Collapses whitespace as HTML renders it, drops it at line starts and
/// ends, removes line breaks between CJK characters, strips paragraph
/// indentation (ideographic spaces, no-break spaces) unless `keep_all`, and
/// prunes what became empty.
pub fn normalize(content: &mut Vec<Inline>, keep_all: bool) {
    {
        let mut items = Vec::new();
        collect_items(content, &mut items);
        // next[i]: first visible character from item i on (None at a break).
        let mut next: Vec<Option<char>> = vec![None; items.len() + 1];
        for i in (0..items.len()).rev() {
            next[i] = match &items[i] {
                Item::Text(s) => s.chars().find(|c| !is_html_space(*c)).or(next[i + 1]),
                Item::Atom => Some('a'),
                Item::Break => None,
            };
        }
        let mut last: Option<char> = None;
        let mut carried = false;
        for i in 0..items.len() {
            match &mut items[i] {
                Item::Break => {
                    last = None;
                    carried = false;
                }
                Item::Atom => {
                    last = Some('a');
                    carried = false;
                }
                Item::Text(s) => {
                    if already_normal(s, last.is_none() && !keep_all) {
                        last = s.chars().next_back();
                        carried = false;
                        continue;
                    }
                    let mut out = String::with_capacity(s.len());
                    let mut chars = s.chars().peekable();
                    let mut at_start = true;
                    while let Some(c) = chars.next() {
                        if is_html_space(c) {
                            let mut newline = c == '\n' || c == '\r';
                            while let Some(&d) = chars.peek() {
                                if !is_html_space(d) {
                                    break;
                                }
                                newline |= d == '\n' || d == '\r';
                                chars.next();
                            }
                            let following = chars.peek().copied().or(next[i + 1]);
                            let skip = at_start && carried;
                            let keep = !skip
                                && last.is_some()
                                && following.is_some()
                                && !(newline
                                    && last.is_some_and(is_cjk)
                                    && following.is_some_and(is_cjk));
                            if keep {
                                out.push(' ');
                            }
                            carried = chars.peek().is_none();
                            at_start = false;
                            continue;
                        }
                        at_start = false;
                        carried = false;
                        if last.is_none() && !keep_all && matches!(c, '\u{3000}' | '\u{a0}') {
                            continue;
                        }
                        out.push(c);
                        last = Some(c);
                    }
                    **s = out;
                }
            }
        }
    }
    prune(content);
}

/// Fast path of [`normalize`]: text with no whitespace to collapse or trim
/// (most CJK text) stays as it is. `line_start` asks for no indentation.
fn already_normal(s: &str, line_start: bool) -> bool {
    !s.is_empty()
        && !s
            .bytes()
            .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c'))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && (!line_start || !s.starts_with(['\u{3000}', '\u{a0}']))
}

fn prune(content: &mut Vec<Inline>) {
    content.retain_mut(|i| match i {
        Inline::Text { text } => !text.is_empty(),
        Inline::Emphasis { content }
        | Inline::Strong { content }
        | Inline::Strikeout { content }
        | Inline::Superscript { content }
        | Inline::Subscript { content }
        | Inline::Link { content, .. } => {
            prune(content);
            !content.is_empty()
        }
        _ => true,
    });
}
