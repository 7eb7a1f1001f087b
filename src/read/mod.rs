//! Readers: bytes of an article in, a [`Document`] out.
//!
//! Stages: [`decode`] bytes to text → [`frontmatter::split`] front matter
//! from body → parse the block ([`yaml`] with its fast [`simple_yaml`]
//! path and the [`lenient`] fallback, TOML, JSON) and normalise it
//! ([`meta`], [`dates`]) → detect the body's kind ([`detect_body`]) → read
//! it as HTML, Markdown ([`markdown`]) or plain text ([`plain`]) → fill the
//! language if the front matter gave none ([`lang`]). conv's own JSON form
//! is read back by [`json`].

pub mod dates;
pub mod decode;
pub mod feed;
pub mod frontmatter;
pub mod html;
pub mod json;
pub mod lang;
pub mod lenient;
pub mod markdown;
pub mod meta;
pub mod page;
pub mod plain;
pub mod simple_yaml;
pub mod yaml;

use std::path::Path;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{Block, Document};
use crate::options::InputFormat;
use crate::session::Session;

/// Reads one article from its bytes: decodes them (see [`decode`]), then
/// reads the text with [`read_str`]. `path_hint` is the input's path, if it
/// has one: its extension helps detection (`.md`, `.html`, `.json`).
pub fn read_bytes(
    bytes: &[u8],
    path_hint: Option<&Path>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Document> {
    let first = warnings.len();
    let text = decode::decode_with(bytes, session.encoding, warnings)?;
    let doc = read_str(&text, path_hint, session, warnings);
    // The spans index this decoded text, not `bytes`.
    warnings.attach_source(first, &text);
    doc
}

/// What one input file holds: an article, or a feed's entries.
pub enum Input {
    Article(Document),
    Feed(Vec<Document>),
}

/// Reads one input: a feed (RSS, Atom, JSON Feed) as its entries, anything
/// else as an article. An `.xml`/`.rss`/`.atom` file that is no feed is
/// refused rather than read as text.
pub fn read_input(
    bytes: &[u8],
    path_hint: Option<&Path>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Input> {
    if feed::looks_like_feed(bytes) {
        return feed::read_feed(bytes, path_hint, session, warnings).map(Input::Feed);
    }
    feed::refuse_other_xml(path_hint)?;
    read_bytes(bytes, path_hint, session, warnings).map(Input::Article)
}

/// Reads one article from its text. conv's JSON form (`--from json`, a
/// `.json` path, or text that looks like it) is read back as is; anything
/// else is front matter plus a body whose kind is `opts.from`, or detected
/// when that is `Auto`.
pub fn read_str(
    text: &str,
    path_hint: Option<&Path>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Document> {
    let opts = &session.opts;
    let is_json = match opts.from {
        InputFormat::Json => true,
        InputFormat::Auto => json::looks_like_model(text) || extension(path_hint) == "json",
        _ => false,
    };
    if is_json {
        return json::read(text);
    }
    if page::applies(text, opts) {
        return page::read(text, path_hint, session, warnings);
    }
    let split = frontmatter::split(text)?;
    let mut meta = match &split.front {
        Some(front) => meta::normalise(meta::parse_fields(front, text, warnings)?),
        None => Default::default(),
    };
    let base_url = meta.source_url.clone();
    let base_url = base_url.as_deref();
    let body = split.body;
    // Readers give spans into the slice they read; `within` makes them
    // spans into `text`.
    let html = |w: &mut Warnings| {
        w.within(split.body_offset, |w| {
            read_html_body(body, base_url, session, w)
        })
    };
    let md = |part: &str, w: &mut Warnings| {
        w.within(offset_in(text, part), |w| {
            markdown::read(part, base_url, session, w)
        })
    };
    let blocks = match opts.from {
        InputFormat::Auto => {
            // A scraper's `<div>` wrapper around text is not part of it.
            let inner = unwrap_div(body).unwrap_or(body);
            match detect_body(body, path_hint) {
                InputFormat::Html => html(warnings)?,
                InputFormat::Markdown => md(inner, warnings)?,
                _ => plain::read(inner),
            }
        }
        InputFormat::Html => html(warnings)?,
        InputFormat::Markdown => md(body, warnings)?,
        InputFormat::Text | InputFormat::Json => plain::read(body),
    };
    if meta.language.is_none() {
        meta.language = Some(lang::detect_document(meta.title.as_deref(), &blocks).to_string());
    }
    Ok(Document { meta, blocks })
}

/// Reads an HTML body into blocks; `base_url` resolves relative URLs.
fn read_html_body(
    body: &str,
    base_url: Option<&str>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<Block>> {
    let ctx = html::HtmlContext {
        base_url,
        keep_all: session.opts.keep_all,
        rules: &session.rules,
    };
    html::read(body, &ctx, warnings)
}

/// Byte offset of `part`, a slice of `text`, in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(text.as_ptr() as usize)
        .min(text.len())
}

/// The lower-cased extension of the path hint ("" without one).
fn extension(path_hint: Option<&Path>) -> String {
    path_hint
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// HTML element names that make a body HTML when they appear as tags.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "meta",
    "nav",
    "noscript",
    "ol",
    "p",
    "picture",
    "pre",
    "s",
    "script",
    "section",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
];

/// Guesses what a body is, for `--from auto`:
/// 1. a `.md`/`.markdown` path is Markdown, a `.html`/`.htm` path HTML;
/// 2. a body with HTML tags (known element names, or comments) is HTML,
///    unless it has more lines with Markdown signals than tags (Markdown
///    with some raw HTML);
/// 3. a body without tags (an outer `<div>` wrapper aside) is HTML if it
///    has character references (`&amp;`), Markdown if it has Markdown
///    signals (ATX headings, list items, fences, quotes, links, `**`, code
///    spans), else plain text.
pub fn detect_body(body: &str, path_hint: Option<&Path>) -> InputFormat {
    match extension(path_hint).as_str() {
        "md" | "markdown" | "mdown" | "mkd" => return InputFormat::Markdown,
        "html" | "htm" | "xhtml" => return InputFormat::Html,
        _ => {}
    }
    let inner = unwrap_div(body);
    let text = inner.unwrap_or(body);
    let signals = markdown_signals(text);
    // Only whether tags outnumber signals matters: stop counting there.
    let tags = match inner {
        Some(_) => 0,
        None => count_tags(body, signals + 1),
    };
    if tags == 0 {
        if has_char_ref(text) {
            InputFormat::Html
        } else if signals > 0 {
            InputFormat::Markdown
        } else {
            InputFormat::Text
        }
    } else if signals > tags {
        InputFormat::Markdown
    } else {
        InputFormat::Html
    }
}

/// The inside of a body that is one `<div …>…</div>` wrapper around text
/// with no other tags (how scrapers store plain-text posts).
fn unwrap_div(body: &str) -> Option<&str> {
    let t = body.trim();
    let open_end = t.find('>')?;
    let open = t[..open_end].to_ascii_lowercase();
    let is_div = open == "<div" || open.starts_with("<div ");
    let inner = t[open_end + 1..].strip_suffix("</div>")?;
    (is_div && count_tags(inner, 1) == 0).then_some(inner)
}

/// Number of HTML tags (known element names, start or end) and comments,
/// counting no further than `limit`.
fn count_tags(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    for (i, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'<') {
        let rest = &bytes[i + 1..];
        if count >= limit {
            break;
        }
        if rest.starts_with(b"!--") {
            count += 1;
            continue;
        }
        let name_part = rest.strip_prefix(b"/").unwrap_or(rest);
        let len = name_part
            .iter()
            .take(12)
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name_part.len().min(12));
        let ends_name = matches!(
            name_part.get(len),
            Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')
        );
        if ends_name && is_html_tag(&name_part[..len]) {
            count += 1;
        }
    }
    count
}

/// Whether `name` (any case) is in [`HTML_TAGS`], without allocating.
fn is_html_tag(name: &[u8]) -> bool {
    let mut lower = [0u8; 12];
    if name.is_empty() || name.len() > lower.len() {
        return false;
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    let lower = &lower[..name.len()];
    HTML_TAGS
        .binary_search_by(|t| t.as_bytes().cmp(lower))
        .is_ok()
}

/// Whether the text has an HTML character reference (`&amp;`, `&#123;`).
fn has_char_ref(text: &str) -> bool {
    text.match_indices('&').any(|(i, _)| {
        let rest = &text[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .unwrap_or(rest.len());
        len > 1 && len <= 32 && rest[len..].starts_with(';')
    })
}

/// Number of lines that carry a Markdown signal.
fn markdown_signals(text: &str) -> usize {
    text.lines().filter(|line| is_markdown_line(line)).count()
}

fn is_markdown_line(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 && !t.starts_with(['-', '*', '+']) {
        return false;
    }
    let hashes = t.len() - t.trim_start_matches('#').len();
    let heading = (1..=6).contains(&hashes) && t[hashes..].starts_with(' ');
    let list = t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ");
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let ordered = digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "));
    let block = t.starts_with("```") || t.starts_with("~~~") || t.starts_with("> ");
    let inline = t.contains("](") || t.contains("**") || t.matches('`').count() >= 2;
    heading || list || ordered || block || inline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_tag_list_is_sorted() {
        assert!(HTML_TAGS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn counting_tags() {
        let cases = [
            ("<p>a</p>", 2),
            ("<br><img src=x>", 2),
            ("Tensor<Float> a < b", 0),
            ("<!-- c -->", 1),
            ("<P CLASS=x>", 1),
            ("<dependency>", 0),
        ];
        for (text, want) in cases {
            assert_eq!(count_tags(text, usize::MAX), want, "{text}");
        }
    }
}
