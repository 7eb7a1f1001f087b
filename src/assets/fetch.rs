//! Remote images: fetched once (capped in bytes and time, redirects
//! followed by conv itself and only to http/https) into an on-disk cache
//! keyed by the URL's SHA-256, so a bulk run downloads each URL once and
//! `--offline` can still use what was fetched before.
//!
//! The [`Fetcher`] is per run (it lives in the session) and remembers what
//! failed: a URL is not tried twice, a host that could not be reached (DNS,
//! connection) is not tried again, and once two hosts failed that way
//! before anything succeeded the network is taken to be down and the rest
//! of the run goes on as `--offline`.

use super::resource::ImageKind;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long to wait for a server to accept the connection: a dead network
/// must cost a run seconds, not minutes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one whole download (each hop of it) may take.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(20);
/// Redirects followed at most.
const MAX_REDIRECTS: usize = 5;
/// Hosts unreachable before anything succeeded that make the network
/// "down" for the rest of the run.
const HOSTS_FOR_NETWORK_DOWN: usize = 2;

/// The network side of one run: the cache folder, `--offline`, one HTTP
/// agent, and what failed so far.
pub struct Fetcher {
    offline: bool,
    cache_dir: Option<PathBuf>,
    max_bytes: u64,
    agent: ureq::Agent,
    state: Mutex<State>,
}

/// What this run learnt about the network.
#[derive(Debug, Default)]
struct State {
    /// URL → why it failed.
    failed_urls: HashMap<String, String>,
    /// Host → why it could not be reached.
    failed_hosts: HashMap<String, String>,
    /// Something was downloaded: the network works.
    succeeded: bool,
    /// The network was found down (said once, then as `--offline`).
    down: bool,
}

/// A failed download: the reason, and whether the host itself could not
/// be reached (so other URLs there need not be tried).
struct Failure {
    reason: String,
    host_unreachable: bool,
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
    /// The fetcher for a run: `cache_dir` (`None`: the user's cache
    /// folder), `--offline`, and the largest picture accepted.
    pub fn new(cache_dir: Option<&Path>, offline: bool, max_bytes: u64) -> Fetcher {
        Fetcher {
            offline,
            cache_dir: cache_dir.map(Path::to_path_buf).or_else(user_cache_dir),
            max_bytes,
            agent: ureq::AgentBuilder::new()
                .timeout_connect(CONNECT_TIMEOUT)
                .timeout(TOTAL_TIMEOUT)
                // Redirects are followed below: ureq's own handling panics
                // on a Location such as `data:` or `mailto:`.
                .redirects(0)
                .user_agent(concat!("conv/", env!("CARGO_PKG_VERSION")))
                .build(),
            state: Mutex::default(),
        }
    }

    /// True once the run found the network down.
    pub fn network_down(&self) -> bool {
        self.state().down
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Remote bytes from the cache, else from the network (then cached).
    /// The error is the reason in a few words; the second value is true
    /// when this very call found the network down (to be said once).
    pub fn fetch(&self, url: &str) -> Result<Vec<u8>, (String, bool)> {
        let parsed = url::Url::parse(url).map_err(|e| (format!("bad URL ({e})"), false))?;
        let cached = self
            .cache_dir
            .as_ref()
            .map(|dir| dir.join(cache_key(parsed.as_str())));
        if let Some(bytes) = cached
            .as_deref()
            .and_then(|p| read_cached(p, self.max_bytes))
        {
            return Ok(bytes);
        }
        if self.offline {
            return Err(("not fetched (offline, and not in the cache)".into(), false));
        }
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        if let Some(reason) = self.known_failure(parsed.as_str(), &host) {
            return Err((reason, false));
        }
        match self.download(parsed) {
            Ok(bytes) => {
                self.state().succeeded = true;
                // Only pictures are cached: an error page served with
                // status 200 must not stick. A cache that cannot be written
                // only costs a re-download.
                if let (Some(path), Some(_)) = (&cached, ImageKind::sniff(&bytes)) {
                    let _ = store(path, &bytes);
                }
                Ok(bytes)
            }
            Err(failure) => Err((failure.reason.clone(), self.remember(url, &host, failure))),
        }
    }

    /// Why `url` cannot be had without trying: it failed before, its host
    /// is unreachable, or the network is down.
    fn known_failure(&self, url: &str, host: &str) -> Option<String> {
        let state = self.state();
        if state.down {
            return Some("not fetched (the network is down; going on as --offline)".into());
        }
        if let Some(reason) = state.failed_urls.get(url) {
            return Some(reason.clone());
        }
        state
            .failed_hosts
            .get(host)
            .map(|reason| format!("not fetched ({host} unreachable earlier: {reason})"))
    }

    /// Records a failure; true when it makes the network count as down.
    fn remember(&self, url: &str, host: &str, failure: Failure) -> bool {
        let mut state = self.state();
        state
            .failed_urls
            .insert(url.to_string(), failure.reason.clone());
        if !failure.host_unreachable {
            return false;
        }
        state.failed_hosts.insert(host.to_string(), failure.reason);
        let now_down =
            !state.succeeded && !state.down && state.failed_hosts.len() >= HOSTS_FOR_NETWORK_DOWN;
        state.down |= now_down;
        now_down
    }

    /// GETs `url`, following up to [`MAX_REDIRECTS`] redirects to http(s)
    /// URLs only, and reads at most `max_bytes`.
    fn download(&self, mut url: url::Url) -> Result<Vec<u8>, Failure> {
        for _ in 0..=MAX_REDIRECTS {
            let response = self
                .agent
                .request_url("GET", &url)
                // AVIF is left out on purpose: servers that negotiate would
                // send a format this build cannot convert.
                .set(
                    "Accept",
                    "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5",
                )
                .call()
                .map_err(transport_failure)?;
            if (300..400).contains(&response.status()) {
                url = redirect_target(&url, response.header("Location"))?;
                continue;
            }
            return self.body(response);
        }
        Err(plain(format!("more than {MAX_REDIRECTS} redirects")))
    }

    fn body(&self, response: ureq::Response) -> Result<Vec<u8>, Failure> {
        let max = self.max_bytes;
        let announced = response
            .header("Content-Length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if announced.is_some_and(|n| n > max) {
            return Err(plain(format!("larger than {max} bytes")));
        }
        let mut bytes = Vec::new();
        response
            .into_reader()
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| plain(format!("download interrupted ({e})")))?;
        if bytes.len() as u64 > max {
            return Err(plain(format!("larger than {max} bytes")));
        }
        Ok(bytes)
    }
}

fn plain(reason: String) -> Failure {
    Failure {
        reason,
        host_unreachable: false,
    }
}

/// A ureq error as a reason; DNS and connection failures mark the host.
fn transport_failure(e: ureq::Error) -> Failure {
    match e {
        ureq::Error::Status(code, _) => plain(format!("HTTP status {code}")),
        ureq::Error::Transport(t) => {
            // ureq starts its text with the URL, which the warning names already.
            let text = t.to_string();
            let url = t.url().map(|u| format!("{u}: ")).unwrap_or_default();
            Failure {
                host_unreachable: matches!(
                    t.kind(),
                    ureq::ErrorKind::Dns | ureq::ErrorKind::ConnectionFailed
                ),
                reason: text.strip_prefix(&url).unwrap_or(&text).to_string(),
            }
        }
    }
}

/// Where a redirect leads, if it leads to an http(s) URL.
fn redirect_target(from: &url::Url, location: Option<&str>) -> Result<url::Url, Failure> {
    let location = location.ok_or_else(|| plain("redirect without a Location".into()))?;
    let next = from
        .join(location.trim())
        .map_err(|e| plain(format!("bad redirect ({e})")))?;
    match next.scheme() {
        "http" | "https" => Ok(next),
        other => Err(plain(format!("redirect to a {other}: URL refused"))),
    }
}

/// A cached entry, if there is one within the cap.
fn read_cached(path: &Path, max: u64) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= max).then_some(bytes)
}

/// The user's cache folder for pictures.
fn user_cache_dir() -> Option<PathBuf> {
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

    #[test]
    fn redirects_lead_only_to_http_urls() {
        let from = url::Url::parse("https://a.example/x/y.png").unwrap();
        let to = |l: &str| redirect_target(&from, Some(l)).map(|u| u.to_string());
        assert_eq!(
            to("/z.png").ok().as_deref(),
            Some("https://a.example/z.png")
        );
        assert_eq!(
            to("http://b.example/").ok().as_deref(),
            Some("http://b.example/")
        );
        for bad in [
            "data:image/png;base64,AAAA",
            "mailto:a@b",
            "file:///etc/passwd",
            "about:blank",
        ] {
            let err = to(bad).err().map(|f| f.reason).unwrap_or_default();
            assert!(err.contains("refused"), "{bad}: {err}");
        }
        assert!(redirect_target(&from, None).is_err());
    }

    #[test]
    fn two_unreachable_hosts_before_any_success_mean_the_network_is_down() {
        let f = Fetcher::new(Some(Path::new("/nonexistent/conv-cache")), false, 1024);
        let unreachable = |reason: &str| Failure {
            reason: reason.into(),
            host_unreachable: true,
        };
        assert!(!f.remember("https://a.example/1", "a.example", unreachable("dns")));
        assert!(f
            .known_failure("https://a.example/2", "a.example")
            .is_some());
        assert!(f
            .known_failure("https://b.example/1", "b.example")
            .is_none());
        assert!(f.remember("https://b.example/1", "b.example", unreachable("dns")));
        assert!(f.network_down());
        let why = f.known_failure("https://c.example/1", "c.example").unwrap();
        assert!(why.contains("--offline"), "{why}");
        // Said once: a later failure does not report it again.
        assert!(!f.remember("https://c.example/1", "c.example", unreachable("dns")));
    }
}
