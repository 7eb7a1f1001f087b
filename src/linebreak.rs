//! Line breaking shared by the PDF layout and the plain-text writer.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), tightened by
//! the Chinese/Japanese line-start and line-end prohibitions (kinsoku): no
//! line starts with closing punctuation such as `，。」` and no line ends
//! with opening punctuation such as `（「`. Filling is greedy and does not
//! know about fonts: the caller passes a width function (display columns
//! from `unicode-width` for text, points from font metrics for PDF).

use std::ops::Range;
use unicode_linebreak::{linebreaks, BreakOpportunity};

/// Characters that must not begin a line.
pub const NO_LINE_START: &str = "，。、！？；：）」』】》〉〕〗〙〛｝］…‥·・”’ー゛゜ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ〜～％,.!?;:)]}";
/// Characters that must not end a line.
pub const NO_LINE_END: &str = "（「『【《〈〔〖〘〚｛［“‘([{";

/// A place where a line may begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opportunity {
    /// Byte offset in the text where the next line would start.
    pub pos: usize,
    /// True when the line must end here (a newline, or the end of the text).
    pub mandatory: bool,
}

/// One line of filled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Byte range of the line's text, without trailing spaces or newline.
    pub range: Range<usize>,
    /// Width of that range, as measured by the caller's width function.
    pub width: f32,
    /// True when the line ends a paragraph or at a forced break: it is set
    /// ragged, never justified.
    pub hard: bool,
}

/// Break opportunities in `text`, in order; the last is always the end of
/// the text (mandatory).
pub fn opportunities(text: &str) -> Vec<Opportunity> {
    let mut out: Vec<Opportunity> = linebreaks(text)
        .filter(|&(pos, kind)| kind == BreakOpportunity::Mandatory || allowed_by_kinsoku(text, pos))
        .map(|(pos, kind)| Opportunity {
            pos,
            mandatory: kind == BreakOpportunity::Mandatory,
        })
        .collect();
    if out.last().map(|o| o.pos) != Some(text.len()) {
        out.push(Opportunity {
            pos: text.len(),
            mandatory: true,
        });
    }
    out
}

/// True unless breaking before byte `pos` would start a line with a
/// no-start character or end one with a no-end character.
fn allowed_by_kinsoku(text: &str, pos: usize) -> bool {
    let next = text[pos..].chars().next();
    let prev = text[..pos].trim_end_matches(' ').chars().next_back();
    !(next.is_some_and(|c| NO_LINE_START.contains(c))
        || prev.is_some_and(|c| NO_LINE_END.contains(c)))
}

/// Fills `text` into lines no wider than `max_width`, measuring with
/// `width_of` (called on substrings). A segment wider than a line (a long
/// URL or word) is broken between characters.
pub fn break_lines(text: &str, max_width: f32, width_of: impl Fn(&str) -> f32) -> Vec<Line> {
    break_ranges(text, |_| max_width, |r| width_of(&text[r]))
}

/// The general form of [`break_lines`]: the width available to line `n` is
/// `max_width(n)` (for first-line indents), and `width_of` measures a byte
/// range of `text` (so a caller can look up styles by position).
pub fn break_ranges(
    text: &str,
    max_width: impl Fn(usize) -> f32,
    width_of: impl Fn(Range<usize>) -> f32,
) -> Vec<Line> {
    break_ranges_with(text, max_width, width_of, LongWords::Cut)
}

/// What to do with a segment (a word, a URL) wider than the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LongWords {
    /// Break it between characters (typesetting: nothing may cross the
    /// margin).
    Cut,
    /// Keep it whole on a line of its own (plain text: a split word or URL
    /// is worse than a long line).
    Overflow,
}

/// [`break_ranges`] with a choice of what happens to over-long segments.
pub fn break_ranges_with(
    text: &str,
    max_width: impl Fn(usize) -> f32,
    width_of: impl Fn(Range<usize>) -> f32,
    long_words: LongWords,
) -> Vec<Line> {
    let opps = opportunities(text);
    let mut lines = Vec::new();
    let mut start = 0;
    // Best break found so far for the current line: (opportunity index).
    let mut fit: Option<usize> = None;
    let mut i = 0;
    while i < opps.len() {
        let o = opps[i];
        let end = trim_end(text, start, o.pos);
        let width = width_of(start..end);
        let limit = max_width(lines.len());
        // A segment alone on its line that may overflow is taken whole.
        let overflows = fit.is_none() && long_words == LongWords::Overflow;
        if width <= limit || end == start || overflows {
            if o.mandatory {
                lines.push(Line {
                    range: start..end,
                    width,
                    hard: true,
                });
                start = o.pos;
                fit = None;
            } else {
                fit = Some(i);
            }
            i += 1;
            continue;
        }
        match fit.take() {
            // Break at the last opportunity that fitted and retry this one.
            Some(f) => {
                let end = trim_end(text, start, opps[f].pos);
                lines.push(Line {
                    range: start..end,
                    width: width_of(start..end),
                    hard: false,
                });
                start = opps[f].pos;
            }
            // Nothing fits: cut the over-long segment between characters.
            None => {
                let cut = cut_point(text, start, end, limit, &width_of);
                lines.push(Line {
                    range: start..cut,
                    width: width_of(start..cut),
                    hard: false,
                });
                start = cut;
            }
        }
    }
    lines
}

/// Breaks `text` by total fit (Knuth–Plass, as TeX and typst do): of all
/// ways to break at the opportunities, the one whose lines are together
/// closest to their natural spacing. `glue_of(range)` is the line's total
/// (stretch, shrink); a line's badness is 100·r³ with r the share of it
/// used. The last line of each paragraph (before a forced break) is set at
/// natural width. Where no way fits (a word wider than the line), the
/// greedy filler, which cuts such words, is used instead.
pub fn break_total_fit(
    text: &str,
    max_width: impl Fn(usize) -> f32,
    width_of: impl Fn(Range<usize>) -> f32,
    glue_of: impl Fn(Range<usize>) -> (f32, f32),
) -> Vec<Line> {
    let opps = opportunities(text);
    // Node k is "a line starts at starts[k]"; node 0 is the text's start.
    let mut starts = vec![0usize];
    starts.extend(opps.iter().map(|o| o.pos));
    let n = opps.len();
    let inf = f32::INFINITY;
    let mut best = vec![inf; n + 1];
    let mut from = vec![usize::MAX; n + 1];
    let mut lines_to = vec![0usize; n + 1];
    best[0] = 0.0;
    // The node where the current paragraph (after a forced break) began.
    let mut para = 0usize;
    for j in 1..=n {
        let last = opps[j - 1].mandatory;
        for i in (para..j).rev() {
            if best[i] == inf {
                continue;
            }
            let start = starts[i];
            let end = trim_end(text, start, opps[j - 1].pos);
            let w = width_of(start..end);
            let limit = max_width(lines_to[i]);
            let (stretch, shrink) = glue_of(start..end);
            if w - limit > shrink + 0.01 {
                // Lines from further back only get longer.
                break;
            }
            let ratio = if w >= limit {
                (w - limit) / shrink.max(1e-3)
            } else if last {
                0.0
            } else if stretch > 0.0 {
                (limit - w) / stretch
            } else {
                100.0
            };
            let badness = (100.0 * ratio.powi(3)).min(10_000.0);
            let demerits = best[i] + (10.0 + badness).powi(2);
            if demerits < best[j] {
                best[j] = demerits;
                from[j] = i;
                lines_to[j] = lines_to[i] + 1;
            }
        }
        if best[j] == inf && last {
            // An over-long segment: no total fit for this text.
            return break_ranges(text, max_width, width_of);
        }
        if last {
            para = j;
        }
    }
    if best[n] == inf {
        return break_ranges(text, max_width, width_of);
    }
    let mut ends = Vec::new();
    let mut j = n;
    while j > 0 {
        ends.push(j);
        j = from[j];
    }
    ends.reverse();
    let mut prev = 0usize;
    ends.into_iter()
        .map(|j| {
            let start = starts[prev];
            prev = j;
            let end = trim_end(text, start, opps[j - 1].pos);
            Line {
                range: start..end,
                width: width_of(start..end),
                hard: opps[j - 1].mandatory,
            }
        })
        .collect()
}

/// End of the line `start..end` without trailing spaces and newlines.
fn trim_end(text: &str, start: usize, end: usize) -> usize {
    start
        + text[start..end]
            .trim_end_matches([' ', '\n', '\r', '\t', '\u{2028}'])
            .len()
}

/// The furthest character boundary after which `start..` still fits; at
/// least one character so that filling always advances.
fn cut_point(
    text: &str,
    start: usize,
    end: usize,
    limit: f32,
    width_of: &impl Fn(Range<usize>) -> f32,
) -> usize {
    let mut cut = start;
    for (off, c) in text[start..end].char_indices() {
        let next = start + off + c.len_utf8();
        if cut > start && width_of(start..next) > limit {
            break;
        }
        cut = next;
    }
    // In a URL or identifier, prefer to cut after `/ ? & = . - _` when that
    // keeps most of the line (the rest is letter-spaced to the measure).
    let best = cut;
    if best < end {
        let floor = limit * 0.7;
        for (off, c) in text[start..best].char_indices().rev() {
            let after = start + off + c.len_utf8();
            if width_of(start..after) < floor {
                break;
            }
            if "/?&=.-_".contains(c) && after > start {
                cut = after;
                break;
            }
        }
    }
    // Keep a no-start character with the text before it.
    while cut < end {
        match text[cut..].chars().next() {
            Some(c) if NO_LINE_START.contains(c) => cut += c.len_utf8(),
            _ => break,
        }
    }
    cut
}

pub use crate::text::is_cjk;

/// Byte offsets in `line` after which justification adds space: after
/// each word space, and between two characters at least one of which is
/// CJK. The line's last character never gets one.
pub fn stretch_points(line: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let Some(&(j, next)) = chars.peek() else {
            break;
        };
        let space = c == ' ' && next != ' ';
        if space || (c != ' ' && next != ' ' && (is_cjk(c) || is_cjk(next))) {
            out.push(j);
        }
        let _ = i;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    fn cols(s: &str) -> f32 {
        s.width() as f32
    }

    fn lines(text: &str, width: f32) -> Vec<&str> {
        break_lines(text, width, cols)
            .into_iter()
            .map(|l| &text[l.range])
            .collect()
    }

    #[test]
    fn latin_breaks_at_spaces() {
        assert_eq!(
            lines("the quick brown fox jumps", 10.0),
            ["the quick", "brown fox", "jumps"]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Width 6 columns = 3 ideographs; "。" would start line 2, so
        // "是人。" moves down together.
        let got = lines("我们都是人。然后走了", 6.0);
        assert_eq!(got, ["我们都", "是人。", "然后走", "了"]);
        for l in &got[1..] {
            assert!(!NO_LINE_START.contains(l.chars().next().unwrap()));
        }
    }

    #[test]
    fn opening_bracket_never_ends_a_line() {
        let got = lines("他说了「你好」", 6.0);
        for l in &got {
            assert!(!NO_LINE_END.contains(l.chars().last().unwrap()), "{got:?}");
        }
    }

    #[test]
    fn long_word_is_cut() {
        let got = lines("see https://example.com/a/very/long/path ok", 12.0);
        assert!(got.iter().all(|l| cols(l) <= 12.0), "{got:?}");
        assert_eq!(
            got.concat().replace(' ', ""),
            "seehttps://example.com/a/very/long/pathok"
        );
    }

    #[test]
    fn newline_is_a_hard_break() {
        let l = break_lines("ab\ncd", 80.0, cols);
        assert_eq!(l.len(), 2);
        assert!(l[0].hard && l[1].hard);
    }

    #[test]
    fn stretch_points_between_cjk_and_after_spaces() {
        assert_eq!(stretch_points("中文字"), vec![3, 6]);
        assert_eq!(stretch_points("a b"), vec![2]);
        assert_eq!(stretch_points("ab"), Vec::<usize>::new());
    }

    /// Total fit: never worse than greedy filling in summed badness, and
    /// it evens out a paragraph greedy leaves with a loose line.
    #[test]
    fn total_fit_evens_out_lines() {
        let text = "the quick brown fox jumps over the lazy dog and then some \
                    extraordinarily long words appear in the middle of it all";
        let glue = |r: Range<usize>| {
            let spaces = text[r].trim().matches(' ').count() as f32;
            (spaces * 1.0, spaces * 0.3)
        };
        let cost = |lines: &[Line], width: f32| -> f32 {
            lines
                .iter()
                .filter(|l| !l.hard)
                .map(|l| {
                    let (st, _) = glue(l.range.clone());
                    ((width - l.width).max(0.0) / st.max(1e-3)).powi(3)
                })
                .sum()
        };
        for width in [18.0, 22.0, 27.0, 31.0] {
            let greedy = break_ranges(text, |_| width, |r| cols(&text[r]));
            let fit = break_total_fit(text, |_| width, |r| cols(&text[r]), glue);
            assert!(cost(&fit, width) <= cost(&greedy, width) + 1e-3, "{width}");
            let joined: Vec<&str> = fit.iter().map(|l| text[l.range.clone()].trim()).collect();
            assert_eq!(joined.join(" "), text);
            assert!(fit.last().unwrap().hard);
        }
        // A word wider than the line falls back to cutting it.
        let long = break_total_fit(
            "see averyveryverylongword",
            |_| 8.0,
            |r| cols(&"see averyveryverylongword"[r]),
            |_| (1.0, 0.0),
        );
        assert!(long.iter().all(|l| l.width <= 8.0));
    }

    /// Golden file of break decisions: each case is `width|text`, the
    /// expected output lists the lines. Regenerate with `INSTA_UPDATE`.
    #[test]
    fn golden_line_breaks() {
        let cases = include_str!("../tests/golden/linebreak_cases.txt");
        let mut out = String::new();
        for case in cases
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let Some((w, text)) = case.split_once('|') else {
                continue;
            };
            let width: f32 = w.trim().parse().unwrap();
            out.push_str(&format!("## {width} {text}\n"));
            for line in lines(text, width) {
                out.push_str(&format!("[{line}]\n"));
            }
        }
        insta::assert_snapshot!(out);
    }
}
