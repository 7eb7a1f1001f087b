//! The ground floor of text rules every writer shares: which characters are
//! CJK, which are invisible, whether a language indents its paragraphs, the
//! byline under a title and the bullets of lists. Nothing here knows about
//! fonts, pages or formats, so readers, the layout and the writers can all
//! depend on it without depending on each other.

use crate::model::Metadata;

/// True for characters set on the CJK grid (ideographs, kana, Hangul,
/// Bopomofo, CJK punctuation and full-width forms): justification may add
/// space between them, and a line may break between any two.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F
        | 0x3190..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0x20000..=0x3FFFF)
}

/// True for the CJK characters of scripts written without spaces between
/// words (Chinese, Japanese): a line break between two of them is no space.
/// Hangul is on the grid ([`is_cjk`]) but Korean puts spaces between words.
pub fn is_unspaced_cjk(c: char) -> bool {
    is_cjk(c) && !matches!(c as u32, 0xAC00..=0xD7AF)
}

/// True for ideographs, kana and Hangul: the letters of CJK text, between
/// which and Latin letters a quarter-em space belongs.
pub fn is_cjk_letter(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// True for Latin-script letters and digits (basic, Latin-1, Extended-A/B),
/// the other side of a CJK–Latin boundary.
pub fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (matches!(c as u32, 0xC0..=0x24F) && c.is_alphabetic() && c != '×' && c != '÷')
}

/// Unicode's default-ignorable code points (DerivedCoreProperties):
/// variation selectors, joiners, zero-width spaces, bidi controls, the BOM,
/// tags. They are never drawn and take no width.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(c as u32,
        0xAD | 0x34F | 0x61C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
        | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// The primary subtag of a BCP 47 tag, lower-cased (`zh-Hans` → `zh`).
fn primary(lang: &str) -> String {
    lang.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// True when paragraphs of `lang` open with a two-em indent (Chinese and
/// Japanese typesetting; Korean spaces its words and does not). One rule for
/// the whole document, decided by its language, never per paragraph.
pub fn indents_paragraphs(lang: Option<&str>) -> bool {
    lang.is_some_and(|l| {
        matches!(
            primary(l).as_str(),
            "zh" | "ja" | "yue" | "cmn" | "wuu" | "lzh" | "hak" | "nan"
        )
    })
}

/// True for languages set in CJK type (no hyphenation, CJK punctuation).
pub fn is_cjk_language(lang: Option<&str>) -> bool {
    indents_paragraphs(lang) || lang.is_some_and(|l| primary(l) == "ko")
}

/// The byline under a title: the authors, then the day of the date,
/// `"A, B · 2024-01-02"` (authors joined by `、` in Chinese and Japanese).
pub fn byline(meta: &Metadata) -> Option<String> {
    let sep = if indents_paragraphs(meta.language.as_deref()) {
        "、"
    } else {
        ", "
    };
    let authors: Vec<&str> = meta
        .authors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let mut parts = Vec::new();
    if !authors.is_empty() {
        parts.push(authors.join(sep));
    }
    if let Some(date) = &meta.date {
        parts.push(date.day().to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The name of the site an article comes from: what its front matter
/// calls it (`publisher`, `site`, `source_name`), whitespace folded, else
/// its source URL's host without `www.`. The EPUB's `dc:publisher` and a
/// bundle's sources are both this.
pub fn site_name(meta: &Metadata) -> Option<String> {
    let named = ["publisher", "site", "source_name"]
        .iter()
        .find_map(|k| meta.extra.get(*k).and_then(|v| v.as_str()))
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    named.or_else(|| {
        let url = url::Url::parse(meta.source_url.as_deref()?.trim()).ok()?;
        url.host_str()
            .map(|h| h.trim_start_matches("www.").to_string())
    })
}

/// The bullet of an unordered list item at nesting `depth` (0 = outermost),
/// shared by the writers that draw bullets themselves.
pub fn bullet(depth: usize) -> &'static str {
    ["•", "◦", "▪"][depth % 3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_default_ignorable() {
        for c in [
            '\u{FE0E}', '\u{FE0F}', '\u{200D}', '\u{200B}', '\u{FEFF}', '\u{2060}',
        ] {
            assert!(is_default_ignorable(c), "U+{:04X}", c as u32);
        }
        for c in ['a', '中', '↩', ' ', '\u{3000}'] {
            assert!(!is_default_ignorable(c));
        }
    }

    #[test]
    fn the_indent_rule_follows_the_document_language() {
        assert!(indents_paragraphs(Some("zh-Hans")));
        assert!(indents_paragraphs(Some("ja")));
        assert!(!indents_paragraphs(Some("ko")));
        assert!(!indents_paragraphs(Some("en")));
        assert!(!indents_paragraphs(None));
        assert!(is_cjk_language(Some("ko-KR")));
    }

    #[test]
    fn byline_joins_authors_then_the_day() {
        let mut meta = Metadata {
            authors: vec!["A".into(), " ".into(), "B".into()],
            ..Metadata::default()
        };
        assert_eq!(byline(&meta).as_deref(), Some("A, B"));
        meta.language = Some("zh".into());
        assert_eq!(byline(&meta).as_deref(), Some("A、B"));
        meta.authors.clear();
        assert_eq!(byline(&meta), None);
    }

    #[test]
    fn scripts() {
        assert!(is_cjk('中') && is_cjk('，') && !is_cjk('a'));
        assert!(is_cjk_letter('中') && !is_cjk_letter('，'));
        assert!(is_unspaced_cjk('中') && is_unspaced_cjk('か') && is_unspaced_cjk('，'));
        assert!(is_cjk('한') && !is_unspaced_cjk('한'));
        assert!(is_latin_alnum('é') && is_latin_alnum('7') && !is_latin_alnum('×'));
    }
}
