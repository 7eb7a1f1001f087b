//! Feeds in: RSS 2.0 (and RSS 1.0), Atom and JSON Feed. Each entry becomes
//! an article: its full content where the feed has it (`content:encoded`,
//! Atom `<content>`, `content_html`), else its summary, marked with
//! `extra.content = "summary"`; entry dates, authors, categories and links
//! go into the same fields front matter fills.

pub mod xml;

use serde_json::{Map, Value};
use std::path::Path;

use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::Document;
use crate::session::Session;
use xml::Element;

/// Whether `bytes` look like a feed: an XML document whose root is `rss`,
/// `feed` or `rdf:RDF`, or a JSON object naming a jsonfeed.org version.
/// Looks at the first 2 KiB only.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(2048)];
    let head = String::from_utf8_lossy(head);
    let t = head.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') {
        return t.contains("jsonfeed.org/version");
    }
    let mut rest = t;
    while rest.starts_with("<?") || rest.starts_with("<!") {
        match rest.find('>') {
            Some(p) => rest = rest[p + 1..].trim_start(),
            None => return false,
        }
    }
    let name: String = rest
        .chars()
        .skip(1)
        .take_while(|c| !c.is_whitespace() && *c != '>')
        .collect();
    rest.starts_with('<') && matches!(name.as_str(), "rss" | "feed" | "rdf:RDF")
}

/// An `.xml`, `.rss` or `.atom` file that is not a feed is refused rather
/// than read as text (a sitemap or a catalog is no article).
pub fn refuse_other_xml(path_hint: Option<&Path>) -> Result<()> {
    let ext = path_hint
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xml" | "rss" | "atom") => Err(Error::Feed(
            "not an RSS, Atom or JSON feed (its root element is not rss, feed or rdf:RDF)".into(),
        )),
        _ => Ok(()),
    }
}

/// Reads a feed into one [`Document`] per entry, in feed order. An error
/// says what is wrong (XML errors with line:column); a feed without entries
/// is an empty list.
pub fn read_feed(
    bytes: &[u8],
    path_hint: Option<&Path>,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<Document>> {
    let _ = path_hint;
    let opts = &session.opts;
    let forced = opts.encoding.clone().or_else(|| declared_encoding(bytes));
    let text = super::decode::decode(bytes, forced.as_deref(), warnings)?;
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let entries = if t.starts_with('{') {
        json_feed(t)?
    } else {
        xml_feed(&xml::parse(t)?)?
    };
    // An entry's body is unescaped from the feed, not a slice of the file:
    // its warnings have no place.
    warnings.unplaced(|w| {
        entries
            .into_iter()
            .map(|e| e.into_document(session, w))
            .collect()
    })
}

/// The `encoding` of an XML declaration, unless it is UTF-8 (which the
/// decoder finds by itself).
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let v = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
    let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = &v[1..v[1..].find(q)? + 1];
    (!label.eq_ignore_ascii_case("utf-8")).then(|| label.to_string())
}

/// One entry before it becomes a document.
#[derive(Default)]
struct Entry {
    /// Front-matter-like fields (title, author, date, tags, url…).
    fields: Map<String, Value>,
    /// The body and whether it is HTML.
    body: String,
    html: bool,
}

impl Entry {
    fn into_document(mut self, session: &Session, warnings: &mut Warnings) -> Result<Document> {
        let mut meta = super::meta::normalise(std::mem::take(&mut self.fields));
        let blocks = if self.html {
            super::read_html_body(&self.body, meta.source_url.as_deref(), session, warnings)?
        } else {
            super::plain::read(&self.body)
        };
        if meta.language.is_none() {
            meta.language =
                Some(super::lang::detect_document(meta.title.as_deref(), &blocks).to_string());
        }
        Ok(Document { meta, blocks })
    }

    fn put(&mut self, key: &str, v: Option<String>) {
        if let Some(v) = v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            self.fields
                .entry(key.to_string())
                .or_insert(Value::String(v));
        }
    }

    fn push(&mut self, key: &str, v: String) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        let list = self
            .fields
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(vec![]));
        if let Value::Array(a) = list {
            if !a.iter().any(|x| x == v) {
                a.push(Value::String(v.to_string()));
            }
        }
    }

    /// Sets the body: the full content when there is some, else the
    /// summary (marked as such).
    fn set_body(&mut self, full: Option<(String, bool)>, summary: Option<(String, bool)>) {
        let full = full.filter(|(b, _)| !b.trim().is_empty());
        let summary = summary.filter(|(b, _)| !b.trim().is_empty());
        match (full, summary) {
            (Some((b, html)), summary) => {
                if let Some((s, _)) = summary {
                    self.put("description", Some(strip_tags(&s)));
                }
                self.body = b;
                self.html = html;
            }
            (None, Some((b, html))) => {
                self.fields
                    .insert("content".into(), Value::String("summary".into()));
                self.body = b;
                self.html = html;
            }
            (None, None) => {}
        }
    }
}

/// Feed-level fields every entry inherits where it has none.
fn inherit(
    entries: &mut [Entry],
    feed_title: Option<String>,
    lang: Option<String>,
    author: Option<String>,
) {
    for e in entries {
        if let Some(t) = &feed_title {
            e.fields
                .entry("feed_title")
                .or_insert(Value::String(t.clone()));
        }
        e.put("lang", lang.clone());
        if !e.fields.contains_key("author") {
            e.put("author", author.clone());
        }
    }
}

fn xml_feed(root: &Element) -> Result<Vec<Entry>> {
    if xml::name_is(&root.name, "feed") {
        return Ok(atom(root));
    }
    if !(xml::name_is(&root.name, "rss") || xml::name_is(&root.name, "RDF")) {
        return Err(Error::Feed(format!(
            "root element <{}> is not rss, feed or rdf:RDF",
            root.name
        )));
    }
    let channel = root.child("channel");
    // RSS 2.0 items sit in the channel; RSS 1.0 items beside it.
    let items = channel
        .into_iter()
        .flat_map(|c| c.all("item"))
        .chain(root.all("item"));
    let mut entries: Vec<Entry> = items.map(rss_item).collect();
    let text = |name: &str| channel.and_then(|c| c.child(name)).map(|e| e.text());
    inherit(
        &mut entries,
        text("title"),
        text("language").or_else(|| text("dc:language")),
        text("managingEditor").or_else(|| text("dc:creator")),
    );
    Ok(entries)
}

fn rss_item(item: &Element) -> Entry {
    let mut e = Entry::default();
    let text = |name: &str| item.child(name).map(|x| x.text());
    e.put("title", text("title").map(|t| html_text(&t)));
    e.put(
        "url",
        text("link").or_else(|| {
            item.child("guid")
                .filter(|g| g.attr("isPermaLink") != Some("false"))
                .map(|g| g.text())
        }),
    );
    e.put("date", text("pubDate").or_else(|| text("dc:date")));
    for a in item.all("dc:creator").chain(item.all("author")) {
        e.push("author", a.text());
    }
    for c in item.all("category").chain(item.all("dc:subject")) {
        e.push("categories", c.text());
    }
    e.put("guid", text("guid"));
    if let Some(enc) = item
        .child("enclosure")
        .filter(|x| x.attr("type").unwrap_or("").starts_with("image/"))
    {
        e.put("cover", enc.attr("url").map(str::to_string));
    }
    let full = item.child("content:encoded").map(|c| (c.text(), true));
    let summary = text("description").map(|d| (d, true));
    e.set_body(full, summary);
    e
}

fn atom(feed: &Element) -> Vec<Entry> {
    let mut entries: Vec<Entry> = feed.all("entry").map(atom_entry).collect();
    inherit(
        &mut entries,
        feed.child("title").map(atom_text),
        feed.attr("xml:lang").map(str::to_string),
        feed.child("author")
            .and_then(|a| a.child("name"))
            .map(|n| n.text()),
    );
    entries
}

fn atom_entry(entry: &Element) -> Entry {
    let mut e = Entry::default();
    e.put("title", entry.child("title").map(atom_text));
    let link = entry
        .all("link")
        .find(|l| matches!(l.attr("rel"), None | Some("alternate")))
        .and_then(|l| l.attr("href"));
    e.put("url", link.map(str::to_string));
    e.put(
        "date",
        entry
            .child("published")
            .or(entry.child("issued"))
            .map(|d| d.text()),
    );
    e.put("updated", entry.child("updated").map(|d| d.text()));
    for a in entry.all("author") {
        if let Some(n) = a.child("name") {
            e.push("author", n.text());
        }
    }
    for c in entry.all("category") {
        e.push(
            "categories",
            c.attr("label").or(c.attr("term")).unwrap_or("").to_string(),
        );
    }
    e.put("id", entry.child("id").map(|i| i.text()));
    e.put("lang", entry.attr("xml:lang").map(str::to_string));
    let body = |el: &Element| match el.attr("type").unwrap_or("text") {
        "xhtml" => (el.inner_xml(), true),
        t if t.contains("html") => (el.text(), true),
        _ => (el.text(), false),
    };
    let full = entry
        .child("content")
        .filter(|c| c.attr("src").is_none())
        .map(body);
    e.set_body(full, entry.child("summary").map(body));
    e
}

/// An Atom text construct as one line of plain text.
fn atom_text(el: &Element) -> String {
    match el.attr("type") {
        Some("html") | Some("xhtml") => html_text(&el.text()),
        _ => el.text().split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Text of an HTML fragment, folded to one line (for titles and summaries
/// that carry markup or references).
fn html_text(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        crate::read::html::parse(s).text_content()
    } else {
        s.to_string()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(s: &str) -> String {
    html_text(s)
}

fn json_feed(text: &str) -> Result<Vec<Entry>> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        Error::Feed(format!(
            "JSON Feed at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::Feed("JSON Feed has no \"items\" array".into()))?;
    let s = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    let names = |o: &Value| -> Vec<String> {
        let one = o.get("author").into_iter();
        let many = o
            .get("authors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        one.chain(many)
            .filter_map(|a| a.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    let mut entries = Vec::new();
    for item in items {
        let mut e = Entry::default();
        e.put("title", s(item, "title"));
        e.put("url", s(item, "url").or_else(|| s(item, "external_url")));
        e.put("id", s(item, "id"));
        e.put("date", s(item, "date_published"));
        e.put("updated", s(item, "date_modified"));
        e.put(
            "cover",
            s(item, "image").or_else(|| s(item, "banner_image")),
        );
        e.put("lang", s(item, "language"));
        for a in names(item) {
            e.push("author", a);
        }
        for t in item
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(t) = t.as_str() {
                e.push("tags", t.to_string());
            }
        }
        let full = s(item, "content_html")
            .map(|h| (h, true))
            .or_else(|| s(item, "content_text").map(|t| (t, false)));
        e.set_body(full, s(item, "summary").map(|t| (t, false)));
        entries.push(e);
    }
    let feed_author = names(&v).into_iter().next();
    inherit(&mut entries, s(&v, "title"), s(&v, "language"), feed_author);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_sniffing() {
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\">"
        ));
        assert!(looks_like_feed(
            b"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(looks_like_feed(
            b"<?xml version=\"1.0\"?><!-- x --><rdf:RDF>"
        ));
        assert!(looks_like_feed(
            b"{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}"
        ));
        assert!(!looks_like_feed(b"<!DOCTYPE html><html>"));
        assert!(!looks_like_feed(b"{\"title\": \"x\"}"));
    }

    #[test]
    fn declared_encoding_label() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"GB18030\"?><rss>").as_deref(),
            Some("GB18030")
        );
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding='utf-8'?>"),
            None
        );
    }
}
