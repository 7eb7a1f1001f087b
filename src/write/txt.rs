//! Plain text.

use super::Writer;
use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{blocks_text, Document};
use crate::options::Options;

/// Writes plain text.
pub struct TextWriter;

impl Writer for TextWriter {
    fn name(&self) -> &'static str {
        "txt"
    }
    fn description(&self) -> &'static str {
        "plain text (UTF-8), optionally wrapped with --columns"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["txt", "text"]
    }
    fn write(&self, doc: &Document, _: &Options, _: &mut Warnings) -> Result<Vec<u8>> {
        Ok(blocks_text(&doc.blocks).into_bytes())
    }
}
