//! The fonts of one PDF: glyph ids handed out as characters are first
//! drawn, and at the end one subset font object per face.
//!
//! Each face keeps a [`subsetter::GlyphRemapper`] for the whole file: a
//! glyph gets its id in the subset the first time any page draws it, so
//! content streams can be written (and dropped) page by page while the font
//! program, which needs every glyph, is written last under the same ids.

use crate::fonts::Font;
use crate::layout::Item;
use lopdf::{Dictionary, Object, StringFormat};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

use super::file::PdfFile;

/// One face's use in the file so far.
pub struct FaceUse {
    pub font: Arc<Font>,
    /// The Type0 font object, reserved when the file starts.
    pub id: u32,
    remapper: subsetter::GlyphRemapper,
    /// Subset glyph id → the text it stands for (ToUnicode).
    text: BTreeMap<u16, String>,
    /// A page names this face in its resources (perhaps only for a
    /// character it lacks, drawn as `.notdef`): its object must be written.
    referenced: bool,
}

impl FaceUse {
    pub fn new(font: Arc<Font>, id: u32) -> Self {
        FaceUse {
            font,
            id,
            remapper: subsetter::GlyphRemapper::new(),
            text: BTreeMap::new(),
            referenced: false,
        }
    }

    /// True once some page drew with this face or names it.
    pub fn used(&self) -> bool {
        self.referenced || !self.text.is_empty()
    }

    /// Notes that a page's resources name this face.
    pub fn reference(&mut self) -> u32 {
        self.referenced = true;
        self.id
    }

    /// The subset glyph id of `c`, handing one out on first use.
    pub fn glyph(&mut self, c: char) -> Option<u16> {
        let gid = self.font.glyph(c)?;
        let new = self.remapper.remap(gid);
        self.text.entry(new).or_insert_with(|| c.to_string());
        Some(new)
    }

    /// A printpdf face for one batch of pages: the characters of `items`
    /// drawn with face `index`, mapped to their subset ids, with the widths
    /// printpdf positions them by. Its font program is empty: printpdf only
    /// writes the content streams, the real font object is written here.
    pub fn printpdf_face(&mut self, index: usize, items: &[&Item]) -> Option<printpdf::ParsedFont> {
        let mut codepoint_to_glyph = BTreeMap::new();
        let mut glyph_widths = BTreeMap::new();
        for item in items {
            let Item::Text(run) = item else { continue };
            if run.font != index {
                continue;
            }
            for c in run.text.chars() {
                if let Some(new) = self.glyph(c) {
                    codepoint_to_glyph.insert(c as u32, new);
                    glyph_widths.insert(new, self.advance_of(new));
                }
            }
        }
        if codepoint_to_glyph.is_empty() {
            return None;
        }
        let m = self.font.metrics;
        Some(printpdf::ParsedFont {
            original_bytes: Vec::new(),
            font_index: 0,
            font_name: None,
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
                ..Default::default()
            },
        })
    }

    /// Advance of subset glyph `new` in font units.
    fn advance_of(&self, new: u16) -> u16 {
        let text = self.text.get(&new).and_then(|t| t.chars().next());
        text.and_then(|c| self.font.glyph(c))
            .map_or(0, |gid| self.font.glyph_advance(gid))
    }

    /// Width of subset glyph `new` in 1/1000 em, rounded as printpdf does
    /// when it positions glyphs, so the two always agree.
    fn width_1000(&self, new: u16) -> i64 {
        let upem = f32::from(self.font.metrics.units_per_em);
        (f32::from(self.advance_of(new)) * 1000.0 / upem) as i64
    }

    /// Writes the subset font program and the font objects (Type0 font,
    /// CID font, descriptor, widths, ToUnicode) under the reserved id.
    /// `tag` is the six-letter subset tag.
    pub fn write<W: Write>(&self, file: &mut PdfFile<W>, tag: &str) -> crate::Result<()> {
        let program = self.font.pdf_subset(&self.remapper)?;
        let io = |e| crate::Error::write("pdf", e);
        let name = format!("{tag}+{}", self.font.postscript_name());
        let cff = program.starts_with(b"OTTO");
        let mut ff = Dictionary::new();
        if cff {
            ff.set("Subtype", Object::Name(b"OpenType".to_vec()));
        } else {
            ff.set("Length1", Object::Integer(program.len() as i64));
        }
        let program_id = file.add_stream(ff, &program, true).map_err(io)?;
        let descriptor = file
            .add(&Object::Dictionary(self.descriptor(&name, cff, program_id)))
            .map_err(io)?;
        let unicode = file
            .add_stream(
                Dictionary::new(),
                to_unicode_cmap(&self.text).as_bytes(),
                true,
            )
            .map_err(io)?;
        let name_obj = || Object::Name(name.clone().into_bytes());
        let mut cid = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            (
                "Subtype",
                Object::Name(if cff {
                    b"CIDFontType0".to_vec()
                } else {
                    b"CIDFontType2".to_vec()
                }),
            ),
            ("BaseFont", name_obj()),
            (
                "CIDSystemInfo",
                Object::Dictionary(Dictionary::from_iter(vec![
                    ("Registry", Object::string_literal("Adobe")),
                    ("Ordering", Object::string_literal("Identity")),
                    ("Supplement", Object::Integer(0)),
                ])),
            ),
            ("FontDescriptor", Object::Reference((descriptor, 0))),
            ("DW", Object::Integer(0)),
            ("W", self.widths()),
        ]);
        if !cff {
            cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
        }
        let cid_id = file.add(&Object::Dictionary(cid)).map_err(io)?;
        let type0 = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Font".to_vec())),
            ("Subtype", Object::Name(b"Type0".to_vec())),
            ("BaseFont", name_obj()),
            ("Encoding", Object::Name(b"Identity-H".to_vec())),
            (
                "DescendantFonts",
                Object::Array(vec![Object::Reference((cid_id, 0))]),
            ),
            ("ToUnicode", Object::Reference((unicode, 0))),
        ]);
        file.object(self.id, &Object::Dictionary(type0)).map_err(io)
    }

    fn descriptor(&self, name: &str, cff: bool, program: u32) -> Dictionary {
        let m = self.font.metrics;
        let scale = 1000.0 / f32::from(m.units_per_em);
        let s = |v: i16| Object::Integer((f32::from(v) * scale).round() as i64);
        // Symbolic (4): glyphs are addressed by id, not by a standard
        // encoding; italic (64) when the face slants.
        let flags = 4 | if m.italic_angle != 0.0 { 64 } else { 0 };
        let stem = 10 + i64::from(m.weight.clamp(100, 900)) / 6;
        Dictionary::from_iter(vec![
            ("Type", Object::Name(b"FontDescriptor".to_vec())),
            ("FontName", Object::Name(name.as_bytes().to_vec())),
            ("Flags", Object::Integer(flags)),
            (
                "FontBBox",
                Object::Array(m.bbox.iter().map(|&v| s(v)).collect()),
            ),
            ("ItalicAngle", Object::Real(m.italic_angle)),
            ("Ascent", s(m.ascender)),
            ("Descent", s(m.descender)),
            ("CapHeight", s(m.ascender)),
            ("StemV", Object::Integer(stem)),
            (
                if cff { "FontFile3" } else { "FontFile2" },
                Object::Reference((program, 0)),
            ),
        ])
    }

    /// The `/W` array: runs of consecutive ids with their widths.
    fn widths(&self) -> Object {
        let mut out = Vec::new();
        let mut run: Vec<Object> = Vec::new();
        let mut start = 0u16;
        let mut last: Option<u16> = None;
        for &id in self.text.keys() {
            if last.is_some_and(|l| l + 1 != id) {
                out.push(Object::Integer(i64::from(start)));
                out.push(Object::Array(std::mem::take(&mut run)));
            }
            if run.is_empty() {
                start = id;
            }
            run.push(Object::Integer(self.width_1000(id)));
            last = Some(id);
        }
        if !run.is_empty() {
            out.push(Object::Integer(i64::from(start)));
            out.push(Object::Array(run));
        }
        Object::Array(out)
    }
}

/// A ToUnicode CMap mapping each two-byte code to its text.
fn to_unicode_cmap(text: &BTreeMap<u16, String>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(&u16, &String)> = text.iter().collect();
    // At most 100 entries per block, as the CMap format asks.
    for block in entries.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, s) in block {
            let hex: String = s.encode_utf16().map(|u| format!("{u:04X}")).collect();
            cmap.push_str(&format!("<{code:04X}> <{hex}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The PDF string of `s` as UTF-16BE with a byte-order mark (outline
/// titles, document information).
pub fn utf16(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_get_subset_ids_in_order_of_first_use() {
        let body = crate::fonts::bundled_body().unwrap();
        let mut face = FaceUse::new(body, 1);
        let a = face.glyph('中').unwrap();
        let b = face.glyph('文').unwrap();
        assert_eq!((a, b), (1, 2));
        assert_eq!(face.glyph('中'), Some(1));
        assert!(face.width_1000(1) > 900);
    }

    #[test]
    fn to_unicode_blocks_hold_at_most_a_hundred_entries() {
        let text: BTreeMap<u16, String> = (1..=150).map(|i| (i, "a".to_string())).collect();
        let cmap = to_unicode_cmap(&text);
        assert!(cmap.contains("100 beginbfchar") && cmap.contains("50 beginbfchar"));
        assert!(cmap.contains("<0001> <0061>"));
    }
}
