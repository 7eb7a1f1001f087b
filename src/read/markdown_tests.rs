//! Tests of the Markdown reader: each construct mapped to the model.

use super::raw_html::open_depth;
use super::*;
use crate::model::{blocks_text, Image};

fn md(text: &str) -> Vec<Block> {
    read(
        text,
        None,
        &Session::new(crate::Options::default()).unwrap(),
        &mut Warnings::new(),
    )
    .unwrap()
}

fn para(content: Vec<Inline>) -> Block {
    Block::Paragraph { content }
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn sup(n: &str) -> Inline {
    Inline::Superscript {
        content: vec![t(n)],
    }
}

#[test]
fn headings_and_emphasis() {
    let blocks = md("# Head\n\n### Sub *em* **strong** ~~gone~~ `code`\n");
    assert_eq!(
        blocks,
        vec![
            Block::Heading {
                level: 1,
                content: vec![t("Head")]
            },
            Block::Heading {
                level: 3,
                content: vec![
                    t("Sub "),
                    Inline::Emphasis {
                        content: vec![t("em")]
                    },
                    t(" "),
                    Inline::Strong {
                        content: vec![t("strong")]
                    },
                    t(" "),
                    Inline::Strikeout {
                        content: vec![t("gone")]
                    },
                    t(" "),
                    Inline::Code {
                        code: "code".into()
                    },
                ]
            },
        ]
    );
}

#[test]
fn soft_breaks_vanish_between_cjk_and_become_spaces_elsewhere() {
    assert_eq!(md("中文\n续行\n"), vec![para(vec![t("中文续行")])]);
    assert_eq!(md("two\nlines\n"), vec![para(vec![t("two lines")])]);
    assert_eq!(
        md("hard  \nbreak\n"),
        vec![para(vec![t("hard"), Inline::LineBreak, t("break")])]
    );
}

#[test]
fn lists_ordered_with_start_nested_and_tasks() {
    let blocks = md("3. three\n4. four\n\n- a\n  - nested\n- [x] done\n- [ ] task\n");
    assert_eq!(
        blocks[0],
        Block::List {
            ordered: true,
            start: 3,
            items: vec![vec![para(vec![t("three")])], vec![para(vec![t("four")])]],
        }
    );
    let Block::List { ordered, items, .. } = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert!(!ordered);
    assert_eq!(items[0][0], para(vec![t("a")]));
    assert!(matches!(items[0][1], Block::List { .. }));
    assert_eq!(items[1], vec![para(vec![t("☑ done")])]);
    assert_eq!(items[2], vec![para(vec![t("☐ task")])]);
}

#[test]
fn loose_task_items_keep_the_box_in_their_paragraph() {
    let blocks = md("- [x] done\n\n- [ ] task\n");
    let Block::List { items, .. } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(items[0], vec![para(vec![t("☑ done")])]);
}

#[test]
fn code_blocks_keep_their_language() {
    let blocks = md("```Rust ignore\nfn main() {}\n```\n\n```text\nplain\n```\n\n    indented\n");
    assert_eq!(
        blocks,
        vec![
            Block::CodeBlock {
                language: Some("rust".into()),
                code: "fn main() {}".into()
            },
            Block::CodeBlock {
                language: None,
                code: "plain".into()
            },
            Block::CodeBlock {
                language: None,
                code: "indented".into()
            },
        ]
    );
}

#[test]
fn quotes_rules_tables() {
    let blocks = md("> quoted\n\n---\n\n| h1 | h2 |\n|:--|--:|\n| c1 | |\n");
    assert_eq!(
        blocks[0],
        Block::BlockQuote {
            blocks: vec![para(vec![t("quoted")])]
        }
    );
    assert_eq!(blocks[1], Block::Rule);
    let Block::Table(table) = &blocks[2] else {
        panic!("{blocks:?}")
    };
    assert_eq!(table.head.len(), 1);
    assert!(table.head[0].iter().all(|c| c.header));
    assert_eq!(table.head[0][1].blocks, vec![para(vec![t("h2")])]);
    assert_eq!(table.body[0][0].blocks, vec![para(vec![t("c1")])]);
    assert!(table.body[0][1].blocks.is_empty());
}

#[test]
fn one_column_tables_stay_tables() {
    let blocks = md("| only |\n|---|\n| row |\n");
    assert!(matches!(blocks[0], Block::Table(_)), "{blocks:?}");
}

#[test]
fn images_links_and_base_url() {
    let mut warnings = Warnings::new();
    let blocks = read(
        "![alt *text*](a.png \"tip\")\n\nSee [here](/p \"t\"), [anchor](#x) and ![i](b.png) ![](<>)\n",
        Some("https://ex.org/post/"),
        &Session::new(crate::Options::default()).unwrap(),
        &mut warnings,
    )
    .unwrap();
    assert_eq!(
        blocks[0],
        Block::Figure {
            image: Image {
                src: "https://ex.org/post/a.png".into(),
                alt: "alt text".into(),
                title: Some("tip".into()),
            },
            caption: vec![],
        }
    );
    let Block::Paragraph { content } = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        content[1],
        Inline::Link {
            url: "https://ex.org/p".into(),
            title: Some("t".into()),
            content: vec![t("here")],
        }
    );
    assert_eq!(content[2], t(", anchor and "));
    assert!(
        matches!(&content[3], Inline::Image { image } if image.src == "https://ex.org/post/b.png")
    );
    assert_eq!(warnings.items().len(), 1, "{warnings:?}");
}

#[test]
fn javascript_links_keep_only_their_text() {
    assert_eq!(md("[x](javascript:alert(1))\n"), vec![para(vec![t("x")])]);
}

#[test]
fn footnotes_are_numbered_in_order_of_mention() {
    let blocks = md("One[^b] two[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n");
    assert_eq!(
        blocks[0],
        para(vec![t("One"), sup("1"), t(" two"), sup("2"), t(".")])
    );
    assert_eq!(blocks[1], para(vec![sup("2"), t(" Note A.")]));
    assert_eq!(blocks[2], para(vec![sup("1"), t(" Note B.")]));
}

#[test]
fn inline_html_is_read_by_the_html_reader() {
    let blocks = md("H<sub>2</sub>O and <b>**bold**</b>[^1]\n\n[^1]: n\n");
    assert_eq!(
        blocks[0],
        para(vec![
            t("H"),
            Inline::Subscript {
                content: vec![t("2")]
            },
            t("O and "),
            Inline::Strong {
                content: vec![Inline::Strong {
                    content: vec![t("bold")]
                }]
            },
            sup("1"),
        ])
    );
}

#[test]
fn html_blocks_are_read_as_fragments() {
    let blocks = md("<div class=\"raw\">block <i>html</i></div>\n\nafter\n");
    assert_eq!(
        blocks,
        vec![
            para(vec![
                t("block "),
                Inline::Emphasis {
                    content: vec![t("html")]
                }
            ]),
            para(vec![t("after")]),
        ]
    );
}

/// An HTML block cut by a blank line inside a `<pre>` (pasted highlighter
/// output) stays one code block, as the HTML reader read it before.
#[test]
fn html_block_left_open_takes_the_following_blocks() {
    let text = "<div class=\"highlight\"><pre><code class=\"language-js\">var a = 1\n\nvar b = 2\n</code></pre></div>\n\nafter\n";
    let blocks = md(text);
    assert_eq!(
        blocks,
        vec![
            Block::CodeBlock {
                language: Some("js".into()),
                code: "var a = 1\nvar b = 2".into()
            },
            para(vec![t("after")]),
        ]
    );
    assert_eq!(open_depth("<div><p>a<br><img src=x/><!-- <b> --></p>"), 1);
}

/// Issue 10: the scraper clean-up deleted an author's own paragraph that
/// mentions a WeChat account.
#[test]
fn author_paragraph_about_following_an_account_is_kept() {
    let text = "# 标题\n\n欢迎关注公众号，获取更多文章。\n\n<p>扫码关注公众号</p>\n";
    let blocks = md(text);
    let all = blocks_text(&blocks);
    assert!(all.contains("欢迎关注公众号，获取更多文章。"), "{all:?}");
    assert!(all.contains("扫码关注公众号"), "{all:?}");
}

#[test]
fn hostile_markdown_does_not_panic() {
    for text in [
        "",
        "[^x]",
        "[^x]:",
        "- [ ]",
        "|a|\n|-|",
        "<",
        "</p></div>",
        "```",
        "![](",
        "> > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > > >",
        "*a **b* c**",
        "\0\u{feff}",
    ] {
        md(text);
    }
}

/// Issue 9: deep nesting must neither overflow the stack nor lose text.
#[test]
fn deep_nesting_is_bounded_and_keeps_the_text() {
    for text in [
        format!("{}deep", "> ".repeat(100_000)),
        format!("{}deep", "- ".repeat(20_000)),
        format!("{}deep{}", "[".repeat(50_000), "](u)".repeat(50_000)),
        format!("{}deep{}", "*".repeat(30_000), "*".repeat(30_000)),
        format!("{}deep{}", "<b>".repeat(30_000), "</b>".repeat(30_000)),
    ] {
        let blocks = md(&text);
        assert!(blocks_text(&blocks).contains("deep"), "{}", &text[..20]);
    }
}
