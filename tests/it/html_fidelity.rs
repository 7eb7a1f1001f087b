//! Fidelity of scraped articles: subheads, rules and image labels.

use conv::model::{Block, Image, Inline};
use conv::read::html::{read, HtmlContext, Rules};
use conv::Warnings;

fn read_html(html: &str) -> Vec<Block> {
    let rules = Rules::builtin();
    let ctx = HtmlContext {
        base_url: None,
        keep_all: false,
        rules: &rules,
    };
    read(html, &ctx, &mut Warnings::new()).unwrap_or_default()
}

fn heading(text: &str) -> Block {
    Block::Heading {
        level: 2,
        content: vec![Inline::text(text)],
    }
}

#[test]
fn sina_cms_style_subhead_becomes_heading() {
    let blocks = read_html(concat!(
        "<p cms-style=\"font-L\">正文第一段。</p>",
        "<p cms-style=\"font-L strong-Bold align-Center\">官方回应</p>",
        "<p cms-style=\"font-L align-Center\"><font cms-style=\"font-L strong-Bold align-Center\">事件经过</font></p>",
        "<p cms-style=\"font-L\">正文第二段。</p>"
    ));
    assert_eq!(blocks[1], heading("官方回应"));
    assert_eq!(blocks[2], heading("事件经过"));
    assert!(matches!(blocks[3], Block::Paragraph { .. }));
}

#[test]
fn centred_bold_paragraph_becomes_heading() {
    let blocks = read_html(concat!(
        "<p style=\"text-align: center;\"><strong>What changed</strong></p>",
        "<p align=\"center\"><b>第二部分</b></p>"
    ));
    assert_eq!(blocks, vec![heading("What changed"), heading("第二部分")]);
}

#[test]
fn centred_bold_paragraph_stays_a_paragraph_when_long_mixed_or_a_picture() {
    let long = "这是一段很长的居中加粗文字，".repeat(5);
    for html in [
        format!("<p align=\"center\"><b>{long}</b></p>"),
        "<p align=\"center\"><b>Bold</b> and plain</p>".to_string(),
        "<p align=\"center\"><b>Not centred?</b></p>".replace(" align=\"center\"", ""),
        "<p align=\"center\"><b>Lead-in:</b></p>".to_string(),
        "<p align=\"center\"><img src=\"a.png\"><b>pic</b></p>".to_string(),
    ] {
        let blocks = read_html(&html);
        assert!(
            !blocks.iter().any(|b| matches!(b, Block::Heading { .. })),
            "{html}: {blocks:?}"
        );
    }
}

/// 053_3dmgame: award categories written `<p><strong>年度游戏</strong></p>`
/// over one `<p>` per nominee were set as paragraphs among paragraphs.
#[test]
fn uncentred_bold_line_over_text_becomes_a_subhead() {
    let blocks = read_html(concat!(
        "<p>由Fami通和电击游戏联合举办的大奖提名名单揭晓。</p>",
        "<p style=\"text-indent:2em;\"><strong>年度游戏</strong> </p>",
        "<p style=\"text-indent:2em;\"> 《赛马娘》</p>",
        "<h2>Reviews</h2>",
        "<p><b>Whole Foods future</b></p>",
        "<p>Text under it.</p>"
    ));
    assert_eq!(blocks[1], heading("年度游戏"));
    assert!(matches!(blocks[2], Block::Paragraph { .. }));
    // One level below the last real heading.
    assert_eq!(
        blocks[4],
        Block::Heading {
            level: 3,
            content: vec![Inline::text("Whole Foods future")]
        }
    );
}

#[test]
fn bold_lines_that_are_emphasis_stay_paragraphs() {
    for html in [
        // A sentence, a lead-in, a clause.
        "<p><strong>1202 年了，谁还用 jQuery 啊。</strong></p><p>正文。</p>",
        "<p><strong>科研类论文录用情况：</strong></p><p>正文。</p>",
        "<p><b>And then,</b></p><p>Text.</p>",
        // Nothing follows it: a closing credit.
        "<p>正文。</p><p><strong>本文为原创</strong></p>",
        // Inside a list or a table cell, or a link.
        "<ul><li><p><b>Item</b></p><p>Text.</p></li></ul>",
        "<table><tr><td><p><b>Cell</b></p><p>Text.</p></td></tr></table>",
        "<p><b><a href=\"https://e.org/\">Read more</a></b></p><p>Text.</p>",
        // Mixed bold and plain, or too long.
        "<p><b>Bold</b> and plain</p><p>Text.</p>",
        &format!("<p><b>{}</b></p><p>Text.</p>", "很长的加粗".repeat(10)),
    ] {
        let blocks = read_html(html);
        assert!(
            !blocks.iter().any(|b| matches!(b, Block::Heading { .. })),
            "{html}: {blocks:?}"
        );
    }
}

#[test]
fn consecutive_rules_collapse_and_a_leading_rule_is_dropped() {
    let blocks = read_html("<hr><p>a</p><hr><hr> <hr><p>b</p><hr>");
    let kinds: Vec<&str> = blocks
        .iter()
        .map(|b| match b {
            Block::Rule => "rule",
            _ => "p",
        })
        .collect();
    assert_eq!(kinds, ["p", "rule", "p", "rule"]);
}

#[test]
fn figure_alt_falls_back_to_caption() {
    let blocks = read_html(concat!(
        "<figure><img src=\"https://e.org/0861-27fbcb525698b8cd8fb00596bf8819c0.jpg\">",
        "<figcaption>港口 at dusk</figcaption></figure>",
        "<figure><img src=\"b.png\" alt=\"own alt\"><figcaption>cap</figcaption></figure>"
    ));
    let alts: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure { image, .. } => Some(image.alt.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(alts, ["港口 at dusk", "own alt"]);
}

#[test]
fn hash_like_alt_is_dropped() {
    let blocks = read_html("<p><img src=\"a.jpg\" alt=\"4499e616cc5ee57.jpg\"></p>");
    let Some(Block::Figure { image, .. }) = blocks.first() else {
        panic!("{blocks:?}")
    };
    assert_eq!(image.alt, "");
}

#[test]
fn image_label_never_shows_a_hash_file_name() {
    let label = |src: &str, alt: &str| {
        Image {
            src: src.into(),
            alt: alt.into(),
            title: None,
        }
        .label()
        .unwrap_or_default()
    };
    for src in [
        "https://n.sinaimg.cn/0861-27fbcb525698b8cd8fb00596bf8819c0.jpg",
        "https://img.example/4499e616cc5ee57.jpg",
        "https://pic.example/v2_d5d4037a767e4847933cfa77460e3035_img_000",
        "https://p3.example/8afe301bcc2a4fccbdbcee6d05927a8c~tplv-k3u1fbpfcp-watermark.image",
        "https://oscimg.example/up-cff64e4c82e7de0581acd55ff5cb9ea81ec.png",
    ] {
        assert_eq!(label(src, ""), "", "{src}");
    }
    assert_eq!(label("https://e.org/harbour.jpg", ""), "harbour.jpg");
    assert_eq!(
        label("https://e.org/FrozenedRowColumn.gif", ""),
        "FrozenedRowColumn.gif"
    );
    assert_eq!(label("https://e.org/0861-27fbcb52.jpg", "港口"), "港口");
}
