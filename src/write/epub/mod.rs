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
//!
//! A bundle's pages are rendered one article at a time ([`pages`]) and
//! handed to epub-builder, which compresses each at once; the book-level
//! facts come from the metadata ([`info`]), so the book is held only in
//! its compressed form.

mod info;
mod kepub;
mod meta;
mod package;
mod pages;
mod templates;
mod xhtml;

use super::{Output, Writer};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::packed::{PackedArticle, PackedBundle};
use crate::model::{Document, Metadata};
use crate::session::Session;
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary};
use info::Info;
use pages::{Chapter, Page};
use std::borrow::Cow;
use std::collections::BTreeSet;
pub use templates::{TemplateFiles, Templates};
use xhtml::{clean_line, Images};

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
        out: &mut dyn Output,
    ) -> Result<()> {
        write_book(&Book::single(doc), session, assets, warnings, out)
    }
    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        write_book(&Book::of_bundle(bundle), session, assets, warnings, out)
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
    sections: Vec<(&'a str, Vec<Article<'a>>)>,
    bundle: bool,
    /// Kobo's KEPUB flavour (see [`kepub`]).
    kepub: bool,
}

/// An article of a book: a single article's document, or a bundle's
/// packed article, unpacked when its body is needed.
#[derive(Clone, Copy)]
enum Article<'a> {
    Whole(&'a Document),
    Packed(&'a PackedArticle),
}

impl<'a> Article<'a> {
    fn meta(&self) -> &'a Metadata {
        match self {
            Article::Whole(doc) => &doc.meta,
            Article::Packed(packed) => &packed.meta,
        }
    }

    fn document(&self) -> Result<Cow<'a, Document>> {
        match self {
            Article::Whole(doc) => Ok(Cow::Borrowed(*doc)),
            Article::Packed(packed) => packed.unpack().map(Cow::Owned),
        }
    }
}

impl<'a> Book<'a> {
    fn single(doc: &'a Document) -> Book<'a> {
        Book {
            meta: &doc.meta,
            sections: vec![("", vec![Article::Whole(doc)])],
            bundle: false,
            kepub: false,
        }
    }

    fn of_bundle(bundle: &'a PackedBundle) -> Book<'a> {
        Book {
            meta: &bundle.meta,
            sections: bundle
                .sections
                .iter()
                .map(|s| {
                    let articles = s.articles.iter().map(Article::Packed).collect();
                    (s.title.as_str(), articles)
                })
                .collect(),
            bundle: true,
            kepub: false,
        }
    }

    fn articles(&self) -> impl Iterator<Item = Article<'a>> + '_ {
        self.sections
            .iter()
            .flat_map(|(_, articles)| articles.iter().copied())
    }

    /// The articles' documents, unpacked one at a time (an article that
    /// cannot be unpacked is left out: only for sampling its language).
    fn documents(&self) -> impl Iterator<Item = Cow<'a, Document>> + '_ {
        self.articles().filter_map(|a| a.document().ok())
    }
}

/// The stylesheet's name in the book (fixed by epub-builder, whose
/// generated `nav.xhtml` links it).
const STYLESHEET: &str = "stylesheet.css";

fn builder_error(e: epub_builder::Error) -> Error {
    Error::write("epub", e)
}

/// The pages being added to the book, in spine order: each page goes into
/// the builder (which compresses it at once) as soon as it is rendered.
struct Spine<'b> {
    builder: &'b mut EpubBuilder<ZipLibrary>,
    kepub: bool,
    /// The embedded font's characters, when `--embed-font` asks for one.
    chars: Option<FontChars>,
    /// Pages added after the title page.
    added: usize,
}

impl Spine<'_> {
    fn add(&mut self, mut page: Page) -> Result<()> {
        if self.kepub {
            page.xhtml = kepub::spanify(&page.xhtml);
        }
        if let Some(chars) = &mut self.chars {
            chars.add(&page.xhtml);
        }
        // The body begins with the first page after the title page (a landmark).
        if self.added == 0 {
            page.reftype = Some(ReferenceType::Text);
        }
        self.added += 1;
        self.builder
            .add_content(page.content())
            .map_err(builder_error)?;
        Ok(())
    }
}

fn write_book(
    book: &Book,
    session: &Session,
    assets: &Assets,
    warnings: &mut Warnings,
    out: &mut dyn Output,
) -> Result<()> {
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
    let mut title_page = pages::render_title_page(&info, &templates)?;
    if book.kepub {
        title_page = kepub::spanify(&title_page);
    }
    let mut css = templates.css().to_string();
    let mut chars = None;
    if opts.embed_font {
        // Every file the font shows: the pages, and the navigation's own
        // words (the TOC's name, the title page's entry).
        let mut set = FontChars::new();
        for text in [title_page.as_str(), info.title.as_str()] {
            set.add(text);
        }
        set.add(info.labels.contents);
        set.add(info.labels.title_page);
        chars = Some(set);
        css = with_font_face(&css);
    }
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
    drop(title_page);
    let mut spine = Spine {
        builder: &mut builder,
        kepub: book.kepub,
        chars,
        added: 0,
    };
    add_pages(book, &info, &templates, &mut images, warnings, &mut spine)?;
    let chars = spine.chars.take();
    // The pictures go in empty, so that the manifest lists them, and are
    // filled in as the book is packed (package::finish), one at a time
    // from the run's table: epub-builder holds the whole ZIP in memory.
    for (href, media_type) in images.files() {
        builder
            .add_resource(href, std::io::empty(), media_type)
            .map_err(builder_error)?;
    }
    if let Some(chars) = chars {
        let font = embedded_font(session, chars)?;
        builder
            .add_resource(EMBEDDED_FONT, font.as_slice(), "font/ttf")
            .map_err(builder_error)?;
    }
    // Spooled: a large bundle's ZIP is not held a second time.
    let mut raw = tempfile::SpooledTempFile::new(16 << 20);
    builder.generate(&mut raw).map_err(builder_error)?;
    let uid = info.uuid.urn().to_string();
    let patches = package::Patches {
        extra_opf: &info.extra_opf(),
        title: &info.title,
        uid: &uid,
        lang: &info.lang,
    };
    let mut pictures = |name: &str| images.bytes_of(name, warnings);
    package::finish(
        raw,
        &patches,
        package::zip_time(info.modified),
        &mut pictures,
        out,
    )
}

/// Section opening pages and chapters, in spine order, each article
/// unpacked, rendered and added before the next.
fn add_pages(
    book: &Book,
    info: &Info,
    templates: &Templates,
    images: &mut Images,
    warnings: &mut Warnings,
    spine: &mut Spine,
) -> Result<()> {
    let mut chapter_no = 0;
    for (section_no, (section_title, articles)) in book.sections.iter().enumerate() {
        let section_title = clean_line(section_title);
        let level = if section_title.is_empty() { 1 } else { 2 };
        // Titles first: the section's opening page lists its chapters.
        let mut chapters = Vec::with_capacity(articles.len());
        for article in articles {
            chapter_no += 1;
            let body = || {
                article
                    .document()
                    .ok()
                    .and_then(|d| info::first_heading(&d))
            };
            let title = pages::chapter_title(article.meta(), body, book, info);
            chapters.push((pages::chapter_href(chapter_no), title));
        }
        if !section_title.is_empty() {
            let page = pages::render_section_page(
                section_no + 1,
                &section_title,
                &chapters,
                info,
                templates,
            )?;
            spine.add(page)?;
        }
        for (article, (href, title)) in articles.iter().zip(&chapters) {
            let doc = article.document()?;
            let chapter = Chapter { href, title, level };
            let page =
                pages::render_chapter(&doc, &chapter, book, info, templates, images, warnings)?;
            spine.add(page)?;
        }
    }
    Ok(())
}

/// Where `--embed-font` puts the font, relative to the stylesheet.
const EMBEDDED_FONT: &str = "fonts/body.ttf";

/// The characters the embedded font must show: printable ASCII, and
/// every character of the book's pages (added as they are written).
struct FontChars(BTreeSet<char>);

impl FontChars {
    fn new() -> FontChars {
        FontChars((' '..='~').collect())
    }

    fn add(&mut self, text: &str) {
        self.0.extend(text.chars().filter(|c| !c.is_control()));
    }
}

/// The body font (bundled, or `--font`) cut down to the characters of the
/// book's pages, so the EPUB grows by tens of kilobytes, not megabytes.
fn embedded_font(session: &Session, chars: FontChars) -> Result<Vec<u8>> {
    let body = &session.fonts()?.fonts[crate::fonts::FontSet::BODY];
    body.subset(chars.0)
}

/// `css` with the embedded face declared (after the `@charset` rule, which
/// must stay first) and made the text face by a rule at the end (after the
/// stylesheet's own `body.cjk` family list, which would otherwise win);
/// code keeps the reader's monospace.
///
/// The face is declared a second time under the family name "Serif" for
/// CJK characters only: Foliate (and other readers that force the user's
/// font) sets `font-family: "Serif" !important` on every element, so on a
/// system without a CJK font the embedded face was never used and Chinese
/// showed as boxes. A document's own "Serif" face takes that name for the
/// CJK ranges; other characters fall back to the system's serif as before.
fn with_font_face(css: &str) -> String {
    let faces = format!(
        "@font-face {{\n  font-family: \"conv-body\";\n  src: url(\"{EMBEDDED_FONT}\");\n}}\n\
         @font-face {{\n  font-family: \"Serif\";\n  src: url(\"{EMBEDDED_FONT}\");\n  \
         unicode-range: {CJK_RANGES};\n}}\n"
    );
    let family = "\nbody, body.cjk, body.latin {\n  font-family: \"conv-body\", serif;\n}\n";
    let css = css.trim_start_matches('\u{feff}');
    let charset_end = css
        .starts_with("@charset")
        .then(|| css.find(';'))
        .flatten()
        .map_or(0, |i| i + 1);
    let (charset, rest) = css.split_at(charset_end);
    if charset.is_empty() {
        format!("{faces}\n{rest}{family}")
    } else {
        format!("{charset}\n{faces}{rest}{family}")
    }
}

/// CJK punctuation, kana, ideographs (with extensions), compatibility
/// ideographs and forms, and full-width forms.
const CJK_RANGES: &str =
    "U+2E80-2FFF, U+3000-30FF, U+3100-31FF, U+3200-9FFF, U+F900-FAFF, U+FE30-FE4F, U+FF00-FFEF, U+20000-3FFFF";

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_face_goes_after_the_charset_rule() {
        let css = with_font_face("@charset \"UTF-8\";\np { x: y }");
        assert!(
            css.starts_with("@charset \"UTF-8\";\n@font-face {"),
            "{css}"
        );
        assert!(css.contains("\np { x: y }"));
        let css = with_font_face("p { x: y }");
        assert!(css.starts_with("@font-face {"));
    }

    /// Regression: the embedded face was made the text face before the
    /// stylesheet's `body.cjk` family list, which came later with the same
    /// specificity and won, so Chinese books never used the embedded font.
    #[test]
    fn embedded_face_rule_comes_after_the_stylesheet_family_lists() {
        let css =
            with_font_face("@charset \"UTF-8\";\nbody.cjk { font-family: \"Noto Serif CJK SC\"; }");
        let theirs = css.find("\"Noto Serif CJK SC\"").unwrap();
        let ours = css.rfind("font-family: \"conv-body\", serif").unwrap();
        assert!(ours > theirs, "{css}");
    }

    /// Regression: Foliate forces `font-family: "Serif" !important`; the
    /// embedded face also answers to "Serif" for CJK characters only.
    #[test]
    fn embedded_face_also_serves_forced_serif_for_cjk_only() {
        let css = with_font_face("p { x: y }");
        let serif = &css[css.find("font-family: \"Serif\"").unwrap()..];
        let rule = &serif[..serif.find('}').unwrap()];
        assert!(rule.contains("unicode-range: U+2E80-2FFF"), "{rule}");
        assert!(!rule.contains("U+0"), "Latin stays the system's: {rule}");
    }
}
