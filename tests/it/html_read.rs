//! The HTML reader on fixture articles with the quirks of scraped archives.

use conv::model::{blocks_text, inline_text, Block, Inline};
use conv::read::html::{parse, read, HtmlContext, Rules};
use conv::Warnings;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_with(html: &str, keep_all: bool) -> Vec<Block> {
    let rules = Rules::builtin();
    let ctx = HtmlContext {
        base_url: Some("https://example.com/news/2022/a.html"),
        keep_all,
        rules: &rules,
    };
    let mut warnings = Warnings::new();
    read(html, &ctx, &mut warnings).unwrap_or_default()
}

fn blocks(name: &str) -> Vec<Block> {
    read_with(&fixture(name), false)
}

fn paragraphs(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content } => Some(inline_text(content)),
            _ => None,
        })
        .collect()
}

fn no_remnants(text: &str) {
    for bad in [
        "<p",
        "<div",
        "<img",
        "&#",
        "&nbsp;",
        "&amp;",
        "<!--",
        "-->",
        "{border",
        "font-size",
    ] {
        assert!(!text.contains(bad), "{bad:?} left in {text:?}");
    }
}

#[test]
fn seed_style_article_gives_paragraphs_and_editor_line() {
    let b = blocks("sina_seed_style.html");
    let paras = paragraphs(&b);
    assert_eq!(paras.len(), 4, "{paras:#?}");
    assert!(
        paras[0].starts_with("3月2日上午"),
        "indentation stripped: {:?}",
        paras[0]
    );
    assert!(paras[0].contains("“春季造林”"));
    assert!(paras[1].contains("责任，细化"));
    assert_eq!(paras[2], "市有关部门主要负责同志参加会议。");
    assert_eq!(paras[3], "责任编辑：王小明");
    assert_eq!(b.len(), 4, "no QR image or box: {b:#?}");
    let text = blocks_text(&b);
    no_remnants(&text);
    assert!(!text.contains("新浪财经APP"));
}

#[test]
fn keep_all_keeps_promotion_and_indentation() {
    let b = read_with(&fixture("sina_seed_style.html"), true);
    let text = blocks_text(&b);
    assert!(text.contains("尽在新浪财经APP"));
    assert!(text.contains("\u{3000}\u{3000}3月2日"));
    assert!(
        !text.contains("appendQr_wrap{"),
        "style content is never text"
    );
}

#[test]
fn bare_text_and_br_become_paragraphs() {
    let b = blocks("bare_text_br.html");
    let paras = paragraphs(&b);
    assert_eq!(
        paras[0], "第一段文字，没有任何包裹的段落标签，换行后继续同一段。",
        "CJK newline adds no space"
    );
    assert_eq!(paras[1], "第二段文字\u{a0}在这里。");
    assert!(
        matches!(&b[2], Block::Figure { image, .. } if image.src == "https://example.com/a.jpg" && image.alt == "示意图")
    );
    assert_eq!(paras[2], "Third paragraph in English continues here.");
    assert_eq!(paras[3], "了解更多");
}

#[test]
fn cms_font_tags_unwrap_and_empty_paragraphs_go() {
    let b = blocks("cms_font.html");
    // The centred bold line is a subhead (see html_fidelity).
    assert!(
        matches!(&b[0], Block::Heading { level: 2, content } if inline_text(content) == "标题一样的粗体"),
        "{b:?}"
    );
    let paras = paragraphs(&b);
    assert_eq!(
        paras,
        ["正文红字继续，加粗斜体仍然斜体结束。", "字体标签里的段落"]
    );
    let Block::Paragraph { content } = &b[1] else {
        panic!("{b:?}")
    };
    assert!(content.iter().any(|i| matches!(i, Inline::Strong { .. })));
    assert!(content.iter().any(|i| matches!(i, Inline::Emphasis { .. })));
}

#[test]
fn broken_attributes_lose_no_text() {
    let b = blocks("broken_attrs.html");
    let text = blocks_text(&b);
    no_remnants(&text);
    assert!(
        matches!(&b[1], Block::Figure { image, .. } if image.src == "https://img.example.com/1.png" && image.title.as_deref() == Some("大奖"))
    );
    assert!(text.contains("《赛马娘》\n《破晓传说》"));
    assert!(text.contains("属性没有引号"));
    assert!(text.contains("最后一段 & 裸露的 & 符号 © 2021 😀 😀"));
}

#[test]
fn unescaped_generics_in_code_stay_text() {
    let b = blocks("code_generics.html");
    let codes: Vec<(Option<String>, String)> = b
        .iter()
        .filter_map(|x| match x {
            Block::CodeBlock { language, code } => Some((language.clone(), code.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(codes.len(), 3, "{b:#?}");
    assert_eq!(codes[0].0.as_deref(), Some("dart"));
    assert!(codes[0].1.contains("slivers: <Widget>["));
    assert!(codes[0].1.contains("Map<String, List<Widget>> m"));
    assert!(codes[0].1.contains("Tensor<Float> t"));
    assert_eq!(codes[1].1, "if (a < b && c) {\n  x = 1;\n}");
    assert_eq!(codes[2].0.as_deref(), Some("xml"));
    assert!(codes[2]
        .1
        .contains("<dependency>\n<dependency>\n  <groupId>org.example</groupId>"));
    let Some(Block::Paragraph { content }) = b.last() else {
        panic!()
    };
    let codes: Vec<&str> = content
        .iter()
        .filter_map(|i| match i {
            Inline::Code { code } => Some(code.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        codes,
        ["const el = $<HTMLElement>()", "$<HTMLInputElement>(doc)"]
    );
}

#[test]
fn lists_quotes_and_tables() {
    let b = blocks("lists_tables.html");
    let Block::List {
        ordered: true,
        start: 3,
        items,
    } = &b[0]
    else {
        panic!("{:?}", b[0])
    };
    assert_eq!(items.len(), 3);
    assert!(matches!(&items[1][1], Block::List { ordered: false, items, .. } if items.len() == 2));
    assert!(
        matches!(&b[1], Block::BlockQuote { blocks } if matches!(&blocks[0], Block::List { .. }))
    );
    let tables: Vec<&conv::model::Table> = b
        .iter()
        .filter_map(|x| match x {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 2, "layout table flattened: {b:#?}");
    assert_eq!(tables[0].head.len(), 1);
    assert_eq!(tables[0].body.len(), 2);
    assert_eq!(tables[0].body[1][0].colspan, 2);
    let paras = paragraphs(&b);
    assert!(paras.contains(&"布局表格里的整篇文章。".to_string()));
    assert!(paras.contains(&"第二段。".to_string()));
    assert!(paras.contains(&"术语".to_string()));
}

#[test]
fn images_lazy_sources_captions_and_embeds() {
    let b = blocks("media_lazy.html");
    let figures: Vec<(String, String)> = b
        .iter()
        .filter_map(|x| match x {
            Block::Figure { image, caption } => Some((image.src.clone(), inline_text(caption))),
            _ => None,
        })
        .collect();
    assert_eq!(
        figures,
        [
            (
                "https://example.com/img/lazy1.jpg".to_string(),
                "图片说明文字".to_string()
            ),
            (
                "https://cdn.example.com/2.png".into(),
                "新浪风格的图注".into()
            ),
            (
                "https://example.com/news/2022/thumb/3.jpg".into(),
                "".into()
            ),
            ("https://example.com/news/2022/l.jpg".into(), "".into()),
            ("https://example.com/4.jpg".into(), "图 4：说明".into()),
        ]
    );
    let text = blocks_text(&b);
    no_remnants(&text);
    assert!(text.contains("https://player.example.com/embed/XNTg4MTc="));
    assert!(text.contains("https://example.com/video/clip.mp4"));
    assert!(text.contains("https://example.com/flash.swf"));
    assert!(text.contains("图标之后"), "svg dropped");
    assert!(!text.contains("搜索") && !text.contains("not text"));
    assert!(!text.contains("hm.gif") && !text.contains("noscript.jpg"));
    assert!(b.iter().any(|x| matches!(x, Block::Paragraph { content } if content.iter().any(|i| matches!(i, Inline::Image { image } if image.alt == "😀")))));
    assert_eq!(paragraphs(&b).last().map(String::as_str), Some("结尾"));
}

#[test]
fn misnested_markup_keeps_all_text_in_order() {
    let html = fixture("misnested.html");
    let dom_text: String = parse(&html).text_content().split_whitespace().collect();
    let b = read_with(&html, false);
    let model_text: String = blocks_text(&b).split_whitespace().collect();
    assert_eq!(dom_text.replace("cdataascomment", ""), model_text);
    assert!(model_text.starts_with("一二三四五"));
}

#[test]
fn user_rules_extend_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("rules.toml");
    std::fs::write(
        &path,
        "[[remove]]\ntext = \"本文广告\"\n\n[[remove]]\nclass = \"ad-box\"\n",
    )
    .unwrap_or_default();
    let rules = Rules::load(Some(&path)).unwrap_or_else(|e| panic!("{e}"));
    let ctx = HtmlContext {
        base_url: None,
        keep_all: false,
        rules: &rules,
    };
    let html = "<p>正文</p><p>本文广告：买买买</p><div class=\"x ad-box\">广告框</div><p>尽在新浪财经APP</p>";
    let b = read(html, &ctx, &mut Warnings::new()).unwrap_or_default();
    assert_eq!(paragraphs(&b), ["正文"]);
    std::fs::write(&path, "[[remove]]\nclass = \"a\"\nbogus = 1\n").unwrap_or_default();
    let err = Rules::load(Some(&path))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("rules.toml") && err.contains("line 3"),
        "{err}"
    );
}

#[test]
fn large_and_deep_inputs_finish() {
    let deep = "<div><span><b>".repeat(34_000) + "深处";
    let b = read_with(&deep, false);
    assert_eq!(blocks_text(&b).trim(), "深处");
    let line = "<p>一段文字 with <b>bold</b> &amp; <a href=/x>links</a>。</p>".repeat(20_000);
    let b = read_with(&line, false);
    assert_eq!(b.len(), 20_000);
}

#[test]
fn line_breaks_vanish_between_chinese_and_kana_but_not_between_korean_words() {
    // One script rule (crate::text) for the reader: Hangul is CJK but Korean
    // puts spaces between words, so its line break stays a space.
    let text = paragraphs(&read_with(
        "<p>中文\n段落</p><p>かな\nカナ</p><p>한국어\n문장</p>",
        false,
    ));
    assert_eq!(text, ["中文段落", "かなカナ", "한국어 문장"]);
}
