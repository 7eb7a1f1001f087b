//! conv's JSON form round-trips (issue 9, Acceptance 1): `conv X -o X.json
//! && conv X.json -o X2.txt` gives what `conv X -o X2.txt` gives, for every
//! sample and for generated documents with multibyte text at every offset
//! (the JSON sniffing once sliced byte 200 inside a CJK character).

use crate::common::WriteIn;
use std::path::{Path, PathBuf};

use crate::common::samples;
use conv::model::{Block, Document, Image, Inline, Metadata};
use conv::write::{json::JsonWriter, txt::TextWriter, Writer};
use conv::{Options, Warnings};
use proptest::prelude::*;

fn opts(_base: Option<&Path>) -> Options {
    Options {
        offline: true,
        ..Options::default()
    }
}

fn convert(bytes: &[u8], hint: &Path, writer: &dyn Writer, opts: &Options) -> Vec<u8> {
    let session = crate::common::session(opts);
    conv::convert::convert_bytes(
        bytes,
        Some(hint),
        hint.parent(),
        writer,
        &session,
        &mut Warnings::new(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", hint.display()))
}

#[test]
fn every_sample_round_trips_through_json_to_the_same_text() {
    for sample in samples() {
        let opts = opts(sample.parent());
        let bytes = std::fs::read(&sample).unwrap();
        let direct = convert(&bytes, &sample, &TextWriter, &opts);
        let json = convert(&bytes, &sample, &JsonWriter, &opts);
        let json_path = PathBuf::from(format!("{}.json", sample.display()));
        let again = convert(&json, &json_path, &TextWriter, &opts);
        assert_eq!(
            String::from_utf8_lossy(&again),
            String::from_utf8_lossy(&direct),
            "{}",
            sample.display()
        );
    }
}

/// Text mixing one-, two-, three- and four-byte characters, so that any
/// byte offset (200 among them) falls inside a character in some case.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec!['a', ' ', 'é', '中', '文', '😀', '"', '\\']),
        0..90,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn inline() -> BoxedStrategy<Inline> {
    let leaf = prop_oneof![
        text().prop_map(Inline::text),
        text().prop_map(|code| Inline::Code { code }),
        Just(Inline::LineBreak),
        (text(), text()).prop_map(|(src, alt)| Inline::Image {
            image: Image {
                src,
                alt,
                title: None
            }
        }),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        let content = proptest::collection::vec(inner, 0..3);
        prop_oneof![
            content
                .clone()
                .prop_map(|content| Inline::Strong { content }),
            content
                .clone()
                .prop_map(|content| Inline::Emphasis { content }),
            (text(), content).prop_map(|(url, content)| Inline::Link {
                url,
                title: None,
                content
            }),
        ]
    })
    .boxed()
}

fn block() -> impl Strategy<Value = Block> {
    let inlines = proptest::collection::vec(inline(), 0..4);
    let leaf = prop_oneof![
        inlines
            .clone()
            .prop_map(|content| Block::Paragraph { content }),
        (1u8..=6, inlines).prop_map(|(level, content)| Block::Heading { level, content }),
        (proptest::option::of(text()), text())
            .prop_map(|(language, code)| Block::CodeBlock { language, code }),
        Just(Block::Rule),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3)
                .prop_map(|blocks| Block::BlockQuote { blocks }),
            (
                any::<bool>(),
                0u64..5,
                proptest::collection::vec(proptest::collection::vec(inner, 0..2), 0..3)
            )
                .prop_map(|(ordered, start, items)| Block::List {
                    ordered,
                    start,
                    items
                }),
        ]
    })
}

fn document() -> impl Strategy<Value = Document> {
    (
        proptest::option::of(text()),
        proptest::collection::vec(text(), 0..3),
        proptest::option::of(text()),
        proptest::collection::vec(block(), 0..5),
    )
        .prop_map(|(title, tags, description, blocks)| Document {
            meta: Metadata {
                title,
                tags,
                description,
                language: Some("zh".into()),
                ..Metadata::default()
            },
            blocks,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    /// The model read back from its JSON is the model written, and its text
    /// is the same text.
    #[test]
    fn generated_documents_round_trip_through_json(doc in document()) {
        let opts = opts(None);
        let mut warnings = Warnings::new();
        let json = JsonWriter.write_in(&doc, &opts, None, &mut warnings).unwrap();
        let back = conv::read::read_bytes(&json, Some(Path::new("a.json")), &crate::common::session(&opts), &mut warnings).unwrap();
        prop_assert_eq!(&back, &doc);
        // Without the path hint, detection finds the JSON form too.
        let sniffed = conv::read::read_bytes(&json, None, &crate::common::session(&opts), &mut warnings).unwrap();
        prop_assert_eq!(&sniffed, &doc);
        let direct = TextWriter.write_in(&doc, &opts, None, &mut warnings).unwrap();
        let again = TextWriter.write_in(&back, &opts, None, &mut warnings).unwrap();
        prop_assert_eq!(direct, again);
    }
}

/// Regression (fuzz, write_json: 5 crashes, one cause): a model nested
/// past serde_json's 128 levels (60 block quotes are 123, with a strong
/// and an emphasis inside, more) was written as JSON that conv could not
/// read back. conv's HTML reader flattens nesting well before that, but
/// the JSON reader now reads what the writer writes, up to 512 levels.
#[test]
fn model_nested_past_serde_json_limit_round_trips_through_json() {
    let mut blocks = vec![Block::Paragraph {
        content: vec![Inline::Strong {
            content: vec![Inline::Emphasis {
                content: vec![Inline::Text {
                    text: "deep 深".into(),
                }],
            }],
        }],
    }];
    for _ in 0..60 {
        blocks = vec![Block::BlockQuote { blocks }];
    }
    let doc = Document {
        meta: Metadata::default(),
        blocks,
    };
    let session = crate::common::session(&opts(None));
    let json =
        conv::convert::write_document(&doc, None, &JsonWriter, &session, &mut Warnings::new())
            .unwrap();
    assert!(conv::read::json::too_deep_at(&json, 128).is_some());
    let back = conv::read::json::read(std::str::from_utf8(&json).unwrap()).unwrap();
    assert_eq!(back, doc);
}
