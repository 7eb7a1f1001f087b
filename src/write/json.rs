//! JSON: the model serialised, pretty-printed, with the schema version at the
//! top so a reader can refuse a document of another major version.

use super::{Output, Writer};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::packed::PackedBundle;
use crate::model::{Document, SCHEMA_VERSION};
use crate::session::Session;
use serde::Serialize;
use std::io::Write;

/// Writes the model as JSON.
pub struct JsonWriter;

/// The JSON envelope: schema version, then the document's fields.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    conv_schema: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

/// Writes `body` in its envelope to `out`, buffered (serde writes token by
/// token); a bundle's articles are serialised one at a time.
fn to_json<T: Serialize>(body: &T, out: &mut dyn Output) -> Result<()> {
    let mut buffered = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(
        &mut buffered,
        &Envelope {
            conv_schema: SCHEMA_VERSION,
            body,
        },
    )
    .map_err(|e| Error::write("json", e))?;
    buffered
        .write_all(b"\n")
        .and_then(|()| buffered.flush())
        .map_err(|e| Error::write("json", e))
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
    fn write(
        &self,
        doc: &Document,
        _: &Session,
        _: &Assets,
        _: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        to_json(doc, out)
    }
    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        _: &Session,
        _: &Assets,
        _: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        to_json(bundle, out)
    }
}
