//! Warnings point at line:column of the *decoded* text (issue 10, item 4):
//! a GB18030 file, a UTF-8 file with a byte-order mark and a file with CRLF
//! line ends each get the position a user's editor shows, from the front
//! matter, the HTML reader and the Markdown reader, in the library and on
//! the command line (`conv: FILE:LINE:COL: warning: …`).

use std::path::Path;

use assert_cmd::Command;
use conv::read::read_bytes;
use conv::{Options, Warnings};

fn read(bytes: &[u8], name: &str) -> Warnings {
    let mut warnings = Warnings::new();
    read_bytes(
        bytes,
        Some(Path::new(name)),
        &crate::common::session(&Options::default()),
        &mut warnings,
    )
    .expect("read");
    warnings
}

/// The position of the one warning whose message contains `what`.
fn position(w: &Warnings, what: &str) -> Option<(usize, usize)> {
    let found: Vec<_> = w
        .items()
        .iter()
        .filter(|i| i.message.contains(what))
        .collect();
    assert_eq!(found.len(), 1, "{:?}", w.items());
    found[0].line_column()
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// Common Chinese words, so the decoder picks GB18030 for the bytes.
const CHINESE: &str = "我们的国家是一个有人民的大国，这就是中国的时代";

/// Front matter whose YAML breaks on line 3 at the second `:` (column 6),
/// after Chinese characters on that line (two bytes each in GB18030, three
/// in UTF-8, one column each).
fn bad_yaml_article(line_end: &str) -> String {
    [
        "---",
        &format!("title: {CHINESE}"),
        "标签: 一: 二",
        "---",
        CHINESE,
        "",
    ]
    .join(line_end)
}

#[test]
fn gb18030_front_matter_warning_points_at_the_yaml_error() {
    let w = read(&gb18030(&bad_yaml_article("\n")), "a.md");
    assert_eq!(
        position(&w, "not valid YAML"),
        Some((3, 6)),
        "{:?}",
        w.items()
    );
}

#[test]
fn gb18030_html_warning_points_at_the_tag() {
    let text = format!("<p>{CHINESE}</p>\n<p>{CHINESE}<img src=\"\">后</p>\n");
    let w = read(&gb18030(&text), "a.html");
    let column = CHINESE.chars().count() + 4;
    assert_eq!(position(&w, "image without"), Some((2, column)));
}

#[test]
fn gb18030_markdown_warning_points_at_the_image() {
    let text = format!("---\ntitle: 题\n---\n{CHINESE}\n\n中文![图]()后\n");
    let w = read(&gb18030(&text), "a.md");
    assert_eq!(position(&w, "image without"), Some((6, 3)));
}

#[test]
fn utf8_bom_is_not_a_column() {
    let text = "\u{feff}<p>ab<img src=\"\"></p>\n";
    let w = read(text.as_bytes(), "a.html");
    assert_eq!(position(&w, "image without"), Some((1, 6)));
    let text = "\u{feff}---\ntitle: t\n---\n![x]() and\n";
    let w = read(text.as_bytes(), "a.md");
    assert_eq!(position(&w, "image without"), Some((4, 1)));
}

#[test]
fn crlf_line_ends_count_once() {
    let crlf = bad_yaml_article("\r\n");
    let lf = bad_yaml_article("\n");
    let at_crlf = position(&read(crlf.as_bytes(), "a.md"), "not valid YAML");
    let at_lf = position(&read(lf.as_bytes(), "a.md"), "not valid YAML");
    assert_eq!(at_crlf, at_lf);
    assert_eq!(at_crlf.map(|p| p.0), Some(3));
    let text = "---\r\ntitle: t\r\n---\r\nline\r\n\r\n甲乙![x]()\r\n";
    let w = read(text.as_bytes(), "a.md");
    assert_eq!(position(&w, "image without"), Some((6, 3)));
}

#[test]
fn html_inside_markdown_points_at_its_block() {
    let text = "# T\n\npara\n\n<div>\n<p>x</p><img src=\"\">\n</div>\n";
    let w = read(text.as_bytes(), "a.md");
    assert_eq!(position(&w, "image without"), Some((5, 1)));
}

#[test]
fn front_matter_offsets_count_in_the_body_position() {
    // The same HTML body after a front matter: the warning's line moves by
    // the front matter's lines.
    let body = "<p>x</p>\n<p><img src=\"\"></p>\n";
    let text = format!("---\ntitle: t\n---\n{body}");
    let w = read(text.as_bytes(), "a.html");
    assert_eq!(position(&w, "image without"), Some((5, 4)));
}

#[test]
fn a_page_s_article_warnings_have_no_position_rather_than_a_wrong_one() {
    // A whole page is read through its serialised article, which is not
    // the file: a position there would point at the wrong place.
    let text = "<!DOCTYPE html><html><head><title>T</title></head><body><article>\
        <p>Enough words here to be the article body of this page.</p>\
        <p>More words.<img src=\"\"></p></article></body></html>";
    let w = read(text.as_bytes(), "a.html");
    for item in w.items() {
        assert_eq!(item.line_column(), None, "{item:?}");
    }
}

#[test]
fn cli_prints_file_line_column_for_a_gb18030_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("gbk.md");
    std::fs::write(&input, gb18030(&bad_yaml_article("\n"))).unwrap();
    let out = Command::cargo_bin("conv")
        .unwrap()
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("gbk.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let w = read(&gb18030(&bad_yaml_article("\n")), "gbk.md");
    let (line, column) = position(&w, "not valid YAML").unwrap();
    let expected = format!("conv: {}:{line}:{column}: warning: ", input.display());
    assert!(stderr.contains(&expected), "{expected} not in:\n{stderr}");
}

#[test]
fn gb18030_toml_error_gives_the_decoded_line_and_column() {
    let text = format!("+++\ntitle = \"{CHINESE}\"\n标签 = 一\n+++\n{CHINESE}\n");
    let err = read_bytes(
        &gb18030(&text),
        Some(Path::new("a.md")),
        &crate::common::session(&Options::default()),
        &mut Warnings::new(),
    )
    .expect_err("bad TOML is fatal")
    .to_string();
    assert!(err.contains("line 3, column 1"), "{err}");
}
