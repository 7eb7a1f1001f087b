//! Warnings: what went wrong but did not stop the conversion. Deep code pushes
//! them into a [`Warnings`] sink instead of printing, so the CLI (or a bulk
//! run) decides where they go and can attribute them to the right file.
//!
//! A warning about a place in the input carries a byte span into the
//! *decoded* text (after BOM removal and GB18030/Big5/UTF-16 decoding, CR
//! line ends made LF), never into the raw bytes. Readers push spans relative
//! to the text they were given; the caller that handed them a slice of the
//! article says where that slice sits ([`Warnings::within`]), or that the
//! text is not the article's at all ([`Warnings::pinned`],
//! [`Warnings::unplaced`]). The reader of a whole file attaches the decoded
//! text to the warnings that point into it ([`Warnings::attach_source`]);
//! line:column is computed only when printing ([`render`]).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What happened, in one line.
    pub message: String,
    /// Byte range in the decoded input it concerns, if any.
    pub span: Option<Range<usize>>,
    /// The decoded input `span` indexes, once the file's reader attached it
    /// (shared by all warnings of one file).
    pub source: Option<Arc<str>>,
}

impl Warning {
    /// 1-based line and column (in characters) of the warning's start, when
    /// it has a span and its source.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let (span, source) = (self.span.as_ref()?, self.source.as_deref()?);
        Some(line_column(source, span.start))
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// How spans pushed now relate to the decoded input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// The text being read starts at this offset of the input.
    Shift(usize),
    /// The text being read was made from the input at this offset (HTML
    /// rendered from Markdown): every warning points there.
    Pinned(usize),
    /// The text being read is not the input (a page's serialised article,
    /// a feed entry's content): positions are dropped.
    Unplaced,
}

impl Default for Placement {
    fn default() -> Self {
        Placement::Shift(0)
    }
}

/// A sink of warnings for one conversion.
#[derive(Debug, Default, Clone)]
pub struct Warnings {
    items: Vec<Warning>,
    placement: Placement,
}

impl Warnings {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a warning without a position.
    pub fn push(&mut self, message: impl Into<String>) {
        self.items.push(Warning {
            message: message.into(),
            span: None,
            source: None,
        });
    }

    /// Records a warning about the text being read at byte `offset`.
    pub fn push_at(&mut self, offset: usize, message: impl Into<String>) {
        self.push_span(offset..offset, message);
    }

    /// Records a warning about bytes `span` of the text being read.
    pub fn push_span(&mut self, span: Range<usize>, message: impl Into<String>) {
        let span = match self.placement {
            Placement::Shift(base) => Some(span.start + base..span.end + base),
            Placement::Pinned(at) => Some(at..at),
            Placement::Unplaced => None,
        };
        self.items.push(Warning {
            message: message.into(),
            span,
            source: None,
        });
    }

    /// Runs `read` over a slice of the text being read that starts at byte
    /// `offset` of it: the spans it pushes are shifted to match.
    pub fn within<R>(&mut self, offset: usize, read: impl FnOnce(&mut Self) -> R) -> R {
        let inner = match self.placement {
            Placement::Shift(base) => Placement::Shift(base + offset),
            other => other,
        };
        self.with_placement(inner, read)
    }

    /// Runs `read` over text made from the text being read at byte
    /// `offset`: every warning it pushes points at `offset`.
    pub fn pinned<R>(&mut self, offset: usize, read: impl FnOnce(&mut Self) -> R) -> R {
        let inner = match self.placement {
            Placement::Shift(base) => Placement::Pinned(base + offset),
            other => other,
        };
        self.with_placement(inner, read)
    }

    /// Runs `read` over text that is not the input: its warnings have no
    /// position.
    pub fn unplaced<R>(&mut self, read: impl FnOnce(&mut Self) -> R) -> R {
        self.with_placement(Placement::Unplaced, read)
    }

    fn with_placement<R>(&mut self, inner: Placement, read: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.placement, inner);
        let result = read(self);
        self.placement = outer;
        result
    }

    /// Attaches `text`, the decoded input, to the warnings from index `from`
    /// on that have a span and no source yet. The text is copied once, and
    /// only when some warning points into it.
    pub fn attach_source(&mut self, from: usize, text: &str) {
        let mut shared: Option<Arc<str>> = None;
        for w in self.items.iter_mut().skip(from) {
            if w.span.is_some() && w.source.is_none() {
                let source = shared.get_or_insert_with(|| Arc::from(text));
                w.source = Some(Arc::clone(source));
            }
        }
    }

    /// The warnings recorded so far.
    pub fn items(&self) -> &[Warning] {
        &self.items
    }

    /// How many warnings were recorded.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Takes all warnings out of the sink.
    pub fn take(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.items)
    }
}

/// `text` with control characters (and bidirectional overrides) shown as
/// `\u{..}`, so a file name, archive member, front matter value or message
/// can neither move the cursor, recolour or rewrite the terminal, nor start
/// a line of its own that reads like conv's.
pub fn escape(text: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out += &format!("\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The lines a user sees for `warnings` about `file`, each ended by a
/// newline: `conv: FILE:LINE:COL: warning: message`, or
/// `conv: FILE: warning: message` for a warning without a position.
/// Line starts are indexed once per source, so many warnings about one
/// big file cost one scan of it.
pub fn render(file: &str, warnings: &[Warning]) -> String {
    let file = escape(file);
    let mut out = String::new();
    let mut index: Option<(Arc<str>, LineIndex)> = None;
    for w in warnings {
        let place = match (&w.span, &w.source) {
            (Some(span), Some(source)) => {
                if !index.as_ref().is_some_and(|(s, _)| Arc::ptr_eq(s, source)) {
                    index = Some((Arc::clone(source), LineIndex::new(source)));
                }
                index
                    .as_ref()
                    .map(|(source, lines)| lines.line_column(source, span.start))
            }
            _ => None,
        };
        match place {
            Some((line, column)) => out.push_str(&format!(
                "conv: {file}:{line}:{column}: warning: {}\n",
                escape(&w.message)
            )),
            None => out.push_str(&format!("conv: {file}: warning: {}\n", escape(&w.message))),
        }
    }
    out
}

/// Byte offsets where the lines of a text start.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of byte `offset` of `text`
    /// (the text this index was built from).
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, text[start..offset].chars().count() + 1)
    }
}

/// `offset` clamped to `text` and moved back to a character boundary.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let start = floor_char_boundary(text, offset);
    let before = &text[..start];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "ab\n中文x";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 9), (2, 3));
        assert_eq!(line_column(text, 999), (2, 4));
    }

    #[test]
    fn line_index_agrees_with_line_column_at_every_offset() {
        let text = "ab\r\n中文x\n\n末\r\nz";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_column(text, offset),
                line_column(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn crlf_line_ends_do_not_shift_columns() {
        let text = "a: 1\r\nb: 2\r\n中x";
        let at = text.find('x').unwrap();
        assert_eq!(line_column(text, at), (3, 2));
    }

    #[test]
    fn within_shifts_spans_and_nests() {
        let mut w = Warnings::new();
        w.within(10, |w| {
            w.push_at(2, "a");
            w.within(5, |w| w.push_span(1..3, "b"));
        });
        w.push_at(1, "c");
        let spans: Vec<_> = w.items().iter().map(|w| w.span.clone()).collect();
        assert_eq!(spans, [Some(12..12), Some(16..18), Some(1..1)]);
    }

    #[test]
    fn pinned_points_every_warning_at_the_place_and_unplaced_drops_it() {
        let mut w = Warnings::new();
        w.within(4, |w| {
            w.pinned(3, |w| {
                w.push_at(100, "from generated html");
                w.within(50, |w| w.push_at(1, "nested"));
            });
            w.unplaced(|w| w.push_at(9, "serialised page"));
        });
        let spans: Vec<_> = w.items().iter().map(|w| w.span.clone()).collect();
        assert_eq!(spans, [Some(7..7), Some(7..7), None]);
    }

    #[test]
    fn attach_source_only_to_positioned_warnings_from_the_index_on() {
        let mut w = Warnings::new();
        w.push_at(0, "earlier file");
        let from = w.len();
        w.push("no position");
        w.push_at(3, "here");
        w.attach_source(from, "ab\ncd");
        let items = w.items();
        assert_eq!(items[0].source, None);
        assert_eq!(items[1].source, None);
        assert_eq!(items[2].source.as_deref(), Some("ab\ncd"));
        assert_eq!(items[2].line_column(), Some((2, 1)));
    }

    #[test]
    fn render_gives_file_line_column_or_file_alone() {
        let mut w = Warnings::new();
        w.push_at(6, "bad thing");
        w.push("no place");
        w.attach_source(0, "ab\n中d");
        assert_eq!(
            render("a.md", w.items()),
            "conv: a.md:2:2: warning: bad thing\nconv: a.md: warning: no place\n"
        );
    }

    #[test]
    fn render_without_a_source_gives_no_position() {
        let mut w = Warnings::new();
        w.push_at(4, "span but no text attached");
        assert_eq!(
            render("x", w.items()),
            "conv: x: warning: span but no text attached\n"
        );
    }

    /// Regression (review): warning lines were escaped after splitting on
    /// newlines, so a message or file name holding "\nconv: x: error"
    /// printed a line of its own that read like conv's.
    #[test]
    fn render_escapes_newlines_in_names_and_messages() {
        let mut w = Warnings::new();
        w.push("bad\nconv: other.md: internal error: forged");
        let out = render("a\u{1b}[2J.md", w.items());
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with("conv: a\\u{1b}[2J.md: warning: bad\\u{a}conv"),
            "{out}"
        );
    }
}
