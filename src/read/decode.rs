//! Bytes → text.
//!
//! - A forced encoding (`Options::encoding`, an encoding label such as `gbk`,
//!   `big5`, `utf-8`) is used as given; malformed bytes become U+FFFD with a
//!   warning.
//! - Otherwise a UTF-8 or UTF-16 byte-order mark decides, then valid UTF-8
//!   is taken as is.
//! - Otherwise a `<meta charset>` (or `charset=`) label in the first 4 KiB
//!   is tried, then GB18030 and Big5: those that decode without errors are
//!   scored by how many of the most common Chinese characters (simplified and
//!   traditional) they produce, and the best wins.
//! - Text with NUL bytes is UTF-16 without a byte-order mark when the NULs
//!   sit in every other byte (ASCII in UTF-16); valid UTF-8 with stray NULs
//!   loses them with a warning; anything else with NULs is
//!   [`Error::NotText`], as is text no candidate decodes.
//! - UTF-8 with a few malformed bytes among many good characters (a
//!   truncated copy, one bad byte) stays UTF-8, the bad bytes replaced with
//!   a warning, instead of being read as GB18030 mojibake.
//! - Line ends: a file whose lines end in a bare CR (old Mac) gets LF, so
//!   its front matter and lines are found.

use std::borrow::Cow;

use encoding_rs::{Encoding, BIG5, GB18030, UTF_8};

use crate::diag::Warnings;
use crate::error::{Error, Result};

/// Common Chinese characters in both scripts, used to score candidates.
const COMMON: &str = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日者意无無力它与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并並物手应應";

/// Decodes `bytes` to a string (see the module documentation for the order).
pub fn decode(bytes: &[u8], forced: Option<&str>, warnings: &mut Warnings) -> Result<String> {
    let forced = forced.map(encoding_for_label).transpose()?;
    decode_with(bytes, forced, warnings)
}

/// The encoding named by `label` (`gbk`, `big5`, `utf-8`…).
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
        .ok_or_else(|| Error::NotText(format!("unknown encoding label '{label}'")))
}

/// [`decode`] with the forced encoding already resolved (once per run, by
/// the session); CR-only line ends become LF.
pub fn decode_with(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    warnings: &mut Warnings,
) -> Result<String> {
    decode_text(bytes, forced, warnings).map(cr_line_ends_to_lf)
}

fn decode_text(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    warnings: &mut Warnings,
) -> Result<String> {
    if let Some(encoding) = forced {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            warnings.push(format!(
                "input is not valid {}; malformed bytes were replaced",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            warnings.push(format!(
                "input has a {} byte-order mark but malformed bytes; they were replaced",
                encoding.name()
            ));
        }
        return Ok(text.into_owned());
    }
    let has_nul = bytes.contains(&0);
    let utf8 = std::str::from_utf8(bytes).ok();
    if has_nul {
        if let Some(encoding) = utf16_without_bom(bytes, utf8.is_some()) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(Cow::into_owned)
                .ok_or_else(|| {
                    Error::NotText(format!(
                        "looks like {} without a byte-order mark but is not valid (use --encoding)",
                        encoding.name()
                    ))
                });
        }
    }
    if let Some(text) = utf8 {
        if has_nul {
            warnings.push("input has NUL characters; they were removed");
            return Ok(text.replace('\0', ""));
        }
        return Ok(text.to_string());
    }
    if has_nul {
        return Err(Error::NotText(
            "contains NUL bytes and is not UTF-8 (binary data?)".into(),
        ));
    }
    if mostly_utf8(bytes) {
        warnings.push("input is not valid UTF-8; malformed bytes were replaced");
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    legacy_chinese(bytes)
}

/// UTF-16 without a byte-order mark: ASCII characters put a NUL in every
/// other byte, on the high side (odd offsets in little-endian). CJK text
/// has NULs at the other side only for the rare code points ending in 00.
/// Bytes that are valid UTF-8 (all ASCII in UTF-16 is) must have a NUL in
/// at least a quarter of the code units to count, so a stray NUL in UTF-8
/// text does not make it UTF-16.
fn utf16_without_bom(bytes: &[u8], valid_utf8: bool) -> Option<&'static Encoding> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if valid_utf8 && (even + odd) * 4 < head.len() / 2 {
        return None;
    }
    if odd > 0 && even * 8 < odd {
        Some(encoding_rs::UTF_16LE)
    } else if even > 0 && odd * 8 < even {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 text with a few
/// bad bytes: at least twice as many good multi-byte characters as bad
/// sequences (one stray byte inside a character makes up to four; GBK text
/// has a few accidental UTF-8 pairs among many bad ones).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good >= 4 && good >= 2 * bad
}

/// Text whose lines end in a bare CR (and that has no LF at all) with LF
/// line ends instead; other text as it is.
fn cr_line_ends_to_lf(text: String) -> String {
    if text.contains('\r') && !text.contains('\n') {
        text.replace('\r', "\n")
    } else {
        text
    }
}

/// Decodes text that is not UTF-8: declared charset first, then the best of
/// GB18030 and Big5.
fn legacy_chinese(bytes: &[u8]) -> Result<String> {
    if let Some(encoding) = declared_charset(bytes).filter(|e| *e != UTF_8) {
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return Ok(text.into_owned());
        }
    }
    [GB18030, BIG5]
        .into_iter()
        .filter_map(|e| e.decode_without_bom_handling_and_without_replacement(bytes))
        .max_by_key(|text| score(text))
        .map(Cow::into_owned)
        .ok_or_else(|| {
            Error::NotText("not valid UTF-8, GB18030 or Big5 (use --encoding to force one)".into())
        })
}

/// How many common Chinese characters a decoding produced.
fn score(text: &str) -> usize {
    text.chars().filter(|c| COMMON.contains(*c)).count()
}

/// The encoding named by `charset=` in the first 4 KiB (ASCII-compatible
/// search, so it works before the text is decoded).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower.windows(8).position(|w| w == b"charset=")? + 8;
    let rest = &head[at..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
        .unwrap_or(rest.len());
    Encoding::for_label(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_ok(bytes: &[u8]) -> String {
        decode(bytes, None, &mut Warnings::new()).unwrap()
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_ok("中文".as_bytes()), "中文");
        assert_eq!(decode_ok(b"\xef\xbb\xbfabc"), "abc");
    }

    #[test]
    fn detects_gb18030_and_big5() {
        let text = "这是一个中文的文章，我们说的是国家的发展和人民的生活。";
        let (gbk, _, _) = GB18030.encode(text);
        assert_eq!(decode_ok(&gbk), text);
        let trad = "這是一個中文的文章，我們說的是國家的發展和人民的生活。";
        let (big5, _, _) = BIG5.encode(trad);
        assert_eq!(decode_ok(&big5), trad);
    }

    #[test]
    fn meta_charset_wins() {
        let mut bytes = b"<meta charset=\"big5\"><p>".to_vec();
        bytes.extend_from_slice(&BIG5.encode("中文").0);
        assert!(decode_ok(&bytes).ends_with("中文"));
    }

    #[test]
    fn forced_and_errors() {
        let mut w = Warnings::new();
        let (gbk, _, _) = GB18030.encode("中文");
        assert_eq!(decode(&gbk, Some("gbk"), &mut w).unwrap(), "中文");
        assert!(matches!(
            decode(b"x", Some("nope"), &mut w),
            Err(Error::NotText(_))
        ));
        assert!(matches!(
            decode(b"\xff\x00\xfe", None, &mut w),
            Err(Error::NotText(_))
        ));
        decode(b"\xff\xfe\xff", Some("utf-8"), &mut w).unwrap();
        assert!(!w.is_empty());
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "---\ntitle: 标题\n---\n正文 text.\n";
        for big_endian in [false, true] {
            let bare = utf16(text, big_endian);
            assert_eq!(decode_ok(&bare), text);
            let bom: &[u8] = if big_endian { b"\xfe\xff" } else { b"\xff\xfe" };
            assert_eq!(decode_ok(&[bom, &bare].concat()), text);
        }
        // An unpaired surrogate: refused, naming the encoding.
        let mut bad = utf16("a longer line", false);
        bad.extend_from_slice(&[0x00, 0xd8]);
        let err = decode(&bad, None, &mut Warnings::new()).unwrap_err();
        assert!(err.to_string().contains("UTF-16"), "{err}");
    }

    #[test]
    fn nul_bytes_in_utf8_text_are_removed_with_a_warning() {
        let mut w = Warnings::new();
        assert_eq!(
            decode("中\0文 and text".as_bytes(), None, &mut w).unwrap(),
            "中文 and text"
        );
        assert!(!w.is_empty());
        assert!(matches!(
            decode(b"\x00\x00\x00\xff\xff", None, &mut w),
            Err(Error::NotText(_))
        ));
    }

    #[test]
    fn invalid_utf8_in_every_position_keeps_the_text() {
        let text = "---\ntitle: 中文标题\n---\n这是一个中文的文章，我们说的是国家的发展。\n";
        for at in 0..=text.len() {
            let mut bytes = text.as_bytes().to_vec();
            bytes.insert(at, 0xff);
            let mut w = Warnings::new();
            let out = decode(&bytes, None, &mut w).unwrap_or_else(|e| panic!("{at}: {e}"));
            let kept = out.chars().filter(|c| *c != '\u{fffd}').count();
            assert!(kept + 1 >= text.chars().count(), "{at}: {out:?}");
            assert!(!w.is_empty(), "{at}");
        }
    }

    #[test]
    fn cr_only_files_get_lf_line_ends() {
        assert_eq!(
            decode_ok(b"---\rtitle: t\r---\rbody\r"),
            "---\ntitle: t\n---\nbody\n"
        );
        assert_eq!(decode_ok(b"a\r\nb"), "a\r\nb");
    }
}
