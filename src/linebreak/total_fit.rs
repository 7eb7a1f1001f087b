//! Paragraphs broken by total fit (Knuth–Plass, as TeX and typst do): of
//! all ways to break at the candidates, the one whose lines are together
//! closest to their natural spacing, counting a price for each hyphen.
//!
//! Candidates are the UAX #14 + kinsoku opportunities, the extra points the
//! caller found inside words and long tokens ([`Extra`]), and, in a segment
//! wider than a line (a hash, a long identifier), every grapheme boundary as
//! a last resort, so a paragraph always has a way to be set justified.

use super::{allowed_by_kinsoku, break_ranges, opportunities, trim_end, Line};
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// A break point inside a word or token, besides the UAX #14 ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Extra {
    /// A hyphenation point: the line ends with an inserted hyphen.
    Hyphen,
    /// After `/ ? & = . - _` in a URL or identifier: no mark is inserted.
    Url,
    /// Between any two characters of a URL (outside its `%XX` escapes),
    /// dearer than after a separator.
    Char,
}

/// How a line may end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A UAX #14 opportunity (a space, between ideographs…).
    Plain,
    /// A forced break: a newline or the end of the text.
    Mandatory,
    Hyphen,
    Url,
    /// Between two characters of a URL.
    Char,
    /// Between two graphemes of a segment wider than the line: the
    /// last resort.
    Cut,
}

impl Kind {
    /// The price of ending a line here, in TeX's units (squared into the
    /// demerits): a hyphen costs what TeX's `\hyphenpenalty` does.
    fn penalty(self) -> f32 {
        match self {
            Kind::Plain | Kind::Mandatory => 0.0,
            Kind::Hyphen => 50.0,
            Kind::Url => 40.0,
            Kind::Char => 300.0,
            Kind::Cut => 1000.0,
        }
    }
}

/// Extra demerits of two hyphenated lines in a row (TeX's
/// `\doublehyphendemerits`).
const DOUBLE_HYPHEN: f32 = 10_000.0;
/// Extra demerits of a hyphen on a paragraph's last full line (TeX's
/// `\finalhyphendemerits`).
const FINAL_HYPHEN: f32 = 5_000.0;

/// Extra demerits of a runt: a paragraph's last line holding one CJK
/// character or one short word and its punctuation ("项。"), which reads as
/// an accident (clreq; typst's `costs.runt`). As dear as a line above set
/// at badness ~110 (its CJK gaps 0.12 em wider): the lines above take a
/// little more spacing to carry a character down (corpus runts: 23 → 2 at
/// A5, 51 → 25 on kindle pages).
const RUNT: f32 = 15_000.0;

/// One place a line may end; the next line starts at `pos`.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    pos: usize,
    kind: Kind,
}

/// The glue inside a line, in points.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Glue {
    /// What the line may grow by at its natural stretch (word spaces, gaps
    /// beside CJK characters).
    pub stretch: f32,
    /// What it may shrink by.
    pub shrink: f32,
    /// The number of places between letters, times the em: beyond its
    /// stretch a line is letter-spaced (emergency stretch), and its badness
    /// grows with the letter-spacing it needs.
    pub letters: f32,
}

/// Letter-spacing, in em, that makes a line as bad as an unhyphenated
/// loose one (badness 100 more at this, growing with its square).
const LETTER_SPACING_UNIT: f32 = 0.02;

/// What the breaker needs to know of the text's setting.
pub struct Measure<W, G> {
    /// Width of a byte range as set (the caller's font metrics).
    pub width_of: W,
    /// The glue inside a byte range.
    pub glue_of: G,
    /// Width of the hyphen a [`Extra::Hyphen`] break adds.
    pub hyphen_width: f32,
}

/// Breaks `text` by total fit. `max_width(n)` is the measure of line `n`
/// (first-line indents), `extra` the sorted break points inside words and
/// tokens. A line's badness is 100·r³ with r the share of its stretch (or
/// shrink) used; the last line of each paragraph (before a forced break) is
/// set at natural width. Only where not even one grapheme fits a line does
/// it fall back to the greedy filler.
pub fn break_total_fit<W, G>(
    text: &str,
    extra: &[(usize, Extra)],
    max_width: impl Fn(usize) -> f32,
    m: Measure<W, G>,
) -> Vec<Line>
where
    W: Fn(Range<usize>) -> f32,
    G: Fn(Range<usize>) -> Glue,
{
    let narrowest = max_width(0).min(max_width(1));
    let cands = candidates(text, extra, narrowest, &m.width_of);
    let n = cands.len();
    let inf = f32::INFINITY;
    // Node k > 0 is "a line ends at cands[k - 1]"; node 0 the text's start.
    let start_of = |k: usize| if k == 0 { 0 } else { cands[k - 1].pos };
    let mut best = vec![inf; n + 1];
    let mut from = vec![usize::MAX; n + 1];
    let mut lines_to = vec![0usize; n + 1];
    best[0] = 0.0;
    // The node where the current paragraph (after a forced break) began.
    let mut para = 0usize;
    for j in 1..=n {
        let c = cands[j - 1];
        let last = c.kind == Kind::Mandatory;
        for i in (para..j).rev() {
            if best[i] == inf {
                continue;
            }
            let start = start_of(i);
            let end = trim_end(text, start, c.pos);
            let hyphen = if c.kind == Kind::Hyphen {
                m.hyphen_width
            } else {
                0.0
            };
            let w = (m.width_of)(start..end) + hyphen;
            let limit = max_width(lines_to[i]);
            let glue = (m.glue_of)(start..end);
            if w - limit > glue.shrink + 0.01 {
                // Lines from further back only get longer.
                break;
            }
            let bad = if last && w <= limit {
                0.0
            } else {
                badness(w - limit, glue)
            };
            let mut demerits = (10.0 + bad).powi(2) + c.kind.penalty().powi(2);
            let prev_hyphen = i > 0 && cands[i - 1].kind == Kind::Hyphen;
            if prev_hyphen && c.kind == Kind::Hyphen {
                demerits += DOUBLE_HYPHEN;
            }
            if prev_hyphen && last {
                demerits += FINAL_HYPHEN;
            }
            // Only a paragraph of more than one line can avoid one.
            if last && i > para && is_runt(&text[start..end]) {
                demerits += RUNT;
            }
            let total = best[i] + demerits;
            if total < best[j] {
                best[j] = total;
                from[j] = i;
                lines_to[j] = lines_to[i] + 1;
            }
        }
        if best[j] == inf && last {
            // Not even one grapheme fits: no total fit for this text.
            return break_ranges(text, max_width, m.width_of);
        }
        if last {
            para = j;
        }
    }
    if best[n] == inf {
        return break_ranges(text, max_width, m.width_of);
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
            let start = start_of(prev);
            prev = j;
            let c = cands[j - 1];
            let end = trim_end(text, start, c.pos);
            let hyphen = c.kind == Kind::Hyphen;
            Line {
                range: start..end,
                width: (m.width_of)(start..end) + if hyphen { m.hyphen_width } else { 0.0 },
                hard: c.kind == Kind::Mandatory,
                hyphen,
            }
        })
        .collect()
}

/// Whether `line`, a paragraph's last, is a runt: at most one CJK
/// character and nothing else but punctuation, or one word of at most four
/// letters or digits.
pub(super) fn is_runt(line: &str) -> bool {
    let cjk = line
        .chars()
        .filter(|&c| crate::text::is_cjk_letter(c))
        .count();
    let alnum = line
        .chars()
        .filter(|&c| c.is_alphanumeric() && !crate::text::is_cjk_letter(c))
        .count();
    let words = line.split_whitespace().count();
    match cjk {
        0 => words == 1 && (1..=4).contains(&alnum),
        1 => alnum == 0,
        _ => false,
    }
}

/// How far from its natural spacing a line `over` points too long
/// (negative: too short) is set: TeX's 100·r³ for the share r of its
/// stretch or shrink it uses, and beyond its stretch, a price growing with
/// the square of the letter-spacing that has to make up the rest.
fn badness(over: f32, glue: Glue) -> f32 {
    if over >= 0.0 {
        let r = over / glue.shrink.max(1e-3);
        return 100.0 * r.powi(3);
    }
    let short = -over;
    if short <= glue.stretch {
        let r = short / glue.stretch;
        return 100.0 * r.powi(3);
    }
    let spacing = (short - glue.stretch) / glue.letters.max(1e-3);
    let units = spacing / LETTER_SPACING_UNIT;
    (100.0 + 100.0 * units * units).min(1e7)
}

/// The candidates of `text` in order: opportunities, the caller's extra
/// points, and grapheme boundaries inside segments wider than the
/// narrowest line (so that no segment is left that cannot be set).
fn candidates(
    text: &str,
    extra: &[(usize, Extra)],
    narrowest: f32,
    width_of: &impl Fn(Range<usize>) -> f32,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = opportunities(text)
        .into_iter()
        .map(|o| Candidate {
            pos: o.pos,
            kind: if o.mandatory {
                Kind::Mandatory
            } else {
                Kind::Plain
            },
        })
        .collect();
    let extra = extra.iter().filter(|&&(pos, _)| {
        pos > 0 && pos < text.len() && text.is_char_boundary(pos) && allowed_by_kinsoku(text, pos)
    });
    out.extend(extra.map(|&(pos, e)| Candidate {
        pos,
        kind: match e {
            Extra::Hyphen => Kind::Hyphen,
            Extra::Url => Kind::Url,
            Extra::Char => Kind::Char,
        },
    }));
    sort_dedup(&mut out);
    let mut cuts = Vec::new();
    let mut start = 0;
    for c in &out {
        let end = trim_end(text, start, c.pos);
        if end > start && width_of(start..end) > narrowest {
            cuts.extend(
                text[start..end]
                    .grapheme_indices(true)
                    .map(|(off, _)| start + off)
                    .filter(|&p| p > start && allowed_by_kinsoku(text, p))
                    .map(|pos| Candidate {
                        pos,
                        kind: Kind::Cut,
                    }),
            );
        }
        start = c.pos;
    }
    if !cuts.is_empty() {
        out.extend(cuts);
        sort_dedup(&mut out);
    }
    out
}

/// Sorts candidates by position, keeping the cheapest kind at each.
fn sort_dedup(cands: &mut Vec<Candidate>) {
    let rank = |k: Kind| match k {
        Kind::Mandatory => 0,
        Kind::Plain => 1,
        Kind::Url => 2,
        Kind::Hyphen => 3,
        Kind::Char => 4,
        Kind::Cut => 5,
    };
    cands.sort_by_key(|c| (c.pos, rank(c.kind)));
    cands.dedup_by_key(|c| c.pos);
}
