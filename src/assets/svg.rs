//! SVG pictures drawn to pixels (cargo feature `svg`: resvg without its
//! text, font and raster-image features, so the default build keeps its
//! crate budget). E-readers show SVG unevenly and the PDF writer cannot
//! draw it, so a rasterised PNG is what every writer embeds; the device
//! pass then fits, greys and re-encodes it like any other picture.
//!
//! The SVG is untrusted: it may name files (`<image href="/etc/…">`), which
//! usvg's default resolver would read, so only pictures carried inside the
//! SVG itself (`data:` URLs) are looked at, and nothing is ever loaded.
//! Text is not drawn (that needs fonts and a shaper, another dozen crates).

use resvg::{tiny_skia, usvg};

/// Longest side of the drawn picture: sharp on a 300 dpi e-reader screen
/// (the device pass scales down, never up) and far below the decoder's
/// guard against decompression bombs.
const LONGEST_SIDE: f32 = 2048.0;
/// Icons and inline symbols declare sizes like 16×16: drawn at least this
/// many times larger, they keep their lines crisp once fitted.
const MIN_SCALE: f32 = 2.0;

/// Draws SVG bytes onto white and returns them as PNG bytes. The error is
/// the reason in a few words, for a warning.
pub(super) fn rasterise(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_data(bytes, &options()).map_err(|e| format!("broken SVG ({e})"))?;
    let size = tree.size();
    let scale = scale_for(size.width(), size.height());
    let (w, h) = (
        (size.width() * scale).ceil().max(1.0) as u32,
        (size.height() * scale).ceil().max(1.0) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or("SVG of no size")?;
    // E-ink and paper are white: a transparent background drawn onto it
    // now saves an alpha channel in every later step.
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let picture = image::RgbImage::from_raw(w, h, rgb).ok_or("SVG drawn to a wrong size")?;
    let mut out = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode the drawn SVG ({e})"))?;
    Ok(out)
}

/// Parsing options that never read a file: a string `href` resolves to
/// nothing; `data:` pictures are kept only when they are SVG themselves
/// (raster decoding inside resvg is a feature left out).
fn options() -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// Scale from the SVG's own size to pixels: at least [`MIN_SCALE`], with the
/// longest side at most [`LONGEST_SIDE`] (a huge declared size shrinks).
fn scale_for(width: f32, height: f32) -> f32 {
    let longest = width.max(height).max(1.0);
    MIN_SCALE.min(LONGEST_SIDE / longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> image::RgbImage {
        image::load_from_memory(png).expect("drawn SVG is a PNG").to_rgb8()
    }

    #[test]
    fn a_drawing_becomes_pixels_at_twice_its_size_on_white() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
            <rect x="0" y="0" width="20" height="20" fill="#000"/></svg>"##;
        let picture = decode(&rasterise(svg).unwrap());
        assert_eq!(picture.dimensions(), (80, 40));
        assert_eq!(picture.get_pixel(10, 10).0, [0, 0, 0], "the square is drawn");
        assert_eq!(picture.get_pixel(70, 10).0, [255, 255, 255], "transparency is white");
    }

    #[test]
    fn a_huge_declared_size_is_drawn_at_most_2048_pixels_long() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="50000"
            viewBox="0 0 10 5"><rect width="10" height="5" fill="red"/></svg>"#;
        let picture = decode(&rasterise(svg).unwrap());
        assert_eq!(picture.dimensions(), (2048, 1024));
    }

    #[test]
    fn an_svg_never_makes_conv_read_a_file() {
        // A red drawing on disk, named by absolute path from the SVG:
        // usvg's own resolver would read and draw it (an SVG needs no
        // raster decoder), turning the picture red.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.svg");
        std::fs::write(
            &path,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4" fill="red"/></svg>"#,
        )
        .unwrap();
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
                width="4" height="4"><image width="4" height="4" xlink:href="{}"/>
                <image width="4" height="4" href="file://{0}"/></svg>"#,
            path.display()
        );
        let picture = decode(&rasterise(svg.as_bytes()).unwrap());
        assert!(picture.pixels().all(|p| p.0 == [255, 255, 255]));
    }

    #[test]
    fn a_coloured_chart_is_fitted_and_greyed_for_a_kindle_as_line_art() {
        use super::super::resource::Resource;
        use super::super::transform::{is_grey, prepare};
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="600">
            <rect x="100" y="100" width="300" height="400" fill="#c03030"/>
            <rect x="500" y="300" width="300" height="200" fill="#3050c0"/>
            <path d="M50 550 H1150" stroke="#000" stroke-width="4"/></svg>"##;
        let res = Resource::from_bytes(svg.to_vec()).unwrap();
        assert_eq!((res.media_type, res.width, res.height), ("image/png", 2048, 1024));
        let kindle = crate::device::ImagePolicy {
            max: Some((1236, 1648)),
            grey: true,
            jpeg_quality: 75,
        };
        let out = prepare(res, &kindle, false).0.into_resource();
        assert_eq!((out.media_type, out.width, out.height), ("image/png", 1236, 618));
        assert!(is_grey(&image::load_from_memory(&out.bytes).unwrap()));
    }

    #[test]
    fn broken_svg_is_a_reason_not_a_panic() {
        assert!(rasterise(b"<svg").unwrap_err().contains("SVG"));
        assert!(rasterise(b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>").is_ok());
    }
}
