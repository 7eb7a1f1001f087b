//! Shape of the mapped document: subheads written as bold paragraphs
//! become headings, and nesting deeper than writers can show is flattened.

use super::flow::Flow;
use super::text::{normalize, trim_breaks};
use super::Mapper;
use crate::model::{inline_text, Block, Inline};
use crate::read::html::dom::{Element, NodeData, NodeId};
use crate::read::html::elements;

/// Block quotes, lists and tables nested deeper than this are flattened
/// into the enclosing one: each level narrows the PDF column, and 29 quotes
/// leave no room for text.
pub const MAX_NESTING: usize = 8;

/// Inline wrappers (emphasis, links...) nested deeper than this are merged
/// into the enclosing one.
pub const MAX_INLINE_NESTING: usize = 32;

/// Longest subhead, in characters.
const SUBHEAD_MAX_CHARS: usize = 40;

/// How an uncentred bold line may not end to be a subhead: a sentence, a
/// lead-in ("论文提交网址：") or a clause is emphasis, not a heading.
const SENTENCE_ENDS: &[char] = &[
    '。', '．', '.', '！', '!', '？', '?', '：', ':', '；', ';', '，', ',', '、', '…',
];

/// Siblings looked at for the text a subhead heads (bounds the work on
/// pathological pages).
const SUBHEAD_LOOKAHEAD: usize = 8;

impl Mapper<'_, '_, '_> {
    /// Whether one more block quote, list or table would be too deep (warns
    /// once per document).
    pub(super) fn too_deep(&mut self, id: NodeId) -> bool {
        if self.nesting < MAX_NESTING {
            return false;
        }
        if !self.flattened {
            self.flattened = true;
            self.warn_at(
                id,
                format!(
                "block quotes, lists or tables nested deeper than {MAX_NESTING} levels flattened"
            ),
            );
        }
        true
    }

    /// A short paragraph that is only bold text is a subhead when it is
    /// centred (Sina's `cms-style="strong-Bold align-Center"`,
    /// `<p align="center"><b>…`, `style="text-align: center"`), or when it
    /// stands alone in the article's flow, is no sentence or lead-in, and
    /// text follows it (`<p><strong>年度游戏</strong></p>` over the
    /// nominees: Chinese CMSs and blogs write their subheads so, as calibre's
    /// heuristics know). Mapped to a heading one level below the last real
    /// one (level 2 under the title), and true returned.
    pub(super) fn subhead(&mut self, flow: &mut Flow, id: NodeId, el: &Element<'_>) -> bool {
        let (mut centred, mut bold, mut linked) = (is_centred(el), cms_bold(el), false);
        let mut cur = self.dom.node(id).first_child();
        while let Some(n) = cur {
            if let Some(e) = self.dom.element(n) {
                if e.name == "img" {
                    return false;
                }
                centred |= is_centred(e);
                bold |= cms_bold(e);
                linked |= e.name == "a";
            }
            cur = self.dom.next_in(id, n, false);
        }
        let text = self.dom.text_of(id);
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 || chars > SUBHEAD_MAX_CHARS || text.ends_with(['。', '：', ':', '.']) {
            return false;
        }
        let alone = !centred
            && !bold
            && !linked
            && self.nesting == 0
            && !text.ends_with(SENTENCE_ENDS)
            && self.followed_by_text(id);
        if !centred && !alone {
            return false;
        }
        let mut content = self.inlines_of(id);
        normalize(&mut content, self.keep_all);
        trim_breaks(&mut content);
        let Some(content) = heading_content(content, bold) else {
            return false;
        };
        if inline_text(&content).trim().is_empty() {
            return false;
        }
        let level = self.heading_level.saturating_add(1).clamp(2, 6);
        flow.block(Block::Heading { level, content });
        true
    }

    /// Whether one of the next few siblings of `id` holds text.
    fn followed_by_text(&self, id: NodeId) -> bool {
        let mut cur = self.dom.node(id).next();
        for _ in 0..SUBHEAD_LOOKAHEAD {
            let Some(n) = cur else { return false };
            let has_text = match &self.dom.node(n).data {
                NodeData::Text(t) => !t.trim().is_empty(),
                NodeData::Element(e) => {
                    !elements::is(&e.name, elements::HIDDEN)
                        && !self.dom.text_of(n).trim().is_empty()
                }
                _ => false,
            };
            if has_text {
                return true;
            }
            cur = self.dom.node(n).next();
        }
        false
    }
}

/// The heading text of a subhead's content: the content itself when the
/// paragraph is marked bold, else the inside of its one `Strong` run.
fn heading_content(content: Vec<Inline>, bold: bool) -> Option<Vec<Inline>> {
    if content.iter().any(|i| matches!(i, Inline::LineBreak)) {
        return None;
    }
    if bold {
        return Some(content);
    }
    match <[Inline; 1]>::try_from(content) {
        Ok([Inline::Strong { content }]) => Some(content),
        _ => None,
    }
}

fn is_centred(el: &Element<'_>) -> bool {
    let attr = |n: &str| el.attr(n).unwrap_or("");
    attr("cms-style").contains("align-Center")
        || attr("align").trim().eq_ignore_ascii_case("center")
        || attr("style")
            .to_ascii_lowercase()
            .replace(char::is_whitespace, "")
            .contains("text-align:center")
}

fn cms_bold(el: &Element<'_>) -> bool {
    el.attr("cms-style").unwrap_or("").contains("strong-Bold")
}
