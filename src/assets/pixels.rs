//! Pictures decoded for the PDF: JPEGs kept as they are (with their size and
//! colour components), other formats decoded to 8-bit RGB plus an alpha
//! mask. Done once per picture per run, from the bytes of the asset pass.

/// An image ready to embed.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The pixels, as the PDF will hold them.
    pub data: ImageData,
}

/// How an image is stored in the PDF.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageData {
    /// A baseline/progressive JPEG passed through untouched (DCTDecode),
    /// with its number of colour components (1 grey or 3 RGB).
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// Decoded 8-bit RGB pixels, plus an 8-bit alpha mask when not opaque.
    Rgb {
        pixels: Vec<u8>,
        alpha: Option<Vec<u8>>,
    },
}

/// Largest side we decode; bigger images are refused with a warning rather
/// than eating memory.
pub(super) const MAX_SIDE: u32 = 12_000;

/// Largest side a decoded picture is embedded at: 3000 px spans a 250 mm
/// column at 300 dpi, more than any page conv sets shows. Bigger pictures
/// are scaled down before they are converted to RGB, so an 11000×11000
/// scan costs its decode, not a 480 MB RGBA copy and its compression.
const MAX_EMBED_SIDE: u32 = 3_000;

/// Most bytes the decoder may allocate for one picture (an 8000×8000 RGBA
/// image); beyond it the picture is refused with a warning.
const MAX_DECODE_BYTES: u64 = 256 << 20;

/// Decodes `bytes`: JPEGs are only probed (kept as they are), other formats
/// decoded to RGB(A).
pub fn decode(bytes: &[u8]) -> Result<LoadedImage, String> {
    if let Some((width, height, components)) = jpeg_info(bytes) {
        if components == 1 || components == 3 {
            check_side(width, height)?;
            return Ok(LoadedImage {
                width,
                height,
                data: ImageData::Jpeg {
                    bytes: bytes.to_vec(),
                    components,
                },
            });
        }
    }
    let img = decode_within_limits(bytes)?;
    check_side(img.width(), img.height())?;
    let img = if img.width().max(img.height()) > MAX_EMBED_SIDE {
        // An area average in one pass: `resize` keeps a float RGBA copy of
        // every source column (528 MB for an 11000×11000 picture).
        img.thumbnail(MAX_EMBED_SIDE, MAX_EMBED_SIDE)
    } else {
        img
    };
    let rgba = img.to_rgba8();
    let (width, height) = rgba.dimensions();
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    let mut alpha = Vec::with_capacity((width * height) as usize);
    for p in rgba.pixels() {
        pixels.extend_from_slice(&p.0[..3]);
        alpha.push(p.0[3]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    Ok(LoadedImage {
        width,
        height,
        data: ImageData::Rgb {
            pixels,
            alpha: (!opaque).then_some(alpha),
        },
    })
}

/// Decodes any format the image crate reads, refusing pictures whose sides
/// or decoded size exceed the limits before their pixels are allocated.
pub(super) fn decode_within_limits(bytes: &[u8]) -> Result<image::DynamicImage, String> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("not a readable image: {e}"))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => "too large to decode".to_string(),
        e => format!("not a readable image: {e}"),
    })
}

fn check_side(w: u32, h: u32) -> Result<(), String> {
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("unusable size {w}×{h}"));
    }
    Ok(())
}

/// Width, height and colour components from a JPEG's start-of-frame marker.
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
    jpeg_frame(b).map(|f| (f.width, f.height, f.components))
}

/// The colour components of a JPEG (1 grey, 3 colour, 4 CMYK).
pub(super) fn jpeg_components(b: &[u8]) -> Option<u8> {
    jpeg_frame(b).map(|f| f.components)
}

/// The start-of-frame marker of a JPEG: 0xC0 baseline, 0xC2 progressive…
pub(super) fn jpeg_frame_marker(b: &[u8]) -> Option<u8> {
    jpeg_frame(b).map(|f| f.marker)
}

/// What a JPEG's start-of-frame segment says.
struct JpegFrame {
    marker: u8,
    width: u32,
    height: u32,
    components: u8,
}

fn jpeg_frame(b: &[u8]) -> Option<JpegFrame> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if sof {
            return Some(JpegFrame {
                marker,
                height: u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]])),
                width: u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]])),
                components: b[i + 9],
            });
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, alpha]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn png_is_decoded_and_alpha_kept_only_when_needed() {
        let img = decode(&png(4, 3, 255)).unwrap();
        assert_eq!((img.width, img.height), (4, 3));
        assert!(matches!(img.data, ImageData::Rgb { alpha: None, .. }));
        let img = decode(&png(2, 2, 100)).unwrap();
        assert!(matches!(img.data, ImageData::Rgb { alpha: Some(_), .. }));
    }

    fn grey_png(w: u32, h: u32) -> Vec<u8> {
        let img = image::GrayImage::from_pixel(w, h, image::Luma([128]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_huge_picture_is_scaled_down_to_the_embed_side() {
        // Regression (issue 9): ten references to an 11000×11000 PNG took
        // 1.1 GB and 15 s in the PDF writer.
        let img = decode(&grey_png(6000, 1500)).unwrap();
        assert_eq!((img.width, img.height), (3000, 750));
        let ImageData::Rgb { pixels, alpha } = img.data else {
            panic!("decoded")
        };
        assert_eq!(pixels.len(), 3000 * 750 * 3);
        assert!(alpha.is_none());
    }

    #[test]
    fn a_picture_beyond_the_decode_budget_is_refused() {
        // 9000×9000 RGBA would be 324 MB decoded.
        let img = image::RgbaImage::from_pixel(9000, 9000, image::Rgba([1, 2, 3, 4]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        let why = decode(&out.into_inner()).unwrap_err();
        assert!(why.contains("too large"), "{why}");
    }

    #[test]
    fn jpeg_passes_through() {
        let img = image::RgbImage::from_pixel(5, 7, image::Rgb([1, 2, 3]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        let bytes = out.into_inner();
        let got = decode(&bytes).unwrap();
        assert_eq!((got.width, got.height), (5, 7));
        assert_eq!(
            got.data,
            ImageData::Jpeg {
                bytes,
                components: 3
            }
        );
    }
}
