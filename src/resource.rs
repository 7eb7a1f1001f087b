//! Image resources shared by the writers that embed pictures (EPUB, PDF).
//!
//! [`load_image`] turns a [`crate::model::Image::src`] into bytes a book can
//! carry: local paths are read relative to [`Options::base_dir`], `data:`
//! URIs are decoded, remote `http(s)` images are fetched once (with a timeout
//! and a size limit) into an on-disk cache keyed by the URL's SHA-256, so a
//! bulk run downloads each URL once and `--offline` can still use what was
//! fetched before; a URL that failed is not tried again in the same process. The media type comes from the bytes, never from the name
//! or the server, and formats outside the EPUB core media types (WebP, BMP,
//! TIFF) are converted to PNG (when they have transparency) or JPEG.
//!
//! Nothing here fails a conversion: an image that cannot be had is a warning
//! and `None`, and the writer shows its alt text instead.

use crate::diag::Warnings;
use crate::options::Options;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Largest image accepted, fetched or read, in bytes (before conversion).
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// How long to wait for a server to accept the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one whole download may take.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
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
            // SVG may carry scripts and the PDF writer cannot draw it.
            ImageKind::Svg => Err("SVG pictures are not embedded".into()),
        }
    }
}

/// Loads the image `src` for embedding; `None` (with a warning saying why)
/// when it cannot be had.
pub fn load_image(src: &str, opts: &Options, warnings: &mut Warnings) -> Option<Resource> {
    match read_source(src.trim(), opts).and_then(Resource::from_bytes) {
        Ok(resource) => Some(resource),
        Err(reason) => {
            warnings.push(format!("image {}: {reason}", shorten(src.trim())));
            None
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
enum ImageKind {
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
    fn sniff(b: &[u8]) -> Option<ImageKind> {
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

/// Reads the bytes behind `src`, whatever kind of reference it is.
fn read_source(src: &str, opts: &Options) -> Result<Vec<u8>, String> {
    if src.is_empty() {
        return Err("no source".into());
    }
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        fetch_remote(src, opts)
    } else if let Some(rest) = src.strip_prefix("//") {
        // Protocol-relative URLs come from pages served over https.
        fetch_remote(&format!("https://{rest}"), opts)
    } else if lower.starts_with("data:") {
        decode_data_uri(src)
    } else if lower.starts_with("file:") {
        let path = url::Url::parse(src)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or("not a usable file: URL")?;
        read_local(&path)
    } else if src.contains("://") || lower.starts_with("javascript:") {
        Err("unsupported URL scheme".into())
    } else {
        read_relative(src, opts)
    }
}

/// A path as written in an article: relative to the input's folder, maybe
/// with a query or fragment, maybe percent-encoded.
fn read_relative(src: &str, opts: &Options) -> Result<Vec<u8>, String> {
    let base = opts.base_dir.as_deref().unwrap_or(Path::new("."));
    let bare = src.split(['?', '#']).next().unwrap_or(src);
    let mut candidates = vec![src.to_string(), bare.to_string()];
    if let Some(decoded) = percent_decode(bare) {
        candidates.push(decoded);
    }
    candidates.dedup();
    for candidate in &candidates {
        let path = base.join(candidate);
        if path.is_file() {
            return read_local(&path);
        }
    }
    Err(format!("no such file under {}", base.display()))
}

fn read_local(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!("larger than {MAX_IMAGE_BYTES} bytes"));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// `data:[type][;base64],payload`.
fn decode_data_uri(src: &str) -> Result<Vec<u8>, String> {
    let (header, payload) = src.split_once(',').ok_or("malformed data: URI")?;
    if header.to_ascii_lowercase().ends_with(";base64") {
        base64_decode(payload).ok_or_else(|| "malformed base64 in data: URI".into())
    } else {
        Ok(percent_decode_bytes(payload))
    }
}

/// Standard or URL-safe base64, whitespace ignored, padding optional.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::alphabet::{STANDARD, URL_SAFE};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    let lenient = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    GeneralPurpose::new(&STANDARD, lenient)
        .decode(&compact)
        .or_else(|_| GeneralPurpose::new(&URL_SAFE, lenient).decode(&compact))
        .ok()
}

fn percent_decode_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    out
}

/// Percent-decoded text, when decoding changes anything and gives UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    String::from_utf8(percent_decode_bytes(text)).ok()
}

/// Remote bytes from the cache, else from the network (then cached).
fn fetch_remote(url: &str, opts: &Options) -> Result<Vec<u8>, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("bad URL ({e})"))?;
    let cached = cache_dir(opts).map(|dir| dir.join(cache_key(parsed.as_str())));
    if let Some(bytes) = cached.as_deref().and_then(|p| std::fs::read(p).ok()) {
        return Ok(bytes);
    }
    if opts.offline {
        return Err("not fetched (offline, and not in the cache)".into());
    }
    if let Some(reason) = failed_before(parsed.as_str()) {
        return Err(reason);
    }
    let bytes = download(parsed.as_str())
        .inspect_err(|reason| remember_failure(parsed.as_str(), reason))?;
    // Only pictures are cached: an error page served with status 200 must
    // not stick. A cache that cannot be written only costs a re-download.
    if let (Some(path), Some(_)) = (&cached, ImageKind::sniff(&bytes)) {
        let _ = store(path, &bytes);
    }
    Ok(bytes)
}

/// URLs that failed in this process, with the reason: a bulk run meets the
/// same dead picture (a site's logo, an expired CDN) in many articles, and a
/// timeout costs seconds each time.
fn failures() -> &'static Mutex<HashMap<String, String>> {
    static FAILED: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    FAILED.get_or_init(Mutex::default)
}

fn failed_before(url: &str) -> Option<String> {
    let failed = failures()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    failed.get(url).cloned()
}

fn remember_failure(url: &str, reason: &str) {
    let mut failed = failures()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    failed.insert(url.to_string(), reason.to_string());
}

fn agent() -> &'static ureq::Agent {
    static AGENT: OnceLock<ureq::Agent> = OnceLock::new();
    AGENT.get_or_init(|| {
        ureq::AgentBuilder::new()
            .timeout_connect(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .redirects(5)
            .user_agent(concat!("conv/", env!("CARGO_PKG_VERSION")))
            .build()
    })
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let response = agent()
        .get(url)
        // AVIF is left out on purpose: servers that negotiate would send a
        // format this build cannot convert.
        .set(
            "Accept",
            "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5",
        )
        .call()
        .map_err(|e| match e {
            ureq::Error::Status(code, _) => format!("HTTP status {code}"),
            ureq::Error::Transport(t) => t.to_string(),
        })?;
    let announced = response
        .header("Content-Length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > MAX_IMAGE_BYTES) {
        return Err(format!("larger than {MAX_IMAGE_BYTES} bytes"));
    }
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("download interrupted ({e})"))?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(format!("larger than {MAX_IMAGE_BYTES} bytes"));
    }
    Ok(bytes)
}

/// The cache folder: the option, else the user's cache folder.
fn cache_dir(opts: &Options) -> Option<PathBuf> {
    if let Some(dir) = &opts.cache_dir {
        return Some(dir.clone());
    }
    let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = env("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| env("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(base.join("conv").join("images"))
}

/// File name of a URL in the cache: the hex SHA-256 of the URL.
fn cache_key(url: &str) -> String {
    Sha256::digest(url.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes atomically (temp file + rename) so parallel runs never read a
/// half-written entry.
fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A long `src` (a data: URI) cut for a warning.
fn shorten(src: &str) -> String {
    const MAX: usize = 120;
    if src.chars().count() <= MAX {
        src.to_string()
    } else {
        let head: String = src.chars().take(MAX).collect();
        format!("{head}…")
    }
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
        assert!(Resource::from_bytes(b"<svg></svg>".to_vec())
            .unwrap_err()
            .contains("SVG"));
    }

    #[test]
    fn data_uris_decode_base64_and_percent() {
        let png = encode(rgb(2, 3), image::ImageFormat::Png);
        let b64 = {
            const ALPHABET: &[u8] =
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            let mut s = String::new();
            for chunk in png.chunks(3) {
                let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | *b as u32)
                    << (8 * (3 - chunk.len()));
                for i in 0..=chunk.len() {
                    s.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
            }
            s
        };
        let uri = format!("data:image/png;base64,{b64}");
        let mut warnings = Warnings::new();
        let res = load_image(&uri, &Options::default(), &mut warnings).unwrap();
        assert_eq!(res.bytes, png);
        assert!(warnings.is_empty());
        assert_eq!(decode_data_uri("data:,a%20b").unwrap(), b"a b");
        assert!(base64_decode("ab*c").is_none());
    }

    #[test]
    fn local_paths_resolve_against_base_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img dir")).unwrap();
        let gif = encode(rgb(5, 5), image::ImageFormat::Gif);
        std::fs::write(dir.path().join("img dir/pic.gif"), &gif).unwrap();
        let opts = Options {
            base_dir: Some(dir.path().to_path_buf()),
            ..Options::default()
        };
        let mut warnings = Warnings::new();
        for src in [
            "img dir/pic.gif",
            "img%20dir/pic.gif?v=2",
            "./img dir/pic.gif#x",
        ] {
            let res = load_image(src, &opts, &mut warnings).unwrap();
            assert_eq!(res.media_type, "image/gif", "{src}");
        }
        assert!(warnings.is_empty());
        assert!(load_image("missing.png", &opts, &mut warnings).is_none());
        assert!(load_image("", &opts, &mut warnings).is_none());
        assert!(load_image("javascript:alert(1)", &opts, &mut warnings).is_none());
        assert_eq!(warnings.items().len(), 3);
        assert!(warnings.items()[0].message.contains("missing.png"));
    }

    #[test]
    fn offline_uses_the_cache_and_never_the_network() {
        let dir = tempfile::tempdir().unwrap();
        let opts = Options {
            offline: true,
            cache_dir: Some(dir.path().to_path_buf()),
            ..Options::default()
        };
        let url = "https://example.invalid/a.png";
        let mut warnings = Warnings::new();
        assert!(load_image(url, &opts, &mut warnings).is_none());
        assert!(warnings.items()[0].message.contains("offline"));
        let png = encode(rgb(2, 2), image::ImageFormat::Png);
        std::fs::write(dir.path().join(cache_key(url)), &png).unwrap();
        assert_eq!(load_image(url, &opts, &mut warnings).unwrap().bytes, png);
    }

    #[test]
    fn cache_key_is_hex_sha256() {
        let key = cache_key("https://example.com/a.png");
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
