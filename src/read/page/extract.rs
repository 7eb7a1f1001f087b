//! Finding the article in a whole page (Readability's method, tuned):
//! 1. [`prune`] drops what never holds article text (scripts, navigation,
//!    hidden elements, containers whose class/id say furniture);
//! 2. paragraphs score their ancestors by length and commas; a candidate's
//!    score is scaled by (1 − link density) and moved by its class/id hints;
//! 3. the best candidate is widened to an ancestor when other good
//!    candidates sit beside it, and its worthy siblings are merged in;
//! 4. [`super::clean`] then removes the furniture left inside.
//!
//! Lengths are [`hints::weight`]s, so an unspaced script's characters count
//! like the words they are.

use super::hints::{self, ClassId, BLOCK_TAGS, DROP_TAGS};
use crate::read::html::{Dom, NodeData, NodeId, ROOT};

/// Text and link weight of every node's subtree, by node id.
pub struct Stats {
    pub text: Vec<u32>,
    pub link: Vec<u32>,
    pub commas: Vec<u32>,
}

impl Stats {
    /// Measures the subtree of `root` (other nodes stay 0).
    pub fn of(dom: &Dom<'_>, root: NodeId) -> Stats {
        let n = dom.nodes.len();
        let mut s = Stats {
            text: vec![0; n],
            link: vec![0; n],
            commas: vec![0; n],
        };
        let order = preorder(dom, root);
        for &id in order.iter().rev() {
            if let NodeData::Text(t) = &dom.node(id).data {
                (s.text[id], s.commas[id]) = hints::weight_and_commas(t);
            } else if dom.name(id) == "a" {
                s.link[id] = s.text[id];
            }
            if id == root {
                continue;
            }
            if let Some(p) = dom.node(id).parent() {
                s.text[p] += s.text[id];
                s.link[p] += s.link[id];
                s.commas[p] += s.commas[id];
            }
        }
        s
    }

    /// Takes the subtree of `gone` (about to be detached) out of its
    /// ancestors' sums up to `root`, so the figures are what [`Stats::of`]
    /// would measure without it, at the cost of one walk up.
    pub fn without(&mut self, dom: &Dom<'_>, root: NodeId, gone: NodeId) {
        let (text, mut link, commas) = (self.text[gone], self.link[gone], self.commas[gone]);
        let mut cur = gone;
        while cur != root {
            let Some(p) = dom.node(cur).parent() else {
                break;
            };
            self.text[p] -= text;
            self.commas[p] -= commas;
            if dom.name(p) == "a" {
                // A link's link weight is all its text.
                link = self.link[p] - self.text[p];
                self.link[p] = self.text[p];
            } else {
                self.link[p] -= link;
            }
            cur = p;
        }
    }

    /// Share of the text that is link text.
    pub fn link_density(&self, id: NodeId) -> f32 {
        let t = self.text[id];
        if t == 0 {
            0.0
        } else {
            self.link[id].min(t) as f32 / t as f32
        }
    }
}

/// Nodes of the subtree of `root` in document order, skipping the
/// content of elements that are not text a reader sees.
pub fn preorder(dom: &Dom<'_>, root: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut cur = Some(root);
    while let Some(id) = cur {
        out.push(id);
        let skip = matches!(dom.name(id), "script" | "style" | "template" | "noscript");
        cur = dom.next_in(root, id, skip);
    }
    out
}

/// The `<body>` element, or the root when the page has none (the first in
/// [`preorder`], found without listing the page).
pub fn body(dom: &Dom<'_>) -> NodeId {
    let mut cur = Some(ROOT);
    while let Some(id) = cur {
        let name = dom.name(id);
        if name == "body" {
            return id;
        }
        let skip = matches!(name, "script" | "style" | "template" | "noscript");
        cur = dom.next_in(ROOT, id, skip);
    }
    ROOT
}

/// Whether the element says it is not shown.
fn hidden(dom: &Dom<'_>, id: NodeId) -> bool {
    let Some(e) = dom.element(id) else {
        return false;
    };
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden") == Some("true") && dom.name(id) != "figure"
    {
        return true;
    }
    let style = e.attr("style").unwrap_or("");
    if style.is_empty() {
        return false;
    }
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Removes from `body` what never holds article text. A container holding
/// much of the page's text is kept whatever its class says, so a site
/// that names its article `comment-body` does not lose it. Returns the
/// measures of what is left, for [`article`] and [`super::clean`].
pub fn prune(dom: &mut Dom<'_>, body: NodeId) -> Stats {
    let mut stats = Stats::of(dom, body);
    let total = stats.text[body].max(1);
    let mut drop = Vec::new();
    let mut cur = dom.node(body).first_child();
    while let Some(id) = cur {
        let name = dom.name(id);
        let gone = match &dom.node(id).data {
            NodeData::Comment(_) => true,
            NodeData::Element(_) if DROP_TAGS.contains(&name) => true,
            NodeData::Element(_) => {
                let big = stats.text[id] * 3 > total;
                let role = dom.element(id).and_then(|e| e.attr("role")).unwrap_or("");
                let furniture = matches!(name, "aside" | "footer" | "header" | "form")
                    || matches!(
                        role,
                        "navigation"
                            | "complementary"
                            | "menu"
                            | "menubar"
                            | "dialog"
                            | "alert"
                            | "banner"
                            | "contentinfo"
                    )
                    || (ClassId::of(dom, id).unlikely() && !in_code(dom, id));
                hidden(dom, id) || (furniture && !big && name != "a" && name != "body")
            }
            _ => false,
        };
        if gone {
            drop.push(id);
        }
        cur = dom.next_in(body, id, gone);
    }
    for id in drop {
        stats.without(dom, body, id);
        dom.detach(id);
    }
    stats
}

fn in_code(dom: &Dom<'_>, id: NodeId) -> bool {
    let mut p = dom.node(id).parent();
    while let Some(a) = p {
        if matches!(dom.name(a), "pre" | "code" | "table") {
            return true;
        }
        p = dom.node(a).parent();
    }
    false
}

/// Whether `id` is an element with no block-level element children.
fn phrasing_only(dom: &Dom<'_>, id: NodeId) -> bool {
    dom.children(id).all(|c| !BLOCK_TAGS.contains(&dom.name(c)))
}

/// Tag bonus a candidate starts with.
fn tag_score(name: &str) -> f32 {
    match name {
        "div" | "article" | "main" => 5.0,
        "pre" | "td" | "blockquote" | "section" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// The paragraph-like units of the subtree: (node whose parent gets the
/// score, text weight, commas). A `div` with text of its own (Chinese
/// sites' `text<br>text` bodies) is a unit itself.
fn paragraphs(dom: &Dom<'_>, root: NodeId, stats: &Stats) -> Vec<(NodeId, u32, u32)> {
    let mut out = Vec::new();
    for id in preorder(dom, root) {
        let name = dom.name(id);
        let para = matches!(
            name,
            "p" | "pre" | "td" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
        ) || (matches!(
            name,
            "div" | "section" | "article" | "font" | "center" | "span" | "li" | "dd"
        ) && phrasing_only(dom, id)
            && !matches!(
                dom.name(dom.node(id).parent().unwrap_or(ROOT)),
                "p" | "span" | "font"
            ));
        if para {
            out.push((id, stats.text[id], stats.commas[id]));
        } else if matches!(name, "div" | "section" | "article") {
            // Own text beside block children.
            let own: u32 = dom
                .children(id)
                .filter(|&c| {
                    matches!(dom.node(c).data, NodeData::Text(_))
                        || !BLOCK_TAGS.contains(&dom.name(c))
                })
                .map(|c| stats.text[c])
                .sum();
            if own >= 25 {
                let own_commas = dom
                    .children(id)
                    .filter(|&c| !BLOCK_TAGS.contains(&dom.name(c)))
                    .map(|c| stats.commas[c])
                    .sum();
                if let Some(first) = dom.node(id).first_child() {
                    out.push((first, own, own_commas));
                }
            }
        }
    }
    out
}

/// The article's top-level nodes, in document order (empty when the page
/// has no text at all); `stats` measure the page as it is.
pub fn article(dom: &Dom<'_>, body: NodeId, stats: &Stats) -> Vec<NodeId> {
    let mut score: Vec<Option<f32>> = vec![None; dom.nodes.len()];
    let init =
        |dom: &Dom<'_>, id: NodeId| tag_score(dom.name(id)) + ClassId::of(dom, id).weight() as f32;
    for (unit, len, commas) in paragraphs(dom, body, stats) {
        if len < 25 {
            continue;
        }
        let s = 1.0 + commas as f32 + (len as f32 / 100.0).floor().min(3.0);
        let mut anc = dom.node(unit).parent();
        let mut level = 0;
        while let (Some(a), true) = (anc, level < 5) {
            if a == ROOT || dom.element(a).is_none() {
                break;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            let cur = score[a].get_or_insert_with(|| init(dom, a));
            *cur += s / div;
            if a == body {
                break;
            }
            anc = dom.node(a).parent();
            level += 1;
        }
    }
    let mut cands: Vec<(NodeId, f32)> = score
        .iter()
        .enumerate()
        .filter_map(|(id, s)| s.map(|s| (id, s * (1.0 - stats.link_density(id)))))
        .collect();
    cands.sort_by(|a, b| b.1.total_cmp(&a.1));
    let Some(&(mut top, mut top_score)) = cands.first() else {
        return if stats.text[body] > 0 {
            vec![body]
        } else {
            vec![]
        };
    };
    let final_score = |id: NodeId| score[id].map(|s| s * (1.0 - stats.link_density(id)));

    // Several near-best candidates under one ancestor: that ancestor.
    let alts: Vec<NodeId> = cands[1..]
        .iter()
        .take(5)
        .filter(|c| c.1 >= top_score * 0.75)
        .map(|c| c.0)
        .collect();
    if alts.len() >= 3 {
        let mut p = dom.node(top).parent();
        while let Some(a) = p.filter(|&a| a != body && a != ROOT) {
            if alts.iter().filter(|&&x| is_ancestor(dom, a, x)).count() >= 3 {
                top = a;
                top_score = final_score(a).unwrap_or(top_score);
                break;
            }
            p = dom.node(a).parent();
        }
    }
    // Climb while the parent scores better.
    let mut last = top_score;
    let mut p = dom.node(top).parent();
    while let Some(a) = p.filter(|&a| a != body && a != ROOT) {
        if let Some(ps) = final_score(a) {
            if ps < last / 3.0 {
                break;
            }
            if ps > last {
                top = a;
                top_score = ps;
                break;
            }
            last = ps;
        }
        p = dom.node(a).parent();
    }
    // An only child is its parent.
    while let Some(a) = dom.node(top).parent().filter(|&a| a != body && a != ROOT) {
        if dom
            .children(a)
            .filter(|&c| dom.element(c).is_some())
            .count()
            != 1
        {
            break;
        }
        top = a;
    }
    let top = widen(dom, top, body, stats);
    siblings(dom, top, top_score, stats, &score)
}

/// Running-text weight under `id`: paragraphs of some length with few links.
fn good_text(dom: &Dom<'_>, id: NodeId, stats: &Stats) -> u32 {
    preorder(dom, id)
        .into_iter()
        .filter(|&n| dom.name(n) == "p" && stats.text[n] >= 80 && stats.link_density(n) < 0.25)
        .map(|n| stats.text[n])
        .sum()
}

/// An article split into parts (a figure or a pull quote between two
/// containers) is found by one part: widen to the ancestor holding clearly
/// more running text, while that text is most of the ancestor's.
fn widen(dom: &Dom<'_>, mut top: NodeId, body: NodeId, stats: &Stats) -> NodeId {
    let mut good = good_text(dom, top, stats);
    while let Some(a) = dom.node(top).parent().filter(|&a| a != body && a != ROOT) {
        let g = good_text(dom, a, stats);
        if g * 4 < good * 5 || g * 10 < stats.text[a] * 7 {
            break;
        }
        top = a;
        good = g;
    }
    top
}

fn is_ancestor(dom: &Dom<'_>, a: NodeId, mut x: NodeId) -> bool {
    while let Some(p) = dom.node(x).parent() {
        if p == a {
            return true;
        }
        x = p;
    }
    false
}

/// The top candidate and its siblings worth keeping, in order.
fn siblings(
    dom: &Dom<'_>,
    top: NodeId,
    top_score: f32,
    stats: &Stats,
    score: &[Option<f32>],
) -> Vec<NodeId> {
    let Some(parent) = dom.node(top).parent() else {
        return vec![top];
    };
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = dom.element(top).and_then(|e| e.attr("class")).unwrap_or("");
    let mut out = Vec::new();
    for sib in dom.children(parent) {
        if sib == top {
            out.push(sib);
            continue;
        }
        if dom.element(sib).is_none() {
            continue;
        }
        let mut bonus = 0.0;
        let class = dom.element(sib).and_then(|e| e.attr("class")).unwrap_or("");
        if !top_class.is_empty() && class == top_class {
            bonus += top_score * 0.2;
        }
        let sib_score = score[sib].map(|s| s * (1.0 - stats.link_density(sib)));
        let keep = match sib_score {
            Some(s) if s + bonus >= threshold => true,
            _ if dom.name(sib) == "p" => {
                let len = stats.text[sib];
                let ld = stats.link_density(sib);
                (len > 80 && ld < 0.25)
                    || (len > 0 && ld == 0.0 && ends_sentence(&dom.text_of(sib)))
            }
            _ => false,
        };
        if keep {
            out.push(sib);
        }
    }
    out
}

fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end();
    t.ends_with(['.', '。', '!', '?', '！', '？']) || t.contains(". ")
}
