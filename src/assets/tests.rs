use super::*;
use crate::options::Options;
use std::io::Cursor;

fn encode(picture: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode test image");
    out
}

fn rgb(w: u32, h: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb([200, 40, 40])))
}

fn session(opts: Options) -> Session {
    Session::new(opts).expect("session")
}

fn one(
    src: &str,
    root: Option<&Path>,
    session: &Session,
    w: &mut Warnings,
) -> Option<Arc<Resource>> {
    let mut assets = Assets::default();
    assets.resolve(src, root, session, w);
    assets.get(src, w)
}

#[test]
fn data_uris_resolve() {
    use base64::Engine;
    let png = encode(rgb(2, 3), image::ImageFormat::Png);
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let uri = format!("data:image/png;base64,{b64}");
    let mut warnings = Warnings::new();
    let res = one(&uri, None, &session(Options::default()), &mut warnings).unwrap();
    assert_eq!(res.bytes, png);
    assert!(warnings.is_empty());
}

#[test]
fn local_paths_resolve_against_the_article_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img dir")).unwrap();
    let gif = encode(rgb(5, 5), image::ImageFormat::Gif);
    std::fs::write(dir.path().join("img dir/pic.gif"), &gif).unwrap();
    let s = session(Options::default());
    let root = Some(dir.path());
    let mut warnings = Warnings::new();
    for src in [
        "img dir/pic.gif",
        "img%20dir/pic.gif?v=2",
        "./img dir/pic.gif#x",
    ] {
        let res = one(src, root, &s, &mut warnings).unwrap();
        assert_eq!(res.media_type, "image/gif", "{src}");
    }
    assert!(warnings.is_empty());
    assert!(one("missing.png", root, &s, &mut warnings).is_none());
    assert!(one("", root, &s, &mut warnings).is_none());
    assert!(one("javascript:alert(1)", root, &s, &mut warnings).is_none());
    assert_eq!(warnings.items().len(), 3);
    assert!(warnings.items()[0].message.contains("missing.png"));
}

#[test]
fn offline_uses_the_cache_and_never_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(Options {
        offline: true,
        cache_dir: Some(dir.path().to_path_buf()),
        ..Options::default()
    });
    let url = "https://example.invalid/a.png";
    let mut warnings = Warnings::new();
    assert!(one(url, None, &s, &mut warnings).is_none());
    assert!(warnings.items()[0].message.contains("offline"));
    let png = encode(rgb(2, 2), image::ImageFormat::Png);
    std::fs::write(dir.path().join(fetch::cache_key(url)), &png).unwrap();
    assert_eq!(one(url, None, &s, &mut warnings).unwrap().bytes, png);
}

#[test]
fn a_picture_is_decoded_once_for_every_reference() {
    let png = encode(rgb(3, 3), image::ImageFormat::Png);
    use base64::Engine;
    let uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    let s = session(Options::default());
    let mut assets = Assets::default();
    let mut w = Warnings::new();
    assets.resolve(&uri, None, &s, &mut w);
    let a = assets.pixels(&uri, &mut w).unwrap();
    let b = assets.pixels(&uri, &mut w).unwrap();
    assert!(Arc::ptr_eq(&a, &b));
    assert!(assets.pixels("never-resolved.png", &mut w).is_none());
    assert!(w.items()[0].message.contains("never-resolved.png"));
}

#[test]
fn devices_absolute_paths_and_escapes_from_the_article_folder_are_refused() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("article");
    std::fs::create_dir(&dir).unwrap();
    let gif = encode(rgb(2, 2), image::ImageFormat::Gif);
    std::fs::write(outer.path().join("secret.gif"), &gif).unwrap();
    std::fs::write(dir.join("ok.gif"), &gif).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outer.path().join("secret.gif"), dir.join("link.gif")).unwrap();
    let s = session(Options::default());
    let root = Some(dir.as_path());
    let mut w = Warnings::new();
    assert!(one("ok.gif", root, &s, &mut w).is_some());
    let secret = outer.path().join("secret.gif").display().to_string();
    for src in [
        "file:///dev/zero".to_string(),
        "/dev/zero".to_string(),
        "/proc/self/environ".to_string(),
        "../secret.gif".to_string(),
        secret.clone(),
        format!("file://{secret}"),
        "link.gif".to_string(),
    ] {
        let mut w = Warnings::new();
        assert!(one(&src, root, &s, &mut w).is_none(), "{src} was read");
        assert_eq!(w.items().len(), 1, "{src}: {:?}", w.items());
    }
    // Without a folder (standard input), nothing local is read.
    assert!(one("ok.gif", None, &s, &mut w).is_none());
    assert_eq!(s.missing_images(), 8);
}

#[test]
fn reads_are_capped_in_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let gif = encode(rgb(40, 40), image::ImageFormat::Gif);
    std::fs::write(dir.path().join("big.gif"), &gif).unwrap();
    let s = session(Options {
        max_image_bytes: 64,
        ..Options::default()
    });
    let mut w = Warnings::new();
    assert!(one("big.gif", Some(dir.path()), &s, &mut w).is_none());
    assert!(
        w.items()[0].message.contains("larger than 64 bytes"),
        "{:?}",
        w.items()
    );
    let uri = format!("data:image/gif;base64,{}", "A".repeat(1000));
    assert!(one(&uri, None, &s, &mut w).is_none());
}

fn data_uri(bytes: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:image/png;base64,{b64}")
}

#[test]
fn a_device_gets_the_fitted_grey_variant_in_the_epub_and_the_pdf() {
    let kindle = crate::device::profile("kindle").unwrap();
    let s = session(Options::for_device(kindle));
    let uri = data_uri(&encode(rgb(2472, 400), image::ImageFormat::Png));
    let mut warnings = Warnings::new();
    let mut assets = Assets::default();
    assert!(assets.resolve(&uri, None, &s, &mut warnings));
    let res = assets.get(&uri, &mut warnings).unwrap();
    assert_eq!((res.width, res.height), (1236, 200));
    // The PDF decodes the same variant: grey, fitted.
    let pixels = assets.pixels(&uri, &mut warnings).unwrap();
    assert_eq!((pixels.width, pixels.height), (1236, 200));
    match &pixels.data {
        pixels::ImageData::Jpeg { components, .. } => assert_eq!(*components, 1),
        pixels::ImageData::Rgb { pixels, .. } => {
            assert!(pixels.chunks(3).all(|p| p[0] == p[1] && p[1] == p[2]))
        }
    }
    assert!(warnings.is_empty());
}

#[test]
fn a_cover_fits_the_cover_size_not_the_screen() {
    let mut opts = Options::for_device(crate::device::profile("kobo").unwrap());
    opts.images.max = Some((100, 100));
    opts.cover_size = Some((600, 800));
    let s = session(opts);
    let uri = data_uri(&encode(rgb(1200, 1600), image::ImageFormat::Png));
    let (mut warnings, mut assets) = (Warnings::new(), Assets::default());
    assets.resolve_cover(&uri, None, &s, &mut warnings);
    let res = assets.get(&uri, &mut warnings).unwrap();
    assert_eq!((res.width, res.height), (600, 800));
}

#[test]
fn shrinking_for_a_size_budget_lowers_size_and_keeps_small_pictures_sizes() {
    let s = session(Options::default());
    let photo = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    }));
    let big = data_uri(&encode(photo, image::ImageFormat::Jpeg));
    let icon = data_uri(&encode(rgb(32, 32), image::ImageFormat::Png));
    let (mut warnings, mut assets) = (Warnings::new(), Assets::default());
    assets.resolve(&big, None, &s, &mut warnings);
    assets.resolve(&icon, None, &s, &mut warnings);
    let before = assets.get(&big, &mut warnings).unwrap().bytes.len();
    let icon_before = assets.get(&icon, &mut warnings).unwrap();
    let saved = assets.shrink(&s.opts.images, 1);
    let after = assets.get(&big, &mut warnings).unwrap();
    assert_eq!((after.width, after.height), (1200, 900));
    let icon_after = assets.get(&icon, &mut warnings).unwrap();
    let icon_saved = icon_before.bytes.len() - icon_after.bytes.len();
    assert_eq!(saved, (before - after.bytes.len() + icon_saved) as u64);
    assert!(before > after.bytes.len());
    // A small picture keeps its size (a lossless palette PNG may be smaller).
    assert_eq!((icon_after.width, icon_after.height), (32, 32));
    assert_eq!(icon_after.media_type, "image/png");
}

/// Regression (issue 13, a 1,000-article bundle with a 650 KB picture each:
/// 2.4 GB at the peak for a 644 MB EPUB, 499 MB for 300 articles' PDF): a
/// bundle's table keeps the bytes in its spool and gives pixels back only
/// while someone holds them; a document's table keeps both.
#[test]
fn a_bundles_table_holds_no_picture_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let png = encode(rgb(40, 30), image::ImageFormat::Png);
    std::fs::write(dir.path().join("a.png"), &png).unwrap();
    let s = session(Options::default());
    let mut w = Warnings::new();
    let mut mine = Assets::default();
    mine.resolve("a.png", Some(dir.path()), &s, &mut w);
    let mut bundle = Assets::spooled();
    bundle.extend(mine);
    assert!(matches!(
        &bundle.entries["a.png"],
        Ok(asset) if matches!(asset.stored, Stored::Spooled { .. })
    ));
    let res = bundle.get("a.png", &mut w).unwrap();
    assert_eq!(
        (res.bytes.as_slice(), res.width, res.height),
        (png.as_slice(), 40, 30)
    );
    // Pixels: decoded, lent, and decoded again once let go.
    let img = bundle.pixels("a.png", &mut w).unwrap();
    assert_eq!(Arc::strong_count(&img), 1, "the table keeps no pixels");
    let again = bundle.pixels("a.png", &mut w).unwrap();
    assert!(Arc::ptr_eq(&img, &again), "held pixels are shared");
    drop((img, again));
    assert_eq!(bundle.pixels("a.png", &mut w).unwrap().width, 40);
    // A document's table keeps them for the run.
    let mut doc = Assets::default();
    doc.resolve("a.png", Some(dir.path()), &s, &mut w);
    let img = doc.pixels("a.png", &mut w).unwrap();
    assert_eq!(Arc::strong_count(&img), 2);
    assert!(w.is_empty(), "{:?}", w.items());
}

/// Issue 13 ("each image decoded once per run"): a picture every article
/// of a bundle shows is resolved (read, fitted, re-encoded) for the first
/// article only; one that could not be had is tried again, so each article
/// showing it is warned.
#[test]
fn a_bundle_resolves_a_shared_picture_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("logo.png"),
        encode(rgb(8, 8), image::ImageFormat::Png),
    )
    .unwrap();
    let s = session(Options::default());
    let doc = |src: &str| Document {
        blocks: vec![Block::Paragraph {
            content: vec![Inline::Image {
                image: Image {
                    src: src.into(),
                    ..Image::default()
                },
            }],
        }],
        ..Document::default()
    };
    let logo = dir.path().join("logo.png").display().to_string();
    let gone = dir.path().join("gone.png").display().to_string();
    let mut bundle = Assets::spooled();
    for article in 0..3 {
        let mut w = Warnings::new();
        let mut mine = Assets::default();
        for src in [&logo, &gone] {
            mine.resolve_new(&doc(src), Some(dir.path()), &s, &mut w, &|src| {
                bundle.holds(src)
            });
        }
        assert_eq!(mine.holds(&logo), article == 0, "article {article}");
        assert_eq!(w.items().len(), 1, "article {article}: {:?}", w.items());
        bundle.extend(mine);
    }
    assert!(bundle.holds(&logo) && !bundle.holds(&gone));
}
