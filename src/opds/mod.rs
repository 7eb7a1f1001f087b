//! A static OPDS 1.2 catalog of a folder of books (`conv --opds DIR`).
//!
//! Every EPUB, Kobo EPUB (`*.kepub.epub`) and PDF under the folder is read
//! (metadata from the book file itself) and listed in Atom feeds written to
//! `DIR/opds/`: `index.xml` (the root), `all.xml`, and navigation by date
//! (month), source (author or publisher) and category (subject), each
//! leading to an acquisition feed. EPUB covers are copied to
//! `opds/covers/` with a JPEG thumbnail. Links are relative, so the folder
//! can be served by any static web server or opened from disk.

mod book;
mod feed;
mod xml;

pub use book::{media_type, read_book, Book};

use crate::error::{Error, Result};
use feed::{BookEntry, Head, NavEntry, ACQUISITION, NAVIGATION};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The folder, under the catalog folder, that holds the feeds.
pub const FEED_DIR: &str = "opds";

/// What writing a catalog did.
#[derive(Debug, Default)]
pub struct CatalogSummary {
    /// Books listed.
    pub books: usize,
    /// Feed files written.
    pub feeds: usize,
    /// Books that could not be read: (file, reason).
    pub failures: Vec<(String, String)>,
}

/// Writes the catalog of the books under `dir` into `dir/opds/`.
pub fn write_catalog(dir: &Path) -> Result<CatalogSummary> {
    if !dir.is_dir() {
        return Err(Error::io(
            format!("--opds {}", dir.display()),
            std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        ));
    }
    let out = dir.join(FEED_DIR);
    let (books, failures) = scan(dir);
    let mut written = BTreeSet::new();
    let entries = books
        .into_iter()
        .map(|book| with_pictures(book, &out, &mut written))
        .collect::<Result<Vec<_>>>()?;
    let name = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "Books".into());
    let feeds = feeds(&name, &entries);
    // The root last: a reader that sees it finds every feed it links to.
    for (file, text) in feeds.iter().rev() {
        crate::convert::write_atomic(&out.join(file), text.as_bytes())?;
        written.insert(file.clone());
    }
    remove_stale(&out, &written);
    Ok(CatalogSummary {
        books: entries.len(),
        feeds: feeds.len(),
        failures,
    })
}

/// Every book under `dir` (not under `dir/opds`, no hidden files, no
/// symbolic links followed), in path order.
fn scan(dir: &Path) -> (Vec<Book>, Vec<(String, String)>) {
    let mut books = Vec::new();
    let mut failures = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let feeds = e.depth() == 1 && e.file_name() == FEED_DIR;
            !hidden && !feeds
        });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                failures.push((dir.display().to_string(), e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_file() || media_type(entry.path()).is_none() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        let time = entry
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .map(|t| utc(chrono::DateTime::<chrono::Utc>::from(t)))
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        match read_book(entry.path(), rel.join("/"), time) {
            Ok(book) => books.push(book),
            Err(reason) => failures.push((entry.path().display().to_string(), reason)),
        }
    }
    (books, failures)
}

/// Writes the book's cover and thumbnail, and notes where they went.
fn with_pictures(mut book: Book, out: &Path, written: &mut BTreeSet<String>) -> Result<BookEntry> {
    let Some((bytes, kind)) = book.cover.take() else {
        return Ok(BookEntry {
            book,
            cover: None,
            thumbnail: None,
        });
    };
    let stem = format!("covers/{}", &hash(&book.rel)[..16]);
    let ext = kind
        .rsplit('/')
        .next()
        .unwrap_or("img")
        .replace("jpeg", "jpg");
    let cover = format!("{stem}.{ext}");
    crate::convert::write_atomic(&out.join(&cover), &bytes)?;
    written.insert(cover.clone());
    let thumbnail = match thumbnail(&bytes) {
        Some(jpeg) => {
            let file = format!("{stem}-thumb.jpg");
            crate::convert::write_atomic(&out.join(&file), &jpeg)?;
            written.insert(file.clone());
            Some((file, "image/jpeg"))
        }
        // A cover we cannot decode is still shown, as its own thumbnail.
        None => Some((cover.clone(), kind)),
    };
    Ok(BookEntry {
        book,
        cover: Some((cover, kind)),
        thumbnail,
    })
}

/// A JPEG at most 200×300 pixels of the cover, or `None` when the cover
/// cannot be decoded (within the image crate's memory limits).
fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let image = reader.decode().ok()?.thumbnail(200, 300).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&image)
        .ok()?;
    Some(out)
}

/// One facet of navigation: how books are grouped and how groups sort.
struct Facet {
    file: &'static str,
    title: &'static str,
    keys: fn(&Book) -> Vec<String>,
    newest_first: bool,
    /// What a group is called in the root's count ("3 months").
    unit: (&'static str, &'static str),
}

const FACETS: &[Facet] = &[
    Facet {
        file: "dates",
        unit: ("month", "months"),
        title: "By date",
        keys: month_of,
        newest_first: true,
    },
    Facet {
        file: "sources",
        unit: ("source", "sources"),
        title: "By source",
        keys: sources_of,
        newest_first: false,
    },
    Facet {
        file: "categories",
        unit: ("category", "categories"),
        title: "By category",
        keys: |b| b.subjects.clone(),
        newest_first: false,
    },
];

fn month_of(book: &Book) -> Vec<String> {
    let date = book.issued.as_deref().unwrap_or(&book.updated);
    let month = date.get(..7).filter(|m| {
        m.as_bytes()[4] == b'-'
            && m.bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit())
    });
    vec![month.unwrap_or("Undated").to_string()]
}

fn sources_of(book: &Book) -> Vec<String> {
    if !book.authors.is_empty() {
        book.authors.clone()
    } else {
        vec![book.publisher.clone().unwrap_or_else(|| "Unknown".into())]
    }
}

/// Every feed of the catalog as (file name, text), the root first.
fn feeds(name: &str, entries: &[BookEntry]) -> Vec<(String, String)> {
    let mut sorted: Vec<&BookEntry> = entries.iter().collect();
    sorted.sort_by(|a, b| {
        (b.book.updated.as_str(), a.book.rel.as_str())
            .cmp(&(a.book.updated.as_str(), b.book.rel.as_str()))
    });
    let latest = newest(&sorted);
    let mut files = Vec::new();
    let mut root = vec![NavEntry {
        title: "All books".into(),
        content: count(sorted.len(), ("book", "books")),
        href: "all.xml".into(),
        kind: ACQUISITION,
        updated: latest.clone(),
    }];
    let all = make_head(name, "All books", &latest, "all.xml", ACQUISITION, true);
    files.push(("all.xml".to_string(), feed::acquisition(&all, &sorted)));
    for facet in FACETS {
        let groups = group(&sorted, facet);
        if groups.is_empty() {
            continue;
        }
        let nav_file = format!("{}.xml", facet.file);
        let mut nav = Vec::new();
        for (key, books) in &groups {
            let file = format!("{}-{}.xml", facet.file, &hash(key)[..12]);
            let updated = newest(books);
            let head = make_head(name, key, &updated, &file, ACQUISITION, false);
            let head = Head {
                up: Some((&nav_file, NAVIGATION)),
                ..head
            };
            files.push((file.clone(), feed::acquisition(&head, books)));
            nav.push(NavEntry {
                title: key.clone(),
                content: count(books.len(), ("book", "books")),
                href: file,
                kind: ACQUISITION,
                updated,
            });
        }
        let head = make_head(name, facet.title, &latest, &nav_file, NAVIGATION, true);
        files.push((nav_file.clone(), feed::navigation(&head, &nav)));
        root.push(NavEntry {
            title: facet.title.into(),
            content: count(groups.len(), facet.unit),
            href: nav_file,
            kind: NAVIGATION,
            updated: latest.clone(),
        });
    }
    let head = make_head(name, name, &latest, "index.xml", NAVIGATION, false);
    let head = Head { up: None, ..head };
    files.insert(0, ("index.xml".into(), feed::navigation(&head, &root)));
    files
}

fn make_head<'a>(
    name: &'a str,
    title: &'a str,
    updated: &'a str,
    file: &'a str,
    kind: &'static str,
    up_is_root: bool,
) -> Head<'a> {
    Head {
        id: urn(&format!("{name}/{file}")),
        title,
        updated,
        author: name,
        file,
        kind,
        up: up_is_root.then_some(("index.xml", NAVIGATION)),
    }
}

/// Books grouped by the facet's keys, groups in the facet's order.
fn group<'a>(books: &[&'a BookEntry], facet: &Facet) -> Vec<(String, Vec<&'a BookEntry>)> {
    let mut groups: BTreeMap<String, Vec<&BookEntry>> = BTreeMap::new();
    for entry in books {
        let keys: BTreeSet<String> = (facet.keys)(&entry.book).into_iter().collect();
        for key in keys {
            groups.entry(key).or_default().push(entry);
        }
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    if facet.newest_first {
        groups.reverse();
    }
    groups
}

fn newest(books: &[&BookEntry]) -> String {
    books
        .iter()
        .map(|b| b.book.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

fn count(n: usize, (one, many): (&str, &str)) -> String {
    match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// Removes feeds and pictures an earlier catalog wrote that this one did not.
fn remove_stale(out: &Path, written: &BTreeSet<String>) {
    for sub in ["", "covers"] {
        let Ok(list) = std::fs::read_dir(out.join(sub)) else {
            continue;
        };
        for entry in list.flatten() {
            let file = entry.file_name().to_string_lossy().to_string();
            let rel = if sub.is_empty() {
                file.clone()
            } else {
                format!("{sub}/{file}")
            };
            let ours = [".xml", ".jpg", ".png", ".gif", ".webp"]
                .iter()
                .any(|e| file.ends_with(e));
            if ours && entry.path().is_file() && !written.contains(&rel) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A stable `urn:uuid:` for `key`.
fn urn(key: &str) -> String {
    let id = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("conv-opds:{key}").as_bytes(),
    );
    format!("urn:uuid:{id}")
}

fn hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A book's path as an href from the feed folder, percent-encoded.
fn book_href(rel: &str) -> String {
    let mut out = String::from("../");
    for b in rel.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn utc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A date or date-time as RFC 3339 in UTC (`2022-02-14` → midnight).
fn rfc3339(text: &str) -> Option<String> {
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(utc(t.with_timezone(&chrono::Utc)));
    }
    let day = chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    Some(utc(day.and_hms_opt(0, 0, 0)?.and_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_relative_and_encoded() {
        assert_eq!(
            book_href("周报/a b.epub"),
            "../%E5%91%A8%E6%8A%A5/a%20b.epub"
        );
    }

    #[test]
    fn dates_are_normalised_to_utc() {
        assert_eq!(
            rfc3339("2022-02-14").as_deref(),
            Some("2022-02-14T00:00:00Z")
        );
        assert_eq!(
            rfc3339("2022-02-14T08:00:00+08:00").as_deref(),
            Some("2022-02-14T00:00:00Z")
        );
        assert_eq!(rfc3339("soon"), None);
    }
}
