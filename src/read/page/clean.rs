//! Furniture inside the chosen article: share bars, related links,
//! comments, "show more" buttons, QR promotions, the title repeated as a
//! heading. Readability's conditional clean-up, with figures, tables of
//! data and code kept.

use super::extract::{preorder, Stats};
use super::hints::{self, ClassId};
use crate::model::Metadata;
use crate::read::html::{Dom, NodeData, NodeId};

/// Elements the conditional clean-up looks at.
const CONTAINERS: &[&str] = &[
    "div", "section", "ul", "ol", "table", "aside", "header", "footer", "form", "fieldset", "dl",
    "p", "span", "li", "figure",
];

/// Cleans the subtrees of `roots`; the page's title is dropped when a
/// heading repeats it, and its authors when a short block only names them
/// (the byline, which the metadata already carries). `stats` measure the
/// page as [`super::extract::article`] saw it: the roots' subtrees are
/// disjoint, so cleaning one leaves the others' figures true.
pub fn clean(dom: &mut Dom<'_>, roots: &[NodeId], stats: &Stats, page: &Metadata) {
    let authors = Authors::of(&page.authors);
    for &root in roots {
        let inside = Inside::of(dom, root);
        let total = stats.text[root].max(1);
        let mut drop = Vec::new();
        let mut cur = Some(root);
        while let Some(id) = cur {
            let gone = id != root && junk(dom, id, stats, &inside, total, page, &authors);
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

/// Tags whose presence in a subtree the clean-up asks about, as bits.
const IMG: u16 = 1;
const PRE: u16 = 2;
const TABLE: u16 = 4;
const VIDEO: u16 = 8;
const PICTURE: u16 = 16;
const FIGURE: u16 = 32;
const IFRAME: u16 = 64;
const MATH: u16 = 128;
/// A text node that is not only white space.
const TEXT: u16 = 256;

fn tag_bit(name: &str) -> u16 {
    match name {
        "img" => IMG,
        "pre" => PRE,
        "table" => TABLE,
        "video" => VIDEO,
        "picture" => PICTURE,
        "figure" => FIGURE,
        "iframe" => IFRAME,
        "math" => MATH,
        _ => 0,
    }
}

/// What each node's subtree holds (the node itself included), measured
/// in one pass so the clean-up does not walk every container's subtree
/// again for each question.
struct Inside {
    has: Vec<u16>,
    p: Vec<u32>,
    img: Vec<u32>,
    li: Vec<u32>,
    input: Vec<u32>,
}

impl Inside {
    fn of(dom: &Dom<'_>, root: NodeId) -> Inside {
        let n = dom.nodes.len();
        let mut s = Inside {
            has: vec![0; n],
            p: vec![0; n],
            img: vec![0; n],
            li: vec![0; n],
            input: vec![0; n],
        };
        for &id in preorder(dom, root).iter().rev() {
            match &dom.node(id).data {
                NodeData::Text(t) if !t.trim().is_empty() => s.has[id] |= TEXT,
                NodeData::Element(e) => {
                    let name = e.name.as_ref();
                    s.has[id] |= tag_bit(name);
                    match name {
                        "p" => s.p[id] += 1,
                        "img" => s.img[id] += 1,
                        "li" => s.li[id] += 1,
                        "input" => s.input[id] += 1,
                        _ => {}
                    }
                }
                _ => {}
            }
            if id == root {
                continue;
            }
            if let Some(par) = dom.node(id).parent() {
                s.has[par] |= s.has[id];
                s.p[par] += s.p[id];
                s.img[par] += s.img[id];
                s.li[par] += s.li[id];
                s.input[par] += s.input[id];
            }
        }
        s
    }
}

/// Whether the node `id` is furniture.
fn junk(
    dom: &Dom<'_>,
    id: NodeId,
    stats: &Stats,
    inside: &Inside,
    total: u32,
    page: &Metadata,
    authors: &Authors,
) -> bool {
    let has = |bits: u16| inside.has[id] & bits != 0;
    let name = dom.name(id);
    if dom.element(id).is_none() {
        return false;
    }
    if matches!(name, "h1" | "h2") {
        let t = dom.text_of(id);
        if page
            .title
            .as_deref()
            .is_some_and(|title| same_title(&t, title))
        {
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
    let looked_at = CONTAINERS.contains(&name) || name == "a";
    if looked_at && text < 200 && !has(IMG | PRE | TABLE | VIDEO | PICTURE) {
        let t = dom.text_of(id);
        if hints::furniture_text(&t) {
            return true;
        }
        let block = matches!(name, "p" | "div" | "section" | "address");
        if block && names_only(&t, authors) {
            return true;
        }
    }
    if !CONTAINERS.contains(&name) {
        return false;
    }
    let ci = ClassId::of(dom, id);
    if ci.embedded() {
        return false;
    }
    let weight = ci.weight();
    // Never more than half the article.
    if text * 2 > total {
        return false;
    }
    let block = matches!(name, "p" | "div" | "section");
    if block && text < 400 && stats.link[id] > 0 && hints::teaser_text(&dom.text_of(id)) {
        return true;
    }
    let short = if name == "p" { 200 } else { 2000 };
    if weight < 0 && name != "figure" && text < short {
        return true;
    }
    if name == "p" && link_only(dom, id, stats, inside) {
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
    let p = inside.p[id] as f32;
    let img = inside.img[id];
    let li = inside.li[id] as f32;
    let inputs = inside.input[id];
    let list = matches!(name, "ul" | "ol");
    if weight < 25 && ld > 0.2 && !(list && ld < 0.5 && p == 0.0) {
        return true;
    }
    if weight >= 25 && ld > 0.5 {
        return true;
    }
    if img > 1 && p / (img as f32) < 0.5 && !has(FIGURE) && text > 0 && text < 25 {
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
        && !has(PRE | TABLE | VIDEO | IFRAME | MATH)
        && name != "table"
        && has(TEXT)
}

/// A paragraph that is one link and nothing else, outside any quotation:
/// an inline "related story" teaser, not the article's prose. (Quoted
/// posts keep theirs: a tweet's last line is its link; so do sources
/// written as their address.)
fn link_only(dom: &Dom<'_>, id: NodeId, stats: &Stats, inside: &Inside) -> bool {
    if stats.text[id] < 15 || stats.link_density(id) < 0.95 || inside.has[id] & IMG != 0 {
        return false;
    }
    // A source given as its address is a reference, not a teaser.
    let t = dom.text_of(id);
    let t = t.trim_start();
    if t.starts_with("http") || t.starts_with("www.") {
        return false;
    }
    let mut p = dom.node(id).parent();
    while let Some(a) = p {
        if dom.name(a) == "blockquote" {
            return false;
        }
        p = dom.node(a).parent();
    }
    true
}

/// The page's authors as [`names_only`] compares them (letters and digits,
/// lower-cased), worked out once per page instead of once per block.
struct Authors {
    names: Vec<String>,
    /// Most letters and digits a byline of them can have: the names and a
    /// word of at most five ("byand").
    room: usize,
}

impl Authors {
    fn of(authors: &[String]) -> Authors {
        let names: Vec<String> = authors.iter().map(|a| letters(a)).collect();
        let room = names.iter().map(|n| n.chars().count()).sum::<usize>() + 5;
        Authors { names, room }
    }
}

/// [`letters`], or None past `max` letters and digits.
fn letters_within(s: &str, max: usize) -> Option<String> {
    let mut out = String::new();
    for (n, c) in s.chars().filter(|c| c.is_alphanumeric()).enumerate() {
        if n >= max {
            return None;
        }
        out.extend(c.to_lowercase());
    }
    Some(out)
}

fn letters(s: &str) -> String {
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `text` only names the page's authors ("By Jo Doe", "Jo Doe
/// and Al Roe").
fn names_only(text: &str, authors: &Authors) -> bool {
    if authors.names.is_empty() {
        return false;
    }
    // Lowercasing never shortens a character, so a text with more letters
    // than the byline can have is not one: seen while normalising.
    let Some(mut rest) = letters_within(text, authors.room) else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    for a in &authors.names {
        if a.len() < 4 {
            return false;
        }
        rest = rest.replacen(a.as_str(), "", 1);
    }
    matches!(
        rest.as_str(),
        "" | "by" | "and" | "byand" | "von" | "par" | "por"
    )
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
