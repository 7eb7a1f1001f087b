//! Kobo's KEPUB flavour: the same book, with every sentence of every page
//! wrapped in `<span class="koboSpan" id="kobo.P.S">` (P counts paragraphs,
//! S sentences within one) and the body wrapped in the `book-columns` /
//! `book-inner` divs Kobo's reader lays pages out with. The spans are what
//! make highlights, reading statistics and page turns work on a Kobo.
//!
//! Sentences end at `。！？` (full-width, as Chinese and Japanese write
//! them) as well as at ASCII `.!?` followed by a space, together with the
//! closing quotes and brackets that follow (`？”`, `。）`, `!"`): kepubify
//! splits only at ASCII punctuation, so a Chinese paragraph is one span.
//!
//! The pages are conv's own well-formed XHTML, so a small scanner over the
//! markup is enough: text is split, tags are copied, `<img>` gets a span of
//! its own, and nothing inside `pre`, `script` or `style` is split.

use super::{write_book, Book};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::model::packed::PackedBundle;
use crate::model::Document;
use crate::session::Session;
use crate::write::{Output, Writer};

/// Writes Kobo KEPUB books (`-t kepub`, or an output named `*.kepub.epub`).
pub struct KepubWriter;

impl Writer for KepubWriter {
    fn name(&self) -> &'static str {
        "kepub"
    }
    fn description(&self) -> &'static str {
        "Kobo KEPUB (EPUB 3 with koboSpan sentence spans for highlights and reading statistics)"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["kepub.epub"]
    }
    fn write(
        &self,
        doc: &Document,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        let book = Book {
            kepub: true,
            ..Book::single(doc)
        };
        write_book(&book, session, assets, warnings, out)
    }
    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        let book = Book {
            kepub: true,
            ..Book::of_bundle(bundle)
        };
        write_book(&book, session, assets, warnings, out)
    }
    fn embeds_images(&self) -> bool {
        true
    }
    fn article_cover(&self) -> bool {
        true
    }
    fn shows_cover(&self) -> bool {
        true
    }
}

/// Elements that start a new paragraph number.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "caption",
    "pre",
    "blockquote",
];

/// Elements whose direct text may not be wrapped (only whitespace belongs
/// there, or it is not text a reader highlights).
const NO_SPAN: &[&str] = &[
    "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "script", "style", "svg", "math",
];

/// `xhtml` with sentence spans and the Kobo wrappers; a page without a
/// `<body>` is returned unchanged.
pub fn spanify(xhtml: &str) -> String {
    let Some(open) = xhtml.find("<body") else {
        return xhtml.to_string();
    };
    let Some(open_end) = xhtml[open..].find('>').map(|i| open + i + 1) else {
        return xhtml.to_string();
    };
    let Some(close) = xhtml.rfind("</body>").filter(|&c| c >= open_end) else {
        return xhtml.to_string();
    };
    let mut out = String::with_capacity(xhtml.len() * 3 / 2);
    out.push_str(&xhtml[..open_end]);
    out.push_str("\n<div id=\"book-columns\" class=\"book-columns\"><div id=\"book-inner\" class=\"book-inner\">");
    let mut spans = Spans::default();
    spans.markup(&xhtml[open_end..close], &mut out);
    out.push_str("</div></div>\n");
    out.push_str(&xhtml[close..]);
    out
}

/// The counters and open elements while one page is scanned.
#[derive(Default)]
struct Spans {
    paragraph: usize,
    sentence: usize,
    open: Vec<String>,
}

impl Spans {
    fn markup(&mut self, mut rest: &str, out: &mut String) {
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                self.text(rest, out);
                return;
            };
            self.text(&rest[..lt], out);
            rest = &rest[lt..];
            let end = markup_end(rest);
            self.tag(&rest[..end], out);
            rest = &rest[end..];
        }
    }

    fn tag(&mut self, tag: &str, out: &mut String) {
        if tag.starts_with("<!") || tag.starts_with("<?") {
            out.push_str(tag);
            return;
        }
        let closing = tag.starts_with("</");
        let name: String = tag[if closing { 2 } else { 1 }..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        if closing {
            if let Some(at) = self.open.iter().rposition(|n| *n == name) {
                self.open.truncate(at);
            }
            out.push_str(tag);
            return;
        }
        let empty = tag.ends_with("/>");
        if name == "img" && !self.raw() {
            self.start_paragraph_if_none();
            let id = self.next_id();
            out.push_str(&format!(
                "<span class=\"koboSpan\" id=\"{id}\">{tag}</span>"
            ));
            return;
        }
        if PARAGRAPHS.contains(&name.as_str()) {
            self.paragraph += 1;
            self.sentence = 0;
        }
        if !empty {
            self.open.push(name);
        }
        out.push_str(tag);
    }

    /// Inside an element whose text is left alone.
    fn raw(&self) -> bool {
        self.open
            .iter()
            .any(|n| matches!(n.as_str(), "script" | "style" | "svg" | "math"))
    }

    fn start_paragraph_if_none(&mut self) {
        if self.paragraph == 0 {
            self.paragraph = 1;
        }
    }

    fn next_id(&mut self) -> String {
        self.sentence += 1;
        format!("kobo.{}.{}", self.paragraph, self.sentence)
    }

    fn text(&mut self, text: &str, out: &mut String) {
        let parent = self.open.last().map(String::as_str).unwrap_or("");
        if text.trim().is_empty() || self.raw() || NO_SPAN.contains(&parent) {
            out.push_str(text);
            return;
        }
        self.start_paragraph_if_none();
        let body = text.trim_start();
        out.push_str(&text[..text.len() - body.len()]);
        let in_pre = self.open.iter().any(|n| n == "pre");
        let pieces = if in_pre { vec![body] } else { sentences(body) };
        for piece in pieces {
            let id = self.next_id();
            out.push_str(&format!(
                "<span class=\"koboSpan\" id=\"{id}\">{piece}</span>"
            ));
        }
    }
}

/// The length of the tag, comment, CDATA section or processing instruction
/// at the start of `s` (which starts with `<`); the rest of `s` when it is
/// not closed.
fn markup_end(s: &str) -> usize {
    let closer = if s.starts_with("<!--") {
        "-->"
    } else if s.starts_with("<![CDATA[") {
        "]]>"
    } else if s.starts_with("<?") {
        "?>"
    } else {
        ">"
    };
    s[1..]
        .find(closer)
        .map_or(s.len(), |i| 1 + i + closer.len())
}

/// Full-width sentence ends: a sentence ends after them, whatever follows.
fn is_cjk_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡' | '‼' | '⁇' | '⁈' | '⁉')
}

/// ASCII sentence ends: only when a space (or the end of the text) follows.
fn is_ascii_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

/// Closing quotes and brackets that belong to the sentence they close.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '”' | '’'
            | '」'
            | '』'
            | '）'
            | '】'
            | '》'
            | '〉'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '｣'
            | '"'
            | '\''
            | ')'
            | ']'
            | '»'
            | '›'
    )
}

/// `text` cut after each sentence end (its closers and the spaces after it
/// stay with it); the pieces joined give `text` back.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        let cjk = is_cjk_end(c);
        if !cjk && !is_ascii_end(c) {
            continue;
        }
        // Runs like "？！" or "..." and the closers after them.
        let mut end = None;
        while let Some(&(i, next)) = chars.peek() {
            if is_cjk_end(next) || is_ascii_end(next) || is_closer(next) {
                chars.next();
            } else {
                end = Some(i);
                break;
            }
        }
        let ends_sentence = match end {
            None => true,
            Some(i) => cjk || text[i..].starts_with(char::is_whitespace),
        };
        if !ends_sentence {
            continue;
        }
        // Spaces after the end go with the sentence they follow.
        let mut cut = end.unwrap_or(text.len());
        while let Some(&(i, next)) = chars.peek() {
            if next.is_whitespace() {
                chars.next();
                cut = i + next.len_utf8();
            } else {
                break;
            }
        }
        if cut > start {
            pieces.push(&text[start..cut]);
            start = cut;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_sentences_end_at_full_width_marks_and_their_closers() {
        let text =
            "会议指出，要坚持以人民为中心。“改什么、怎么改？”由群众说了算！（据介绍。）最后一句";
        assert_eq!(
            sentences(text),
            [
                "会议指出，要坚持以人民为中心。",
                "“改什么、怎么改？”",
                "由群众说了算！",
                "（据介绍。）",
                "最后一句"
            ]
        );
    }

    #[test]
    fn ascii_ends_need_a_space_after() {
        let text = "Linux 6.1 is out. See kernel.org! Is it \"big?\" Yes... really";
        assert_eq!(
            sentences(text),
            [
                "Linux 6.1 is out. ",
                "See kernel.org! ",
                "Is it \"big?\" ",
                "Yes... ",
                "really"
            ]
        );
        assert_eq!(sentences("one"), ["one"]);
        assert!(sentences("").is_empty());
        assert_eq!(sentences("？！”"), ["？！”"]);
    }

    #[test]
    fn pages_get_wrappers_and_numbered_spans() {
        let page = "<?xml version=\"1.0\"?>\n<html><head><title>T。</title></head>\
                    <body class=\"cjk\">\n<h1>标题</h1>\n<p>一。二！<em>三</em>四</p>\n\
                    <figure><img src=\"a.png\" alt=\"\"/></figure>\n\
                    <pre><code>a. b. c</code></pre>\n<ul>\n<li>x</li>\n</ul>\n<!-- c. d. --></body></html>";
        let out = spanify(page);
        let want = "<?xml version=\"1.0\"?>\n<html><head><title>T。</title></head><body class=\"cjk\">\n\
            <div id=\"book-columns\" class=\"book-columns\"><div id=\"book-inner\" class=\"book-inner\">\n\
            <h1><span class=\"koboSpan\" id=\"kobo.1.1\">标题</span></h1>\n\
            <p><span class=\"koboSpan\" id=\"kobo.2.1\">一。</span><span class=\"koboSpan\" id=\"kobo.2.2\">二！</span>\
            <em><span class=\"koboSpan\" id=\"kobo.2.3\">三</span></em><span class=\"koboSpan\" id=\"kobo.2.4\">四</span></p>\n\
            <figure><span class=\"koboSpan\" id=\"kobo.3.1\"><img src=\"a.png\" alt=\"\"/></span></figure>\n\
            <pre><code><span class=\"koboSpan\" id=\"kobo.4.1\">a. b. c</span></code></pre>\n\
            <ul>\n<li><span class=\"koboSpan\" id=\"kobo.5.1\">x</span></li>\n</ul>\n<!-- c. d. --></div></div>\n</body></html>";
        assert_eq!(out, want);
        assert_eq!(spanify("<html/>"), "<html/>");
    }
}
