//! What Send-to-Kindle and older reading systems trip on, and the EPUB
//! details of issue 13: XML declarations on every XHTML file, the
//! language, the cover declared both ways, no links to a `<body>` id, no
//! `<img>` without a source; the NCX titled with the book, with its true
//! depth and `dtb:uid`; hidden landmarks; `--embed-font` covering every
//! file with `@charset` first.

use crate::common::WriteIn;
use crate::epub_support;

use conv::model::{Bundle, Section};
use conv::write::epub::EpubWriter;
use conv::{Options, Warnings};
use epub_support::*;

fn write(doc: &conv::Document, opts: &Options) -> Unzipped {
    unzip(
        &EpubWriter
            // The test articles keep their pictures in the folder that
            // also holds the cache.
            .write_in(
                doc,
                opts,
                opts.cache_dir.as_deref().and_then(|c| c.parent()),
                &mut Warnings::new(),
            )
            .expect("EPUB written"),
    )
}

fn xhtml_files(book: &Unzipped) -> Vec<String> {
    book.names
        .iter()
        .filter(|n| n.ends_with(".xhtml"))
        .cloned()
        .collect()
}

/// The value of `attr="…"` in each `<tag …>` of `text`.
fn attr_values(text: &str, tag: &str, attr: &str) -> Vec<String> {
    let key = format!(" {attr}=\"");
    text.split(&format!("<{tag}"))
        .skip(1)
        .filter(|rest| rest.starts_with([' ', '>', '/']))
        .filter_map(|rest| {
            let element = &rest[..rest.find('>')?];
            let start = element.find(&key)? + key.len();
            Some(element[start..start + element[start..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn every_xhtml_file_starts_with_the_xml_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(&rich_article(dir.path()), &options(dir.path()));
    let files = xhtml_files(&book);
    assert!(files.iter().any(|f| f.ends_with("nav.xhtml")));
    for name in files {
        assert!(
            book.text(&name)
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{name}"
        );
    }
}

#[test]
fn language_and_cover_are_declared_the_epub3_and_the_epub2_way() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(&rich_article(dir.path()), &options(dir.path()));
    let opf = book.text("OEBPS/content.opf");
    assert!(opf.contains(">zh-CN</dc:language>"), "{opf}");
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    let cover_item = opf
        .lines()
        .find(|l| l.contains("id=\"cover-image\""))
        .expect("a cover item");
    assert!(cover_item.contains("properties=\"cover-image\""));
    assert!(cover_item.contains("href=\"images/cover.jpg\""));
}

#[test]
fn no_link_points_at_a_body_id_and_every_img_has_a_source() {
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path());
    for doc in [
        rich_article(dir.path()),
        broken_image_article(dir.path()),
        english_article(),
        edge_article(),
    ] {
        let book = write(&doc, &opts);
        let mut body_ids = Vec::new();
        let mut hrefs = Vec::new();
        for name in xhtml_files(&book) {
            let page = book.text(&name);
            let file = name.trim_start_matches("OEBPS/");
            for id in attr_values(&page, "body", "id") {
                body_ids.push(format!("{file}#{id}"));
            }
            hrefs.extend(attr_values(&page, "a", "href"));
            for src in attr_values(&page, "img", "src") {
                assert!(!src.trim().is_empty(), "{name}");
                assert!(book.files.contains_key(&format!("OEBPS/{src}")), "{src}");
            }
            // Every <img> has a src attribute at all.
            assert_eq!(
                page.matches("<img ").count(),
                attr_values(&page, "img", "src").len(),
                "{name}"
            );
        }
        hrefs.extend(attr_values(&book.text("OEBPS/toc.ncx"), "content", "src"));
        for href in &hrefs {
            assert!(!body_ids.contains(href), "{href} links to a <body>");
        }
    }
}

#[test]
fn the_ncx_is_titled_with_the_book_with_true_depth_and_uid() {
    let dir = tempfile::tempdir().unwrap();
    let book = write(&cjk_article(), &options(dir.path()));
    let ncx = book.text("OEBPS/toc.ncx");
    assert!(
        ncx.contains("<text>江苏省委书记：采取更坚决果断措施，迅速打赢苏州疫情防控战</text>"),
        "{ncx}"
    );
    assert!(!ncx.contains("<text>目录</text>"));
    let opf = book.text("OEBPS/content.opf");
    let id = opf
        .split("<dc:identifier id=\"epub-id-1\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap();
    assert!(id.starts_with("urn:uuid:"));
    assert!(ncx.contains(&format!("<meta name=\"dtb:uid\" content=\"{id}\" />")));
    assert!(ncx.contains("<meta name=\"dtb:depth\" content=\"1\" />"));

    // Sections, articles and their headings: three levels.
    let bundle = Bundle {
        meta: conv::model::Metadata {
            title: Some("Digest".into()),
            ..Default::default()
        },
        sections: vec![Section {
            title: "Linux".into(),
            articles: vec![english_article()],
        }],
    };
    let bytes = EpubWriter
        .write_bundle_in(&bundle, &options(dir.path()), None, &mut Warnings::new())
        .unwrap();
    let ncx = unzip(&bytes).text("OEBPS/toc.ncx");
    // Section > article > "Rust" > "Drivers".
    assert!(
        ncx.contains("<meta name=\"dtb:depth\" content=\"4\" />"),
        "{ncx}"
    );
    assert!(ncx.contains("<text>Digest</text>"));
}

#[test]
fn the_landmarks_nav_is_hidden_and_the_toc_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let nav = write(&english_article(), &options(dir.path())).text("OEBPS/nav.xhtml");
    assert!(
        nav.contains("<nav epub:type=\"landmarks\" hidden=\"\">"),
        "{nav}"
    );
    assert!(nav.contains("<nav epub:type = \"toc\" id=\"toc\">"));
    assert!(nav.contains("lang=\"en-US\" xml:lang=\"en-US\""));
}

#[test]
fn embed_font_covers_every_file_and_keeps_charset_first() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        embed_font: true,
        ..options(dir.path())
    };
    let book = write(&cjk_article(), &opts);
    let css = book.text("OEBPS/stylesheet.css");
    assert!(css.starts_with("@charset \"UTF-8\";\n@font-face"), "{css}");
    let font = &book.files["OEBPS/fonts/body.ttf"];
    let subset = ttf_parser::Face::parse(font, 0).expect("a font");
    let full = ttf_parser::Face::parse(conv::fonts::BODY_FONT_BYTES, 0).unwrap();
    let mut names: Vec<String> = xhtml_files(&book);
    names.push("OEBPS/toc.ncx".into());
    for name in names {
        let text = crate::common::markup_text(&book.text(&name));
        for c in text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
        {
            if full.glyph_index(c).is_some() {
                assert!(subset.glyph_index(c).is_some(), "{c:?} of {name}");
            }
        }
    }
    // The navigation's own words are there.
    for c in "目录扉页".chars() {
        assert!(subset.glyph_index(c).is_some(), "{c}");
    }
}

#[test]
fn kindle_checks_pass_epubcheck_with_the_font() {
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        embed_font: true,
        ..options(dir.path())
    };
    let bytes = EpubWriter
        .write_in(&rich_article(dir.path()), &opts, None, &mut Warnings::new())
        .unwrap();
    if let Some(report) = epubcheck(&bytes, "font-rich") {
        report.assert_clean("font-rich");
    }
}
