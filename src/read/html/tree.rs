//! The tree builder: tokens in, an arena [`Dom`] out, recovering from broken
//! markup the way the HTML standard's "in body" and table insertion modes do
//! (implied end tags, void elements, stray end tags, the adoption agency for
//! misnested formatting, foster parenting, unclosed tags at end of input).
//! The insertion mode is derived from the stack of open elements rather than
//! stored, which is equivalent for a fragment parsed in a `<body>` context.
//!
//! Two deliberate departures: nesting deeper than [`MAX_DEPTH`] is flattened
//! (further start tags are ignored, their content kept), and inside `pre` or
//! `code` a tag that is not an HTML element (`<Widget>`, `Tensor<Float>`) is
//! kept as literal text, because scrapers forget to escape source code.

use super::dom::{Dom, Element, NodeData, NodeId, Ns, ROOT};
use super::entities;
use super::tokenizer::{Span, StartTag, Token, Tokenizer};
use std::borrow::Cow;

/// Deepest nesting of open elements; deeper start tags are ignored.
pub const MAX_DEPTH: usize = 512;

/// Most attributes kept per element (bounds the duplicate check).
const MAX_ATTRS: usize = 256;

/// Most active formatting elements kept (bounds reconstruction work).
const MAX_FORMATTING: usize = 256;

/// Parses an HTML fragment as the content of a `<body>`.
pub fn parse(html: &str) -> Dom<'_> {
    let mut b = Builder::new(html);
    let mut tokens = Tokenizer::new(html);
    loop {
        tokens.cdata_allowed = b.in_foreign();
        let Some(tok) = tokens.next() else { break };
        let tok = Tok::from(tok);
        let raw_ok = b.process(&tok);
        if !raw_ok {
            tokens.cancel_raw();
        }
    }
    b.dom
}

/// A token with the tag name lowercased.
#[derive(Debug)]
enum Tok<'a> {
    Start(Tag<'a>),
    End(Cow<'a, str>, Span),
    Text(&'a str, bool),
    Comment(&'a str),
    CData(&'a str),
    Doctype,
}

#[derive(Debug)]
struct Tag<'a> {
    name: Cow<'a, str>,
    raw: StartTag<'a>,
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

impl<'a> From<Token<'a>> for Tok<'a> {
    fn from(t: Token<'a>) -> Self {
        match t {
            Token::StartTag(raw) => Tok::Start(Tag {
                name: lower(raw.name),
                raw,
            }),
            Token::EndTag { name, span } => Tok::End(lower(name), span),
            Token::Text { text, raw, .. } => Tok::Text(text, raw),
            Token::Comment { text, .. } => Tok::Comment(text),
            Token::CData { text, .. } => Tok::CData(text),
            Token::Doctype { .. } => Tok::Doctype,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Table,
    TableBody,
    Row,
    Cell,
    Caption,
    ColGroup,
    Select,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Afe {
    Marker,
    El(NodeId),
}

struct Builder<'a> {
    src: &'a str,
    dom: Dom<'a>,
    open: Vec<NodeId>,
    is_open: Vec<bool>,
    afe: Vec<Afe>,
    foster: bool,
    skip_lf: bool,
    /// Open elements that change the insertion mode (table parts, select).
    mode_open: usize,
    /// Open `pre`/`code`/`listing` elements (for the source-code rescue).
    code_open: usize,
    /// The standard's form element pointer: set by `<form>`, cleared only
    /// by `</form>`, so a second form start tag is ignored meanwhile.
    form: Option<NodeId>,
}

/// Sorted (binary search; a test checks the order).
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
];

const BLOCK_END: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

const MODE_ELEMENTS: &[&str] = &[
    "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "select",
];

const TABLE_SECTIONS: &[&str] = &["tbody", "tfoot", "thead"];

const FOSTER_TARGETS: &[&str] = &["table", "tbody", "tfoot", "thead", "tr"];

/// HTML tags that end SVG/MathML content when they appear inside it.
const FOREIGN_BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Every element name of HTML (current and obsolete), sorted. Inside `pre`/`code`,
/// a tag not in this list is source code and stays text.
const KNOWN_HTML: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "bgsound",
    "big",
    "blink",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "image",
    "img",
    "input",
    "ins",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "listing",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "nobr",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "plaintext",
    "pre",
    "progress",
    "q",
    "rb",
    "rp",
    "rt",
    "rtc",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
];

/// Tags that syntax highlighters put inside code, kept as elements even when
/// written in capitals.
const CODE_MARKUP: &[&str] = &["a", "b", "br", "em", "font", "i", "span", "strong", "u"];

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        Builder {
            src,
            dom: Dom::new(),
            open: vec![ROOT],
            is_open: vec![true],
            afe: Vec::new(),
            foster: false,
            skip_lf: false,
            mode_open: 0,
            code_open: 0,
            form: None,
        }
    }

    // ----- stack helpers -------------------------------------------------

    fn current(&self) -> NodeId {
        self.open.last().copied().unwrap_or(ROOT)
    }

    fn html_name(&self, id: NodeId) -> &str {
        match self.dom.element(id) {
            Some(e) if e.ns == Ns::Html => e.name.as_ref(),
            _ => "",
        }
    }

    fn current_is(&self, names: &[&str]) -> bool {
        names.contains(&self.html_name(self.current()))
    }

    fn is_special(&self, id: NodeId) -> bool {
        match self.dom.element(id) {
            Some(e) if e.ns == Ns::Html => SPECIAL.binary_search(&e.name.as_ref()).is_ok(),
            Some(e) if e.ns == Ns::Svg => {
                matches!(e.name.as_ref(), "foreignobject" | "desc" | "title")
            }
            Some(_) => matches!(
                self.dom.name(id),
                "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
            ),
            None => id == ROOT,
        }
    }

    fn counters(&mut self, id: NodeId, delta: isize) {
        let name = self.html_name(id);
        let (m, c) = (
            MODE_ELEMENTS.contains(&name),
            matches!(name, "pre" | "code" | "listing"),
        );
        let apply = |v: &mut usize| *v = v.saturating_add_signed(delta);
        if m {
            apply(&mut self.mode_open);
        }
        if c {
            apply(&mut self.code_open);
        }
    }

    fn push(&mut self, id: NodeId) {
        self.open.push(id);
        if self.is_open.len() <= id {
            self.is_open.resize(id + 1, false);
        }
        self.is_open[id] = true;
        self.counters(id, 1);
    }

    fn pop(&mut self) -> Option<NodeId> {
        if self.open.len() <= 1 {
            return None;
        }
        let id = self.open.pop()?;
        self.is_open[id] = false;
        self.counters(id, -1);
        Some(id)
    }

    fn remove_open_at(&mut self, idx: usize) {
        if idx == 0 || idx >= self.open.len() {
            return;
        }
        let id = self.open.remove(idx);
        self.is_open[id] = false;
        self.counters(id, -1);
    }

    fn open_contains(&self, id: NodeId) -> bool {
        self.is_open.get(id).copied().unwrap_or(false)
    }

    fn pop_until(&mut self, names: &[&str]) {
        while let Some(id) = self.pop() {
            if names.contains(&self.html_name(id)) {
                break;
            }
        }
    }

    fn pop_until_node(&mut self, node: NodeId) {
        while let Some(id) = self.pop() {
            if id == node {
                break;
            }
        }
    }

    /// Whether an HTML element named in `names` is in scope; `extra` adds
    /// boundaries (list item, button and table scopes).
    fn in_scope_of(&self, names: &[&str], extra: &[&str], table_only: bool) -> bool {
        for &id in self.open.iter().rev() {
            let name = self.html_name(id);
            if names.contains(&name) {
                return true;
            }
            if id == ROOT {
                return false;
            }
            let boundary = if table_only {
                matches!(name, "html" | "table" | "template")
            } else {
                SCOPE.contains(&name) || extra.contains(&name) || self.foreign_boundary(id)
            };
            if boundary {
                return false;
            }
        }
        false
    }

    fn foreign_boundary(&self, id: NodeId) -> bool {
        match self.dom.element(id) {
            Some(e) if e.ns == Ns::Svg => {
                matches!(e.name.as_ref(), "foreignobject" | "desc" | "title")
            }
            Some(e) if e.ns == Ns::MathMl => matches!(
                e.name.as_ref(),
                "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml"
            ),
            _ => false,
        }
    }

    fn in_scope(&self, name: &str) -> bool {
        self.in_scope_of(&[name], &[], false)
    }
    fn in_button_scope(&self, name: &str) -> bool {
        self.in_scope_of(&[name], &["button"], false)
    }
    fn in_list_scope(&self, name: &str) -> bool {
        self.in_scope_of(&[name], &["ol", "ul"], false)
    }
    fn in_table_scope(&self, names: &[&str]) -> bool {
        self.in_scope_of(names, &[], true)
    }

    fn node_in_scope(&self, node: NodeId) -> bool {
        for &id in self.open.iter().rev() {
            if id == node {
                return true;
            }
            if id == ROOT || SCOPE.contains(&self.html_name(id)) || self.foreign_boundary(id) {
                return false;
            }
        }
        false
    }

    fn implied_end_tags(&mut self, except: &str) {
        while self.current_is(IMPLIED_END) && self.html_name(self.current()) != except {
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if self.in_button_scope("p") {
            self.implied_end_tags("p");
            self.pop_until(&["p"]);
        }
    }

    fn mode(&self) -> Mode {
        if self.mode_open == 0 {
            return Mode::Body;
        }
        for &id in self.open.iter().rev() {
            match self.html_name(id) {
                "td" | "th" => return Mode::Cell,
                "tr" => return Mode::Row,
                "tbody" | "thead" | "tfoot" => return Mode::TableBody,
                "caption" => return Mode::Caption,
                "colgroup" => return Mode::ColGroup,
                "table" => return Mode::Table,
                "select" => return Mode::Select,
                _ => {}
            }
        }
        Mode::Body
    }

    /// Whether the current node is SVG or MathML (CDATA sections allowed).
    fn in_foreign(&self) -> bool {
        matches!(self.dom.element(self.current()), Some(e) if e.ns != Ns::Html)
    }

    // ----- insertion -----------------------------------------------------

    /// Where a new node goes: (parent, insert before this sibling).
    fn insertion_place(&self, target: NodeId) -> (NodeId, Option<NodeId>) {
        if self.foster && FOSTER_TARGETS.contains(&self.html_name(target)) {
            for (i, &id) in self.open.iter().enumerate().rev() {
                if self.html_name(id) == "table" {
                    if let Some(parent) = self.dom.node(id).parent {
                        return (parent, Some(id));
                    }
                    let above = self.open.get(i.wrapping_sub(1)).copied().unwrap_or(ROOT);
                    return (above, None);
                }
            }
        }
        (target, None)
    }

    fn insert_at(&mut self, place: (NodeId, Option<NodeId>), node: NodeId) {
        match place {
            (_, Some(before)) => self.dom.insert_before(before, node),
            (parent, None) => self.dom.append(parent, node),
        }
    }

    fn insert_text(&mut self, text: Cow<'a, str>) {
        if text.is_empty() {
            return;
        }
        let place = self.insertion_place(self.current());
        let prev = match place {
            (_, Some(before)) => self.dom.node(before).prev,
            (parent, None) => self.dom.node(parent).last_child,
        };
        if let Some(prev) = prev {
            if let NodeData::Text(existing) = &mut self.dom.nodes[prev].data {
                existing.to_mut().push_str(&text);
                return;
            }
        }
        let id = self.dom.create(NodeData::Text(text));
        self.insert_at(place, id);
    }

    fn make_element(&mut self, tag: &Tag<'a>, ns: Ns) -> NodeId {
        let mut attrs: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(tag.raw.attrs.len());
        for a in tag.raw.attrs.iter().take(MAX_ATTRS) {
            let name = lower(a.name);
            if attrs.iter().any(|(n, _)| *n == name) {
                continue;
            }
            attrs.push((name, entities::decode(a.value, true)));
        }
        let name = if tag.name == "image" && ns == Ns::Html {
            Cow::Borrowed("img")
        } else {
            tag.name.clone()
        };
        self.dom
            .create(NodeData::Element(Element { name, ns, attrs }))
    }

    /// Inserts an element for `tag` and pushes it; None when the depth limit
    /// flattens it away.
    fn insert(&mut self, tag: &Tag<'a>, ns: Ns) -> Option<NodeId> {
        if self.open.len() >= MAX_DEPTH {
            return None;
        }
        let id = self.make_element(tag, ns);
        let place = self.insertion_place(self.current());
        self.insert_at(place, id);
        self.push(id);
        Some(id)
    }

    /// Inserts a void element (never pushed, so never deeper than allowed).
    fn insert_void(&mut self, tag: &Tag<'a>) {
        let id = self.make_element(tag, Ns::Html);
        let place = self.insertion_place(self.current());
        self.insert_at(place, id);
    }

    fn clone_element(&mut self, id: NodeId) -> NodeId {
        let data = self.dom.nodes[id].data.clone();
        self.dom.create(data)
    }

    // ----- active formatting elements -----------------------------------

    fn afe_index(&self, id: NodeId) -> Option<usize> {
        self.afe.iter().rposition(|e| *e == Afe::El(id))
    }

    fn push_formatting(&mut self, id: NodeId) {
        // Noah's ark: at most three identical entries after the last marker.
        let mut same = Vec::new();
        for (i, e) in self.afe.iter().enumerate().rev() {
            match e {
                Afe::Marker => break,
                Afe::El(other) if self.dom.element(*other) == self.dom.element(id) => same.push(i),
                _ => {}
            }
        }
        if same.len() >= 3 {
            if let Some(&earliest) = same.last() {
                self.afe.remove(earliest);
            }
        }
        if self.afe.len() < MAX_FORMATTING {
            self.afe.push(Afe::El(id));
        }
    }

    fn reconstruct(&mut self) {
        let Some(&Afe::El(last)) = self.afe.last() else {
            return;
        };
        if self.open_contains(last) {
            return;
        }
        let mut i = self.afe.len() - 1;
        while i > 0 {
            match self.afe[i - 1] {
                Afe::Marker => break,
                Afe::El(id) if self.open_contains(id) => break,
                _ => i -= 1,
            }
        }
        for j in i..self.afe.len() {
            if self.open.len() >= MAX_DEPTH {
                return;
            }
            let Afe::El(old) = self.afe[j] else { continue };
            let new = self.clone_element(old);
            let place = self.insertion_place(self.current());
            self.insert_at(place, new);
            self.push(new);
            self.afe[j] = Afe::El(new);
        }
    }

    fn clear_afe_to_marker(&mut self) {
        while let Some(e) = self.afe.pop() {
            if e == Afe::Marker {
                break;
            }
        }
    }

    /// The adoption agency algorithm; false means "treat as any other end tag".
    fn adoption(&mut self, subject: &str) -> bool {
        let cur = self.current();
        if self.html_name(cur) == subject && self.afe_index(cur).is_none() {
            self.pop();
            return true;
        }
        for _ in 0..8 {
            let mut found = None;
            for (i, e) in self.afe.iter().enumerate().rev() {
                match e {
                    Afe::Marker => break,
                    Afe::El(id) if self.html_name(*id) == subject => {
                        found = Some((i, *id));
                        break;
                    }
                    _ => {}
                }
            }
            let Some((fe_idx, fe)) = found else {
                return false;
            };
            if !self.open_contains(fe) {
                self.afe.remove(fe_idx);
                return true;
            }
            if !self.node_in_scope(fe) {
                return true;
            }
            let Some(fe_pos) = self.open.iter().position(|&x| x == fe) else {
                return true;
            };
            let fb_pos = (fe_pos + 1..self.open.len()).find(|&p| self.is_special(self.open[p]));
            let Some(mut fb_pos) = fb_pos else {
                self.pop_until_node(fe);
                if let Some(i) = self.afe_index(fe) {
                    self.afe.remove(i);
                }
                return true;
            };
            let fb = self.open[fb_pos];
            let common = self.open[fe_pos.saturating_sub(1)];
            let mut bookmark_after: Option<NodeId> = None;
            let mut node_pos = fb_pos;
            let mut last = fb;
            let mut inner = 0;
            loop {
                inner += 1;
                node_pos -= 1;
                let node = self.open[node_pos];
                if node == fe {
                    break;
                }
                if inner > 3 {
                    if let Some(i) = self.afe_index(node) {
                        self.afe.remove(i);
                    }
                }
                let Some(ai) = self.afe_index(node) else {
                    self.remove_open_at(node_pos);
                    fb_pos -= 1;
                    continue;
                };
                let new = self.clone_element(node);
                self.afe[ai] = Afe::El(new);
                self.is_open[node] = false;
                self.open[node_pos] = new;
                if self.is_open.len() <= new {
                    self.is_open.resize(new + 1, false);
                }
                self.is_open[new] = true;
                if last == fb {
                    bookmark_after = Some(new);
                }
                self.dom.append(new, last);
                last = new;
            }
            self.dom.detach(last);
            let place = self.insertion_place(common);
            self.insert_at(place, last);
            let new = self.clone_element(fe);
            self.dom.reparent_children(fb, new);
            self.dom.append(fb, new);
            match bookmark_after.and_then(|b| self.afe_index(b)) {
                Some(bi) => {
                    self.afe.insert(bi + 1, Afe::El(new));
                    if let Some(i) = self.afe_index(fe) {
                        self.afe.remove(i);
                    }
                }
                None => {
                    if let Some(i) = self.afe_index(fe) {
                        self.afe[i] = Afe::El(new);
                    }
                }
            }
            if let Some(p) = self.open.iter().position(|&x| x == fe) {
                self.remove_open_at(p);
                if p < fb_pos {
                    fb_pos -= 1;
                }
            }
            let at = (fb_pos + 1).min(self.open.len());
            self.open.insert(at, new);
            if self.is_open.len() <= new {
                self.is_open.resize(new + 1, false);
            }
            self.is_open[new] = true;
            self.counters(new, 1);
        }
        true
    }

    // ----- token dispatch -------------------------------------------------

    /// Handles one token; returns false when a raw-text start tag did not
    /// open a raw-text element (so the tokenizer must leave raw mode).
    fn process(&mut self, tok: &Tok<'a>) -> bool {
        if let Tok::Text(text, raw) = tok {
            if self.skip_lf {
                self.skip_lf = false;
                let t = text
                    .strip_prefix("\r\n")
                    .or_else(|| text.strip_prefix('\n'))
                    .or_else(|| text.strip_prefix('\r'))
                    .unwrap_or(text);
                return self.dispatch(&Tok::Text(t, *raw));
            }
        } else {
            self.skip_lf = false;
        }
        if self.code_open > 0 {
            if let Some(literal) = self.code_literal(tok) {
                self.reconstruct();
                self.insert_text(Cow::Borrowed(literal));
                return false;
            }
        }
        self.dispatch(tok)
    }

    /// Inside pre/code: the source text of a tag that is not HTML.
    fn code_literal(&self, tok: &Tok<'a>) -> Option<&'a str> {
        let (name, span, raw_name) = match tok {
            Tok::Start(t) => (t.name.as_ref(), t.raw.span, t.raw.name),
            Tok::End(n, span) => (n.as_ref(), *span, self.src.get(span.start + 2..span.end)?),
            _ => return None,
        };
        let known = KNOWN_HTML.binary_search(&name).is_ok();
        // `Object`, `HTMLElement`: mixed case is a type name, not markup
        // (old all-capitals HTML like `<PRE>` stays markup).
        let letters = || raw_name.bytes().take_while(|b| b.is_ascii_alphanumeric());
        let mixed =
            letters().any(|b| b.is_ascii_uppercase()) && letters().any(|b| b.is_ascii_lowercase());
        let code_like = !known || (mixed && !CODE_MARKUP.contains(&name));
        if code_like {
            self.src.get(span.start..span.end)
        } else {
            None
        }
    }

    fn dispatch(&mut self, tok: &Tok<'a>) -> bool {
        let cur = self.current();
        if self.dom.element(cur).is_some_and(|e| e.ns != Ns::Html) {
            // At an integration point (`mi`, `foreignObject`...) start tags
            // and text are HTML; end tags still follow the foreign rules.
            let html_here =
                self.foreign_boundary(cur) && matches!(tok, Tok::Start(_) | Tok::Text(..));
            if !html_here {
                return self.foreign(tok);
            }
        }
        match self.mode() {
            Mode::Body => self.body(tok),
            Mode::Table => self.table(tok),
            Mode::TableBody => self.table_body(tok),
            Mode::Row => self.row(tok),
            Mode::Cell => self.cell(tok),
            Mode::Caption => self.caption(tok),
            Mode::ColGroup => self.colgroup(tok),
            Mode::Select => self.select(tok),
        }
    }

    fn text_value(text: &'a str, raw: bool) -> Cow<'a, str> {
        let mut t = if raw {
            Cow::Borrowed(text)
        } else {
            entities::decode(text, false)
        };
        if t.bytes().any(|b| b == b'\r' || b == 0) {
            let s = t.replace("\r\n", "\n").replace('\r', "\n");
            t = Cow::Owned(if raw {
                s.replace('\0', "\u{FFFD}")
            } else {
                s.replace('\0', "")
            });
        }
        t
    }

    fn comment(&mut self, text: &'a str) {
        let id = self.dom.create(NodeData::Comment(text));
        let place = self.insertion_place(self.current());
        self.insert_at(place, id);
    }

    fn foreign(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => self.insert_text(Self::text_value(t, *raw)),
            Tok::CData(t) => self.insert_text(Cow::Borrowed(t)),
            Tok::Comment(t) => self.comment(t),
            Tok::Doctype => {}
            Tok::Start(tag) => {
                let font_breaks = tag.name == "font"
                    && tag.raw.attrs.iter().any(|a| {
                        ["color", "face", "size"]
                            .iter()
                            .any(|n| a.name.eq_ignore_ascii_case(n))
                    });
                if FOREIGN_BREAKOUT.contains(&tag.name.as_ref()) || font_breaks {
                    while self.in_foreign()
                        && !self.foreign_boundary(self.current())
                        && self.open.len() > 1
                    {
                        self.pop();
                    }
                    return self.dispatch(tok);
                }
                let ns = self.dom.element(self.current()).map_or(Ns::Html, |e| e.ns);
                if self.insert(tag, ns).is_some() && tag.raw.self_closing {
                    self.pop();
                }
                return false;
            }
            Tok::End(name, _) => {
                for i in (1..self.open.len()).rev() {
                    let id = self.open[i];
                    if self.dom.element(id).is_some_and(|e| e.ns == Ns::Html) {
                        return self.dispatch_html(tok);
                    }
                    if self.dom.name(id).eq_ignore_ascii_case(name) {
                        self.pop_until_node(id);
                        return true;
                    }
                }
            }
        }
        true
    }

    fn dispatch_html(&mut self, tok: &Tok<'a>) -> bool {
        match self.mode() {
            Mode::Body => self.body(tok),
            Mode::Table => self.table(tok),
            Mode::TableBody => self.table_body(tok),
            Mode::Row => self.row(tok),
            Mode::Cell => self.cell(tok),
            Mode::Caption => self.caption(tok),
            Mode::ColGroup => self.colgroup(tok),
            Mode::Select => self.select(tok),
        }
    }

    // ----- in body --------------------------------------------------------

    fn body(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                let value = Self::text_value(t, *raw);
                if !value.is_empty() {
                    self.reconstruct();
                    self.insert_text(value);
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::CData(t) => {
                self.comment(t);
                true
            }
            Tok::Doctype => true,
            Tok::Start(tag) => self.body_start(tag),
            Tok::End(name, _) => {
                self.body_end(name);
                true
            }
        }
    }

    fn body_start(&mut self, tag: &Tag<'a>) -> bool {
        let name = tag.name.as_ref();
        match name {
            "html" | "body" | "head" | "frameset" | "frame" | "caption" | "col" | "colgroup"
            | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {}
            "base" | "basefont" | "bgsound" | "link" | "meta" | "param" | "source" | "track" => {
                self.insert_void(tag)
            }
            "script" | "style" | "title" | "template" | "noframes" => {
                return self.insert(tag, Ns::Html).is_some();
            }
            _ if CLOSES_P.contains(&name) => {
                self.close_p();
                self.insert(tag, Ns::Html);
            }
            _ if HEADINGS.contains(&name) => {
                self.close_p();
                if self.current_is(HEADINGS) {
                    self.pop();
                }
                self.insert(tag, Ns::Html);
            }
            "pre" | "listing" => {
                self.close_p();
                self.insert(tag, Ns::Html);
                self.skip_lf = true;
            }
            "form" => {
                if self.form.is_none() {
                    self.close_p();
                    self.form = self.insert(tag, Ns::Html);
                }
            }
            "li" => self.list_item(tag, &["li"]),
            "dd" | "dt" => self.list_item(tag, &["dd", "dt"]),
            "plaintext" => {
                self.close_p();
                return self.insert(tag, Ns::Html).is_some();
            }
            "button" => {
                if self.in_scope("button") {
                    self.implied_end_tags("");
                    self.pop_until(&["button"]);
                }
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "a" => {
                let mut existing = None;
                for e in self.afe.iter().rev() {
                    match e {
                        Afe::Marker => break,
                        Afe::El(id) if self.html_name(*id) == "a" => {
                            existing = Some(*id);
                            break;
                        }
                        _ => {}
                    }
                }
                if let Some(old) = existing {
                    self.adoption("a");
                    if let Some(i) = self.afe_index(old) {
                        self.afe.remove(i);
                    }
                    if let Some(p) = self.open.iter().position(|&x| x == old) {
                        self.remove_open_at(p);
                    }
                }
                self.formatting(tag);
            }
            "nobr" => {
                self.reconstruct();
                if self.in_scope("nobr") {
                    self.adoption("nobr");
                }
                self.formatting(tag);
            }
            _ if FORMATTING.contains(&name) => self.formatting(tag),
            "applet" | "marquee" | "object" => {
                self.reconstruct();
                if self.insert(tag, Ns::Html).is_some() {
                    self.afe.push(Afe::Marker);
                }
            }
            "table" => {
                self.close_p();
                self.insert(tag, Ns::Html);
            }
            "area" | "br" | "embed" | "img" | "image" | "keygen" | "wbr" | "input" => {
                self.reconstruct();
                self.insert_void(tag);
            }
            "hr" => {
                self.close_p();
                self.insert_void(tag);
            }
            "textarea" => {
                let ok = self.insert(tag, Ns::Html).is_some();
                self.skip_lf = ok;
                return ok;
            }
            "xmp" => {
                self.close_p();
                self.reconstruct();
                return self.insert(tag, Ns::Html).is_some();
            }
            "iframe" | "noembed" | "noscript" => return self.insert(tag, Ns::Html).is_some(),
            "select" => {
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "option" | "optgroup" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
            "svg" | "math" => {
                self.reconstruct();
                let ns = if name == "svg" { Ns::Svg } else { Ns::MathMl };
                if self.insert(tag, ns).is_some() && tag.raw.self_closing {
                    self.pop();
                }
            }
            _ => {
                self.reconstruct();
                self.insert(tag, Ns::Html);
            }
        }
        // Only the raw-text elements handled above return true early; any
        // other start tag never leaves the tokenizer in raw mode.
        false
    }

    fn formatting(&mut self, tag: &Tag<'a>) {
        self.reconstruct();
        if let Some(id) = self.insert(tag, Ns::Html) {
            self.push_formatting(id);
        }
    }

    fn list_item(&mut self, tag: &Tag<'a>, closes: &[&str]) {
        for i in (1..self.open.len()).rev() {
            let id = self.open[i];
            let name = self.html_name(id);
            if closes.contains(&name) {
                let name = name.to_string();
                self.implied_end_tags(&name);
                self.pop_until(&[name.as_str()]);
                break;
            }
            if self.is_special(id) && !matches!(name, "address" | "div" | "p") {
                break;
            }
        }
        self.close_p();
        self.insert(tag, Ns::Html);
    }

    fn body_end(&mut self, name: &str) {
        match name {
            "body" | "html" => {}
            _ if BLOCK_END.contains(&name) => {
                if self.in_scope(name) {
                    self.implied_end_tags("");
                    self.pop_until(&[name]);
                }
            }
            "form" => {
                if let Some(form) = self.form.take() {
                    if self.node_in_scope(form) {
                        self.implied_end_tags("");
                        if let Some(p) = self.open.iter().position(|&x| x == form) {
                            self.remove_open_at(p);
                        }
                    }
                }
            }
            "p" => {
                if !self.in_button_scope("p") {
                    let tag = Tag {
                        name: Cow::Borrowed("p"),
                        raw: StartTag {
                            name: "p",
                            attrs: Vec::new(),
                            self_closing: false,
                            span: Span::default(),
                        },
                    };
                    self.insert(&tag, Ns::Html);
                }
                self.close_p();
            }
            "li" => {
                if self.in_list_scope("li") {
                    self.implied_end_tags("li");
                    self.pop_until(&["li"]);
                }
            }
            "dd" | "dt" => {
                if self.in_scope(name) {
                    self.implied_end_tags(name);
                    self.pop_until(&[name]);
                }
            }
            _ if HEADINGS.contains(&name) => {
                if self.in_scope_of(HEADINGS, &[], false) {
                    self.implied_end_tags("");
                    self.pop_until(HEADINGS);
                }
            }
            _ if FORMATTING.contains(&name) => {
                if !self.adoption(name) {
                    self.any_other_end(name);
                }
            }
            "applet" | "marquee" | "object" => {
                if self.in_scope(name) {
                    self.implied_end_tags("");
                    self.pop_until(&[name]);
                    self.clear_afe_to_marker();
                }
            }
            "br" => {
                let tag = Tag {
                    name: Cow::Borrowed("br"),
                    raw: StartTag {
                        name: "br",
                        attrs: Vec::new(),
                        self_closing: false,
                        span: Span::default(),
                    },
                };
                self.reconstruct();
                self.insert_void(&tag);
            }
            _ => self.any_other_end(name),
        }
    }

    fn any_other_end(&mut self, name: &str) {
        for i in (1..self.open.len()).rev() {
            let id = self.open[i];
            if self.html_name(id) == name {
                self.implied_end_tags(name);
                self.pop_until_node(id);
                return;
            }
            if self.is_special(id) {
                return;
            }
        }
    }

    // ----- tables ---------------------------------------------------------

    fn clear_to(&mut self, names: &[&str]) {
        while self.open.len() > 1 && !self.current_is(names) {
            self.pop();
        }
    }

    fn synthetic(name: &'static str) -> Tag<'a> {
        Tag {
            name: Cow::Borrowed(name),
            raw: StartTag {
                name,
                attrs: Vec::new(),
                self_closing: false,
                span: Span::default(),
            },
        }
    }

    fn with_foster(&mut self, tok: &Tok<'a>) -> bool {
        self.foster = true;
        let r = self.body(tok);
        self.foster = false;
        r
    }

    fn table(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) if self.current_is(FOSTER_TARGETS) => {
                let value = Self::text_value(t, *raw);
                if value
                    .chars()
                    .all(|c| matches!(c, ' ' | '\t' | '\n' | '\x0c'))
                {
                    self.insert_text(value);
                } else {
                    self.foster = true;
                    self.reconstruct();
                    self.insert_text(value);
                    self.foster = false;
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) => match tag.name.as_ref() {
                "caption" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.afe.push(Afe::Marker);
                    self.insert(tag, Ns::Html);
                    false
                }
                "colgroup" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.insert(tag, Ns::Html);
                    false
                }
                "col" => {
                    self.clear_to(&["table", "template", "html"]);
                    if self
                        .insert(&Self::synthetic("colgroup"), Ns::Html)
                        .is_some()
                    {
                        return self.dispatch(tok);
                    }
                    false
                }
                "tbody" | "tfoot" | "thead" => {
                    self.clear_to(&["table", "template", "html"]);
                    self.insert(tag, Ns::Html);
                    false
                }
                "td" | "th" | "tr" => {
                    self.clear_to(&["table", "template", "html"]);
                    if self.insert(&Self::synthetic("tbody"), Ns::Html).is_some() {
                        return self.dispatch(tok);
                    }
                    false
                }
                "table" => {
                    if self.in_table_scope(&["table"]) {
                        self.pop_until(&["table"]);
                        return self.dispatch(tok);
                    }
                    false
                }
                "style" | "script" | "template" => self.insert(tag, Ns::Html).is_some(),
                "input"
                    if tag.raw.attrs.iter().any(|a| {
                        a.name.eq_ignore_ascii_case("type")
                            && a.value.eq_ignore_ascii_case("hidden")
                    }) =>
                {
                    self.insert_void(tag);
                    false
                }
                "form" => {
                    if self.form.is_none() {
                        self.form = self.insert(tag, Ns::Html);
                        if self.form.is_some() {
                            self.pop();
                        }
                    }
                    false
                }
                _ => self.with_foster(tok),
            },
            Tok::End(name, _) => {
                match name.as_ref() {
                    "table" => {
                        if self.in_table_scope(&["table"]) {
                            self.pop_until(&["table"]);
                        }
                    }
                    "body" | "caption" | "col" | "colgroup" | "html" | "tbody" | "td" | "tfoot"
                    | "th" | "thead" | "tr" => {}
                    _ => {
                        self.with_foster(tok);
                    }
                }
                true
            }
            _ => self.with_foster(tok),
        }
    }

    fn table_body(&mut self, tok: &Tok<'a>) -> bool {
        const CTX: &[&str] = &["tbody", "tfoot", "thead", "template", "html"];
        match tok {
            Tok::Start(tag) => match tag.name.as_ref() {
                "tr" => {
                    self.clear_to(CTX);
                    self.insert(tag, Ns::Html);
                    false
                }
                "th" | "td" => {
                    self.clear_to(CTX);
                    if self.insert(&Self::synthetic("tr"), Ns::Html).is_some() {
                        return self.dispatch(tok);
                    }
                    false
                }
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(TABLE_SECTIONS) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    false
                }
                _ => self.table(tok),
            },
            Tok::End(name, _) => match name.as_ref() {
                "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.clear_to(CTX);
                        self.pop();
                    }
                    true
                }
                "table" => {
                    if self.in_table_scope(TABLE_SECTIONS) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th" | "tr" => true,
                _ => self.table(tok),
            },
            _ => self.table(tok),
        }
    }

    fn row(&mut self, tok: &Tok<'a>) -> bool {
        const CTX: &[&str] = &["tr", "template", "html"];
        match tok {
            Tok::Start(tag) => match tag.name.as_ref() {
                "th" | "td" => {
                    self.clear_to(CTX);
                    if self.insert(tag, Ns::Html).is_some() {
                        self.afe.push(Afe::Marker);
                    }
                    false
                }
                "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    false
                }
                _ => self.table(tok),
            },
            Tok::End(name, _) => match name.as_ref() {
                "tr" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                    }
                    true
                }
                "table" => {
                    if self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "tbody" | "tfoot" | "thead" => {
                    if self.in_table_scope(&[name.as_ref()]) && self.in_table_scope(&["tr"]) {
                        self.clear_to(CTX);
                        self.pop();
                        return self.dispatch(tok);
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th" => true,
                _ => self.table(tok),
            },
            _ => self.table(tok),
        }
    }

    fn close_cell(&mut self) {
        self.implied_end_tags("");
        self.pop_until(&["td", "th"]);
        self.clear_afe_to_marker();
    }

    fn cell(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Start(tag)
                if matches!(
                    tag.name.as_ref(),
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                if self.in_table_scope(&["td", "th"]) {
                    self.close_cell();
                    return self.dispatch(tok);
                }
                false
            }
            Tok::End(name, _) => match name.as_ref() {
                "td" | "th" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.close_cell();
                    }
                    true
                }
                "body" | "caption" | "col" | "colgroup" | "html" => true,
                "table" | "tbody" | "tfoot" | "thead" | "tr" => {
                    if self.in_table_scope(&[name.as_ref()]) {
                        self.close_cell();
                        return self.dispatch(tok);
                    }
                    true
                }
                _ => self.body(tok),
            },
            _ => self.body(tok),
        }
    }

    fn caption(&mut self, tok: &Tok<'a>) -> bool {
        let close = |b: &mut Self| {
            b.implied_end_tags("");
            b.pop_until(&["caption"]);
            b.clear_afe_to_marker();
        };
        match tok {
            Tok::End(name, _) if name == "caption" => {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                }
                true
            }
            Tok::Start(tag)
                if matches!(
                    tag.name.as_ref(),
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                    return self.dispatch(tok);
                }
                false
            }
            Tok::End(name, _) if name == "table" => {
                if self.in_table_scope(&["caption"]) {
                    close(self);
                    return self.dispatch(tok);
                }
                true
            }
            Tok::End(name, _)
                if matches!(
                    name.as_ref(),
                    "body"
                        | "col"
                        | "colgroup"
                        | "html"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                true
            }
            _ => self.body(tok),
        }
    }

    fn colgroup(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                let value = Self::text_value(t, *raw);
                let ws_len =
                    value.len() - value.trim_start_matches([' ', '\t', '\n', '\x0c']).len();
                if ws_len == value.len() {
                    self.insert_text(value);
                    return true;
                }
                if ws_len > 0 {
                    self.insert_text(Cow::Owned(value[..ws_len].to_string()));
                }
                let rest = Cow::Owned(value[ws_len..].to_string());
                if self.current_is(&["colgroup"]) {
                    self.pop();
                    self.reconstruct_text_after_colgroup(rest);
                }
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) if tag.name == "col" => {
                self.insert_void(tag);
                false
            }
            Tok::End(name, _) if name == "colgroup" => {
                if self.current_is(&["colgroup"]) {
                    self.pop();
                }
                true
            }
            Tok::End(name, _) if name == "col" => true,
            _ => {
                if self.current_is(&["colgroup"]) {
                    self.pop();
                    return self.dispatch(tok);
                }
                true
            }
        }
    }

    /// Text that ends a column group is processed in the table it belongs to.
    fn reconstruct_text_after_colgroup(&mut self, text: Cow<'a, str>) {
        if self.current_is(FOSTER_TARGETS) {
            self.foster = true;
            self.reconstruct();
            self.insert_text(text);
            self.foster = false;
        } else {
            self.reconstruct();
            self.insert_text(text);
        }
    }

    fn select(&mut self, tok: &Tok<'a>) -> bool {
        match tok {
            Tok::Text(t, raw) => {
                self.insert_text(Self::text_value(t, *raw));
                true
            }
            Tok::Comment(t) => {
                self.comment(t);
                true
            }
            Tok::Start(tag) => match tag.name.as_ref() {
                "option" => {
                    if self.current_is(&["option"]) {
                        self.pop();
                    }
                    self.insert(tag, Ns::Html);
                    false
                }
                "optgroup" => {
                    if self.current_is(&["option"]) {
                        self.pop();
                    }
                    if self.current_is(&["optgroup"]) {
                        self.pop();
                    }
                    self.insert(tag, Ns::Html);
                    false
                }
                "select" => {
                    self.pop_until(&["select"]);
                    false
                }
                "input" | "keygen" | "textarea" | "caption" | "table" | "tbody" | "tfoot"
                | "thead" | "tr" | "td" | "th" => {
                    self.pop_until(&["select"]);
                    self.dispatch(tok)
                }
                "script" | "template" => self.insert(tag, Ns::Html).is_some(),
                _ => false,
            },
            Tok::End(name, _) => {
                match name.as_ref() {
                    "optgroup" => {
                        let n = self.open.len();
                        if self.current_is(&["option"])
                            && n >= 2
                            && self.html_name(self.open[n - 2]) == "optgroup"
                        {
                            self.pop();
                        }
                        if self.current_is(&["optgroup"]) {
                            self.pop();
                        }
                    }
                    "option" if self.current_is(&["option"]) => {
                        self.pop();
                    }
                    "select" => self.pop_until(&["select"]),
                    "caption" | "table" | "tbody" | "tfoot" | "thead" | "tr" | "td" | "th"
                        if self.in_table_scope(&[name.as_ref()]) =>
                    {
                        self.pop_until(&["select"]);
                        return self.dispatch(tok);
                    }
                    _ => {}
                }
                true
            }
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compact outline of the tree: `name(children)` and `"text"`.
    fn outline(html: &str) -> String {
        let dom = parse(html);
        let mut out = String::new();
        fn walk(dom: &Dom<'_>, id: NodeId, out: &mut String) {
            for c in dom.children(id) {
                match &dom.node(c).data {
                    NodeData::Element(e) => {
                        out.push_str(&e.name);
                        out.push('(');
                        walk(dom, c, out);
                        out.push(')');
                    }
                    NodeData::Text(t) => out.push_str(&format!("{t:?}")),
                    NodeData::Comment(_) => out.push_str("#c"),
                    NodeData::Root => {}
                }
            }
        }
        walk(&dom, ROOT, &mut out);
        out
    }

    #[test]
    fn name_tables_are_sorted() {
        assert!(SPECIAL.windows(2).all(|w| w[0] < w[1]));
        assert!(KNOWN_HTML.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn implied_end_tags() {
        assert_eq!(outline("<p>a<p>b<div>c</div>"), r#"p("a")p("b")div("c")"#);
        assert_eq!(outline("<ul><li>a<li>b</ul>"), r#"ul(li("a")li("b"))"#);
        assert_eq!(
            outline("<dl><dt>a<dd>b<dt>c</dl>"),
            r#"dl(dt("a")dd("b")dt("c"))"#
        );
        assert_eq!(outline("<p>a<h2>b</h2>"), r#"p("a")h2("b")"#);
    }

    #[test]
    fn void_and_stray() {
        assert_eq!(
            outline("a<br>b</br>c</span></div>d"),
            r#""a"br()"b"br()"cd""#
        );
        assert_eq!(outline("</p>x"), r#"p()"x""#);
        assert_eq!(outline("<div/>x"), r#"div("x")"#);
    }

    #[test]
    fn misnested_formatting() {
        assert_eq!(outline("<b>1<i>2</b>3</i>"), r#"b("1"i("2"))i("3")"#);
        assert_eq!(outline("<b>1<p>2</b>3</p>"), r#"b("1")p(b("2")"3")"#);
        assert_eq!(outline("<a>1<a>2"), r#"a("1")a("2")"#);
    }

    #[test]
    fn tables() {
        assert_eq!(
            outline("<table><td>a<td>b<tr><td>c</table>"),
            r#"table(tbody(tr(td("a")td("b"))tr(td("c"))))"#
        );
        assert_eq!(
            outline("<table>x<tr><td>y</table>"),
            r#""x"table(tbody(tr(td("y"))))"#
        );
        assert_eq!(outline("<td>a</td>"), r#""a""#);
    }

    #[test]
    fn code_rescue() {
        assert_eq!(
            outline("<pre><code>List<Widget> x = <b>y</b>;</Widget></code></pre>"),
            r#"pre(code("List<Widget> x = "b("y")";</Widget>"))"#
        );
        assert_eq!(outline("<p>List<Widget></p>"), r#"p("List"widget())"#);
    }

    #[test]
    fn depth_is_limited() {
        let html = "<div>".repeat(100_000) + "x";
        let dom = parse(&html);
        assert_eq!(dom.text_content(), "x");
        assert!(dom.nodes.len() <= MAX_DEPTH + 2);
    }

    #[test]
    fn pre_drops_first_newline() {
        assert_eq!(outline("<pre>\nx\n</pre>"), r#"pre("x\n")"#);
    }
}
