//! The book's images: each distinct picture stored once, named in order
//! of first appearance.

use crate::assets::{Assets, Resource};
use crate::diag::Warnings;
use std::collections::HashMap;
use std::sync::Arc;

/// The images of a book, taken from the run's [`Assets`]: stored once per
/// distinct content, numbered in order of first appearance.
pub struct Images<'o> {
    assets: &'o Assets,
    by_src: HashMap<String, Option<String>>,
    files: Vec<(String, Arc<Resource>)>,
}

impl<'o> Images<'o> {
    /// No images yet.
    pub fn new(assets: &'o Assets) -> Self {
        Images {
            assets,
            by_src: HashMap::new(),
            files: Vec::new(),
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
            if let Some((href, _)) = self.files.iter().find(|(_, f)| f.bytes == res.bytes) {
                return href.clone();
            }
            let href = format!("images/img-{:03}.{}", self.files.len() + 1, res.extension());
            self.files.push((href.clone(), res));
            href
        });
        self.by_src.insert(src.to_string(), href.clone());
        href
    }

    /// The loaded images, in order, for the manifest.
    pub fn into_files(self) -> Vec<(String, Arc<Resource>)> {
        self.files
    }
}
