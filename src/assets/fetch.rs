//! Remote images: fetched once (with a timeout and a size limit) into an
//! on-disk cache keyed by the URL's SHA-256, so a bulk run downloads each
//! URL once and `--offline` can still use what was fetched before. The
//! [`Fetcher`] is per run (it lives in the session): a URL that failed is
//! not tried again in the same run.

use super::resource::ImageKind;
use super::MAX_IMAGE_BYTES;
use crate::options::Options;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long to wait for a server to accept the connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one whole download may take.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);

/// The network side of one run: the cache folder, `--offline`, one HTTP
/// agent, and what failed so far.
pub struct Fetcher {
    offline: bool,
    cache_dir: Option<PathBuf>,
    agent: ureq::Agent,
    /// URLs that failed in this run, with the reason: a bulk run meets the
    /// same dead picture (a site's logo, an expired CDN) in many articles,
    /// and a timeout costs seconds each time.
    failed: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("offline", &self.offline)
            .field("cache_dir", &self.cache_dir)
            .finish_non_exhaustive()
    }
}

impl Fetcher {
    /// The fetcher for a run with `opts`.
    pub fn new(opts: &Options) -> Fetcher {
        Fetcher {
            offline: opts.offline,
            cache_dir: cache_dir(opts),
            agent: ureq::AgentBuilder::new()
                .timeout_connect(CONNECT_TIMEOUT)
                .timeout(TOTAL_TIMEOUT)
                .redirects(5)
                .user_agent(concat!("conv/", env!("CARGO_PKG_VERSION")))
                .build(),
            failed: Mutex::default(),
        }
    }

    /// Remote bytes from the cache, else from the network (then cached).
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("bad URL ({e})"))?;
        let cached = self
            .cache_dir
            .as_ref()
            .map(|dir| dir.join(cache_key(parsed.as_str())));
        if let Some(bytes) = cached.as_deref().and_then(|p| std::fs::read(p).ok()) {
            return Ok(bytes);
        }
        if self.offline {
            return Err("not fetched (offline, and not in the cache)".into());
        }
        if let Some(reason) = self.failed_before(parsed.as_str()) {
            return Err(reason);
        }
        let bytes = self
            .download(parsed.as_str())
            .inspect_err(|reason| self.remember_failure(parsed.as_str(), reason))?;
        // Only pictures are cached: an error page served with status 200 must
        // not stick. A cache that cannot be written only costs a re-download.
        if let (Some(path), Some(_)) = (&cached, ImageKind::sniff(&bytes)) {
            let _ = store(path, &bytes);
        }
        Ok(bytes)
    }

    fn failed_before(&self, url: &str) -> Option<String> {
        let failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        failed.get(url).cloned()
    }

    fn remember_failure(&self, url: &str, reason: &str) {
        let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
        failed.insert(url.to_string(), reason.to_string());
    }

    fn download(&self, url: &str) -> Result<Vec<u8>, String> {
        let response = self
            .agent
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
pub(super) fn cache_key(url: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_key_is_hex_sha256() {
        let key = cache_key("https://example.com/a.png");
        assert_eq!(key.len(), 64);
        assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}
