//! EPUB 3 (with the EPUB 2 NCX kept for older readers), built with
//! epub-builder and then repackaged for byte-identical output.
//!
//! The book is a title page followed by one chapter per article (a bundle
//! adds an opening page per titled section). The table of contents lists
//! the title page, then each chapter with its headings nested beneath, in
//! spine order. Pages are rendered from templates (see [`templates`]);
//! article bodies from the model by [`xhtml`]. Metadata that would
//! otherwise vary between runs (the identifier, `dcterms:modified`, ZIP
//! entry times) is derived from the input, see [`meta`] and [`package`].

mod kepub;
mod meta;
mod package;
mod templates;
mod xhtml;

use super::Writer;
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::{blocks_text, inline_text, Block, Bundle, Document, Metadata};
use crate::options::Options;
use crate::session::Session;
use chrono::{DateTime, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};
use meta::Labels;
use minijinja::{context, Value};
pub use templates::{TemplateFiles, Templates};
use uuid::Uuid;
use xhtml::{clean_line, escape, Body, Images};

pub use kepub::KepubWriter;

/// Writes EPUB 3 books.
pub struct EpubWriter;

impl Writer for EpubWriter {
    fn name(&self) -> &'static str {
        "epub"
    }
    fn description(&self) -> &'static str {
        "EPUB 3 e-book (with EPUB 2 NCX), images embedded, templates in --template-dir"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["epub"]
    }
    fn write(
        &self,
        doc: &Document,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
    ) -> Result<Vec<u8>> {
        write_book(&Book::single(doc), session, assets, warnings)
    }
    fn write_bundle(
        &self,
        bundle: &Bundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
    ) -> Result<Vec<u8>> {
        write_book(&Book::of_bundle(bundle), session, assets, warnings)
    }

    fn shows_cover(&self) -> bool {
        true
    }

    fn embeds_images(&self) -> bool {
        true
    }

    fn article_cover(&self) -> bool {
        true
    }
}

/// What goes into one book: a single article is a bundle of one untitled
/// section with one article, minus the per-article byline.
struct Book<'a> {
    meta: &'a Metadata,
    sections: Vec<(&'a str, &'a [Document])>,
    bundle: bool,
    /// Kobo's KEPUB flavour (see [`kepub`]).
    kepub: bool,
}

impl<'a> Book<'a> {
    fn single(doc: &'a Document) -> Book<'a> {
        Book {
            meta: &doc.meta,
            sections: vec![("", std::slice::from_ref(doc))],
            bundle: false,
            kepub: false,
        }
    }

    fn of_bundle(bundle: &'a Bundle) -> Book<'a> {
        Book {
            meta: &bundle.meta,
            sections: bundle
                .sections
                .iter()
                .map(|s| (s.title.as_str(), s.articles.as_slice()))
                .collect(),
            bundle: true,
            kepub: false,
        }
    }

    fn articles(&self) -> impl Iterator<Item = &Document> {
        self.sections
            .iter()
            .flat_map(|(_, articles)| articles.iter())
    }
}

/// The stylesheet's name in the book (fixed by epub-builder, whose
/// generated `nav.xhtml` links it).
const STYLESHEET: &str = "stylesheet.css";

/// The book-level facts every page and the package need.
struct Info {
    title: String,
    lang: String,
    labels: Labels,
    authors: Vec<String>,
    subjects: Vec<String>,
    description: Option<String>,
    /// The source URL when it is a usable link.
    source_url: Option<String>,
    publisher: Option<String>,
    published: Option<DateTime<Utc>>,
    modified: DateTime<Utc>,
    uuid: Uuid,
}

impl Info {
    fn new(book: &Book, opts: &Options, warnings: &mut Warnings) -> Info {
        let meta = book.meta;
        let first = book.articles().next();
        let lang = language(meta, || sample_text(book.articles()), warnings);
        let labels = meta::labels(&lang);
        let title = meta
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .or_else(|| first.filter(|_| !book.bundle).and_then(first_heading))
            .unwrap_or_else(|| labels.untitled.to_string());
        let mut authors = clean_list(&meta.authors);
        if authors.is_empty() && book.bundle {
            // A bundle without its own authors is by its articles' authors.
            let all: Vec<String> = book
                .articles()
                .flat_map(|a| a.meta.authors.clone())
                .collect();
            authors = clean_list(&all);
            authors.truncate(10);
        }
        let mut dates = vec![meta.updated.as_ref(), meta.date.as_ref()];
        if book.bundle {
            dates.extend(
                book.articles()
                    .flat_map(|a| [a.meta.updated.as_ref(), a.meta.date.as_ref()]),
            );
        }
        let dates: Vec<_> = dates
            .into_iter()
            .map(|d| d.and_then(meta::parse_date))
            .collect();
        Info {
            lang,
            labels,
            authors,
            subjects: meta::subjects(meta),
            description: meta
                .description
                .as_deref()
                .map(clean_line)
                .filter(|d| !d.is_empty()),
            source_url: meta.source_url.as_deref().and_then(xhtml::safe_href),
            publisher: meta::publisher(meta),
            published: meta.date.as_ref().and_then(meta::parse_date),
            modified: meta::modified(opts.source_date_epoch, &dates),
            uuid: book_identifier(book, &title),
            title,
        }
    }

    /// Metadata epub-builder cannot write, for [`package::finish`].
    fn extra_opf(&self) -> String {
        let mut out = String::new();
        if let Some(url) = &self.source_url {
            out.push_str(&format!("    <dc:source>{}</dc:source>\n", escape(url)));
        }
        if let Some(publisher) = &self.publisher {
            out.push_str(&format!(
                "    <dc:publisher>{}</dc:publisher>\n",
                escape(publisher)
            ));
        }
        out
    }
}

/// The language from the metadata if it is a BCP 47 tag, else detected
/// from the text (with a warning when the metadata said something else).
fn language(meta: &Metadata, text: impl FnOnce() -> String, warnings: &mut Warnings) -> String {
    let given = meta.language.as_deref().filter(|l| !l.trim().is_empty());
    if let Some(tag) = given.and_then(meta::normalize_language) {
        return tag;
    }
    let detected = meta::detect_language(&text()).to_string();
    if let Some(given) = given {
        warnings.push(format!(
            "language '{given}' is not a BCP 47 tag; using '{detected}' detected from the text"
        ));
    }
    detected
}

/// Enough prose of the first articles to tell their language. Code is
/// left out: a Chinese tutorial's code blocks would outvote its text.
fn sample_text<'a>(articles: impl Iterator<Item = &'a Document>) -> String {
    let mut text = String::new();
    for article in articles {
        text.push_str(article.meta.title.as_deref().unwrap_or(""));
        text.push('\n');
        push_prose(&article.blocks, &mut text);
        if text.len() > 8000 {
            break;
        }
    }
    text
}

fn push_prose(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                out.push_str(&inline_text(content));
                out.push('\n');
            }
            Block::List { items, .. } => items.iter().for_each(|item| push_prose(item, out)),
            Block::BlockQuote { blocks } => push_prose(blocks, out),
            Block::Figure { caption, .. } => out.push_str(&inline_text(caption)),
            Block::Table(table) => {
                for cell in table.head.iter().chain(&table.body).flatten() {
                    push_prose(&cell.blocks, out);
                }
            }
            Block::CodeBlock { .. } | Block::Rule => {}
        }
        if out.len() > 8000 {
            return;
        }
    }
}

fn clean_list(items: &[String]) -> Vec<String> {
    meta::unique_lines(items.iter())
}

fn first_heading(doc: &Document) -> Option<String> {
    doc.blocks.iter().find_map(|b| match b {
        Block::Heading { content, .. } => {
            Some(clean_line(&inline_text(content))).filter(|t| !t.is_empty())
        }
        _ => None,
    })
}

/// A single article's identifier comes from its source; a bundle's from
/// its title, date and its articles' identifiers.
fn book_identifier(book: &Book, title: &str) -> Uuid {
    if !book.bundle {
        let text = || book.articles().map(|a| blocks_text(&a.blocks)).collect();
        return meta::identifier(book.meta, text);
    }
    let mut name = format!(
        "bundle\n{title}\n{}",
        book.meta.date.as_ref().map_or("", |d| d.raw.as_str())
    );
    for article in book.articles() {
        name.push('\n');
        name.push_str(
            &meta::identifier(&article.meta, || blocks_text(&article.blocks)).to_string(),
        );
    }
    Uuid::new_v5(&meta::conv_namespace(), name.as_bytes())
}

fn builder_error(e: epub_builder::Error) -> Error {
    Error::write("epub", e)
}

fn write_book(
    book: &Book,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let opts = &session.opts;
    let templates = session.templates()?;
    let info = Info::new(book, opts, warnings);
    let mut images = Images::new(assets);
    // The cover first, so a figure showing the same picture reuses it.
    let cover = book
        .meta
        .cover
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .and_then(|src| images.cover(src, warnings));
    let mut title_page = render_title_page(&info, &templates)?;
    let mut pages = render_pages(book, &info, &templates, &mut images, warnings)?;
    if book.kepub {
        title_page = kepub::spanify(&title_page);
        for page in &mut pages {
            page.xhtml = kepub::spanify(&page.xhtml);
        }
    }
    let mut css = templates.css().to_string();
    let font = if opts.embed_font {
        // Every file the font shows: the pages, and the navigation's own
        // words (the TOC's name, the title page's entry).
        let text = pages
            .iter()
            .map(|p| p.xhtml.as_str())
            .chain([title_page.as_str(), info.title.as_str()])
            .chain([info.labels.contents, info.labels.title_page]);
        let font = embedded_font(session, text)?;
        css = with_font_face(&css);
        Some(font)
    } else {
        None
    };
    let mut builder = new_builder(&info, &css)?;
    if let Some((href, cover)) = cover {
        builder
            .add_cover_image(href, cover.bytes.as_slice(), cover.media_type)
            .map_err(builder_error)?;
    }
    builder
        .add_content(
            EpubContent::new("title.xhtml", title_page.as_bytes())
                .title(info.labels.title_page)
                .reftype(ReferenceType::TitlePage),
        )
        .map_err(builder_error)?;
    for page in &pages {
        builder.add_content(page.content()).map_err(builder_error)?;
    }
    for (href, image) in images.into_files() {
        builder
            .add_resource(href, image.bytes.as_slice(), image.media_type)
            .map_err(builder_error)?;
    }
    if let Some(font) = font {
        builder
            .add_resource(EMBEDDED_FONT, font.as_slice(), "font/ttf")
            .map_err(builder_error)?;
    }
    let mut raw = Vec::new();
    builder.generate(&mut raw).map_err(builder_error)?;
    let uid = info.uuid.urn().to_string();
    let patches = package::Patches {
        extra_opf: &info.extra_opf(),
        title: &info.title,
        uid: &uid,
        lang: &info.lang,
    };
    package::finish(raw, &patches, package::zip_time(info.modified))
}

/// Where `--embed-font` puts the font, relative to the stylesheet.
const EMBEDDED_FONT: &str = "fonts/body.ttf";

/// The body font (bundled, or `--font`) cut down to the characters of the
/// book's pages, so the EPUB grows by tens of kilobytes, not megabytes.
fn embedded_font<'a>(session: &Session, pages: impl Iterator<Item = &'a str>) -> Result<Vec<u8>> {
    let body = &session.fonts()?.fonts[crate::fonts::FontSet::BODY];
    let mut chars: std::collections::BTreeSet<char> = (' '..='~').collect();
    for page in pages {
        chars.extend(page.chars().filter(|c| !c.is_control()));
    }
    body.subset(chars)
}

/// `css` with the embedded face declared and made the text face, after
/// the `@charset` rule (which must stay first); code keeps the reader's
/// monospace. Readers that let users pick a font still can.
fn with_font_face(css: &str) -> String {
    let face = format!(
        "@font-face {{\n  font-family: \"conv-body\";\n  src: url(\"{EMBEDDED_FONT}\");\n}}\n\
         body, body.cjk, body.latin {{\n  font-family: \"conv-body\", serif;\n}}\n"
    );
    let css = css.trim_start_matches('\u{feff}');
    let charset_end = css
        .starts_with("@charset")
        .then(|| css.find(';'))
        .flatten()
        .map_or(0, |i| i + 1);
    let (charset, rest) = css.split_at(charset_end);
    if charset.is_empty() {
        format!("{face}\n{rest}")
    } else {
        format!("{charset}\n{face}{rest}")
    }
}

fn new_builder(info: &Info, css: &str) -> Result<EpubBuilder<ZipLibrary>> {
    let mut builder =
        EpubBuilder::new(ZipLibrary::new().map_err(builder_error)?).map_err(builder_error)?;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(info.title.as_str());
    builder.set_authors(info.authors.clone());
    builder.add_language(info.lang.as_str());
    builder.set_generator("conv");
    builder.set_toc_name(info.labels.contents);
    builder.set_subjects(info.subjects.clone());
    if let Some(description) = &info.description {
        builder.add_description(description.as_str());
    }
    if let Some(published) = info.published {
        builder.set_publication_date(published);
    }
    // Both would otherwise be now() and a random UUID.
    builder.set_modified_date(info.modified);
    builder.set_uuid(info.uuid);
    builder.stylesheet(css.as_bytes()).map_err(builder_error)?;
    Ok(builder)
}

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

fn render_title_page(info: &Info, templates: &Templates) -> Result<String> {
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
struct Page {
    href: String,
    xhtml: String,
    toc: TocElement,
    reftype: Option<ReferenceType>,
}

impl Page {
    fn content(&self) -> EpubContent<&[u8]> {
        let mut content = EpubContent::new(self.href.as_str(), self.xhtml.as_bytes());
        content.toc = self.toc.clone();
        if let Some(reftype) = self.reftype {
            content = content.reftype(reftype);
        }
        content
    }
}

/// Section opening pages and chapters, in spine order.
fn render_pages(
    book: &Book,
    info: &Info,
    templates: &Templates,
    images: &mut Images,
    warnings: &mut Warnings,
) -> Result<Vec<Page>> {
    let mut pages = Vec::new();
    let mut chapter_no = 0;
    for (section_no, (section_title, articles)) in book.sections.iter().enumerate() {
        let section_title = clean_line(section_title);
        let level = if section_title.is_empty() { 1 } else { 2 };
        let first_chapter = chapter_no + 1;
        let mut chapters = Vec::new();
        for article in articles.iter() {
            chapter_no += 1;
            let href = format!("chapter-{chapter_no:03}.xhtml");
            chapters.push(render_chapter(
                article, &href, level, book, info, templates, images, warnings,
            )?);
        }
        if !section_title.is_empty() {
            let href = format!("part-{:02}.xhtml", section_no + 1);
            let listed: Vec<Value> = chapters
                .iter()
                .enumerate()
                .map(|(i, c)| context! { href => format!("chapter-{:03}.xhtml", first_chapter + i), title => c.toc.title })
                .collect();
            let xhtml = templates.render(
                templates::SECTION,
                context! {
                    lang => info.lang,
                    script => script_class(&info.lang),
                    css => STYLESHEET,
                    title => section_title,
                    articles => listed,
                },
            )?;
            pages.push(Page {
                toc: TocElement::new(href.as_str(), section_title.as_str()),
                href,
                xhtml,
                reftype: None,
            });
        }
        pages.extend(chapters);
    }
    // The body begins with the first page after the title page (a landmark).
    if let Some(first) = pages.first_mut() {
        first.reftype = Some(ReferenceType::Text);
    }
    Ok(pages)
}

/// One article as a chapter page at TOC `level`, its headings beneath.
#[allow(clippy::too_many_arguments)]
fn render_chapter(
    article: &Document,
    href: &str,
    level: i32,
    book: &Book,
    info: &Info,
    templates: &Templates,
    images: &mut Images,
    warnings: &mut Warnings,
) -> Result<Page> {
    let title = if book.bundle {
        article
            .meta
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .or_else(|| first_heading(article))
            .unwrap_or_else(|| info.labels.untitled.to_string())
    } else {
        info.title.clone()
    };
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
    let blocks = without_title_heading(&article.blocks, &title);
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
    let mut toc = TocElement::new(href, title.as_str()).level(level);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    #[test]
    fn code_blocks_do_not_decide_the_language() {
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![
                Block::Paragraph {
                    content: vec![Inline::text("安装依赖并运行下面的命令。")],
                },
                Block::CodeBlock {
                    language: None,
                    code: "npm install typescript@beta && npx tsc --init --strict".repeat(5),
                },
            ],
        };
        let mut warnings = Warnings::new();
        let lang = language(
            &doc.meta,
            || sample_text(std::iter::once(&doc)),
            &mut warnings,
        );
        assert_eq!(lang, "zh");
        assert!(warnings.is_empty());
    }

    #[test]
    fn the_font_face_goes_after_the_charset_rule() {
        let css = with_font_face("@charset \"UTF-8\";\np { x: y }");
        assert!(
            css.starts_with("@charset \"UTF-8\";\n@font-face {"),
            "{css}"
        );
        assert!(css.ends_with("\np { x: y }"));
        let css = with_font_face("p { x: y }");
        assert!(css.starts_with("@font-face {"));
        assert!(css.ends_with("p { x: y }"));
    }

    #[test]
    fn an_invalid_language_is_replaced_with_a_warning() {
        let meta = Metadata {
            language: Some("english language".into()),
            ..Metadata::default()
        };
        let mut warnings = Warnings::new();
        assert_eq!(
            language(&meta, || "plain words".into(), &mut warnings),
            "en"
        );
        assert_eq!(warnings.items().len(), 1);
    }
}
