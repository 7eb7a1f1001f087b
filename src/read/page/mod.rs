//! Whole web pages in: a saved page (doctype, `<html>`, `<head>`; browser,
//! SingleFile and wget saves) is read as a page, not as an article body.
//!
//! Stages: parse with conv's HTML tree builder → metadata from the head
//! ([`meta`]) → the article found ([`extract`]) and its furniture removed
//! ([`clean`]) → the article's subtrees moved under the tree's root and
//! handed to the ordinary HTML reader's clean-up and mapping (no second
//! parse), so a page's article maps to the model exactly as any other
//! article body does.

pub mod classes;
pub mod clean;
pub mod extract;
pub mod hints;
pub mod meta;

use std::path::Path;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{Document, Metadata};
use crate::options::{InputFormat, Options};
use crate::read::html::{parse, Dom, NodeData, NodeId, ROOT};
use crate::session::Session;

/// Whether `text` should be read as a whole page under `opts`:
/// `--extract` forces it, `--no-extract` and `--from` other than auto/html
/// turn it off, otherwise [`looks_like_page`] decides.
pub fn applies(text: &str, opts: &Options) -> bool {
    match opts.extract {
        Some(forced) => forced,
        None => matches!(opts.from, InputFormat::Auto | InputFormat::Html) && looks_like_page(text),
    }
}

/// Whether the text is a whole HTML page: after a BOM, white space and
/// comments (SingleFile's "Page saved with" note), it opens with a
/// doctype, `<html` or `<head`, or an XML declaration followed by one.
pub fn looks_like_page(text: &str) -> bool {
    let mut t = text.trim_start_matches('\u{feff}').trim_start();
    for _ in 0..8 {
        if t.starts_with("<!--") {
            match t.find("-->") {
                Some(end) => t = t[end + 3..].trim_start(),
                None => return false,
            }
        } else if t.starts_with("<?xml") {
            match t.find("?>") {
                Some(end) => t = t[end + 2..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let head: String = t.chars().take(16).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<head")
}

/// Reads a whole page: its metadata (front matter, if the file has some,
/// wins over the page's) and its article. With `keep_all` nothing is
/// extracted: the whole body is read.
pub fn read(
    text: &str,
    path_hint: Option<&Path>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Document> {
    let _ = path_hint;
    let opts = &session.opts;
    let split = super::frontmatter::split(text)?;
    let front = match &split.front {
        Some(front) => Some(super::meta::normalise(super::meta::parse_fields(
            front, text, warnings,
        )?)),
        None => None,
    };
    let mut dom = parse(split.body);
    let mut meta = super::meta::normalise(meta::fields(&dom, split.body));
    if meta.authors.is_empty() {
        meta.authors.extend(meta::dom_byline(&dom));
    }
    if let Some(front) = front {
        meta = merge(front, meta);
    }
    let body = extract::body(&dom);
    let roots = if opts.keep_all {
        vec![body]
    } else {
        let stats = extract::prune(&mut dom, body);
        let roots = extract::article(&dom, body, &stats);
        clean::clean(&mut dom, &roots, &stats, &meta);
        roots
    };
    adopt(&mut dom, &roots);
    let ctx = crate::read::html::HtmlContext {
        base_url: meta.source_url.as_deref(),
        keep_all: opts.keep_all,
        rules: &session.rules,
    };
    // Positions are left out: the diagnostics test pins that a page's
    // warnings name the file only.
    let blocks = warnings.unplaced(|w| crate::read::html::read_dom(dom, &ctx, w))?;
    if meta.language.is_none() {
        meta.language =
            Some(super::lang::detect_document(meta.title.as_deref(), &blocks).to_string());
    }
    Ok(Document { meta, blocks })
}

/// Elements that mean something only inside a table or list (or are the
/// page's own frame): as an article root they become a plain `div`, as
/// they would when written out and parsed again on their own.
const CONTEXT_BOUND: &[&str] = &[
    "td", "th", "tr", "tbody", "thead", "tfoot", "li", "dd", "dt", "body", "html", "caption",
];

/// Makes `roots` the only children of the tree's root, in order, so the
/// HTML reader maps exactly the article.
fn adopt(dom: &mut Dom<'_>, roots: &[NodeId]) {
    if roots.contains(&ROOT) {
        // A page without a `<body>`, read whole: already in place.
        return;
    }
    for &id in roots {
        dom.detach(id);
    }
    while let Some(c) = dom.node(ROOT).first_child() {
        dom.detach(c);
    }
    for &id in roots {
        if let NodeData::Element(e) = &mut dom.nodes[id].data {
            if CONTEXT_BOUND.contains(&e.name.as_ref()) {
                e.name = "div".into();
            }
        }
        dom.append(ROOT, id);
    }
}

/// Front matter first; the page fills what it left empty.
fn merge(mut front: Metadata, page: Metadata) -> Metadata {
    front.title = front.title.or(page.title);
    if front.authors.is_empty() {
        front.authors = page.authors;
    }
    front.date = front.date.or(page.date);
    front.updated = front.updated.or(page.updated);
    if front.categories.is_empty() {
        front.categories = page.categories;
    }
    if front.tags.is_empty() {
        front.tags = page.tags;
    }
    front.cover = front.cover.or(page.cover);
    front.language = front.language.or(page.language);
    front.source_url = front.source_url.or(page.source_url);
    front.description = front.description.or(page.description);
    for (k, v) in page.extra {
        front.extra.entry(k).or_insert(v);
    }
    front
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_detection() {
        assert!(looks_like_page("<!DOCTYPE html><html><body>x"));
        assert!(looks_like_page(
            "\u{feff}  <!-- saved from url=(0042) -->\n<html lang=en>"
        ));
        assert!(looks_like_page(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC>"
        ));
        assert!(looks_like_page("<HEAD><title>x</title></HEAD>"));
        assert!(!looks_like_page("<p>An article body</p>"));
        assert!(!looks_like_page("---\ntitle: x\n---\n<html>"));
        assert!(!looks_like_page("<!-- unterminated"));
    }
}
