//! Writing the books of a bundle: each rendered to a file beside the
//! output, shrinking its pictures and then splitting it when it is over
//! `--max-size`.

use super::front::generated_cover;
use super::{date_range, make_bundle, BundleOptions};
use crate::assets::Assets;
use crate::diag::{Warning, Warnings};
use crate::error::Result;
use crate::model::packed::PackedArticle;
use crate::session::Session;
use crate::write::Writer;
use std::cell::Cell;
use std::path::Path;

/// Where and how the books of one bundle run are written.
pub(super) struct Target<'a> {
    output: &'a Path,
    writer: &'a dyn Writer,
    session: &'a Session,
    how: &'a BundleOptions,
    /// How often the pictures were shrunk for `--max-size`, and the bytes
    /// that saved.
    shrunk: Cell<(u8, u64)>,
}

/// Times the pictures of a bundle are shrunk for `--max-size` before its
/// books are split (each step: JPEG quality down 15, sides to 3/4).
const MAX_SHRINK_STEPS: u8 = 3;

/// A book written to its (still unnamed) file, with its article count and
/// the warnings its writer gave.
pub(super) type Rendered = (crate::convert::AtomicFile, usize, Vec<Warning>);

impl<'a> Target<'a> {
    /// Books of `how` by `writer` written beside `output`.
    pub(super) fn new(
        output: &'a Path,
        writer: &'a dyn Writer,
        session: &'a Session,
        how: &'a BundleOptions,
    ) -> Target<'a> {
        Target {
            output,
            writer,
            session,
            how,
            shrunk: Cell::new((0, 0)),
        }
    }

    /// Renders `articles` as one book into a file beside the output; if it
    /// is larger than `max_size`, splits the articles in two halves and
    /// tries each, so every book is complete.
    pub(super) fn render_within_size(
        &self,
        articles: Vec<PackedArticle>,
        assets: &mut Assets,
        out: &mut Vec<Rendered>,
    ) -> Result<()> {
        let (writer, session, how) = (self.writer, self.session, self.how);
        let count = articles.len();
        let range = date_range(&articles);
        // The articles move into the bundle: a large bundle is held once.
        let mut bundle = make_bundle(articles, &range, how);
        if how.cover.is_none() && writer.shows_cover() {
            bundle.meta.cover = generated_cover(&bundle, &range, count, session.opts.cover_size);
        }
        let mut warnings = Warnings::new();
        if let Some(cover) = bundle
            .meta
            .cover
            .as_deref()
            .filter(|_| writer.embeds_images())
        {
            // The user's --cover (any file the user names), or the drawn one.
            let folder = Path::new(cover).parent();
            assets.resolve_cover(cover, folder, session, &mut warnings);
        }
        let mut file = crate::convert::AtomicFile::create_for(self.output)?;
        writer.write_bundle(&bundle, session, assets, &mut warnings, file.output())?;
        let size = file.len()?;
        let too_large = how.max_size.is_some_and(|max| size > max);
        // Smaller pictures first (--max-size): a split is the last resort.
        if too_large && self.shrink_pictures(assets) {
            drop(file);
            let articles = bundle.sections.into_iter().flat_map(|s| s.articles);
            return self.render_within_size(articles.collect(), assets, out);
        }
        if too_large && count > 1 {
            drop(file);
            let mut first: Vec<PackedArticle> = bundle
                .sections
                .into_iter()
                .flat_map(|s| s.articles)
                .collect();
            let second = first.split_off(first.len() / 2);
            self.render_within_size(first, assets, out)?;
            return self.render_within_size(second, assets, out);
        }
        let (steps, saved) = self.shrunk.get();
        if steps > 0 {
            warnings.push(format!(
                "pictures made smaller for --max-size (step {steps} of {MAX_SHRINK_STEPS}, {} kB saved over the bundle)",
                saved / 1000
            ));
        }
        out.push((file, count, warnings.take()));
        Ok(())
    }
}

impl Target<'_> {
    /// Shrinks the bundle's pictures one step further; false when they
    /// cannot shrink any more (then the book is split).
    fn shrink_pictures(&self, assets: &mut Assets) -> bool {
        let (steps, saved) = self.shrunk.get();
        if steps >= MAX_SHRINK_STEPS {
            return false;
        }
        let now = assets.shrink(&self.session.opts.images, steps + 1);
        self.shrunk.set((steps + 1, saved + now));
        now > 0
    }
}
