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
const MAX_SIDE: u32 = 12_000;

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
    let img = image::load_from_memory(bytes).map_err(|e| format!("not a readable image: {e}"))?;
    check_side(img.width(), img.height())?;
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

fn check_side(w: u32, h: u32) -> Result<(), String> {
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!("unusable size {w}×{h}"));
    }
    Ok(())
}

/// Width, height and colour components from a JPEG's start-of-frame marker.
fn jpeg_info(b: &[u8]) -> Option<(u32, u32, u8)> {
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
            let h = u32::from(u16::from_be_bytes([b[i + 5], b[i + 6]]));
            let w = u32::from(u16::from_be_bytes([b[i + 7], b[i + 8]]));
            return Some((w, h, b[i + 9]));
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
