//! Shape of the mapped document: subheads written as bold, centred
//! paragraphs become headings, and nesting deeper than writers can show is
//! flattened.

use super::flow::Flow;
use super::text::{normalize, trim_breaks};
use super::Mapper;
use crate::model::{inline_text, Block, Inline};
use crate::read::html::dom::{Element, NodeId};

/// Block quotes, lists and tables nested deeper than this are flattened
/// into the enclosing one: each level narrows the PDF column, and 29 quotes
/// leave no room for text.
pub const MAX_NESTING: usize = 8;

/// Inline wrappers (emphasis, links...) nested deeper than this are merged
/// into the enclosing one.
pub const MAX_INLINE_NESTING: usize = 32;

/// Longest subhead, in characters.
const SUBHEAD_MAX_CHARS: usize = 40;

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

    /// A short paragraph that is only bold text and centred (Sina's
    /// `cms-style="strong-Bold align-Center"`, `<p align="center"><b>…`,
    /// `style="text-align: center"`) is a subhead: mapped to a level-2
    /// heading, and true returned.
    pub(super) fn subhead(&mut self, flow: &mut Flow, id: NodeId, el: &Element<'_>) -> bool {
        let (mut centred, mut bold) = (is_centred(el), cms_bold(el));
        let mut cur = self.dom.node(id).first_child();
        while let Some(n) = cur {
            if let Some(e) = self.dom.element(n) {
                if e.name == "img" {
                    return false;
                }
                centred |= is_centred(e);
                bold |= cms_bold(e);
            }
            cur = self.dom.next_in(id, n, false);
        }
        if !centred {
            return false;
        }
        let text = self.dom.text_of(id);
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 || chars > SUBHEAD_MAX_CHARS || text.ends_with(['。', '：', ':', '.']) {
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
        flow.block(Block::Heading { level: 2, content });
        true
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
