//! The HTML tokenizer: a stream of tokens borrowing from the input, each with
//! its byte span. Markup rules are small nom parsers; text runs are found
//! with `str::find` (memchr underneath), so plain text costs one scan.
//!
//! Recovery follows the HTML standard where articles need it: `<` not
//! followed by a letter is text, a tag cut off by the end of input is dropped,
//! `<!-->` and `<!--->` are empty comments, `<!x>` and `<?x>` are bogus
//! comments, `</>` vanishes, and the content of raw-text elements runs to the
//! matching close tag. Nothing here panics on any input.

use super::elements;
use nom::bytes::complete::{tag, tag_no_case, take_till, take_until};
use nom::IResult;

/// A byte range of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One attribute as written: name as in the source, value raw (character
/// references not yet decoded; empty when the attribute has no value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    /// Attribute name, original case.
    pub name: &'a str,
    /// Raw value without its quotes.
    pub value: &'a str,
}

/// A start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag<'a> {
    /// Tag name as written (original case).
    pub name: &'a str,
    /// Attributes in source order (duplicates kept; the tree keeps the first).
    pub attrs: Vec<Attr<'a>>,
    /// `<x/>`.
    pub self_closing: bool,
    /// Where the whole tag is.
    pub span: Span,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name ...>`.
    StartTag(StartTag<'a>),
    /// `</name ...>` (attributes of end tags are dropped).
    EndTag { name: &'a str, span: Span },
    /// A run of text. `raw` is true for script/style-like content, in which
    /// character references are not decoded.
    Text {
        text: &'a str,
        span: Span,
        raw: bool,
    },
    /// `<!-- ... -->` or a bogus comment; `text` is the inside.
    Comment { text: &'a str, span: Span },
    /// `<!DOCTYPE ...>`; `text` is the inside.
    Doctype { text: &'a str, span: Span },
    /// `<![CDATA[ ... ]]>` (only in SVG/MathML; elsewhere it is a comment).
    CData { text: &'a str, span: Span },
}

impl Token<'_> {
    /// The token's byte range in the input.
    pub fn span(&self) -> Span {
        match self {
            Token::StartTag(t) => t.span,
            Token::EndTag { span, .. }
            | Token::Text { span, .. }
            | Token::Comment { span, .. }
            | Token::Doctype { span, .. }
            | Token::CData { span, .. } => *span,
        }
    }
}

/// Content mode after a start tag: where its content ends and whether
/// references in it are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RawMode {
    /// Lowercase name of the element whose close tag ends the text.
    name: &'static str,
    /// RCDATA (`textarea`, `title`) decodes references; raw text does not.
    decode: bool,
}

/// The tokenizer; an iterator of [`Token`]s.
pub struct Tokenizer<'a> {
    input: &'a str,
    pos: usize,
    raw: Option<RawMode>,
    /// Whether `<![CDATA[` opens a CDATA section (set by the tree builder
    /// when the current node is SVG or MathML).
    pub cdata_allowed: bool,
}

type R<'a, T> = IResult<&'a str, T, ()>;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer at the start of `input`.
    pub fn new(input: &'a str) -> Self {
        Tokenizer {
            input,
            pos: 0,
            raw: None,
            cdata_allowed: false,
        }
    }

    /// Undoes the raw-text mode a start tag just switched on (the tree builder
    /// calls it when that tag did not become an element of that kind).
    pub fn cancel_raw(&mut self) {
        self.raw = None;
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Text of a raw-text element, up to (not including) its close tag.
    fn raw_text(&mut self, mode: RawMode) -> Option<Token<'a>> {
        let start = self.pos;
        let rest = &self.input[start..];
        let len = if mode.name == "plaintext" {
            rest.len()
        } else {
            find_close_tag(rest, mode.name).unwrap_or(rest.len())
        };
        self.pos = start + len;
        (len > 0).then(|| Token::Text {
            text: &rest[..len],
            span: self.span(start, start + len),
            raw: !mode.decode,
        })
    }

    /// Text up to the next `<` after the first byte.
    fn text(&mut self, from: usize) -> Token<'a> {
        let start = self.pos;
        let end = self.input[from..]
            .find('<')
            .map_or(self.input.len(), |i| from + i);
        self.pos = end;
        Token::Text {
            text: &self.input[start..end],
            span: self.span(start, end),
            raw: false,
        }
    }

    /// Markup at `self.pos` (which is at `<`): the token and its length, a
    /// length with no token for markup that vanishes, or None when the `<`
    /// is text.
    fn markup(&self) -> Option<(usize, Option<Token<'a>>)> {
        let rest = &self.input[self.pos..];
        let start = self.pos;
        let mk = |len: usize| Span {
            start,
            end: start + len,
        };
        let after = &rest[1..];
        let first = after.chars().next()?;
        if let Some(bang) = after.strip_prefix('!') {
            if let Ok((_, (len, text))) = comment(bang) {
                let len = len + 2;
                return Some((
                    len,
                    Some(Token::Comment {
                        text,
                        span: mk(len),
                    }),
                ));
            }
            if let Ok((_, (len, text))) = doctype(bang) {
                let len = len + 2;
                return Some((
                    len,
                    Some(Token::Doctype {
                        text,
                        span: mk(len),
                    }),
                ));
            }
            if self.cdata_allowed {
                if let Ok((_, (len, text))) = cdata(bang) {
                    let len = len + 2;
                    return Some((
                        len,
                        Some(Token::CData {
                            text,
                            span: mk(len),
                        }),
                    ));
                }
            }
            let (len, text) = bogus(bang);
            let len = len + 2;
            return Some((
                len,
                Some(Token::Comment {
                    text,
                    span: mk(len),
                }),
            ));
        }
        if first == '?' {
            let (len, text) = bogus(after);
            let len = len + 1;
            return Some((
                len,
                Some(Token::Comment {
                    text,
                    span: mk(len),
                }),
            ));
        }
        if let Some(close) = after.strip_prefix('/') {
            let c = close.chars().next();
            return match c {
                // `</` at the end of input is text.
                None => None,
                Some('>') => Some((3, None)),
                Some(c) if c.is_ascii_alphabetic() => match end_tag(close) {
                    Some((len, name)) => {
                        let len = len + 2;
                        Some((
                            len,
                            Some(Token::EndTag {
                                name,
                                span: mk(len),
                            }),
                        ))
                    }
                    None => Some((rest.len(), None)),
                },
                Some(_) => {
                    let (len, text) = bogus(close);
                    let len = len + 2;
                    Some((
                        len,
                        Some(Token::Comment {
                            text,
                            span: mk(len),
                        }),
                    ))
                }
            };
        }
        if first.is_ascii_alphabetic() {
            return match start_tag(after) {
                Some((len, name, attrs, self_closing)) => {
                    let len = len + 1;
                    Some((
                        len,
                        Some(Token::StartTag(StartTag {
                            name,
                            attrs,
                            self_closing,
                            span: mk(len),
                        })),
                    ))
                }
                // Cut off by the end of input: the standard drops it.
                None => Some((rest.len(), None)),
            };
        }
        None
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            if let Some(mode) = self.raw.take() {
                if let Some(tok) = self.raw_text(mode) {
                    return Some(tok);
                }
            }
            if self.pos >= self.input.len() {
                return None;
            }
            if !self.input[self.pos..].starts_with('<') {
                return Some(self.text(self.pos));
            }
            match self.markup() {
                Some((len, tok)) => {
                    self.pos += len;
                    if let Some(Token::StartTag(t)) = &tok {
                        self.raw = raw_mode(t.name);
                    }
                    if tok.is_some() {
                        return tok;
                    }
                }
                None => return Some(self.text(self.pos + 1)),
            }
        }
    }
}

/// The raw-text mode a start tag named `name` switches on, if any. `noscript`
/// is raw text because browsers (and html5ever) parse with scripting enabled.
fn raw_mode(name: &str) -> Option<RawMode> {
    let facts = elements::facts(name);
    if facts & (elements::RAW_TEXT | elements::RCDATA) == 0 {
        return None;
    }
    Some(RawMode {
        name: elements::canonical(name)?,
        decode: facts & elements::RCDATA != 0,
    })
}

/// Offset of `</name` (any case) followed by a space, `/` or `>` in `s`.
fn find_close_tag(s: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = s[from..].find("</") {
        let at = from + i;
        let after = &s.as_bytes()[at + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            match after.get(name.len()) {
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') | None => {
                    return Some(at)
                }
                _ => {}
            }
        }
        from = at + 2;
    }
    None
}

/// After `<!`: a comment, returning (length after `<!`, inside text).
fn comment(i: &str) -> R<'_, (usize, &str)> {
    let (body, _) = tag("--")(i)?;
    // `<!-->` and `<!--->` are complete, empty comments.
    if body.starts_with('>') {
        return Ok(("", (3, "")));
    }
    if body.starts_with("->") {
        return Ok(("", (4, "")));
    }
    // One forward scan for `--` followed by `>` or `!>` (searching for each
    // ending separately would rescan the rest of the input per comment).
    let mut from = 0;
    let end = loop {
        match body[from..].find("--") {
            None => break (body.len(), 0),
            Some(i) => {
                let at = from + i;
                let after = &body[at + 2..];
                if after.starts_with('>') {
                    break (at, 3);
                }
                if after.starts_with("!>") {
                    break (at, 4);
                }
                from = at + 1;
            }
        }
    };
    Ok(("", (2 + end.0 + end.1, &body[..end.0])))
}

/// After `<!`: `DOCTYPE ...>`.
fn doctype(i: &str) -> R<'_, (usize, &str)> {
    let (rest, _) = tag_no_case("doctype")(i)?;
    let inner = rest.find('>').map_or(rest, |e| &rest[..e]);
    let len = 7 + inner.len() + usize::from(inner.len() < rest.len());
    Ok(("", (len, inner)))
}

/// After `<!`: `[CDATA[ ... ]]>`.
fn cdata(i: &str) -> R<'_, (usize, &str)> {
    let (rest, _) = tag("[CDATA[")(i)?;
    match take_until::<_, _, ()>("]]>")(rest) {
        Ok((_, inner)) => Ok(("", (7 + inner.len() + 3, inner))),
        Err(_) => Ok(("", (7 + rest.len(), rest))),
    }
}

/// A bogus comment: everything up to the next `>`.
fn bogus(i: &str) -> (usize, &str) {
    match i.find('>') {
        Some(e) => (e + 1, &i[..e]),
        None => (i.len(), i),
    }
}

/// Tag name: up to a space, `/` or `>`.
fn tag_name(i: &str) -> R<'_, &str> {
    take_till(|c| is_space(c) || c == '/' || c == '>')(i)
}

fn spaces(i: &str) -> R<'_, &str> {
    take_till(|c| !is_space(c))(i)
}

/// One attribute; the name may start with `=` and runs to a space, `/`,
/// `>` or `=`.
fn attribute(i: &str) -> R<'_, Attr<'_>> {
    let first = i.chars().next().ok_or(nom::Err::Error(()))?;
    let (rest, tail) =
        take_till(|c| is_space(c) || c == '/' || c == '>' || c == '=')(&i[first.len_utf8()..])?;
    let name = &i[..first.len_utf8() + tail.len()];
    let (after_ws, _) = spaces(rest)?;
    let Ok((after_eq, _)) = tag::<_, _, ()>("=")(after_ws) else {
        return Ok((rest, Attr { name, value: "" }));
    };
    let (v, _) = spaces(after_eq)?;
    let (rest, value) = attr_value(v)?;
    Ok((rest, Attr { name, value }))
}

fn attr_value(i: &str) -> R<'_, &str> {
    for q in ['"', '\''] {
        if let Some(inner) = i.strip_prefix(q) {
            let end = inner.find(q).ok_or(nom::Err::Error(()))?;
            return Ok((&inner[end + 1..], &inner[..end]));
        }
    }
    let (rest, v) = take_till(|c| is_space(c) || c == '>')(i)?;
    Ok((rest, v))
}

/// Attributes up to and including `>`; returns them, the self-closing flag
/// and what follows. None when the input ends first.
fn attributes(mut i: &str) -> Option<(&str, Vec<Attr<'_>>, bool)> {
    let mut attrs = Vec::new();
    loop {
        i = spaces(i).ok()?.0;
        if let Some(rest) = i.strip_prefix('>') {
            return Some((rest, attrs, false));
        }
        if let Some(rest) = i.strip_prefix("/>") {
            return Some((rest, attrs, true));
        }
        if let Some(rest) = i.strip_prefix('/') {
            i = rest;
            continue;
        }
        if i.is_empty() {
            return None;
        }
        let (rest, attr) = attribute(i).ok()?;
        attrs.push(attr);
        i = rest;
    }
}

/// After `<`: a start tag; returns (length after `<`, name, attrs, self-closing).
fn start_tag(i: &str) -> Option<(usize, &str, Vec<Attr<'_>>, bool)> {
    let (rest, name) = tag_name(i).ok()?;
    let (rest, attrs, self_closing) = attributes(rest)?;
    Some((i.len() - rest.len(), name, attrs, self_closing))
}

/// After `</`: an end tag; returns (length after `</`, name).
fn end_tag(i: &str) -> Option<(usize, &str)> {
    let (rest, name) = tag_name(i).ok()?;
    let (rest, _, _) = attributes(rest)?;
    Some((i.len() - rest.len(), name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<String> {
        Tokenizer::new(s)
            .map(|t| match t {
                Token::StartTag(t) => {
                    let attrs: Vec<String> = t
                        .attrs
                        .iter()
                        .map(|a| format!("{}={}", a.name, a.value))
                        .collect();
                    format!(
                        "<{} {}{}>",
                        t.name,
                        attrs.join(" "),
                        if t.self_closing { "/" } else { "" }
                    )
                }
                Token::EndTag { name, .. } => format!("</{name}>"),
                Token::Text { text, raw, .. } => format!("{}{text}", if raw { "R:" } else { "T:" }),
                Token::Comment { text, .. } => format!("C:{text}"),
                Token::Doctype { text, .. } => format!("D:{text}"),
                Token::CData { text, .. } => format!("X:{text}"),
            })
            .collect()
    }

    #[test]
    fn tags_and_attributes() {
        assert_eq!(
            kinds(r#"<a href="x y" b='1' c=d e>t</a >"#),
            ["<a href=x y b=1 c=d e=>", "T:t", "</a>"]
        );
        assert_eq!(kinds("<br/><img src=x/>"), ["<br />", "<img src=x/>"]);
        assert_eq!(
            kinds(r#"<img alt fami通"x" src="y">"#),
            [r#"<img alt= fami通"x"= src=y>"#]
        );
    }

    #[test]
    fn comments_doctype_bogus() {
        assert_eq!(
            kinds("<!---->a<!-->b<!--->c"),
            ["C:", "T:a", "C:", "T:b", "C:", "T:c"]
        );
        assert_eq!(kinds("<!--<p>x</p>-->"), ["C:<p>x</p>"]);
        assert_eq!(
            kinds("<!DOCTYPE html><!x><?php y?>"),
            ["D: html", "C:x", "C:?php y?"]
        );
        assert_eq!(kinds("<![CDATA[a]]>"), ["C:[CDATA[a]]"]);
        assert_eq!(kinds("a</>b</ x>"), ["T:a", "T:b", "C: x"]);
    }

    #[test]
    fn text_and_stray_lt() {
        assert_eq!(kinds("a < b <3 <"), ["T:a ", "T:< b ", "T:<3 ", "T:<"]);
        assert_eq!(kinds("x<p"), ["T:x"]);
        assert_eq!(kinds("<a href='unterminated>x"), Vec::<String>::new());
    }

    #[test]
    fn raw_text_elements() {
        assert_eq!(
            kinds("<script>if (a<b) {}</p></SCRIPT>x"),
            ["<script >", "R:if (a<b) {}</p>", "</SCRIPT>", "T:x"]
        );
        assert_eq!(
            kinds("<title>a&amp;<b></title>"),
            ["<title >", "T:a&amp;<b>", "</title>"]
        );
        assert_eq!(kinds("<style>a{}"), ["<style >", "R:a{}"]);
    }

    #[test]
    fn spans_cover_the_input() {
        let s = "<p class=a>x<!--c--></p>";
        let spans: Vec<Span> = Tokenizer::new(s).map(|t| t.span()).collect();
        assert_eq!(spans.first().map(|s| s.start), Some(0));
        assert!(spans.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(spans.last().map(|s| s.end), Some(s.len()));
    }
}
