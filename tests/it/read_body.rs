//! Bodies: kind detection, plain text, Markdown, language and decoding.

use crate::common::WriteIn;
use std::path::Path;

use conv::model::{blocks_text, Block, Inline};
use conv::options::InputFormat;
use conv::read::{detect_body, read_bytes, read_str};
use conv::{Error, Options, Warnings};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/read")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_with(text: &str, from: InputFormat, path: Option<&str>) -> conv::Document {
    let opts = Options {
        from,
        ..Options::default()
    };
    read_str(
        text,
        path.map(Path::new),
        &crate::common::session(&opts),
        &mut Warnings::new(),
    )
    .unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

#[test]
fn detection() {
    // (body, path hint, expected)
    let cases: &[(&str, Option<&str>, InputFormat)] = &[
        ("<p>para</p>", None, InputFormat::Html),
        ("text<br>more", None, InputFormat::Html),
        ("Link: <a href=\"x\">y</a>", None, InputFormat::Html),
        ("<div>\n<img src=x>\n</div>", None, InputFormat::Html),
        ("<!-- only a comment -->", None, InputFormat::Html),
        (
            "<div>   \nイベント 名前\n開催場所 東京\n</div>\n  ",
            None,
            InputFormat::Text,
        ),
        ("<div>\nTom &amp; Jerry\n</div>", None, InputFormat::Html),
        ("just words\n\nmore words", None, InputFormat::Text),
        ("a < b and Tensor<Float>", None, InputFormat::Text),
        ("# Title\n\ntext", None, InputFormat::Markdown),
        ("- one\n- two", None, InputFormat::Markdown),
        ("1. one\n2. two", None, InputFormat::Markdown),
        ("```\ncode\n```", None, InputFormat::Markdown),
        ("see [this](http://x)", None, InputFormat::Markdown),
        ("**bold** words", None, InputFormat::Markdown),
        ("> quoted", None, InputFormat::Markdown),
        (
            "# T\n\n- a\n- b\n\n<img src=x>",
            None,
            InputFormat::Markdown,
        ),
        (
            "<h2>T</h2>\n<p>x</p>\n- not a list",
            None,
            InputFormat::Html,
        ),
        ("plain words", Some("post.md"), InputFormat::Markdown),
        ("plain words", Some("POST.Markdown"), InputFormat::Markdown),
        ("plain words", Some("page.html"), InputFormat::Html),
        ("<p>x</p>", Some("a.txt"), InputFormat::Html),
        ("", None, InputFormat::Text),
    ];
    for (body, path, want) in cases {
        assert_eq!(
            detect_body(body, path.map(Path::new)),
            *want,
            "{body:?} {path:?}"
        );
    }
}

fn para(parts: Vec<Inline>) -> Block {
    Block::Paragraph { content: parts }
}

#[test]
fn plain_text_keeps_lines_inside_a_div_wrapper() {
    let doc = read_with(&fixture("plain_ja.txt"), InputFormat::Auto, None);
    assert_eq!(
        doc.blocks,
        vec![para(vec![
            Inline::text("イベント Live 2021「Summer」"),
            Inline::LineBreak,
            Inline::text("開催場所 東京都のホール"),
            Inline::LineBreak,
            Inline::text("開場 2021-08-14 13:00"),
        ])]
    );
    assert_eq!(doc.meta.language.as_deref(), Some("ja"));
    assert_eq!(doc.meta.cover, None);
}

#[test]
fn markdown_inside_a_div_wrapper_is_markdown() {
    let doc = read_with(
        "<div>\n# Title\n\n- one\n- two\n</div>\n",
        InputFormat::Auto,
        None,
    );
    let text = blocks_text(&doc.blocks);
    assert!(text.contains("Title") && text.contains("two"), "{text:?}");
    assert!(!text.contains('#') && !text.contains("- one"), "{text:?}");
}

#[test]
fn from_overrides_detection() {
    let text = "---\ntitle: t\n---\n# not a heading\n\n<p>kept</p>\n";
    let doc = read_with(text, InputFormat::Text, None);
    assert_eq!(
        doc.blocks,
        vec![
            para(vec![Inline::text("# not a heading")]),
            para(vec![Inline::text("<p>kept</p>")]),
        ]
    );
    assert_eq!(doc.meta.title.as_deref(), Some("t"));
    let doc = read_with("# T\n\nbody", InputFormat::Html, None);
    assert!(blocks_text(&doc.blocks).contains("# T"));
}

#[test]
fn markdown_maps_to_the_model() {
    let md = "# Head\n\n- a\n  - nested\n- b\n\n3. three\n4. four\n\n\
              ```rust\nfn main() {}\n```\n\n| h1 | h2 |\n|----|----|\n| c1 | c2 |\n\n\
              ~~gone~~\n\n- [x] done\n\nText with <sup>raw</sup> HTML and a note[^1].\n\n\
              [^1]: The note.\n\n<div class=\"raw\">block html</div>\n";
    let doc = read_with(md, InputFormat::Markdown, None);
    let kinds: Vec<&str> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { .. } => "heading",
            Block::List {
                ordered: true,
                start: 3,
                ..
            } => "ol3",
            Block::List { .. } => "ul",
            Block::CodeBlock {
                language: Some(l), ..
            } if l == "rust" => "rust",
            Block::Table(_) => "table",
            Block::Paragraph { .. } => "p",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["heading", "ul", "ol3", "rust", "table", "p", "ul", "p", "p", "p"]
    );
    let text = blocks_text(&doc.blocks);
    for piece in ["gone", "☑ done", "raw", "The note.", "block html"] {
        assert!(text.contains(piece), "missing {piece:?} in {text:?}");
    }
}

/// Issue 10: Markdown went through the scraper clean-up, which deleted an
/// author's own paragraph that mentions following a WeChat account.
#[test]
fn markdown_author_text_about_wechat_accounts_is_kept() {
    let md = "---\ntitle: 笔记\n---\n\n正文第一段。\n\n欢迎关注公众号\n\n全文完。\n";
    let doc = read_with(md, InputFormat::Auto, Some("post.md"));
    let text = blocks_text(&doc.blocks);
    assert!(text.contains("欢迎关注公众号"), "{text:?}");
    assert_eq!(doc.blocks.len(), 3, "{:?}", doc.blocks);
}

#[test]
fn markdown_body_is_read() {
    let doc = read_with(&fixture("hexo_post.md"), InputFormat::Auto, Some("post.md"));
    let text = blocks_text(&doc.blocks);
    for piece in ["Heading", "emphasis", "link", "fn main() {}"] {
        assert!(text.contains(piece), "missing {piece:?} in {text:?}");
    }
    assert!(!text.contains("```"), "{text:?}");
}

#[test]
fn language_is_detected_when_missing() {
    let cases = [
        (
            "<p>江苏省疫情防控工作会议召开，省委书记出席会议。</p>",
            "zh",
        ),
        (
            "<p>TypeScript 4.4 首个 Beta 版本发布，带来了很多新的功能和改进。</p>",
            "zh",
        ),
        (
            "<p>Patches proposed so Microsoft debuggers can deal with it.</p>",
            "en",
        ),
        ("イベントの開催場所はまだ決まっていません。", "ja"),
        ("<p>행복하게 100세까지 사는 방법</p>", "ko"),
    ];
    for (body, lang) in cases {
        let doc = read_with(
            &format!("---\ntitle: x\n---\n{body}"),
            InputFormat::Auto,
            None,
        );
        assert_eq!(doc.meta.language.as_deref(), Some(lang), "{body}");
    }
    let doc = read_with("---\nlang: fr\n---\n<p>中文</p>", InputFormat::Auto, None);
    assert_eq!(doc.meta.language.as_deref(), Some("fr"));
}

#[test]
fn bytes_in_legacy_encodings_read_like_utf8() {
    let text = "---\ntitle: 这是一个中文标题\n---\n\n我们说的是国家的发展和人民的生活。\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    let mut warnings = Warnings::new();
    let opts = Options::default();
    let from_gbk = read_bytes(&gbk, None, &crate::common::session(&opts), &mut warnings).unwrap();
    let from_utf8 = read_bytes(
        text.as_bytes(),
        None,
        &crate::common::session(&opts),
        &mut warnings,
    )
    .unwrap();
    assert_eq!(from_gbk, from_utf8);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    assert_eq!(
        read_bytes(&bom, None, &crate::common::session(&opts), &mut warnings).unwrap(),
        from_utf8
    );
    let forced = Options {
        encoding: Some("gbk".into()),
        ..Options::default()
    };
    assert_eq!(
        read_bytes(&gbk, None, &crate::common::session(&forced), &mut warnings).unwrap(),
        from_utf8
    );
    assert!(warnings.is_empty());
}

#[test]
fn binary_input_is_not_text() {
    let err = read_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff",
        None,
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotText(_)), "{err}");
    assert!(err.to_string().contains("NUL"), "{err}");
}

#[test]
fn json_model_round_trips_through_read_bytes() {
    let doc = read_with(&fixture("seed_like.txt"), InputFormat::Auto, None);
    let json = conv::write::writer_by_name("json")
        .expect("json writer registered")
        .write_in(&doc, &Options::default(), None, &mut Warnings::new())
        .unwrap();
    let back = read_bytes(
        &json,
        Some(Path::new("a.json")),
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .unwrap();
    assert_eq!(back, doc);
}

/// segmentfault's list items: a title sentence, `<br>`, its explanation.
/// Set as one paragraph, the explanation lost the paragraph's indent and
/// the title line read as a ragged line (issue 11).
#[test]
fn a_br_after_a_chinese_sentence_starts_a_new_paragraph() {
    let html = "<p>执行工程自身 preinstall。<br>当前 npm 工程如果定义了 preinstall 钩子此时会被执行。</p>\
                <p>床前明月光，<br>疑是地上霜。<br>举头望明月，<br>低头思故乡。</p>";
    let doc = read_with(html, InputFormat::Html, None);
    let texts: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { content } => conv::model::inline_text(content),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        [
            "执行工程自身 preinstall。",
            "当前 npm 工程如果定义了 preinstall 钩子此时会被执行。",
            "床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。",
        ]
    );
}
