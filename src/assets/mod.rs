//! The assets pass: after reading and before writing, every picture a
//! document refers to is resolved once — read from the article's folder,
//! decoded from a `data:` URI, or fetched (through the run's [`Fetcher`]
//! and its cache) — then sniffed and checked into an [`Assets`] table.
//! Layout and writers only look pictures up there: they do no I/O.
//!
//! What an article may make conv read is limited (see [`source`]): http(s)
//! URLs, `data:` URIs, and regular files inside its own folder or
//! `--resource-dir`, each within `--max-image-size`.
//!
//! A device profile's [`ImagePolicy`](crate::device::ImagePolicy) is
//! applied here, once per picture as it is resolved ([`transform`]): the
//! table holds the variant the device shows, and the writers embed it as
//! they find it. `--max-size` asks the table to [`Assets::shrink`] it.
//!
//! A bundle's table keeps the bytes of its pictures in a temporary file
//! ([`spool`]) and their pixels only while a page holds them, so a bundle
//! of thousands of pictures never holds them all in memory.
//!
//! Nothing here fails a conversion: a picture that cannot be had is one
//! warning (its source once, with the reason) when it is resolved, and the
//! writer shows its alt text instead.

mod encode;
pub mod fetch;
pub mod pixels;
pub mod resource;
mod source;
mod spool;
#[cfg(feature = "svg")]
mod svg;
pub mod transform;

pub use fetch::Fetcher;
pub use pixels::LoadedImage;
pub use resource::{media_type_of, Resource};

use crate::device::ImagePolicy;
use crate::diag::Warnings;
use crate::model::{Block, Document, Image, Inline};
use crate::session::Session;
use spool::{Extent, Spool};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, Weak};

/// Largest image accepted, fetched or read, in bytes (before conversion),
/// unless `--max-image-size` says otherwise.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// One resolved picture: its bytes for embedding, and its pixels for the
/// PDF, decoded on first use.
#[derive(Debug)]
struct Asset {
    stored: Stored,
    pixels: Mutex<Pixels>,
}

/// Where a picture's bytes are.
#[derive(Debug)]
enum Stored {
    Held(Arc<Resource>),
    /// In the table's spool, with what the resource says besides its bytes.
    Spooled {
        extent: Extent,
        media_type: &'static str,
        width: u32,
        height: u32,
    },
}

/// A picture's decoded pixels, as far as they are known.
#[derive(Debug)]
enum Pixels {
    NotYet,
    Failed,
    /// Kept for the run (a document's table: it is shown in one book).
    Kept(Arc<LoadedImage>),
    /// A bundle's table: decoded again once no page holds them.
    Lent(Weak<LoadedImage>),
}

/// The pictures of one document (or one bundle), keyed by their `src` as
/// the document writes it: either the picture or why it cannot be had.
#[derive(Debug, Default)]
pub struct Assets {
    entries: HashMap<String, Result<Arc<Asset>, String>>,
    /// Where a bundle's table keeps its pictures' bytes (none: in memory).
    spool: Option<Arc<Spool>>,
}

impl Assets {
    /// An empty table that keeps its pictures' bytes in a temporary file
    /// (a bundle's); in memory when no temporary file can be made.
    pub fn spooled() -> Assets {
        Assets {
            entries: HashMap::new(),
            spool: Spool::new().ok().map(Arc::new),
        }
    }

    /// Resolves every picture of `doc` (its figures and inline images, and
    /// its cover when `cover` is set); relative paths are taken from `root`,
    /// the article's folder.
    pub fn resolve_document(
        &mut self,
        doc: &Document,
        root: Option<&Path>,
        cover: bool,
        session: &Session,
        warnings: &mut Warnings,
    ) {
        if cover {
            if let Some(src) = doc.meta.cover.as_deref().filter(|s| !s.trim().is_empty()) {
                self.resolve_cover(src, root, session, warnings);
            }
        }
        let mut srcs = Vec::new();
        block_images(&doc.blocks, &mut |image| srcs.push(image.src.clone()));
        for src in srcs {
            self.resolve(&src, root, session, warnings);
        }
    }

    /// Resolves the pictures of `doc` (one article of a bundle) but those
    /// `held` says the bundle's table already has: a picture many articles
    /// show (a site's logo) is read and fitted to the device once, not once
    /// per article. What could not be had is tried again, so each article
    /// that shows it is warned of it.
    pub fn resolve_new(
        &mut self,
        doc: &Document,
        root: Option<&Path>,
        session: &Session,
        warnings: &mut Warnings,
        held: &dyn Fn(&str) -> bool,
    ) {
        let mut srcs = Vec::new();
        block_images(&doc.blocks, &mut |image| srcs.push(image.src.clone()));
        for src in srcs.iter().filter(|src| !held(src)) {
            self.resolve(src, root, session, warnings);
        }
    }

    /// Whether `src` is in the table and can be had.
    pub fn holds(&self, src: &str) -> bool {
        matches!(self.entries.get(src), Some(Ok(_)))
    }

    /// Resolves one picture, unless it already was; one warning when it
    /// cannot be had. True when it can.
    pub fn resolve(
        &mut self,
        src: &str,
        root: Option<&Path>,
        session: &Session,
        warnings: &mut Warnings,
    ) -> bool {
        let policy = session.opts.images;
        self.resolve_for(src, root, session, &policy, warnings)
    }

    /// Resolves a cover picture: as [`Assets::resolve`], fitted to
    /// `--cover-size` instead of the screen.
    pub fn resolve_cover(
        &mut self,
        src: &str,
        root: Option<&Path>,
        session: &Session,
        warnings: &mut Warnings,
    ) -> bool {
        let policy = ImagePolicy {
            max: session.opts.cover_size,
            ..session.opts.images
        };
        self.resolve_for(src, root, session, &policy, warnings)
    }

    fn resolve_for(
        &mut self,
        src: &str,
        root: Option<&Path>,
        session: &Session,
        policy: &ImagePolicy,
        warnings: &mut Warnings,
    ) -> bool {
        if let Some(entry) = self.entries.get(src) {
            return entry.is_ok();
        }
        let scope = source::Scope {
            root,
            resource_dir: session.opts.resource_dir.as_deref(),
            max_bytes: session.opts.max_image_bytes,
        };
        let entry = source::read(src.trim(), scope, &session.fetcher)
            .map_err(|(reason, network_down)| {
                // Said on this image's own line: one line per failed image.
                if network_down {
                    format!("{reason}; the network seems down: no more downloads in this run (as --offline)")
                } else {
                    reason
                }
            })
            .and_then(Resource::from_bytes)
            .map(|resource| {
                let (ready, why) = transform::prepare(resource, policy, false);
                if let Some(why) = why {
                    warnings.push(format!(
                        "image {}: {why}; embedded as it came",
                        shorten(src.trim())
                    ));
                }
                ready.into_resource()
            });
        if let Err(reason) = &entry {
            session.note_missing_image();
            warnings.push(format!("image {}: {reason}", shorten(src.trim())));
        }
        let ok = entry.is_ok();
        let entry = entry.map(|resource| self.store(resource));
        self.entries.insert(src.to_string(), entry);
        ok
    }

    /// `resource` as this table keeps it: in its spool if it has one.
    fn store(&self, resource: Resource) -> Arc<Asset> {
        let stored = match self.spool.as_ref().map(|spool| spool.put(&resource.bytes)) {
            Some(Ok(extent)) => Stored::Spooled {
                extent,
                media_type: resource.media_type,
                width: resource.width,
                height: resource.height,
            },
            // No spool, or a full disk: held in memory, as a document's.
            _ => Stored::Held(Arc::new(resource)),
        };
        Arc::new(Asset {
            stored,
            pixels: Mutex::new(Pixels::NotYet),
        })
    }

    /// The bytes of `asset`, read back from the spool if they are there.
    fn resource_of(
        &self,
        asset: &Asset,
        src: &str,
        warnings: &mut Warnings,
    ) -> Option<Arc<Resource>> {
        match &asset.stored {
            Stored::Held(resource) => Some(resource.clone()),
            Stored::Spooled {
                extent,
                media_type,
                width,
                height,
            } => {
                let read = self.spool.as_ref().map(|spool| spool.get(*extent));
                match read {
                    Some(Ok(bytes)) => Some(Arc::new(Resource {
                        bytes,
                        media_type,
                        width: *width,
                        height: *height,
                    })),
                    Some(Err(e)) => {
                        warnings.push(format!(
                            "image {}: cannot be read back from the temporary file: {e}",
                            shorten(src.trim())
                        ));
                        None
                    }
                    None => None,
                }
            }
        }
    }

    /// Makes every picture smaller for a size budget (`--max-size`), one
    /// step further each call: JPEGs re-encoded at a lower quality than the
    /// policy's, pictures over 600 px scaled to three quarters. Returns the
    /// bytes saved; 0 when nothing could shrink any more.
    pub fn shrink(&mut self, policy: &ImagePolicy, step: u8) -> u64 {
        let quality = policy
            .jpeg_quality
            .saturating_sub(step.saturating_mul(15))
            .max(MIN_SHRINK_QUALITY);
        let mut saved = 0;
        let srcs: Vec<String> = self.entries.keys().cloned().collect();
        let mut quiet = Warnings::new();
        for src in srcs {
            let Some(Ok(asset)) = self.entries.get(&src) else {
                continue;
            };
            let Some(res) = self.resource_of(asset, &src, &mut quiet) else {
                continue;
            };
            let (w, h) = (res.width, res.height);
            let max =
                (w.max(h) > MIN_SHRINK_SIDE).then(|| ((w / 4 * 3).max(1), (h / 4 * 3).max(1)));
            let shrunk = ImagePolicy {
                max: max.or(Some((w, h))),
                grey: policy.grey,
                jpeg_quality: quality,
            };
            let before = res.bytes.len() as u64;
            if let (transform::Outcome::Changed(smaller), _) =
                transform::prepare(Resource::clone(&res), &shrunk, true)
            {
                saved += before.saturating_sub(smaller.bytes.len() as u64);
                let smaller = self.store(smaller);
                self.entries.insert(src, Ok(smaller));
            }
        }
        saved
    }

    /// Takes in the pictures of `other` (another article of a bundle).
    pub fn extend(&mut self, other: Assets) {
        for (src, entry) in other.entries {
            if self.entries.contains_key(&src) {
                continue;
            }
            // Into this table's spool, if it has one.
            let entry = entry.map(|asset| match (&asset.stored, &self.spool) {
                (Stored::Held(resource), Some(_)) => self.store(Resource::clone(resource)),
                _ => asset,
            });
            self.entries.insert(src, entry);
        }
    }

    /// The picture `src` ready to embed; `None` when it could not be had
    /// (the pass said why).
    pub fn get(&self, src: &str, warnings: &mut Warnings) -> Option<Arc<Resource>> {
        let asset = self.entry(src, warnings)?;
        self.resource_of(asset, src, warnings)
    }

    /// The pixels of `src` for the PDF, decoded once however often it is
    /// shown (in a bundle: once while its pages are held); `None` when the
    /// picture could not be had or decoded (the decoding failure is a
    /// warning the first time).
    pub fn pixels(&self, src: &str, warnings: &mut Warnings) -> Option<Arc<LoadedImage>> {
        let asset = self.entry(src, warnings)?;
        let mut known = asset.pixels.lock().unwrap_or_else(|e| e.into_inner());
        match &*known {
            Pixels::Kept(img) => return Some(img.clone()),
            Pixels::Lent(lent) => {
                if let Some(img) = lent.upgrade() {
                    return Some(img);
                }
            }
            Pixels::Failed => return None,
            Pixels::NotYet => {}
        }
        let resource = self.resource_of(asset, src, warnings)?;
        match pixels::decode(&resource.bytes) {
            Ok(img) => {
                let img = Arc::new(img);
                *known = match asset.stored {
                    Stored::Held(_) => Pixels::Kept(img.clone()),
                    Stored::Spooled { .. } => Pixels::Lent(Arc::downgrade(&img)),
                };
                Some(img)
            }
            Err(why) => {
                *known = Pixels::Failed;
                warnings.push(format!("image {src}: {why}; showing its text instead"));
                None
            }
        }
    }

    fn entry(&self, src: &str, warnings: &mut Warnings) -> Option<&Arc<Asset>> {
        match self.entries.get(src) {
            Some(Ok(asset)) => Some(asset),
            Some(Err(_)) => None,
            // Every writer's pictures go through the pass first; one it did
            // not see is one that could not be had.
            None => {
                warnings.push(format!(
                    "image {}: not resolved before writing",
                    shorten(src.trim())
                ));
                None
            }
        }
    }
}

/// Lowest JPEG quality a size budget goes down to.
const MIN_SHRINK_QUALITY: u8 = 35;
/// Pictures this long or shorter keep their size under a size budget.
const MIN_SHRINK_SIDE: u32 = 600;

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
