//! Reads conv's JSON form of the model back, refusing another major version.

use crate::error::{Error, Result};
use crate::model::{Document, SCHEMA_VERSION};

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
    serde_json::from_value(value).map_err(|e| Error::Json(e.to_string()))
}

/// Whether `text` looks like conv's JSON (used by format detection).
pub fn looks_like_model(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('{') && head[..head.len().min(200)].contains("\"conv_schema\"")
}

fn major(version: &str) -> &str {
    version.split('.').next().unwrap_or(version)
}
