//! New-only bundles (`--state FILE`): the state file remembers every article
//! earlier bundles held, and the next bundle leaves them out.
//!
//! Two articles are the same when their canonical source URL matches
//! (scheme and host case, `http`/`https`, a trailing slash, the fragment
//! and tracking parameters such as `utm_*` ignored) or when their body text
//! matches once case, whitespace and punctuation are ignored, so a copy
//! syndicated under another name or file appears once.
//!
//! The file is JSON with a version; it is replaced atomically and only once
//! every book of the run is written, so a failed or killed run leaves it as
//! it was.

use crate::error::{Error, Result};
use crate::model::{blocks_text, Document};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The state file's format version; a file of another version is refused.
pub const STATE_VERSION: u32 = 1;

/// Query parameters that only say how a reader found the page.
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "spm", "_hsenc", "_hsmi", "igshid",
    "yclid",
];

/// One article an earlier bundle held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seen {
    /// Its title, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its normalised source URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// SHA-256 (hex, first 16 bytes) of its normalised body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StateFile {
    conv_state: u32,
    articles: Vec<Seen>,
}

/// The state of one `--state` run: what earlier bundles held, and what
/// this run's book will add once it is written.
#[derive(Debug, Default)]
pub struct NewOnly {
    path: Option<PathBuf>,
    saved: Vec<Seen>,
    urls: HashSet<String>,
    texts: HashSet<String>,
    pending: Vec<Seen>,
}

impl NewOnly {
    /// Loads the state file at `path` (a missing file is an empty state);
    /// without a path every call is a no-op.
    pub fn open(path: Option<&Path>) -> Result<NewOnly> {
        let Some(path) = path else {
            return Ok(NewOnly::default());
        };
        let saved = match std::fs::read(path) {
            Ok(bytes) => parse(&bytes).map_err(|message| bad_file(path, message))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(Error::io(
                    format!("reading state file {}", path.display()),
                    e,
                ))
            }
        };
        let mut state = NewOnly {
            path: Some(path.to_path_buf()),
            ..NewOnly::default()
        };
        for seen in &saved {
            state.remember(seen);
        }
        state.saved = saved;
        Ok(state)
    }

    /// Keeps the articles no earlier bundle held (each identified by
    /// `key`, see [`key_of`]); of several copies of one article in this
    /// run, the first (in input order) stays.
    pub fn keep_new<T>(&mut self, articles: Vec<T>, key: impl Fn(&T) -> &Seen) -> Vec<T> {
        if self.path.is_none() {
            return articles;
        }
        // Copies within this run are caught by a scratch set, so `note`
        // later records only what the book really holds.
        let (urls, texts) = (self.urls.clone(), self.texts.clone());
        let kept = articles
            .into_iter()
            .filter(|article| {
                let seen = key(article);
                let new = !self.is_known(seen);
                self.remember(seen);
                new
            })
            .collect();
        (self.urls, self.texts) = (urls, texts);
        kept
    }

    /// Notes the articles that go into this run's book, by their keys
    /// (recorded by `save`).
    pub fn note<'a>(&mut self, keys: impl Iterator<Item = &'a Seen>) {
        if self.path.is_some() {
            self.pending = keys.cloned().collect();
        }
    }

    /// Writes the state with this run's articles added. Call it only after
    /// every book is written.
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let file = StateFile {
            conv_state: STATE_VERSION,
            articles: self.saved.iter().chain(&self.pending).cloned().collect(),
        };
        let mut json = serde_json::to_vec_pretty(&file)
            .map_err(|e| bad_file(path, format!("cannot serialise: {e}")))?;
        json.push(b'\n');
        crate::convert::write_atomic(path, &json)
    }

    fn is_known(&self, seen: &Seen) -> bool {
        seen.url.as_ref().is_some_and(|u| self.urls.contains(u))
            || seen.text.as_ref().is_some_and(|t| self.texts.contains(t))
    }

    fn remember(&mut self, seen: &Seen) {
        if let Some(url) = &seen.url {
            self.urls.insert(url.clone());
        }
        if let Some(text) = &seen.text {
            self.texts.insert(text.clone());
        }
    }
}

fn bad_file(path: &Path, message: String) -> Error {
    Error::io(
        format!("state file {}", path.display()),
        std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    )
}

fn parse(bytes: &[u8]) -> std::result::Result<Vec<Seen>, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("line {}, column {}: {e}", e.line(), e.column()))?;
    match value.get("conv_state").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(STATE_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "has version {v}; this conv reads version {STATE_VERSION}"
            ))
        }
        None => return Err("is not a conv state file (no \"conv_state\" version)".into()),
    }
    let file: StateFile = serde_json::from_value(value).map_err(|e| e.to_string())?;
    Ok(file.articles)
}

/// What identifies an article: its normalised URL and body-text hash.
pub fn key_of(doc: &Document) -> Seen {
    Seen {
        title: doc.meta.title.clone(),
        url: doc.meta.source_url.as_deref().and_then(normalize_url),
        text: text_hash(&blocks_text(&doc.blocks)),
    }
}

/// The URL without what differs between copies of one page: scheme, host
/// case, default port, fragment, tracking parameters, a trailing slash.
pub fn normalize_url(raw: &str) -> Option<String> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return Some(url.to_string());
    }
    let host = url.host_str()?.trim_end_matches('.');
    let mut out = host.to_string();
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path().trim_end_matches('/'));
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| {
            let k = k.to_ascii_lowercase();
            !k.starts_with("utm_") && !TRACKING.contains(&k.as_str())
        })
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    Some(out)
}

/// Hash of the letters and digits of `text`, lower-cased; `None` for a
/// body with none (empty bodies must not all count as one article).
pub fn text_hash(text: &str) -> Option<String> {
    let mut hasher = Sha256::new();
    let mut any = false;
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        any = true;
        let mut buf = [0u8; 4];
        for lower in c.to_lowercase() {
            hasher.update(lower.encode_utf8(&mut buf).as_bytes());
        }
    }
    any.then(|| {
        hasher.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Inline};

    fn doc(url: Option<&str>, body: &str) -> Document {
        let mut d = Document::default();
        d.meta.source_url = url.map(str::to_string);
        d.blocks = vec![Block::Paragraph {
            content: vec![Inline::text(body)],
        }];
        d
    }

    #[test]
    fn urls_differing_only_in_tracking_and_case_are_one() {
        let a = normalize_url("https://Example.COM/news/1/?utm_source=x&id=3#top");
        let b = normalize_url("http://example.com/news/1?id=3&fbclid=abc");
        assert_eq!(a, b);
        assert_eq!(a.as_deref(), Some("example.com/news/1?id=3"));
        assert_ne!(a, normalize_url("https://example.com/news/2?id=3"));
    }

    #[test]
    fn text_hash_ignores_spacing_punctuation_and_case() {
        assert_eq!(
            text_hash("Hello,  world!\n第一段。"),
            text_hash("hello world 第一段")
        );
        assert_ne!(text_hash("hello world"), text_hash("hello there"));
        assert_eq!(text_hash(" \n…"), None);
    }

    #[test]
    fn saved_articles_are_left_out_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let mut state = NewOnly::open(Some(&path)).unwrap();
        let keyed = |name, d: Document| (name, key_of(&d));
        let first = vec![keyed("first", doc(Some("https://a.com/1"), "one"))];
        let kept = state.keep_new(first, |(_, seen)| seen);
        state.note(kept.iter().map(|(_, seen)| seen));
        state.save().unwrap();

        let mut state = NewOnly::open(Some(&path)).unwrap();
        let second = vec![
            keyed("old", doc(Some("https://a.com/1/"), "changed text")),
            keyed("copy", doc(None, "ONE")),
            keyed("new", doc(Some("https://a.com/2"), "two")),
            keyed("new-copy", doc(Some("https://b.com/x"), "two")),
        ];
        let kept = state.keep_new(second, |(_, seen)| seen);
        let names: Vec<_> = kept.into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["new"]);
    }

    #[test]
    fn a_state_file_of_another_version_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        std::fs::write(&path, r#"{"conv_state": 9, "articles": []}"#).unwrap();
        let e = NewOnly::open(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("s.json") && e.contains("version 9"), "{e}");
        std::fs::write(&path, "{\n  oops").unwrap();
        let e = NewOnly::open(Some(&path)).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
