//! Line breaking shared by the PDF layout and the plain-text writer.
//!
//! Break opportunities come from UAX #14 (`unicode-linebreak`), tightened by
//! the Chinese/Japanese line-start and line-end prohibitions (kinsoku): no
//! line starts with closing punctuation such as `，。」` and no line ends
//! with opening punctuation such as `（「`. None of it knows about fonts:
//! the caller passes a width function (display columns from `unicode-width`
//! for text, points from font metrics for PDF).
//!
//! Three fillers: greedy (here; plain text and code), total fit for
//! justified paragraphs with hyphenation ([`total_fit`], [`hyphen`]), and
//! balanced for headings ([`balance`]).

mod balance;
mod hyphen;
mod total_fit;

pub use balance::break_balanced;
pub use hyphen::{hyphenation_lang, word_breaks, Lang};
pub use total_fit::{break_total_fit, Extra, Glue, Measure};

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
    /// True when the line ends inside a word, with an inserted hyphen
    /// (counted in `width`).
    pub hyphen: bool,
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
/// no-start character or end one with a no-end character, or split a
/// word-initial hyphen from its word.
fn allowed_by_kinsoku(text: &str, pos: usize) -> bool {
    let next = text[pos..].chars().next();
    let prev = text[..pos].trim_end_matches(' ').chars().next_back();
    !(next.is_some_and(|c| NO_LINE_START.contains(c))
        || prev.is_some_and(|c| NO_LINE_END.contains(c))
        || after_word_initial_hyphen(text, pos))
}

/// True when `text[..pos]` ends with a hyphen that begins a word ("-save",
/// "-1"): UAX #14 (15.1, LB20.1) keeps it with what follows, the
/// `unicode-linebreak` tables do not yet.
fn after_word_initial_hyphen(text: &str, pos: usize) -> bool {
    let mut back = text[..pos].chars().rev();
    matches!(back.next(), Some('-' | '\u{2010}')) && back.next().is_none_or(char::is_whitespace)
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
                    hyphen: false,
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
                    hyphen: false,
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
                    hyphen: false,
                });
                start = cut;
            }
        }
    }
    lines
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
    // A no-start character must not begin the next line: push the
    // character before it down with it (JIS X 4051's oidashi). Pulling it
    // up instead would cross the margin. In a run of them (a leader of
    // dots, "……") the run is broken: nothing may cross the margin.
    let no_start = |at: usize| text[at..].chars().next().is_some_and(|c| NO_LINE_START.contains(c));
    if cut < end && no_start(cut) {
        let prev = text[..cut].char_indices().next_back().map_or(start, |(i, _)| i);
        if prev > start && !no_start(prev) {
            cut = prev;
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

    /// An RFC's table of contents in `<pre>` (Readability's ietf-1 page):
    /// "Introduction" and its leader of 51 dots ran 90 pt past the margin,
    /// because the cut kept every dot with the text before it.
    #[test]
    fn a_leader_of_dots_is_cut_at_the_margin() {
        let leader = format!("1. Introduction{}2", ".".repeat(51));
        let got = lines(&leader, 30.0);
        assert!(got.iter().all(|l| cols(l) <= 30.0), "{got:?}");
        assert_eq!(got.concat().replace(' ', ""), leader.replace(' ', ""));
    }

    #[test]
    fn a_cut_never_leaves_a_comma_at_a_line_start() {
        let got = lines("abcdefghij,klm", 10.0);
        assert!(got.iter().all(|l| cols(l) <= 10.0), "{got:?}");
        assert!(got.iter().all(|l| !l.starts_with(',')), "{got:?}");
    }

    /// 017_segmentfault on kindle pages: "npm install package -save" broke
    /// as "package -" / "save".
    #[test]
    fn word_initial_hyphen_stays_with_its_word() {
        let got = lines("npm install package -save now", 21.0);
        assert!(got.iter().all(|l| !l.ends_with('-')), "{got:?}");
        assert_eq!(lines("well-known", 5.0), ["well-", "known"]);
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
            let spaces = text[r.clone()].trim().matches(' ').count() as f32;
            Glue {
                stretch: spaces,
                shrink: spaces * 0.3,
                letters: text[r].len() as f32,
            }
        };
        let cost = |lines: &[Line], width: f32| -> f32 {
            lines
                .iter()
                .filter(|l| !l.hard)
                .map(|l| {
                    let st = glue(l.range.clone()).stretch;
                    ((width - l.width).max(0.0) / st.max(1e-3)).powi(3)
                })
                .sum()
        };
        for width in [18.0, 22.0, 27.0, 31.0] {
            let greedy = break_ranges(text, |_| width, |r| cols(&text[r]));
            let fit = fit_cols(text, &[], width, glue);
            assert!(cost(&fit, width) <= cost(&greedy, width) + 1e-3, "{width}");
            let joined: Vec<&str> = fit.iter().map(|l| text[l.range.clone()].trim()).collect();
            assert_eq!(joined.join(" "), text);
            assert!(fit.last().unwrap().hard);
        }
        // A word wider than the line is cut between characters.
        let long = fit_cols("see averyveryverylongword", &[], 8.0, |_| Glue {
            stretch: 1.0,
            ..Glue::default()
        });
        assert!(long.iter().all(|l| l.width <= 8.0), "{long:?}");
    }

    /// clreq's and typst's runt rule (corpus 017 on kindle pages: "…启用这个选"
    /// / "项。"): a paragraph's last line never holds one character alone
    /// when the lines above can carry another down.
    #[test]
    fn the_last_line_is_no_runt() {
        let text = "虽然可以使用它来实现可预测的依赖关系树但\
                    它并不是默认选项而是取决于所有的开发人员项。";
        // conv's glue: 0.12 em between ideographs (two columns an em).
        let glue = |r: Range<usize>| {
            let gaps = text[r.clone()].chars().count().saturating_sub(1) as f32;
            Glue {
                stretch: gaps * 0.24,
                shrink: 0.0,
                letters: gaps,
            }
        };
        // 41 ideographs and a full stop at 20 a line: greedy leaves "项。"
        // alone; total fit carries one more down.
        let greedy = break_ranges(text, |_| 40.0, |r| cols(&text[r]));
        assert_eq!(&text[greedy.last().unwrap().range.clone()], "项。");
        let got: Vec<&str> = fit_cols(text, &[], 40.0, glue)
            .into_iter()
            .map(|l| &text[l.range])
            .collect();
        let last = got.last().unwrap();
        assert!(last.chars().count() >= 3, "{got:?}");
        assert!(!total_fit::is_runt("启用这个选项。"));
        assert!(total_fit::is_runt("项。"));
        assert!(total_fit::is_runt("end."));
        assert!(!total_fit::is_runt("ending."));
        assert!(!total_fit::is_runt("two words"));
    }

    /// Total fit in display columns, a hyphen one column wide.
    fn fit_cols(
        text: &str,
        extra: &[(usize, Extra)],
        width: f32,
        glue: impl Fn(Range<usize>) -> Glue,
    ) -> Vec<Line> {
        let m = Measure {
            width_of: |r: Range<usize>| cols(&text[r]),
            glue_of: glue,
            hyphen_width: 1.0,
        };
        break_total_fit(text, extra, |_| width, m)
    }

    /// Golden file of break decisions: each case is `width|text`, the
    /// expected output lists the lines. Regenerate with `INSTA_UPDATE`.
    #[test]
    fn golden_line_breaks() {
        let cases = include_str!("../../tests/golden/linebreak_cases.txt");
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

    /// Golden file of whole paragraphs broken as the PDF breaks them (total
    /// fit, hyphenation, URL points), code rows and balanced headings, in
    /// display columns. Each line is shown in brackets, a `-` after it when
    /// a hyphen is inserted. Regenerate with `INSTA_UPDATE`.
    #[test]
    fn golden_paragraph_breaks() {
        let cases = include_str!("../../tests/golden/paragraph_cases.txt");
        let mut out = String::new();
        for case in cases
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let Some((head, text)) = case.split_once('|') else {
                continue;
            };
            let (mode, w) = head.split_once(' ').unwrap();
            let width: f32 = w.trim().parse().unwrap();
            let lines = match mode {
                "fit" => fit_paragraph(text, width),
                "code" => break_ranges(text, |_| width, |r| cols(&text[r])),
                _ => break_balanced(text, |_| width, |r| cols(&text[r])),
            };
            out.push_str(&format!("## {mode} {width} {text}\n"));
            for l in lines {
                let mark = if l.hyphen { "-" } else { "" };
                // Justified lines may shrink their spaces a little.
                let room = if mode == "fit" { width * 1.1 } else { width };
                assert!(l.width <= room + 0.01, "{text}: {l:?}");
                out.push_str(&format!("[{}]{mark}\n", &text[l.range]));
            }
        }
        insta::assert_snapshot!(out);
    }

    /// A paragraph broken as `layout::text` breaks a justified one, with
    /// spaces stretching 0.5 and shrinking 0.3 column, CJK gaps 0.25.
    fn fit_paragraph(text: &str, width: f32) -> Vec<Line> {
        let mut extra = Vec::new();
        word_breaks(text, Some(Lang::English), |_, _| true, &mut extra);
        let points = stretch_points(text);
        let glue = |r: Range<usize>| {
            let inner = points.iter().filter(|&&p| p > r.start && p < r.end);
            let (mut spaces, mut cjk) = (0.0, 0.0);
            for &p in inner {
                if text[..p].ends_with(' ') {
                    spaces += 1.0;
                } else {
                    cjk += 1.0;
                }
            }
            Glue {
                stretch: spaces * 0.5 + cjk * 0.25,
                shrink: spaces * 0.3,
                letters: text[r].chars().count() as f32,
            }
        };
        fit_cols(text, &extra, width, glue)
    }

    /// Headings never break inside a Latin word, and prefer punctuation.
    #[test]
    fn balanced_headings_break_after_punctuation_not_inside_words() {
        let text = "示例财经：城市更新计划公布，老旧小区改造提速";
        let lines = break_balanced(text, |_| 30.0, |r| cols(&text[r]));
        let first = &text[lines[0].range.clone()];
        assert!(first.ends_with('，') || first.ends_with('：'), "{first}");
        let latin = "Debuggers Can Deal With Cross-Built Executables";
        for width in [12.0, 20.0, 30.0] {
            for l in break_balanced(latin, |_| width, |r| cols(&latin[r])) {
                let line = &latin[l.range.clone()];
                let after = latin[l.range.end..].chars().next();
                let before = line.chars().last();
                let inside = before.is_some_and(char::is_alphabetic)
                    && after.is_some_and(char::is_alphabetic);
                assert!(!inside, "{width}: {line}");
            }
        }
    }

    /// Hyphenated lines carry the hyphen's width, and the two halves join
    /// back to the word.
    #[test]
    fn hyphenation_breaks_words_and_counts_the_hyphen() {
        let text = "internationalization internationalization";
        let lines = fit_paragraph(text, 12.0);
        assert!(lines.iter().any(|l| l.hyphen), "{lines:?}");
        for l in lines.iter().filter(|l| l.hyphen) {
            assert!((l.width - cols(&text[l.range.clone()]) - 1.0).abs() < 1e-4);
        }
        let joined: String = lines.iter().map(|l| &text[l.range.clone()]).collect();
        assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    }
}
