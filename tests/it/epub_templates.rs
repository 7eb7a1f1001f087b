//! `--template-dir` through the writer: overrides replace any page template
//! or the stylesheet; a broken or missing template is `Error::Template`
//! naming the file and line; a user template without an XML declaration
//! still gives XHTML that starts with one.

use crate::common::WriteIn;
use crate::epub_support;

use conv::write::epub::EpubWriter;
use conv::{Error, Options, Warnings};
use epub_support::*;

fn opts_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let opts = Options {
        template_dir: Some(dir.path().to_path_buf()),
        offline: true,
        cache_dir: Some(dir.path().join("cache")),
        ..Options::default()
    };
    (dir, opts)
}

#[test]
fn overrides_replace_the_chapter_and_the_stylesheet() {
    let chapter = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{{ lang }}\" xml:lang=\"{{ lang }}\">\n\
<head><title>{{ title }}</title><link rel=\"stylesheet\" type=\"text/css\" href=\"{{ css }}\"/></head>\n\
<body><h1 class=\"mine\">{{ title }}</h1>\n{{ body }}</body>\n</html>\n";
    let (_dir, opts) = opts_with(&[
        ("chapter.xhtml", chapter),
        ("style.css", "h1.mine { color: #333; }\n"),
    ]);
    let bytes = EpubWriter
        .write_in(&english_article(), &opts, None, &mut Warnings::new())
        .expect("written");
    let book = unzip(&bytes);
    let xhtml = book.text("OEBPS/chapter-001.xhtml");
    assert!(xhtml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>"));
    assert!(xhtml.contains("<h1 class=\"mine\">Linux 6.1 Features: Rust &amp; &lt;More&gt;</h1>"));
    assert!(xhtml.contains("<h2 id=\"h1\">Rust</h2>"));
    assert_eq!(
        book.text("OEBPS/stylesheet.css"),
        "h1.mine { color: #333; }\n"
    );
    // The title page is still the built-in one.
    assert!(book
        .text("OEBPS/title.xhtml")
        .contains("class=\"titlepage\""));
    if let Some(report) = epubcheck(&bytes, "template-override") {
        report.assert_clean("template-override");
    }
}

#[test]
fn a_broken_template_is_an_error_naming_file_and_line() {
    let (dir, opts) = opts_with(&[(
        "title.xhtml",
        "<html>\n<body>\n{% for x in %}\n</body></html>",
    )]);
    let err = EpubWriter
        .write_in(&cjk_article(), &opts, None, &mut Warnings::new())
        .unwrap_err();
    let Error::Template { name, line, .. } = &err else {
        panic!("expected a template error, got {err}");
    };
    assert_eq!(name, &dir.path().join("title.xhtml").display().to_string());
    assert_eq!(*line, Some(3));
    assert!(err.to_string().contains("title.xhtml:3"), "{err}");
}

#[test]
fn a_template_failing_at_render_time_names_file_and_line() {
    let (_dir, opts) = opts_with(&[(
        "chapter.xhtml",
        "<html>\n{{ title | no_such_filter }}\n</html>",
    )]);
    let err = EpubWriter
        .write_in(&cjk_article(), &opts, None, &mut Warnings::new())
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, Error::Template { line: Some(2), .. }),
        "{text}"
    );
    assert!(text.contains("chapter.xhtml"), "{text}");
}

#[test]
fn a_missing_template_folder_or_include_is_an_error() {
    let opts = Options {
        template_dir: Some("/nonexistent/conv/templates".into()),
        ..Options::default()
    };
    let err = EpubWriter
        .write_in(&cjk_article(), &opts, None, &mut Warnings::new())
        .unwrap_err();
    assert!(matches!(err, Error::Template { .. }), "{err}");
    assert!(err.to_string().contains("/nonexistent/conv/templates"));

    let (_dir, opts) = opts_with(&[("section.xhtml", "{% include \"header.xhtml\" %}")]);
    let bundle = conv::model::Bundle {
        meta: Default::default(),
        sections: vec![conv::model::Section {
            title: "S".into(),
            articles: vec![english_article()],
        }],
    };
    let err = EpubWriter
        .write_bundle_in(&bundle, &opts, None, &mut Warnings::new())
        .unwrap_err();
    assert!(err.to_string().contains("header.xhtml"), "{err}");
}
