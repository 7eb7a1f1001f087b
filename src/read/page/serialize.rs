//! A DOM subtree back to HTML text, so the extracted article goes through
//! the same HTML → model mapping as every other article body.

use crate::read::html::{Dom, NodeData, NodeId};

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements that only parse inside a table or list: serialised as `div`
/// when they are the root of what is written, so re-parsing keeps them.
const CONTEXT_BOUND: &[&str] = &[
    "td", "th", "tr", "tbody", "thead", "tfoot", "li", "dd", "dt", "body", "html", "caption",
];

enum Step {
    Open(NodeId, bool),
    Close(String),
}

/// The HTML of the subtrees `roots`, in order. Text and attribute values
/// are escaped; comments are dropped.
pub fn to_html(dom: &Dom<'_>, roots: &[NodeId]) -> String {
    let mut out = String::new();
    for &root in roots {
        let mut stack = vec![Step::Open(root, true)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Close(name) => {
                    out.push_str("</");
                    out.push_str(&name);
                    out.push('>');
                }
                Step::Open(id, is_root) => open(dom, id, is_root, &mut out, &mut stack),
            }
        }
        out.push('\n');
    }
    out
}

fn open(dom: &Dom<'_>, id: NodeId, is_root: bool, out: &mut String, stack: &mut Vec<Step>) {
    match &dom.node(id).data {
        NodeData::Text(t) => escape(t, false, out),
        NodeData::Element(e) => {
            let name = if is_root && CONTEXT_BOUND.contains(&e.name.as_ref()) {
                "div"
            } else {
                e.name.as_ref()
            };
            out.push('<');
            out.push_str(name);
            for (k, v) in &e.attrs {
                if !k
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:".contains(c))
                {
                    continue;
                }
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                escape(v, true, out);
                out.push('"');
            }
            out.push('>');
            if VOID.contains(&name) {
                return;
            }
            stack.push(Step::Close(name.to_string()));
            let children: Vec<NodeId> = dom.children(id).collect();
            stack.extend(children.into_iter().rev().map(|c| Step::Open(c, false)));
        }
        NodeData::Root => {
            let children: Vec<NodeId> = dom.children(id).collect();
            stack.extend(children.into_iter().rev().map(|c| Step::Open(c, false)));
        }
        NodeData::Comment(_) => {}
    }
}

fn escape(text: &str, attr: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::html::parse;

    #[test]
    fn round_trips_escapes_and_void_elements() {
        let dom = parse("<div id=a><p title='x\"y'>a &amp; b<br>c</p><img src=i.png></div>");
        let div = (0..dom.nodes.len())
            .find(|&i| dom.name(i) == "div")
            .unwrap();
        assert_eq!(
            to_html(&dom, &[div]).trim(),
            "<div id=\"a\"><p title=\"x&quot;y\">a &amp; b<br>c</p><img src=\"i.png\"></div>"
        );
    }

    #[test]
    fn table_cell_root_becomes_div() {
        let dom = parse("<table><tr><td><p>x</p></td></tr></table>");
        let td = (0..dom.nodes.len()).find(|&i| dom.name(i) == "td").unwrap();
        assert_eq!(to_html(&dom, &[td]).trim(), "<div><p>x</p></div>");
    }
}
