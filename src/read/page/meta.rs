//! A whole page's metadata: `<title>`, `<meta>` (OpenGraph, `article:*`,
//! Dublin Core, Parse.ly, plain `author`/`description`/`keywords`),
//! JSON-LD (`NewsArticle`, `BlogPosting`…), `<html lang>` and the canonical
//! link. They are gathered into a map with the keys front matter uses and
//! normalised by [`crate::read::meta::normalise`], so pages get the same
//! typed fields and `extra` map as front matter.

use serde_json::{Map, Value};
use std::collections::HashMap;

use crate::read::html::{Dom, NodeData, NodeId, ROOT};

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ScholarlyArticle",
    "TechArticle",
    "SocialMediaPosting",
    "LiveBlogPosting",
    "WebPage",
];

/// What the page's head says, before normalisation.
#[derive(Default)]
struct Found {
    /// `<meta>` values by lower-cased name/property/itemprop, first wins.
    meta: HashMap<String, Vec<String>>,
    title: Option<String>,
    lang: Option<String>,
    canonical: Option<String>,
    ld: Vec<Value>,
}

/// The page's metadata as a front-matter-like map; `raw` is the page's
/// text (the tree builder reads a page as body content, so the `<html>`
/// start tag and its `lang` are looked up there).
pub fn fields(dom: &Dom<'_>, raw: &str) -> Map<String, Value> {
    let mut found = gather(dom);
    found.lang = html_lang(raw);
    let ld = article_ld(&found.ld);
    let m = |k: &str| found.first(k);
    let mut out = Map::new();
    let mut put = |key: &str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !is_empty(v)) {
            out.entry(key.to_string()).or_insert(v);
        }
    };
    let ld_str = |k: &str| {
        ld.and_then(|o| o.get(k))
            .and_then(text_of)
            .map(Value::String)
    };
    let s = |v: Option<String>| v.map(Value::String);

    put(
        "title",
        ld.and_then(|o| ld_title(o, found.title.as_deref())),
    );
    for k in TITLE_KEYS {
        put("title", s(m(k)));
    }
    put("title", s(found.title.clone()));

    put("author", ld.and_then(|o| o.get("author")).map(authors));
    for k in AUTHOR_KEYS {
        put(
            "author",
            s(m(k).filter(|a| !a.starts_with("http")).map(strip_by)),
        );
    }

    put("date", ld_str("datePublished"));
    for k in DATE_KEYS {
        put("date", s(m(k)));
    }
    put("updated", ld_str("dateModified"));
    for k in ["article:modified_time", "og:updated_time", "datemodified"] {
        put("updated", s(m(k)));
    }

    put("lang", s(found.lang.clone()));
    put("lang", ld_str("inLanguage"));
    put("lang", s(m("og:locale").map(|l| l.replace('_', "-"))));
    put("lang", s(m("content-language")));

    put("url", s(found.canonical.clone()));
    put("url", s(m("og:url")));
    put("url", ld_str("url"));

    put("cover", s(m("og:image")));
    put("cover", ld.and_then(|o| o.get("image")).and_then(image));
    put("cover", s(m("twitter:image")));

    for k in ["og:description", "description", "twitter:description"] {
        put("description", s(m(k)));
    }
    put("description", ld_str("description"));

    put("categories", list(found.all("article:section")));
    put("categories", ld_str("articleSection"));
    put("tags", list(found.all("article:tag")));
    put("tags", m("keywords").map(|k| split_keywords(&k)));
    put("tags", ld.and_then(|o| o.get("keywords")).cloned());

    put("site_name", s(m("og:site_name")));
    put(
        "site_name",
        ld.and_then(|o| o.get("publisher"))
            .and_then(|p| p.get("name"))
            .and_then(text_of)
            .map(Value::String),
    );
    out
}

/// `<meta>` names that give the title, in order of trust (names are
/// lower-cased, `.` read as `:`).
const TITLE_KEYS: &[&str] = &[
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
];

/// `<meta>` names that give the author.
const AUTHOR_KEYS: &[&str] = &[
    "dc:creator",
    "dcterm:creator",
    "author",
    "parsely-author",
    "article:author",
    "byl",
];

/// `<meta>` names that give the publication date, in order of trust.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "parsely-pub-date",
    "datepublished",
    "dc:date:issued",
    "dc:date",
    "dcterms:date",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "date",
];

impl Found {
    fn first(&self, key: &str) -> Option<String> {
        self.meta.get(key).and_then(|v| v.first()).cloned()
    }
    fn all(&self, key: &str) -> Vec<String> {
        self.meta.get(key).cloned().unwrap_or_default()
    }
}

/// One walk over the tree collecting what [`fields`] reads.
fn gather(dom: &Dom<'_>) -> Found {
    let mut f = Found::default();
    let mut cur = Some(ROOT);
    while let Some(id) = cur {
        if let NodeData::Element(e) = &dom.node(id).data {
            match e.name.as_ref() {
                "title" if f.title.is_none() && !in_svg(dom, id) => {
                    f.title = Some(fold(&dom.text_of(id))).filter(|t| !t.is_empty())
                }
                "meta" => {
                    let key = e
                        .attr("property")
                        .or(e.attr("name"))
                        .or(e.attr("itemprop"))
                        .or(e.attr("http-equiv"));
                    if let (Some(keys), Some(v)) = (key, clean(e.attr("content"))) {
                        // `property="dc:title og:title"` names several.
                        for k in keys.split_whitespace() {
                            let k = k.to_ascii_lowercase().replace('.', ":");
                            f.meta.entry(k).or_default().push(fold(v));
                        }
                    }
                }
                "link" if f.canonical.is_none() => {
                    let rel = e.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if rel.split_whitespace().any(|r| r == "canonical") {
                        f.canonical = clean(e.attr("href")).map(str::to_string);
                    }
                }
                "script" => {
                    let ty = e.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                    if ty == "application/ld+json" {
                        if let Ok(v) = serde_json::from_str(strip_cdata(&text_child(dom, id))) {
                            f.ld.push(v);
                        }
                    }
                }
                _ => {}
            }
        }
        cur = dom.next_in(ROOT, id, false);
    }
    f
}

/// `lang` (or `xml:lang`) of the page's `<html>` start tag, looked for in
/// the first 64 KiB (after doctype and comments).
fn html_lang(raw: &str) -> Option<String> {
    let mut end = raw.len().min(65536);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    let head = &raw[..end];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    let start = loop {
        let at = from + lower[from..].find("<html")?;
        if matches!(
            lower.as_bytes().get(at + 5),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        ) {
            break at;
        }
        from = at + 5;
    };
    let close = start + head[start..].find('>')?;
    // The same attribute rules as any element: parse it as a `div`.
    let tag = format!("<div{}>", &head[start + 5..close]);
    let dom = crate::read::html::parse(&tag);
    let div = (0..dom.nodes.len()).find(|&i| dom.name(i) == "div")?;
    let e = dom.element(div)?;
    clean(e.attr("lang").or(e.attr("xml:lang"))).map(str::to_string)
}

/// The byline shown in the page, for pages whose head names no author:
/// the first element marked `rel="author"`, `itemprop="author"` or with a
/// class/id such as `byline`, `author`, `writtenby`, whose text is short.
/// A leading "By" is dropped.
pub fn dom_byline(dom: &Dom<'_>) -> Option<String> {
    let mut cur = Some(ROOT);
    while let Some(id) = cur {
        let mut skip = false;
        if let Some(e) = dom.element(id) {
            skip = matches!(
                e.name.as_ref(),
                "head" | "script" | "style" | "meta" | "title"
            );
            let attr = |k: &str| e.attr(k).unwrap_or("");
            // No marker has a space: asking class and id in turn is asking
            // them joined.
            let marked = attr("rel").eq_ignore_ascii_case("author")
                || contains_ignore_case(attr("itemprop"), "author")
                || ["byline", "author", "dateline", "writtenby", "p-author"]
                    .iter()
                    .any(|m| {
                        contains_ignore_case(attr("class"), m)
                            || contains_ignore_case(attr("id"), m)
                    });
            if marked && !skip {
                let name = name_inside(dom, id).unwrap_or_else(|| fold(&dom.text_of(id)));
                let len = name.chars().count();
                if len > 0 && len < 100 {
                    return Some(strip_by(name));
                }
            }
        }
        cur = dom.next_in(ROOT, id, skip);
    }
    None
}

/// Whether `hay`, ASCII-lowercased, contains `word` (lowercase ASCII),
/// without lowercasing a copy: the byline is looked for in every element.
fn contains_ignore_case(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    h.len() >= w.len() && h.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w))
}

/// The text of an `itemprop="name"` element under `id`.
fn name_inside(dom: &Dom<'_>, id: NodeId) -> Option<String> {
    let mut cur = dom.node(id).first_child();
    while let Some(n) = cur {
        if dom.element(n).and_then(|e| e.attr("itemprop")) == Some("name") {
            return Some(fold(&dom.text_of(n))).filter(|t| !t.is_empty());
        }
        cur = dom.next_in(id, n, false);
    }
    None
}

fn in_svg(dom: &Dom<'_>, id: NodeId) -> bool {
    let mut p = dom.node(id).parent();
    while let Some(a) = p {
        if dom.name(a) == "svg" {
            return true;
        }
        p = dom.node(a).parent();
    }
    false
}

/// A script's text (`text_of` skips script content).
fn text_child(dom: &Dom<'_>, id: NodeId) -> String {
    dom.children(id)
        .filter_map(|c| match &dom.node(c).data {
            NodeData::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

/// JSON-LD some sites wrap in `<![CDATA[ … ]]>` (or `//<![CDATA[`).
fn strip_cdata(s: &str) -> &str {
    let t = s.trim();
    let t = t.strip_prefix("//").unwrap_or(t).trim_start();
    let t = t.strip_prefix("<![CDATA[").unwrap_or(t).trim_end();
    let t = t.strip_suffix("]]>").unwrap_or(t).trim_end();
    t.strip_suffix("//").unwrap_or(t).trim()
}

/// JSON-LD title: `headline`, or `name` when both are given and only the
/// name agrees with the page's `<title>` (Wikipedia's headline is a
/// description).
fn ld_title(o: &Map<String, Value>, page_title: Option<&str>) -> Option<Value> {
    let headline = o.get("headline").and_then(text_of);
    let name = o.get("name").and_then(text_of);
    let norm = |s: &str| s.to_lowercase().split_whitespace().collect::<String>();
    let pick = match (headline, name) {
        (Some(h), Some(n)) if h != n => {
            let page = page_title.map(norm).unwrap_or_default();
            if page.contains(&norm(&n)) && !page.contains(&norm(&h)) {
                n
            } else {
                h
            }
        }
        (Some(h), _) => h,
        (None, n) => n?,
    };
    Some(Value::String(pick))
}

/// The first article-like object among the JSON-LD blocks (arrays and
/// `@graph`s looked into); `WebPage` only when nothing better is there.
fn article_ld(blocks: &[Value]) -> Option<&Map<String, Value>> {
    let mut objects = Vec::new();
    for b in blocks {
        flatten(b, &mut objects, 0);
    }
    let rank = |o: &Map<String, Value>| {
        let types: Vec<&str> = match o.get("@type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        types
            .iter()
            .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
            .map(|p| if ARTICLE_TYPES[p] == "WebPage" { 1 } else { 2 })
            .max()
            .unwrap_or(0)
    };
    let best = objects.iter().map(|o| rank(o)).max().filter(|&r| r > 0)?;
    objects.into_iter().find(|o| rank(o) == best)
}

fn flatten<'v>(v: &'v Value, out: &mut Vec<&'v Map<String, Value>>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| flatten(x, out, depth + 1)),
        Value::Object(o) => {
            out.push(o);
            if let Some(g) = o.get("@graph") {
                flatten(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// A JSON-LD value as one line of text (a string, or an object's name).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(decode_refs(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(o) => o.get("name").and_then(text_of),
        Value::Array(a) => a.first().and_then(text_of),
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

/// JSON-LD `author`: a name, a `Person`, or a list of them.
fn authors(v: &Value) -> Value {
    let names: Vec<Value> = match v {
        Value::Array(a) => a.iter().filter_map(text_of).map(Value::String).collect(),
        other => text_of(other).map(Value::String).into_iter().collect(),
    };
    Value::Array(names)
}

/// JSON-LD `image`: a URL, an `ImageObject`, or a list.
fn image(v: &Value) -> Option<Value> {
    match v {
        Value::String(s) => Some(Value::String(s.clone())),
        Value::Object(o) => o.get("url").and_then(image),
        Value::Array(a) => a.first().and_then(image),
        _ => None,
    }
}

fn list(v: Vec<String>) -> Option<Value> {
    (!v.is_empty()).then(|| Value::Array(v.into_iter().map(Value::String).collect()))
}

/// `keywords` content: comma (also full-width) or semicolon separated.
fn split_keywords(k: &str) -> Value {
    Value::Array(
        k.split([',', '，', ';', '；', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .collect(),
    )
}

/// "By Jane Doe" → "Jane Doe".
fn strip_by(a: String) -> String {
    let t = a.trim();
    match t.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("by ") => t[3..].trim().to_string(),
        _ => t.to_string(),
    }
}

fn clean(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// JSON-LD strings sometimes carry HTML character references
/// (`&amp;`): decoded by the HTML parser, folded to one line.
fn decode_refs(s: &str) -> String {
    if s.contains('&') {
        fold(&crate::read::html::parse(s).text_content())
    } else {
        fold(s)
    }
}

/// Whitespace runs to one space, trimmed.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::html::parse;

    #[test]
    fn json_ld_wins_over_open_graph_and_title() {
        let src = r#"<html lang="en-GB"><head><title>T - Site</title>
            <meta property="og:title" content="OG">
            <meta property="article:published_time" content="2020-01-02">
            <script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"S"},
              {"@type":["NewsArticle"],"headline":"LD &amp; co","author":[{"@type":"Person","name":"A B"}],
               "datePublished":"2021-03-04T05:06:07Z","image":{"url":"https://x/i.jpg"}}]}</script>
            </head><body></body></html>"#;
        let dom = parse(src);
        let f = fields(&dom, src);
        assert_eq!(f["title"], "LD & co");
        assert_eq!(f["author"], serde_json::json!(["A B"]));
        assert_eq!(f["date"], "2021-03-04T05:06:07Z");
        assert_eq!(f["cover"], "https://x/i.jpg");
        assert_eq!(f["lang"], "en-GB");
    }

    #[test]
    fn meta_tags_alone() {
        let src = r#"<head><title> Page  title </title><meta name="author" content="By Jo">
            <meta name="keywords" content="a，b, c"><link rel="canonical" href="https://e/x">
            <meta property="og:locale" content="zh_CN"></head>"#;
        let dom = parse(src);
        let f = fields(&dom, src);
        assert_eq!(f["title"], "Page title");
        assert_eq!(f["author"], "Jo");
        assert_eq!(f["tags"], serde_json::json!(["a", "b", "c"]));
        assert_eq!(f["url"], "https://e/x");
        assert_eq!(f["lang"], "zh-CN");
    }
}
