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

mod body;
mod dispatch;
mod formatting;
mod table;

use super::dom::{Dom, Element, NodeData, NodeId, Ns, ROOT};
use super::elements::{self, FOSTER, IMPLIED_END, MODE, SCOPE, SPECIAL};
use super::entities;
use super::tokenizer::{Span, StartTag, Token, Tokenizer};
use std::borrow::Cow;

/// A set of element names a stack operation looks for: a short list written
/// at the call (`&["td", "th"]`) or a category of the element table.
/// `kind` is the element's row of the element table (0 outside HTML).
trait Names {
    fn has(&self, name: &str, kind: u32) -> bool;
}

impl Names for [&str] {
    fn has(&self, name: &str, _: u32) -> bool {
        self.contains(&name)
    }
}

impl<const N: usize> Names for [&str; N] {
    fn has(&self, name: &str, _: u32) -> bool {
        self.contains(&name)
    }
}

/// Every element with these flags of the element table.
struct Kind(u32);

impl Names for Kind {
    fn has(&self, _: &str, kind: u32) -> bool {
        kind & self.0 == self.0
    }
}

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
    /// Element-table flags of each node (0 for text and foreign elements),
    /// looked up once when the node is made: the stack is scanned often.
    kinds: Vec<u32>,
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

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        Builder {
            src,
            dom: Dom::new(),
            open: vec![ROOT],
            is_open: vec![true],
            kinds: vec![0],
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

    /// The element-table flags of node `id`.
    fn kind(&self, id: NodeId) -> u32 {
        self.kinds.get(id).copied().unwrap_or(0)
    }

    fn is(&self, id: NodeId, names: &(impl Names + ?Sized)) -> bool {
        names.has(self.html_name(id), self.kind(id))
    }

    fn current_is(&self, names: &(impl Names + ?Sized)) -> bool {
        self.is(self.current(), names)
    }

    /// Adds a detached node to the DOM, noting its element-table flags.
    fn create(&mut self, data: NodeData<'a>) -> NodeId {
        self.create_at(data, None)
    }

    /// [`Self::create`] for a node made by the tag at byte `offset`.
    fn create_at(&mut self, data: NodeData<'a>, offset: Option<usize>) -> NodeId {
        let kind = match &data {
            NodeData::Element(e) if e.ns == Ns::Html => elements::facts(&e.name),
            _ => 0,
        };
        let id = self.dom.create_at(data, offset);
        self.kinds.resize(id, 0);
        self.kinds.push(kind);
        id
    }

    fn is_special(&self, id: NodeId) -> bool {
        match self.dom.element(id) {
            Some(e) if e.ns == Ns::Html => self.kind(id) & SPECIAL != 0,
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
            self.kind(id) & MODE != 0,
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

    fn pop_until(&mut self, names: &(impl Names + ?Sized)) {
        while let Some(id) = self.pop() {
            if self.is(id, names) {
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
    fn in_scope_of(&self, names: &(impl Names + ?Sized), extra: &[&str], table_only: bool) -> bool {
        for &id in self.open.iter().rev() {
            let name = self.html_name(id);
            if self.is(id, names) {
                return true;
            }
            if id == ROOT {
                return false;
            }
            let boundary = if table_only {
                matches!(name, "html" | "table" | "template")
            } else {
                self.kind(id) & SCOPE != 0 || extra.contains(&name) || self.foreign_boundary(id)
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
    fn in_table_scope(&self, names: &(impl Names + ?Sized)) -> bool {
        self.in_scope_of(names, &[], true)
    }

    fn node_in_scope(&self, node: NodeId) -> bool {
        for &id in self.open.iter().rev() {
            if id == node {
                return true;
            }
            if id == ROOT || self.kind(id) & SCOPE != 0 || self.foreign_boundary(id) {
                return false;
            }
        }
        false
    }

    fn implied_end_tags(&mut self, except: &str) {
        while self.current_is(&Kind(IMPLIED_END)) && self.html_name(self.current()) != except {
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
        if self.foster && self.kind(target) & FOSTER != 0 {
            for (i, &id) in self.open.iter().enumerate().rev() {
                if self.html_name(id) == "table" {
                    if let Some(parent) = self.dom.node(id).parent() {
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
            (_, Some(before)) => self.dom.node(before).prev(),
            (parent, None) => self.dom.node(parent).last_child(),
        };
        if let Some(prev) = prev {
            if let NodeData::Text(existing) = &mut self.dom.nodes[prev].data {
                existing.to_mut().push_str(&text);
                return;
            }
        }
        let id = self.create(NodeData::Text(text));
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
        // Implied elements are made from tags with an empty span.
        let span = tag.raw.span;
        let offset = (span.end > span.start).then_some(span.start);
        let attrs = attrs.into_boxed_slice();
        self.create_at(NodeData::Element(Element { name, ns, attrs }), offset)
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
        let offset = self.dom.nodes[id].offset();
        self.create_at(data, offset)
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
