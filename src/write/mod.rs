//! Writers: one module per output format, each behind the [`Writer`] trait,
//! found through the registry by format name or file extension. Adding a
//! format means adding one module and one row in [`writers`].

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::Result;
use crate::model::packed::PackedBundle;
use crate::model::Document;
use crate::session::Session;
use std::io::{Seek, Write};

pub mod epub;
pub mod json;
pub mod pdf;
pub mod txt;

/// Where a writer puts its bytes: a file being written, or a buffer.
/// Seekable, because a ZIP container goes back to fill in sizes.
pub trait Output: Write + Seek {}

impl<T: Write + Seek> Output for T {}

/// An output format.
pub trait Writer: Send + Sync {
    /// Format name used with `--to` (`epub`, `pdf`, `txt`, `json`).
    fn name(&self) -> &'static str;
    /// One line for `--list-formats`.
    fn description(&self) -> &'static str;
    /// File extensions (lower case, no dot) that pick this writer.
    fn extensions(&self) -> &'static [&'static str];
    /// Renders one article from the document, the run's session and the
    /// pictures of the asset pass into `out`; does no other I/O. What the
    /// format cannot show is degraded with a warning, never a failure.
    fn write(
        &self,
        doc: &Document,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()>;
    /// Renders many articles as one book into `out`, unpacking one article
    /// at a time where the format allows, so a large book is never held
    /// whole. The default flattens the bundle into one document (sections
    /// and articles become headings).
    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        self.write(&bundle.unpack()?.flatten(), session, assets, warnings, out)
    }
    /// True when the format shows a bundle's cover picture, so bundle mode
    /// draws one when the user gave none (text formats have no use for it).
    fn shows_cover(&self) -> bool {
        false
    }
    /// True when the format embeds pictures, so the asset pass must resolve
    /// them before writing (text formats only name them).
    fn embeds_images(&self) -> bool {
        false
    }
    /// True when the format shows a single article's `cover` picture.
    fn article_cover(&self) -> bool {
        false
    }
}

pub use crate::text::bullet;

/// Runs `render` into a buffer and returns its bytes.
pub fn to_vec(render: impl FnOnce(&mut dyn Output) -> Result<()>) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    render(&mut out)?;
    Ok(out.into_inner())
}

/// Every writer conv has, in `--list-formats` order.
pub fn writers() -> &'static [&'static dyn Writer] {
    static WRITERS: [&dyn Writer; 5] = [
        &epub::EpubWriter,
        &json::JsonWriter,
        &epub::KepubWriter,
        &pdf::PdfWriter,
        &txt::TextWriter,
    ];
    &WRITERS
}

/// The writer called `name` (or with `name` as an extension).
pub fn writer_by_name(name: &str) -> Option<&'static dyn Writer> {
    let name = name.to_ascii_lowercase();
    writers()
        .iter()
        .copied()
        .find(|w| w.name() == name || w.extensions().contains(&name.as_str()))
}

/// The writer picked by the extension of `path`; a longer extension wins,
/// so `book.kepub.epub` is KEPUB and `book.epub` EPUB.
pub fn writer_for_path(path: &std::path::Path) -> Option<&'static dyn Writer> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    writers()
        .iter()
        .copied()
        .flat_map(|w| w.extensions().iter().map(move |ext| (w, *ext)))
        .filter(|(_, ext)| {
            name.len() > ext.len() + 1
                && name.ends_with(ext)
                && name[..name.len() - ext.len()].ends_with('.')
        })
        .max_by_key(|(_, ext)| ext.len())
        .map(|(w, _)| w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn kepub_is_picked_by_its_double_extension_and_its_name() {
        let name = |p: &str| writer_for_path(Path::new(p)).map(|w| w.name());
        assert_eq!(name("out/Book.KEPUB.EPUB"), Some("kepub"));
        assert_eq!(name("book.epub"), Some("epub"));
        assert_eq!(name("a.kepub"), None);
        assert_eq!(name("x.pdf"), Some("pdf"));
        assert_eq!(name(".epub"), None);
        assert_eq!(writer_by_name("kepub").map(|w| w.name()), Some("kepub"));
    }
}
