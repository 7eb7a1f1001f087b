//! Character references: `&name;`, `&#123;`, `&#x7B;`, decoded the way the
//! HTML standard's tokenizer does (longest named match, legacy names without
//! `;`, and the standard's replacements for invalid numeric code points).

use super::entity_table::NAMED;
use std::borrow::Cow;

/// The longest name in the table (`&CounterClockwiseContourIntegral;`).
const MAX_NAME: usize = 32;

/// Decodes every character reference in `raw`. Borrows when there is none.
/// `in_attribute` applies the standard's attribute rule: a legacy reference
/// without `;` followed by `=` or an alphanumeric is left as written
/// (`?a=1&copy=2` in a URL stays intact).
pub fn decode(raw: &str, in_attribute: bool) -> Cow<'_, str> {
    let Some(first) = raw.find('&') else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut rest = &raw[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match reference(after, in_attribute) {
            Some((consumed, text)) => {
                out.push_str(text.as_ref());
                rest = &after[consumed..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Replacement text for the reference at the start of `s` (just after `&`)
/// and how many bytes it used, or None when `&` is literal.
fn reference(s: &str, in_attribute: bool) -> Option<(usize, Cow<'static, str>)> {
    if let Some(num) = s.strip_prefix('#') {
        return numeric(num).map(|(n, c)| (n + 1, Cow::Owned(c.to_string())));
    }
    named(s, in_attribute).map(|(n, t)| (n, Cow::Borrowed(t)))
}

/// `#` already consumed: decimal or `x` hexadecimal digits, optional `;`.
fn numeric(s: &str) -> Option<(usize, char)> {
    let bytes = s.as_bytes();
    let (radix, start) = match bytes.first() {
        Some(b'x' | b'X') => (16, 1),
        _ => (10, 0),
    };
    let digits = bytes[start..]
        .iter()
        .take_while(|b| (*b).is_ascii_digit() || (radix == 16 && b.is_ascii_hexdigit()))
        .count();
    if digits == 0 {
        return None;
    }
    let mut value: u32 = 0;
    for &b in &bytes[start..start + digits] {
        let d = (b as char).to_digit(radix).unwrap_or(0);
        // Saturate: anything past U+10FFFF is replaced anyway.
        value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
    }
    let mut used = start + digits;
    if bytes.get(used) == Some(&b';') {
        used += 1;
    }
    Some((used, numeric_char(value)))
}

/// The standard's mapping of a numeric reference's value to a character.
pub fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => windows_1252(value),
        0xD800..=0xDFFF => '\u{FFFD}',
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    }
}

/// C1 controls in numeric references mean windows-1252 (the standard's table).
fn windows_1252(value: u32) -> char {
    const TABLE: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let mapped = TABLE[(value - 0x80) as usize];
    char::from_u32(mapped).unwrap_or('\u{FFFD}')
}

/// Longest named reference at the start of `s`.
fn named(s: &str, in_attribute: bool) -> Option<(usize, &'static str)> {
    let bytes = s.as_bytes();
    let alnum = bytes
        .iter()
        .take(MAX_NAME)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if alnum == 0 {
        return None;
    }
    // Full form first: `name;`.
    if bytes.get(alnum) == Some(&b';') {
        if let Some(text) = lookup(&s[..alnum + 1]) {
            return Some((alnum + 1, text));
        }
    }
    // Legacy forms without `;`: the longest prefix that is in the table.
    for len in (2..=alnum.min(6)).rev() {
        if let Some(text) = lookup(&s[..len]) {
            let next = bytes.get(len).copied();
            let blocked =
                matches!(next, Some(b'=')) || next.is_some_and(|b| b.is_ascii_alphanumeric());
            if in_attribute && blocked {
                return None;
            }
            return Some((len, text));
        }
    }
    None
}

fn lookup(name: &str) -> Option<&'static str> {
    NAMED
        .binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
        .ok()
        .map(|i| NAMED[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_sorted() {
        assert_eq!(NAMED.len(), 2231);
        assert!(NAMED
            .windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes()));
    }

    #[test]
    fn named_numeric_and_legacy() {
        assert_eq!(decode("a &amp; b", false), "a & b");
        assert_eq!(decode("&#123;&#125;&#x7d;", false), "{}}");
        assert_eq!(decode("&nbsp;x&copy", false), "\u{a0}x©");
        assert_eq!(decode("&notit;", false), "¬it;");
        assert_eq!(decode("&CounterClockwiseContourIntegral;", false), "∳");
        assert_eq!(decode("&acE;", false), "\u{223E}\u{333}");
        assert_eq!(decode("&unknown; & &", false), "&unknown; & &");
    }

    #[test]
    fn invalid_numeric_references_are_replaced() {
        assert_eq!(decode("&#0;", false), "\u{FFFD}");
        assert_eq!(decode("&#x80;&#150;", false), "€–");
        assert_eq!(
            decode("&#xD800;&#x110000;&#99999999999;", false),
            "\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(decode("&#;&#x;", false), "&#;&#x;");
    }

    #[test]
    fn attribute_rule_keeps_query_strings() {
        assert_eq!(decode("?a=1&copy=2", true), "?a=1&copy=2");
        assert_eq!(decode("?a=1&copy=2", false), "?a=1©=2");
        assert_eq!(decode("x&amp;y", true), "x&y");
    }
}
