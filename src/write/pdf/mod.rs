//! PDF writer: lays the document out with [`crate::layout`], then writes
//! the file object by object ([`file`]): each batch of pages (a document,
//! or one article of a bundle) becomes content streams through printpdf
//! ([`content`]) and is written and dropped before the next is laid out;
//! fonts are subset with typst's subsetter and written last ([`faces`]),
//! then the outline, the document information and a deterministic `/ID`,
//! so the same input gives the same bytes.

mod content;
mod faces;
mod file;
mod outline;

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::layout::{
    layout, layout_bundle_each, ImageData, Item, Layout, LoadedImage, OutlineEntry, Page, Placement,
};
use crate::model::packed::PackedBundle;
use crate::model::{Document, Metadata};
use crate::options::Options;
use crate::session::Session;
use crate::write::{Output, Writer};
use faces::{utf16, FaceUse};
use file::PdfFile;
use lopdf::{Dictionary, Object};
use outline::write_outline;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;

/// The PDF writer.
pub struct PdfWriter;

impl Writer for PdfWriter {
    fn name(&self) -> &'static str {
        "pdf"
    }
    fn description(&self) -> &'static str {
        "PDF, typeset by conv with an embedded subset CJK font"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["pdf"]
    }
    fn write(
        &self,
        doc: &Document,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        let laid = layout(doc, session, assets, warnings)?;
        let identity = identity_of(doc);
        let mut book = Book::new(out, &laid)?;
        book.add(laid)?;
        book.finish(&doc.meta, &identity, &session.opts)?;
        Ok(())
    }

    fn write_bundle(
        &self,
        bundle: &PackedBundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
        out: &mut dyn Output,
    ) -> Result<()> {
        let mut book: Option<Book<&mut dyn Output>> = None;
        let mut out = Some(out);
        layout_bundle_each(bundle, session, assets, warnings, &mut |laid| {
            if let Some(out) = out.take() {
                book = Some(Book::new(out, &laid)?);
            }
            book.as_mut().map_or(Ok(()), |b| b.add(laid))
        })?;
        let mut hashing = Hashing(Sha256::new());
        bundle.write_json(&mut hashing)?;
        let identity = hashing.0.finalize().to_vec();
        match book {
            Some(book) => {
                book.finish(&bundle.meta, &identity, &session.opts)?;
                Ok(())
            }
            None => Err(Error::write("pdf", "the bundle laid out no page")),
        }
    }

    fn shows_cover(&self) -> bool {
        true
    }

    fn embeds_images(&self) -> bool {
        true
    }
}

/// A digest of the serialised input, which seeds the file's `/ID`; hashed
/// as it is serialised, so a large bundle is never held twice.
fn identity_of(value: &impl serde::Serialize) -> Vec<u8> {
    let mut h = Hashing(Sha256::new());
    let _ = serde_json::to_writer(&mut h, value);
    h.0.finalize().to_vec()
}

/// A writer that only hashes what it is given.
struct Hashing(Sha256);

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn io_error(e: std::io::Error) -> Error {
    Error::write("pdf", e)
}

/// A PDF being written: what is already in the file is remembered only by
/// object number (pages, images), plus the fonts' glyph use and the
/// outline, which are written at the end.
struct Book<W: Write> {
    file: PdfFile<W>,
    width: f32,
    height: f32,
    pages_id: u32,
    page_ids: Vec<u32>,
    faces: Vec<FaceUse>,
    /// Layout image index → image object.
    images: HashMap<usize, u32>,
    outline: Vec<OutlineEntry>,
    /// Pages reserved and not drawn yet (see [`Placement`]).
    unfilled: usize,
}

impl<W: Write> Book<W> {
    /// Starts the file; `first` gives the page size and the fonts.
    fn new(out: W, first: &Layout) -> Result<Self> {
        let mut file = PdfFile::new(out).map_err(io_error)?;
        let pages_id = file.reserve();
        let faces = first
            .fonts
            .fonts
            .iter()
            .map(|f| FaceUse::new(f.clone(), file.reserve()))
            .collect();
        Ok(Book {
            file,
            width: first.size.width,
            height: first.size.height,
            pages_id,
            page_ids: Vec::new(),
            faces,
            images: HashMap::new(),
            outline: Vec::new(),
            unfilled: 0,
        })
    }

    /// Writes the pages of `laid` (and the images they show first), then
    /// lets them go; pages to be held back ([`Placement::Reserve`]) only
    /// get their object numbers, and are written when they come again
    /// ([`Placement::Fill`]).
    fn add(&mut self, laid: Layout) -> Result<()> {
        let first_page = self.page_ids.len();
        let ids = match laid.placement {
            Placement::Fill(at) => {
                let ids = self
                    .page_ids
                    .get(at..at + laid.pages.len())
                    .ok_or_else(|| Error::write("pdf", "pages filled where none were reserved"))?
                    .to_vec();
                self.unfilled = self.unfilled.saturating_sub(ids.len());
                Some(ids)
            }
            Placement::Next | Placement::Reserve => {
                self.outline
                    .extend(laid.outline.iter().cloned().map(|mut e| {
                        e.page += first_page;
                        e
                    }));
                None
            }
        };
        if laid.placement == Placement::Reserve {
            for _ in &laid.pages {
                let id = self.file.reserve();
                self.page_ids.push(id);
            }
            self.unfilled += laid.pages.len();
            return Ok(());
        }
        let streams =
            content::content_streams(&laid.pages, &mut self.faces, self.width, self.height);
        for (i, (page, stream)) in laid.pages.iter().zip(streams).enumerate() {
            let page_obj = self.page_object(page, &stream, &laid)?;
            match &ids {
                Some(ids) => self.file.object(ids[i], &page_obj).map_err(io_error)?,
                None => {
                    let id = self.file.add(&page_obj).map_err(io_error)?;
                    self.page_ids.push(id);
                }
            }
        }
        Ok(())
    }

    /// The page object of `page` drawn by `stream` (the stream, and the
    /// images it shows, written first).
    fn page_object(&mut self, page: &Page, stream: &[u8], laid: &Layout) -> Result<Object> {
        let resources = self.resources(page, &laid.images, laid.image_base)?;
        let contents = self
            .file
            .add_stream(Dictionary::new(), stream, true)
            .map_err(io_error)?;
        Ok(Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference((self.pages_id, 0))),
            (
                "MediaBox",
                Object::Array(vec![
                    0.into(),
                    0.into(),
                    Object::Real(self.width),
                    Object::Real(self.height),
                ]),
            ),
            ("Resources", Object::Dictionary(resources)),
            ("Contents", Object::Reference((contents, 0))),
            (
                "Annots",
                Object::Array(link_annotations(page, &self.page_ids)),
            ),
        ])))
    }

    /// The page's resource dictionary: the fonts its text uses and its
    /// images, each image object written the first time a page shows it.
    fn resources(
        &mut self,
        page: &Page,
        images: &[std::sync::Arc<LoadedImage>],
        base: usize,
    ) -> Result<Dictionary> {
        let mut fonts = Dictionary::new();
        let mut xobjects = Dictionary::new();
        for item in &page.items {
            match item {
                Item::Text(run) => {
                    if let Some(face) = self.faces.get_mut(run.font) {
                        let name = content::font_id(run.font).0.into_bytes();
                        fonts.set(name, Object::Reference((face.reference(), 0)));
                    }
                }
                Item::Image { image, .. } => {
                    let id = match self.images.get(image) {
                        Some(&id) => id,
                        None => {
                            let Some(img) = image.checked_sub(base).and_then(|i| images.get(i))
                            else {
                                continue;
                            };
                            let id = write_image(&mut self.file, img)?;
                            self.images.insert(*image, id);
                            id
                        }
                    };
                    xobjects.set(
                        content::image_id(*image).0.into_bytes(),
                        Object::Reference((id, 0)),
                    );
                }
                _ => {}
            }
        }
        Ok(Dictionary::from_iter(vec![
            ("Font", Object::Dictionary(fonts)),
            ("XObject", Object::Dictionary(xobjects)),
        ]))
    }

    /// Writes the fonts, the page tree, the outline, the document
    /// information and the trailer.
    fn finish(mut self, meta: &Metadata, identity: &[u8], opts: &Options) -> Result<W> {
        if self.unfilled > 0 {
            return Err(Error::write("pdf", "reserved pages were never drawn"));
        }
        for (i, face) in self.faces.iter().enumerate() {
            if face.used() {
                face.write(&mut self.file, &content::font_id(i).0)?;
            }
        }
        let kids = self
            .page_ids
            .iter()
            .map(|&id| Object::Reference((id, 0)))
            .collect();
        let pages = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(self.page_ids.len() as i64)),
        ]);
        self.file
            .object(self.pages_id, &Object::Dictionary(pages))
            .map_err(io_error)?;
        let mut catalog = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference((self.pages_id, 0))),
        ]);
        if let Some(root) = write_outline(&mut self.file, &self.outline, &self.page_ids)? {
            catalog.set("Outlines", Object::Reference((root, 0)));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        let catalog = self
            .file
            .add(&Object::Dictionary(catalog))
            .map_err(io_error)?;
        let info = self
            .file
            .add(&Object::Dictionary(info_dict(meta, opts)))
            .map_err(io_error)?;
        let id = file_id(identity, opts);
        let trailer = Dictionary::from_iter(vec![
            ("Root", Object::Reference((catalog, 0))),
            ("Info", Object::Reference((info, 0))),
            ("ID", Object::Array(vec![id.clone(), id])),
        ]);
        self.file.finish(trailer).map_err(io_error)
    }
}

/// The link annotations of a page: web links (targets were checked by
/// the layout) and links to pages of the book (`pages`: their objects so
/// far; a page not written yet cannot be linked to).
fn link_annotations(page: &Page, pages: &[u32]) -> Vec<Object> {
    page.items
        .iter()
        .filter_map(|item| {
            let (rect, action) = match item {
                Item::Link { x, y, w, h, url } => (
                    [*x, *y, *w, *h],
                    (
                        "A",
                        Object::Dictionary(Dictionary::from_iter(vec![
                            ("S", Object::Name(b"URI".to_vec())),
                            ("URI", Object::string_literal(url.as_bytes().to_vec())),
                        ])),
                    ),
                ),
                Item::GoTo { x, y, w, h, page } => (
                    [*x, *y, *w, *h],
                    (
                        "Dest",
                        Object::Array(vec![
                            Object::Reference((*pages.get(*page)?, 0)),
                            Object::Name(b"Fit".to_vec()),
                        ]),
                    ),
                ),
                _ => return None,
            };
            let [x, y, w, h] = rect;
            Some(Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Annot".to_vec())),
                ("Subtype", Object::Name(b"Link".to_vec())),
                (
                    "Rect",
                    Object::Array(vec![
                        Object::Real(x),
                        Object::Real(y),
                        Object::Real(x + w),
                        Object::Real(y + h),
                    ]),
                ),
                ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
                action,
            ])))
        })
        .collect()
}

/// Writes one image XObject (a JPEG passed through untouched; pixels
/// deflated, with a soft mask for transparency).
fn write_image<W: Write>(file: &mut PdfFile<W>, img: &LoadedImage) -> Result<u32> {
    let base = || {
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Image".to_vec())),
            ("Width", Object::Integer(i64::from(img.width))),
            ("Height", Object::Integer(i64::from(img.height))),
            ("BitsPerComponent", Object::Integer(8)),
        ])
    };
    let mut dict = base();
    let id = match &img.data {
        ImageData::Jpeg { bytes, components } => {
            let space: &[u8] = if *components == 1 {
                b"DeviceGray"
            } else {
                b"DeviceRGB"
            };
            dict.set("ColorSpace", Object::Name(space.to_vec()));
            dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            file.add_stream(dict, bytes, false)
        }
        ImageData::Rgb { pixels, alpha } => {
            dict.set("ColorSpace", Object::Name(b"DeviceRGB".to_vec()));
            if let Some(alpha) = alpha {
                let mut mask = base();
                mask.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
                let mask_id = file.add_stream(mask, alpha, true).map_err(io_error)?;
                dict.set("SMask", Object::Reference((mask_id, 0)));
            }
            file.add_stream(dict, pixels, true)
        }
    };
    id.map_err(io_error)
}

/// The document information dictionary.
fn info_dict(m: &Metadata, opts: &Options) -> Dictionary {
    let mut info = Dictionary::from_iter(vec![
        ("Title", utf16(m.title.as_deref().unwrap_or(""))),
        ("Creator", utf16("conv")),
        ("Producer", utf16("conv (printpdf)")),
    ]);
    if !m.authors.is_empty() {
        info.set("Author", utf16(&m.authors.join(", ")));
    }
    if let Some(d) = &m.description {
        info.set("Subject", utf16(d));
    }
    let keywords: Vec<&str> = m
        .tags
        .iter()
        .chain(&m.categories)
        .map(String::as_str)
        .collect();
    if !keywords.is_empty() {
        info.set("Keywords", utf16(&keywords.join(", ")));
    }
    if let Some(date) = pdf_date(m, opts) {
        info.set("CreationDate", Object::string_literal(date.clone()));
        info.set("ModDate", Object::string_literal(date));
    }
    info
}

/// Same document and options → same `/ID`.
fn file_id(identity: &[u8], opts: &Options) -> Object {
    let mut h = Sha256::new();
    h.update(identity);
    h.update(format!(
        "{}|{}|{:?}|{:?}",
        opts.page, opts.font_size, opts.font, opts.fallback_fonts
    ));
    let digest = h.finalize();
    Object::String(digest[..16].to_vec(), lopdf::StringFormat::Hexadecimal)
}

/// `D:YYYYMMDDHHmmSSZ` from SOURCE_DATE_EPOCH, else the article date.
fn pdf_date(meta: &Metadata, opts: &Options) -> Option<String> {
    if let Some(secs) = opts.source_date_epoch {
        let t = chrono::DateTime::from_timestamp(secs, 0)?;
        return Some(t.format("D:%Y%m%d%H%M%SZ").to_string());
    }
    let iso = meta.date.as_ref()?.iso.as_deref()?;
    let digits: String = iso
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    if digits.len() < 8 {
        return None;
    }
    Some(format!("D:{digits}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_from_epoch_or_article() {
        let mut doc = Document::default();
        let mut opts = Options::default();
        assert_eq!(pdf_date(&doc.meta, &opts), None);
        doc.meta.date = Some(crate::model::DateValue {
            raw: "2022-02-14 07:02:16".into(),
            iso: Some("2022-02-14T07:02:16Z".into()),
        });
        assert_eq!(
            pdf_date(&doc.meta, &opts).as_deref(),
            Some("D:20220214070216Z")
        );
        opts.source_date_epoch = Some(0);
        assert_eq!(
            pdf_date(&doc.meta, &opts).as_deref(),
            Some("D:19700101000000Z")
        );
    }
}
