//! A small, lenient XML reader for feeds: elements, attributes, text,
//! CDATA, the five predefined entities and numeric references (other named
//! references — feeds often carry `&nbsp;` — are kept for the HTML reader).
//! Comments, processing instructions and the doctype are skipped; a
//! missing end tag is closed at its parent's. No crate: the dependency
//! budget is spent, and feeds need no more than this.

use crate::error::{Error, Result};

/// Nesting deeper than this is refused (no feed needs it).
const MAX_DEPTH: usize = 256;

/// An element: its qualified name as written (`content:encoded`),
/// attributes, and children.
#[derive(Debug, Default, Clone)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements whose local name (after any prefix) is `local`, or
    /// whose qualified name is `local` when it has a colon.
    pub fn all<'e>(&'e self, local: &'e str) -> impl Iterator<Item = &'e Element> + 'e {
        self.elements().filter(move |e| name_is(&e.name, local))
    }

    /// The first child [`Element::all`] finds.
    pub fn child(&self, local: &str) -> Option<&Element> {
        self.elements().find(|e| name_is(&e.name, local))
    }

    /// The text of the element's subtree (for elements holding markup as
    /// child elements, such as Atom's `type="xhtml"`, see [`Element::inner_xml`]).
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut stack: Vec<&Node> = self.children.iter().rev().collect();
        while let Some(n) = stack.pop() {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => stack.extend(e.children.iter().rev()),
            }
        }
        out
    }

    /// The children written back as markup (Atom `type="xhtml"` content).
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            write_node(c, &mut out, 0);
        }
        out
    }
}

fn write_node(n: &Node, out: &mut String, depth: usize) {
    match n {
        Node::Text(t) => out.push_str(&t.replace('&', "&amp;").replace('<', "&lt;")),
        Node::Element(e) if depth < MAX_DEPTH => {
            let name = e.name.rsplit(':').next().unwrap_or(&e.name);
            out.push('<');
            out.push_str(name);
            for (k, v) in &e.attrs {
                out.push_str(&format!(
                    " {k}=\"{}\"",
                    v.replace('&', "&amp;").replace('"', "&quot;")
                ));
            }
            out.push('>');
            for c in &e.children {
                write_node(c, out, depth + 1);
            }
            out.push_str(&format!("</{name}>"));
        }
        Node::Element(_) => {}
    }
}

/// Whether qualified `name` matches `want` (`want` with a colon matches
/// exactly; without, the local part is compared).
pub fn name_is(name: &str, want: &str) -> bool {
    if want.contains(':') {
        name.eq_ignore_ascii_case(want)
    } else {
        name.rsplit(':')
            .next()
            .is_some_and(|l| l.eq_ignore_ascii_case(want))
    }
}

/// Line and column (1-based) of byte `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn error(text: &str, at: usize, message: &str) -> Error {
    let (line, column) = line_col(text, at);
    Error::Feed(format!("XML at line {line}, column {column}: {message}"))
}

/// Parses `text` into its root element.
pub fn parse(text: &str) -> Result<Element> {
    let mut open = OpenElements::default();
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        if b[i] != b'<' {
            let end = text[i..].find('<').map_or(b.len(), |p| i + p);
            open.push_text(decode(&text[i..end]));
            i = end;
            continue;
        }
        let rest = &text[i..];
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            let end = r
                .find("]]>")
                .ok_or_else(|| error(text, i, "unterminated CDATA section"))?;
            open.push_text(r[..end].to_string());
            i += 9 + end + 3;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |p| p + 3);
        } else if rest.starts_with("<?") {
            i += rest.find("?>").map_or(rest.len(), |p| p + 2);
        } else if rest.starts_with("<!") {
            i += skip_decl(rest);
        } else if let Some(r) = rest.strip_prefix("</") {
            let end = r
                .find('>')
                .ok_or_else(|| error(text, i, "unterminated end tag"))?;
            open.close(r[..end].trim());
            i += 2 + end + 1;
        } else {
            let (el, len, empty) =
                start_tag(rest).ok_or_else(|| error(text, i, "malformed start tag"))?;
            i += len;
            if empty {
                open.top().children.push(Node::Element(el));
            } else {
                if open.elements.len() >= MAX_DEPTH {
                    return Err(Error::TooLarge(format!(
                        "feed nested deeper than {MAX_DEPTH} elements"
                    )));
                }
                open.elements.push(el);
            }
        }
    }
    open.close_from(0);
    open.document
        .children
        .into_iter()
        .find_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| error(text, 0, "no root element"))
}

/// The document being built and the elements open in it, innermost last.
/// The document node is kept apart from the open elements, so there is
/// always a node to append to.
#[derive(Default)]
struct OpenElements {
    document: Element,
    elements: Vec<Element>,
}

impl OpenElements {
    /// The node content goes into: the innermost open element, or the
    /// document.
    fn top(&mut self) -> &mut Element {
        self.elements.last_mut().unwrap_or(&mut self.document)
    }

    fn push_text(&mut self, t: String) {
        let top = self.top();
        if let Some(Node::Text(prev)) = top.children.last_mut() {
            prev.push_str(&t);
        } else {
            top.children.push(Node::Text(t));
        }
    }

    /// Closes the innermost open element named `name` (and any left open
    /// inside it); an end tag nothing matches is ignored.
    fn close(&mut self, name: &str) {
        if let Some(pos) = self.elements.iter().rposition(|e| e.name == name) {
            self.close_from(pos);
        }
    }

    /// Closes the open elements from index `pos` inward, each into its
    /// parent.
    fn close_from(&mut self, pos: usize) {
        while self.elements.len() > pos {
            let Some(closed) = self.elements.pop() else {
                break;
            };
            self.top().children.push(Node::Element(closed));
        }
    }
}

/// Length of a `<!DOCTYPE …>` with its internal subset.
fn skip_decl(rest: &str) -> usize {
    let mut depth = 0;
    for (i, c) in rest.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '>' if depth <= 0 => return i + 1,
            _ => {}
        }
    }
    rest.len()
}

/// A start tag at the start of `rest`: the element, the tag's length, and
/// whether it is self-closing.
fn start_tag(rest: &str) -> Option<(Element, usize, bool)> {
    let b = rest.as_bytes();
    let name_end = rest[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map(|p| p + 1)?;
    let name = rest[1..name_end].to_string();
    if name.is_empty() {
        return None;
    }
    let mut i = name_end;
    let mut el = Element {
        name,
        ..Element::default()
    };
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b'>' => return Some((el, i + 1, false)),
            b'/' if b.get(i + 1) == Some(&b'>') => return Some((el, i + 2, true)),
            _ => {}
        }
        let key_end =
            rest[i..].find(|c: char| c == '=' || c.is_whitespace() || c == '>' || c == '/')? + i;
        let key = rest[i..key_end].to_string();
        if key.is_empty() {
            // Step over one whole character: a Unicode space (U+3000, U+2028…)
            // ends a key but is not skipped as ASCII white space above.
            i += rest[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        i = key_end;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            el.attrs.push((key, String::new()));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let q = *b.get(i)?;
        let value = if q == b'"' || q == b'\'' {
            let end = rest[i + 1..].find(q as char)? + i + 1;
            let v = &rest[i + 1..end];
            i = end + 1;
            v
        } else {
            let end = rest[i..]
                .find(|c: char| c.is_whitespace() || c == '>')
                .map_or(rest.len(), |p| p + i);
            let v = &rest[i..end];
            i = end;
            v
        };
        el.attrs.push((key, decode(value)));
    }
}

/// Decodes the predefined entities and numeric references; other named
/// references stay as written.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => out.push(c),
            None => out.push_str(&rest[..=end]),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unicode_space_between_attributes_is_not_a_panic() {
        // Found by the read_feed fuzz target (fuzz/regressions/read_feed/):
        // U+3000 after an attribute name sliced inside the character.
        for space in ['\u{3000}', '\u{2028}', '\u{85}', '\u{200a}'] {
            let text = format!("<rss a{space}b=\"1\"><channel/></rss>");
            let root = parse(&text).expect("parsed");
            assert_eq!(root.name, "rss");
        }
    }

    #[test]
    fn elements_text_cdata_and_references() {
        let root = parse(
            "<?xml version='1.0'?><!-- c --><rss v=\"2\"><a x='1 &amp; 2'>t &lt; u &#x4e2d;</a><b><![CDATA[<p>x</p>]]></b><c/></rss>",
        )
        .unwrap();
        assert_eq!(root.name, "rss");
        assert_eq!(root.child("a").unwrap().attr("x"), Some("1 & 2"));
        assert_eq!(root.child("a").unwrap().text(), "t < u 中");
        assert_eq!(root.child("b").unwrap().text(), "<p>x</p>");
        assert!(root.child("c").is_some());
    }

    #[test]
    fn unclosed_elements_are_closed_and_errors_have_positions() {
        let root = parse("<feed><entry><title>x</feed>").unwrap();
        assert_eq!(
            root.child("entry").unwrap().child("title").unwrap().text(),
            "x"
        );
        let err = parse("<rss>\n  <![CDATA[ never ends")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2, column 3"), "{err}");
        assert!(parse("just text").is_err());
    }
}
