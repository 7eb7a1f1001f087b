//! What an element's class and id say about it: Readability's word lists
//! plus Chinese sites' habits (pinyin class names such as `zw` 正文,
//! `xgxw` 相关新闻, `TRS_Editor`), asked without allocating, since
//! extraction asks them of most elements of a page.

use crate::read::html::{Dom, NodeId};
use std::borrow::Cow;

/// A hint word and the set of its byte values (see [`Hay`]), worked out
/// when compiling.
struct Word(&'static str, u64);

const fn w(word: &'static str) -> Word {
    let b = word.as_bytes();
    let mut bits = 0u64;
    let mut i = 0;
    while i < b.len() {
        bits |= 1 << (b[i] & 63);
        i += 1;
    }
    Word(word, bits)
}

/// Substrings of class/id that mark page furniture (Readability's list,
/// plus pinyin and other habits).
const UNLIKELY: &[Word] = &[
    w("-ad-"),
    w("ai2html"),
    w("banner"),
    w("breadcrumb"),
    w("combx"),
    w("comment"),
    w("community"),
    w("cover-wrap"),
    w("disqus"),
    w("extra"),
    w("footer"),
    w("gdpr"),
    w("header"),
    w("legends"),
    w("menu"),
    w("related"),
    w("remark"),
    w("replies"),
    w("rss"),
    w("shoutbox"),
    w("sidebar"),
    w("skyscraper"),
    w("social"),
    w("sponsor"),
    w("supplemental"),
    w("ad-break"),
    w("agegate"),
    w("pagination"),
    w("pager"),
    w("popup"),
    w("yom-remote"),
    w("newsletter"),
    w("subscribe"),
    w("cookie"),
    w("share"),
    w("sharing"),
    w("recommend"),
    w("promo"),
    w("outbrain"),
    w("taboola"),
    w("signup"),
    w("paywall"),
    w("modal"),
    w("toolbar"),
    w("navbar"),
    w("topbar"),
    w("masthead"),
    w("crumb"),
    w("tuijian"),
    w("xgxw"),
    w("xgwz"),
    w("xgyd"),
    w("tjyd"),
    w("pinglun"),
    w("fenxiang"),
    w("erweima"),
    w("bdshare"),
    w("jiathis"),
    w("copyright"),
    w("banquan"),
    w("daohang"),
    w("mianbao"),
];

/// Substrings that keep an element a candidate despite [`UNLIKELY`].
const MAYBE: &[Word] = &[
    w("and"),
    w("article"),
    w("body"),
    w("column"),
    w("content"),
    w("main"),
    w("mathjax"),
    w("shadow"),
    w("zhengwen"),
    w("story"),
    w("entry"),
];

/// Class/id substrings of article containers.
const POSITIVE: &[Word] = &[
    w("article"),
    w("body"),
    w("content"),
    w("entry"),
    w("hentry"),
    w("h-entry"),
    w("main"),
    w("page"),
    w("post"),
    w("text"),
    w("blog"),
    w("story"),
    w("zhengwen"),
    w("trs_editor"),
    w("neirong"),
    w("wenzhang"),
    w("artical"),
    w("detail"),
];

/// Class/id substrings of furniture around and inside articles.
const NEGATIVE: &[Word] = &[
    w("-ad-"),
    w("hidden"),
    w("banner"),
    w("combx"),
    w("comment"),
    w("com-"),
    w("contact"),
    w("footer"),
    w("gdpr"),
    w("masthead"),
    w("media"),
    w("meta"),
    w("outbrain"),
    w("promo"),
    w("related"),
    w("scroll"),
    w("share"),
    w("shoutbox"),
    w("sidebar"),
    w("skyscraper"),
    w("sponsor"),
    w("shopping"),
    w("tags"),
    w("widget"),
    w("byline"),
    w("author-bio"),
    w("newsletter"),
    w("subscribe"),
    w("recommend"),
    w("tuijian"),
    w("xgxw"),
    w("xgwz"),
    w("tjyd"),
    w("pinglun"),
    w("fenxiang"),
    w("erweima"),
    w("bdshare"),
    w("jiathis"),
    w("copyright"),
    w("banquan"),
    w("caption-credit"),
    w("social"),
    w("breadcrumb"),
    w("nav"),
    w("toolbar"),
    w("ad-"),
    w("advert"),
    w("popular"),
    w("trending"),
    w("most-"),
    w("timestamp"),
    w("dateline"),
    w("credit"),
    w("gallery"),
    w("slideshow"),
    w("carousel"),
];

/// Furniture hints that outweigh an article hint in the same class name
/// (`article-byline`, `post-share`, `entry-related`).
const STRONG_NEGATIVE: &[Word] = &[
    w("byline"),
    w("dateline"),
    w("share"),
    w("sharing"),
    w("social"),
    w("related"),
    w("comment"),
    w("recommend"),
    w("newsletter"),
    w("promo"),
    w("sidebar"),
    w("footer"),
    w("breadcrumb"),
    w("author-bio"),
    w("timestamp"),
    w("tags"),
    w("subscribe"),
    w("advert"),
    w("xgxw"),
    w("fenxiang"),
    w("erweima"),
];

/// Whole class/id tokens: short pinyin abbreviations too ambiguous for
/// substring matching.
const POSITIVE_TOKENS: &[&str] = &["zw", "nr", "cont", "txt", "wz"];
const NEGATIVE_TOKENS: &[&str] = &[
    "pl", "fx", "xg", "tj", "ad", "ads", "ewm", "bq", "qr", "hot",
];

/// An element's class and id, ASCII-lowercased: borrowed when already
/// lowercase, so most elements cost no allocation. The hints are asked of
/// each attribute in turn; no word list has a space in it, so that is the
/// same as asking of both joined by a space.
#[derive(Default)]
pub struct ClassId<'e> {
    class: Cow<'e, str>,
    id: Cow<'e, str>,
}

impl<'e> ClassId<'e> {
    /// The class and id of `id` (empty for other nodes).
    pub fn of(dom: &'e Dom<'_>, id: NodeId) -> ClassId<'e> {
        let Some(e) = dom.element(id) else {
            return ClassId::default();
        };
        let lower = |k: &str| match e.attr(k) {
            Some(v) if v.bytes().any(|b| b.is_ascii_uppercase()) => {
                Cow::Owned(v.to_ascii_lowercase())
            }
            Some(v) => Cow::Borrowed(v),
            None => Cow::Borrowed(""),
        };
        ClassId {
            class: lower("class"),
            id: lower("id"),
        }
    }

    fn parts(&self) -> [&str; 2] {
        [&self.class, &self.id]
    }

    /// [`class_weight`] of class and id together.
    pub fn weight(&self) -> i32 {
        self.parts()
            .iter()
            .map(|p| raw_weight(p))
            .sum::<i32>()
            .clamp(-50, 50)
    }

    /// [`unlikely`] of class and id together.
    pub fn unlikely(&self) -> bool {
        let any = |f: fn(&str) -> bool| self.parts().iter().any(|p| f(p));
        any(unlikely_words) && !any(maybe_words) && !any(embedded)
    }

    /// [`embedded`] of class or id.
    pub fn embedded(&self) -> bool {
        self.parts().iter().any(|p| embedded(p))
    }
}

/// A string and the set of its byte values (mod 64), so a word whose
/// bytes are not all there is ruled out without a substring search: the
/// hints ask some hundred words of every class name.
struct Hay<'s> {
    text: &'s str,
    bits: u64,
}

fn byte_bits(s: &str) -> u64 {
    s.bytes().fold(0, |m, b| m | 1 << (b & 63))
}

impl<'s> Hay<'s> {
    fn new(text: &'s str) -> Self {
        Hay {
            text,
            bits: byte_bits(text),
        }
    }

    fn contains(&self, word: &Word) -> bool {
        word.1 & !self.bits == 0 && self.text.contains(word.0)
    }

    fn any(&self, words: &[Word]) -> bool {
        words.iter().any(|w| self.contains(w))
    }
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// Readability's class weight: +25 for article hints, −25 for furniture
/// (`ci`: lower-cased class names, space-separated).
pub fn class_weight(ci: &str) -> i32 {
    raw_weight(ci).clamp(-50, 50)
}

/// [`class_weight`] before the clamp.
fn raw_weight(ci: &str) -> i32 {
    let mut w = 0;
    // An embedded post (`social-media-embed`, `twitter-tweet`'s wrapper)
    // is the article quoting someone, not a share bar.
    for part in ci
        .split(' ')
        .filter(|p| !p.is_empty() && !p.contains("embed"))
    {
        let hay = Hay::new(part);
        if hay.any(NEGATIVE) || tokens(part).any(|t| NEGATIVE_TOKENS.contains(&t)) {
            w -= 25;
        }
        let strong = hay.any(STRONG_NEGATIVE);
        if !strong && (hay.any(POSITIVE) || tokens(part).any(|t| POSITIVE_TOKENS.contains(&t))) {
            w += 25;
        }
    }
    w
}

/// Whether class/id mark an embedded post (a tweet, an Instagram or
/// TikTok post, a site's `social-media-embed` wrapper): the article
/// quoting someone, whose links are its own, not a share bar.
pub fn embedded(ci: &str) -> bool {
    const EMBEDS: &[Word] = &[
        w("embed"),
        w("twitter-tweet"),
        w("instagram-media"),
        w("tiktok"),
    ];
    Hay::new(ci).any(EMBEDS)
}

/// Whether class/id mark an element that is not worth scoring at all.
pub fn unlikely(ci: &str) -> bool {
    unlikely_words(ci) && !maybe_words(ci) && !embedded(ci)
}

fn unlikely_words(ci: &str) -> bool {
    !ci.is_empty()
        && (Hay::new(ci).any(UNLIKELY) || tokens(ci).any(|t| NEGATIVE_TOKENS.contains(&t)))
}

fn maybe_words(ci: &str) -> bool {
    !ci.is_empty() && Hay::new(ci).any(MAYBE)
}
