//! Output safety (issue 9): whatever an article says, no script, event
//! handler, `javascript:` or `data:text/html` URL, iframe, object, embed,
//! form, base, `meta http-equiv`, external stylesheet or remote resource
//! reaches an EPUB or a KEPUB. Fed with hostile models and hostile HTML
//! articles; odd links and dates still pass EPUBCheck.

use crate::common::WriteIn;
use crate::epub_support;

use conv::model::{DateValue, Document, Image, Inline, Metadata};
use conv::write::{epub::EpubWriter, epub::KepubWriter, Writer};
use conv::Warnings;
use epub_support::*;
use std::path::Path;

const HOSTILE_HTML: &str = r#"---
title: '<script>alert(1)</script>标题'
author: '<img src=x onerror=alert(1)>'
date: -5000-01-01
cover: 'javascript:alert(1)'
source: 'javascript:alert(1)'
---
<base href="https://evil.example/">
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<style>@import url(https://evil.example/y.css); body{background:url(https://evil.example/t.png)}</style>
<script>alert(1)</script><noscript><img src="https://evil.example/pixel.gif"></noscript>
<p onclick="alert(1)" style="background:url(https://evil.example/a.png)">正文<a href="javascript:alert(1)" onmouseover="x()">链接</a>
<a href="java&#x09;script:alert(1)">tab</a><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>
<a href="vbscript:x">vb</a><a href="file:///etc/passwd">file</a><a href="mailto:">m</a><a href="mailto:a b@c">m2</a>
<a href="http://x/%zz">pct</a></p>
<iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/o.swf"></object>
<embed src="https://evil.example/e.swf"><form action="https://evil.example/"><input name="q"></form>
<svg onload="alert(1)"><script>alert(2)</script></svg><math><mi xlink:href="javascript:alert(1)">x</mi></math>
<img src="https://evil.example/remote.png" onerror="alert(1)" alt="远程">
<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" alt="d">
<img src="file:///etc/passwd" alt="f"><img src="/etc/hostname" alt="abs">
<video src="https://evil.example/v.mp4"></video><audio src="https://evil.example/a.mp3"></audio>
<p style="x:expression(alert(1))">完。</p>
"#;

fn hostile_model() -> Document {
    let link = |url: &str| Inline::Link {
        url: url.into(),
        title: Some("\" onmouseover=\"alert(1)".into()),
        content: vec![text("x")],
    };
    let image = |src: &str| Inline::Image {
        image: Image {
            src: src.into(),
            alt: "\"/><script>alert(1)</script>".into(),
            title: Some("' onload='x".into()),
        },
    };
    Document {
        meta: Metadata {
            title: Some("<script>alert(1)</script>".into()),
            authors: vec!["\" onload=\"x".into()],
            language: Some("\"><script>".into()),
            date: Some(DateValue {
                raw: "0000-01-01".into(),
                iso: Some("0000-01-01".into()),
            }),
            updated: Some(DateValue {
                raw: "-5000-01-01".into(),
                iso: None,
            }),
            source_url: Some("javascript:alert(1)".into()),
            cover: Some("https://evil.example/cover.png".into()),
            tags: vec!["<iframe src=x>".into()],
            ..Metadata::default()
        },
        blocks: vec![
            para(vec![
                link("javascript:alert(1)"),
                link("JaVaScRiPt:alert(1)"),
                link("data:text/html,<script>alert(1)</script>"),
                link("vbscript:x"),
                link("mailto:"),
                link("mailto:a b@c"),
                link("http://x/%zz"),
                link("https://ok.example/"),
                image("https://evil.example/p.png"),
                image("javascript:alert(1)"),
                image("data:text/html,<script>alert(1)</script>"),
                image("file:///etc/passwd"),
                text("<iframe src=\"x\"></iframe><form><base href=x>"),
            ]),
            conv::model::Block::CodeBlock {
                language: Some("\"><script>alert(1)</script>".into()),
                code: "<script>alert(1)</script>".into(),
            },
        ],
    }
}

/// Every problem of `book`, as text naming the file.
fn unsafe_parts(book: &Unzipped) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, bytes) in &book.files {
        if !(name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".css"))
        {
            continue;
        }
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        for bad in [
            "<script",
            "javascript:",
            "vbscript:",
            "data:text/html",
            "<iframe",
            "<object",
            "<embed",
            "<form",
            "<input",
            "<base",
            "http-equiv",
            "<video",
            "<audio",
            "<svg",
            "<math",
            "@import",
            "expression(",
            "file:",
            " style=",
        ] {
            if let Some(at) = text.find(bad) {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(60)
                    .map_or(0, |(i, _)| i);
                let context: String = text[from..].chars().take(120).collect();
                problems.push(format!("{name}: {bad} in …{context}…"));
            }
        }
        // Event handlers: an ` on…=` attribute inside a tag (quoted values
        // removed first: a title may say anything, escaped).
        for tag in text.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let names: String = tag.split('"').step_by(2).collect::<Vec<_>>().join(" ");
            let handler = names.split_whitespace().skip(1).any(|attr| {
                let name = attr.split('=').next().unwrap_or("");
                attr.contains('=')
                    && name.len() > 2
                    && name.starts_with("on")
                    && name.chars().all(|c| c.is_ascii_alphabetic())
            });
            if handler {
                problems.push(format!("{name}: handler in <{tag}>"));
            }
            // Remote resources: only links may point outside the book.
            for attr in ["src=\"", "href=\""] {
                if let Some(at) = tag.find(attr) {
                    let value = &tag[at + attr.len()..];
                    let remote = value.starts_with("http") || value.starts_with("//");
                    if remote && !tag.starts_with("a ") {
                        problems.push(format!("{name}: remote resource in <{tag}>"));
                    }
                }
            }
        }
        if name.ends_with(".css") && text.contains("url(") {
            let local = text
                .split("url(")
                .skip(1)
                .all(|u| u.trim_start_matches(['"', '\'']).starts_with("fonts/"));
            if !local {
                problems.push(format!("{name}: remote url() in CSS"));
            }
        }
    }
    problems
}

fn books(doc: &Document, dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let opts = options(dir);
    let mut out = Vec::new();
    for (name, writer) in [
        ("epub", &EpubWriter as &dyn Writer),
        ("kepub", &KepubWriter as &dyn Writer),
    ] {
        let bytes = writer
            .write_in(doc, &opts, None, &mut Warnings::new())
            .expect("book written");
        out.push((name, bytes));
    }
    out
}

#[test]
fn a_hostile_html_article_leaves_nothing_active_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path());
    let doc = conv::read::read_bytes(
        HOSTILE_HTML.as_bytes(),
        Some(Path::new("hostile.txt")),
        &crate::common::session(&opts),
        &mut Warnings::new(),
    )
    .expect("read");
    for (name, bytes) in books(&doc, dir.path()) {
        let problems = unsafe_parts(&unzip(&bytes));
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        if let Some(report) = epubcheck(&bytes, &format!("hostile-html-{name}")) {
            report.assert_clean(name);
        }
    }
}

#[test]
fn a_hostile_model_leaves_nothing_active_in_the_book() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in books(&hostile_model(), dir.path()) {
        let book = unzip(&bytes);
        let problems = unsafe_parts(&book);
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        // The safe link stays; the stray percent is escaped.
        let chapter = book.text("OEBPS/chapter-001.xhtml");
        assert!(chapter.contains("href=\"https://ok.example/\""));
        assert!(chapter.contains("href=\"http://x/%25zz\""));
        // Out-of-range dates are no dates.
        let opf = book.text("OEBPS/content.opf");
        assert!(!opf.contains("<dc:date>"), "{opf}");
        assert!(!opf.contains("0000-01-01") && !opf.contains("-5000"));
        if let Some(report) = epubcheck(&bytes, &format!("hostile-model-{name}")) {
            report.assert_clean(name);
        }
    }
}

#[test]
fn a_hundred_thousand_tags_become_subjects_once_each() {
    let tags: Vec<String> = (0..100_000).map(|i| format!("tag{}", i % 50_000)).collect();
    let doc = Document {
        meta: Metadata {
            title: Some("Tags".into()),
            tags,
            ..Metadata::default()
        },
        blocks: vec![para(vec![text("Body.")])],
    };
    let dir = tempfile::tempdir().unwrap();
    let bytes = EpubWriter
        .write_in(&doc, &options(dir.path()), None, &mut Warnings::new())
        .unwrap();
    let opf = unzip(&bytes).text("OEBPS/content.opf");
    assert_eq!(opf.matches("<dc:subject>").count(), 50_000);
}
