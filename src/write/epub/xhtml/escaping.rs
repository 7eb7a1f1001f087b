//! Text as XHTML: escaping, the characters XML allows, one-line text for
//! metadata, and the link rule.

/// Appends `text` escaped for XHTML element content and attribute values,
/// dropping characters XML 1.0 forbids (C0 controls other than tab and
/// newline) or discourages (C1 controls, U+FFFE, U+FFFF), which scraped
/// pages do contain and which make a whole e-book unreadable.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `text` escaped (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// True for characters allowed (and not discouraged) in XML 1.0 content.
pub fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\x08' | '\x0b' | '\x0c' | '\x0e'..='\x1f' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// One line of plain text for metadata and the table of contents: invalid
/// characters dropped, runs of whitespace folded to one space.
pub fn clean_line(text: &str) -> String {
    text.split_whitespace()
        .flat_map(|word| [" ", word])
        .skip(1)
        .collect::<String>()
        .chars()
        .filter(|&c| is_xml_char(c))
        .collect()
}

pub use crate::links::safe_href;
