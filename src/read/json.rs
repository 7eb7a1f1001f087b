//! Reads conv's JSON form of the model back, refusing another major version.
//! Both forms the JSON writer makes are read: one article (`meta`, `blocks`)
//! and a bundle (`meta`, `sections`), which comes back as one document whose
//! section and article titles are headings ([`Bundle::flatten`]).

use crate::error::{Error, Result};
use crate::model::{Bundle, Document, SCHEMA_VERSION};
use serde::Deserialize;

/// How far into the text format detection looks for the version field.
const SNIFF_BYTES: usize = 200;

/// Deepest JSON nesting read. serde_json's own limit (128) is below what
/// conv's readers can produce (eight nested tables, each three JSON levels
/// a model level, around 32 nested inline wrappers: about 170), so conv
/// could write JSON it could not read back. The depth is checked by a scan
/// before parsing, so the recursive parse stays within a worker's stack.
pub const MAX_JSON_DEPTH: usize = 512;

/// Parses a JSON document written by the JSON writer.
pub fn read(text: &str) -> Result<Document> {
    let value = parse_value(text)?;
    let found = value
        .get("conv_schema")
        .and_then(|v| v.as_str())
        .ok_or_else(|| Error::Json("no \"conv_schema\" version field".into()))?;
    if major(found) != major(SCHEMA_VERSION) {
        return Err(Error::SchemaVersion {
            found: found.to_string(),
            supported: SCHEMA_VERSION.to_string(),
        });
    }
    let is_bundle = value.get("sections").is_some() && value.get("blocks").is_none();
    if is_bundle {
        let bundle: Bundle =
            serde_json::from_value(value).map_err(|e| Error::Json(e.to_string()))?;
        return Ok(bundle.flatten());
    }
    serde_json::from_value(value).map_err(|e| Error::Json(e.to_string()))
}

/// Parses `text` into a JSON value, refusing nesting deeper than
/// [`MAX_JSON_DEPTH`] with the line and column where it goes too deep.
fn parse_value(text: &str) -> Result<serde_json::Value> {
    if let Some(offset) = too_deep_at(text.as_bytes(), MAX_JSON_DEPTH) {
        let (line, column) = line_column(text, offset);
        return Err(Error::Json(format!(
            "line {line}, column {column}: nested deeper than {MAX_JSON_DEPTH} levels"
        )));
    }
    let mut parser = serde_json::Deserializer::from_str(text);
    parser.disable_recursion_limit();
    let located = |e: serde_json::Error| {
        Error::Json(format!("line {}, column {}: {e}", e.line(), e.column()))
    };
    let value = serde_json::Value::deserialize(&mut parser).map_err(located)?;
    parser.end().map_err(located)?;
    Ok(value)
}

/// The byte offset of the first `{` or `[` that opens a level deeper than
/// `limit`, outside strings; `None` when the text stays within it.
pub fn too_deep_at(bytes: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return Some(offset);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// One-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Whether `text` looks like conv's JSON (used by format detection).
pub fn looks_like_model(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    // Cut on a character boundary: byte 200 may fall inside a CJK character.
    let head = &head[..head.floor_char_boundary(SNIFF_BYTES)];
    head.starts_with('{') && head.contains("\"conv_schema\"")
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_does_not_split_a_multibyte_character() {
        // Every offset of a three-byte character around byte 200.
        for pad in 0..3 {
            let text = format!(
                "{{\"meta\": {{\"title\": \"{}{}\"}}}}",
                "a".repeat(pad),
                "中".repeat(100)
            );
            assert!(!looks_like_model(&text));
        }
        assert!(looks_like_model("{\"conv_schema\": \"1.0\"}"));
    }

    /// A document nested `levels` block quotes deep, as JSON.
    fn quotes_json(levels: usize) -> String {
        let open = r#"{"type": "block_quote", "blocks": ["#.repeat(levels);
        let close = "]}".repeat(levels);
        format!(
            r#"{{"conv_schema": "{SCHEMA_VERSION}", "blocks": [{open}{{"type": "rule"}}{close}]}}"#
        )
    }

    #[test]
    fn json_deeper_than_serde_default_limit_reads_back() {
        // 200 quotes are 400 JSON levels: over serde_json's 128, under ours.
        let doc = read(&quotes_json(200)).unwrap();
        let mut blocks = &doc.blocks;
        let mut depth = 0;
        while let Some(crate::model::Block::BlockQuote { blocks: inner }) = blocks.first() {
            blocks = inner;
            depth += 1;
        }
        assert_eq!(depth, 200);
    }

    #[test]
    fn json_at_the_limit_reads_on_a_worker_sized_stack() {
        // Bulk runs read on rayon's threads (2 MiB stacks): 254 quotes in
        // the envelope are 511 JSON levels, about the deepest accepted, and
        // must not overflow.
        let text = quotes_json(254);
        let read_back = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || read(&text).map(|doc| doc.blocks.len()))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(read_back.unwrap(), 1);
    }

    #[test]
    fn json_nested_past_the_limit_is_refused_with_its_position() {
        let err = read(&quotes_json(MAX_JSON_DEPTH)).unwrap_err().to_string();
        assert!(err.contains("nested deeper than 512 levels"), "{err}");
        assert!(err.contains("line 1, column "), "{err}");
        // Brackets inside strings do not count.
        let text = format!(
            r#"{{"conv_schema": "1.0", "meta": {{"title": "{}"}}}}"#,
            "[".repeat(600)
        );
        assert!(read(&text).is_ok());
    }

    #[test]
    fn bundle_json_reads_back_as_one_document() {
        let json = r#"{"conv_schema": "1.0", "meta": {"title": "Book"},
            "sections": [{"title": "", "articles": [{"meta": {"title": "A"},
            "blocks": [{"type": "rule"}]}]}]}"#;
        let doc = read(json).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Book"));
        assert_eq!(doc.blocks.len(), 2, "{:?}", doc.blocks);
    }
}
