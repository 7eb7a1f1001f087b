//! Plain text → blocks: blank lines separate paragraphs; inside a paragraph
//! each line break is kept as a line break (lists of `label value` lines,
//! poems and event listings keep their shape). Leading indentation (spaces,
//! ideographic spaces, no-break spaces) is dropped: writers indent their own
//! way.

use crate::model::{Block, Inline};

/// Reads plain text into paragraphs.
pub fn read(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim_matches(is_blank);
        if line.is_empty() {
            flush(&mut lines, &mut blocks);
        } else {
            lines.push(line);
        }
    }
    flush(&mut lines, &mut blocks);
    blocks
}

/// Whitespace as plain text uses it, including U+3000 and U+00A0.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn flush(lines: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    if lines.is_empty() {
        return;
    }
    let mut content = Vec::with_capacity(lines.len() * 2);
    for (i, line) in lines.drain(..).enumerate() {
        if i > 0 {
            content.push(Inline::LineBreak);
        }
        content.push(Inline::text(line));
    }
    blocks.push(Block::Paragraph { content });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_line_breaks() {
        let blocks = read("\u{3000}\u{3000}一段\r\n第二行\r\n\r\n  \n second \n");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    content: vec![
                        Inline::text("一段"),
                        Inline::LineBreak,
                        Inline::text("第二行")
                    ]
                },
                Block::Paragraph {
                    content: vec![Inline::text("second")]
                },
            ]
        );
        assert!(read(" \n\n").is_empty());
    }
}
