//! Front matter: every form the splitter recognises, and errors that name
//! the line:column in the file.

use conv::read::frontmatter::{split, Kind};
use conv::read::read_str;
use conv::{Error, Options, Warnings};

/// (name, input, expected kind, expected raw block, expected body).
const SPLITS: &[(&str, &str, Option<Kind>, &str, &str)] = &[
    (
        "yaml",
        "---\ntitle: a\n---\nbody\n",
        Some(Kind::Yaml),
        "title: a\n",
        "body\n",
    ),
    (
        "bom and blank lines",
        "\u{feff}\n  \n---\ntitle: a\n---\n\nbody",
        Some(Kind::Yaml),
        "title: a\n",
        "\nbody",
    ),
    (
        "crlf",
        "\r\n---\r\ntitle: a\r\n---\r\nbody\r\n",
        Some(Kind::Yaml),
        "title: a\r\n",
        "body\r\n",
    ),
    (
        "yaml closed by ...",
        "---\ntitle: a\n...\nbody",
        Some(Kind::Yaml),
        "title: a\n",
        "body",
    ),
    ("empty yaml", "---\n---\nbody", Some(Kind::Yaml), "", "body"),
    (
        "lone carriage return inside",
        "---\ntitle: a\rb\n---\nbody",
        Some(Kind::Yaml),
        "title: a\rb\n",
        "body",
    ),
    (
        "fence at end of input",
        "---\ntitle: a\n---",
        Some(Kind::Yaml),
        "title: a\n",
        "",
    ),
    (
        "toml",
        "+++\ntitle = \"a\"\n+++\nbody",
        Some(Kind::Toml),
        "title = \"a\"\n",
        "body",
    ),
    (
        "json between ;;; fences",
        ";;;\n{\"title\": \"a\"}\n;;;\nbody",
        Some(Kind::Json),
        "{\"title\": \"a\"}\n",
        "body",
    ),
    (
        "hexo json without opening fence",
        "\"title\": \"a\",\n\"date\": \"2013/7/13 20:46:25\"\n;;;\nbody",
        Some(Kind::Json),
        "\"title\": \"a\",\n\"date\": \"2013/7/13 20:46:25\"\n",
        "body",
    ),
    (
        "leading json object",
        "{\"title\": \"a {b}\", \"tags\": [\"x\"]}\nbody",
        Some(Kind::Json),
        "{\"title\": \"a {b}\", \"tags\": [\"x\"]}",
        "body",
    ),
    (
        "hexo yaml without opening fence",
        "title: a\ndate: 2020/5/1\ntags:\n- x\n  - y\n---\nbody",
        Some(Kind::Yaml),
        "title: a\ndate: 2020/5/1\ntags:\n- x\n  - y\n",
        "body",
    ),
    (
        "no front matter",
        "just text\n\nmore",
        None,
        "",
        "just text\n\nmore",
    ),
    ("bom only", "\u{feff}<p>x</p>", None, "", "<p>x</p>"),
    (
        "prose before a rule is not front matter",
        "Note: this is prose.\nAnd more prose.\n---\nbody",
        None,
        "",
        "Note: this is prose.\nAnd more prose.\n---\nbody",
    ),
    (
        "markdown rule first is not front matter",
        "---\n\nSome text\n",
        None,
        "",
        "---\n\nSome text\n",
    ),
    (
        "hexo tag is not json",
        "{% raw %}\nx\n{% endraw %}\n",
        None,
        "",
        "{% raw %}\nx\n{% endraw %}\n",
    ),
];

#[test]
fn every_form_splits() {
    for (name, input, kind, raw, body) in SPLITS {
        let split = split(input).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(split.front.map(|f| f.kind), *kind, "{name}: kind");
        if let Some(front) = split.front {
            assert_eq!(front.raw, *raw, "{name}: raw");
            assert_eq!(
                &input[front.offset..front.offset + raw.len()],
                *raw,
                "{name}: offset"
            );
        }
        assert_eq!(split.body, *body, "{name}: body");
        assert_eq!(&input[split.body_offset..], *body, "{name}: body offset");
    }
}

fn read(text: &str) -> (conv::Result<conv::Document>, Warnings) {
    let mut warnings = Warnings::new();
    let doc = read_str(
        text,
        None,
        &crate::common::session(&Options::default()),
        &mut warnings,
    );
    (doc, warnings)
}

fn front_matter_error(text: &str) -> (&'static str, usize, usize, String) {
    match read(text).0 {
        Err(Error::FrontMatter {
            format,
            line,
            column,
            message,
        }) => (format, line, column, message),
        other => panic!("expected a front matter error for {text:?}, got {other:?}"),
    }
}

#[test]
fn errors_name_the_line_and_column_in_the_file() {
    // (input, format, line, column)
    let cases: &[(&str, &str, usize, usize)] = &[
        // TOML: `bad = ` has no value; line 4 of the file, not line 2 of the block.
        ("\n+++\ntitle = \"a\"\nbad = \n+++\nbody", "TOML", 4, 7),
        // An unclosed array is noticed where the block ends (the fence line).
        (
            "+++\r\ntitle = \"a\"\r\nx = [1,\r\n+++\r\nbody",
            "TOML",
            4,
            1,
        ),
        // JSON: the bad value `x` on line 3.
        (";;;\n{\"a\": 1,\n\"b\": x}\n;;;\nbody", "JSON", 3, 6),
        ("\n\"a\": 1,\n\"b\": x\n;;;\nbody", "JSON", 3, 6),
        ("\n\n{\"a\": 1, \"b\": tru}\nbody", "JSON", 3, 18),
    ];
    for (input, format, line, column) in cases {
        let got = front_matter_error(input);
        assert!(!got.3.contains('\n'), "one-line message: {:?}", got.3);
        assert_eq!(
            (got.0, got.1, got.2),
            (*format, *line, *column),
            "{input:?}: {}",
            got.3
        );
    }
}

#[test]
fn unclosed_fence_is_an_error_at_the_opening_fence() {
    let (format, line, column, message) =
        front_matter_error("\n\n---\ntitle: a\nno closing fence\n");
    assert_eq!((format, line, column), ("YAML", 3, 1));
    assert!(message.contains("never closed"), "{message}");
    let (format, line, _, _) = front_matter_error("+++\ntitle = 1\n");
    assert_eq!((format, line), ("TOML", 1));
}

#[test]
fn invalid_yaml_falls_back_with_a_warning_giving_the_file_position() {
    let text = "\n---\ntitle: \"\"\"\"'Quoted'\"\"\"\"\nauthor: me\n---\nbody";
    let (doc, warnings) = read(text);
    let doc = doc.expect("lenient reading never fails");
    assert_eq!(doc.meta.title.as_deref(), Some("Quoted"));
    assert_eq!(doc.meta.authors, ["me"]);
    assert_eq!(warnings.items().len(), 1);
    let warning = &warnings.items()[0].message;
    assert!(warning.contains("line 3"), "{warning}");
    assert!(warning.contains("leniently"), "{warning}");
}

#[test]
fn every_form_gives_the_same_metadata() {
    let forms = [
        "---\ntitle: T\ntags: [a, b]\n---\nbody",
        "title: T\ntags:\n  - a\n  - b\n---\nbody",
        "+++\ntitle = \"T\"\ntags = [\"a\", \"b\"]\n+++\nbody",
        ";;;\n{\"title\": \"T\", \"tags\": [\"a\", \"b\"]}\n;;;\nbody",
        "\"title\": \"T\",\n\"tags\": [\"a\", \"b\"]\n;;;\nbody",
        "{\"title\": \"T\", \"tags\": [\"a\", \"b\"]}\nbody",
        "\r\n---\r\ntitle: T\r\ntags:\r\n- a\r\n- b\r\n---\r\nbody\r\n",
        "\u{feff}---\ntitle: T\ntags: [a, b]\n---\nbody",
    ];
    for form in forms {
        let (doc, warnings) = read(form);
        let doc = doc.unwrap_or_else(|e| panic!("{form:?}: {e}"));
        assert_eq!(doc.meta.title.as_deref(), Some("T"), "{form:?}");
        assert_eq!(doc.meta.tags, ["a", "b"], "{form:?}");
        assert!(warnings.is_empty(), "{form:?}: {:?}", warnings.items());
    }
}

#[test]
fn conv_json_model_is_not_front_matter() {
    let model = r#"{"conv_schema": "1.0", "meta": {"title": "M"}, "blocks": []}"#;
    let (doc, _) = read(model);
    assert_eq!(doc.unwrap().meta.title.as_deref(), Some("M"));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that front matter and bodies are made of, shuffled together.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("---\n".to_string()),
            Just("+++\r\n".to_string()),
            Just(";;;\n".to_string()),
            Just("...\n".to_string()),
            Just("\u{feff}".to_string()),
            Just("{\"a\": ".to_string()),
            Just("}\n".to_string()),
            Just("title: '\"\"\"x\n".to_string()),
            Just("date: Mon, 19 Jan 1970\n".to_string()),
            Just("categories:\n - [a, [b]]\n".to_string()),
            Just("thumbnail:\n".to_string()),
            Just("<p>中文</p>\n".to_string()),
            Just("# h\n".to_string()),
            "[ -~\n\r\u{3000}-\u{30ff}]{0,12}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn reading_front_matter_soup(parts in proptest::collection::vec(piece(), 0..12)) {
            let text = parts.concat();
            let mut warnings = Warnings::new();
            // Errors are fine; panics are not. A split leaves the body as a
            // suffix of the text, and a read article always has a language.
            if let Ok(split) = split(&text) {
                prop_assert_eq!(&text[split.body_offset..], split.body);
            }
            if let Ok(doc) = read_str(&text, None, &crate::common::session(&Options::default()), &mut warnings) {
                prop_assert!(doc.meta.language.is_some());
            }
        }

        #[test]
        fn reading_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let mut warnings = Warnings::new();
            match conv::read::read_bytes(&bytes, None, &crate::common::session(&Options::default()), &mut warnings) {
                Ok(doc) => prop_assert!(doc.meta.language.is_some()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}
