//! Headings and titles broken into lines as even as possible, preferably
//! after punctuation or between Latin words, never inside a word.

use super::{break_ranges, opportunities, trim_end, Line};
use crate::text::is_cjk;
use std::ops::Range;

/// Price of a break, in the units of [`SLACK`]: after punctuation or at a
/// space nothing, at a CJK–Latin boundary a little, between two ideographs
/// (inside a CJK word, as often as not) or between a numeral and the
/// ideograph it counts enough that a heading breaks after its comma (or
/// at the space a Chinese headline puts between its two halves) even when
/// that leaves the lines a third uneven, and after a
/// hyphen or slash inside a Latin compound ("go-|queue") most.
fn break_price(text: &str, pos: usize) -> f32 {
    let before = text[..pos].trim_end_matches(' ');
    let Some(prev) = before.chars().next_back() else {
        return 0.0;
    };
    let next = text[pos..].chars().next();
    if before.len() < pos || "，。、；：！？）」』】》〉,.;:!?)]—…".contains(prev)
    {
        return 0.0;
    }
    match next {
        Some(n) if is_cjk(prev) && is_cjk(n) => 150.0,
        // A numeral and its measure word or unit ("1|代", "2021|年") are
        // one word: as dear as a break between ideographs.
        Some(n) if (prev.is_ascii_digit() && is_cjk(n)) || (is_cjk(prev) && n.is_ascii_digit()) => {
            150.0
        }
        Some(n) if is_cjk(prev) != is_cjk(n) => 40.0,
        Some(n) if n.is_alphanumeric() && "-/".contains(prev) => 400.0,
        _ => 60.0,
    }
}

/// Weight of a line's unused width (as a share of the measure, squared).
const SLACK: f32 = 1000.0;

/// Breaks `text` into the fewest lines of `max_width` whose lengths are as
/// even as the break opportunities allow: the sum over all lines (the last
/// one too) of their squared unused share, plus each break's price. A word
/// wider than the line is cut by the greedy filler instead.
pub fn break_balanced(
    text: &str,
    max_width: impl Fn(usize) -> f32,
    width_of: impl Fn(Range<usize>) -> f32,
) -> Vec<Line> {
    let opps = opportunities(text);
    let n = opps.len();
    let start_of = |k: usize| if k == 0 { 0 } else { opps[k - 1].pos };
    let inf = f32::INFINITY;
    let mut best = vec![inf; n + 1];
    let mut from = vec![usize::MAX; n + 1];
    let mut lines_to = vec![0usize; n + 1];
    best[0] = 0.0;
    let mut para = 0;
    for j in 1..=n {
        let o = opps[j - 1];
        for i in (para..j).rev() {
            if best[i] == inf {
                continue;
            }
            let start = start_of(i);
            let end = trim_end(text, start, o.pos);
            let limit = max_width(lines_to[i]).max(1e-3);
            let w = width_of(start..end);
            if w > limit + 0.01 {
                break;
            }
            let slack = (limit - w) / limit;
            let price = if o.mandatory {
                0.0
            } else {
                break_price(text, o.pos)
            };
            let total = best[i] + SLACK * slack * slack + price;
            if total < best[j] {
                best[j] = total;
                from[j] = i;
                lines_to[j] = lines_to[i] + 1;
            }
        }
        if best[j] == inf && o.mandatory {
            return break_ranges(text, max_width, width_of);
        }
        if o.mandatory {
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
    let mut prev = 0;
    ends.into_iter()
        .map(|j| {
            let start = start_of(prev);
            prev = j;
            let end = trim_end(text, start, opps[j - 1].pos);
            Line {
                range: start..end,
                width: width_of(start..end),
                hard: opps[j - 1].mandatory,
                hyphen: false,
            }
        })
        .collect()
}
