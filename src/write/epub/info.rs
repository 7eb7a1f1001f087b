//! The book-level facts of an EPUB: title, language, authors, dates and
//! the identifier, gathered from the book's metadata and its articles'
//! (a bundle's article bodies are unpacked only where a fact needs them).

use super::meta::{self, Labels};
use super::xhtml::{self, clean_line, escape};
use super::Book;
use crate::diag::Warnings;
use crate::model::{blocks_text, inline_text, Block, Document, Metadata};
use crate::options::Options;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The book-level facts every page and the package need.
pub(super) struct Info {
    pub title: String,
    pub lang: String,
    pub labels: Labels,
    pub authors: Vec<String>,
    pub subjects: Vec<String>,
    pub description: Option<String>,
    /// The source URL when it is a usable link.
    pub source_url: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub modified: DateTime<Utc>,
    pub uuid: Uuid,
}

impl Info {
    pub fn new(book: &Book, opts: &Options, warnings: &mut Warnings) -> Info {
        let meta = book.meta;
        let lang = language(meta, || sample_text(book.documents()), warnings);
        let labels = meta::labels(&lang);
        let title = meta
            .title
            .as_deref()
            .map(clean_line)
            .filter(|t| !t.is_empty())
            .or_else(|| {
                let first = book.documents().next().filter(|_| !book.bundle)?;
                first_heading(&first)
            })
            .unwrap_or_else(|| labels.untitled.to_string());
        let mut authors = clean_list(&meta.authors);
        if authors.is_empty() && book.bundle {
            // A bundle without its own authors is by its articles' authors.
            let all: Vec<String> = book
                .articles()
                .flat_map(|a| a.meta().authors.clone())
                .collect();
            authors = clean_list(&all);
            authors.truncate(10);
        }
        let mut dates = vec![meta.updated.as_ref(), meta.date.as_ref()];
        if book.bundle {
            dates.extend(
                book.articles()
                    .map(|a| a.meta())
                    .flat_map(|m| [m.updated.as_ref(), m.date.as_ref()]),
            );
        }
        let dates: Vec<_> = dates
            .into_iter()
            .map(|d| d.and_then(meta::parse_date))
            .collect();
        Info {
            lang,
            labels,
            authors,
            subjects: meta::subjects(meta),
            description: meta
                .description
                .as_deref()
                .map(clean_line)
                .filter(|d| !d.is_empty()),
            source_url: meta.source_url.as_deref().and_then(xhtml::safe_href),
            publisher: meta::publisher(meta),
            published: meta.date.as_ref().and_then(meta::parse_date),
            modified: meta::modified(opts.source_date_epoch, &dates),
            uuid: book_identifier(book, &title),
            title,
        }
    }

    /// Metadata epub-builder cannot write, for [`super::package::finish`].
    pub fn extra_opf(&self) -> String {
        let mut out = String::new();
        if let Some(url) = &self.source_url {
            out.push_str(&format!("    <dc:source>{}</dc:source>\n", escape(url)));
        }
        if let Some(publisher) = &self.publisher {
            out.push_str(&format!(
                "    <dc:publisher>{}</dc:publisher>\n",
                escape(publisher)
            ));
        }
        out
    }
}

/// The language from the metadata if it is a BCP 47 tag, else detected
/// from the text (with a warning when the metadata said something else).
pub(super) fn language(
    meta: &Metadata,
    text: impl FnOnce() -> String,
    warnings: &mut Warnings,
) -> String {
    let given = meta.language.as_deref().filter(|l| !l.trim().is_empty());
    if let Some(tag) = given.and_then(meta::normalize_language) {
        return tag;
    }
    let detected = meta::detect_language(&text()).to_string();
    if let Some(given) = given {
        warnings.push(format!(
            "language '{given}' is not a BCP 47 tag; using '{detected}' detected from the text"
        ));
    }
    detected
}

/// Enough prose of the first articles to tell their language. Code is
/// left out: a Chinese tutorial's code blocks would outvote its text.
pub(super) fn sample_text<D: std::ops::Deref<Target = Document>>(
    articles: impl Iterator<Item = D>,
) -> String {
    let mut text = String::new();
    for article in articles {
        text.push_str(article.meta.title.as_deref().unwrap_or(""));
        text.push('\n');
        push_prose(&article.blocks, &mut text);
        if text.len() > 8000 {
            break;
        }
    }
    text
}

fn push_prose(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                out.push_str(&inline_text(content));
                out.push('\n');
            }
            Block::List { items, .. } => items.iter().for_each(|item| push_prose(item, out)),
            Block::BlockQuote { blocks } => push_prose(blocks, out),
            Block::Figure { caption, .. } => out.push_str(&inline_text(caption)),
            Block::Table(table) => {
                for cell in table.head.iter().chain(&table.body).flatten() {
                    push_prose(&cell.blocks, out);
                }
            }
            Block::CodeBlock { .. } | Block::Rule => {}
        }
        if out.len() > 8000 {
            return;
        }
    }
}

pub(super) fn clean_list(items: &[String]) -> Vec<String> {
    meta::unique_lines(items.iter())
}

pub(super) fn first_heading(doc: &Document) -> Option<String> {
    doc.blocks.iter().find_map(|b| match b {
        Block::Heading { content, .. } => {
            Some(clean_line(&inline_text(content))).filter(|t| !t.is_empty())
        }
        _ => None,
    })
}

/// A single article's identifier comes from its source; a bundle's from
/// its title, date and its articles' identifiers.
fn book_identifier(book: &Book, title: &str) -> Uuid {
    if !book.bundle {
        let text = || book.documents().map(|a| blocks_text(&a.blocks)).collect();
        return meta::identifier(book.meta, text);
    }
    let mut name = format!(
        "bundle\n{title}\n{}",
        book.meta.date.as_ref().map_or("", |d| d.raw.as_str())
    );
    for article in book.articles() {
        name.push('\n');
        // The body is unpacked only for an article without title, date or source.
        let text = || {
            article
                .document()
                .map(|d| blocks_text(&d.blocks))
                .unwrap_or_default()
        };
        name.push_str(&meta::identifier(article.meta(), text).to_string());
    }
    Uuid::new_v5(&meta::conv_namespace(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    #[test]
    fn code_blocks_do_not_decide_the_language() {
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![
                Block::Paragraph {
                    content: vec![Inline::text("安装依赖并运行下面的命令。")],
                },
                Block::CodeBlock {
                    language: None,
                    code: "npm install typescript@beta && npx tsc --init --strict".repeat(5),
                },
            ],
        };
        let mut warnings = Warnings::new();
        let lang = language(
            &doc.meta,
            || sample_text(std::iter::once(&doc)),
            &mut warnings,
        );
        assert_eq!(lang, "zh");
        assert!(warnings.is_empty());
    }

    #[test]
    fn an_invalid_language_is_replaced_with_a_warning() {
        let meta = Metadata {
            language: Some("english language".into()),
            ..Metadata::default()
        };
        let mut warnings = Warnings::new();
        assert_eq!(
            language(&meta, || "plain words".into(), &mut warnings),
            "en"
        );
        assert_eq!(warnings.items().len(), 1);
    }
}
