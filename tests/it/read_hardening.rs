//! Hostile and odd inputs to the readers (issue 9): each case is a
//! regression test named after what broke, asserting a clear error or a
//! correct result.

use std::path::Path;

use conv::read::read_bytes;
use conv::{Options, Warnings};

fn read(bytes: &[u8], name: &str) -> (conv::Result<conv::Document>, Warnings) {
    let mut warnings = Warnings::new();
    let doc = read_bytes(
        bytes,
        Some(Path::new(name)),
        &crate::common::session(&Options::default()),
        &mut warnings,
    );
    (doc, warnings)
}

fn messages(w: &Warnings) -> String {
    w.items()
        .iter()
        .map(|i| i.message.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn cr_only_files_keep_their_front_matter() {
    let (doc, _) = read(
        b"---\rtitle: Old Mac\rtags: [a]\r---\rFirst line.\r\rSecond.\r",
        "a.txt",
    );
    let doc = doc.unwrap();
    assert_eq!(doc.meta.title.as_deref(), Some("Old Mac"));
    assert_eq!(doc.meta.tags, ["a"]);
    assert_eq!(doc.blocks.len(), 2, "{:?}", doc.blocks);
}

#[test]
fn utf16_files_with_and_without_bom_are_decoded() {
    let text = "---\ntitle: 标题\n---\n正文。\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [
        le.clone(),
        be.clone(),
        [&b"\xff\xfe"[..], &le].concat(),
        [&b"\xfe\xff"[..], &be].concat(),
    ] {
        let doc = read(&bytes, "a.txt").0.unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("标题"));
    }
}

#[test]
fn nul_bytes_are_removed_from_text_or_refused_in_binary() {
    let (doc, w) = read("---\ntitle: t\0\n---\nbo\0dy\n".as_bytes(), "a.txt");
    let doc = doc.unwrap();
    assert_eq!(doc.meta.title.as_deref(), Some("t"));
    assert!(messages(&w).contains("NUL"));
    let (err, _) = read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\xfd", "a.txt");
    assert!(err.unwrap_err().to_string().contains("not text"));
}

#[test]
fn invalid_utf8_in_every_position_never_panics() {
    let text = "---\ntitle: 中文标题\ndate: 2020-01-01\n---\n这是一个中文的文章，我们说的是国家的发展。\n\n第二段。\n";
    for at in 0..=text.len() {
        for bad in [0xffu8, 0x80, 0xc3] {
            let mut bytes = text.as_bytes().to_vec();
            bytes.insert(at, bad);
            // A clear result either way; no panic.
            if let Ok(doc) = read(&bytes, "a.txt").0 {
                assert!(!doc.blocks.is_empty(), "{at}");
            }
        }
    }
}

#[test]
fn yaml_alias_bomb_in_front_matter_is_read_leniently_with_a_warning() {
    let mut front =
        String::from("title: Bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..14 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        front.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let text = format!("---\n{front}---\nbody\n");
    let (doc, w) = read(text.as_bytes(), "a.txt");
    assert_eq!(doc.unwrap().meta.title.as_deref(), Some("Bomb"));
    assert!(messages(&w).contains("more than"), "{}", messages(&w));
}

#[test]
fn odd_dates_do_not_reach_the_typed_date() {
    let (doc, w) = read(
        b"---\ntitle: t\nupdated: -5000-01-01\ndate: 0000-01-01\n---\nbody\n",
        "a.txt",
    );
    let doc = doc.unwrap();
    assert!(doc.meta.date.is_none() && doc.meta.updated.is_none());
    assert!(doc.meta.extra.contains_key("updated"));
    assert_eq!(w.items().len(), 2, "{}", messages(&w));
}

#[test]
fn leap_second_in_a_toml_date_is_clamped() {
    let (doc, _) = read(
        b"+++\ntitle = \"t\"\ndate = 2016-12-31T23:59:60Z\n+++\nbody\n",
        "a.md",
    );
    let date = doc.unwrap().meta.date.unwrap();
    assert_eq!(date.iso.as_deref(), Some("2016-12-31T23:59:59Z"));
}

#[test]
fn control_characters_in_front_matter_are_not_passed_through() {
    let (doc, _) = read(
        b"---\ntitle: \"evil\\e]0;pwned\\a title\"\nauthor: \"a\\x01b\"\n---\nbody\n",
        "a.txt",
    );
    let doc = doc.unwrap();
    assert_eq!(doc.meta.title.as_deref(), Some("evil]0;pwned title"));
    assert_eq!(doc.meta.authors, ["ab"]);
}

#[test]
fn html_entities_in_front_matter_title_are_decoded() {
    let (doc, _) = read(
        "---\ntitle: js中__、&#123;&#125;、()的区别\n---\nbody\n".as_bytes(),
        "a.txt",
    );
    assert_eq!(
        doc.unwrap().meta.title.as_deref(),
        Some("js中__、{}、()的区别")
    );
}

#[test]
fn conv_json_with_multibyte_text_at_byte_200_reads_back() {
    for pad in 0..4 {
        let title = format!("{}{}", "a".repeat(pad), "中".repeat(120));
        let json = format!(
            "{{\"conv_schema\": \"1.0\", \"meta\": {{\"title\": \"{title}\"}}, \"blocks\": []}}"
        );
        let doc = read(json.as_bytes(), "a.json").0.unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some(title.as_str()));
        // Text that is not conv's JSON, with a CJK character across byte 200.
        let text = format!("{{{title}");
        read(text.as_bytes(), "a.txt").0.unwrap();
    }
}

#[test]
fn conv_bundle_json_reads_back_with_its_articles() {
    let json = r#"{"conv_schema": "1.0", "meta": {"title": "Book"}, "sections": [{"title": "S",
        "articles": [{"meta": {"title": "A"}, "blocks": [{"type": "paragraph", "content": [{"type": "text", "text": "x"}]}]}]}]}"#;
    let doc = read(json.as_bytes(), "b.json").0.unwrap();
    assert_eq!(doc.meta.title.as_deref(), Some("Book"));
    assert_eq!(conv::model::blocks_text(&doc.blocks), "S\nA\nx\n");
}
