//! Bundles held packed, so a book of thousands of articles does not hold
//! thousands of document trees: each article keeps its [`Metadata`] (what
//! selecting, ordering, sectioning and the tables of contents need) and
//! its body as deflated compact JSON, unpacked one article at a time while
//! a writer renders it.
//!
//! A body nested too deeply for the JSON reader's recursion limit stays
//! unpacked: rare, and never lost.

use super::{Block, Bundle, Document, Inline, Metadata, Section};
use crate::error::{Error, Result};
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::io::Write;

/// A bundle whose articles are packed (see the module documentation).
#[derive(Debug, Default)]
pub struct PackedBundle {
    /// The book's own metadata (title, date, language).
    pub meta: Metadata,
    /// Sections in order; a bundle without grouping has one untitled section.
    pub sections: Vec<PackedSection>,
}

/// One section of a packed bundle.
#[derive(Debug, Default)]
pub struct PackedSection {
    /// Section title (a source, a category, a day); empty when ungrouped.
    pub title: String,
    /// The section's articles in reading order.
    pub articles: Vec<PackedArticle>,
}

/// One article: its metadata as is, its body packed.
#[derive(Debug)]
pub struct PackedArticle {
    /// The article's metadata.
    pub meta: Metadata,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// The blocks as compact JSON, deflated.
    Deflated(Vec<u8>),
    /// The blocks as they are (nested too deeply to be read back as JSON).
    Plain(Vec<Block>),
}

/// Containers deeper than this stay unpacked: each model level is up to
/// three JSON levels, and serde_json reads at most 128.
const MAX_PACKED_NESTING: usize = 36;

fn pack_error(e: impl std::fmt::Display) -> Error {
    Error::Json(format!("packed article: {e}"))
}

impl PackedArticle {
    /// Packs `doc`.
    pub fn pack(doc: Document) -> PackedArticle {
        let Document { meta, blocks } = doc;
        let body = if nesting(&blocks) > MAX_PACKED_NESTING {
            Body::Plain(blocks)
        } else {
            match deflate_json(&blocks) {
                Ok(bytes) => Body::Deflated(bytes),
                Err(_) => Body::Plain(blocks),
            }
        };
        PackedArticle { meta, body }
    }

    /// The article as a document again.
    pub fn unpack(&self) -> Result<Document> {
        let blocks = match &self.body {
            Body::Plain(blocks) => blocks.clone(),
            Body::Deflated(bytes) => {
                serde_json::from_reader(DeflateDecoder::new(&bytes[..])).map_err(pack_error)?
            }
        };
        Ok(Document {
            meta: self.meta.clone(),
            blocks,
        })
    }

    /// Writes the document as compact JSON, the bytes `serde_json::to_writer`
    /// gives for the unpacked [`Document`], without building its tree.
    fn write_json(&self, out: &mut dyn Write) -> Result<()> {
        out.write_all(b"{\"meta\":").map_err(pack_error)?;
        serde_json::to_writer(&mut *out, &self.meta).map_err(pack_error)?;
        out.write_all(b",\"blocks\":").map_err(pack_error)?;
        match &self.body {
            Body::Plain(blocks) => serde_json::to_writer(&mut *out, blocks).map_err(pack_error)?,
            Body::Deflated(bytes) => {
                std::io::copy(&mut DeflateDecoder::new(&bytes[..]), out).map_err(pack_error)?;
            }
        }
        out.write_all(b"}").map_err(pack_error)
    }

    /// Bytes held for the body (for tests and measurements).
    pub fn packed_len(&self) -> usize {
        match &self.body {
            Body::Deflated(bytes) => bytes.len(),
            Body::Plain(_) => 0,
        }
    }
}

fn deflate_json(blocks: &[Block]) -> std::io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
    serde_json::to_writer(&mut encoder, blocks)?;
    let mut bytes = encoder.finish()?;
    bytes.shrink_to_fit();
    Ok(bytes)
}

/// How deeply block and inline containers nest in `blocks`.
fn nesting(blocks: &[Block]) -> usize {
    blocks.iter().map(block_nesting).max().unwrap_or(0)
}

fn block_nesting(block: &Block) -> usize {
    1 + match block {
        Block::Paragraph { content } | Block::Heading { content, .. } => inline_nesting(content),
        Block::Figure { caption, .. } => inline_nesting(caption),
        Block::List { items, .. } => items.iter().map(|i| 1 + nesting(i)).max().unwrap_or(0),
        Block::BlockQuote { blocks } => nesting(blocks),
        Block::Table(table) => table
            .head
            .iter()
            .chain(&table.body)
            .flatten()
            .map(|cell| 2 + nesting(&cell.blocks))
            .max()
            .unwrap_or(0),
        Block::CodeBlock { .. } | Block::Rule => 0,
    }
}

fn inline_nesting(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => 1 + inline_nesting(content),
            _ => 1,
        })
        .max()
        .unwrap_or(0)
}

impl PackedBundle {
    /// Packs every article of `bundle`.
    pub fn pack(bundle: Bundle) -> PackedBundle {
        PackedBundle {
            meta: bundle.meta,
            sections: bundle
                .sections
                .into_iter()
                .map(|s| PackedSection {
                    title: s.title,
                    articles: s.articles.into_iter().map(PackedArticle::pack).collect(),
                })
                .collect(),
        }
    }

    /// The whole bundle unpacked (for formats that render it in one piece).
    pub fn unpack(&self) -> Result<Bundle> {
        let sections = self
            .sections
            .iter()
            .map(|s| {
                Ok(Section {
                    title: s.title.clone(),
                    articles: s
                        .articles
                        .iter()
                        .map(PackedArticle::unpack)
                        .collect::<Result<_>>()?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Bundle {
            meta: self.meta.clone(),
            sections,
        })
    }

    /// Every article, in reading order.
    pub fn articles(&self) -> impl Iterator<Item = &PackedArticle> {
        self.sections.iter().flat_map(|s| s.articles.iter())
    }

    /// Writes the bundle as compact JSON, the bytes `serde_json::to_writer`
    /// gives for the unpacked [`Bundle`], one article at a time.
    pub fn write_json(&self, out: &mut dyn Write) -> Result<()> {
        out.write_all(b"{\"meta\":").map_err(pack_error)?;
        serde_json::to_writer(&mut *out, &self.meta).map_err(pack_error)?;
        out.write_all(b",\"sections\":[").map_err(pack_error)?;
        for (i, section) in self.sections.iter().enumerate() {
            if i > 0 {
                out.write_all(b",").map_err(pack_error)?;
            }
            out.write_all(b"{\"title\":").map_err(pack_error)?;
            serde_json::to_writer(&mut *out, &section.title).map_err(pack_error)?;
            out.write_all(b",\"articles\":[").map_err(pack_error)?;
            for (j, article) in section.articles.iter().enumerate() {
                if j > 0 {
                    out.write_all(b",").map_err(pack_error)?;
                }
                article.write_json(out)?;
            }
            out.write_all(b"]}").map_err(pack_error)?;
        }
        out.write_all(b"]}").map_err(pack_error)
    }
}

/// Serialises as the unpacked [`Bundle`] would, unpacking one article at
/// a time.
impl Serialize for PackedBundle {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Bundle", 2)?;
        s.serialize_field("meta", &self.meta)?;
        s.serialize_field("sections", &self.sections)?;
        s.end()
    }
}

impl Serialize for PackedSection {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Section", 2)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("articles", &Unpacking(&self.articles))?;
        s.end()
    }
}

/// A run of packed articles serialised as their documents.
struct Unpacking<'a>(&'a [PackedArticle]);

impl Serialize for Unpacking<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for article in self.0 {
            let doc = article.unpack().map_err(serde::ser::Error::custom)?;
            seq.serialize_element(&doc)?;
        }
        seq.end()
    }
}

/// Reads `bytes` of deflated data whole (for tests).
#[cfg(test)]
fn inflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    DeflateDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use arbitrary::{Arbitrary, Unstructured};

    fn sample_bundles() -> Vec<Bundle> {
        (0..200u32)
            .filter_map(|seed| {
                let noise: Vec<u8> = (0..4096u32)
                    .map(|i| {
                        (i.wrapping_mul(2_654_435_761).wrapping_add(seed * 40_503) >> 13) as u8
                    })
                    .collect();
                Bundle::arbitrary(&mut Unstructured::new(&noise)).ok()
            })
            .collect()
    }

    #[test]
    fn a_packed_bundle_unpacks_to_the_same_bundle() {
        for bundle in sample_bundles() {
            let packed = PackedBundle::pack(bundle.clone());
            assert_eq!(packed.unpack().unwrap(), bundle);
        }
    }

    #[test]
    fn a_packed_bundle_serialises_as_the_bundle_does() {
        for bundle in sample_bundles() {
            let packed = PackedBundle::pack(bundle.clone());
            let mut compact = Vec::new();
            packed.write_json(&mut compact).unwrap();
            assert_eq!(compact, serde_json::to_vec(&bundle).unwrap());
            assert_eq!(
                serde_json::to_string_pretty(&packed).unwrap(),
                serde_json::to_string_pretty(&bundle).unwrap()
            );
        }
    }

    #[test]
    fn a_deeply_nested_article_stays_whole_and_unpacks() {
        let mut blocks = vec![Block::Rule];
        for _ in 0..200 {
            blocks = vec![Block::BlockQuote { blocks }];
        }
        let doc = Document {
            meta: Metadata::default(),
            blocks,
        };
        let packed = PackedArticle::pack(doc.clone());
        assert_eq!(packed.packed_len(), 0);
        assert_eq!(packed.unpack().unwrap(), doc);
    }

    #[test]
    fn an_article_body_is_held_deflated() {
        let text = "一段很长的中文正文，重复多次。".repeat(200);
        let doc = Document {
            meta: Metadata::default(),
            blocks: vec![Block::Paragraph {
                content: vec![Inline::text(text.clone())],
            }],
        };
        let packed = PackedArticle::pack(doc);
        assert!(packed.packed_len() > 0 && packed.packed_len() < text.len() / 4);
        let Body::Deflated(bytes) = &packed.body else {
            panic!("not deflated")
        };
        assert!(String::from_utf8(inflate(bytes))
            .unwrap()
            .contains("一段很长"));
    }
}
