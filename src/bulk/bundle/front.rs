//! A bundle's front matter worked out from its articles: the sources that
//! are its author, the date range, the default title and the drawn cover,
//! in the book's majority language.

use super::day_of;
use crate::bulk::BundleOptions;
use crate::model::packed::{PackedArticle, PackedBundle};
use crate::model::Metadata;
use crate::words::Words;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// The sources of the articles (a feed's title, the site or publisher, the
/// URL's host, else the first author), most frequent first.
pub(super) fn sources(articles: &[PackedArticle]) -> Vec<String> {
    let mut counts: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, doc) in articles.iter().enumerate() {
        if let Some(name) = source_of(&doc.meta) {
            counts.entry(name).or_insert((0, i)).0 += 1;
        }
    }
    let mut named: Vec<(String, (usize, usize))> = counts.into_iter().collect();
    // Most articles first; ties in order of first appearance.
    named.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    named.into_iter().map(|(name, _)| name).collect()
}

/// What a bundle calls an article's source: its feed's title, else its
/// site's name, else its first author.
pub(super) fn source_of(meta: &Metadata) -> Option<String> {
    meta.extra
        .get("feed_title")
        .and_then(|v| v.as_str())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .or_else(|| crate::text::site_name(meta))
        .or_else(|| meta.authors.first().cloned())
}

/// The span of the articles' days in their language ("2022年2月14日 –
/// 2022年2月20日", "14 February 2022 – 20 February 2022"), or empty when
/// undated.
pub(super) fn date_range(articles: &[PackedArticle]) -> String {
    let days = articles.iter().filter_map(|d| day_of(&d.meta));
    let (first, last) = days.fold(
        (None, None),
        |(lo, hi): (Option<NaiveDate>, Option<NaiveDate>), d| {
            (
                Some(lo.map_or(d, |l| l.min(d))),
                Some(hi.map_or(d, |h| h.max(d))),
            )
        },
    );
    Words::of(majority_language(articles).as_deref()).range(first, last)
}

/// `--title`, else the word for a collection of articles and the date range.
pub(super) fn bundle_title(range: &str, words: Words, how: &BundleOptions) -> String {
    how.title
        .clone()
        .unwrap_or_else(|| words.default_title(range))
}

/// The bundle's cover drawn with the bundled font (title, date range,
/// article count), as a `data:` URI the writers load like any image.
/// Drawn at `size` (`--cover-size`, a device's screen), else 1200×1600.
pub(super) fn generated_cover(
    bundle: &PackedBundle,
    range: &str,
    count: usize,
    size: Option<(u32, u32)>,
) -> Option<String> {
    use base64::Engine;
    let title = bundle.meta.title.as_deref().unwrap_or_default();
    let words = Words::of(bundle.meta.language.as_deref());
    let text = crate::bulk::cover::CoverText {
        // The default title already carries the range: do not say it twice.
        subtitle: if title.contains(range) {
            String::new()
        } else {
            range.to_string()
        },
        title: title.to_string(),
        footer: words.count(count),
    };
    let font = crate::fonts::BODY_FONT_BYTES;
    let png = match size {
        Some(size) => crate::bulk::cover::render_sized(&text, font, size)?,
        None => crate::bulk::cover::render(&text, font)?,
    };
    let b64 = base64::engine::general_purpose::STANDARD.encode(png);
    Some(format!("data:image/png;base64,{b64}"))
}

pub(super) fn majority_language(articles: &[PackedArticle]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in articles {
        if let Some(lang) = doc.meta.language.as_deref() {
            *counts.entry(lang).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| l.to_string())
}
