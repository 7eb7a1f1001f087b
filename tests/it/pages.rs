//! Whole web pages in: detection, metadata from the head (OpenGraph,
//! `article:*`, JSON-LD, `<html lang>`, canonical link), and the article
//! extracted with the page furniture (navigation, share bars, related
//! links, comments, QR promotions, footers) left out. Pages are our own,
//! under tests/fixtures/pages/.

use std::path::Path;

use conv::model::{inline_text, Block, Document};
use conv::read::read_str;
use conv::{Options, Warnings};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pages")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str, opts: &Options) -> Document {
    let mut warnings = Warnings::new();
    read_str(
        &fixture(name),
        Some(Path::new(name)),
        &crate::common::session(&opts),
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// All the text of the blocks, one block a line.
fn text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                out.push_str(&inline_text(content));
            }
            Block::List { items, .. } => items.iter().for_each(|i| out.push_str(&text(i))),
            Block::BlockQuote { blocks } => out.push_str(&text(blocks)),
            Block::CodeBlock { code, .. } => out.push_str(code),
            Block::Figure { caption, .. } => out.push_str(&inline_text(caption)),
            Block::Table(t) => out.push_str(&format!("{t:?}")),
            Block::Rule => {}
        }
        out.push('\n');
    }
    out
}

#[test]
fn news_page_metadata_from_json_ld_open_graph_and_head() {
    let doc = read("news.html", &Options::default());
    let m = &doc.meta;
    assert_eq!(
        m.title.as_deref(),
        Some("Harbour Bridge Reopens After Repairs")
    );
    assert_eq!(m.authors, ["Mara Quinn", "Tom Reyes"]);
    let date = m.date.as_ref().expect("date");
    assert_eq!(date.iso.as_deref(), Some("2024-05-06T07:30:00Z"));
    assert_eq!(
        m.updated.as_ref().and_then(|d| d.iso.as_deref()),
        Some("2024-05-06T09:00:00Z")
    );
    assert_eq!(m.language.as_deref(), Some("en-US"));
    assert_eq!(
        m.source_url.as_deref(),
        Some("https://coast.example/news/bridge-reopens")
    );
    assert_eq!(
        m.cover.as_deref(),
        Some("https://coast.example/img/bridge.jpg")
    );
    assert_eq!(m.categories, ["Local"]);
    assert_eq!(m.tags, ["transport", "bridges"]);
    assert_eq!(m.extra["site_name"], "The Daily Coast");
}

#[test]
fn news_page_article_keeps_figures_tables_code_and_drops_furniture() {
    let doc = read("news.html", &Options::default());
    let t = text(&doc.blocks);
    for kept in [
        "reopened to traffic on Monday",
        "long three weeks",
        "What was repaired",
        "Tolls, suspended",
        "The eastern span, with its new bearings",
        "loadtest --span east",
        "Bearings",
    ] {
        assert!(t.contains(kept), "lost {kept:?} in:\n{t}");
    }
    for dropped in [
        "Sport",
        "Share on",
        "Related stories",
        "Tunnel plans",
        "Show more",
        "First! This bridge",
        "Most read",
        "All rights reserved",
        "By Mara Quinn",
    ] {
        assert!(!t.contains(dropped), "kept {dropped:?} in:\n{t}");
    }
    // The title is the document's, not repeated as the first heading.
    assert!(!t.contains("Harbour Bridge Reopens"), "{t}");
    assert!(doc.blocks.iter().any(|b| matches!(b, Block::Table(_))));
    assert!(doc
        .blocks
        .iter()
        .any(|b| matches!(b, Block::CodeBlock { .. })));
    assert!(doc.blocks.iter().any(|b| matches!(b, Block::Figure { .. })));
}

#[test]
fn chinese_page_pinyin_classes_and_furniture_phrases() {
    let doc = read("zh.html", &Options::default());
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("城市公园扩建工程完工_新闻中心_示例网")
    );
    assert_eq!(doc.meta.authors, ["李明"]);
    assert_eq!(doc.meta.date.as_ref().map(|d| d.day()), Some("2023-09-18"));
    assert_eq!(doc.meta.tags, ["公园", "扩建", "城市"]);
    assert!(doc.meta.language.as_deref().unwrap_or("").starts_with("zh"));
    let t = text(&doc.blocks);
    for kept in ["新增绿地十二公顷", "环湖步道", "王女士", "晚上十点"] {
        assert!(t.contains(kept), "lost {kept:?} in:\n{t}");
    }
    for dropped in [
        "分享到",
        "责任编辑",
        "扫码关注",
        "相关新闻",
        "老旧小区",
        "版权所有",
        "首页",
        "当前位置",
    ] {
        assert!(!t.contains(dropped), "kept {dropped:?} in:\n{t}");
    }
}

#[test]
fn fragment_with_html_extension_is_still_an_article_body() {
    let doc = read("fragment.html", &Options::default());
    assert_eq!(doc.blocks.len(), 2);
    assert!(text(&doc.blocks).contains("no head, no html element"));
}

#[test]
fn no_extract_reads_the_whole_page() {
    let opts = Options {
        extract: Some(false),
        ..Options::default()
    };
    let t = text(&read("news.html", &opts).blocks);
    assert!(t.contains("Most read"), "{t}");
    assert!(t.contains("reopened to traffic"), "{t}");
}

#[test]
fn extract_forces_page_reading_of_a_fragment() {
    let opts = Options {
        extract: Some(true),
        ..Options::default()
    };
    let t = text(&read("fragment.html", &opts).blocks);
    assert!(t.contains("read as an article body"), "{t}");
}

#[test]
fn keep_all_keeps_the_page_furniture() {
    let opts = Options {
        keep_all: true,
        ..Options::default()
    };
    let t = text(&read("news.html", &opts).blocks);
    assert!(t.contains("Related stories"), "{t}");
}

#[test]
fn front_matter_wins_over_the_page_head() {
    let text = format!("---\ntitle: Mine\n---\n{}", fixture("news.html"));
    let opts = Options {
        extract: Some(true),
        ..Options::default()
    };
    let doc = read_str(
        &text,
        None,
        &crate::common::session(&opts),
        &mut Warnings::new(),
    )
    .unwrap();
    assert_eq!(doc.meta.title.as_deref(), Some("Mine"));
    assert_eq!(doc.meta.authors, ["Mara Quinn", "Tom Reyes"]);
}

#[test]
fn no_extract_flag_on_the_command_line() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/news.html");
    let out = assert_cmd::Command::cargo_bin("conv")
        .unwrap()
        .args(["--no-extract", "-t", "txt", "-o", "-"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Most read"));
    let out = assert_cmd::Command::cargo_bin("conv")
        .unwrap()
        .args(["-t", "txt", "-o", "-"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Most read"));
}

/// Reads an inline page (hand-written HTML, not a fixture file).
fn read_page(html: &str) -> Document {
    let mut warnings = Warnings::new();
    read_str(
        html,
        Some(Path::new("page.html")),
        &crate::common::session(&Options::default()),
        &mut warnings,
    )
    .expect("page")
}

/// A page around `article` (inner HTML of the article container), with
/// enough running text that the container is clearly the article.
fn page_with(head: &str, article: &str) -> String {
    let prose: String = (0..6)
        .map(|i| {
            format!(
                "<p>Paragraph {i} of the story, long enough to count, with commas, clauses, \
                 and the sort of detail a reporter writes when the editor wants more.</p>"
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html><html lang=en><head><title>Harbour news</title>{head}</head><body>\
         <nav><a href=/>Home</a></nav><div class=\"story-body\">{prose}{article}</div>\
         <footer>Footer text</footer></body></html>"
    )
}

#[test]
fn dateline_in_template_whitespace_and_pm_time_is_dropped() {
    let doc = read_page(&page_with(
        "",
        "<span class=\"stamp\">Published\n        <time>\n   4:00 am CST, Wednesday, \
         November 20, 2019\n     </time>\n   </span>\
         <p>Updated at 1:23 p.m.</p><p>The council met on Monday at 1 p.m.</p>",
    ));
    let t = text(&doc.blocks);
    assert!(!t.contains("4:00 am CST"), "{t}");
    assert!(!t.contains("Updated at"), "{t}");
    assert!(t.contains("The council met"), "{t}");
}

#[test]
fn link_only_paragraph_teaser_is_dropped_but_tweet_link_kept() {
    let doc = read_page(&page_with(
        "",
        "<p><a href=/other><strong>SENATOR SAYS BRIDGE WILL REOPEN IN MAY</strong></a></p>\
         <div class=\"social-media-embed\"><blockquote class=\"twitter-tweet\">\
         <p>The bridge is open again, finally, after two years of repairs.</p>\
         <p><a href=https://t.co/abc>https://t.co/abcdefghij</a></p></blockquote></div>\
         <p>A sentence with <a href=/x>a link</a> in it stays as it is.</p>",
    ));
    let t = text(&doc.blocks);
    assert!(!t.contains("SENATOR SAYS"), "{t}");
    assert!(t.contains("open again, finally"), "{t}");
    assert!(t.contains("https://t.co/abcdefghij"), "{t}");
    assert!(t.contains("a link in it stays"), "{t}");
}

#[test]
fn inline_promotions_and_see_more_lines_are_dropped() {
    let doc = read_page(&page_with(
        "",
        "<p><strong>SEE MORE</strong>: <a href=/y>Harbour tolls rise</a></p>\
         <p>Like this story? Share it with a friend!</p>\
         <p>Have a tip? Jo Doe may be reached at <a href=mailto:j@x>j@x</a>.</p>\
         <p>READ MORE: <a href=/z>Harbour tolls rise again as the council looks for money \
         to pay for the repairs and for the new ferry terminal on the south bank</a></p>\
         <p>Follow us on <a href=/f>Facebook</a>, <a href=/t>Twitter</a> and <a href=/i>Instagram</a>.</p>\
         <div class=pic><img src=/p.jpg alt=Pier><span>(Image: GETTY)</span></div>\
         <p>Seeing more of the harbour is what the new walkway promises, its builders say.</p>",
    ));
    let t = text(&doc.blocks);
    for gone in [
        "SEE MORE",
        "Like this story",
        "Have a tip",
        "READ MORE",
        "Follow us",
        "GETTY",
    ] {
        assert!(!t.contains(gone), "{gone}: {t}");
    }
    assert!(t.contains("Seeing more of the harbour"), "{t}");
}

#[test]
fn byline_repeating_the_page_author_and_credit_lines_are_dropped() {
    let doc = read_page(&page_with(
        "<meta name=author content=\"Mara Quinn\">",
        "<div class=\"s-data\">\n   By Mara Quinn\n  </div>\
         <div class=\"photo-credit\">Harbour Authority</div>\
         <p>Mara Quinn spoke to the harbour master, who was candid about the delays.</p>",
    ));
    let t = text(&doc.blocks);
    assert!(!t.contains("By Mara Quinn"), "{t}");
    assert!(!t.contains("Harbour Authority"), "{t}");
    assert!(t.contains("Mara Quinn spoke"), "{t}");
    assert_eq!(doc.meta.authors, ["Mara Quinn"]);
}

#[test]
fn photo_gallery_list_inside_the_article_is_dropped() {
    let items: String = (0..4)
        .map(|i| {
            format!("<li><img src=/g{i}.jpg alt=\"\"><p>Photo {i}: the pier at dawn.</p></li>")
        })
        .collect();
    let doc = read_page(&page_with(
        "",
        &format!("<div class=\"asset_gallery\"><ul class=\"resgallery\">{items}</ul></div>"),
    ));
    let t = text(&doc.blocks);
    assert!(!t.contains("the pier at dawn"), "{t}");
    assert!(t.contains("Paragraph 5 of the story"), "{t}");
}
