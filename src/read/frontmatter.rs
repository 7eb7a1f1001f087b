//! Splits an article into its front matter and its body (nom).
//!
//! Forms recognised, after an optional UTF-8 BOM and blank lines:
//! - YAML between `---` fences (closing fence `---` or `...`);
//! - TOML between `+++` fences;
//! - JSON between `;;;` fences, or Hexo's JSON form with only the closing
//!   `;;;`, or a leading `{...}` object;
//! - Hexo's YAML form with no opening fence: `key: value` lines, then `---`;
//! - nothing: the whole text is the body.
//!
//! Only the split happens here; the block is parsed by `meta` (YAML via
//! `yaml`, TOML, JSON). Lines may end in `\n` or `\r\n`. Offsets are byte
//! offsets into the text given, so errors can name the file's line:column.

use nom::branch::alt;
use nom::bytes::complete::tag;
use nom::character::complete::{line_ending, not_line_ending, space0};
use nom::combinator::{cut, eof, opt, peek, recognize};
use nom::error::{context, ContextError, ErrorKind, ParseError};
use nom::multi::many0;
use nom::{IResult, Parser};

use crate::diag::line_column;
use crate::error::{Error, Result};

/// Which language the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// YAML (`---` fences, or Hexo's form without an opening fence).
    Yaml,
    /// TOML (`+++` fences).
    Toml,
    /// JSON (`;;;` fences or a leading object). The raw text may lack the
    /// enclosing braces (Hexo's form); the parser adds them.
    Json,
}

impl Kind {
    /// The name used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Yaml => "YAML",
            Kind::Toml => "TOML",
            Kind::Json => "JSON",
        }
    }
}

/// A front-matter block found at the start of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// Its language.
    pub kind: Kind,
    /// The text between the fences (fences excluded).
    pub raw: &'a str,
    /// Byte offset of `raw` in the whole text.
    pub offset: usize,
}

/// An article split into front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter, if there is one.
    pub front: Option<FrontMatter<'a>>,
    /// Everything after the front matter (after the BOM when there is none).
    pub body: &'a str,
    /// Byte offset of `body` in the whole text.
    pub body_offset: usize,
}

/// Splits `text` into front matter and body. Fails only when a fence was
/// opened in front of `key:` lines and never closed.
pub fn split(text: &str) -> Result<Split<'_>> {
    let (after_preamble, _) = preamble::<SplitError>(text).map_err(|e| to_error(text, e))?;
    let found = alt((
        |i| fenced(i, "---", Kind::Yaml),
        |i| fenced(i, "+++", Kind::Toml),
        |i| fenced(i, ";;;", Kind::Json),
        json_object,
        |i| unfenced(i, "---", Kind::Yaml),
        |i| unfenced(i, ";;;", Kind::Json),
    ))
    .parse(after_preamble);
    match found {
        Ok((body, (kind, raw))) => Ok(Split {
            front: Some(FrontMatter {
                kind,
                raw,
                offset: offset_of(text, raw),
            }),
            body,
            body_offset: offset_of(text, body),
        }),
        Err(nom::Err::Error(_)) => {
            let body = text.strip_prefix('\u{feff}').unwrap_or(text);
            Ok(Split {
                front: None,
                body,
                body_offset: offset_of(text, body),
            })
        }
        Err(e) => Err(to_error(text, e)),
    }
}

/// Byte offset of the sub-slice `part` inside `whole`.
fn offset_of(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The parser's error: where it stopped and the innermost context label.
#[derive(Debug)]
struct SplitError<'a> {
    input: &'a str,
    context: Option<&'static str>,
}

impl<'a> ParseError<&'a str> for SplitError<'a> {
    fn from_error_kind(input: &'a str, _kind: ErrorKind) -> Self {
        SplitError {
            input,
            context: None,
        }
    }
    fn append(_input: &'a str, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<'a> ContextError<&'a str> for SplitError<'a> {
    // The innermost context wins, and its position is where that rule began
    // (the opening fence), which is what a user needs to find the problem.
    fn add_context(input: &'a str, ctx: &'static str, other: Self) -> Self {
        match other.context {
            Some(_) => other,
            None => SplitError {
                input,
                context: Some(ctx),
            },
        }
    }
}

type PResult<'a, O> = IResult<&'a str, O, SplitError<'a>>;

fn to_error(text: &str, e: nom::Err<SplitError<'_>>) -> Error {
    let (input, message) = match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => (e.input, e.context.unwrap_or("malformed")),
        nom::Err::Incomplete(_) => ("", "incomplete input"),
    };
    let (line, column) = line_column(text, offset_of(text, input).min(text.len()));
    let format = [Kind::Yaml, Kind::Toml, Kind::Json]
        .into_iter()
        .find(|k| closing_message(*k) == message)
        .map_or("front matter", Kind::name);
    Error::FrontMatter {
        format,
        line,
        column,
        message: message.to_string(),
    }
}

/// Optional BOM, then blank lines.
fn preamble<'a, E: ParseError<&'a str>>(i: &'a str) -> IResult<&'a str, &'a str, E> {
    recognize((opt(tag("\u{feff}")), many0(blank_line))).parse(i)
}

/// A line holding only spaces or tabs.
fn blank_line<'a, E: ParseError<&'a str>>(i: &'a str) -> IResult<&'a str, &'a str, E> {
    recognize((space0, line_ending)).parse(i)
}

/// Any line, with its `\n` (a lone `\r` is part of the line; the last
/// line may lack the `\n`). Empty input is not a line, so repeating this
/// rule always makes progress.
fn any_line<'a, E: ParseError<&'a str>>(i: &'a str) -> IResult<&'a str, &'a str, E> {
    if i.is_empty() {
        return Err(nom::Err::Error(E::from_error_kind(i, ErrorKind::Eof)));
    }
    let end = i.find('\n').map_or(i.len(), |n| n + 1);
    Ok((&i[end..], &i[..end]))
}

/// A fence line: the fence, optional trailing blanks, end of line or input.
fn fence_line<'a, E: ParseError<&'a str>>(
    fence: &'static str,
) -> impl Parser<&'a str, Output = &'a str, Error = E> {
    recognize((tag(fence), space0, alt((line_ending, eof))))
}

/// Lines up to a closing fence; returns the lines (fence excluded).
fn until_fence<'a, E: ParseError<&'a str>>(
    i: &'a str,
    fence: &'static str,
    kind: Kind,
) -> IResult<&'a str, &'a str, E> {
    let mut rest = i;
    loop {
        let closing = fence_line::<E>(fence).parse(rest);
        let closing = match closing {
            Ok(ok) => Ok(ok),
            // YAML documents may also end with `...`.
            Err(_) if kind == Kind::Yaml => fence_line::<E>("...").parse(rest),
            Err(e) => Err(e),
        };
        if let Ok((after, _)) = closing {
            return Ok((after, &i[..i.len() - rest.len()]));
        }
        let (after, _) = any_line::<E>(rest)?;
        rest = after;
    }
}

/// A `key:` line: an identifier, a colon, then a blank or the line end.
/// Used to tell front matter from a Markdown rule (`---`) that opens a body.
fn key_line<'a, E: ParseError<&'a str>>(i: &'a str) -> IResult<&'a str, &'a str, E> {
    recognize((
        nom::bytes::complete::take_while1(|c: char| c.is_alphanumeric() || c == '_'),
        nom::bytes::complete::take_while(|c: char| {
            c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
        }),
        tag(":"),
        alt((tag(" "), tag("\t"), line_ending, eof)),
    ))
    .parse(i)
}

/// Fenced front matter: the opening fence, lines, the closing fence. Once
/// the fence is followed by a `key:` line (or the fence is `+++`/`;;;`), a
/// missing closing fence is an error rather than "no front matter".
fn fenced<'a>(i: &'a str, fence: &'static str, kind: Kind) -> PResult<'a, (Kind, &'a str)> {
    let strict_start = |i: &'a str| -> PResult<'a, ()> {
        if kind == Kind::Yaml {
            peek((many0(blank_line), key_line)).map(|_| ()).parse(i)
        } else {
            Ok((i, ()))
        }
    };
    let (rest, raw) = context(
        closing_message(kind),
        (
            fence_line(fence),
            alt((
                |i| until_fence(i, fence, kind),
                (strict_start, cut(|i| until_fence(i, fence, kind))).map(|(_, raw)| raw),
            )),
        ),
    )
    .map(|(_, raw)| raw)
    .parse(i)?;
    Ok((rest, (kind, raw)))
}

fn closing_message(kind: Kind) -> &'static str {
    match kind {
        Kind::Yaml => "the --- fence opened here is never closed",
        Kind::Toml => "the +++ fence opened here is never closed",
        Kind::Json => "the ;;; fence opened here is never closed",
    }
}

/// Hexo's form without an opening fence: the first line is `key: value`
/// (YAML) or `"key": value` (JSON), every following line is a key line, a
/// list item, an indented continuation, a comment or blank, up to the fence.
fn unfenced<'a>(i: &'a str, fence: &'static str, kind: Kind) -> PResult<'a, (Kind, &'a str)> {
    let first_key = |i: &'a str| -> PResult<'a, &'a str> {
        match kind {
            Kind::Json => recognize((tag("\""), not_line_ending)).parse(i),
            _ => key_line(i),
        }
    };
    peek(first_key).parse(i)?;
    let (rest, raw) = until_fence(i, fence, kind)?;
    let plausible = raw.lines().all(|line| {
        let t = line.trim_end();
        t.is_empty()
            || t.starts_with([' ', '\t', '#', '-', '"', '}', '{', '['])
            || key_line::<SplitError>(t).is_ok()
    });
    if !plausible {
        return Err(nom::Err::Error(SplitError::from_error_kind(
            i,
            ErrorKind::Verify,
        )));
    }
    Ok((rest, (kind, raw)))
}

/// A leading JSON object `{ "key": … }` followed by the end of its line.
/// Braces inside strings are skipped; `{%` and other non-JSON openings are
/// not front matter.
fn json_object(i: &str) -> PResult<'_, (Kind, &str)> {
    let fail = || nom::Err::Error(SplitError::from_error_kind(i, ErrorKind::Verify));
    let inner = i.strip_prefix('{').ok_or_else(fail)?;
    if !inner.trim_start().starts_with(['"', '}']) {
        return Err(fail());
    }
    let end = matching_brace(i).ok_or_else(fail)?;
    let (raw, rest) = i.split_at(end);
    let (rest, _) = (space0, alt((line_ending, eof))).parse(rest)?;
    Ok((rest, (Kind::Json, raw)))
}

/// Byte index just past the brace closing the object that starts `text`.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (idx, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(idx + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_return_leftover_input() {
        let lines: &[(&str, &str, &str)] = &[
            ("a\nb", "a\n", "b"),
            ("a\rb\r\nc", "a\rb\r\n", "c"),
            ("last", "last", ""),
        ];
        for (input, taken, rest) in lines {
            let got = any_line::<SplitError>(input).map_err(|_| ());
            assert_eq!(got, Ok((*rest, *taken)), "{input:?}");
        }
        assert!(any_line::<SplitError>("").is_err());
        let cases: &[(&str, &str, &str)] = &[
            ("\u{feff}\n \n---", "\u{feff}\n \n", "---"),
            ("\r\n\r\nx", "\r\n\r\n", "x"),
            ("", "", ""),
        ];
        for (input, taken, rest) in cases {
            let got = preamble::<SplitError>(input).map_err(|_| ());
            assert_eq!(got, Ok((*rest, *taken)), "{input:?}");
        }
    }

    #[test]
    fn fence_lines() {
        assert!(fence_line::<SplitError>("---").parse("---\r\nx").is_ok());
        assert!(fence_line::<SplitError>("---").parse("---  ").is_ok());
        assert!(fence_line::<SplitError>("---").parse("----\n").is_err());
    }

    #[test]
    fn matching_brace_skips_strings() {
        assert_eq!(matching_brace(r#"{"a":"}{","b":{}} tail"#), Some(17));
        assert_eq!(matching_brace("{\"a\": 1"), None);
    }
}
