//! Package metadata derived from the model: a valid BCP 47 language, a
//! stable identifier, W3C dates and the labels of generated pages. Nothing
//! here reads the clock or a random source, so the same input always gives
//! the same book.

use super::xhtml::clean_line;
use crate::model::{DateValue, Metadata};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

/// The modification date used when neither `SOURCE_DATE_EPOCH` nor the
/// article gives one: the ZIP format's epoch, 1980-01-01T00:00:00Z.
pub const FALLBACK_EPOCH: i64 = 315_532_800;

/// A `DateValue` as an instant: its ISO form first, then the raw string
/// (ISO 8601 / RFC 3339, `YYYY-MM-DD[ HH:MM:SS]`, RFC 2822 as in the
/// `Mon, 14 Feb 2022 07:02:16 GMT` Hexo dates). A bare date is midnight UTC.
/// Years outside 1–9999 are no date: EPUBCheck rejects `dc:date` and
/// `dcterms:modified` values such as `-5000-01-01` or `0000-01-01`.
pub fn parse_date(value: &DateValue) -> Option<DateTime<Utc>> {
    value
        .iso
        .as_deref()
        .and_then(parse_instant)
        .or_else(|| parse_instant(&value.raw))
        .filter(|d| (1..=9999).contains(&d.year()))
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    for format in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(text, format) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        }
    }
    None
}

/// The `dcterms:modified` instant: `SOURCE_DATE_EPOCH`, else the article's
/// update or publication date, else [`FALLBACK_EPOCH`].
pub fn modified(epoch: Option<i64>, dates: &[Option<DateTime<Utc>>]) -> DateTime<Utc> {
    epoch
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
        .or_else(|| dates.iter().flatten().max().copied())
        .or_else(|| DateTime::from_timestamp(FALLBACK_EPOCH, 0))
        .unwrap_or_default()
}

/// A well-formed BCP 47 tag from what the front matter says, in canonical
/// case (`zh_cn` → `zh-CN`, `ZH-hans` → `zh-Hans`), or `None` when it is no
/// tag (then the language is detected from the text). Common language
/// names are mapped, since front matter often says `chinese`.
pub fn normalize_language(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let named = match tag.to_lowercase().as_str() {
        "chinese" | "中文" | "简体中文" | "汉语" => Some("zh"),
        "繁體中文" | "繁体中文" => Some("zh-Hant"),
        "english" => Some("en"),
        "japanese" | "日本語" | "日本语" => Some("ja"),
        "korean" | "한국어" => Some("ko"),
        _ => None,
    };
    if let Some(named) = named {
        return Some(named.to_string());
    }
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    // Registered primary subtags are 2 or 3 letters.
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = primary.to_ascii_lowercase();
    let mut in_extension = false;
    for (i, part) in parts.enumerate() {
        if part.is_empty() || part.len() > 8 || !part.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        out.push('-');
        let alpha = part.bytes().all(|b| b.is_ascii_alphabetic());
        if part.len() == 1 {
            in_extension = true;
            out.push_str(&part.to_ascii_lowercase());
        } else if !in_extension && i <= 1 && part.len() == 4 && alpha {
            out.push_str(&part[..1].to_ascii_uppercase());
            out.push_str(&part[1..].to_ascii_lowercase());
        } else if !in_extension && part.len() == 2 && alpha {
            out.push_str(&part.to_ascii_uppercase());
        } else {
            out.push_str(&part.to_ascii_lowercase());
        }
    }
    Some(out)
}

/// The language of a text by its script: Japanese when it has kana, Korean
/// when Hangul dominates, Chinese when Han characters are a fair share
/// (one CJK character carries about as much as three Latin letters),
/// English otherwise.
pub fn detect_language(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut latin) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars().take(4000) {
        match c {
            '\u{3040}'..='\u{30ff}' => kana += 1,
            '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' => hangul += 1,
            '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}' => {
                han += 1
            }
            c if c.is_alphabetic() => latin += 1,
            _ => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk == 0 || cjk * 3 < latin {
        "en"
    } else if kana * 20 > cjk {
        "ja"
    } else if hangul > han {
        "ko"
    } else {
        "zh"
    }
}

/// True for languages set in CJK type (paragraph indent, no hyphenation).
pub fn is_cjk(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("");
    matches!(
        primary,
        "zh" | "ja" | "ko" | "yue" | "cmn" | "wuu" | "lzh" | "hak" | "nan"
    )
}

/// A stable book identifier: UUID v5 of the source URL, else of the title,
/// date and (when both are missing) the text.
pub fn identifier(meta: &Metadata, text: impl FnOnce() -> String) -> Uuid {
    if let Some(url) = meta
        .source_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        return Uuid::new_v5(&Uuid::NAMESPACE_URL, url.as_bytes());
    }
    let title = meta.title.as_deref().unwrap_or("").trim();
    let date = meta.date.as_ref().map_or("", |d| d.raw.trim());
    let name = if title.is_empty() && date.is_empty() {
        format!("text\n{}", text())
    } else {
        format!("article\n{title}\n{date}")
    };
    Uuid::new_v5(&conv_namespace(), name.as_bytes())
}

/// The namespace of identifiers conv makes up (not from a URL).
pub fn conv_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_DNS, b"conv.invalid")
}

/// Words of the generated pages, in the book's language.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Labels {
    /// Name of the table of contents.
    pub contents: &'static str,
    /// Table-of-contents entry of the title page.
    pub title_page: &'static str,
    /// Title used when the article has none.
    pub untitled: &'static str,
    /// "Source:" before the source link (punctuation included).
    pub source: &'static str,
    /// Separator between authors or subjects.
    pub separator: &'static str,
}

/// Labels for `lang`.
pub fn labels(lang: &str) -> Labels {
    let words = crate::words::Words::of(Some(lang));
    Labels {
        contents: words.contents(),
        title_page: words.title_page(),
        untitled: words.untitled(),
        source: words.source(),
        separator: words.separator(),
    }
}

/// Subjects: categories then tags, each once, in order (in linear time:
/// a scraped page may carry 100,000 tags).
pub fn subjects(meta: &Metadata) -> Vec<String> {
    unique_lines(meta.categories.iter().chain(&meta.tags))
}

/// Each item as one clean line, blanks and repeats dropped, in order.
pub fn unique_lines<'a>(items: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items
        .map(|s| clean_line(s))
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect()
}

/// The publisher: the site the article comes from ([`crate::text::site_name`]).
pub fn publisher(meta: &Metadata) -> Option<String> {
    crate::text::site_name(meta)
        .map(|name| clean_line(&name))
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str, iso: Option<&str>) -> DateValue {
        DateValue {
            raw: raw.into(),
            iso: iso.map(Into::into),
        }
    }

    #[test]
    fn dates_in_the_forms_front_matter_uses() {
        let want = "2022-02-14T07:02:16+00:00";
        for (raw, iso) in [
            ("Mon, 14 Feb 2022 07:02:16 GMT", None),
            ("whatever", Some("2022-02-14T07:02:16Z")),
            ("2022-02-14 07:02:16", None),
            ("2022-02-14T15:02:16+08:00", None),
        ] {
            let got = parse_date(&date(raw, iso)).map(|d| d.to_rfc3339());
            assert_eq!(got.as_deref(), Some(want), "{raw}");
        }
        let day = parse_date(&date("2022/02/14", None)).unwrap();
        assert_eq!(day.to_rfc3339(), "2022-02-14T00:00:00+00:00");
        assert_eq!(parse_date(&date("yesterday", None)), None);
        for out_of_range in ["-5000-01-01", "0000-01-01", "+12000-01-01"] {
            assert_eq!(
                parse_date(&date(out_of_range, None)),
                None,
                "{out_of_range}"
            );
        }
    }

    #[test]
    fn modified_prefers_the_epoch_then_the_latest_date() {
        let a = DateTime::from_timestamp(1_000_000_000, 0);
        let b = DateTime::from_timestamp(1_600_000_000, 0);
        assert_eq!(modified(Some(42), &[a]).timestamp(), 42);
        assert_eq!(modified(None, &[a, None, b]).timestamp(), 1_600_000_000);
        assert_eq!(modified(None, &[None]).timestamp(), FALLBACK_EPOCH);
    }

    #[test]
    fn language_tags_are_canonical_bcp47_or_rejected() {
        let n = |t: &str| normalize_language(t);
        assert_eq!(n("zh_cn").as_deref(), Some("zh-CN"));
        assert_eq!(n("ZH-hans-tw").as_deref(), Some("zh-Hans-TW"));
        assert_eq!(n("en").as_deref(), Some("en"));
        assert_eq!(n("Chinese").as_deref(), Some("zh"));
        assert_eq!(n("de-CH-1996").as_deref(), Some("de-CH-1996"));
        assert_eq!(
            n("en-a-bbb-x-private").as_deref(),
            Some("en-a-bbb-x-private")
        );
        for bad in [
            "",
            "english language",
            "zh--CN",
            "z",
            "toolongtag",
            "中",
            "en-verylongsubtag",
        ] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }

    #[test]
    fn language_detection_by_script() {
        assert_eq!(
            detect_language("江苏省委书记：采取更坚决果断措施 iPhone"),
            "zh"
        );
        assert_eq!(detect_language("これは日本語の文章です"), "ja");
        assert_eq!(detect_language("한국어 문장입니다"), "ko");
        assert_eq!(detect_language("Plain English text, with 一 word."), "en");
        assert_eq!(detect_language(""), "en");
    }

    #[test]
    fn identifier_is_stable_and_prefers_the_source() {
        let mut meta = Metadata {
            title: Some("T".into()),
            date: Some(date("2022-01-01", None)),
            ..Metadata::default()
        };
        let by_title = identifier(&meta, String::new);
        assert_eq!(by_title, identifier(&meta, || "other".into()));
        assert_eq!(by_title.get_version_num(), 5);
        meta.source_url = Some("https://example.com/a".into());
        let by_url = identifier(&meta, String::new);
        assert_ne!(by_url, by_title);
        assert_eq!(
            by_url,
            Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://example.com/a")
        );
        let empty = Metadata::default();
        assert_ne!(
            identifier(&empty, || "a".into()),
            identifier(&empty, || "b".into())
        );
    }

    #[test]
    fn subjects_and_publisher() {
        let mut meta = Metadata {
            categories: vec!["金融".into(), "新浪财经".into()],
            tags: vec!["金融".into(), " ".into(), "疫情".into()],
            source_url: Some("https://finance.sina.com.cn/x.html".into()),
            ..Metadata::default()
        };
        assert_eq!(subjects(&meta), ["金融", "新浪财经", "疫情"]);
        assert_eq!(publisher(&meta).as_deref(), Some("finance.sina.com.cn"));
        meta.extra.insert("publisher".into(), "新浪".into());
        assert_eq!(publisher(&meta).as_deref(), Some("新浪"));
    }
}
