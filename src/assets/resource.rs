//! Image bytes a book can carry: the media type comes from the bytes, never
//! from the name or the server, and formats outside the EPUB core media
//! types (WebP, BMP) are converted to PNG (when they have transparency) or
//! JPEG. A picture that cannot be used is a reason in a few words, for a
//! warning, never a failure.

use std::io::Cursor;

/// Largest width or height decoded for conversion (a guard against
/// decompression bombs; real article pictures are far smaller).
const MAX_DECODE_SIDE: u32 = 16_384;
/// JPEG quality used when converting a picture without transparency.
const JPEG_QUALITY: u8 = 88;

/// An image ready to embed: bytes in one of the EPUB core formats (JPEG,
/// PNG, GIF) with their sniffed media type and pixel size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The image file's bytes.
    pub bytes: Vec<u8>,
    /// `image/jpeg`, `image/png` or `image/gif`, sniffed from the bytes.
    pub media_type: &'static str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Resource {
    /// File extension (no dot) matching the media type.
    pub fn extension(&self) -> &'static str {
        match self.media_type {
            "image/png" => "png",
            "image/gif" => "gif",
            _ => "jpg",
        }
    }

    /// Checks (and if needed converts) raw image bytes. The error is the
    /// reason in a few words, for a warning.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Resource, String> {
        let kind = ImageKind::sniff(&bytes).ok_or("not a picture in a known format")?;
        match kind {
            ImageKind::Jpeg | ImageKind::Png | ImageKind::Gif => {
                let (width, height) = dimensions(&bytes, kind)?;
                Ok(Resource {
                    bytes,
                    media_type: kind.media_type(),
                    width,
                    height,
                })
            }
            ImageKind::WebP | ImageKind::Bmp => convert(&bytes, kind),
            // TIFF is all but absent from the web and its decoder is a
            // dozen crates: it is named, not decoded.
            ImageKind::Tiff => Err("TIFF pictures are not supported".into()),
            // The image crate here has no AVIF decoder (it needs a C library).
            ImageKind::Avif => Err("AVIF pictures cannot be decoded by this build".into()),
            // Drawn to pixels where the build has resvg; never embedded as
            // SVG (it may carry scripts and the PDF writer cannot draw it).
            #[cfg(feature = "svg")]
            ImageKind::Svg => Resource::from_bytes(super::svg::rasterise(&bytes)?),
            #[cfg(not(feature = "svg"))]
            ImageKind::Svg => Err("SVG pictures are not embedded (this build has no SVG renderer)".into()),
        }
    }
}

/// The media type of image bytes, sniffed from their signature (`None` when
/// the bytes are no picture format conv knows).
pub fn media_type_of(bytes: &[u8]) -> Option<&'static str> {
    ImageKind::sniff(bytes).map(ImageKind::media_type)
}

/// Picture formats recognised by their leading bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ImageKind {
    Jpeg,
    Png,
    Gif,
    WebP,
    Bmp,
    Tiff,
    Avif,
    Svg,
}

impl ImageKind {
    pub(super) fn sniff(b: &[u8]) -> Option<ImageKind> {
        let kind = if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            ImageKind::Jpeg
        } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            ImageKind::Png
        } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
            ImageKind::Gif
        } else if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            ImageKind::WebP
        } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
            ImageKind::Tiff
        } else if is_bmp(b) {
            ImageKind::Bmp
        } else if is_avif(b) {
            ImageKind::Avif
        } else if is_svg(b) {
            ImageKind::Svg
        } else {
            return None;
        };
        Some(kind)
    }

    fn media_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Gif => "image/gif",
            ImageKind::WebP => "image/webp",
            ImageKind::Bmp => "image/bmp",
            ImageKind::Tiff => "image/tiff",
            ImageKind::Avif => "image/avif",
            ImageKind::Svg => "image/svg+xml",
        }
    }

    fn format(self) -> Option<image::ImageFormat> {
        Some(match self {
            ImageKind::Jpeg => image::ImageFormat::Jpeg,
            ImageKind::Png => image::ImageFormat::Png,
            ImageKind::Gif => image::ImageFormat::Gif,
            ImageKind::WebP => image::ImageFormat::WebP,
            ImageKind::Bmp => image::ImageFormat::Bmp,
            ImageKind::Tiff => image::ImageFormat::Tiff,
            ImageKind::Avif | ImageKind::Svg => return None,
        })
    }
}

/// "BM" alone is too weak a signature (plain text can start with it), so
/// the DIB header size must be one of the known ones too.
fn is_bmp(b: &[u8]) -> bool {
    b.len() >= 18
        && b.starts_with(b"BM")
        && matches!(
            u32::from_le_bytes([b[14], b[15], b[16], b[17]]),
            12 | 40 | 52 | 56 | 64 | 108 | 124
        )
}

/// An ISO-BMFF `ftyp` box whose brands include AVIF.
fn is_avif(b: &[u8]) -> bool {
    if b.len() < 16 || &b[4..8] != b"ftyp" {
        return false;
    }
    let size = (u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).clamp(16, b.len());
    b[8..size]
        .chunks_exact(4)
        .any(|brand| brand == b"avif" || brand == b"avis")
}

fn is_svg(b: &[u8]) -> bool {
    let head = &b[..b.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<svg") || text.starts_with("<?xml") || text.starts_with("<!DOCTYPE svg"))
        && text.contains("<svg")
}

/// Pixel size from the header only (no full decode), which also proves the
/// bytes are not a truncated or mislabelled file.
fn dimensions(bytes: &[u8], kind: ImageKind) -> Result<(u32, u32), String> {
    let format = kind.format().ok_or("unsupported format")?;
    image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| format!("broken {} file ({e})", kind.media_type()))
}

/// Decodes a picture outside the EPUB core types and re-encodes it: PNG
/// keeps transparency, JPEG is far smaller for photographs.
fn convert(bytes: &[u8], kind: ImageKind) -> Result<Resource, String> {
    let format = kind.format().ok_or("unsupported format")?;
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    reader.limits(limits);
    let picture = reader
        .decode()
        .map_err(|e| format!("cannot decode {} ({e})", kind.media_type()))?;
    let (width, height) = (picture.width(), picture.height());
    let mut out = Vec::new();
    let media_type = if picture.color().has_alpha() {
        picture
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .map_err(|e| format!("cannot convert to PNG ({e})"))?;
        "image/png"
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        picture
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(|e| format!("cannot convert to JPEG ({e})"))?;
        "image/jpeg"
    };
    Ok(Resource {
        bytes: out,
        media_type,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn rgba(w: u32, h: u32) -> image::DynamicImage {
        image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            w,
            h,
            image::Rgba([0, 0, 255, 100]),
        ))
    }

    #[test]
    fn sniffs_core_types_from_bytes_not_names() {
        assert_eq!(
            media_type_of(&encode(rgb(2, 2), image::ImageFormat::Png)),
            Some("image/png")
        );
        assert_eq!(
            media_type_of(&encode(rgb(2, 2), image::ImageFormat::Jpeg)),
            Some("image/jpeg")
        );
        assert_eq!(
            media_type_of(&encode(rgb(2, 2), image::ImageFormat::Gif)),
            Some("image/gif")
        );
        assert_eq!(
            media_type_of(&encode(rgb(2, 2), image::ImageFormat::WebP)),
            Some("image/webp")
        );
        assert_eq!(
            media_type_of(&encode(rgb(2, 2), image::ImageFormat::Bmp)),
            Some("image/bmp")
        );
        assert_eq!(media_type_of(b"<html><body>404</body></html>"), None);
        assert_eq!(media_type_of(b"BMW is a car"), None);
        assert_eq!(
            media_type_of(b"<?xml version=\"1.0\"?><svg xmlns=\"\"></svg>"),
            Some("image/svg+xml")
        );
        let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
        assert_eq!(media_type_of(avif), Some("image/avif"));
    }

    #[test]
    fn webp_and_bmp_become_jpeg_or_png_and_tiff_is_named() {
        let opaque = Resource::from_bytes(encode(rgb(3, 2), image::ImageFormat::WebP)).unwrap();
        assert_eq!(
            (opaque.media_type, opaque.width, opaque.height),
            ("image/jpeg", 3, 2)
        );
        assert_eq!(media_type_of(&opaque.bytes), Some("image/jpeg"));
        let clear = Resource::from_bytes(encode(rgba(4, 5), image::ImageFormat::Bmp)).unwrap();
        assert_eq!(
            (clear.media_type, clear.width, clear.height),
            ("image/png", 4, 5)
        );
        let bmp = Resource::from_bytes(encode(rgb(1, 1), image::ImageFormat::Bmp)).unwrap();
        assert_eq!(bmp.extension(), "jpg");
        let tiff = Resource::from_bytes(b"II*\0\x08\0\0\0rest".to_vec()).unwrap_err();
        assert!(tiff.contains("TIFF"), "{tiff}");
    }

    #[test]
    fn core_types_pass_through_unchanged() {
        let png = encode(rgba(7, 3), image::ImageFormat::Png);
        let res = Resource::from_bytes(png.clone()).unwrap();
        assert_eq!(res.bytes, png);
        assert_eq!((res.width, res.height, res.extension()), (7, 3, "png"));
    }

    #[test]
    fn broken_and_unsupported_bytes_are_reasons_not_panics() {
        let mut truncated = encode(rgb(8, 8), image::ImageFormat::Png);
        truncated.truncate(20);
        assert!(Resource::from_bytes(truncated).is_err());
        assert!(Resource::from_bytes(b"\xff\xd8\xff garbage".to_vec()).is_err());
        assert!(Resource::from_bytes(Vec::new()).is_err());
        #[cfg(not(feature = "svg"))]
        assert!(Resource::from_bytes(b"<svg></svg>".to_vec())
            .unwrap_err()
            .contains("SVG"));
        #[cfg(feature = "svg")]
        assert!(Resource::from_bytes(b"<svg".to_vec()).unwrap_err().contains("SVG"));
    }
}
