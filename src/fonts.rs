//! Fonts for the PDF writer (and EPUB `--embed-font`): the bundled faces,
//! user fonts from `--font`/`--mono-font`/`--fallback-font`, per-character
//! fallback and subsetting.
//!
//! A [`FontSet`] is built once per run by the session
//! ([`crate::session::Session::fonts`]) and shared as [`Arc<Font>`]s across
//! documents and threads; nothing here is cached per process.

use crate::error::{Error, Result};
use crate::options::Options;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The bundled CJK body font: a renamed subset of LXGW WenKai Regular (OFL),
/// see `fonts/subset.sh` for the character set.
pub static BODY_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvKai-Regular.ttf");
/// Bundled fallback for Korean: Hangul from NanumMyeongjo (OFL), renamed.
pub static HANGUL_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvHangul-Regular.ttf");
/// Bundled fallback for emoji and symbols, from Symbola (free for any use).
pub static SYMBOLS_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvSymbols-Regular.ttf");
/// The bundled monospace font for code: DejaVu Sans Mono.
pub static MONO_FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");
/// The bundled Latin text faces (regular, italic, bold, bold italic): Latin
/// subsets of Charis SIL (OFL), renamed; see `fonts/subset-latin.sh`.
pub static LATIN_FONT_BYTES: [&[u8]; 4] = [
    include_bytes!("../fonts/ConvSerif-Regular.ttf"),
    include_bytes!("../fonts/ConvSerif-Italic.ttf"),
    include_bytes!("../fonts/ConvSerif-Bold.ttf"),
    include_bytes!("../fonts/ConvSerif-BoldItalic.ttf"),
];

/// One parsed font face: the tables conv reads (cmap, advances, vertical
/// metrics) taken out once, and the font file kept for subsetting.
#[derive(Debug)]
pub struct Font {
    /// A short name for messages (file name or "bundled …").
    pub name: String,
    data: Cow<'static, [u8]>,
    index: u32,
    cmap: HashMap<u32, u16>,
    advances: Vec<u16>,
    /// Facts about the face that the PDF font descriptor states.
    pub metrics: FaceMetrics,
}

/// The numbers a PDF font descriptor needs, in font units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceMetrics {
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    /// The glyph bounding box: x min, y min, x max, y max.
    pub bbox: [i16; 4],
    pub italic_angle: f32,
    pub weight: u16,
}

impl Font {
    /// Parses face `index` of a TTF/OTF/TTC file held in `bytes`.
    pub fn from_bytes(bytes: &[u8], index: u32, name: &str) -> Result<Font> {
        Font::from_data(Cow::Owned(bytes.to_vec()), index, name)
    }

    /// Parses a face of a font compiled into the binary, without copying it.
    pub fn from_static(bytes: &'static [u8], index: u32, name: &str) -> Result<Font> {
        Font::from_data(Cow::Borrowed(bytes), index, name)
    }

    fn from_data(data: Cow<'static, [u8]>, index: u32, name: &str) -> Result<Font> {
        let bad = |why: String| Error::Font {
            path: name.to_string(),
            message: why,
        };
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| {
            bad(format!(
                "not a TrueType/OpenType font (or no face {index}): {e}"
            ))
        })?;
        let mut cmap = HashMap::new();
        if let Some(table) = face.tables().cmap {
            for sub in table.subtables.into_iter().filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    if let Some(gid) = sub.glyph_index(cp).filter(|g| g.0 != 0) {
                        cmap.entry(cp).or_insert(gid.0);
                    }
                });
            }
        }
        if cmap.is_empty() {
            return Err(bad("the font has no Unicode character map".into()));
        }
        let advances = (0..face.number_of_glyphs())
            .map(|g| face.glyph_hor_advance(ttf_parser::GlyphId(g)).unwrap_or(0))
            .collect();
        let b = face.global_bounding_box();
        let metrics = FaceMetrics {
            units_per_em: face.units_per_em().max(1),
            ascender: face.ascender(),
            descender: face.descender(),
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max],
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
        };
        drop(face);
        Ok(Font {
            name: name.to_string(),
            data,
            index,
            cmap,
            advances,
            metrics,
        })
    }

    /// The glyph id of `c`, if the face has one (glyph 0 counts as missing).
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.cmap.get(&(c as u32)).copied()
    }

    /// True when the face draws `c`.
    pub fn covers(&self, c: char) -> bool {
        self.cmap.contains_key(&(c as u32))
    }

    /// Advance width of glyph `gid` in font units.
    pub fn glyph_advance(&self, gid: u16) -> u16 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0)
    }

    /// Advance width of `c` in em (0 when the face lacks it).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |gid| {
            f32::from(self.glyph_advance(gid)) / f32::from(self.metrics.units_per_em)
        })
    }

    /// Ascender above the baseline, in em.
    pub fn ascent(&self) -> f32 {
        f32::from(self.metrics.ascender) / f32::from(self.metrics.units_per_em)
    }

    /// Descender below the baseline, in em (positive).
    pub fn descent(&self) -> f32 {
        f32::from(self.metrics.descender).abs() / f32::from(self.metrics.units_per_em)
    }

    /// The face's PostScript name, else its family name, else `name`.
    pub fn postscript_name(&self) -> String {
        let face = ttf_parser::Face::parse(&self.data, self.index).ok();
        let names = face.as_ref().map(|f| f.names());
        let find = |id: u16| {
            names.and_then(|n| {
                n.into_iter()
                    .filter(|r| r.name_id == id && r.is_unicode())
                    .find_map(|r| r.to_string())
            })
        };
        let raw = find(ttf_parser::name_id::POST_SCRIPT_NAME)
            .or_else(|| find(ttf_parser::name_id::FAMILY))
            .unwrap_or_else(|| "Font".to_string());
        // A PDF name: printable ASCII without delimiters or spaces.
        raw.chars()
            .filter(|c| c.is_ascii_graphic() && !"()<>[]{}/%#".contains(*c))
            .collect()
    }

    /// A subset for embedding in a PDF (typst's subsetter: glyph outlines
    /// and metrics only, no cmap, as a CID font needs), holding the glyphs
    /// `remapper` has handed new ids to, under those ids.
    pub fn pdf_subset(&self, remapper: &subsetter::GlyphRemapper) -> Result<Vec<u8>> {
        subsetter::subset(&self.data, self.index, remapper).map_err(|e| Error::Font {
            path: self.name.clone(),
            message: format!("subsetting failed: {e}"),
        })
    }

    /// A web font holding the glyphs of `chars` (plus .notdef), with a
    /// Unicode cmap, hhea and OS/2 as e-reader and desktop font engines
    /// expect; for EPUB `--embed-font`.
    pub fn subset(&self, chars: impl IntoIterator<Item = char>) -> Result<Vec<u8>> {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::subset::{subset, CmapTarget, SubsetProfile};
        let fail = |message: String| Error::Font {
            path: self.name.clone(),
            message: format!("subsetting failed: {message}"),
        };
        let mut glyphs: Vec<u16> = chars.into_iter().filter_map(|c| self.glyph(c)).collect();
        glyphs.push(0);
        glyphs.sort_unstable();
        glyphs.dedup();
        let file = ReadScope::new(&self.data)
            .read::<FontData<'_>>()
            .map_err(|e| fail(e.to_string()))?;
        let provider = file
            .table_provider(self.index as usize)
            .map_err(|e| fail(e.to_string()))?;
        subset(
            &provider,
            &glyphs,
            &SubsetProfile::Minimal,
            CmapTarget::Unicode,
        )
        .map_err(|e| fail(e.to_string()))
    }
}

/// The bundled CJK body font, parsed.
pub fn bundled_body() -> Result<Arc<Font>> {
    bundled(BODY_FONT_BYTES, "bundled ConvKai")
}

/// The bundled monospace font, parsed.
pub fn bundled_mono() -> Result<Arc<Font>> {
    bundled(MONO_FONT_BYTES, "bundled DejaVu Sans Mono")
}

/// The bundled fallback faces (Hangul, then emoji and symbols), last in
/// every chain.
pub fn bundled_fallbacks() -> Result<[Arc<Font>; 2]> {
    Ok([
        bundled(HANGUL_FONT_BYTES, "bundled ConvHangul")?,
        bundled(SYMBOLS_FONT_BYTES, "bundled ConvSymbols")?,
    ])
}

/// The bundled Latin faces in [`LATIN_FONT_BYTES`] order, parsed.
pub fn bundled_latin() -> Result<[Arc<Font>; 4]> {
    Ok([
        bundled(LATIN_FONT_BYTES[0], "bundled ConvSerif")?,
        bundled(LATIN_FONT_BYTES[1], "bundled ConvSerif Italic")?,
        bundled(LATIN_FONT_BYTES[2], "bundled ConvSerif Bold")?,
        bundled(LATIN_FONT_BYTES[3], "bundled ConvSerif Bold Italic")?,
    ])
}

fn bundled(bytes: &'static [u8], name: &str) -> Result<Arc<Font>> {
    Font::from_static(bytes, 0, name).map(Arc::new)
}

/// Face `index` of the font file at `path`.
pub fn load_file(path: &Path, index: u32) -> Result<Arc<Font>> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::io(format!("reading font {}", path.display()), e))?;
    Ok(Arc::new(Font::from_bytes(
        &bytes,
        index,
        &path.display().to_string(),
    )?))
}

/// Which chain a piece of text draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Running text: body → fallbacks → mono.
    Body,
    /// Code: mono → body → fallbacks.
    Mono,
}

/// The fonts of one conversion and the fallback chains over them.
/// Index 0 is the body font, 1 the mono font, then the fallbacks, then
/// (without `--font`) the four bundled Latin faces.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// All faces; see [`FontSet`] for the order.
    pub fonts: Vec<Arc<Font>>,
    /// Index of the first Latin face (regular, italic, bold, bold italic
    /// follow in that order), when the bundled CJK body is used.
    latin: Option<usize>,
}

/// How a character is to be drawn, for [`FontSet::pick_text`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Want {
    /// Strong.
    pub bold: bool,
    /// Emphasis.
    pub italic: bool,
    /// The character sits next to CJK text: quotes, dashes and ellipses
    /// take the CJK face's full-width forms.
    pub cjk_context: bool,
}

impl FontSet {
    /// Index of the body font in [`FontSet::fonts`].
    pub const BODY: usize = 0;
    /// Index of the mono font in [`FontSet::fonts`].
    pub const MONO: usize = 1;

    /// The bundled fonts, replaced or extended by `--font`, `--mono-font`
    /// and `--fallback-font`.
    pub fn from_options(opts: &Options) -> Result<FontSet> {
        let body = match &opts.font {
            Some(path) => load_file(path, opts.font_index)?,
            None => bundled_body()?,
        };
        let mono = match &opts.mono_font {
            Some(path) => load_file(path, 0)?,
            None => bundled_mono()?,
        };
        let mut fonts = vec![body, mono];
        for path in &opts.fallback_fonts {
            fonts.push(load_file(path, 0)?);
        }
        fonts.extend(bundled_fallbacks()?);
        // A user's body font draws everything it covers; the bundled CJK
        // face's Latin letters look handwritten, so Latin gets its own.
        let latin = opts.font.is_none().then_some(fonts.len());
        if latin.is_some() {
            fonts.extend(bundled_latin()?);
        }
        Ok(FontSet { fonts, latin })
    }

    /// [`FontSet::pick`] for running text: Latin-script characters (and,
    /// outside CJK text, general punctuation) take the Latin face of the
    /// wanted style; CJK punctuation stays in the CJK face.
    pub fn pick_text(&self, c: char, role: Role, want: Want) -> Option<usize> {
        if let (Role::Body, Some(first)) = (role, self.latin) {
            let general = matches!(c as u32, 0x2000..=0x206F);
            if is_latin_script(c) && !(general && want.cjk_context) {
                let i = first + usize::from(want.italic) + 2 * usize::from(want.bold);
                if self.fonts[i].covers(c) {
                    return Some(i);
                }
            }
        }
        self.pick(c, role)
    }

    /// Which of `bold`/`italic` face `font` lacks, so must be faked.
    pub fn synthetic(&self, font: usize, bold: bool, italic: bool) -> (bool, bool) {
        match self.latin {
            Some(first) if (first..first + 4).contains(&font) => (
                bold && (font - first) < 2,
                italic && (font - first) % 2 == 0,
            ),
            _ => (bold, italic),
        }
    }

    /// The face that draws `c` in `role`, as an index into
    /// [`FontSet::fonts`]; `None` when no face has it.
    pub fn pick(&self, c: char, role: Role) -> Option<usize> {
        // Called per character: walk the chain without allocating.
        let covers = |i: usize| self.fonts[i].covers(c);
        let fallback = || (2..self.fonts.len()).find(|&i| covers(i));
        match role {
            Role::Body if covers(Self::BODY) => Some(Self::BODY),
            Role::Body => fallback().or_else(|| covers(Self::MONO).then_some(Self::MONO)),
            Role::Mono if covers(Self::MONO) => Some(Self::MONO),
            Role::Mono if covers(Self::BODY) => Some(Self::BODY),
            Role::Mono => fallback(),
        }
    }
}

/// Characters the Latin face draws: Latin letters, digits, ASCII and
/// Latin-1 punctuation, general punctuation (quotes, dashes), combining
/// marks and the word space.
fn is_latin_script(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0x24F | 0x300..=0x36F | 0x1E00..=0x1EFF
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x20A0..=0x20C0 | 0xFB00..=0xFB04)
}

/// Counts characters that no font draws, to report them in one warning.
#[derive(Debug, Default, Clone)]
pub struct MissingGlyphs {
    counts: BTreeMap<char, usize>,
}

impl MissingGlyphs {
    /// Records one occurrence of `c`.
    pub fn add(&mut self, c: char) {
        *self.counts.entry(c).or_default() += 1;
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: MissingGlyphs) {
        for (c, n) in other.counts {
            *self.counts.entry(c).or_default() += n;
        }
    }

    /// The warning text, or `None` when every character was drawn.
    pub fn message(&self) -> Option<String> {
        if self.counts.is_empty() {
            return None;
        }
        let total: usize = self.counts.values().sum();
        let mut by_count: Vec<(&char, &usize)> = self.counts.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let examples: Vec<String> = by_count
            .iter()
            .take(8)
            .map(|(c, _)| format!("'{}' U+{:04X}", c, **c as u32))
            .collect();
        Some(format!(
            "{total} character(s) ({} distinct) not in any font, drawn as a box: {}",
            self.counts.len(),
            examples.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_cjk_latin_and_punctuation() {
        let body = bundled_body().unwrap();
        for c in "永和九年，岁在癸丑。「繁體」ABCé—…“”（）".chars() {
            assert!(body.covers(c), "body lacks {c}");
        }
        let mono = bundled_mono().unwrap();
        assert!(mono.covers('{') && !mono.covers('永'));
        assert!(body.advance('永') > 0.9 && body.advance('永') < 1.1);
    }

    #[test]
    fn chains_fall_back_per_role() {
        let set = FontSet::from_options(&Options::default()).unwrap();
        assert_eq!(set.pick('永', Role::Mono), Some(FontSet::BODY));
        assert_eq!(set.pick('x', Role::Mono), Some(FontSet::MONO));
        assert_eq!(set.pick('x', Role::Body), Some(FontSet::BODY));
        // Korean and emoji come from the bundled fallbacks, after the body.
        assert_eq!(set.pick('한', Role::Body), Some(2));
        assert_eq!(set.pick('\u{1F600}', Role::Body), Some(3));
        assert_eq!(set.pick('\u{1F600}', Role::Mono), Some(3));
        // Linear B: no bundled face has it.
        assert_eq!(set.pick('\u{10000}', Role::Body), None);
    }

    #[test]
    fn missing_glyphs_make_one_message_with_examples() {
        let mut m = MissingGlyphs::default();
        assert!(m.message().is_none());
        m.add('\u{1F600}');
        m.add('\u{1F600}');
        m.add('\u{10000}');
        let msg = m.message().unwrap();
        assert!(msg.starts_with("3 character(s) (2 distinct)"), "{msg}");
        assert!(msg.contains("U+1F600"));
    }

    #[test]
    fn subset_is_small_and_parses() {
        let body = bundled_body().unwrap();
        let bytes = body.subset("中文字体".chars()).unwrap();
        assert!(bytes.len() < 20_000, "{}", bytes.len());
        let sub = Font::from_bytes(&bytes, 0, "subset").unwrap();
        assert!(sub.covers('中'));
    }

    #[test]
    fn a_bad_font_file_is_an_error() {
        assert!(Font::from_bytes(b"not a font", 0, "x").is_err());
    }
}
