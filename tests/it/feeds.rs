//! Feeds in: RSS 2.0 with `content:encoded`, Atom with HTML and XHTML
//! content, JSON Feed, a summary-only feed and a feed in GB18030 — each
//! entry an article — and each feed as a bundle that passes EPUBCheck.

use crate::common::WriteIn;
use std::path::Path;

use conv::model::{inline_text, Block, Bundle, Document, Section};
use conv::read::feed::{looks_like_feed, read_feed};
use conv::write::epub::EpubWriter;
use conv::{Options, Warnings};

use crate::epub_support::{epubcheck, options};

fn bytes(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn feed(name: &str) -> Vec<Document> {
    let b = bytes(name);
    assert!(looks_like_feed(&b), "{name} not sniffed as a feed");
    read_feed(
        &b,
        Some(Path::new(name)),
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn first_text(doc: &Document) -> String {
    match doc.blocks.first() {
        Some(Block::Paragraph { content }) => inline_text(content),
        other => format!("{other:?}"),
    }
}

/// The entries as one bundle, checked by EPUBCheck where it is installed.
fn bundle_passes_epubcheck(name: &str, docs: Vec<Document>) {
    let dir = tempfile::tempdir().unwrap();
    let bundle = Bundle {
        meta: conv::model::Metadata {
            title: Some(format!("Feed {name}")),
            ..Default::default()
        },
        sections: vec![Section {
            title: String::new(),
            articles: docs,
        }],
    };
    let bytes = EpubWriter
        .write_bundle_in(&bundle, &options(dir.path()), None, &mut Warnings::new())
        .expect("EPUB written");
    if let Some(report) = epubcheck(&bytes, name) {
        report.assert_clean(name);
    }
}

#[test]
fn rss_with_content_encoded() {
    let docs = feed("rss.xml");
    assert_eq!(docs.len(), 2);
    let d = &docs[0];
    assert_eq!(d.meta.title.as_deref(), Some("Counting Herons & Egrets"));
    assert_eq!(d.meta.authors, ["Ada Field"]);
    assert_eq!(d.meta.categories, ["birds", "survey"]);
    assert_eq!(
        d.meta.source_url.as_deref(),
        Some("https://notes.example/herons")
    );
    assert_eq!(d.meta.date.as_ref().map(|x| x.day()), Some("2024-04-02"));
    assert_eq!(d.meta.language.as_deref(), Some("en"));
    assert_eq!(
        d.meta.description.as_deref(),
        Some("A short note on the spring count.")
    );
    assert_eq!(first_text(d), "We counted forty-one herons this spring.");
    assert!(matches!(d.blocks[1], Block::Heading { .. }));
    assert_eq!(d.meta.extra["feed_title"], "Field Notes");
    assert!(!d.meta.extra.contains_key("content"));
    bundle_passes_epubcheck("rss", docs);
}

#[test]
fn atom_with_html_and_xhtml_content() {
    let docs = feed("atom.xml");
    assert_eq!(docs.len(), 2);
    let d = &docs[0];
    assert_eq!(d.meta.title.as_deref(), Some("Dovetails by hand"));
    assert_eq!(
        d.meta.source_url.as_deref(),
        Some("https://log.example/dovetails")
    );
    assert_eq!(d.meta.authors, ["Sam Joiner"]);
    assert_eq!(d.meta.categories, ["joinery"]);
    assert_eq!(d.meta.language.as_deref(), Some("en-GB"));
    assert_eq!(d.meta.date.as_ref().map(|x| x.day()), Some("2024-05-30"));
    assert!(first_text(d).contains("on the waste side"));
    assert!(d
        .blocks
        .iter()
        .any(|b| matches!(b, Block::CodeBlock { .. })));
    assert_eq!(first_text(&docs[1]), "Hone at 25°, then strop.");
    assert_eq!(
        docs[1].meta.updated.as_ref().map(|x| x.day()),
        Some("2024-05-20")
    );
    bundle_passes_epubcheck("atom", docs);
}

#[test]
fn json_feed_html_and_text_items() {
    let docs = feed("feed.json");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].meta.title.as_deref(), Some("Overnight bread"));
    assert_eq!(docs[0].meta.tags, ["bread", "baking"]);
    assert_eq!(docs[0].meta.authors, ["Lee Baker"]);
    assert_eq!(first_text(&docs[0]), "Mix at night, bake in the morning.");
    assert_eq!(docs[1].meta.authors, ["Kim Cook"]);
    assert_eq!(docs[1].blocks.len(), 2);
    bundle_passes_epubcheck("jsonfeed", docs);
}

#[test]
fn summary_only_feed_is_marked_as_summary() {
    let docs = feed("summary-only.xml");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].meta.extra["content"], "summary");
    assert_eq!(
        first_text(&docs[0]),
        "Shares rose in early trading across Asia."
    );
    assert_eq!(docs[0].meta.authors, ["desk@headlines.example (News Desk)"]);
    bundle_passes_epubcheck("summary", docs);
}

#[test]
fn gb18030_feed_is_decoded_by_its_declaration() {
    let docs = feed("gb18030.xml");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].meta.title.as_deref(), Some("秋天的第一场雨"));
    assert_eq!(docs[0].meta.language.as_deref(), Some("zh-CN"));
    assert!(first_text(&docs[0]).contains("桂花的味道"));
    bundle_passes_epubcheck("gb18030", docs);
}

#[test]
fn broken_feed_error_has_line_and_column() {
    let err = read_feed(
        b"<?xml version=\"1.0\"?>\n<rss><channel>\n<item><title><![CDATA[x",
        None,
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 3, column 14"), "{err}");
    let err = read_feed(
        b"<html></html>",
        None,
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not rss, feed or rdf:RDF"), "{err}");
}

// ---- Feeds through the command line: a feed file is a book of its entries.

fn conv_cmd() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("conv").unwrap();
    cmd.arg("--offline");
    cmd
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name)
}

/// The XHTML chapters of an EPUB, concatenated.
fn chapters(epub: &[u8]) -> String {
    let book = crate::epub_support::unzip(epub);
    book.names
        .iter()
        .filter(|n| n.ends_with(".xhtml"))
        .map(|n| book.text(n))
        .collect()
}

/// Asserts every entry's title is in the book's chapters (as XHTML text).
fn assert_holds_entries(epub: &[u8], entries: Vec<Document>) {
    let text = chapters(epub);
    for doc in entries {
        let title = doc.meta.title.unwrap().replace('&', "&amp;");
        assert!(text.contains(&title), "entry {title} missing from the book");
    }
}

/// EPUBCheck on a book the command line wrote, where it is installed.
fn assert_valid(epub: &[u8], name: &str) {
    if let Some(report) = epubcheck(epub, name) {
        report.assert_clean(name);
    }
}

#[test]
fn feed_bundle_from_the_command_line_holds_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("today.epub");
    conv_cmd()
        .arg(fixture("rss.xml"))
        .args(["--bundle", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    assert_holds_entries(&bytes, feed("rss.xml"));
    assert_valid(&bytes, "today.epub");
}

#[test]
fn a_feed_file_alone_becomes_one_book_titled_by_the_feed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("atom.epub");
    conv_cmd()
        .arg(fixture("atom.xml"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let entries = feed("atom.xml");
    let opf = crate::epub_support::unzip(&bytes);
    let package = opf
        .names
        .iter()
        .find(|n| n.ends_with(".opf"))
        .map(|n| opf.text(n))
        .unwrap();
    let feed_title = entries[0].meta.extra["feed_title"].as_str().unwrap();
    assert!(
        package.contains(feed_title),
        "book not titled by the feed: {package}"
    );
    assert_holds_entries(&bytes, entries);
    assert_valid(&bytes, "atom.epub");
}

#[test]
fn a_folder_of_saved_feeds_bundles_all_their_entries() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap();
    for name in ["rss.xml", "atom.xml", "feed.json", "summary-only.xml"] {
        std::fs::copy(fixture(name), feeds.join(name)).unwrap();
    }
    let out = dir.path().join("all.epub");
    let run = conv_cmd()
        .arg(&feeds)
        .args(["--bundle", "-o"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    let expected: usize = ["rss.xml", "atom.xml", "feed.json", "summary-only.xml"]
        .iter()
        .map(|n| feed(n).len())
        .sum();
    assert!(
        stderr.contains(&format!("{expected} converted")),
        "want {expected} entries converted: {stderr}"
    );
    let bytes = std::fs::read(&out).unwrap();
    assert_valid(&bytes, "all.epub");
}

#[test]
fn an_xml_file_that_is_no_feed_is_refused_and_the_rest_converted() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).unwrap();
    std::fs::copy(fixture("rss.xml"), feeds.join("rss.xml")).unwrap();
    std::fs::write(
        feeds.join("sitemap.xml"),
        "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example/</loc></url></urlset>",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = conv_cmd()
        .arg(&feeds)
        .args(["-t", "txt", "-o"])
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("sitemap.xml") && stderr.contains("not an RSS, Atom or JSON feed"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(out.join("rss.txt")).expect("rss.txt written");
    for doc in feed("rss.xml") {
        assert!(text.contains(doc.meta.title.as_deref().unwrap()));
    }
}

#[test]
fn chinese_feed_bundle_has_chinese_furniture() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("zh.epub");
    conv_cmd()
        .arg(fixture("gb18030.xml"))
        .args(["--bundle", "--group-by", "none", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).unwrap();
    let book = crate::epub_support::unzip(&bytes);
    let all: String = book
        .names
        .iter()
        .filter(|n| n.ends_with(".xhtml") || n.ends_with(".opf") || n.ends_with(".ncx"))
        .map(|n| book.text(n))
        .collect();
    assert!(all.contains("篇"), "no Chinese article count");
    for english in [
        "Articles",
        " articles",
        "1 article",
        ">conv<",
        "Contents",
        "Title Page",
    ] {
        assert!(
            !all.contains(english),
            "English furniture {english:?} in a zh bundle"
        );
    }
    assert_valid(&bytes, "zh.epub");
}
