//! Golden files: every sample through the plain-text and JSON writers,
//! pinned with insta (`cargo insta review` after an intended change).

use crate::common;
use common::samples;

use conv::write::Writer;
use conv::{Options, Warnings};
use std::path::Path;

fn convert(sample: &Path, writer: &dyn Writer, opts: &Options) -> String {
    let bytes = std::fs::read(sample).unwrap();
    let mut warnings = Warnings::new();
    let session = conv::Session::new(Options {
        offline: true,
        ..opts.clone()
    })
    .unwrap();
    let root = sample.parent();
    let out =
        conv::convert::convert_bytes(&bytes, Some(sample), root, writer, &session, &mut warnings)
            .unwrap_or_else(|e| panic!("{}: {e}", sample.display()));
    String::from_utf8(out).unwrap()
}

#[test]
fn samples_as_plain_text() {
    for sample in samples() {
        let name = sample.file_name().unwrap().to_str().unwrap().to_string();
        let text = convert(&sample, &conv::write::txt::TextWriter, &Options::default());
        insta::assert_snapshot!(format!("txt__{name}"), text);
    }
}

#[test]
fn samples_as_plain_text_in_40_columns() {
    let opts = Options {
        columns: Some(40),
        ..Options::default()
    };
    for name in ["sina-style.txt", "english-article.txt", "hexo-markdown.md"] {
        let text = convert(
            &Path::new("samples").join(name),
            &conv::write::txt::TextWriter,
            &opts,
        );
        insta::assert_snapshot!(format!("txt40__{name}"), text);
    }
}

#[test]
fn samples_as_json() {
    for sample in samples() {
        let name = sample.file_name().unwrap().to_str().unwrap().to_string();
        let json = convert(&sample, &conv::write::json::JsonWriter, &Options::default());
        insta::assert_snapshot!(format!("json__{name}"), json);
    }
}
