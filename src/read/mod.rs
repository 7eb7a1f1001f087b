//! Readers: bytes of an article in, a [`Document`] out.
//!
//! Stages: decode → split the front matter → normalise metadata → read the
//! body with the reader for its kind (HTML, Markdown, plain text) → clean up.
//! conv's own JSON form is read back by [`json`].

pub mod html;
pub mod json;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::Document;
use crate::options::{InputFormat, Options};

/// Reads one article from its text.
pub fn read_str(text: &str, opts: &Options, warnings: &mut Warnings) -> Result<Document> {
    match opts.from {
        InputFormat::Json => json::read(text),
        _ => unimplemented_article(text, opts, warnings),
    }
}

fn unimplemented_article(_text: &str, _opts: &Options, _w: &mut Warnings) -> Result<Document> {
    Ok(Document::default())
}
