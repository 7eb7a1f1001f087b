//! Text helpers of the mapping: whitespace collapsing as HTML renders it
//! (with CJK line joining), code text and languages, break trimming.

use crate::model::{Block, Inline};
use crate::read::html::dom::{Dom, Element, NodeData, NodeId};
use crate::text::is_unspaced_cjk;

/// Adds blocks that sit between list items to the previous item.
pub(super) fn attach(items: &mut Vec<Vec<Block>>, blocks: Vec<Block>) {
    if blocks.is_empty() {
        return;
    }
    match items.last_mut() {
        Some(last) => last.extend(blocks),
        None => items.push(blocks),
    }
}

/// A code language named in a class (`language-x`, `lang-x`, `highlight-x`,
/// `brush: x`).
pub(super) fn language_of(el: &Element<'_>) -> Option<String> {
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
pub(super) fn code_text(dom: &Dom<'_>, id: NodeId) -> String {
    let mut out = String::new();
    let mut cur = dom.node(id).first_child();
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

/// Removes line breaks at the start and end of a paragraph (the Markdown
/// reader's rule too).
pub(crate) fn trim_breaks(content: &mut Vec<Inline>) {
    while matches!(content.last(), Some(Inline::LineBreak)) {
        content.pop();
    }
    let lead = content
        .iter()
        .take_while(|i| matches!(i, Inline::LineBreak))
        .count();
    content.drain(..lead);
}

pub(super) fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

pub(super) enum Item<'x> {
    Text(&'x mut String),
    Atom,
    Break,
}

pub(super) fn collect_items<'x>(content: &'x mut [Inline], out: &mut Vec<Item<'x>>) {
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
                                    && last.is_some_and(is_unspaced_cjk)
                                    && following.is_some_and(is_unspaced_cjk));
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
pub(super) fn already_normal(s: &str, line_start: bool) -> bool {
    !s.is_empty()
        && !s
            .bytes()
            .any(|b| matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c'))
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ")
        && (!line_start || !s.starts_with(['\u{3000}', '\u{a0}']))
}

pub(super) fn prune(content: &mut Vec<Inline>) {
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
