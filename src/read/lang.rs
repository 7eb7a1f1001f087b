//! Guessing the language of a text that does not declare one.
//!
//! Deliberately simple: count Han, kana and Hangul characters (CJK) and the
//! words written in other letters (runs of letters). One CJK character
//! carries about what a short word does, so a text is CJK when it has at
//! least as many CJK characters as other words. Among CJK text, Hangul at
//! least half of the CJK characters means `ko`, kana at least a fifth
//! (Japanese prose is mostly kana; Chinese has none) means `ja`, and
//! otherwise `zh`. Everything else is `en`: telling European languages
//! apart is not attempted. Code (code blocks, inline code) is not counted,
//! and only the first [`SAMPLE_BYTES`] of prose are looked at.

use crate::model::{Block, Inline};

/// A BCP 47 tag for `text`: `zh`, `ja`, `ko` or `en`.
pub fn detect(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut words) = (0usize, 0usize, 0usize, 0usize);
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii() {
            let letter = c.is_ascii_alphabetic();
            words += usize::from(letter && !in_word);
            in_word = letter;
            continue;
        }
        let script = script(c);
        let letter = matches!(script, Script::Other) && c.is_alphabetic();
        if letter && !in_word {
            words += 1;
        }
        in_word = letter;
        match script {
            Script::Han => han += 1,
            Script::Kana => kana += 1,
            Script::Hangul => hangul += 1,
            Script::Other => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk == 0 || cjk < words {
        "en"
    } else if hangul * 2 >= cjk {
        "ko"
    } else if kana * 5 >= cjk {
        "ja"
    } else {
        "zh"
    }
}

/// How much prose is enough to tell the language.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// The language of a document from its title and prose (code excluded).
pub fn detect_document(title: Option<&str>, blocks: &[Block]) -> &'static str {
    let mut text = title.unwrap_or_default().to_string();
    push_blocks(blocks, &mut text);
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    detect(&text[..end])
}

fn push_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        if out.len() >= SAMPLE_BYTES {
            return;
        }
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                push_inlines(content, out)
            }
            Block::List { items, .. } => items.iter().for_each(|i| push_blocks(i, out)),
            Block::BlockQuote { blocks } => push_blocks(blocks, out),
            Block::Figure { caption, .. } => push_inlines(caption, out),
            Block::Table(t) => t
                .head
                .iter()
                .chain(&t.body)
                .flatten()
                .for_each(|cell| push_blocks(&cell.blocks, out)),
            Block::CodeBlock { .. } | Block::Rule => {}
        }
        out.push('\n');
    }
}

fn push_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } => out.push_str(text),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content }
            | Inline::Link { content, .. } => push_inlines(content, out),
            Inline::Code { .. } | Inline::Image { .. } | Inline::LineBreak => out.push(' '),
        }
    }
}

enum Script {
    Han,
    Kana,
    Hangul,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => Script::Han,
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
        _ => Script::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("江苏省疫情防控工作会议召开", "zh"),
            ("TypeScript 4.4 首个 Beta 版本发布，新增了很多功能", "zh"),
            ("イベント 開催場所 羽田空港 ライブ", "ja"),
            ("100세동안 행복하게", "ko"),
            ("Patches Proposed So Microsoft Debuggers Can Deal", "en"),
            ("Piękne miejsca w Polsce", "en"),
            ("", "en"),
            ("12345 !!!", "en"),
            (
                "イベント Mimori Suzuko Live 2021「Midsummer Funfair」開催場所 羽田空港",
                "ja",
            ),
            ("by 张三: a long English article about many things", "en"),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
    }
}
