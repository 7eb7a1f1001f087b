//! Hostile HTML, generated: every case finishes (in time linear in its
//! size; figures in benches/html.rs), keeps the text it can, says where it
//! cut, and lets no script, frame, form or unsafe URL into the model.

use conv::model::{blocks_text, Block, Inline};
use conv::read::html::{read, HtmlContext, Rules};
use conv::Warnings;

fn read_all(html: &str, keep_all: bool) -> (Vec<Block>, Vec<String>) {
    let rules = Rules::builtin();
    let ctx = HtmlContext {
        base_url: Some("https://example.com/a/b.html"),
        keep_all,
        rules: &rules,
    };
    let mut warnings = Warnings::new();
    let blocks = read(html, &ctx, &mut warnings).unwrap_or_default();
    let messages = warnings.items().iter().map(|w| w.message.clone()).collect();
    (blocks, messages)
}

/// Deepest block nesting (quotes, lists, tables) of `blocks`, without recursion.
fn block_depth(blocks: &[Block]) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&[Block], usize)> = vec![(blocks, 0)];
    while let Some((run, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for b in run {
            match b {
                Block::BlockQuote { blocks } => stack.push((blocks, depth + 1)),
                Block::List { items, .. } => items.iter().for_each(|i| stack.push((i, depth + 1))),
                Block::Table(t) => t
                    .head
                    .iter()
                    .chain(&t.body)
                    .flatten()
                    .for_each(|c| stack.push((&c.blocks, depth + 1))),
                _ => {}
            }
        }
    }
    deepest
}

/// Deepest inline nesting of a run, without recursion.
fn inline_depth(inlines: &[Inline]) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(inlines, 0)];
    while let Some((run, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for i in run {
            match i {
                Inline::Emphasis { content }
                | Inline::Strong { content }
                | Inline::Strikeout { content }
                | Inline::Superscript { content }
                | Inline::Subscript { content }
                | Inline::Link { content, .. } => stack.push((content, depth + 1)),
                _ => {}
            }
        }
    }
    deepest
}

#[test]
fn hundred_thousand_nested_divs_keep_their_text() {
    let html = "<div>".repeat(100_000) + "deep text";
    let (blocks, _) = read_all(&html, false);
    assert_eq!(blocks_text(&blocks).trim(), "deep text");
}

#[test]
fn hundred_thousand_nested_quotes_are_flattened_with_a_warning() {
    // Two columns: a one-column table is layout and flattens anyway.
    for tag in ["blockquote", "ul><li", "table><tr><td>c</td><td"] {
        let html = format!("<{tag}>").repeat(100_000) + "deep text";
        let (blocks, warnings) = read_all(&html, false);
        assert!(blocks_text(&blocks).contains("deep text"), "{tag}");
        let depth = block_depth(&blocks);
        assert!((1..=8).contains(&depth), "{tag}: depth {depth}");
        assert!(
            warnings.iter().any(|w| w.contains("nested deeper")),
            "{tag}: {warnings:?}"
        );
    }
}

#[test]
fn twelve_nested_quotes_become_eight() {
    let html = "<blockquote>".repeat(12) + "q" + &"</blockquote>".repeat(12) + "<p>after</p>";
    let (blocks, warnings) = read_all(&html, false);
    assert_eq!(block_depth(&blocks), 8);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(blocks_text(&blocks).contains('q'));
    assert!(matches!(blocks.last(), Some(Block::Paragraph { .. })));
}

#[test]
fn hundred_thousand_nested_bold_runs_stay_shallow() {
    let html = "<b><i><a href=\"https://x.org/\">".repeat(33_000) + "deep";
    let (blocks, _) = read_all(&html, false);
    let Some(Block::Paragraph { content }) = blocks.first() else {
        panic!("{blocks:?}")
    };
    assert!(inline_depth(content) <= 33, "{}", inline_depth(content));
    assert_eq!(blocks_text(&blocks).trim(), "deep");
}

#[test]
fn ten_megabyte_attributes_are_read_and_not_copied_into_links() {
    let big = "a".repeat(10 << 20);
    let html = format!(
        "<p title=\"{big}\" class=\"{big}\">x <a href=\"https://e.org/{big}\">link</a></p>"
    );
    let (blocks, _) = read_all(&html, false);
    assert_eq!(blocks_text(&blocks).trim(), "x link");
    let json = serde_json::to_string(&blocks).unwrap_or_default();
    assert!(json.len() < 1000, "{} bytes", json.len());
}

#[test]
fn a_million_tiny_elements_make_one_paragraph() {
    let html = "<span>a</span>".repeat(1_000_000);
    let (blocks, _) = read_all(&html, false);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks_text(&blocks).trim().len(), 1_000_000);
}

#[test]
fn ten_thousand_column_table() {
    let row = format!("<tr>{}</tr>", "<td>c</td>".repeat(10_000));
    let html = format!("<table>{row}{row}</table>");
    let (blocks, _) = read_all(&html, false);
    let Some(Block::Table(t)) = blocks.first() else {
        panic!("no table")
    };
    assert_eq!(t.body.len(), 2);
    assert!(t.body.iter().all(|r| r.len() == 10_000));
}

#[test]
fn unterminated_comment_cdata_and_script_swallow_only_themselves() {
    for (html, hidden) in [
        ("<p>before</p><!-- never closed <p>secret", "secret"),
        (
            "<p>before</p><svg><![CDATA[ never closed <p>secret",
            "secret",
        ),
        ("<p>before</p><script>var secret = 1; <p>x", "secret"),
        ("<p>before</p><style>p { secret: 1 }", "secret"),
        ("<p>before</p><textarea>secret", "secret"),
        ("<p>before</p><iframe>secret", "secret"),
    ] {
        let (blocks, _) = read_all(html, false);
        let text = blocks_text(&blocks);
        assert!(text.contains("before"), "{html}: {text}");
        assert!(!text.contains(hidden), "{html}: {text}");
    }
}

#[test]
fn svg_and_mathml_content() {
    let html = concat!(
        "<p>a<svg><g><script>alert(1)</script><foreignObject><p>fo</p></foreignObject>",
        "<text>label</text></g></svg>b</p><math><mi>x</mi><mo>=</mo><mn>1</mn></math>",
        "<p>end</p>"
    );
    let (blocks, _) = read_all(html, false);
    let text = blocks_text(&blocks);
    assert!(!text.contains("alert"), "{text}");
    assert!(text.contains('a') && text.contains("end"), "{text}");
    assert!(text.contains("x=1"), "{text}");
    // Deep foreign content is bounded like HTML.
    let deep = "<svg>".to_string() + &"<g>".repeat(100_000) + "</svg><p>after</p>";
    let (blocks, _) = read_all(&deep, false);
    assert!(blocks_text(&blocks).contains("after"));
}

/// What must never reach the model from a page, with or without clean-up.
const UNSAFE: &[&str] = &[
    "javascript",
    "vbscript",
    "data:text",
    "file:",
    "alert",
    "onerror",
    "onclick",
    "evil",
];

#[test]
fn no_script_frame_form_or_unsafe_url_reaches_the_model() {
    let html = concat!(
        "<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
        "<link rel=\"stylesheet\" href=\"https://evil.example/s.css\"><style>@import 'evil';</style>",
        "<p onclick=\"alert(1)\">text <a href=\"javascript:alert(1)\">js</a> ",
        "<a href=\"java&#x09;script:alert(1)\">tab</a> <a href=\" JAVASCRIPT:alert(1)\">caps</a> ",
        "<a href=\"vbscript:msgbox\">vb</a> <a href=\"data:text/html,<script>alert(1)</script>\">data</a> ",
        "<a href=\"file:///etc/passwd\">file</a> <a href=\"https://ok.example/\">ok</a></p>",
        "<img src=\"javascript:alert(1)\" alt=\"i1\"><img src=\"x.png\" onerror=\"alert(1)\" alt=\"i2\">",
        "<img src=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\" alt=\"i3\">",
        "<img src=\"file:///etc/evil.png\" alt=\"i4\">",
        "<iframe src=\"javascript:alert(1)\"></iframe><iframe src=\"data:text/html,evil\"></iframe>",
        "<object data=\"file:///evil.swf\"></object><embed src=\"vbscript:evil\">",
        "<form action=\"https://evil.example/\"><input name=\"evil\" value=\"evil\"><button>Send</button></form>",
        "<script>alert(1)</script><noscript>evil</noscript>"
    );
    for keep_all in [false, true] {
        let (blocks, _) = read_all(html, keep_all);
        let json = serde_json::to_string(&blocks)
            .unwrap_or_default()
            .to_lowercase();
        for bad in UNSAFE {
            assert!(!json.contains(bad), "keep_all={keep_all}: {bad} in {json}");
        }
        assert!(json.contains("https://ok.example/"), "{json}");
        assert!(json.contains("x.png"), "{json}");
        assert!(
            json.contains("text js tab caps vb data file"),
            "link text stays: {json}"
        );
    }
}

#[test]
fn web_embeds_stay_as_links() {
    let (blocks, _) = read_all(
        "<iframe src=\"https://player.example/v/1\"></iframe>",
        false,
    );
    let json = serde_json::to_string(&blocks).unwrap_or_default();
    assert!(json.contains("https://player.example/v/1"), "{json}");
}
