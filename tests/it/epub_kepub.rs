//! Kobo KEPUB: one `koboSpan` per sentence (Chinese sentences included),
//! the `book-columns`/`book-inner` wrappers, the cover as `cover-image`,
//! EPUBCheck-clean, and picked by `-t kepub` or a `.kepub.epub` name.

use crate::common::WriteIn;
use crate::epub_support;

use conv::model::{inline_text, Block, Bundle, Section};
use conv::write::epub::KepubWriter;
use conv::Warnings;
use epub_support::*;
use std::path::Path;

fn kepub(doc: &conv::Document, dir: &Path) -> Vec<u8> {
    KepubWriter
        .write_in(doc, &options(dir), Some(dir), &mut Warnings::new())
        .expect("KEPUB written")
}

/// Sentences of a paragraph counted without the writer's splitter: a run
/// of sentence-ending marks closes a sentence (when text other than
/// closing quotes follows, or at the end); trailing text is one more.
fn count_sentences(text: &str) -> usize {
    let ends = |c: char| matches!(c, '。' | '！' | '？');
    let closers = |c: char| matches!(c, '”' | '’' | '」' | '』' | '）' | '》');
    let chars: Vec<char> = text.trim().chars().collect();
    let mut count = 0;
    let mut open = false;
    let mut i = 0;
    while i < chars.len() {
        if ends(chars[i]) {
            while i < chars.len() && (ends(chars[i]) || closers(chars[i])) {
                i += 1;
            }
            count += 1;
            open = false;
            continue;
        }
        open = true;
        i += 1;
    }
    count + usize::from(open)
}

/// The `<p>` elements of a page, each as its list of span texts.
fn paragraph_spans(xhtml: &str) -> Vec<Vec<String>> {
    xhtml
        .split("<p>")
        .skip(1)
        .map(|p| p.split("</p>").next().unwrap_or(""))
        .map(|p| {
            p.split("<span class=\"koboSpan\" id=\"kobo.")
                .skip(1)
                .map(|s| {
                    let text = &s[s.find("\">").unwrap() + 2..];
                    text[..text.find("</span>").unwrap()].to_string()
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_sample_has_one_span_per_sentence() {
    let bytes = std::fs::read("samples/sina-style.txt").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = options(Path::new("samples"));
    let mut warnings = Warnings::new();
    let doc = conv::read::read_bytes(
        &bytes,
        Some(Path::new("sina-style.txt")),
        &crate::common::session(&opts),
        &mut warnings,
    )
    .unwrap();
    let book = unzip(&kepub(&doc, dir.path()));
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    let expected: Vec<(String, usize)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content } => Some(inline_text(content)),
            _ => None,
        })
        .map(|t| t.trim().trim_start_matches('\u{3000}').to_string())
        .filter(|t| !t.is_empty())
        .map(|t| {
            let n = count_sentences(&t);
            (t, n)
        })
        .collect();
    let got = paragraph_spans(&chapter);
    assert_eq!(got.len(), expected.len(), "{chapter}");
    let mut total = 0;
    for ((text, sentences), spans) in expected.iter().zip(&got) {
        assert_eq!(spans.len(), *sentences, "{text}\n{spans:?}");
        assert_eq!(spans.concat(), *text);
        total += sentences;
    }
    // The sample's paragraphs hold seven sentences (“3.5万户” is not an end).
    assert_eq!(total, 7);
    // Every span id is unique and of Kobo's form.
    let ids: Vec<&str> = chapter
        .split("id=\"kobo.")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(ids
        .iter()
        .all(|id| id.split('.').all(|n| n.parse::<u32>().is_ok())));
}

#[test]
fn pages_are_wrapped_for_kobo_and_the_cover_is_declared() {
    let dir = tempfile::tempdir().unwrap();
    let book = unzip(&kepub(&rich_article(dir.path()), dir.path()));
    for (name, _) in book
        .files
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml") && !n.ends_with("nav.xhtml"))
    {
        let page = book.text(name);
        assert!(
            page.contains("<div id=\"book-columns\" class=\"book-columns\"><div id=\"book-inner\" class=\"book-inner\">"),
            "{name}"
        );
        assert!(page.contains("class=\"koboSpan\""), "{name}");
    }
    let chapter = book.text("OEBPS/chapter-001.xhtml");
    // Pictures have a span of their own.
    assert!(chapter.contains("\"><img src=\"images/"));
    let opf = book.text("OEBPS/content.opf");
    assert!(opf.contains("properties=\"cover-image\""), "{opf}");
}

#[test]
fn kepub_books_pass_epubcheck() {
    let dir = tempfile::tempdir().unwrap();
    for (doc, name) in [
        (cjk_article(), "kepub-cjk"),
        (english_article(), "kepub-english"),
        (rich_article(dir.path()), "kepub-rich"),
        (edge_article(), "kepub-edge"),
    ] {
        if let Some(report) = epubcheck(&kepub(&doc, dir.path()), name) {
            report.assert_clean(name);
        }
    }
    let bundle = Bundle {
        meta: conv::model::Metadata {
            title: Some("周报".into()),
            ..Default::default()
        },
        sections: vec![Section {
            title: "新浪财经".into(),
            articles: vec![cjk_article(), english_article()],
        }],
    };
    let bytes = KepubWriter
        .write_bundle_in(&bundle, &options(dir.path()), None, &mut Warnings::new())
        .unwrap();
    if let Some(report) = epubcheck(&bytes, "kepub-bundle") {
        report.assert_clean("kepub-bundle");
    }
}

#[test]
fn a_kepub_epub_output_name_picks_the_kepub_writer() {
    let dir = tempfile::tempdir().unwrap();
    for (args, out) in [
        (vec!["-o", "a.kepub.epub"], "a.kepub.epub"),
        (vec!["-t", "kepub", "-o", "b.epub"], "b.epub"),
    ] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_conv"))
            .arg(Path::new("samples/sina-style.txt").canonicalize().unwrap())
            .args(&args)
            .arg("--offline")
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let book = unzip(&std::fs::read(dir.path().join(out)).unwrap());
        assert!(
            book.text("OEBPS/chapter-001.xhtml").contains("koboSpan"),
            "{out}"
        );
    }
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_conv"))
        .arg(Path::new("samples/sina-style.txt").canonicalize().unwrap())
        .args(["-o", "c.epub", "--offline"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let plain = unzip(&std::fs::read(dir.path().join("c.epub")).unwrap());
    assert!(!plain.text("OEBPS/chapter-001.xhtml").contains("koboSpan"));
}
