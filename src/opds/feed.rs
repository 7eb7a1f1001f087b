//! The Atom documents of the catalog: navigation feeds (lists of other
//! feeds) and acquisition feeds (lists of books with download links).

use super::book::Book;
use super::xml::escape;
use std::fmt::Write;

/// Media type of a navigation feed.
pub const NAVIGATION: &str = "application/atom+xml;profile=opds-catalog;kind=navigation";
/// Media type of an acquisition feed.
pub const ACQUISITION: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";

/// A book as an acquisition entry: the book and where its pictures went.
#[derive(Debug)]
pub struct BookEntry {
    /// What the book says about itself.
    pub book: Book,
    /// The cover's href (relative to the feeds) and media type.
    pub cover: Option<(String, &'static str)>,
    /// The thumbnail's href and media type.
    pub thumbnail: Option<(String, &'static str)>,
}

/// An entry of a navigation feed: a link to another feed.
#[derive(Debug)]
pub struct NavEntry {
    /// What the linked feed lists.
    pub title: String,
    /// A line about it ("12 books").
    pub content: String,
    /// The linked feed's file name.
    pub href: String,
    /// The linked feed's media type.
    pub kind: &'static str,
    /// Its newest change.
    pub updated: String,
}

/// The parts every feed has.
#[derive(Debug)]
pub struct Head<'a> {
    /// The feed's `urn:uuid:` id.
    pub id: String,
    /// Title.
    pub title: &'a str,
    /// Newest change of anything it lists.
    pub updated: &'a str,
    /// The catalog's name, the feed's author.
    pub author: &'a str,
    /// This feed's file name.
    pub file: &'a str,
    /// Its media type.
    pub kind: &'static str,
    /// The feed one level up (file, type), if not the root.
    pub up: Option<(&'a str, &'static str)>,
}

fn open(head: &Head) -> String {
    let mut out = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/terms/\" ",
        "xmlns:opds=\"http://opds-spec.org/2010/catalog\">\n"
    ));
    let _ = writeln!(out, "  <id>{}</id>", escape(&head.id));
    let _ = writeln!(out, "  <title>{}</title>", escape(head.title));
    let _ = writeln!(out, "  <updated>{}</updated>", escape(head.updated));
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        escape(head.author)
    );
    let _ = writeln!(out, "  <generator>conv</generator>");
    link(&mut out, "self", head.file, head.kind, "  ");
    link(&mut out, "start", "index.xml", NAVIGATION, "  ");
    if let Some((file, kind)) = head.up {
        link(&mut out, "up", file, kind, "  ");
    } else {
        // The root also says where the newest books are (OPDS 1.2, 7.4).
        link(
            &mut out,
            "http://opds-spec.org/sort/new",
            "all.xml",
            ACQUISITION,
            "  ",
        );
    }
    out
}

fn link(out: &mut String, rel: &str, href: &str, kind: &str, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}<link rel=\"{}\" href=\"{}\" type=\"{}\"/>",
        escape(rel),
        escape(href),
        escape(kind)
    );
}

/// A navigation feed listing `entries`.
pub fn navigation(head: &Head, entries: &[NavEntry]) -> String {
    let mut out = open(head);
    for entry in entries {
        out.push_str("  <entry>\n");
        let id = super::urn(&format!("{}#{}", head.id, entry.href));
        let _ = writeln!(out, "    <title>{}</title>", escape(&entry.title));
        let _ = writeln!(out, "    <id>{id}</id>");
        let _ = writeln!(out, "    <updated>{}</updated>", escape(&entry.updated));
        let _ = writeln!(
            out,
            "    <content type=\"text\">{}</content>",
            escape(&entry.content)
        );
        link(&mut out, "subsection", &entry.href, entry.kind, "    ");
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// An acquisition feed listing `entries` (books).
pub fn acquisition(head: &Head, entries: &[&BookEntry]) -> String {
    let mut out = open(head);
    for entry in entries {
        book_entry(&mut out, entry);
    }
    out.push_str("</feed>\n");
    out
}

fn book_entry(out: &mut String, entry: &BookEntry) {
    let book = &entry.book;
    let element = |out: &mut String, name: &str, value: &str| {
        let _ = writeln!(out, "    <{name}>{}</{name}>", escape(value));
    };
    out.push_str("  <entry>\n");
    element(out, "title", &book.title);
    let own_id = book.identifier.as_deref().unwrap_or_default();
    element(out, "id", &super::urn(&format!("{own_id}|{}", book.rel)));
    element(out, "updated", &book.updated);
    for author in &book.authors {
        let _ = writeln!(out, "    <author><name>{}</name></author>", escape(author));
    }
    if let Some(id) = &book.identifier {
        element(out, "dc:identifier", id);
    }
    if let Some(language) = &book.language {
        element(out, "dc:language", language);
    }
    if let Some(issued) = &book.issued {
        element(out, "dc:issued", issued);
    }
    if let Some(publisher) = &book.publisher {
        element(out, "dc:publisher", publisher);
    }
    for subject in &book.subjects {
        let _ = writeln!(
            out,
            "    <category term=\"{0}\" label=\"{0}\"/>",
            escape(subject)
        );
    }
    // Atom wants content (or an alternate link) in every entry.
    let content = book
        .description
        .clone()
        .unwrap_or_else(|| format!("{}, {}", format_name(book.media_type), size(book.size)));
    let _ = writeln!(
        out,
        "    <content type=\"text\">{}</content>",
        escape(&content)
    );
    if let Some((href, kind)) = &entry.cover {
        link(out, "http://opds-spec.org/image", href, kind, "    ");
    }
    if let Some((href, kind)) = &entry.thumbnail {
        link(
            out,
            "http://opds-spec.org/image/thumbnail",
            href,
            kind,
            "    ",
        );
    }
    let _ = writeln!(
        out,
        "    <link rel=\"http://opds-spec.org/acquisition\" href=\"{}\" type=\"{}\" length=\"{}\" title=\"{}\"/>",
        escape(&super::book_href(&book.rel)),
        book.media_type,
        book.size,
        format_name(book.media_type)
    );
    out.push_str("  </entry>\n");
}

fn format_name(media_type: &str) -> &'static str {
    match media_type {
        "application/kepub+zip" => "Kobo EPUB",
        "application/pdf" => "PDF",
        _ => "EPUB",
    }
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{} KB", b / 1_000),
        b => format!("{b} bytes"),
    }
}
