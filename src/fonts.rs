//! Fonts for the PDF writer (and EPUB `--embed-font`): the bundled faces,
//! user fonts from `--font`/`--mono-font`/`--fallback-font`, per-character
//! fallback and subsetting.
//!
//! Every face is parsed once per process and shared as an [`Arc<Font>`]
//! across documents and threads: the bundled faces sit in `OnceLock`s, fonts
//! from files in a cache keyed by path and face index.

use crate::error::{Error, Result};
use crate::options::Options;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The bundled CJK body font: a renamed subset of LXGW WenKai Regular (OFL),
/// see `fonts/subset.sh` for the character set.
pub static BODY_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvKai-Regular.ttf");
/// Bundled fallback for Korean: Hangul from NanumMyeongjo (OFL), renamed.
pub static HANGUL_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvHangul-Regular.ttf");
/// Bundled fallback for emoji and symbols, from Symbola (free for any use).
pub static SYMBOLS_FONT_BYTES: &[u8] = include_bytes!("../fonts/ConvSymbols-Regular.ttf");
/// The bundled monospace font for code: DejaVu Sans Mono.
pub static MONO_FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSansMono.ttf");

/// One parsed font face.
#[derive(Debug)]
pub struct Font {
    /// A short name for messages (file name or "bundled …").
    pub name: String,
    /// printpdf's parse of the face (cmap, metrics, the source bytes that
    /// the PDF subsetter reads).
    pub parsed: printpdf::ParsedFont,
    units_per_em: f32,
    ascent: f32,
    descent: f32,
}

impl Font {
    /// Parses face `index` of a TTF/OTF/TTC file held in `bytes`.
    pub fn from_bytes(bytes: &[u8], index: u32, name: &str) -> Result<Font> {
        let mut warnings = Vec::new();
        let parsed = printpdf::ParsedFont::from_bytes(bytes, index as usize, &mut warnings)
            .ok_or_else(|| Error::Font {
                path: name.to_string(),
                message: format!("not a TrueType/OpenType font (or no face {index})"),
            })?;
        let metrics = parsed.get_font_metrics();
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        Ok(Font {
            name: name.to_string(),
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: metrics.descent.abs() / units_per_em,
            parsed,
        })
    }

    /// The glyph id of `c`, if the face has one (glyph 0 counts as missing).
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.parsed
            .lookup_glyph_index(c as u32)
            .filter(|&gid| gid != 0)
    }

    /// True when the face draws `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Advance width of `c` in em (0 when the face lacks it).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |gid| {
            f32::from(self.parsed.get_horizontal_advance(gid)) / self.units_per_em
        })
    }

    /// Ascender above the baseline, in em.
    pub fn ascent(&self) -> f32 {
        self.ascent
    }

    /// Descender below the baseline, in em (positive).
    pub fn descent(&self) -> f32 {
        self.descent
    }

    /// A TrueType subset of this face holding the glyphs of `chars` (plus
    /// .notdef), with a Unicode cmap; for EPUB `--embed-font`.
    pub fn subset(&self, chars: impl IntoIterator<Item = char>) -> Result<Vec<u8>> {
        let glyphs: BTreeMap<u16, String> = chars
            .into_iter()
            .filter_map(|c| self.glyph(c).map(|g| (g, c.to_string())))
            .collect();
        let subset =
            printpdf::subset_font(&self.parsed, &glyphs).map_err(|message| Error::Font {
                path: self.name.clone(),
                message: format!("subsetting failed: {message}"),
            })?;
        // printpdf's subset is made for PDF and lacks the OS/2 table that
        // e-reader and desktop font engines (CoreText, Windows) expect:
        // carry the original's over.
        let source = self.parsed.original_bytes.as_deref();
        let original = source
            .and_then(|bytes| {
                ttf_parser::RawFace::parse(bytes, self.parsed.original_index as u32).ok()
            })
            .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"OS/2")));
        Ok(match original {
            Some(os2) => with_table(&subset.bytes, *b"OS/2", os2).unwrap_or(subset.bytes),
            None => subset.bytes,
        })
    }
}

/// The sfnt `font` with table `tag` added (or replaced), table records
/// sorted and checksums recomputed; `None` if `font` is not an sfnt.
fn with_table(font: &[u8], tag: [u8; 4], table: &[u8]) -> Option<Vec<u8>> {
    let raw = ttf_parser::RawFace::parse(font, 0).ok()?;
    let mut tables: Vec<([u8; 4], &[u8])> = raw
        .table_records
        .into_iter()
        .filter(|r| r.tag.to_bytes() != tag)
        .map(|r| {
            let start = r.offset as usize;
            Some((
                r.tag.to_bytes(),
                font.get(start..start + r.length as usize)?,
            ))
        })
        .collect::<Option<_>>()?;
    tables.push((tag, table));
    tables.sort_by_key(|(t, _)| *t);
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&font[..4]);
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (t, data) in &tables {
        out.extend_from_slice(t);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (t, data) in &tables {
        if t == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    // head.checkSumAdjustment (offset 8) makes the whole file sum to a
    // constant; it is computed with the field at zero.
    if let Some(at) = head_at.filter(|at| at + 12 <= out.len()) {
        out[at + 8..at + 12].fill(0);
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    Some(out)
}

/// The sfnt checksum: the sum of big-endian u32 words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// The bundled CJK body font, parsed on first use.
pub fn bundled_body() -> Result<Arc<Font>> {
    static FONT: OnceLock<std::result::Result<Arc<Font>, String>> = OnceLock::new();
    shared(&FONT, BODY_FONT_BYTES, "bundled ConvKai")
}

/// The bundled monospace font, parsed on first use.
pub fn bundled_mono() -> Result<Arc<Font>> {
    static FONT: OnceLock<std::result::Result<Arc<Font>, String>> = OnceLock::new();
    shared(&FONT, MONO_FONT_BYTES, "bundled DejaVu Sans Mono")
}

/// The bundled fallback faces (Hangul, then emoji and symbols), last in
/// every chain.
pub fn bundled_fallbacks() -> Result<[Arc<Font>; 2]> {
    static HANGUL: OnceLock<std::result::Result<Arc<Font>, String>> = OnceLock::new();
    static SYMBOLS: OnceLock<std::result::Result<Arc<Font>, String>> = OnceLock::new();
    Ok([
        shared(&HANGUL, HANGUL_FONT_BYTES, "bundled ConvHangul")?,
        shared(&SYMBOLS, SYMBOLS_FONT_BYTES, "bundled ConvSymbols")?,
    ])
}

fn shared(
    cell: &OnceLock<std::result::Result<Arc<Font>, String>>,
    bytes: &[u8],
    name: &str,
) -> Result<Arc<Font>> {
    cell.get_or_init(|| {
        Font::from_bytes(bytes, 0, name)
            .map(Arc::new)
            .map_err(|e| e.to_string())
    })
    .clone()
    .map_err(|message| Error::Font {
        path: name.to_string(),
        message,
    })
}

/// A font file's face, parsed once per process and then shared.
pub fn load_file(path: &Path, index: u32) -> Result<Arc<Font>> {
    type Cache = Mutex<HashMap<(PathBuf, u32), Arc<Font>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (path.to_path_buf(), index);
    if let Some(font) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(font);
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Error::io(format!("reading font {}", path.display()), e))?;
    let font = Arc::new(Font::from_bytes(
        &bytes,
        index,
        &path.display().to_string(),
    )?);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, font.clone());
    }
    Ok(font)
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
/// Index 0 is the body font, 1 the mono font, then the fallbacks.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// All faces; see [`FontSet`] for the order.
    pub fonts: Vec<Arc<Font>>,
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
        Ok(FontSet { fonts })
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
