use super::*;
use image::{Rgb, RgbImage, Rgba, RgbaImage};

fn encode_as(picture: DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode test image");
    out
}

/// A photograph-like picture: smooth colour gradients, thousands of colours.
fn gradient(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([
            (x * 255 / w.max(1)) as u8,
            (y * 255 / h.max(1)) as u8,
            ((x + y) * 127 / (w + h)) as u8,
        ])
    }))
}

/// Two-colour line art: dark blue strokes on white.
fn line_art(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        if x % 17 < 2 || y % 23 < 2 {
            Rgb([20, 30, 120])
        } else {
            Rgb([255, 255, 255])
        }
    }))
}

fn resource(bytes: Vec<u8>) -> Resource {
    Resource::from_bytes(bytes).expect("a picture")
}

const KINDLE: ImagePolicy = ImagePolicy {
    max: Some((1236, 1648)),
    grey: true,
    jpeg_quality: 75,
};

const COLOUR: ImagePolicy = ImagePolicy {
    max: Some((1264, 1680)),
    grey: false,
    jpeg_quality: 80,
};

fn decoded(res: &Resource) -> DynamicImage {
    image::load_from_memory(&res.bytes).expect("decodable output")
}

#[test]
fn an_oversized_photo_is_fitted_greyed_and_a_baseline_jpeg() {
    let res = resource(encode_as(gradient(3000, 2000), image::ImageFormat::Png));
    let (out, why) = prepare(res, &KINDLE, false);
    assert!(why.is_none());
    let Outcome::Changed(out) = out else {
        panic!("changed")
    };
    assert_eq!(out.media_type, "image/jpeg");
    assert_eq!((out.width, out.height), (1236, 824));
    assert_eq!(super::super::pixels::jpeg_components(&out.bytes), Some(1));
    assert!(is_baseline(&out.bytes));
    let img = decoded(&out);
    assert_eq!((img.width(), img.height()), (1236, 824));
    assert!(is_grey(&img));
}

#[test]
fn colour_screens_keep_colour_and_tall_pictures_fit_the_height() {
    let res = resource(encode_as(gradient(800, 4000), image::ImageFormat::Jpeg));
    let Outcome::Changed(out) = prepare(res, &COLOUR, false).0 else {
        panic!("changed")
    };
    assert_eq!((out.width, out.height), (336, 1680));
    assert_eq!(super::super::pixels::jpeg_components(&out.bytes), Some(3));
    assert!(!is_grey(&decoded(&out)));
}

#[test]
fn line_art_becomes_a_small_palette_png() {
    let res = resource(encode_as(line_art(2000, 1000), image::ImageFormat::Png));
    let Outcome::Changed(out) = prepare(res, &KINDLE, false).0 else {
        panic!("changed")
    };
    assert_eq!(out.media_type, "image/png");
    assert_eq!((out.width, out.height), (1236, 618));
    // Colour type 3, indexed; the scaled strokes' edges are cut to the 16
    // grey levels of an e-ink panel, so 4 bits a pixel.
    assert_eq!((out.bytes[24], out.bytes[25]), (4, 3));
    let img = decoded(&out);
    assert!(is_grey(&img));
}

#[test]
fn two_colours_that_fit_take_one_bit_a_pixel() {
    let res = resource(encode_as(line_art(600, 400), image::ImageFormat::Png));
    let before = res.bytes.len();
    let Outcome::Changed(out) = prepare(res, &KINDLE, false).0 else {
        panic!("a colour picture on a grey screen changes")
    };
    // Bit depth 1, indexed; never larger than the original.
    assert_eq!((out.bytes[24], out.bytes[25]), (1, 3));
    assert!(out.bytes.len() <= before, "{} > {before}", out.bytes.len());
    let img = decoded(&out).to_luma8();
    let levels: std::collections::BTreeSet<u8> = img.pixels().map(|p| p.0[0]).collect();
    assert_eq!(levels.len(), 2);
}

#[test]
fn a_picture_that_already_fits_and_is_grey_keeps_its_bytes() {
    let grey = DynamicImage::ImageLuma8(gradient(640, 480).to_luma8());
    for format in [image::ImageFormat::Jpeg, image::ImageFormat::Png] {
        let bytes = encode_as(grey.clone(), format);
        let (out, why) = prepare(resource(bytes.clone()), &KINDLE, false);
        assert!(why.is_none());
        let Outcome::Kept(out) = out else {
            panic!("{format:?} kept")
        };
        assert_eq!(out.bytes, bytes);
    }
    // An RGB JPEG of grey content is grey enough: not re-encoded.
    let rgb_grey = DynamicImage::ImageRgb8(grey.to_rgb8());
    let bytes = encode_as(rgb_grey, image::ImageFormat::Jpeg);
    assert!(matches!(
        prepare(resource(bytes), &KINDLE, false).0,
        Outcome::Kept(_)
    ));
    // A colour picture that fits on a colour screen is kept too.
    let bytes = encode_as(gradient(640, 480), image::ImageFormat::Jpeg);
    assert!(matches!(
        prepare(resource(bytes), &COLOUR, false).0,
        Outcome::Kept(_)
    ));
}

#[test]
fn small_pictures_are_never_enlarged() {
    let res = resource(encode_as(gradient(40, 30), image::ImageFormat::Png));
    let out = prepare(res, &KINDLE, false).0.into_resource();
    assert_eq!((out.width, out.height), (40, 30));
    assert_eq!(fitted_size(40, 30, Some((1236, 1648))), (40, 30));
    assert_eq!(fitted_size(5000, 10, Some((1236, 1648))), (1236, 2));
    assert_eq!(fitted_size(100_000, 1, Some((10, 10))), (10, 1));
}

fn animated_gif(w: u32, h: u32) -> Vec<u8> {
    use image::codecs::gif::GifEncoder;
    use image::Frame;
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        for colour in [[200, 0, 0, 255], [0, 200, 0, 255], [0, 0, 200, 255]] {
            let frame = Frame::new(RgbaImage::from_pixel(w, h, Rgba(colour)));
            encoder.encode_frame(frame).expect("frame");
        }
    }
    out
}

#[test]
fn an_animated_gif_becomes_its_first_frame() {
    let res = resource(animated_gif(30, 20));
    let Outcome::Changed(out) = prepare(res, &COLOUR, false).0 else {
        panic!("an animation is never kept for e-ink")
    };
    assert_eq!(out.media_type, "image/png");
    let img = decoded(&out).to_rgb8();
    assert_eq!((img.width(), img.height()), (30, 20));
    // The first frame is the red one.
    let [r, g, b] = img.get_pixel(5, 5).0;
    assert!(r > 150 && g < 50 && b < 50, "{r} {g} {b}");
}

#[test]
fn webp_is_fitted_and_becomes_jpeg_on_a_grey_screen() {
    let res = resource(encode_as(gradient(2600, 1300), image::ImageFormat::WebP));
    // The asset pass already made it a JPEG; the device step fits it.
    assert_eq!(res.media_type, "image/jpeg");
    let out = prepare(res, &KINDLE, false).0.into_resource();
    assert_eq!(
        (out.media_type, out.width, out.height),
        ("image/jpeg", 1236, 618)
    );
}

#[test]
fn transparency_is_kept_in_a_png() {
    let img = DynamicImage::ImageRgba8(RgbaImage::from_fn(2000, 100, |x, _| {
        Rgba([(x % 256) as u8, 90, 200, (x % 200) as u8])
    }));
    let res = resource(encode_as(img, image::ImageFormat::Png));
    let out = prepare(res, &KINDLE, false).0.into_resource();
    assert_eq!(out.media_type, "image/png");
    let back = decoded(&out);
    assert!(back.color().has_alpha());
    assert_eq!(back.width(), 1236);
}

#[test]
fn a_progressive_jpeg_header_is_not_baseline() {
    let bytes = encode_as(gradient(20, 20), image::ImageFormat::Jpeg);
    assert!(is_baseline(&bytes));
    let mut progressive = bytes.clone();
    let sof = progressive
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("SOF0");
    progressive[sof + 1] = 0xC2;
    assert!(!is_baseline(&progressive));
}

#[test]
fn the_keep_policy_touches_nothing_and_broken_bytes_are_kept_with_a_reason() {
    let bytes = encode_as(gradient(5000, 100), image::ImageFormat::Png);
    let out = prepare(resource(bytes.clone()), &ImagePolicy::KEEP, false).0;
    assert!(matches!(&out, Outcome::Kept(r) if r.bytes == bytes));
    // A PNG whose header is fine but whose data is cut.
    let mut cut = encode_as(gradient(300, 300), image::ImageFormat::Png);
    cut.truncate(cut.len() / 2);
    let res = Resource {
        bytes: cut.clone(),
        media_type: "image/png",
        width: 300,
        height: 300,
    };
    let (out, why) = prepare(res, &KINDLE, false);
    assert!(matches!(&out, Outcome::Kept(r) if r.bytes == cut));
    assert!(why.is_some());
}

#[test]
fn a_jpeg_of_few_colours_stays_a_jpeg() {
    // Regression: the seed's harbour.jpg (a few flat colours) became a
    // palette PNG on grey screens, smaller unzipped but twice as large in
    // the book, since the JPEG deflated by half and the PNG not at all.
    let flat = DynamicImage::ImageRgb8(RgbImage::from_fn(480, 270, |_, y| {
        if y < 150 {
            Rgb([40, 60, 140])
        } else {
            Rgb([200, 120, 40])
        }
    }));
    let res = resource(encode_as(flat, image::ImageFormat::Jpeg));
    let out = prepare(res, &KINDLE, false).0.into_resource();
    assert_eq!(out.media_type, "image/jpeg");
    assert_eq!(super::super::pixels::jpeg_components(&out.bytes), Some(1));
}

#[test]
fn only_baseline_grey_or_rgb_jpegs_pass_on_their_header() {
    let bytes = encode_as(gradient(20, 20), image::ImageFormat::Jpeg);
    let jpeg = Some(ImageKind::Jpeg);
    assert!(header_says_ready(&bytes, jpeg, false));
    assert!(
        !header_says_ready(&bytes, jpeg, true),
        "colour on a grey screen"
    );
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("SOF0");
    // The component count sits 9 bytes after the marker.
    let mut cmyk = bytes.clone();
    cmyk[sof + 9] = 4;
    assert!(
        !header_says_ready(&cmyk, jpeg, false),
        "CMYK is decoded and converted"
    );
    let grey = encode_as(
        DynamicImage::ImageLuma8(gradient(20, 20).to_luma8()),
        image::ImageFormat::Jpeg,
    );
    assert!(header_says_ready(&grey, jpeg, true));
}
