//! Warnings: what went wrong but did not stop the conversion. Deep code pushes
//! them into a [`Warnings`] sink instead of printing, so the CLI (or a bulk
//! run) decides where they go and can attribute them to the right file.

use std::fmt;

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What happened, in one line.
    pub message: String,
    /// Byte offset in the input it concerns, if any (line:column is computed
    /// only when printing, from the input text).
    pub offset: Option<usize>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A sink of warnings for one conversion.
#[derive(Debug, Default, Clone)]
pub struct Warnings {
    items: Vec<Warning>,
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
            offset: None,
        });
    }

    /// Records a warning about the input at byte `offset`.
    pub fn push_at(&mut self, offset: usize, message: impl Into<String>) {
        self.items.push(Warning {
            message: message.into(),
            offset: Some(offset),
        });
    }

    /// The warnings recorded so far.
    pub fn items(&self) -> &[Warning] {
        &self.items
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

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
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
}
