//! The XHTML pages of an EPUB after the package files: the title page, a
//! bundle's section opening pages and one chapter per article, each
//! rendered from its template with its TOC entry.

use super::info::{clean_list, language, sample_text, Info};
use super::meta::{self, Labels};
use super::templates::{self, Templates};
use super::xhtml::{clean_line, escape, Body, Images};
use super::{Book, STYLESHEET};
use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{inline_text, Block, Document, Metadata};
use epub_builder::{EpubContent, ReferenceType, TocElement};
use minijinja::{context, Value};

/// `script` class of `<body>`, which the stylesheet keys CJK typesetting on.
fn script_class(lang: &str) -> &'static str {
    if meta::is_cjk(lang) {
        "cjk"
    } else {
        "latin"
    }
}

/// A display date: the date part of the parsed instant, else the raw text.
fn display_date(meta: &Metadata) -> Option<String> {
    let date = meta.date.as_ref()?;
    match meta::parse_date(date) {
        Some(instant) => Some(instant.format("%Y-%m-%d").to_string()),
        None => Some(clean_line(&date.raw)).filter(|d| !d.is_empty()),
    }
}

pub(super) fn render_title_page(info: &Info, templates: &Templates) -> Result<String> {
    // Passed pre-escaped: the template engine's escaping would write every
    // `/` of the URL as `&#x2f;`, valid but unreadable in the markup.
    let source_url = info
        .source_url
        .as_deref()
        .map(|u| Value::from_safe_string(escape(u)));
    templates.render(
        templates::TITLE,
        context! {
            lang => info.lang,
            script => script_class(&info.lang),
            css => STYLESHEET,
            title => info.title,
            authors => info.authors,
            date => info.published.map(|d| d.format("%Y-%m-%d").to_string()),
            subjects => info.subjects,
            description => info.description,
            source_url => source_url.clone(),
            source_label => source_url,
            publisher => info.publisher,
            labels => info.labels,
        },
    )
}

/// One XHTML page of the spine after the title page, with its TOC entry.
pub(super) struct Page {
    pub href: String,
    pub xhtml: String,
    pub toc: TocElement,
    pub reftype: Option<ReferenceType>,
}

impl Page {
    pub fn content(&self) -> EpubContent<&[u8]> {
        let mut content = EpubContent::new(self.href.as_str(), self.xhtml.as_bytes());
        content.toc = self.toc.clone();
        if let Some(reftype) = self.reftype {
            content = content.reftype(reftype);
        }
        content
    }
}

/// The href of the book's `number`th chapter (counted from 1).
pub(super) fn chapter_href(number: usize) -> String {
    format!("chapter-{number:03}.xhtml")
}

/// The opening page of a titled section (its number counted from 1),
/// listing its chapters (href and title).
pub(super) fn render_section_page(
    number: usize,
    title: &str,
    chapters: &[(String, String)],
    info: &Info,
    templates: &Templates,
) -> Result<Page> {
    let href = format!("part-{number:02}.xhtml");
    let listed: Vec<Value> = chapters
        .iter()
        .map(|(href, title)| context! { href => href, title => title })
        .collect();
    let xhtml = templates.render(
        templates::SECTION,
        context! {
            lang => info.lang,
            script => script_class(&info.lang),
            css => STYLESHEET,
            title => title,
            articles => listed,
        },
    )?;
    Ok(Page {
        toc: TocElement::new(href.as_str(), title),
        href,
        xhtml,
        reftype: None,
    })
}

/// The title an article's chapter shows: the book's for a single article;
/// in a bundle the article's own, else its first heading. `body` gives
/// the document when the heading is needed (a bundle's body is packed).
pub(super) fn chapter_title(
    meta: &Metadata,
    body: impl FnOnce() -> Option<String>,
    book: &Book,
    info: &Info,
) -> String {
    if book.bundle {
        meta.title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .or_else(body)
            .unwrap_or_else(|| info.labels.untitled.to_string())
    } else {
        info.title.clone()
    }
}

/// Where a chapter goes and how it is titled.
pub(super) struct Chapter<'t> {
    pub href: &'t str,
    pub title: &'t str,
    /// TOC level of the chapter's entry.
    pub level: i32,
}

/// One article as a chapter page, its headings beneath it in the TOC.
pub(super) fn render_chapter(
    article: &Document,
    chapter: &Chapter,
    book: &Book,
    info: &Info,
    templates: &Templates,
    images: &mut Images,
    warnings: &mut Warnings,
) -> Result<Page> {
    let (href, title, level) = (chapter.href, chapter.title, chapter.level);
    let lang = if book.bundle {
        let mut ignored = Warnings::new();
        language(
            &article.meta,
            || sample_text(std::iter::once(article)),
            &mut ignored,
        )
    } else {
        info.lang.clone()
    };
    let blocks = without_title_heading(&article.blocks, title);
    let mut body = Body::new(blocks, images, warnings);
    body.blocks(blocks);
    let (body, headings) = body.finish();
    let byline = if book.bundle {
        byline(&article.meta, &meta::labels(&lang))
    } else {
        None
    };
    let xhtml = templates.render(
        templates::CHAPTER,
        context! {
            lang => lang,
            script => script_class(&lang),
            css => STYLESHEET,
            title => title,
            byline => byline,
            body => Value::from_safe_string(body),
            authors => clean_list(&article.meta.authors),
            date => display_date(&article.meta),
        },
    )?;
    let mut toc = TocElement::new(href, title).level(level);
    for heading in headings {
        // `add` nests an entry under the last one of a lower level.
        toc.add(
            TocElement::new(format!("{href}#{}", heading.id), heading.text)
                .level(level + i32::from(heading.level) - 1),
        );
    }
    Ok(Page {
        href: href.to_string(),
        xhtml,
        toc,
        reftype: None,
    })
}

/// The blocks without a leading heading that repeats the title (readers
/// often keep the page's `<h1>`; the chapter template prints the title).
fn without_title_heading<'a>(blocks: &'a [Block], title: &str) -> &'a [Block] {
    match blocks.first() {
        Some(Block::Heading { content, .. }) if clean_line(&inline_text(content)) == title => {
            &blocks[1..]
        }
        _ => blocks,
    }
}

/// "Author · 2022-02-14 · host" under a chapter title in a bundle.
fn byline(meta: &Metadata, labels: &Labels) -> Option<String> {
    let mut parts = Vec::new();
    let authors = clean_list(&meta.authors);
    if !authors.is_empty() {
        parts.push(authors.join(labels.separator));
    }
    parts.extend(display_date(meta));
    parts.extend(meta::publisher(meta));
    (!parts.is_empty()).then(|| parts.join(" · "))
}
