//! Images for the layout, from the run's [`Assets`]: the asset pass has
//! already loaded, sniffed and checked every picture; this module only
//! hands layout the pixels (decoded once per picture per run). No I/O.

use crate::assets::Assets;
use crate::diag::Warnings;
use std::sync::Arc;

pub use crate::assets::pixels::{decode, ImageData, LoadedImage};

/// The decoded image `src`; `None`, with a warning, when it could not be
/// had: the caller then shows the alt text.
pub fn load_image(src: &str, assets: &Assets, warnings: &mut Warnings) -> Option<Arc<LoadedImage>> {
    assets.pixels(src, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Session;

    #[test]
    fn missing_and_offline_remote_images_warn() {
        let mut w = Warnings::new();
        let session = Session::new(crate::Options {
            offline: true,
            ..crate::Options::default()
        })
        .unwrap();
        let mut assets = Assets::default();
        assets.resolve("nope.png", None, &session, &mut w);
        assets.resolve("https://x.org/a.png", None, &session, &mut w);
        assert!(load_image("nope.png", &assets, &mut w).is_none());
        assert!(load_image("https://x.org/a.png", &assets, &mut w).is_none());
        // One warning each, from the pass; looking them up adds none.
        assert_eq!(w.items().len(), 2);
        assert!(decode(b"garbage").is_err());
    }
}
