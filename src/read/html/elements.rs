//! One table of facts about HTML element names, consulted by the tokenizer
//! (raw text), the tree builder (the standard's categories), the clean-up
//! and the mapping to the model, instead of a hand-kept list in each.
//!
//! A name is a row of flags; names not in the table have none. Rows are
//! sorted for binary search (a test checks the order).

/// Special in the standard's sense (ends formatting, bounds list-item search).
pub const SPECIAL: u32 = 1 << 0;
/// A formatting element (active formatting list, adoption agency).
pub const FORMATTING: u32 = 1 << 1;
/// A start tag that closes an open `p` and opens a block.
pub const CLOSES_P: u32 = 1 << 2;
/// An end tag that closes a block in scope with implied end tags.
pub const BLOCK_END: u32 = 1 << 3;
/// `h1`…`h6`.
pub const HEADING: u32 = 1 << 4;
/// Closed by "generate implied end tags".
pub const IMPLIED_END: u32 = 1 << 5;
/// A boundary of the default element scope.
pub const SCOPE: u32 = 1 << 6;
/// Changes the insertion mode while open (table parts, select).
pub const MODE: u32 = 1 << 7;
/// `tbody`, `thead`, `tfoot`.
pub const TABLE_SECTION: u32 = 1 << 8;
/// Text or misplaced tags inside it are foster-parented.
pub const FOSTER: u32 = 1 << 9;
/// An HTML start tag that ends SVG/MathML content.
pub const BREAKOUT: u32 = 1 << 10;
/// An HTML element name (inside pre/code, other tags are source text).
pub const KNOWN: u32 = 1 << 11;
/// Markup syntax highlighters put in code, kept even in capitals.
pub const CODE_MARKUP: u32 = 1 << 12;
/// Mapping: skipped with its content.
pub const SKIP: u32 = 1 << 13;
/// Mapping: flattened into the flow between block boundaries.
pub const CONTAINER: u32 = 1 << 14;
/// Clean-up: removed with its content.
pub const DROP: u32 = 1 << 15;
/// Clean-up: the block a text rule removes.
pub const TEXT_BLOCK: u32 = 1 << 16;
/// Its content is not text a reader sees.
pub const HIDDEN: u32 = 1 << 17;
/// Raw text: content runs to the close tag, references not decoded.
pub const RAW_TEXT: u32 = 1 << 18;
/// Like raw text, but character references are decoded.
pub const RCDATA: u32 = 1 << 19;

/// Every element name with a fact, sorted, lowercase.
#[rustfmt::skip]
const TABLE: &[(&str, u32)] = &[
    ("a", FORMATTING | KNOWN | CODE_MARKUP),
    ("abbr", KNOWN),
    ("acronym", KNOWN),
    ("address", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("applet", SPECIAL | SCOPE | KNOWN | DROP),
    ("area", SPECIAL | KNOWN | SKIP),
    ("article", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("aside", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER | TEXT_BLOCK),
    ("audio", KNOWN),
    ("b", FORMATTING | BREAKOUT | KNOWN | CODE_MARKUP),
    ("base", SPECIAL | KNOWN | DROP),
    ("basefont", SPECIAL | KNOWN),
    ("bdi", KNOWN),
    ("bdo", KNOWN),
    ("bgsound", SPECIAL | KNOWN),
    ("big", FORMATTING | BREAKOUT | KNOWN),
    ("blink", KNOWN),
    ("blockquote", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("body", SPECIAL | BREAKOUT | KNOWN | CONTAINER),
    ("br", SPECIAL | BREAKOUT | KNOWN | CODE_MARKUP),
    ("button", SPECIAL | BLOCK_END | KNOWN | DROP),
    ("canvas", KNOWN),
    ("caption", SPECIAL | SCOPE | MODE | KNOWN | CONTAINER),
    ("center", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | CONTAINER | TEXT_BLOCK),
    ("cite", KNOWN),
    ("code", FORMATTING | BREAKOUT | KNOWN),
    ("col", SPECIAL | KNOWN | SKIP),
    ("colgroup", SPECIAL | MODE | KNOWN | SKIP),
    ("data", KNOWN),
    ("datalist", KNOWN),
    ("dd", SPECIAL | IMPLIED_END | BREAKOUT | KNOWN | CONTAINER | TEXT_BLOCK),
    ("del", KNOWN),
    ("details", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("dfn", KNOWN),
    ("dialog", CLOSES_P | BLOCK_END | KNOWN | CONTAINER | DROP),
    ("dir", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("div", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | CONTAINER | TEXT_BLOCK),
    ("dl", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("dt", SPECIAL | IMPLIED_END | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("em", FORMATTING | BREAKOUT | KNOWN | CODE_MARKUP),
    ("embed", SPECIAL | BREAKOUT | KNOWN),
    ("fieldset", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("figcaption", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER | TEXT_BLOCK),
    ("figure", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | TEXT_BLOCK),
    ("font", FORMATTING | KNOWN | CODE_MARKUP),
    ("footer", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER | TEXT_BLOCK),
    ("form", SPECIAL | KNOWN | CONTAINER),
    ("frame", SPECIAL | KNOWN),
    ("frameset", SPECIAL | KNOWN | CONTAINER),
    ("h1", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("h2", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("h3", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("h4", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("h5", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("h6", SPECIAL | HEADING | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("head", SPECIAL | BREAKOUT | KNOWN | SKIP),
    ("header", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER | TEXT_BLOCK),
    ("hgroup", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("hr", SPECIAL | BREAKOUT | KNOWN),
    ("html", SPECIAL | SCOPE | KNOWN | CONTAINER),
    ("i", FORMATTING | BREAKOUT | KNOWN | CODE_MARKUP),
    ("iframe", SPECIAL | KNOWN | HIDDEN | RAW_TEXT),
    ("image", KNOWN),
    ("img", SPECIAL | BREAKOUT | KNOWN),
    ("input", SPECIAL | KNOWN | DROP),
    ("ins", KNOWN),
    ("kbd", KNOWN),
    ("keygen", SPECIAL | KNOWN),
    ("label", KNOWN),
    ("legend", KNOWN | CONTAINER),
    ("li", SPECIAL | IMPLIED_END | BREAKOUT | KNOWN | CONTAINER | TEXT_BLOCK),
    ("link", SPECIAL | KNOWN | SKIP | DROP),
    ("listing", SPECIAL | BLOCK_END | BREAKOUT | KNOWN),
    ("main", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("map", KNOWN | SKIP),
    ("mark", KNOWN),
    ("marquee", SPECIAL | SCOPE | KNOWN | CONTAINER),
    ("math", KNOWN),
    ("menu", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN),
    ("meta", SPECIAL | BREAKOUT | KNOWN | SKIP | DROP),
    ("meter", KNOWN),
    ("nav", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("nobr", FORMATTING | BREAKOUT | KNOWN),
    ("noembed", SPECIAL | KNOWN | SKIP | HIDDEN | RAW_TEXT),
    ("noframes", SPECIAL | KNOWN | SKIP | DROP | HIDDEN | RAW_TEXT),
    ("noscript", SPECIAL | KNOWN | SKIP | DROP | HIDDEN | RAW_TEXT),
    ("object", SPECIAL | SCOPE | KNOWN | DROP),
    ("ol", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("optgroup", IMPLIED_END | KNOWN | CONTAINER),
    ("option", IMPLIED_END | KNOWN | CONTAINER),
    ("output", KNOWN),
    ("p", SPECIAL | CLOSES_P | IMPLIED_END | BREAKOUT | KNOWN | CONTAINER | TEXT_BLOCK),
    ("param", SPECIAL | KNOWN | SKIP),
    ("picture", KNOWN),
    ("plaintext", SPECIAL | KNOWN | RAW_TEXT),
    ("pre", SPECIAL | BLOCK_END | BREAKOUT | KNOWN),
    ("progress", KNOWN),
    ("q", KNOWN),
    ("rb", IMPLIED_END | KNOWN),
    ("rp", IMPLIED_END | KNOWN | SKIP),
    ("rt", IMPLIED_END | KNOWN),
    ("rtc", IMPLIED_END | KNOWN),
    ("ruby", BREAKOUT | KNOWN),
    ("s", FORMATTING | BREAKOUT | KNOWN),
    ("samp", KNOWN),
    ("script", SPECIAL | KNOWN | SKIP | DROP | HIDDEN | RAW_TEXT),
    ("search", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("section", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER | TEXT_BLOCK),
    ("select", SPECIAL | MODE | KNOWN | CONTAINER | DROP),
    ("slot", KNOWN),
    ("small", FORMATTING | BREAKOUT | KNOWN),
    ("source", SPECIAL | KNOWN | SKIP),
    ("span", BREAKOUT | KNOWN | CODE_MARKUP),
    ("strike", FORMATTING | BREAKOUT | KNOWN),
    ("strong", FORMATTING | BREAKOUT | KNOWN | CODE_MARKUP),
    ("style", SPECIAL | KNOWN | SKIP | DROP | HIDDEN | RAW_TEXT),
    ("sub", BREAKOUT | KNOWN),
    ("summary", SPECIAL | CLOSES_P | BLOCK_END | KNOWN | CONTAINER),
    ("sup", BREAKOUT | KNOWN),
    ("svg", KNOWN | SKIP),
    ("table", SPECIAL | SCOPE | MODE | FOSTER | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("tbody", SPECIAL | MODE | TABLE_SECTION | FOSTER | KNOWN | CONTAINER),
    ("td", SPECIAL | SCOPE | MODE | KNOWN | CONTAINER | TEXT_BLOCK),
    ("template", SPECIAL | SCOPE | KNOWN | SKIP | DROP | HIDDEN),
    ("textarea", SPECIAL | KNOWN | CONTAINER | DROP | RCDATA),
    ("tfoot", SPECIAL | MODE | TABLE_SECTION | FOSTER | KNOWN | CONTAINER),
    ("th", SPECIAL | SCOPE | MODE | KNOWN | CONTAINER | TEXT_BLOCK),
    ("thead", SPECIAL | MODE | TABLE_SECTION | FOSTER | KNOWN | CONTAINER),
    ("time", KNOWN),
    ("title", SPECIAL | KNOWN | SKIP | DROP | RCDATA),
    ("tr", SPECIAL | MODE | FOSTER | KNOWN | CONTAINER),
    ("track", SPECIAL | KNOWN | SKIP),
    ("tt", FORMATTING | BREAKOUT | KNOWN),
    ("u", FORMATTING | BREAKOUT | KNOWN | CODE_MARKUP),
    ("ul", SPECIAL | CLOSES_P | BLOCK_END | BREAKOUT | KNOWN | TEXT_BLOCK),
    ("var", BREAKOUT | KNOWN),
    ("video", KNOWN),
    ("wbr", SPECIAL | KNOWN),
    ("xmp", SPECIAL | KNOWN | HIDDEN | RAW_TEXT),
];

/// The table row for `name` (compared ASCII-case-insensitively), if any.
fn row(name: &str) -> Option<&'static (&'static str, u32)> {
    // The tokenizer lower-cases tag names, so the usual key compares as it
    // is (a plain `str` comparison, memcmp); only other callers pay for a
    // lower-cased copy. This lookup runs several times per element.
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return row_of_lowercase(&name.to_ascii_lowercase());
    }
    row_of_lowercase(name)
}

fn row_of_lowercase(name: &str) -> Option<&'static (&'static str, u32)> {
    TABLE
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| &TABLE[i])
}

/// The flags of element `name` (0 for names without facts).
pub fn facts(name: &str) -> u32 {
    row(name).map_or(0, |r| r.1)
}

/// Whether element `name` has every flag in `flag`.
pub fn is(name: &str, flag: u32) -> bool {
    flag != 0 && facts(name) & flag == flag
}

/// The table's own spelling of `name` (lowercase, `'static`), if it has a row.
pub fn canonical(name: &str) -> Option<&'static str> {
    row(name).map(|r| r.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_lowercase() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TABLE
            .iter()
            .all(|(n, _)| !n.bytes().any(|b| b.is_ascii_uppercase())));
    }

    #[test]
    fn lookups() {
        assert!(is("P", CLOSES_P));
        assert!(is("h3", HEADING | SPECIAL));
        assert!(!is("span", SPECIAL));
        assert!(!is("widget", KNOWN));
        assert_eq!(facts("no-such"), 0);
        assert_eq!(canonical("SCRIPT"), Some("script"));
    }
}
