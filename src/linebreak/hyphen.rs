//! Break points inside words and long tokens: hyphenation points of words
//! by the text's language (typst's `hypher`, TeX's patterns built in), and
//! the places a URL or identifier may break without a mark.

use super::total_fit::Extra;
use crate::text::is_cjk;
pub use hypher::Lang;

/// Fewest letters a hyphen may leave before it and carry after it (TeX's
/// English `\lefthyphenmin` 2 and `\righthyphenmin` 3).
const LEFT_MIN: usize = 2;
const RIGHT_MIN: usize = 3;
/// Shortest word worth hyphenating.
const MIN_WORD: usize = 5;
/// Shortest token treated as a URL or identifier that may break inside.
const MIN_TOKEN: usize = 12;

/// The hyphenation language of a document whose language tag is `tag`.
/// Chinese, Japanese and Korean documents (and documents that do not say)
/// hyphenate their Latin words as English, which they nearly always are;
/// a language without patterns is not hyphenated.
pub fn hyphenation_lang(tag: Option<&str>) -> Option<Lang> {
    let tag = tag.unwrap_or("en").trim();
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_bytes() {
        b"" | b"zh" | b"ja" | b"ko" | b"zho" | b"jpn" | b"kor" | b"eng" => Some(Lang::English),
        &[a, b] => Lang::from_iso([a, b]),
        _ => None,
    }
}

/// Appends to `out` the break points inside the tokens of `text` that
/// `allowed(pos, kind)` admits (the caller rules out hyphens in code): hyphenation
/// points of plain words in `lang`, and in URLs and long identifiers the
/// places after `/ ? & = . - _ #` and between a lower-case letter and a
/// capital ("Scrollable|State"). The result is sorted by position.
pub fn word_breaks(
    text: &str,
    lang: Option<Lang>,
    allowed: impl Fn(usize, Extra) -> bool,
    out: &mut Vec<(usize, Extra)>,
) {
    for (start, token) in tokens(text) {
        if token.chars().count() >= MIN_TOKEN && is_breakable_token(token) {
            let n = out.len();
            out.extend(
                token_breaks(token)
                    .map(|p| start + p)
                    .filter(|&p| allowed(p, Extra::Url))
                    .map(|p| (p, Extra::Url)),
            );
            // URLs and absolute paths (a relative link's note "/users/…")
            // may also break between characters, at a high price, so a
            // part without separators never leaves a letter-spaced line.
            if token.contains("://") || token.starts_with('/') {
                let seps: Vec<usize> = out[n..].iter().map(|&(p, _)| p).collect();
                out.extend(
                    char_breaks(token)
                        .map(|p| start + p)
                        .filter(|p| allowed(*p, Extra::Char) && seps.binary_search(p).is_err())
                        .map(|p| (p, Extra::Char)),
                );
            }
            continue;
        }
        let Some(lang) = lang else { continue };
        for (off, word) in words(token) {
            let (mut pos, end) = (start + off, start + off + word.len());
            for syllable in hypher::hyphenate_bounded(word, lang, LEFT_MIN, RIGHT_MIN) {
                pos += syllable.len();
                if pos < end && allowed(pos, Extra::Hyphen) {
                    out.push((pos, Extra::Hyphen));
                }
            }
        }
    }
    out.sort();
}

/// Maximal runs of `text` without spaces and without CJK characters, with
/// their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = 0;
    std::iter::from_fn(move || {
        let sep = |c: char| c.is_whitespace() || is_cjk(c);
        let tail = &text[rest..];
        let skip = tail.find(|c: char| !sep(c))?;
        let start = rest + skip;
        let len = text[start..].find(sep).unwrap_or(text.len() - start);
        rest = start + len;
        Some((start, &text[start..start + len]))
    })
}

/// A token that reads as a URL, a path or an identifier rather than a word:
/// it has a separator between letters or digits, or a lower-case letter
/// followed by a capital.
fn is_breakable_token(token: &str) -> bool {
    token.contains("://") || token_breaks(token).next().is_some()
}

/// Offsets inside `token` after which it may break: after a run of
/// separators that has something on both sides, and at a lower-to-upper
/// case change. Never inside `//`, nor right after the token's start.
fn token_breaks(token: &str) -> impl Iterator<Item = usize> + '_ {
    let chars: Vec<(usize, char)> = token.char_indices().collect();
    let sep = |c: char| "/?&=.-_#".contains(c);
    (1..chars.len()).filter_map(move |k| {
        let (pos, c) = chars[k];
        let (_, prev) = chars[k - 1];
        // Not inside a number or version ("13.|0" would read as two).
        let in_number = prev == '.' && c.is_ascii_digit();
        let after_sep = sep(prev) && !sep(c) && k >= 2 && !in_number;
        let camel = prev.is_lowercase() && c.is_uppercase();
        (after_sep || camel).then_some(pos)
    })
}

/// Offsets between two characters of a URL, outside its `%XX` escapes and
/// not right after its start.
fn char_breaks(token: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = token.as_bytes();
    token
        .char_indices()
        .skip(2)
        .map(|(i, _)| i)
        .filter(move |&i| {
            let escape = |back: usize| i >= back && bytes[i - back] == b'%';
            // Not inside "%2F": neither one nor two bytes after a '%'.
            !escape(1) && !escape(2)
        })
}

/// The plain words of `token`: runs of letters at least [`MIN_WORD`] long,
/// lower-case after an optional capital (no acronyms, no camelCase), not
/// glued to digits.
fn words(token: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = token.len();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let word = &token[s..e];
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '_');
        let before = token[..s].chars().next_back();
        let after = token[e..].chars().next();
        let lower_tail = word.chars().skip(1).all(char::is_lowercase);
        if word.chars().count() >= MIN_WORD && lower_tail && !glued(before) && !glued(after) {
            out.push((s, e));
        }
    };
    for (i, c) in token.char_indices() {
        let letter = c.is_alphabetic() && !is_cjk(c);
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, bytes, &mut out);
    }
    out.into_iter().map(move |(s, e)| (s, &token[s..e]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaks(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        word_breaks(text, Some(Lang::English), |_, _| true, &mut out);
        let mut pieces = Vec::new();
        let mut last = 0;
        for (p, kind) in out.into_iter().filter(|e| e.1 != Extra::Char) {
            let mark = if kind == Extra::Hyphen { "-" } else { "|" };
            pieces.push(format!("{}{mark}", &text[last..p]));
            last = p;
        }
        pieces.push(text[last..].to_string());
        pieces
    }

    #[test]
    fn english_words_get_hyphenation_points() {
        assert_eq!(breaks("extensive").concat(), "ex-ten-sive");
        // Too short, acronyms and camelCase are left alone.
        assert_eq!(breaks("the NASA word").concat(), "the NASA word");
    }

    #[test]
    fn urls_break_after_separators_without_a_hyphen() {
        let got = breaks("https://example.com/path?a=1&b=2").concat();
        assert_eq!(got, "https://|example.|com/|path?|a=|1&|b=|2");
        assert_eq!(breaks("ScrollableState").concat(), "Scrollable|State");
        assert_eq!(
            breaks("13.0-RELEASE-candidate").concat(),
            "13.0-|RELEASE-|candidate"
        );
        // Anywhere in a URL but inside an escape, at a higher price.
        let mut out = Vec::new();
        word_breaks("http://a.b/%2Fxy", None, |_, _| true, &mut out);
        let chars: Vec<usize> = out
            .iter()
            .filter(|e| e.1 == Extra::Char)
            .map(|e| e.0)
            .collect();
        assert!(
            !chars.contains(&12) && !chars.contains(&13) && chars.contains(&15),
            "{out:?}"
        );
    }

    /// Readability's archive-of-our-own page: the note of a relative link,
    /// "[474] /users/0and0the0only0one0that0is0not0working0", had nowhere
    /// to break after "/users/" and was letter-spaced across the line.
    #[test]
    fn absolute_paths_may_break_between_characters_too() {
        let mut out = Vec::new();
        word_breaks("/users/0and0the0only0one", None, |_, _| true, &mut out);
        assert!(out.iter().any(|&(p, k)| k == Extra::Char && p > 10), "{out:?}");
        out.clear();
        word_breaks("a/b0and0the0only0one", None, |_, _| true, &mut out);
        assert!(out.iter().all(|&(_, k)| k != Extra::Char), "{out:?}");
    }

    #[test]
    fn languages_by_tag() {
        assert_eq!(hyphenation_lang(Some("zh-CN")), Some(Lang::English));
        assert_eq!(hyphenation_lang(Some("de-DE")), Some(Lang::German));
        assert_eq!(hyphenation_lang(None), Some(Lang::English));
        assert_eq!(hyphenation_lang(Some("xx")), None);
    }

    #[test]
    fn disallowed_positions_are_dropped() {
        let mut out = Vec::new();
        word_breaks("extensive", Some(Lang::English), |_, _| false, &mut out);
        assert!(out.is_empty());
    }
}
