//! What the catalog says about a book, read from the book file itself: the
//! OPF package inside an EPUB (with its cover image), or a PDF's Info
//! dictionary.

use super::xml::{attr, tags, text_after};
use std::io::Read;
use std::path::Path;

/// The largest OPF or container file read from an EPUB.
const MAX_OPF_BYTES: u64 = 4 << 20;
/// The largest cover image taken from an EPUB.
const MAX_COVER_BYTES: u64 = 32 << 20;

/// A book of the folder, as the catalog lists it.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Path relative to the catalog folder, `/`-separated.
    pub rel: String,
    /// `application/epub+zip`, `application/kepub+zip` or `application/pdf`.
    pub media_type: &'static str,
    /// File size in bytes.
    pub size: u64,
    /// Title (the file name when the book has none).
    pub title: String,
    /// Authors in order.
    pub authors: Vec<String>,
    /// Language tag.
    pub language: Option<String>,
    /// The book's own identifier (`dc:identifier`).
    pub identifier: Option<String>,
    /// Publication date, RFC 3339 or a plain date.
    pub issued: Option<String>,
    /// Last change, RFC 3339 (the file's time when the book says nothing).
    pub updated: String,
    /// Subjects or keywords.
    pub subjects: Vec<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Summary.
    pub description: Option<String>,
    /// Cover image bytes and media type.
    pub cover: Option<(Vec<u8>, &'static str)>,
}

/// The catalog's media type for a book file, or `None` for other files.
pub fn media_type(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".kepub.epub") {
        Some("application/kepub+zip")
    } else if name.ends_with(".epub") {
        Some("application/epub+zip")
    } else if name.ends_with(".pdf") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Reads the book at `path`; `rel` is its name in the catalog and
/// `file_time` its modification time (RFC 3339), used when it has no date.
pub fn read_book(path: &Path, rel: String, file_time: String) -> Result<Book, String> {
    let media_type = media_type(path).ok_or("not a book")?;
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    let mut book = Book {
        title: path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        rel,
        media_type,
        size,
        updated: file_time,
        ..Book::default()
    };
    if media_type == "application/pdf" {
        read_pdf(path, &mut book)?;
    } else {
        read_epub(path, &mut book)?;
    }
    Ok(book)
}

fn read_epub(path: &Path, book: &mut Book) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("not a readable EPUB: {e}"))?;
    let container = member_text(&mut zip, "META-INF/container.xml")?;
    let opf_path = tags(&container)
        .find(|t| t.name == "rootfile" && !t.closing)
        .and_then(|t| attr(t.attrs, "full-path"))
        .ok_or("META-INF/container.xml names no package (rootfile)")?;
    let opf = member_text(&mut zip, &opf_path)?;
    let cover_href = read_opf(&opf, book);
    if let Some((href, media_type)) = cover_href {
        let member = join_zip_path(&opf_path, &href);
        // A missing or oversized cover leaves the book without one, no more.
        book.cover = member_bytes(&mut zip, &member, MAX_COVER_BYTES)
            .ok()
            .map(|b| (b, media_type));
    }
    Ok(())
}

/// Fills `book` from the OPF package; returns the cover's href and type.
fn read_opf(opf: &str, book: &mut Book) -> Option<(String, &'static str)> {
    let unique_id = tags(opf)
        .find(|t| t.name == "package")
        .and_then(|t| attr(t.attrs, "unique-identifier"));
    let mut cover_id = None;
    let mut items = Vec::new();
    let mut identifiers = Vec::new();
    let mut titled = false;
    for tag in tags(opf).filter(|t| !t.closing) {
        let text = || Some(text_after(opf, tag.end)).filter(|s| !s.is_empty());
        match tag.name {
            "title" if !titled => {
                if let Some(t) = text() {
                    (book.title, titled) = (t, true);
                }
            }
            "creator" => book.authors.extend(text()),
            "language" if book.language.is_none() => book.language = text(),
            "identifier" => {
                if let Some(t) = text() {
                    identifiers.push((attr(tag.attrs, "id"), t));
                }
            }
            "date" if book.issued.is_none() => book.issued = text(),
            "subject" => book.subjects.extend(text()),
            "publisher" if book.publisher.is_none() => book.publisher = text(),
            "description" if book.description.is_none() => book.description = text(),
            "meta" => match (attr(tag.attrs, "property"), attr(tag.attrs, "name")) {
                (Some(p), _) if p == "dcterms:modified" => {
                    if let Some(t) = text().and_then(|t| super::rfc3339(&t)) {
                        book.updated = t;
                    }
                }
                (_, Some(n)) if n == "cover" => cover_id = attr(tag.attrs, "content"),
                _ => {}
            },
            "item" => items.push(tag.attrs),
            _ => {}
        }
    }
    book.identifier = identifiers
        .iter()
        .find(|(id, _)| id.is_some() && *id == unique_id)
        .or(identifiers.first())
        .map(|(_, t)| t.clone());
    let cover = items
        .iter()
        .find(|a| attr(a, "properties").is_some_and(|p| p.split(' ').any(|p| p == "cover-image")))
        .or_else(|| {
            let id = cover_id.as_deref()?;
            items.iter().find(|a| attr(a, "id").as_deref() == Some(id))
        })?;
    let media_type = image_type(&attr(cover, "media-type")?)?;
    Some((attr(cover, "href")?, media_type))
}

/// The image types a catalog cover may have (others are left out).
fn image_type(media_type: &str) -> Option<&'static str> {
    match media_type.trim().to_ascii_lowercase().as_str() {
        "image/jpeg" | "image/jpg" => Some("image/jpeg"),
        "image/png" => Some("image/png"),
        "image/gif" => Some("image/gif"),
        "image/webp" => Some("image/webp"),
        _ => None,
    }
}

/// `href` (relative to the OPF, percent-encoded) as a zip member name.
fn join_zip_path(opf_path: &str, href: &str) -> String {
    let href = href.split('#').next().unwrap_or_default();
    let href = percent_decode(href);
    let mut parts: Vec<&str> = match opf_path.rsplit_once('/') {
        Some((dir, _)) => dir.split('/').collect(),
        None => Vec::new(),
    };
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn member_text<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<String, String> {
    let bytes = member_bytes(zip, name, MAX_OPF_BYTES)?;
    let text = String::from_utf8_lossy(&bytes);
    // Entities are decoded per value, by the tag reader.
    Ok(text.trim_start_matches('\u{feff}').to_string())
}

fn member_bytes<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    max: u64,
) -> Result<Vec<u8>, String> {
    let member = zip
        .by_name(name)
        .map_err(|e| format!("no {name} in the EPUB: {e}"))?;
    if member.size() > max {
        return Err(format!("{name} is larger than {max} bytes"));
    }
    let mut bytes = Vec::new();
    // `take` as well: the size in the zip directory is only a claim.
    member
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("reading {name}: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("{name} is larger than {max} bytes"));
    }
    Ok(bytes)
}

fn read_pdf(path: &Path, book: &mut Book) -> Result<(), String> {
    // lopdf reads whatever the file holds; a panic in it must not end the run.
    let meta = std::panic::catch_unwind(|| lopdf::Document::load_metadata(path))
        .map_err(|_| "not a readable PDF (the PDF reader failed)".to_string())?
        .map_err(|e| format!("not a readable PDF: {e}"))?;
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(title) = clean(meta.title) {
        book.title = title;
    }
    book.authors.extend(clean(meta.author));
    book.description = clean(meta.subject);
    book.subjects = clean(meta.keywords)
        .map(|k| {
            k.split([',', ';'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    book.issued = clean(meta.creation_date).and_then(|d| pdf_date(&d));
    if let Some(modified) = clean(meta.modification_date).and_then(|d| pdf_date(&d)) {
        book.updated = modified;
    }
    Ok(())
}

/// `D:20220214070216Z` (or with `+08'00'`) as RFC 3339.
fn pdf_date(raw: &str) -> Option<String> {
    let s = raw.strip_prefix("D:").unwrap_or(raw);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    let part = |a: usize, b: usize, default: &str| digits.get(a..b).unwrap_or(default).to_string();
    let (y, m, d) = (part(0, 4, ""), part(4, 6, "01"), part(6, 8, "01"));
    let (hh, mm, ss) = (part(8, 10, "00"), part(10, 12, "00"), part(12, 14, "00"));
    let zone = &s[digits.len()..];
    let offset = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let z: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            format!(
                "{sign}{}:{}",
                z.get(0..2).unwrap_or("00"),
                z.get(2..4).unwrap_or("00")
            )
        }
        _ => "Z".to_string(),
    };
    super::rfc3339(&format!("{y}-{m}-{d}T{hh}:{mm}:{ss}{offset}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opf_metadata_and_cover_are_read_tolerantly() {
        let opf = r#"<?xml version="1.0"?>
<package unique-identifier="uid" xmlns="http://www.idpf.org/2007/opf">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:identifier id="other">isbn-1</dc:identifier>
  <dc:identifier id="uid">urn:uuid:1234</dc:identifier>
  <dc:title>Tom &amp; Jerry &#x4e2d;</dc:title>
  <dc:creator>A. Writer</dc:creator><dc:creator>B</dc:creator>
  <dc:language>en</dc:language>
  <!-- <dc:subject>commented out</dc:subject> -->
  <dc:subject>Tech</dc:subject>
  <meta property="dcterms:modified">2022-02-14T07:02:16Z</meta>
  <meta name='cover' content='c'/>
 </metadata>
 <manifest><item id='c' href='images/My%20Cover.png' media-type='image/png'/></manifest>
</package>"#;
        let mut book = Book::default();
        let cover = read_opf(opf, &mut book);
        assert_eq!(book.title, "Tom & Jerry 中");
        assert_eq!(book.authors, ["A. Writer", "B"]);
        assert_eq!(book.identifier.as_deref(), Some("urn:uuid:1234"));
        assert_eq!(book.subjects, ["Tech"]);
        assert_eq!(book.updated, "2022-02-14T07:02:16Z");
        let (href, ty) = cover.unwrap();
        assert_eq!(ty, "image/png");
        assert_eq!(
            join_zip_path("OEBPS/content.opf", &href),
            "OEBPS/images/My Cover.png"
        );
        assert_eq!(join_zip_path("content.opf", "../x/./y.jpg"), "x/y.jpg");
    }

    #[test]
    fn pdf_dates_become_rfc3339() {
        assert_eq!(
            pdf_date("D:20220214070216Z").as_deref(),
            Some("2022-02-14T07:02:16Z")
        );
        assert_eq!(
            pdf_date("D:20220214070216+08'00'").as_deref(),
            Some("2022-02-13T23:02:16Z")
        );
        assert_eq!(pdf_date("D:2022").as_deref(), None);
    }

    #[test]
    fn media_types_follow_the_file_name() {
        assert_eq!(
            media_type(Path::new("a/B.KEPUB.EPUB")),
            Some("application/kepub+zip")
        );
        assert_eq!(
            media_type(Path::new("b.epub")),
            Some("application/epub+zip")
        );
        assert_eq!(media_type(Path::new("c.pdf")), Some("application/pdf"));
        assert_eq!(media_type(Path::new("d.txt")), None);
    }
}
