//! The book's images: each distinct picture stored once, named in order
//! of first appearance.

use crate::assets::{Assets, Resource};
use crate::diag::Warnings;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The images of a book, taken from the run's [`Assets`]: stored once per
/// distinct content, numbered in order of first appearance. Only names are
/// kept until the book is packed (a bundle's pictures stay in the table's
/// spool, not here).
pub struct Images<'o> {
    assets: &'o Assets,
    by_src: HashMap<String, Option<String>>,
    /// Each file: its in-book path, its media type and the `src` it is
    /// taken from.
    files: Vec<(String, &'static str, String)>,
    /// The path of each distinct content, by length and hash.
    by_content: HashMap<(usize, u64), String>,
    /// Each file's place in `files`, by its in-book path.
    by_href: HashMap<String, usize>,
}

impl<'o> Images<'o> {
    /// No images yet.
    pub fn new(assets: &'o Assets) -> Self {
        Images {
            assets,
            by_src: HashMap::new(),
            files: Vec::new(),
            by_content: HashMap::new(),
            by_href: HashMap::new(),
        }
    }

    /// Loads `src` as the cover; the resource is returned (not kept), and
    /// later references to the same source point at `href`.
    pub fn cover(&mut self, src: &str, warnings: &mut Warnings) -> Option<(String, Arc<Resource>)> {
        let res = self.assets.get(src, warnings)?;
        let href = format!("images/cover.{}", res.extension());
        self.by_src.insert(src.to_string(), Some(href.clone()));
        Some((href, res))
    }

    /// The in-book path of the image `src`, loading it on first use; `None`
    /// when it cannot be had (a warning was recorded).
    pub fn href(&mut self, src: &str, warnings: &mut Warnings) -> Option<String> {
        if let Some(known) = self.by_src.get(src) {
            return known.clone();
        }
        let href = self.assets.get(src, warnings).map(|res| {
            // The same picture under another URL (a redirect, a CDN mirror)
            // is stored once.
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            res.bytes.hash(&mut hasher);
            let key = (res.bytes.len(), hasher.finish());
            if let Some(href) = self.by_content.get(&key) {
                return href.clone();
            }
            let href = format!("images/img-{:03}.{}", self.files.len() + 1, res.extension());
            self.by_href.insert(href.clone(), self.files.len());
            self.files
                .push((href.clone(), res.media_type, src.to_string()));
            self.by_content.insert(key, href.clone());
            href
        });
        self.by_src.insert(src.to_string(), href.clone());
        href
    }

    /// Each image's in-book path and media type, in order, for the manifest.
    pub fn files(&self) -> impl Iterator<Item = (&str, &'static str)> {
        self.files
            .iter()
            .map(|(href, media_type, _)| (href.as_str(), *media_type))
    }

    /// The bytes of the image at `name` in the ZIP (`OEBPS/images/…`), read
    /// from the table; `None` for any other name.
    pub fn bytes_of(&self, name: &str, warnings: &mut Warnings) -> Option<Arc<Resource>> {
        let href = name.strip_prefix("OEBPS/")?;
        let (_, _, src) = &self.files[*self.by_href.get(href)?];
        self.assets.get(src, warnings)
    }
}
