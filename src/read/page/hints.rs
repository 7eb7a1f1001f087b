//! What an element's tag, class and id say about it: the word lists the
//! extraction scores with, English and Chinese sites' habits (pinyin class
//! names such as `zw` 正文, `xgxw` 相关新闻, `TRS_Editor`), and the short
//! texts of page furniture (分享到, 扫码关注, "Share this").

pub use super::classes::{class_weight, embedded, unlikely, ClassId};

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

/// Whether `text` (a block's whole text) is furniture: short and made of
/// one of [`FURNITURE_TEXT`].
pub fn furniture_text(text: &str) -> bool {
    if text.len() > 1000 {
        return false;
    }
    if !opens_like_furniture(text) {
        return false;
    }
    // A template's indentation is not length.
    let Some(lower) = fold_lower(text, 60) else {
        return false;
    };
    if lower.is_empty() || lower.chars().count() > 60 {
        return false;
    }
    // "(Image: Getty)": a credit in brackets is still a credit.
    let lower = lower.trim_start_matches(['(', '[']);
    let first = lower.as_bytes().first();
    FURNITURE_TEXT
        .iter()
        .any(|f| f.as_bytes().first() == first && lower.starts_with(f))
        || dateline(lower)
        || contact(lower)
}

/// Whether [`furniture_text`] could hold for `text`, asked before folding
/// and lowercasing it: it must open as one of the lists does (after the
/// brackets a credit may sit in), or be one word with an `@` or a `/` in
/// it, as an address is ([`contact`]).
fn opens_like_furniture(text: &str) -> bool {
    let opening = text.trim_start().trim_start_matches(['(', '[']);
    let Some(first) = opening.chars().next() else {
        return false;
    };
    let first = first.to_lowercase().next().unwrap_or(first);
    let mut utf8 = [0; 4];
    let first = first.encode_utf8(&mut utf8).as_bytes();
    let opens = OPENINGS[usize::from(first[0])]
        && FURNITURE_TEXT
            .iter()
            .chain(CREDITS)
            .chain(DATELINE_LEADS)
            .any(|f| f.as_bytes().starts_with(first));
    opens || (text.split_whitespace().nth(1).is_none() && text.contains(['@', '/']))
}

/// The first bytes of the entries of the lists [`furniture_text`] looks
/// for at a text's start.
const OPENINGS: [bool; 256] = first_bytes(&[FURNITURE_TEXT, CREDITS, DATELINE_LEADS]);

const fn first_bytes(lists: &[&[&str]]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < lists.len() {
        let mut j = 0;
        while j < lists[i].len() {
            if let Some(&b) = lists[i][j].as_bytes().first() {
                table[b as usize] = true;
            }
            j += 1;
        }
        i += 1;
    }
    table
}

/// `text`'s words joined by single spaces, lower-cased; None when longer
/// than `max` characters before lowercasing (which never shortens a
/// character, so the caller's own length check would refuse it). ASCII
/// text, most of what is asked, is folded in one pass over its bytes.
fn fold_lower(text: &str, max: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len().min(4 * max));
    if !text.is_ascii() {
        let mut chars = 0;
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
                chars += 1;
            }
            out.push_str(word);
            chars += word.chars().count();
            if chars > max {
                return None;
            }
        }
        return Some(out.to_lowercase());
    }
    let mut gap = false;
    for b in text.bytes() {
        // `char::is_whitespace` over ASCII: tab to carriage return, space.
        if matches!(b, b'\t'..=b'\r' | b' ') {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
        if out.len() > max {
            return None;
        }
    }
    Some(out)
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
    let Some(lower) = fold_lower(text, 300) else {
        return false;
    };
    if lower.chars().count() > 300 {
        return false;
    }
    let networks = ["facebook", "twitter", "instagram", "youtube", "whatsapp"];
    TEASER_LEADS.iter().any(|l| lower.starts_with(l))
        || (lower.starts_with("follow ")
            && networks.iter().filter(|n| lower.contains(*n)).count() >= 2)
}

/// Openings of a photo credit.
const CREDITS: &[&str] = &[
    "photo:",
    "photograph:",
    "image:",
    "credit:",
    "photo credit",
    "getty images",
];

/// Openings of a byline or dateline (with a digit somewhere after).
const DATELINE_LEADS: &[&str] = &[
    "by ",
    "published",
    "updated",
    "posted",
    "last updated",
    "发布时间",
    "来源：",
];

/// "By Jo Doe - 11/18/19 11:04 PM", "Published 4:00 am CST, …",
/// "Photo: …": bylines, datelines and credits (short, and for bylines
/// with a digit, so "By the end of May…" stays).
fn dateline(lower: &str) -> bool {
    if CREDITS.iter().any(|c| lower.starts_with(c)) {
        return true;
    }
    // "… 1:23 p.m." ends a dateline, not a sentence.
    let t = lower.trim_end();
    let sentence = t.ends_with('.') && !t.ends_with("a.m.") && !t.ends_with("p.m.");
    DATELINE_LEADS.iter().any(|l| lower.starts_with(l))
        && lower.chars().any(|c| c.is_ascii_digit())
        && !sentence
}

/// A line that is only an e-mail address or a social profile link.
fn contact(lower: &str) -> bool {
    let one_word = !lower.contains(char::is_whitespace);
    one_word
        && (lower.contains('@') && lower.contains('.')
            || lower.contains(".com/")
                && ["twitter.com/", "facebook.com/", "instagram.com/", "x.com/"]
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

/// [`weight`] and [`commas`] in one pass, bytewise for ASCII text (most
/// of a page's text nodes are white space between tags).
pub fn weight_and_commas(text: &str) -> (u32, u32) {
    if !text.is_ascii() {
        return text.chars().fold((0, 0), |(w, c), ch| {
            let weight = if ch.is_whitespace() {
                0
            } else if is_unspaced(ch) {
                3
            } else {
                1
            };
            let comma = matches!(ch, ',' | '，' | '、' | '،');
            (w + weight, c + u32::from(comma))
        });
    }
    let mut w = 0;
    let mut c = 0;
    for b in text.bytes() {
        // `char::is_whitespace` over ASCII: tab to carriage return, space.
        w += u32::from(!matches!(b, b'\t'..=b'\r' | b' '));
        c += u32::from(b == b',');
    }
    (w, c)
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
        assert_eq!(weight_and_commas("正文，ab,"), (10, 2));
        // The ASCII path counts as the general one does, byte by byte.
        for b in 0u8..128 {
            let folded = format!(" A{}b\u{b} ", b as char);
            let general = folded.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(fold_lower(&folded, 60), Some(general.to_lowercase()));
            let s = format!("a{}", b as char);
            assert_eq!(weight_and_commas(&s), (weight(&s), commas(&s)), "byte {b}");
        }
        assert_eq!(weight_and_commas(" a,\u{b}b\t\n"), (3, 1));
        assert!(furniture_text(" 分享到： 微信 微博"));
        assert!(furniture_text("(Image: Getty)"));
        assert!(furniture_text("SHARE THIS story"));
        assert!(furniture_text("jo@example.com"));
        assert!(!furniture_text("这是一段 普通的 正文"));
        assert!(furniture_text("责任编辑：张三"));
        assert!(!furniture_text(
            "Sharing is what this long paragraph is about, and it goes on and on."
        ));
    }
}
