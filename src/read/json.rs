//! Reads conv's JSON form of the model back, refusing another major version.
//! Both forms the JSON writer makes are read: one article (`meta`, `blocks`)
//! and a bundle (`meta`, `sections`), which comes back as one document whose
//! section and article titles are headings ([`Bundle::flatten`]).

use crate::error::{Error, Result};
use crate::model::{Bundle, Document, SCHEMA_VERSION};

/// How far into the text format detection looks for the version field.
const SNIFF_BYTES: usize = 200;

/// Parses a JSON document written by the JSON writer.
pub fn read(text: &str) -> Result<Document> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Error::Json(format!("line {}, column {}: {e}", e.line(), e.column())))?;
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
