//! Furniture inside the chosen article: share bars, related links,
//! comments, "show more" buttons, QR promotions, the title repeated as a
//! heading. Readability's conditional clean-up, with figures, tables of
//! data and code kept.

use super::extract::{preorder, Stats};
use super::hints;
use crate::read::html::{Dom, NodeData, NodeId};

/// Elements the conditional clean-up looks at.
const CONTAINERS: &[&str] = &[
    "div", "section", "ul", "ol", "table", "aside", "header", "footer", "form", "fieldset", "dl",
    "p", "span", "li", "figure",
];

/// Cleans the subtrees of `roots`; `title` (the page's) is dropped when a
/// heading repeats it.
pub fn clean(dom: &mut Dom<'_>, roots: &[NodeId], title: Option<&str>) {
    for &root in roots {
        let stats = Stats::of(dom, root);
        let total = stats.text[root].max(1);
        let mut drop = Vec::new();
        let mut cur = Some(root);
        while let Some(id) = cur {
            let gone = id != root && junk(dom, id, &stats, total, title);
            if gone {
                drop.push(id);
            }
            cur = dom.next_in(root, id, gone);
        }
        for id in drop {
            dom.detach(id);
        }
    }
}

/// Whether the node `id` is furniture.
fn junk(dom: &Dom<'_>, id: NodeId, stats: &Stats, total: u32, title: Option<&str>) -> bool {
    let name = dom.name(id);
    if dom.element(id).is_none() {
        return false;
    }
    if matches!(name, "h1" | "h2") {
        let t = dom.text_of(id);
        if title.is_some_and(|title| same_title(&t, title)) {
            return true;
        }
    }
    if matches!(
        name,
        "pre" | "code" | "img" | "picture" | "video" | "math" | "br" | "hr"
    ) {
        return false;
    }
    let text = stats.text[id];
    if text < 200 && !has(dom, id, &["img", "pre", "table", "video", "picture"]) {
        let t = dom.text_of(id);
        if hints::furniture_text(&t) && (CONTAINERS.contains(&name) || name == "a") {
            return true;
        }
    }
    if !CONTAINERS.contains(&name) {
        return false;
    }
    let ci = hints::class_id(dom, id);
    let weight = hints::class_weight(&ci);
    // Never more than half the article.
    if text * 2 > total {
        return false;
    }
    let short = if name == "p" { 200 } else { 2000 };
    if weight < 0 && name != "figure" && text < short {
        return true;
    }
    if matches!(name, "p" | "span" | "li" | "figure") {
        return false;
    }
    if name == "table" && data_table(dom, id) {
        return false;
    }
    let ld = stats.link_density(id);
    if stats.commas[id] >= 10 && ld < 0.3 {
        return false;
    }
    let count = |tag: &str| {
        preorder(dom, id)
            .iter()
            .filter(|&&n| dom.name(n) == tag)
            .count()
    };
    let p = count("p") as f32;
    let img = count("img");
    let li = count("li") as f32;
    let inputs = count("input");
    let list = matches!(name, "ul" | "ol");
    if weight < 25 && ld > 0.2 && !(list && ld < 0.5 && p == 0.0) {
        return true;
    }
    if weight >= 25 && ld > 0.5 {
        return true;
    }
    if img > 1 && p / (img as f32) < 0.5 && !has(dom, id, &["figure"]) && text > 0 && text < 25 {
        return true;
    }
    if !list && li > p + 1.0 && ld > 0.1 {
        return true;
    }
    if inputs as f32 > (p / 3.0).floor() && inputs > 0 {
        return true;
    }
    text < 25
        && img == 0
        && !has(dom, id, &["pre", "table", "video", "iframe", "math"])
        && name != "table"
        && has_text_nodes(dom, id)
}

/// Whether a table holds data (header cells, a caption, or several rows
/// of several cells), not layout.
fn data_table(dom: &Dom<'_>, id: NodeId) -> bool {
    let nodes = preorder(dom, id);
    if nodes
        .iter()
        .any(|&n| matches!(dom.name(n), "th" | "caption" | "thead"))
    {
        return true;
    }
    if nodes.iter().any(|&n| dom.name(n) == "table" && n != id) {
        return false;
    }
    let rows = nodes.iter().filter(|&&n| dom.name(n) == "tr").count();
    let cells = nodes.iter().filter(|&&n| dom.name(n) == "td").count();
    rows >= 2 && cells >= rows * 2 && cells <= 200
}

fn has(dom: &Dom<'_>, id: NodeId, tags: &[&str]) -> bool {
    preorder(dom, id)
        .iter()
        .any(|&n| tags.contains(&dom.name(n)))
}

fn has_text_nodes(dom: &Dom<'_>, id: NodeId) -> bool {
    preorder(dom, id)
        .iter()
        .any(|&n| matches!(&dom.node(n).data, NodeData::Text(t) if !t.trim().is_empty()))
}

/// Whether a heading repeats the page title (which may carry the site's
/// name after a separator).
pub fn same_title(heading: &str, title: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (h, t) = (norm(heading), norm(title));
    !h.is_empty()
        && (h == t
            || (h.chars().count() >= 10 && t.starts_with(&h))
            || (t.chars().count() >= 10 && h.starts_with(&t)))
}
