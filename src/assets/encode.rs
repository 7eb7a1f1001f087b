//! Encoding a converted picture in the form that suits it: few colours
//! (line art, diagrams, screenshots of text) as a palette PNG of 1, 2, 4
//! or 8 bits a pixel; a photograph as a baseline JPEG (one component when
//! grey); a photograph with transparency as a PNG.

use super::resource::Resource;
use image::DynamicImage;
use std::collections::HashMap;
use std::io::Cursor;

/// Most colours a palette holds.
const PALETTE_MAX: usize = 256;

/// Grey levels an e-ink panel shows: grey line art keeps no more.
const EINK_LEVELS: u8 = 16;

/// True when `picture` is line art (see [`is_line_art`]); asked of the
/// picture as it came, since scaling smooths its edges into many colours.
pub fn looks_like_line_art(picture: &DynamicImage) -> bool {
    let rgba = picture.to_rgba8();
    let pixels = rgba.width() as usize * rgba.height() as usize;
    palette_of(&rgba).is_some_and(|palette| is_line_art(&palette, pixels))
}

/// Encodes `picture` (already fitted and greyed) as PNG or JPEG; `line_art`
/// says what the picture was before scaling (see [`looks_like_line_art`]).
pub fn encode(
    picture: &DynamicImage,
    jpeg_quality: u8,
    line_art: bool,
) -> Result<Resource, String> {
    let mut rgba = picture.to_rgba8();
    let (width, height) = rgba.dimensions();
    let transparent = rgba.pixels().any(|p| p.0[3] < 255);
    let grey = !picture.color().has_color();
    if line_art && grey {
        // Scaled strokes have grey edges of every level; the panel shows 16.
        quantise_grey(&mut rgba);
    }
    let (bytes, media_type) = match palette_of(&rgba) {
        Some(palette) if line_art => (palette_png(&rgba, &palette)?, "image/png"),
        // Scaled colour line art: lossless, so strokes stay sharp.
        _ if line_art || transparent => (plain_png(picture)?, "image/png"),
        _ => (jpeg(picture, jpeg_quality)?, "image/jpeg"),
    };
    Ok(Resource {
        bytes,
        media_type,
        width,
        height,
    })
}

/// Rounds every grey level to the nearest of [`EINK_LEVELS`] (0, 17, … 255).
fn quantise_grey(rgba: &mut image::RgbaImage) {
    let step = 255 / (EINK_LEVELS - 1);
    for p in rgba.pixels_mut() {
        for c in &mut p.0[..3] {
            *c = ((u16::from(*c) + u16::from(step / 2)) / u16::from(step) * u16::from(step)) as u8;
        }
    }
}

/// The colours of a picture with how many pixels show each, most common
/// first; `None` beyond [`PALETTE_MAX`] colours.
struct Palette {
    colours: Vec<([u8; 4], usize)>,
    index: HashMap<[u8; 4], u8>,
}

fn palette_of(rgba: &image::RgbaImage) -> Option<Palette> {
    let mut counts: HashMap<[u8; 4], usize> = HashMap::new();
    for p in rgba.pixels() {
        *counts.entry(p.0).or_default() += 1;
        if counts.len() > PALETTE_MAX {
            return None;
        }
    }
    let mut colours: Vec<([u8; 4], usize)> = counts.into_iter().collect();
    colours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let index = colours
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (*c, i as u8))
        .collect();
    Some(Palette { colours, index })
}

/// Line art: a handful of colours, or a few that cover nearly every pixel
/// (black strokes on white with anti-aliased edges). A grey photograph has
/// at most 256 levels too, but spread out.
fn is_line_art(palette: &Palette, pixels: usize) -> bool {
    if palette.colours.len() <= 64 {
        return true;
    }
    let top: usize = palette.colours.iter().take(8).map(|(_, n)| n).sum();
    top * 10 >= pixels * 8
}

fn palette_png(rgba: &image::RgbaImage, palette: &Palette) -> Result<Vec<u8>, String> {
    let (width, height) = rgba.dimensions();
    let depth = match palette.colours.len() {
        0..=2 => png::BitDepth::One,
        3..=4 => png::BitDepth::Two,
        5..=16 => png::BitDepth::Four,
        _ => png::BitDepth::Eight,
    };
    let bits = depth as usize;
    let rgb: Vec<u8> = palette
        .colours
        .iter()
        .flat_map(|(c, _)| [c[0], c[1], c[2]])
        .collect();
    let alpha: Vec<u8> = palette.colours.iter().map(|(c, _)| c[3]).collect();
    let row_bytes = (width as usize * bits).div_ceil(8);
    let mut data = vec![0u8; row_bytes * height as usize];
    for (y, row) in rgba.rows().enumerate() {
        let line = &mut data[y * row_bytes..(y + 1) * row_bytes];
        for (x, p) in row.enumerate() {
            let i = palette.index.get(&p.0).copied().unwrap_or(0);
            let bit = x * bits;
            line[bit / 8] |= i << (8 - bits - bit % 8);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(depth);
    encoder.set_palette(rgb);
    if alpha.iter().any(|&a| a < 255) {
        encoder.set_trns(alpha);
    }
    let failed = |e: png::EncodingError| format!("cannot encode PNG ({e})");
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&data).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

fn plain_png(picture: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|e| format!("cannot encode PNG ({e})"))?;
    Ok(out)
}

/// A baseline JPEG (the image crate writes only baseline), one component
/// when the picture is grey.
fn jpeg(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let encoder =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
    let written = if picture.color().has_color() {
        picture.to_rgb8().write_with_encoder(encoder)
    } else {
        picture.to_luma8().write_with_encoder(encoder)
    };
    written.map_err(|e| format!("cannot encode JPEG ({e})"))?;
    Ok(out)
}
