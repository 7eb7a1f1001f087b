//! JSON: the model serialised, pretty-printed, with the schema version at the
//! top so a reader can refuse a document of another major version.

use super::Writer;
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::{Bundle, Document, SCHEMA_VERSION};
use crate::session::Session;
use serde::Serialize;

/// Writes the model as JSON.
pub struct JsonWriter;

/// The JSON envelope: schema version, then the document's fields.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    conv_schema: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

fn to_json<T: Serialize>(body: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(&Envelope {
        conv_schema: SCHEMA_VERSION,
        body,
    })
    .map_err(|e| Error::write("json", e))?;
    bytes.push(b'\n');
    Ok(bytes)
}

impl Writer for JsonWriter {
    fn name(&self) -> &'static str {
        "json"
    }
    fn description(&self) -> &'static str {
        "the document model as JSON (readable back with --from json)"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }
    fn write(&self, doc: &Document, _: &Session, _: &Assets, _: &mut Warnings) -> Result<Vec<u8>> {
        to_json(doc)
    }
    fn write_bundle(
        &self,
        bundle: &Bundle,
        _: &Session,
        _: &Assets,
        _: &mut Warnings,
    ) -> Result<Vec<u8>> {
        to_json(bundle)
    }
}
