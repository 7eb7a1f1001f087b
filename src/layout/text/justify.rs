//! Spreading a justified line's spare width over its glue: word spaces
//! and the gaps beside CJK characters first, up to their natural stretch;
//! what is left (a line the breaker could not fill better) as light
//! letter-spacing inside words, so that no line is loose or ragged.
//!
//! Code keeps its columns: a space inside inline code neither stretches
//! nor shrinks and its letters are never spaced (TeX's typewriter faces
//! have no interword stretch either), or `npm install` would read as two
//! wide-set words and `s e m v e r` as something else.

use super::Glyph;
use crate::text::{is_cjk, is_default_ignorable};

/// Stretch of a word space, in em: with the Latin face's 0.29 em space a
/// line at its limit has word gaps of 0.46 em, under the half an em where
/// TeX would call it underfull.
pub const SPACE_STRETCH: f32 = 0.17;
/// Shrink of a word space, in em (down to about 0.19 em, TeX's 2/3).
pub const SPACE_SHRINK: f32 = 0.1;
/// Stretch between two characters one of which is CJK, in em.
pub const CJK_STRETCH: f32 = 0.12;

/// What a gap beside a CJK character may take, in em, beyond its stretch
/// before letters are spaced.
const CJK_EMERGENCY: f32 = 0.25;

/// The most letter-spacing emergency stretch puts between two letters, in
/// em, before the rest goes to every point alike: a line with one word
/// beside a long code span is not spread "w o r d" with a 0.8 em hole
/// before its comma.
pub const LETTER_SPACING_MAX: f32 = 0.12;

/// What a glyph boundary takes of the spare width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Point {
    /// Before the first glyph, next to a space, or an invisible glyph.
    None,
    /// The first glyph after a word space.
    Space,
    /// Between two visible characters one of which is CJK.
    Cjk,
    /// Between two letters (or marks) of a Latin word.
    Letter,
}

/// Extra space before each of `glyphs` so that the line grows by `extra`
/// points (shrinks, when negative) at type size `em`.
pub(super) fn spacing(text: &str, glyphs: &[Glyph], extra: f32, em: f32) -> Vec<f32> {
    let points = classify(text, glyphs);
    let mut out = vec![0.0f32; glyphs.len()];
    if extra == 0.0 || glyphs.len() < 2 {
        return out;
    }
    let count = |p: Point| points.iter().filter(|&&q| q == p).count() as f32;
    let (spaces, cjk, letters) = (count(Point::Space), count(Point::Cjk), count(Point::Letter));
    if extra < 0.0 {
        // Shrink word spaces; a line without any shares it out evenly.
        let (kind, n) = if spaces > 0.0 {
            (Some(Point::Space), spaces)
        } else {
            (None, spaces + cjk + letters)
        };
        for (gap, &p) in out.iter_mut().zip(&points) {
            if p != Point::None && kind.is_none_or(|k| k == p) {
                *gap = extra / n;
            }
        }
        return out;
    }
    let capacity = (spaces * SPACE_STRETCH + cjk * CJK_STRETCH) * em;
    let share = if capacity > 0.0 {
        (extra / capacity).min(1.0)
    } else {
        0.0
    };
    let mut left = extra - share * capacity;
    // Emergency stretch: first the gaps beside CJK characters, which
    // readers take for spacing, up to a quarter em more; the rest between
    // letters; with neither, over the spaces after all.
    let cjk_more = if cjk > 0.0 {
        (left / cjk).min(CJK_EMERGENCY * em)
    } else {
        0.0
    };
    left -= cjk_more * cjk;
    if left < 1e-4 {
        left = 0.0;
    }
    // Then between letters (and again beside CJK), up to
    // LETTER_SPACING_MAX; what a line still lacks is shared by every
    // point alike, spaces too, so that a paragraph is never partly
    // ragged (TeX would stretch its glue past its limit the same way).
    let letter_points = letters + cjk;
    let letter_share = if letter_points > 0.0 {
        (left / letter_points).min(LETTER_SPACING_MAX * em)
    } else {
        0.0
    };
    left -= letter_share * letter_points;
    let all = spaces + letter_points;
    let last = if all > 0.0 && left > 1e-4 {
        left / all
    } else {
        0.0
    };
    for (gap, &p) in out.iter_mut().zip(&points) {
        *gap = match p {
            Point::Space => share * SPACE_STRETCH * em + last,
            Point::Cjk => share * CJK_STRETCH * em + cjk_more + letter_share + last,
            Point::Letter => letter_share + last,
            Point::None => 0.0,
        };
    }
    out
}

/// The kind of each glyph's leading boundary. A boundary inside inline
/// code (both sides code, or after a space of code) takes nothing.
pub(super) fn classify(text: &str, glyphs: &[Glyph]) -> Vec<Point> {
    let mut prev: Option<(char, bool)> = None;
    glyphs
        .iter()
        .map(|g| {
            let c = text[g.pos..].chars().next().unwrap_or(' ');
            if c == '\n' || is_default_ignorable(c) {
                return Point::None;
            }
            let kind = match prev {
                None => Point::None,
                Some((_, true)) if g.mono => Point::None,
                Some((' ', true)) => Point::None,
                Some((' ', _)) if c != ' ' => Point::Space,
                Some((p, _)) if p == ' ' || c == ' ' => Point::None,
                Some((p, _)) if is_cjk(p) || is_cjk(c) => Point::Cjk,
                Some(_) => Point::Letter,
            };
            prev = Some((c, g.mono));
            kind
        })
        .collect()
}

/// Running counts of the boundary kinds of a paragraph's glyphs, so the
/// breaker can ask what glue any candidate line holds.
pub(super) struct GlueCounts {
    /// `prefix[i]` = (spaces, cjk, letters) among the boundaries of
    /// `glyphs[..i]`.
    prefix: Vec<[u32; 3]>,
}

impl GlueCounts {
    pub fn new(text: &str, glyphs: &[Glyph]) -> GlueCounts {
        let mut prefix = Vec::with_capacity(glyphs.len() + 1);
        let mut acc = [0u32; 3];
        prefix.push(acc);
        for p in classify(text, glyphs) {
            match p {
                Point::Space => acc[0] += 1,
                Point::Cjk => acc[1] += 1,
                Point::Letter => acc[2] += 1,
                Point::None => {}
            }
            prefix.push(acc);
        }
        GlueCounts { prefix }
    }

    /// (spaces, cjk, letters) of a line of `glyphs[i..j]`: its first
    /// glyph's boundary is the line start and takes nothing.
    pub fn of_line(&self, i: usize, j: usize) -> [u32; 3] {
        if j <= i + 1 || j >= self.prefix.len() {
            return [0; 3];
        }
        let (a, b) = (self.prefix[i + 1], self.prefix[j]);
        [b[0] - a[0], b[1] - a[1], b[2] - a[2]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(text: &str) -> Vec<Glyph> {
        text.char_indices()
            .map(|(pos, _)| Glyph {
                pos,
                font: 0,
                width: 5.0,
                adjust: 0.0,
                open_half: 0.0,
                mono: false,
                blank: false,
            })
            .collect()
    }

    #[test]
    fn spaces_take_the_stretch_up_to_their_limit() {
        let text = "ab cd ef";
        let gaps = spacing(text, &glyphs(text), 2.0, 10.0);
        assert!(
            (gaps[3] - 1.0).abs() < 1e-4 && (gaps[6] - 1.0).abs() < 1e-4,
            "{gaps:?}"
        );
        assert_eq!(gaps.iter().filter(|&&g| g != 0.0).count(), 2);
    }

    /// A line the breaker could not fill: word gaps stop at their limit and
    /// the rest goes between letters, so no word gap grows loose.
    #[test]
    fn emergency_stretch_letter_spaces_the_rest() {
        let text = "ab cd";
        let gaps = spacing(text, &glyphs(text), 3.0, 10.0);
        assert!((gaps[3] - SPACE_STRETCH * 10.0).abs() < 1e-4, "{gaps:?}");
        let total: f32 = gaps.iter().sum();
        assert!((total - 3.0).abs() < 1e-4);
        assert!(gaps[1] > 0.0 && gaps[4] > 0.0 && gaps[2] == 0.0);
    }

    /// 013_juejin: "outer", a piece of a cut identifier, was spread
    /// "o   u   t   e   r"; letters take at most [`LETTER_SPACING_MAX`]
    /// before the spaces share the rest, and the line is still filled.
    #[test]
    fn letter_spacing_is_capped_then_shared_by_spaces() {
        let text = "outer x";
        let gaps = spacing(text, &glyphs(text), 10.0, 10.0);
        for k in 1..5 {
            assert!(gaps[k] <= LETTER_SPACING_MAX * 10.0 + 1.5, "{gaps:?}");
        }
        assert!(gaps[6] > gaps[1], "{gaps:?}");
        assert!((gaps.iter().sum::<f32>() - 10.0).abs() < 1e-3, "{gaps:?}");
    }

    /// 017_segmentfault: "npm install" inside a line took word-space
    /// stretch and "semver-range" letter-spacing; boundaries inside code
    /// take nothing, the prose around it takes the line's stretch.
    #[test]
    fn inline_code_keeps_its_columns_when_justified() {
        let text = "ab npm install cd";
        let mut gl = glyphs(text);
        for g in &mut gl[3..14] {
            g.mono = true;
        }
        let gaps = spacing(text, &gl, 2.0, 10.0);
        assert!(gaps[4..14].iter().all(|&g| g == 0.0), "{gaps:?}");
        assert!(gaps[3] > 0.0 && gaps[15] > 0.0, "{gaps:?}");
        let counts = GlueCounts::new(text, &gl);
        assert_eq!(counts.of_line(0, gl.len()), [2, 0, 2]);
    }

    #[test]
    fn shrink_takes_word_spaces_only() {
        let text = "ab cd ef";
        let gaps = spacing(text, &glyphs(text), -1.0, 10.0);
        assert_eq!(gaps[3], -0.5);
        assert_eq!(gaps[1], 0.0);
    }
}
