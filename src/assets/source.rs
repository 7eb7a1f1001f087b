//! What an article may make conv read: `http(s)` URLs (through the
//! [`Fetcher`]), `data:` URIs within the size cap, and regular files inside
//! the article's own folder or the `--resource-dir` folder — never devices,
//! FIFOs, absolute paths or `..` leading out of them, nor symlinks out of
//! them. Every read is capped in bytes.

use super::Fetcher;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where local pictures may come from, and how large anything may be.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'a> {
    /// The article's folder (`None`: standard input or an archive member).
    pub root: Option<&'a Path>,
    /// `--resource-dir`.
    pub resource_dir: Option<&'a Path>,
    /// Largest picture read, fetched or decoded from a `data:` URI.
    pub max_bytes: u64,
}

/// Reads the bytes behind `src`, whatever kind of reference it is. The
/// error is the reason, and whether this read found the network down.
pub(super) fn read(
    src: &str,
    scope: Scope<'_>,
    fetcher: &Fetcher,
) -> Result<Vec<u8>, (String, bool)> {
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        fetcher.fetch(src)
    } else if let Some(rest) = src.strip_prefix("//") {
        // Protocol-relative URLs come from pages served over https.
        fetcher.fetch(&format!("https://{rest}"))
    } else {
        read_here(src, &lower, scope).map_err(|reason| (reason, false))
    }
}

/// Sources that need no network: `data:` URIs and local files.
fn read_here(src: &str, lower: &str, scope: Scope<'_>) -> Result<Vec<u8>, String> {
    if src.is_empty() {
        return Err("no source".into());
    }
    if lower.starts_with("data:") {
        // Base64 takes 4 bytes for 3: a longer URI cannot fit the cap.
        if src.len() as u64 > scope.max_bytes / 3 * 4 + 1024 {
            return Err(format!("data: URI larger than {} bytes", scope.max_bytes));
        }
        return decode_data_uri(src);
    }
    if lower.starts_with("file:") {
        let path = url::Url::parse(src)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .ok_or("not a usable file: URL")?;
        return read_inside(&[path], scope);
    }
    if has_scheme(src) {
        return Err("unsupported URL scheme".into());
    }
    let bare = src.split(['?', '#']).next().unwrap_or(src);
    let mut candidates = vec![PathBuf::from(src), PathBuf::from(bare)];
    if let Some(decoded) = percent_decode(bare) {
        candidates.push(PathBuf::from(decoded));
    }
    candidates.dedup();
    read_inside(&candidates, scope)
}

/// Whether `src` starts with a URL scheme (`javascript:`, `mailto:`…);
/// a file name with a colon further on (`12:30.jpg`) has none.
fn has_scheme(src: &str) -> bool {
    let Some((scheme, _)) = src.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The first of `candidates` that is a regular file inside one of the
/// scope's folders, read within the cap.
fn read_inside(candidates: &[PathBuf], scope: Scope<'_>) -> Result<Vec<u8>, String> {
    let folders: Vec<&Path> = scope.root.into_iter().chain(scope.resource_dir).collect();
    if folders.is_empty() {
        return Err("local pictures are read only from the article's folder \
                    (none here; see --resource-dir)"
            .into());
    }
    let mut refused = None;
    for folder in &folders {
        let Ok(base) = canonical(folder) else {
            continue;
        };
        for candidate in candidates {
            match inside(&base, &folder.join(candidate)) {
                Inside::Yes(path) => return read_file(&path, scope.max_bytes),
                Inside::Outside => refused = Some("outside the article's folder; not read"),
                Inside::NotFile => refused = Some("not a regular file; not read"),
                Inside::Missing => {}
            }
        }
    }
    Err(match refused {
        Some(reason) => reason.to_string(),
        None => format!("no such file under {}", folders[0].display()),
    })
}

enum Inside {
    Yes(PathBuf),
    Outside,
    NotFile,
    Missing,
}

/// Whether `path` (symlinks and `..` resolved) is a regular file under
/// the canonical folder `base`.
fn inside(base: &Path, path: &Path) -> Inside {
    let Ok(real) = canonical(path) else {
        return Inside::Missing;
    };
    if !real.starts_with(base) {
        return Inside::Outside;
    }
    match std::fs::metadata(&real) {
        Ok(meta) if meta.is_file() => Inside::Yes(real),
        Ok(_) => Inside::NotFile,
        Err(_) => Inside::Missing,
    }
}

fn canonical(path: &Path) -> std::io::Result<PathBuf> {
    // An empty folder (an input named without one) is the current folder.
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    path.canonicalize()
}

/// Reads at most `max` bytes of a regular file (more is refused, so a file
/// that grows or lies about its size cannot fill memory).
fn read_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = open_regular(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than {max} bytes"));
    }
    Ok(bytes)
}

/// Opens without blocking (a FIFO swapped in after the check must not
/// hang the run) and checks the opened file is still a regular one.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
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
