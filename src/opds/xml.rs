//! Just enough XML for the catalog: a tolerant tag scanner for OPF and
//! container files (books in the wild are not always well-formed, and a
//! full XML crate would cost more crates than the budget allows), and
//! escaping for the feeds conv writes.

/// One start or end tag.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    /// Local name (prefix dropped): `title` for `<dc:title>`.
    pub name: &'a str,
    /// The raw attribute text.
    pub attrs: &'a str,
    /// `</name>`.
    pub closing: bool,
    /// Byte offset just after the tag's `>`.
    pub end: usize,
}

/// The tags of `xml` in order; comments, processing instructions, CDATA
/// and declarations are skipped.
pub fn tags(xml: &str) -> impl Iterator<Item = Tag<'_>> {
    let mut pos = 0;
    std::iter::from_fn(move || loop {
        let start = pos + xml.get(pos..)?.find('<')?;
        let rest = &xml[start..];
        let skip_to = |end: &str| rest.find(end).map(|i| start + i + end.len());
        if rest.starts_with("<!--") {
            pos = skip_to("-->").unwrap_or(xml.len());
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            pos = skip_to("]]>").unwrap_or(xml.len());
            continue;
        }
        if rest.starts_with("<?") || rest.starts_with("<!") {
            pos = skip_to(">").unwrap_or(xml.len());
            continue;
        }
        let end = match tag_end(rest) {
            Some(i) => start + i + 1,
            None => return None,
        };
        pos = end;
        let inner = xml[start + 1..end - 1].trim_end_matches('/');
        let (closing, inner) = match inner.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let name_len = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let qname = &inner[..name_len];
        let name = qname.rsplit(':').next().unwrap_or(qname);
        if name.is_empty() {
            continue;
        }
        return Some(Tag {
            name,
            attrs: &inner[name_len..],
            closing,
            end,
        });
    })
}

/// The index of the `>` that ends the tag at the start of `s`, skipping
/// quoted attribute values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` (matched by local name), decoded.
pub fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    loop {
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let quote = after.chars().next()?;
        let (value, next) = if quote == '"' || quote == '\'' {
            let close = after[1..].find(quote)? + 1;
            (&after[1..close], &after[close + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        let local = key.rsplit(':').next().unwrap_or(key);
        if local == name {
            return Some(decode_entities(value));
        }
        rest = next;
    }
}

/// The text from `from` up to the next tag, decoded and trimmed.
pub fn text_after(xml: &str, from: usize) -> String {
    let rest = xml.get(from..).unwrap_or_default();
    let text = &rest[..rest.find('<').unwrap_or(rest.len())];
    let text = decode_entities(text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the five predefined entities and numeric character references;
/// anything else is left as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Byte search: `;` is ASCII, so `semi` is a character boundary.
        let window = &rest.as_bytes()[..rest.len().min(12)];
        let Some(semi) = window.iter().position(|&b| b == b';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(|n| n.ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` escaped for XML content and attribute values, without the
/// characters XML 1.0 forbids (a book's title can hold anything).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_skip_comments_and_keep_quoted_brackets() {
        let xml = r#"<?xml?><!-- <x> --><a b="1>2" c='&amp;'/><dc:t>T</dc:t>"#;
        let found: Vec<_> = tags(xml).map(|t| (t.name, t.closing)).collect();
        assert_eq!(found, [("a", false), ("t", false), ("t", true)]);
        let a = tags(xml).next().unwrap();
        assert_eq!(attr(a.attrs, "b").as_deref(), Some("1>2"));
        assert_eq!(attr(a.attrs, "c").as_deref(), Some("&"));
        assert_eq!(attr(a.attrs, "d"), None);
    }

    #[test]
    fn broken_markup_does_not_panic() {
        for xml in ["<", "<a b=", "<a b='x", "&#xffffffff;", "<:x>", "</>"] {
            let _ = tags(xml).count();
            let _ = decode_entities(xml);
            let _ = attr(xml, "b");
        }
        assert_eq!(decode_entities("a &bogus; &#20013;"), "a &bogus; 中");
    }

    #[test]
    fn escaping_drops_forbidden_characters() {
        assert_eq!(escape("a<b & \u{1}\"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
