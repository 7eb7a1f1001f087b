//! What an element's tag, class and id say about it: the word lists the
//! extraction scores with, English and Chinese sites' habits (pinyin class
//! names such as `zw` 正文, `xgxw` 相关新闻, `TRS_Editor`), and the short
//! texts of page furniture (分享到, 扫码关注, "Share this").

use crate::read::html::{Dom, NodeId};

/// Elements that never hold article text.
pub const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "nav", "button",
    "input", "select", "textarea", "option", "label", "dialog", "menu", "link", "meta", "canvas",
    "title", "svg", "head",
];

/// Block-level elements: a `div` without any of these as children is a
/// paragraph.
pub const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "tr",
    "td",
    "th",
    "tbody",
];

/// Substrings of class/id that mark page furniture (Readability's list,
/// plus pinyin and other habits).
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumb",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
    "newsletter",
    "subscribe",
    "cookie",
    "share",
    "sharing",
    "recommend",
    "promo",
    "outbrain",
    "taboola",
    "signup",
    "paywall",
    "modal",
    "toolbar",
    "navbar",
    "topbar",
    "masthead",
    "crumb",
    "tuijian",
    "xgxw",
    "xgwz",
    "xgyd",
    "tjyd",
    "pinglun",
    "fenxiang",
    "erweima",
    "bdshare",
    "jiathis",
    "copyright",
    "banquan",
    "daohang",
    "mianbao",
];

/// Substrings that keep an element a candidate despite [`UNLIKELY`].
const MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow", "zhengwen",
    "story", "entry",
];

/// Class/id substrings of article containers.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "zhengwen",
    "trs_editor",
    "neirong",
    "wenzhang",
    "artical",
    "detail",
];

/// Class/id substrings of furniture around and inside articles.
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "byline",
    "author-bio",
    "newsletter",
    "subscribe",
    "recommend",
    "tuijian",
    "xgxw",
    "xgwz",
    "tjyd",
    "pinglun",
    "fenxiang",
    "erweima",
    "bdshare",
    "jiathis",
    "copyright",
    "banquan",
    "caption-credit",
    "social",
    "breadcrumb",
    "nav",
    "toolbar",
    "ad-",
    "advert",
    "popular",
    "trending",
    "most-",
    "timestamp",
    "dateline",
    "credit",
    "gallery",
    "slideshow",
    "carousel",
];

/// Furniture hints that outweigh an article hint in the same class name
/// (`article-byline`, `post-share`, `entry-related`).
const STRONG_NEGATIVE: &[&str] = &[
    "byline",
    "dateline",
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "recommend",
    "newsletter",
    "promo",
    "sidebar",
    "footer",
    "breadcrumb",
    "author-bio",
    "timestamp",
    "tags",
    "subscribe",
    "advert",
    "xgxw",
    "fenxiang",
    "erweima",
];

/// Whole class/id tokens: short pinyin abbreviations too ambiguous for
/// substring matching.
const POSITIVE_TOKENS: &[&str] = &["zw", "nr", "cont", "txt", "wz"];
const NEGATIVE_TOKENS: &[&str] = &[
    "pl", "fx", "xg", "tj", "ad", "ads", "ewm", "bq", "qr", "hot",
];

/// Short texts that, alone in a block, are furniture.
pub const FURNITURE_TEXT: &[&str] = &[
    "分享到",
    "分享至",
    "扫码关注",
    "扫一扫",
    "扫描二维码",
    "关注我们",
    "责任编辑",
    "相关阅读",
    "相关新闻",
    "相关文章",
    "推荐阅读",
    "热门推荐",
    "延伸阅读",
    "返回搜狐",
    "打印本页",
    "关闭窗口",
    "【纠错】",
    "show more",
    "read more",
    "continue reading",
    "share this",
    "share on",
    "related articles",
    "related stories",
    "recommended for you",
    "advertisement",
    "subscribe to",
    "follow us",
    "click here to",
    "post from reddit",
    "read next",
    "more from",
    "you may also like",
    "comments",
    "leave a comment",
    "leave a reply",
    "see more",
    "see also",
    "don't miss",
    "don’t miss",
    "also:",
    "more:",
    "read also",
    "also read",
    "like this story",
    "this slideshow requires",
    "tell us what you think",
    "have a tip",
    "get the latest",
    "sign up",
    "[button",
    "leggi anche",
    "lesen sie auch",
    "lire aussi",
    "image caption",
    "media caption",
    "image copyright",
    "更多精彩",
    "点击查看",
    "原标题",
    "本文来源",
];

/// The lower-cased class and id of `id`, space-separated.
pub fn class_id(dom: &Dom<'_>, id: NodeId) -> String {
    let Some(e) = dom.element(id) else {
        return String::new();
    };
    let mut s = String::new();
    for key in ["class", "id"] {
        if let Some(v) = e.attr(key) {
            s.push_str(&v.to_ascii_lowercase());
            s.push(' ');
        }
    }
    s
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// Readability's class weight: +25 for article hints, −25 for furniture.
pub fn class_weight(ci: &str) -> i32 {
    if ci.is_empty() {
        return 0;
    }
    let mut w = 0;
    // An embedded post (`social-media-embed`, `twitter-tweet`'s wrapper)
    // is the article quoting someone, not a share bar.
    for part in ci
        .split(' ')
        .filter(|p| !p.is_empty() && !p.contains("embed"))
    {
        if NEGATIVE.iter().any(|n| part.contains(n))
            || tokens(part).any(|t| NEGATIVE_TOKENS.contains(&t))
        {
            w -= 25;
        }
        let strong = STRONG_NEGATIVE.iter().any(|n| part.contains(n));
        if !strong
            && (POSITIVE.iter().any(|n| part.contains(n))
                || tokens(part).any(|t| POSITIVE_TOKENS.contains(&t)))
        {
            w += 25;
        }
    }
    w.clamp(-50, 50)
}

/// Whether class/id mark an embedded post (a tweet, an Instagram or
/// TikTok post, a site's `social-media-embed` wrapper): the article
/// quoting someone, whose links are its own, not a share bar.
pub fn embedded(ci: &str) -> bool {
    ["embed", "twitter-tweet", "instagram-media", "tiktok"]
        .iter()
        .any(|e| ci.contains(e))
}

/// Whether class/id mark an element that is not worth scoring at all.
pub fn unlikely(ci: &str) -> bool {
    !ci.is_empty()
        && (UNLIKELY.iter().any(|u| ci.contains(u))
            || tokens(ci).any(|t| NEGATIVE_TOKENS.contains(&t)))
        && !MAYBE.iter().any(|m| ci.contains(m))
        && !embedded(ci)
}

/// Whether `text` (a block's whole text) is furniture: short and made of
/// one of [`FURNITURE_TEXT`].
pub fn furniture_text(text: &str) -> bool {
    if text.len() > 1000 {
        return false;
    }
    // A template's indentation is not length.
    let lower = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if lower.is_empty() || lower.chars().count() > 60 {
        return false;
    }
    // "(Image: Getty)": a credit in brackets is still a credit.
    let lower = lower.trim_start_matches(['(', '[']).to_string();
    FURNITURE_TEXT.iter().any(|f| lower.starts_with(f)) || dateline(&lower) || contact(&lower)
}

/// Openings of an inline teaser for other stories ("READ MORE: …",
/// "DON'T MISS …"), which carries its headlines along and so runs longer
/// than [`FURNITURE_TEXT`]'s short lines.
const TEASER_LEADS: &[&str] = &[
    "read more:",
    "see more:",
    "see also:",
    "more:",
    "related:",
    "don't miss",
    "don’t miss",
    "also read",
    "read also",
    "read next",
    "recommended:",
    "leggi anche",
    "lesen sie auch",
    "lire aussi",
    "相关阅读",
    "延伸阅读",
    "推荐阅读",
];

/// Whether `text` (a block with links in it) is an inline teaser or a
/// "follow us on …" line: one of [`TEASER_LEADS`], or "Follow …" naming
/// social networks, within 300 characters.
pub fn teaser_text(text: &str) -> bool {
    let lower = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if lower.chars().count() > 300 {
        return false;
    }
    let networks = ["facebook", "twitter", "instagram", "youtube", "whatsapp"];
    TEASER_LEADS.iter().any(|l| lower.starts_with(l))
        || (lower.starts_with("follow ")
            && networks.iter().filter(|n| lower.contains(*n)).count() >= 2)
}

/// "By Jo Doe - 11/18/19 11:04 PM", "Published 4:00 am CST, …",
/// "Photo: …": bylines, datelines and credits (short, and for bylines
/// with a digit, so "By the end of May…" stays).
fn dateline(lower: &str) -> bool {
    let credit = [
        "photo:",
        "photograph:",
        "image:",
        "credit:",
        "photo credit",
        "getty images",
    ];
    if credit.iter().any(|c| lower.starts_with(c)) {
        return true;
    }
    let lead = [
        "by ",
        "published",
        "updated",
        "posted",
        "last updated",
        "发布时间",
        "来源：",
    ];
    // "… 1:23 p.m." ends a dateline, not a sentence.
    let t = lower.trim_end();
    let sentence = t.ends_with('.') && !t.ends_with("a.m.") && !t.ends_with("p.m.");
    lead.iter().any(|l| lower.starts_with(l))
        && lower.chars().any(|c| c.is_ascii_digit())
        && !sentence
}

/// A line that is only an e-mail address or a social profile link.
fn contact(lower: &str) -> bool {
    let one_word = !lower.contains(char::is_whitespace);
    one_word
        && (lower.contains('@') && lower.contains('.')
            || ["twitter.com/", "facebook.com/", "instagram.com/", "x.com/"]
                .iter()
                .any(|s| lower.contains(s)))
}

/// Han, kana: scripts written without spaces, where one character carries
/// about as much as a short word.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2ffff)
}

/// Text length in "Latin characters": whitespace not counted, an
/// unspaced-script character counts three.
pub fn weight(text: &str) -> u32 {
    text.chars()
        .map(|c| {
            if c.is_whitespace() {
                0
            } else if is_unspaced(c) {
                3
            } else {
                1
            }
        })
        .sum()
}

/// Commas, also the full-width and ideographic ones.
pub fn commas(text: &str) -> u32 {
    text.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_class_names() {
        assert!(class_weight("zw ") > 0);
        assert!(class_weight("trs_editor ") > 0);
        assert!(class_weight("xgxw ") < 0);
        assert!(unlikely("xgxw "));
        assert!(!unlikely("article-content sidebar "));
        // "pl" as a token, not inside "template".
        assert!(unlikely("pl "));
        assert!(!unlikely("template "));
    }

    #[test]
    fn chinese_text_weighs_more_per_character() {
        assert_eq!(weight("正文 ab"), 8);
        assert!(furniture_text(" 分享到： 微信 微博"));
        assert!(furniture_text("责任编辑：张三"));
        assert!(!furniture_text(
            "Sharing is what this long paragraph is about, and it goes on and on."
        ));
    }
}
