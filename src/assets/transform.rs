//! Pictures made ready for a device's screen ([`ImagePolicy`]): scaled down
//! to fit (never up), greyed for monochrome screens, the first frame of an
//! animated GIF, and re-encoded — baseline JPEG for photographs, PNG (a
//! palette when few colours) for line art and for what has transparency.
//!
//! A picture that already fits, is already grey where it must be, and is a
//! baseline JPEG, PNG or still GIF keeps its bytes: nothing is re-encoded
//! needlessly. Each picture is decoded at most once here (plus the two
//! frames that tell an animated GIF).

use super::encode;
use super::pixels::decode_within_limits;
use super::resource::{ImageKind, Resource};
use crate::device::ImagePolicy;
use image::{DynamicImage, GenericImageView};
use std::io::Cursor;

/// What became of a picture.
#[derive(Debug)]
pub enum Outcome {
    /// Already right: the same bytes.
    Kept(Resource),
    /// Converted for the screen.
    Changed(Resource),
}

impl Outcome {
    /// The picture to embed.
    pub fn into_resource(self) -> Resource {
        match self {
            Outcome::Kept(r) | Outcome::Changed(r) => r,
        }
    }
}

/// Readies `res` for `policy`; `reencode` forces JPEGs through the encoder
/// at the policy's quality (a size budget asks for it). When the picture
/// cannot be decoded it is kept with the reason, for a warning.
pub fn prepare(res: Resource, policy: &ImagePolicy, reencode: bool) -> (Outcome, Option<String>) {
    if policy.keeps_all() && !reencode {
        return (Outcome::Kept(res), None);
    }
    let kind = ImageKind::sniff(&res.bytes);
    let fits = fits(res.width, res.height, policy.max);
    if fits && !reencode && header_says_ready(&res.bytes, kind, policy.grey) {
        return (Outcome::Kept(res), None);
    }
    let (picture, animated) = match decode_first_frame(&res.bytes, kind) {
        Ok(decoded) => decoded,
        Err(why) => return (Outcome::Kept(res), Some(why)),
    };
    let grey_enough = !policy.grey || is_grey(&picture);
    let jpeg_ok = |b: &[u8]| is_baseline(b) && super::pixels::jpeg_components(b) != Some(4);
    let form_ok = !animated && !matches!(kind, Some(ImageKind::Jpeg) if !jpeg_ok(&res.bytes));
    if fits && grey_enough && form_ok && !reencode {
        return (Outcome::Kept(res), None);
    }
    // A JPEG stays one: its artefacts are no line art, and a palette PNG
    // of a photograph is larger.
    let line_art = kind != Some(ImageKind::Jpeg) && encode::looks_like_line_art(&picture);
    let picture = fit(picture, policy.max);
    let picture = if policy.grey { grey(picture) } else { picture };
    match encode::encode(&picture, policy.jpeg_quality, line_art) {
        Ok(out) if !(fits && grey_enough && form_ok) || out.bytes.len() < res.bytes.len() => {
            (Outcome::Changed(out), None)
        }
        // Only the form or the quality would change, and not for the
        // smaller: the original is as good.
        Ok(_) => (Outcome::Kept(res), None),
        Err(why) => (Outcome::Kept(res), Some(why)),
    }
}

fn fits(width: u32, height: u32, max: Option<(u32, u32)>) -> bool {
    max.is_none_or(|(w, h)| width <= w && height <= h)
}

/// The size `(width, height)` scaled to fit `max`, keeping its shape.
pub fn fitted_size(width: u32, height: u32, max: Option<(u32, u32)>) -> (u32, u32) {
    match max {
        Some((mw, mh)) if !fits(width, height, max) => {
            let scale = (f64::from(mw) / f64::from(width)).min(f64::from(mh) / f64::from(height));
            let side = |v: u32| ((f64::from(v) * scale).round() as u32).max(1);
            (side(width).min(mw), side(height).min(mh))
        }
        _ => (width, height),
    }
}

/// Scales `picture` down to fit `max`; never up.
fn fit(picture: DynamicImage, max: Option<(u32, u32)>) -> DynamicImage {
    let (w, h) = picture.dimensions();
    let (nw, nh) = fitted_size(w, h, max);
    if (nw, nh) == (w, h) {
        return picture;
    }
    if u64::from(w) * u64::from(h) > 16_000_000 {
        // An area average in one pass: resize's float copy of a huge
        // picture is hundreds of megabytes.
        picture.thumbnail_exact(nw, nh)
    } else {
        picture.resize_exact(nw, nh, image::imageops::FilterType::CatmullRom)
    }
}

/// The picture in grey, keeping its transparency.
fn grey(picture: DynamicImage) -> DynamicImage {
    if picture.color().has_alpha() {
        DynamicImage::ImageLumaA8(picture.to_luma_alpha8())
    } else {
        DynamicImage::ImageLuma8(picture.to_luma8())
    }
}

/// True when every pixel is (near enough) grey: a JPEG's chroma noise of a
/// few levels does not make a colour picture.
pub fn is_grey(picture: &DynamicImage) -> bool {
    if !picture.color().has_color() {
        return true;
    }
    picture.to_rgba8().pixels().all(|p| {
        let [r, g, b, _] = p.0;
        r.abs_diff(g) <= 3 && g.abs_diff(b) <= 3 && r.abs_diff(b) <= 3
    })
}

/// From the header alone: a still picture in a form every reader shows and
/// grey where `grey` asks, so it needs no decoding. Conservative: `false`
/// only means "look at the pixels".
fn header_says_ready(bytes: &[u8], kind: Option<ImageKind>, grey: bool) -> bool {
    match kind {
        // CMYK (4 components) is shown inverted or not at all by many readers.
        Some(ImageKind::Jpeg) => {
            is_baseline(bytes)
                && match super::pixels::jpeg_components(bytes) {
                    Some(1) => true,
                    Some(3) => !grey,
                    _ => false,
                }
        }
        // Colour types 0 and 4: grey and grey with alpha.
        Some(ImageKind::Png) => !grey || matches!(bytes.get(25), Some(0 | 4)),
        _ => false,
    }
}

/// A baseline (or extended sequential) JPEG, which every reader decodes;
/// progressive ones trip older Kindles.
fn is_baseline(bytes: &[u8]) -> bool {
    matches!(super::pixels::jpeg_frame_marker(bytes), Some(0xC0 | 0xC1))
}

/// Decodes the picture (an animated GIF's first frame); the flag tells
/// an animation.
fn decode_first_frame(
    bytes: &[u8],
    kind: Option<ImageKind>,
) -> Result<(DynamicImage, bool), String> {
    if kind != Some(ImageKind::Gif) {
        return decode_within_limits(bytes).map(|p| (p, false));
    }
    use image::AnimationDecoder;
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable GIF: {e}"))?;
    let (w, h) = image::ImageDecoder::dimensions(&decoder);
    if w > super::pixels::MAX_SIDE || h > super::pixels::MAX_SIDE {
        return Err("too large to decode".into());
    }
    let mut frames = decoder.into_frames();
    let first = frames
        .next()
        .ok_or("a GIF without frames")?
        .map_err(|e| format!("not a readable GIF: {e}"))?;
    let animated = frames.next().is_some_and(|f| f.is_ok());
    Ok((DynamicImage::ImageRgba8(first.into_buffer()), animated))
}

#[cfg(test)]
#[path = "transform_tests.rs"]
mod tests;
