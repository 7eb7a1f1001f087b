//! The assets pass: after reading and before writing, every picture a
//! document refers to is resolved once — read from the article's folder,
//! decoded from a `data:` URI, or fetched (through the run's [`Fetcher`]
//! and its cache) — then sniffed and checked into an [`Assets`] table.
//! Layout and writers only look pictures up there: they do no I/O.
//!
//! Nothing here fails a conversion: a picture that cannot be had is kept
//! with its reason, and the writer that asks for it records a warning and
//! shows the alt text instead.

pub mod fetch;
pub mod pixels;
pub mod resource;
mod source;

pub use fetch::Fetcher;
pub use pixels::LoadedImage;
pub use resource::{media_type_of, Resource};

use crate::diag::Warnings;
use crate::model::{Block, Document, Image, Inline};
use crate::session::Session;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Largest image accepted, fetched or read, in bytes (before conversion).
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// One resolved picture: its bytes for embedding, and its pixels for the
/// PDF, decoded on first use.
#[derive(Debug)]
struct Asset {
    resource: Arc<Resource>,
    pixels: OnceLock<Result<Arc<LoadedImage>, String>>,
}

/// The pictures of one document (or one bundle), keyed by their `src` as
/// the document writes it: either the picture or why it cannot be had.
#[derive(Debug, Default)]
pub struct Assets {
    entries: HashMap<String, Result<Arc<Asset>, String>>,
}

impl Assets {
    /// Resolves every picture of `doc` (its figures and inline images, and
    /// its cover when `cover` is set); relative paths are taken from `root`,
    /// the article's folder.
    pub fn resolve_document(
        &mut self,
        doc: &Document,
        root: Option<&Path>,
        cover: bool,
        session: &Session,
    ) {
        if cover {
            if let Some(src) = doc.meta.cover.as_deref().filter(|s| !s.trim().is_empty()) {
                self.resolve(src, root, session);
            }
        }
        let mut srcs = Vec::new();
        block_images(&doc.blocks, &mut |image| srcs.push(image.src.clone()));
        for src in srcs {
            self.resolve(&src, root, session);
        }
    }

    /// Resolves one picture, unless it already was.
    pub fn resolve(&mut self, src: &str, root: Option<&Path>, session: &Session) {
        if self.entries.contains_key(src) {
            return;
        }
        let entry = source::read(src.trim(), root, &session.fetcher)
            .and_then(Resource::from_bytes)
            .map(|resource| {
                Arc::new(Asset {
                    resource: Arc::new(resource),
                    pixels: OnceLock::new(),
                })
            });
        self.entries.insert(src.to_string(), entry);
    }

    /// Takes in the pictures of `other` (another article of a bundle).
    pub fn extend(&mut self, other: Assets) {
        for (src, entry) in other.entries {
            self.entries.entry(src).or_insert(entry);
        }
    }

    /// The picture `src` ready to embed; `None`, with a warning saying
    /// why, when it could not be had.
    pub fn get(&self, src: &str, warnings: &mut Warnings) -> Option<Arc<Resource>> {
        match self.entry(src) {
            Ok(asset) => Some(asset.resource.clone()),
            Err(reason) => {
                warnings.push(format!("image {}: {reason}", shorten(src.trim())));
                None
            }
        }
    }

    /// The pixels of `src` for the PDF, decoded once; `None` with a
    /// warning when the picture could not be had or decoded.
    pub fn pixels(&self, src: &str, warnings: &mut Warnings) -> Option<Arc<LoadedImage>> {
        let asset = match self.entry(src) {
            Ok(asset) => asset,
            Err(reason) => {
                warnings.push(format!("image {}: {reason}", shorten(src.trim())));
                return None;
            }
        };
        let decoded = asset
            .pixels
            .get_or_init(|| pixels::decode(&asset.resource.bytes).map(Arc::new));
        match decoded {
            Ok(img) => Some(img.clone()),
            Err(why) => {
                warnings.push(format!("image {src}: {why}; showing its text instead"));
                None
            }
        }
    }

    fn entry(&self, src: &str) -> Result<&Arc<Asset>, &str> {
        match self.entries.get(src) {
            Some(Ok(asset)) => Ok(asset),
            Some(Err(reason)) => Err(reason),
            // Every writer's pictures go through the pass first; a picture
            // it did not see is treated as one that could not be had.
            None => Err("not resolved before writing"),
        }
    }
}

/// Calls `f` on every image of `blocks`, in reading order.
fn block_images(blocks: &[Block], f: &mut dyn FnMut(&Image)) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                inline_images(content, f)
            }
            Block::List { items, .. } => items.iter().for_each(|i| block_images(i, f)),
            Block::BlockQuote { blocks } => block_images(blocks, f),
            Block::Figure { image, caption } => {
                f(image);
                inline_images(caption, f);
            }
            Block::Table(table) => {
                for row in table.head.iter().chain(table.body.iter()) {
                    row.iter().for_each(|c| block_images(&c.blocks, f));
                }
            }
            Block::CodeBlock { .. } | Block::Rule => {}
        }
    }
}

fn inline_images(inlines: &[Inline], f: &mut dyn FnMut(&Image)) {
    for inline in inlines {
        match inline {
            Inline::Image { image } => f(image),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => inline_images(content, f),
            Inline::Text { .. } | Inline::Code { .. } | Inline::LineBreak => {}
        }
    }
}

/// A long `src` (a data: URI) cut for a warning.
fn shorten(src: &str) -> String {
    const MAX: usize = 120;
    if src.chars().count() <= MAX {
        src.to_string()
    } else {
        let head: String = src.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests;
