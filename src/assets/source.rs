//! Local and inline sources: paths relative to the article's folder,
//! `file:` URLs and `data:` URIs.

use super::{Fetcher, MAX_IMAGE_BYTES};
use std::path::Path;

/// Reads the bytes behind `src`, whatever kind of reference it is;
/// relative paths are taken from `root`.
pub(super) fn read(src: &str, root: Option<&Path>, fetcher: &Fetcher) -> Result<Vec<u8>, String> {
    if src.is_empty() {
        return Err("no source".into());
    }
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        fetcher.fetch(src)
    } else if let Some(rest) = src.strip_prefix("//") {
        // Protocol-relative URLs come from pages served over https.
        fetcher.fetch(&format!("https://{rest}"))
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
        read_relative(src, root)
    }
}

/// A path as written in an article: relative to the input's folder, maybe
/// with a query or fragment, maybe percent-encoded.
fn read_relative(src: &str, root: Option<&Path>) -> Result<Vec<u8>, String> {
    let base = root.unwrap_or(Path::new("."));
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
pub(super) fn decode_data_uri(src: &str) -> Result<Vec<u8>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_uris_decode_base64_and_percent() {
        assert_eq!(decode_data_uri("data:,a%20b").unwrap(), b"a b");
        assert_eq!(
            decode_data_uri("data:image/png;base64,aGk=").unwrap(),
            b"hi"
        );
        assert_eq!(decode_data_uri("data:;base64,aGk").unwrap(), b"hi");
        assert!(base64_decode("ab*c").is_none());
        assert!(decode_data_uri("data:nocomma").is_err());
    }
}
