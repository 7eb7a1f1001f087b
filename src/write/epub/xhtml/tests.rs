//! Tests of the XHTML body markup.

use super::escaping::is_xml_char;
use super::*;
use crate::assets::Assets;

fn render(blocks: &[Block]) -> (String, Vec<Heading>, Warnings) {
    let cache = tempfile::tempdir().unwrap();
    let session = crate::Session::new(crate::Options {
        offline: true,
        cache_dir: Some(cache.path().to_path_buf()),
        ..crate::Options::default()
    })
    .unwrap();
    let doc = crate::Document {
        blocks: blocks.to_vec(),
        ..Default::default()
    };
    let mut assets = Assets::default();
    let mut warnings = Warnings::new();
    assets.resolve_document(&doc, None, false, &session, &mut warnings);
    let mut images = Images::new(&assets);
    let mut body = Body::new(blocks, &mut images, &mut warnings);
    body.blocks(blocks);
    let (out, headings) = body.finish();
    (out, headings, warnings)
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph { content: inlines }
}

#[test]
fn text_is_escaped_and_control_characters_dropped() {
    let (out, _, _) = render(&[para(vec![Inline::text(
        "a<b>&\"c\" 'd'\u{1}\u{8}\u{85}\u{ffff} 中文",
    )])]);
    assert_eq!(out, "<p>a&lt;b&gt;&amp;&quot;c&quot; 'd' 中文</p>\n");
}

#[test]
fn javascript_and_relative_links_keep_only_their_text() {
    let link = |url: &str| Inline::Link {
        url: url.into(),
        title: Some("t\"x".into()),
        content: vec![Inline::text("go")],
    };
    let (out, _, _) = render(&[para(vec![
        link("javascript:alert(1)"),
        link(" JavaScript:void(0)"),
        link("#section"),
        link("/relative/page.html"),
        link("http://"),
        link("https://example.com/a b?q=中"),
    ])]);
    assert_eq!(
        out,
        "<p>gogogogogo<a href=\"https://example.com/a%20b?q=%E4%B8%AD\" title=\"t&quot;x\">go</a></p>\n"
    );
}

#[test]
fn nested_links_do_not_nest_anchors() {
    let inner = Inline::Link {
        url: "https://b.example/".into(),
        title: None,
        content: vec![Inline::text("b")],
    };
    let outer = Inline::Link {
        url: "https://a.example/".into(),
        title: None,
        content: vec![Inline::text("a"), inner],
    };
    let (out, _, _) = render(&[para(vec![outer])]);
    assert_eq!(out, "<p><a href=\"https://a.example/\">ab</a></p>\n");
}

#[test]
fn every_inline_variant_has_its_element() {
    let (out, _, _) = render(&[para(vec![
        Inline::Emphasis {
            content: vec![Inline::text("e")],
        },
        Inline::Strong {
            content: vec![Inline::text("s")],
        },
        Inline::Strikeout {
            content: vec![Inline::text("x")],
        },
        Inline::Superscript {
            content: vec![Inline::text("2")],
        },
        Inline::Subscript {
            content: vec![Inline::text("i")],
        },
        Inline::Code { code: "a<b".into() },
        Inline::LineBreak,
        Inline::Image {
            image: Image {
                src: "missing.png".into(),
                alt: "[smile]".into(),
                title: None,
            },
        },
    ])]);
    assert_eq!(
        out,
        "<p><em>e</em><strong>s</strong><s>x</s><sup>2</sup><sub>i</sub><code>a&lt;b</code><br/>[smile]</p>\n"
    );
}

#[test]
fn headings_shift_under_the_chapter_title_and_get_ids() {
    let h = |level, text: &str| Block::Heading {
        level,
        content: vec![Inline::text(text)],
    };
    let (out, headings, _) = render(&[h(1, "One"), h(3, "Deep"), h(1, " "), h(2, "Two")]);
    assert_eq!(
        out,
        "<h2 id=\"h1\">One</h2>\n<h4 id=\"h2\">Deep</h4>\n<h3 id=\"h3\">Two</h3>\n"
    );
    let levels: Vec<_> = headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(levels, [(2, "One"), (4, "Deep"), (3, "Two")]);
}

#[test]
fn lists_tables_code_and_rules() {
    let cell = |text: &str, header| Cell {
        header,
        colspan: 1,
        blocks: vec![para(vec![Inline::text(text)])],
    };
    let blocks = [
        Block::List {
            ordered: true,
            start: 3,
            items: vec![
                vec![para(vec![Inline::text("three")])],
                vec![para(vec![Inline::text("a")]), para(vec![Inline::text("b")])],
            ],
        },
        Block::List {
            ordered: false,
            start: 1,
            items: vec![vec![para(vec![Inline::text("dot")])]],
        },
        Block::Table(Table {
            head: vec![vec![cell("H", false)]],
            body: vec![vec![
                Cell {
                    colspan: 2,
                    ..cell("wide", false)
                },
                cell("side", true),
            ]],
        }),
        Block::CodeBlock {
            language: Some("rust\" onclick=\"x".into()),
            code: "fn main() {}\n".into(),
        },
        Block::Rule,
    ];
    let (out, _, _) = render(&blocks);
    assert_eq!(
        out,
        "<ol start=\"3\">\n<li>three</li>\n<li>\n<p>a</p>\n<p>b</p>\n</li>\n</ol>\n\
         <ul>\n<li>dot</li>\n</ul>\n\
         <table>\n<thead>\n<tr><th>H</th></tr>\n</thead>\n\
         <tbody>\n<tr><td colspan=\"2\">wide</td><th>side</th></tr>\n</tbody>\n</table>\n\
         <pre><code class=\"language-rustonclickx\">fn main() {}</code></pre>\n<hr/>\n"
    );
}

#[test]
fn a_missing_figure_becomes_its_caption_or_alt_with_a_warning() {
    let figure = |alt: &str, caption: &str| Block::Figure {
        image: Image {
            src: "https://example.invalid/x.png".into(),
            alt: alt.into(),
            title: None,
        },
        caption: if caption.is_empty() {
            vec![]
        } else {
            vec![Inline::text(caption)]
        },
    };
    let (out, _, warnings) = render(&[figure("alt", "Caption"), figure("alt", ""), figure("", "")]);
    assert_eq!(
        out,
        "<p class=\"image-missing\">Caption</p>\n<p class=\"image-missing\">alt</p>\n"
    );
    // One warning: the same source is tried once.
    assert_eq!(warnings.items().len(), 1);
    assert!(!out.contains("<img"));
}

#[test]
fn scraped_indentation_is_left_to_the_stylesheet() {
    let (out, _, _) = render(&[
        para(vec![Inline::text("\u{3000}\u{3000}正文")]),
        para(vec![Inline::text("\u{a0} "), Inline::LineBreak]),
        para(vec![Inline::text("")]),
        para(vec![Inline::Emphasis { content: vec![] }]),
    ]);
    assert_eq!(out, "<p>正文</p>\n");
}

proptest::proptest! {
    #[test]
    fn escaping_round_trips_and_leaves_no_markup(text in "\\PC*|[<>&\"'\\x00-\\x1f\\u{80}-\\u{9f}a中]*") {
        let escaped = escape(&text);
        proptest::prop_assert!(!escaped.contains(['<', '>', '"']));
        proptest::prop_assert!(escaped.chars().all(is_xml_char));
        let back = escaped
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        let kept: String = text.chars().filter(|&c| is_xml_char(c)).collect();
        proptest::prop_assert_eq!(back, kept);
    }
}

#[test]
fn clean_line_folds_whitespace() {
    assert_eq!(clean_line("  a\n\tb \u{1}c  "), "a b c");
}

/// Issue 11 item 9 / issue 13: a wide table reads on a small screen as
/// the PDF sets it on e-reader pages: each body cell carries its column's
/// name for the stylesheet's stacked rows; a narrow table stays a grid.
#[test]
fn a_wide_table_carries_its_column_names_for_small_screens() {
    let cell = |text: &str| Cell {
        header: false,
        colspan: 1,
        blocks: vec![para(vec![Inline::text(text)])],
    };
    let row = |a: &str, b: &str, c: &str| vec![cell(a), cell(b), cell(c)];
    let wide = Block::Table(Table {
        head: vec![row("参数", "描述", "默认\"")],
        body: vec![row(
            "frozenedColumnsCount",
            "锁定列的个数，当数据源改变的时候需要重新计算",
            "0",
        )],
    });
    let (out, _, _) = render(&[wide]);
    assert!(out.starts_with("<table class=\"stacks\">"), "{out}");
    assert!(
        out.contains(
            "<tr><td data-label=\"参数\">frozenedColumnsCount</td><td data-label=\"描述\">"
        ) && out.contains("<td data-label=\"默认&quot;\">0</td>"),
        "{out}"
    );
    assert!(out.contains("<tr><th>参数</th>"), "{out}");
    let narrow = Block::Table(Table {
        head: vec![row("a", "b", "c")],
        body: vec![row("1", "2", "3")],
    });
    let (out, _, _) = render(&[narrow]);
    assert!(
        out.starts_with("<table>\n") && !out.contains("data-label"),
        "{out}"
    );
}
