//! EPUBCheck reports 0 errors and 0 warnings for the fixture books (a
//! Chinese article with an author, an English one, one with images,
//! tables, code and lists, one whose images are all broken, and a bundle).
//! Fails in CI when EPUBCheck is missing; skips with a note elsewhere.

use crate::common::WriteIn;
use crate::epub_support;

use conv::model::{Bundle, Section};
use conv::write::epub::EpubWriter;
use conv::Warnings;
use epub_support::*;

fn check(doc: &conv::Document, dir: &std::path::Path, name: &str) -> Warnings {
    let mut warnings = Warnings::new();
    let bytes = EpubWriter
        .write_in(doc, &options(dir), Some(dir), &mut warnings)
        .expect("EPUB written");
    if let Some(report) = epubcheck(&bytes, name) {
        report.assert_clean(name);
    }
    warnings
}

#[test]
fn chinese_article_with_author_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = check(&cjk_article(), dir.path(), "cjk");
    assert!(warnings.is_empty(), "{:?}", warnings.items());
}

#[test]
fn english_article_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = check(&english_article(), dir.path(), "english");
    assert!(warnings.is_empty(), "{:?}", warnings.items());
}

#[test]
fn article_with_images_tables_code_lists_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = check(&rich_article(dir.path()), dir.path(), "rich");
    assert!(warnings.is_empty(), "{:?}", warnings.items());
}

#[test]
fn article_with_broken_images_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = check(&broken_image_article(dir.path()), dir.path(), "broken");
    // The cover, three figures and the inline image: five warnings.
    assert_eq!(warnings.items().len(), 5, "{:?}", warnings.items());
}

#[test]
fn bundle_with_sections_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = Bundle {
        meta: conv::model::Metadata {
            title: Some("Weekly digest".into()),
            ..Default::default()
        },
        sections: vec![
            Section {
                title: "新浪财经".into(),
                articles: vec![cjk_article(), rich_article(dir.path())],
            },
            Section {
                title: "Phoronix".into(),
                articles: vec![english_article()],
            },
        ],
    };
    let mut warnings = Warnings::new();
    let bytes = EpubWriter
        .write_bundle_in(
            &bundle,
            &options(dir.path()),
            Some(dir.path()),
            &mut warnings,
        )
        .expect("EPUB written");
    assert!(warnings.is_empty(), "{:?}", warnings.items());
    if let Some(report) = epubcheck(&bytes, "bundle") {
        report.assert_clean("bundle");
    }
}

#[test]
fn odd_scraped_input_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = check(&edge_article(), dir.path(), "edge");
    // The missing picture and the empty figure source (`zh_Hans_CN` is
    // repaired to `zh-Hans-CN` silently).
    assert_eq!(warnings.items().len(), 2, "{:?}", warnings.items());
}

#[test]
fn an_empty_document_passes_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    check(&conv::Document::default(), dir.path(), "empty");
}
