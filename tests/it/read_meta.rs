//! Metadata normalisation: titles, authors, dates, categories, cover,
//! language, source URL, description and the `extra` map.

use std::path::Path;

use conv::model::{DateValue, Metadata};
use conv::read::read_str;
use conv::{Options, Warnings};
use serde_json::json;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/read")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Metadata of `text` and the warnings reading it gave.
fn meta_of(text: &str) -> (Metadata, Warnings) {
    let mut warnings = Warnings::new();
    let doc = read_str(
        text,
        None,
        &crate::common::session(&Options::default()),
        &mut warnings,
    )
    .unwrap_or_else(|e| panic!("{text:?}: {e}"));
    (doc.meta, warnings)
}

fn meta(text: &str) -> Metadata {
    meta_of(text).0
}

fn date(raw: &str, iso: Option<&str>) -> Option<DateValue> {
    Some(DateValue {
        raw: raw.to_string(),
        iso: iso.map(str::to_string),
    })
}

#[test]
fn seed_like_article() {
    let (m, warnings) = meta_of(&fixture("seed_like.txt"));
    assert!(warnings.is_empty(), "{:?}", warnings.items());
    assert_eq!(
        m.title.as_deref(),
        Some("省委会议：采取更有力措施，做好防控工作")
    );
    assert_eq!(m.categories, ["金融", "示例财经", "示例财经－国內"]);
    assert_eq!(m.authors, ["示例财经"]);
    assert_eq!(
        m.date,
        date(
            "Mon, 14 Feb 2022 07:02:16 GMT",
            Some("2022-02-14T07:02:16Z")
        )
    );
    assert_eq!(
        m.cover.as_deref(),
        Some("https://img.example.cn/finance/2020/cover.png")
    );
    assert_eq!(m.language.as_deref(), Some("zh"));
    // `thumbnail` repeats the cover and is not kept twice; `comments` is kept.
    assert_eq!(m.extra.len(), 1, "{:?}", m.extra);
    assert_eq!(m.extra["comments"], json!(false));
}

#[test]
fn quote_runs_title_is_read_leniently() {
    let (m, warnings) = meta_of(&fixture("quote_runs.txt"));
    assert_eq!(m.title.as_deref(), Some("Linus 警告不要用 Linux 5.12-rc1"));
    assert_eq!(m.categories, ["传统媒体", "示例 - 最新消息"]);
    assert_eq!(m.authors, ["示例 - 最新消息"]);
    assert_eq!(m.extra["comments"], json!(false));
    assert_eq!(
        m.cover.as_deref(),
        Some("https://img.example.org/0/446/a.jpg")
    );
    assert_eq!(
        m.date.and_then(|d| d.iso).as_deref(),
        Some("2021-03-08T02:32:00Z")
    );
    assert_eq!(warnings.items().len(), 1);
}

#[test]
fn multi_line_title_folds_and_empty_thumbnail_is_dropped() {
    let m = meta(&fixture("multiline_title.txt"));
    assert_eq!(m.title.as_deref(), Some("@someone_ \" 20話😢😢 \""));
    assert_eq!(m.cover, None);
    assert!(!m.extra.contains_key("thumbnail"), "{:?}", m.extra);
}

#[test]
fn lenient_reader_handles_seed_like_broken_front_matter() {
    // A quoted title spanning lines, and a quote run that is not YAML.
    let text = "---\ntitle: '@003_miss_ \"\n20話\n\"'\nauthor: \"\"\"\"'M'\"\"\"\"\nlist:\n - a\n -\n - b\ncomments: false\nthumbnail:\n---\nbody";
    let (m, warnings) = meta_of(text);
    assert_eq!(warnings.items().len(), 1, "{:?}", warnings.items());
    assert_eq!(m.title.as_deref(), Some("@003_miss_ \" 20話 \""));
    assert_eq!(m.authors, ["M"]);
    assert_eq!(m.extra["list"], json!(["a", null, "b"]));
    assert_eq!(m.extra["comments"], json!(false));
    assert_eq!(m.cover, None);
}

#[test]
fn titles() {
    let cases = [
        ("title: 2020", Some("2020")),
        ("title: 1.5", Some("1.5")),
        ("title: \"  spaced\\n  out  \"", Some("spaced out")),
        ("title: >\n  folded\n  lines", Some("folded lines")),
        ("title: |\n  kept\n  lines", Some("kept lines")),
        ("title: ''", None),
        ("title:", None),
        ("title: '\"Polska\"\"'", Some("\"Polska\"\"")),
        ("Title: Upper", Some("Upper")),
    ];
    for (yaml, want) in cases {
        let m = meta(&format!("---\n{yaml}\n---\nbody"));
        assert_eq!(m.title.as_deref(), want, "{yaml}");
    }
}

#[test]
fn authors() {
    let cases: &[(&str, &[&str])] = &[
        ("author: A", &["A"]),
        ("authors: [A, B]", &["A", "B"]),
        ("author:\n  name: A\n  email: a@x", &["A"]),
        ("authors:\n - name: A\n - B\n - ''", &["A", "B"]),
        ("author: ''", &[]),
    ];
    for (yaml, want) in cases {
        assert_eq!(
            meta(&format!("---\n{yaml}\n---\nbody")).authors,
            *want,
            "{yaml}"
        );
    }
}

#[test]
fn dates_keep_raw_and_give_iso() {
    let cases = [
        (
            "date: Mon, 14 Feb 2022 07:02:16 GMT",
            "Mon, 14 Feb 2022 07:02:16 GMT",
            Some("2022-02-14T07:02:16Z"),
        ),
        (
            "date: 2022-02-14T07:02:16Z",
            "2022-02-14T07:02:16Z",
            Some("2022-02-14T07:02:16Z"),
        ),
        (
            "date: 2020-08-17 09:01:29",
            "2020-08-17 09:01:29",
            Some("2020-08-17T09:01:29"),
        ),
        ("date: 2020/5/1", "2020/5/1", Some("2020-05-01")),
        ("date: 2020-05-01", "2020-05-01", Some("2020-05-01")),
        (
            "date: Mon, 19 Jan 1970 10:51:32 GMT",
            "Mon, 19 Jan 1970 10:51:32 GMT",
            None,
        ),
        ("date: Mon, 19 Jan 1970", "Mon, 19 Jan 1970", None),
        ("date: someday", "someday", None),
        ("date: 20200501", "20200501", None),
    ];
    for (yaml, raw, iso) in cases {
        let m = meta(&format!("---\n{yaml}\n---\nbody"));
        assert_eq!(m.date, date(raw, iso), "{yaml}");
    }
    let m = meta("+++\ndate = 1979-05-27T07:32:00-08:00\nupdated = 1979-05-28\n+++\nbody");
    assert_eq!(
        m.date.and_then(|d| d.iso).as_deref(),
        Some("1979-05-27T07:32:00-08:00")
    );
    assert_eq!(m.updated, date("1979-05-28", Some("1979-05-28")));
    let m = meta("---\nlastmod: 2021-01-02\n---\nbody");
    assert_eq!(m.updated.and_then(|d| d.iso).as_deref(), Some("2021-01-02"));
}

#[test]
fn categories_and_tags() {
    let cases: &[(&str, &[&str])] = &[
        ("categories: one", &["one"]),
        ("categories: [a, b]", &["a", "b"]),
        (
            "categories:\n- [Tech, Rust]\n- Notes\n- [Tech, Go]",
            &["Tech", "Rust", "Notes", "Tech", "Go"],
        ),
        (
            "categories:\n    - a\n    - ''\n    -\n    - ' b '",
            &["a", "b"],
        ),
        ("category: c", &["c"]),
        ("categories: 2021", &["2021"]),
    ];
    for (yaml, want) in cases {
        assert_eq!(
            meta(&format!("---\n{yaml}\n---\nbody")).categories,
            *want,
            "{yaml}"
        );
    }
    assert_eq!(meta("---\ntags: [x, '', y]\n---\nb").tags, ["x", "y"]);
    assert_eq!(meta("---\ntag: x\n---\nb").tags, ["x"]);
}

#[test]
fn cover_source_language_description() {
    // (front matter, cover, source URL, language, description)
    type Case<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        (
            "thumbnail: ''\nimage: i.png",
            Some("i.png"),
            None,
            "en",
            None,
        ),
        (
            "headimg: h.png\nthumbnail: t.png",
            Some("h.png"),
            None,
            "en",
            None,
        ),
        ("cover:\nbanner_img: b.png", Some("b.png"), None, "en", None),
        ("image: [x.png, y.png]", Some("x.png"), None, "en", None),
        (
            "link: https://e.com/a\nurl: https://e.com/b",
            None,
            Some("https://e.com/a"),
            "en",
            None,
        ),
        (
            "source: Reuters\npermalink: https://e.com/p",
            None,
            Some("https://e.com/p"),
            "en",
            None,
        ),
        ("permalink: /2020/01/p/", None, None, "en", None),
        ("lang: zh-CN", None, None, "zh-CN", None),
        ("language: ja", None, None, "ja", None),
        ("excerpt: ' short '", None, None, "en", Some("short")),
        ("description: d\nsummary: s", None, None, "en", Some("d")),
    ];
    for (yaml, cover, source, lang, description) in cases {
        let m = meta(&format!("---\n{yaml}\n---\nbody text"));
        assert_eq!(m.cover.as_deref(), *cover, "{yaml}: cover");
        assert_eq!(m.source_url.as_deref(), *source, "{yaml}: source");
        assert_eq!(m.language.as_deref(), Some(*lang), "{yaml}: language");
        assert_eq!(
            m.description.as_deref(),
            *description,
            "{yaml}: description"
        );
    }
}

#[test]
fn other_keys_are_kept_verbatim() {
    let m = meta("---\ntitle: t\ncomments: false\nsticky: 3\nsource: Reuters\nthumbnail: other.png\ncover: c.png\nseries: {name: s, part: 2}\npermalink: /p/\n---\nbody");
    assert_eq!(m.extra["comments"], json!(false));
    assert_eq!(m.extra["sticky"], json!(3));
    assert_eq!(m.extra["source"], json!("Reuters"));
    assert_eq!(m.extra["thumbnail"], json!("other.png"));
    assert_eq!(m.extra["series"], json!({"name": "s", "part": 2}));
    assert_eq!(m.extra["permalink"], json!("/p/"));
    assert_eq!(m.extra.len(), 6, "{:?}", m.extra);
}

#[test]
fn hexo_markdown_post() {
    let mut warnings = Warnings::new();
    let text = fixture("hexo_post.md");
    let doc = read_str(
        &text,
        Some(Path::new("post.md")),
        &crate::common::session(&Options::default()),
        &mut warnings,
    )
    .unwrap();
    let m = doc.meta;
    assert_eq!(m.title.as_deref(), Some("Hello Markdown"));
    assert_eq!(m.date, date("2020/5/1", Some("2020-05-01")));
    assert_eq!(
        m.updated,
        date("2020-08-17 09:01:29", Some("2020-08-17T09:01:29"))
    );
    assert_eq!(m.tags, ["rust"]);
    assert_eq!(m.categories, ["Tech", "Rust", "Notes"]);
    assert_eq!(m.language.as_deref(), Some("en"));
    assert_eq!(
        m.source_url.as_deref(),
        Some("https://blog.example.com/2020/05/01/hello/")
    );
    assert!(m.extra.is_empty(), "{:?}", m.extra);
}
