//! What the EPUB writer guarantees by construction, checked on the unzipped
//! book: byte-identical output, OCF packaging, the duplicate-id workaround,
//! XML declarations, ASCII names, images, spine = nav = NCX order,
//! metadata, escaping and dropped `javascript:` links.

use crate::common::WriteIn;
use crate::epub_support;

use conv::write::epub::EpubWriter;
use conv::{Options, Warnings};
use epub_support::*;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

fn write(doc: &conv::Document, opts: &Options) -> Vec<u8> {
    write_at(doc, opts, None)
}

/// Writes with pictures relative to `root`.
fn write_at(doc: &conv::Document, opts: &Options, root: Option<&std::path::Path>) -> Vec<u8> {
    EpubWriter
        .write_in(doc, opts, root, &mut Warnings::new())
        .expect("EPUB written")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Values of `attr="…"` on every `<tag …>` in document order.
fn attrs(text: &str, tag: &str, attr: &str) -> Vec<String> {
    let open = format!("<{tag} ");
    let key = format!("{attr}=\"");
    text.match_indices(&open)
        .filter_map(|(i, _)| {
            let rest = &text[i..];
            let element = &rest[..rest.find('>')?];
            let start = element.find(&key)? + key.len();
            let len = element[start..].find('"')?;
            Some(element[start..start + len].to_string())
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    text.split(start)
        .skip(1)
        .filter_map(|part| part.split(end).next())
        .collect()
}

#[test]
fn same_input_same_bytes_with_and_without_source_date_epoch() {
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path());
    for doc in [cjk_article(), english_article(), rich_article(dir.path())] {
        assert_eq!(sha256(&write(&doc, &opts)), sha256(&write(&doc, &opts)));
    }
    let epoch = Options {
        source_date_epoch: Some(1_700_000_000),
        ..opts.clone()
    };
    let doc = cjk_article();
    let a = write(&doc, &epoch);
    assert_eq!(sha256(&a), sha256(&write(&doc, &epoch)));
    assert_ne!(sha256(&a), sha256(&write(&doc, &opts)));
    let opf = unzip(&a).text("OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>"));
    // Without the epoch, the article's date.
    let opf = unzip(&write(&doc, &opts)).text("OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">2022-02-14T07:02:16Z</meta>"));
}

#[test]
fn an_undated_article_gets_a_fixed_modification_date() {
    let mut doc = english_article();
    doc.meta.date = None;
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_at(&doc, &options(dir.path()), Some(dir.path()));
    let opf = unzip(&bytes).text("OEBPS/content.opf");
    assert!(opf.contains("<meta property=\"dcterms:modified\">1980-01-01T00:00:00Z</meta>"));
    assert!(!opf.contains("<dc:date>"));
}

#[test]
fn mimetype_is_first_and_stored_and_times_are_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_at(
        &rich_article(dir.path()),
        &options(dir.path()),
        Some(dir.path()),
    );
    // OCF: the first local header names `mimetype`, stored, at offset 38.
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..58], b"application/epub+zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    drop(first);
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        let t = file.last_modified().unwrap();
        assert_eq!(
            (t.year(), t.month(), t.day()),
            (2023, 3, 1),
            "{}",
            file.name()
        );
    }
}

#[test]
fn epub_builder_still_duplicates_the_language_and_creator_id() {
    // Pins the upstream bug the writer works around: if this fails,
    // epub-builder fixed it and `package::patch_opf` can go.
    let mut builder =
        epub_builder::EpubBuilder::new(epub_builder::ZipLibrary::new().unwrap()).unwrap();
    builder.epub_version(epub_builder::EpubVersion::V30);
    builder.add_language("zh");
    builder.add_author("A");
    let mut raw = Vec::new();
    builder.generate(&mut raw).unwrap();
    let opf = unzip(&raw).text("OEBPS/content.opf");
    assert!(opf.contains("<dc:language id=\"epub-creator-0\">"));
    assert!(opf.contains("<dc:creator id=\"epub-creator-0\">"));
}

#[test]
fn ids_in_the_package_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_at(&english_article(), &options(dir.path()), Some(dir.path()));
    let opf = unzip(&bytes).text("OEBPS/content.opf");
    let ids: Vec<String> = opf
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(opf.contains("<dc:language id=\"epub-language-0\">en-US</dc:language>"));
    assert!(opf.contains("<dc:creator id=\"epub-creator-0\">Michael Larabel</dc:creator>"));
    assert!(opf.contains("<dc:creator id=\"epub-creator-1\">Jane Doe</dc:creator>"));
}

#[test]
fn every_xhtml_has_the_declaration_and_names_are_ascii() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_at(
        &rich_article(dir.path()),
        &options(dir.path()),
        Some(dir.path()),
    );
    let book = unzip(&bytes);
    for name in &book.names {
        assert!(name.is_ascii(), "{name}");
        if name.ends_with(".xhtml") {
            assert!(
                book.text(name)
                    .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
                "{name}"
            );
        }
    }
}

#[test]
fn images_are_embedded_with_sniffed_types_and_no_img_lacks_a_source() {
    let dir = tempfile::tempdir().unwrap();
    let mut warnings = Warnings::new();
    let bytes = EpubWriter
        .write_in(
            &rich_article(dir.path()),
            &options(dir.path()),
            Some(dir.path()),
            &mut warnings,
        )
        .unwrap();
    assert!(warnings.is_empty(), "{:?}", warnings.items());
    let book = unzip(&bytes);
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    let srcs = attrs(&chapter, "img", "src");
    assert_eq!(srcs.len(), 3);
    assert_eq!(attrs(&chapter, "img", "alt").len(), 3);
    for src in &srcs {
        let data = &book.files[&format!("OEBPS/{src}")];
        assert!(conv::assets::media_type_of(data).is_some(), "{src}");
    }
    let opf = book.text("OEBPS/content.opf");
    // The WebP named diagram.png was converted (it has alpha: PNG).
    assert!(opf.contains("media-type=\"image/png\" id=\"id_images_img-001.png\""));
    assert!(opf.contains("properties=\"cover-image\""));
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    // The cover is also the first figure: stored once.
    assert_eq!(srcs[0], "images/cover.jpg");
    assert!(!opf.contains("image/webp"));

    let broken = write_at(
        &broken_image_article(dir.path()),
        &options(dir.path()),
        Some(dir.path()),
    );
    let book = unzip(&broken);
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    assert!(!chapter.contains("<img"));
    assert!(chapter.contains("<p class=\"image-missing\">The caption stays</p>"));
    assert!(chapter.contains("<p class=\"image-missing\">remote alt</p>"));
    assert!(chapter.contains("<p>Inline empty source after.</p>"));
    assert!(!book.text("OEBPS/content.opf").contains("cover-image"));
}

#[test]
fn spine_nav_and_ncx_are_in_the_same_order() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = conv::model::Bundle {
        meta: conv::model::Metadata {
            title: Some("Digest".into()),
            ..Default::default()
        },
        sections: vec![
            conv::model::Section {
                title: "One".into(),
                articles: vec![english_article(), cjk_article()],
            },
            conv::model::Section {
                title: String::new(),
                articles: vec![rich_article(dir.path())],
            },
        ],
    };
    let bytes = EpubWriter
        .write_bundle_in(
            &bundle,
            &options(dir.path()),
            Some(dir.path()),
            &mut Warnings::new(),
        )
        .unwrap();
    let book = unzip(&bytes);
    let opf = book.text("OEBPS/content.opf");
    let spine: Vec<String> = attrs(&opf, "itemref", "idref")
        .iter()
        .map(|id| {
            let item = opf.split(&format!("id=\"{id}\" href=\"")).nth(1).unwrap();
            item.split('"').next().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        spine,
        [
            "title.xhtml",
            "part-01.xhtml",
            "chapter-001.xhtml",
            "chapter-002.xhtml",
            "chapter-003.xhtml"
        ]
    );
    let toc_nav = book.text("OEBPS/nav.xhtml");
    let toc_nav = toc_nav.split("epub:type=\"landmarks\"").next().unwrap();
    let nav_files = dedup_files(attrs(toc_nav, "a", "href"));
    let ncx_files = dedup_files(attrs(&book.text("OEBPS/toc.ncx"), "content", "src"));
    assert_eq!(nav_files, spine);
    assert_eq!(ncx_files, spine);
    // Two levels: section → article → its headings. The NCX is titled with
    // the book; the bundle is mostly Chinese, so the generated labels are.
    let ncx = book.text("OEBPS/toc.ncx");
    let labels = between(&ncx, "<text>", "</text>");
    assert_eq!(
        &labels[..4],
        [
            "Digest",
            "扉页",
            "One",
            "Linux 6.1 Features: Rust &amp; &lt;More&gt;"
        ]
    );
    assert!(ncx.contains("<content src=\"chapter-001.xhtml#h1\"/>"));
    // Each bundle chapter has a byline.
    assert!(book
        .text("OEBPS/chapter-001.xhtml")
        .contains("<p class=\"byline\">Michael Larabel, Jane Doe · 2022-10-09 · phoronix.com</p>"));
}

fn dedup_files(hrefs: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for href in hrefs {
        let file = href.split('#').next().unwrap().to_string();
        if out.last() != Some(&file) {
            out.push(file);
        }
    }
    out
}

#[test]
fn package_metadata_from_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = write_at(&english_article(), &options(dir.path()), Some(dir.path()));
    let opf = unzip(&bytes).text("OEBPS/content.opf");
    let uuid = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://www.phoronix.com/review/linux-61-features",
    );
    for expected in [
        format!("<dc:identifier id=\"epub-id-1\">urn:uuid:{uuid}</dc:identifier>"),
        "<dc:title>Linux 6.1 Features: Rust &amp; &lt;More&gt;</dc:title>".into(),
        "<dc:date>2022-10-09T12:00:00Z</dc:date>".into(),
        "<dc:subject>Linux</dc:subject>".into(),
        "<dc:subject>Kernel</dc:subject>".into(),
        "<dc:description>What is new in Linux 6.1.</dc:description>".into(),
        "<dc:source>https://www.phoronix.com/review/linux-61-features</dc:source>".into(),
        "<dc:publisher>phoronix.com</dc:publisher>".into(),
    ] {
        assert!(opf.contains(&expected), "missing {expected} in\n{opf}");
    }
    // Categories and tags both become subjects, each once.
    let opf = unzip(&write_at(
        &cjk_article(),
        &options(dir.path()),
        Some(dir.path()),
    ))
    .text("OEBPS/content.opf");
    assert_eq!(opf.matches("<dc:subject>").count(), 4);
    assert!(opf.contains("<dc:language id=\"epub-language-0\">zh</dc:language>"));
}

#[test]
fn the_chinese_article_reads_as_six_indented_paragraphs_and_the_editor_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = unzip(&write_at(
        &cjk_article(),
        &options(dir.path()),
        Some(dir.path()),
    ));
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    assert!(chapter.contains("<body class=\"cjk\">"));
    assert_eq!(chapter.matches("<p>").count(), 7);
    // The scraped ideographic-space indentation is left to the stylesheet.
    assert!(!chapter.contains('\u{3000}'));
    assert!(chapter.contains("<p>责任编辑：张三 &lt;script&gt;alert(1)&lt;/script&gt;</p>"));
    assert!(!chapter.contains("<script"));
    let css = book.text("OEBPS/stylesheet.css");
    assert!(css.contains("text-indent: 2em"));
    let title = book.text("OEBPS/title.xhtml");
    for part in [
        "江苏省委书记",
        "<p class=\"authors\">新浪财经</p>",
        "<p class=\"date\">2022-02-14</p>",
    ] {
        assert!(title.contains(part), "{part} in {title}");
    }
}

#[test]
fn javascript_links_are_dropped_and_their_text_kept() {
    let dir = tempfile::tempdir().unwrap();
    let book = unzip(&write_at(
        &english_article(),
        &options(dir.path()),
        Some(dir.path()),
    ));
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    assert!(!chapter.to_lowercase().contains("javascript"));
    assert!(chapter.contains(" and this script."));
    assert!(chapter.contains(
        "<a href=\"https://kernel.org/\" title=\"Kernel &quot;org&quot;\">kernel.org</a>"
    ));
    // The leading heading repeating the title is not printed twice.
    assert_eq!(chapter.matches("Linux 6.1 Features").count(), 2); // <title> and <h1>
}

#[test]
fn chapter_markup_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let book = unzip(&write_at(
        &english_article(),
        &options(dir.path()),
        Some(dir.path()),
    ));
    insta::assert_snapshot!("english_chapter", book.text("OEBPS/chapter-001.xhtml"));
    insta::assert_snapshot!("english_opf", book.text("OEBPS/content.opf"));
    let book = unzip(&write_at(
        &rich_article(dir.path()),
        &options(dir.path()),
        Some(dir.path()),
    ));
    insta::assert_snapshot!("rich_chapter", book.text("OEBPS/chapter-001.xhtml"));
}
