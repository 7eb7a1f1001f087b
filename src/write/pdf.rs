//! PDF writer: lays the document out with [`crate::layout`] and serialises
//! the pages with printpdf (fonts subset here first; printpdf writes the
//! ToUnicode maps), then finishes the file with lopdf: images (JPEG passed through),
//! a nested outline, the document information and a deterministic `/ID`,
//! so the same input gives the same bytes.

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::fonts::Font;
use crate::layout::{layout, layout_bundle, ImageData, Item, Layout, OutlineEntry, TextRun};
use crate::model::{Bundle, Document, Metadata};
use crate::options::Options;
use crate::session::Session;
use crate::write::Writer;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, FontId, Greyscale, Line, LinePoint, LinkAnnotation, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, RawImage,
    RawImageData, RawImageFormat, Rect, Rgb, TextItem, TextMatrix, TextRenderingMode, XObject,
    XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

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
    ) -> Result<Vec<u8>> {
        let laid = layout(doc, session, assets, warnings)?;
        let identity = serde_json::to_vec(doc).unwrap_or_default();
        serialise(laid, &doc.meta, &identity, &session.opts)
    }

    fn write_bundle(
        &self,
        bundle: &Bundle,
        session: &Session,
        assets: &Assets,
        warnings: &mut Warnings,
    ) -> Result<Vec<u8>> {
        let laid = layout_bundle(bundle, session, assets, warnings)?;
        let identity = serde_json::to_vec(bundle).unwrap_or_default();
        serialise(laid, &bundle.meta, &identity, &session.opts)
    }

    fn shows_cover(&self) -> bool {
        true
    }

    fn embeds_images(&self) -> bool {
        true
    }
}

/// Writes laid-out pages as PDF bytes. `identity` (the serialised input)
/// seeds the file's `/ID`, so the same input gives the same bytes.
fn serialise(
    mut laid: Layout,
    meta: &Metadata,
    identity: &[u8],
    opts: &Options,
) -> Result<Vec<u8>> {
    // Each stage consumes the one before it, so a thousand-page bundle is
    // never held three times over (layout, printpdf ops, PDF objects).
    let pdf = to_printpdf(meta, &mut laid);
    let save = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut pdf_warnings);
    drop(pdf);
    put_images(&mut lo, &laid)?;
    put_outline(&mut lo, &laid.outline);
    put_info(&mut lo, meta, identity, opts);
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| Error::write("pdf", e))?;
    Ok(out)
}

/// Font resource names: six capital letters, which printpdf also uses as
/// the subset tag (`CONVAA+ConvKai`).
fn font_id(index: usize) -> FontId {
    let a = (b'A' + (index / 26 % 26) as u8) as char;
    let b = (b'A' + (index % 26) as u8) as char;
    FontId(format!("CONV{a}{b}"))
}

fn image_id(index: usize) -> XObjectId {
    XObjectId(format!("Im{index}"))
}

/// The characters of `chars` that `font` draws, as a printpdf face made
/// from a subset of `font` holding just their glyphs. printpdf (without its
/// `text_layout` feature) embeds what it is given whole, so the subset is
/// made here and the character map points into it; widths and ToUnicode
/// are then written for the subset's glyph ids.
fn subset_face(font: &Font, index: usize, chars: impl Iterator<Item = char>) -> Option<ParsedFont> {
    let used: BTreeMap<char, u16> = chars
        .filter_map(|c| font.glyph(c).map(|g| (c, g)))
        .collect();
    let subset = font.pdf_subset(used.values().copied()).ok()?;
    let mut codepoint_to_glyph = BTreeMap::new();
    let mut glyph_widths = BTreeMap::new();
    for (&c, &gid) in &used {
        let new = subset.new_id(gid)?;
        codepoint_to_glyph.insert(c as u32, new);
        glyph_widths.insert(new, font.glyph_advance(gid));
    }
    let m = font.metrics;
    // Slope of the caret from the italic angle, as hhea states it.
    let (rise, run) = if m.italic_angle == 0.0 {
        (1, 0)
    } else {
        (1000, (-(m.italic_angle.to_radians().tan()) * 1000.0) as i16)
    };
    Some(ParsedFont {
        original_bytes: subset.bytes,
        font_index: 0,
        // The subset tag (ISO 32000-1, 9.6.4) is the resource name.
        font_name: Some(format!("{}+{}", font_id(index).0, font.postscript_name())),
        codepoint_to_glyph,
        glyph_widths,
        units_per_em: m.units_per_em,
        font_metrics: printpdf::FontMetrics {
            ascent: m.ascender,
            descent: m.descender,
        },
        font_type: printpdf::FontType::TrueType,
        pdf_font_metrics: printpdf::PdfFontMetricsStub {
            units_per_em: m.units_per_em,
            x_min: m.bbox[0],
            y_min: m.bbox[1],
            x_max: m.bbox[2],
            y_max: m.bbox[3],
            caret_slope_rise: rise,
            caret_slope_run: run,
            us_weight_class: m.weight,
        },
    })
}

fn to_printpdf(meta: &Metadata, laid: &mut Layout) -> PdfDocument {
    let mut pdf = PdfDocument::new(meta.title.as_deref().unwrap_or(""));
    let mut used = std::collections::BTreeSet::new();
    for page in &laid.pages {
        for item in &page.items {
            if let Item::Text(r) = item {
                used.insert(r.font);
            }
        }
    }
    for &i in &used {
        if let Some(font) = laid.fonts.fonts.get(i) {
            let chars = laid
                .pages
                .iter()
                .flat_map(|p| &p.items)
                .filter_map(|item| match item {
                    Item::Text(r) if r.font == i => Some(r.text.chars()),
                    _ => None,
                })
                .flatten();
            if let Some(face) = subset_face(font, i, chars) {
                pdf.resources
                    .fonts
                    .map
                    .insert(font_id(i), PdfFont::new(face));
            }
        }
    }
    // A 1×1 stand-in per image; put_images swaps in the real stream, so a
    // JPEG is never decoded and re-encoded.
    for i in 0..laid.images.len() {
        let stub = RawImage {
            pixels: RawImageData::U8(vec![255, 255, 255]),
            width: 1,
            height: 1,
            data_format: RawImageFormat::RGB8,
            tag: Vec::new(),
        };
        pdf.resources
            .xobjects
            .map
            .insert(image_id(i), XObject::Image(stub));
    }
    let w = printpdf::Mm(laid.size.width * 25.4 / 72.0);
    let h = printpdf::Mm(laid.size.height * 25.4 / 72.0);
    let pages = std::mem::take(&mut laid.pages)
        .into_iter()
        .map(|p| PdfPage::new(w, h, page_ops(&p.items)))
        .collect();
    pdf.with_pages(pages);
    pdf
}

fn grey(g: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: g,
        icc_profile: None,
    })
}

fn item_ops(item: &Item) -> Vec<Op> {
    match item {
        Item::Text(_) => page_ops(std::slice::from_ref(item)),
        Item::Rect { x, y, w, h, gray } => vec![
            Op::SaveGraphicsState,
            Op::SetFillColor { col: grey(*gray) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(*x),
                    y: Pt(*y),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
            Op::RestoreGraphicsState,
        ],
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            gray,
        } => vec![
            Op::SaveGraphicsState,
            Op::SetOutlineColor { col: grey(*gray) },
            Op::SetOutlineThickness { pt: Pt(*width) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(*x1),
                                y: Pt(*y1),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(*x2),
                                y: Pt(*y2),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
            Op::RestoreGraphicsState,
        ],
        Item::Image { x, y, w, h, image } => vec![Op::UseXobject {
            id: image_id(*image),
            transform: XObjectTransform {
                translate_x: Some(Pt(*x)),
                translate_y: Some(Pt(*y)),
                scale_x: Some(*w),
                scale_y: Some(*h),
                dpi: Some(72.0),
                ..Default::default()
            },
        }],
        Item::Link { x, y, w, h, url } => vec![Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect {
                    x: Pt(*x),
                    y: Pt(*y),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: None,
                    winding_order: None,
                },
                Actions::Uri(url.to_string()),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        }],
    }
}

/// The operations of one page. Consecutive text runs share one text
/// section and state (font, colour, fake bold) is set only when it changes:
/// a page of text is then a few operations per line, not ten per run.
fn page_ops(items: &[Item]) -> Vec<Op> {
    let mut ops = Vec::new();
    let mut text: Option<TextState> = None;
    for item in items {
        match item {
            Item::Text(run) => {
                let state = text.get_or_insert_with(|| {
                    ops.push(Op::StartTextSection);
                    TextState::default()
                });
                state.run_ops(run, &mut ops);
            }
            other => {
                if let Some(state) = text.take() {
                    state.end(&mut ops);
                }
                ops.extend(item_ops(other));
            }
        }
    }
    if let Some(state) = text.take() {
        state.end(&mut ops);
    }
    ops
}

/// What the current text section has already set.
#[derive(Default)]
struct TextState {
    font: Option<(usize, u32)>,
    color: Option<[u32; 3]>,
    bold: bool,
}

impl TextState {
    fn run_ops(&mut self, run: &TextRun, ops: &mut Vec<Op>) {
        let font = (run.font, run.size.to_bits());
        if self.font != Some(font) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font_id(run.font)),
                size: Pt(run.size),
            });
            self.font = Some(font);
        }
        let [r, g, b] = run.color;
        let color = run.color.map(f32::to_bits);
        let rgb = || {
            Color::Rgb(Rgb {
                r,
                g,
                b,
                icc_profile: None,
            })
        };
        if self.color != Some(color) {
            ops.push(Op::SetFillColor { col: rgb() });
            // The stroke of fake bold follows the fill colour.
            ops.push(Op::SetOutlineColor { col: rgb() });
            self.color = Some(color);
        }
        if run.bold != self.bold {
            if run.bold {
                ops.push(Op::SetOutlineThickness {
                    pt: Pt(run.size * 0.03),
                });
            }
            ops.push(Op::SetTextRenderingMode {
                mode: if run.bold {
                    TextRenderingMode::FillStroke
                } else {
                    TextRenderingMode::Fill
                },
            });
            self.bold = run.bold;
        }
        let skew = if run.italic { 0.2 } else { 0.0 };
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Raw([1.0, 0.0, skew, 1.0, run.x, run.y]),
        });
        match uniform_gap(run) {
            // A fully justified CJK line stretches every gap alike: one `Tc`
            // instead of a text piece and an offset per character keeps the
            // content stream (and the memory of a large bundle) small.
            Some(gap) => {
                ops.push(Op::SetCharacterSpacing { multiplier: gap });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(run.text.clone())],
                });
                ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
            }
            None => ops.push(Op::ShowText {
                items: text_items(run),
            }),
        }
    }

    /// Closes the section, leaving the rendering mode as found.
    fn end(self, ops: &mut Vec<Op>) {
        if self.bold {
            ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        ops.push(Op::EndTextSection);
    }
}

/// The stretch of `run` when it is the same before every character but the
/// first (PDF character spacing applies after each glyph).
fn uniform_gap(run: &TextRun) -> Option<f32> {
    let &(_, first) = run.gaps.first()?;
    let mut boundaries = run.text.char_indices().skip(1).map(|(i, _)| i);
    let same = run
        .gaps
        .iter()
        .all(|&(pos, gap)| boundaries.next() == Some(pos) && (gap - first).abs() < 0.0005);
    (same && boundaries.next().is_none()).then_some(first)
}

fn text_items(run: &TextRun) -> Vec<TextItem> {
    let mut items = Vec::new();
    let mut last = 0;
    for &(pos, gap) in &run.gaps {
        if pos > last && pos <= run.text.len() {
            items.push(TextItem::Text(run.text[last..pos].to_string()));
            last = pos;
        }
        items.push(TextItem::Offset(-gap / run.size * 1000.0));
    }
    if last < run.text.len() {
        items.push(TextItem::Text(run.text[last..].to_string()));
    }
    items
}

/// Replaces each stand-in image with the real one.
fn put_images(lo: &mut lopdf::Document, laid: &Layout) -> Result<()> {
    if laid.images.is_empty() {
        return Ok(());
    }
    let ids = xobject_ids(lo);
    for (i, img) in laid.images.iter().enumerate() {
        let Some(&id) = ids.get(&image_id(i).0) else {
            continue;
        };
        let stream = image_stream(lo, img)?;
        lo.objects.insert(id, Object::Stream(stream));
    }
    Ok(())
}

/// Name → object id of the XObjects in the pages' resources.
fn xobject_ids(lo: &lopdf::Document) -> std::collections::BTreeMap<String, ObjectId> {
    let mut out = std::collections::BTreeMap::new();
    for (_, page_id) in lo.get_pages() {
        let Ok(page) = lo.get_dictionary(page_id) else {
            continue;
        };
        let res = page.get(b"Resources").ok().and_then(|r| deref_dict(lo, r));
        let xo = res
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| deref_dict(lo, x));
        if let Some(xo) = xo {
            for (k, v) in xo.iter() {
                if let Ok(id) = v.as_reference() {
                    out.insert(String::from_utf8_lossy(k).into_owned(), id);
                }
            }
        }
    }
    out
}

fn deref_dict<'a>(lo: &'a lopdf::Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match obj {
        Object::Reference(id) => lo.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn image_stream(lo: &mut lopdf::Document, img: &crate::layout::LoadedImage) -> Result<Stream> {
    let mut dict = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(img.width))),
        ("Height", Object::Integer(i64::from(img.height))),
        ("BitsPerComponent", Object::Integer(8)),
    ]);
    match &img.data {
        ImageData::Jpeg { bytes, components } => {
            let space = if *components == 1 {
                "DeviceGray"
            } else {
                "DeviceRGB"
            };
            dict.set("ColorSpace", Object::Name(space.as_bytes().to_vec()));
            dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
            // Already compressed: keep lopdf from deflating it again.
            Ok(Stream::new(dict, bytes.clone()).with_compression(false))
        }
        ImageData::Rgb { pixels, alpha } => {
            dict.set("ColorSpace", Object::Name(b"DeviceRGB".to_vec()));
            if let Some(alpha) = alpha {
                let mask = Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"XObject".to_vec())),
                    ("Subtype", Object::Name(b"Image".to_vec())),
                    ("Width", Object::Integer(i64::from(img.width))),
                    ("Height", Object::Integer(i64::from(img.height))),
                    ("BitsPerComponent", Object::Integer(8)),
                    ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
                ]);
                let mask_id = lo.add_object(Stream::new(mask, alpha.clone()));
                dict.set("SMask", Object::Reference(mask_id));
            }
            Ok(Stream::new(dict, pixels.clone()))
        }
    }
}

/// Writes the headings as a nested outline (level n under the nearest
/// shallower heading before it).
fn put_outline(lo: &mut lopdf::Document, entries: &[OutlineEntry]) {
    if entries.is_empty() {
        return;
    }
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let root = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    // parent[i]: index of the entry i hangs under, None for top level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&s| entries[s].level >= e.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    for (i, e) in entries.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let kids = children(Some(i));
        let Some(page) = pages.get(e.page).or(pages.first()).copied() else {
            return;
        };
        let mut d = Dictionary::from_iter(vec![
            ("Title", utf16(&e.title)),
            (
                "Parent",
                Object::Reference(parent[i].map_or(root, |p| ids[p])),
            ),
            (
                "Dest",
                Object::Array(vec![
                    Object::Reference(page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(e.y),
                    Object::Null,
                ]),
            ),
        ]);
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(&next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[next]));
        }
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[first]));
            d.set("Last", Object::Reference(ids[last]));
            // Negative: closed by default below the first level.
            let n = kids.len() as i64;
            d.set("Count", Object::Integer(if e.level >= 2 { -n } else { n }));
        }
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    let top = children(None);
    let mut r = Dictionary::from_iter(vec![("Type", Object::Name(b"Outlines".to_vec()))]);
    if let (Some(&first), Some(&last)) = (top.first(), top.last()) {
        r.set("First", Object::Reference(ids[first]));
        r.set("Last", Object::Reference(ids[last]));
        r.set("Count", Object::Integer(top.len() as i64));
    }
    lo.objects.insert(root, Object::Dictionary(r));
    if let Ok(cat) = lo.catalog_mut() {
        cat.set("Outlines", Object::Reference(root));
        cat.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

fn utf16(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Document information and a deterministic file identifier.
fn put_info(lo: &mut lopdf::Document, m: &Metadata, identity: &[u8], opts: &Options) {
    let mut info = Dictionary::from_iter(vec![
        ("Title", utf16(m.title.as_deref().unwrap_or(""))),
        ("Creator", utf16("conv")),
        ("Producer", utf16("conv (printpdf, lopdf)")),
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
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(info_id));
    // Same document and options → same /ID (printpdf's is random).
    let mut h = Sha256::new();
    h.update(identity);
    h.update(format!(
        "{}|{}|{:?}|{:?}",
        opts.page, opts.font_size, opts.font, opts.fallback_fonts
    ));
    let digest = h.finalize();
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
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
    fn font_ids_are_six_capitals() {
        assert_eq!(font_id(0).0, "CONVAA");
        assert_eq!(font_id(27).0, "CONVBB");
    }

    #[test]
    fn even_gaps_become_character_spacing() {
        let mut run = TextRun {
            x: 0.0,
            y: 0.0,
            font: 0,
            size: 10.0,
            text: "中文字".into(),
            gaps: vec![(3, 0.5), (6, 0.5)],
            bold: false,
            italic: false,
            color: [0.0; 3],
        };
        assert_eq!(uniform_gap(&run), Some(0.5));
        run.gaps = vec![(3, 0.5), (6, 0.7)];
        assert_eq!(uniform_gap(&run), None);
        run.gaps = vec![(3, 0.5)];
        assert_eq!(uniform_gap(&run), None);
    }

    #[test]
    fn gaps_become_offsets() {
        let run = TextRun {
            x: 0.0,
            y: 0.0,
            font: 0,
            size: 10.0,
            text: "中文字".into(),
            gaps: vec![(3, 1.0), (6, 2.0)],
            bold: false,
            italic: false,
            color: [0.0; 3],
        };
        let items = text_items(&run);
        assert_eq!(items.len(), 5);
        assert!(matches!(items[1], TextItem::Offset(o) if (o + 100.0).abs() < 1e-3));
    }

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
