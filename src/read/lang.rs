//! Guessing the language of a text that does not declare one.
//!
//! Deliberately simple: count Han, kana and Hangul characters (CJK) against
//! the other letters. Because one CJK character carries about what a short
//! word does, a text is CJK when CJK characters are at least a third of all
//! letters counted. Among CJK text, Hangul at least half of the CJK
//! characters means `ko`, kana at least a fifth (Japanese prose is mostly
//! kana; Chinese has none) means `ja`, and otherwise `zh`. Everything else
//! is `en`: telling European languages apart is not attempted.

/// A BCP 47 tag for `text`: `zh`, `ja`, `ko` or `en`.
pub fn detect(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut other) = (0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match script(c) {
            Script::Han => han += 1,
            Script::Kana => kana += 1,
            Script::Hangul => hangul += 1,
            Script::Other if c.is_alphabetic() => other += 1,
            Script::Other => {}
        }
    }
    let cjk = han + kana + hangul;
    if cjk == 0 || cjk * 3 < cjk + other {
        "en"
    } else if hangul * 2 >= cjk {
        "ko"
    } else if kana * 5 >= cjk {
        "ja"
    } else {
        "zh"
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
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
    }
}
