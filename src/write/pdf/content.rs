//! Page content: laid-out items turned into printpdf operations, and
//! printpdf turning a batch of pages into content streams (text encoded in
//! the subset glyph ids of [`super::faces`]).

use super::faces::FaceUse;
use crate::layout::{Item, Page, TextRun};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, RawImage, RawImageData, RawImageFormat, Rect, Rgb,
    TextItem, TextMatrix, TextRenderingMode, XObject, XObjectId, XObjectTransform,
};
use std::collections::BTreeSet;

/// Font resource names: six capital letters, which printpdf also uses as
/// the subset tag (`CONVAA+ConvKai`).
pub fn font_id(index: usize) -> FontId {
    let a = (b'A' + (index / 26 % 26) as u8) as char;
    let b = (b'A' + (index % 26) as u8) as char;
    FontId(format!("CONV{a}{b}"))
}

pub fn image_id(index: usize) -> XObjectId {
    XObjectId(format!("Im{index}"))
}

/// The content streams (uncompressed) of `pages`, in order. printpdf
/// serialises the operations; the fonts it is given map characters to
/// subset glyph ids and carry no program, and images are 1×1 stand-ins
/// addressed by name: the real font and image objects are written once for
/// the whole file by the caller.
pub fn content_streams(
    pages: &[Page],
    faces: &mut [FaceUse],
    width: f32,
    height: f32,
) -> Vec<Vec<u8>> {
    let mut pdf = PdfDocument::new("");
    let items: Vec<&Item> = pages.iter().flat_map(|p| &p.items).collect();
    for (i, face) in faces.iter_mut().enumerate() {
        if let Some(parsed) = face.printpdf_face(i, &items) {
            pdf.resources
                .fonts
                .map
                .insert(font_id(i), PdfFont::new(parsed));
        }
    }
    let images: BTreeSet<usize> = items
        .iter()
        .filter_map(|item| match item {
            Item::Image { image, .. } => Some(*image),
            _ => None,
        })
        .collect();
    for &i in &images {
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
    let w = printpdf::Mm(width * 25.4 / 72.0);
    let h = printpdf::Mm(height * 25.4 / 72.0);
    pdf.with_pages(
        pages
            .iter()
            .map(|p| PdfPage::new(w, h, page_ops(&p.items)))
            .collect(),
    );
    let save = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let lo = pdf.to_lopdf_document(&save, &mut warnings);
    drop(pdf);
    lo.get_pages()
        .into_values()
        .map(|id| page_content(&lo, id))
        .collect()
}

/// The decoded content of page `id` of a printpdf-made document.
fn page_content(lo: &lopdf::Document, id: lopdf::ObjectId) -> Vec<u8> {
    let stream = lo
        .get_dictionary(id)
        .ok()
        .and_then(|page| page.get(b"Contents").ok())
        .and_then(|c| c.as_reference().ok())
        .and_then(|r| lo.get_object(r).ok())
        .and_then(|o| o.as_stream().ok());
    match stream {
        Some(s) => s
            .decompressed_content()
            .unwrap_or_else(|_| s.content.clone()),
        None => Vec::new(),
    }
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
        // Link areas are annotations, written with the page object.
        Item::Link { .. } | Item::GoTo { .. } => Vec::new(),
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
        if run.inserted {
            ops.push(extraction_reads(inserted_reads(&run.text)));
        }
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
        if run.inserted {
            ops.push(Op::EndMarkedContent);
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

/// What text extraction reads for glyphs conv inserted: for the hyphen of
/// a break inside a word a soft hyphen, which copied text drops; for
/// anything else (the continuation mark of wrapped code) nothing, so the
/// code reads back as one line.
fn inserted_reads(text: &str) -> &'static str {
    if text.chars().all(|c| matches!(c, '-' | '\u{2010}')) {
        "\u{AD}"
    } else {
        ""
    }
}

/// Opens a span whose text, for extraction and copying, is `text`
/// (`/Span <</ActualText …>> BDC`, closed by `EMC`): the glyphs inside are
/// drawn but not read.
fn extraction_reads(text: &str) -> Op {
    let mut utf16 = vec![0xFE, 0xFF];
    utf16.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut map = std::collections::BTreeMap::new();
    map.insert(
        "ActualText".to_string(),
        printpdf::DictItem::String {
            data: utf16,
            literal: false,
        },
    );
    Op::BeginMarkedContentWithProperties {
        tag: "Span".into(),
        properties: printpdf::DictItem::Dict { map },
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
            inserted: false,
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
            inserted: false,
            color: [0.0; 3],
        };
        let items = text_items(&run);
        assert_eq!(items.len(), 5);
        assert!(matches!(items[1], TextItem::Offset(o) if (o + 100.0).abs() < 1e-3));
    }

    /// An inserted hyphen is drawn inside an ActualText span, so text
    /// extraction reads the broken word whole.
    #[test]
    fn inserted_hyphen_is_marked_for_extraction() {
        let run = TextRun {
            x: 0.0,
            y: 0.0,
            font: 0,
            size: 10.0,
            text: "-".into(),
            gaps: Vec::new(),
            bold: false,
            italic: false,
            inserted: true,
            color: [0.0; 3],
        };
        let mut ops = Vec::new();
        TextState::default().run_ops(&run, &mut ops);
        let open = ops.iter().position(
            |op| matches!(op, Op::BeginMarkedContentWithProperties { tag, .. } if tag == "Span"),
        );
        let show = ops.iter().position(|op| matches!(op, Op::ShowText { .. }));
        let close = ops.iter().position(|op| matches!(op, Op::EndMarkedContent));
        assert!(open < show && show < close && open.is_some(), "{ops:?}");
    }
}
