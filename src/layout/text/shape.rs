//! A face and an advance for each character, and the CJK spacing between
//! neighbours (punctuation compression, CJK–Latin autospace).

use super::{Glyph, Styled};
use crate::fonts::{FontSet, MissingGlyphs, Role, Want};
use crate::text::{is_cjk, is_cjk_letter, is_default_ignorable, is_latin_alnum};

/// Closing CJK punctuation: the glyph sits in the left half of its em.
pub const CLOSING_PUNCT: &str = "，。、；：）」』】》〉〕〗〙〛｝］”’";
/// Full-width marks centred in their em: never the first of a compressed
/// pair, but the second ("」？").
pub const MIDDLE_PUNCT: &str = "？！";
/// Opening CJK punctuation: the glyph sits in the right half of its em.
pub const OPENING_PUNCT: &str = "（「『【《〈〔〖〘〚｛［“‘";

/// CJK spacing between neighbours (clreq 3.1.4, 3.2; JIS X 4051):
/// - of two adjacent full-width punctuation marks whose facing halves are
///   both white (closing then any, opening then opening), the pair loses
///   half an em;
/// - a CJK letter next to a Latin letter or digit, with no space between,
///   gets a quarter em (`autospace`).
///
/// Invisible characters are looked through.
pub(super) fn cjk_spacing(text: &str, glyphs: &mut [Glyph], size: f32, autospace: bool) {
    // Only marks drawn full width take part (a Latin face's quotes do not).
    let full = |c: char, w: f32| {
        (CLOSING_PUNCT.contains(c) || OPENING_PUNCT.contains(c) || MIDDLE_PUNCT.contains(c))
            && w >= size * 0.9
    };
    let mut prev: Option<(char, f32)> = None;
    for g in glyphs.iter_mut() {
        let c = text[g.pos..].chars().next().unwrap_or(' ');
        if is_default_ignorable(c) {
            continue;
        }
        if OPENING_PUNCT.contains(c) && full(c, g.width) {
            g.open_half = g.width / 2.0;
        }
        if let Some((p, pw)) = prev {
            let facing_white = CLOSING_PUNCT.contains(p)
                || (OPENING_PUNCT.contains(p) && OPENING_PUNCT.contains(c));
            if facing_white && full(p, pw) && full(c, g.width) {
                g.adjust -= pw.min(g.width) / 2.0;
            } else if autospace
                && ((is_cjk_letter(p) && is_latin_alnum(c))
                    || (is_latin_alnum(p) && is_cjk_letter(c)))
            {
                g.adjust += size / 4.0;
            }
        }
        prev = Some((c, g.width));
    }
}

/// Chooses the face of each character and measures it at `size`.
pub(super) fn shape(
    styled: &Styled,
    size: f32,
    fonts: &FontSet,
    missing: &mut MissingGlyphs,
) -> Vec<Glyph> {
    let text = &styled.text;
    let mut out = Vec::with_capacity(text.len());
    let mut prev_cjk = false;
    // Code is set on a grid of mono columns: a wide character (CJK) drawn
    // from another face takes two, the rest of its room goes before the
    // next glyph.
    let column = fonts.fonts[FontSet::MONO].advance('0');
    let mut pending = 0.0f32;
    for (pos, c) in text.char_indices() {
        let style = &styled.spans[styled.style_at(pos)].1;
        let role = if style.mono { Role::Mono } else { Role::Body };
        let scale = style.scale();
        let mut glyph = |font, width| Glyph {
            pos,
            font,
            width,
            adjust: std::mem::take(&mut pending),
            open_half: 0.0,
            mono: style.mono,
            blank: false,
        };
        if c == '\n' || is_default_ignorable(c) {
            // Never drawn, never a box (variation selectors, ZWJ, BOM…).
            out.push(glyph(FontSet::BODY, 0.0));
            continue;
        }
        let want = Want {
            bold: style.bold,
            italic: style.italic,
            cjk_context: prev_cjk || next_is_cjk(&text[pos + c.len_utf8()..]),
        };
        if c != ' ' {
            prev_cjk = is_cjk(c);
        }
        let font = fonts.pick_text(c, role, want).unwrap_or_else(|| {
            if !c.is_control() {
                missing.add(c);
            }
            FontSet::BODY
        });
        let face = &fonts.fonts[font];
        let adv = if face.covers(c) {
            face.advance(c)
        } else {
            face.advance('\u{25A1}').max(0.5)
        };
        let mut g = glyph(font, adv * size * scale);
        g.blank = !face.covers(c) && !c.is_whitespace();
        if style.mono && font != FontSet::MONO && column > 0.0 {
            let cols = if unicode_width::UnicodeWidthChar::width(c) == Some(2) {
                2.0
            } else {
                1.0
            };
            pending = (cols * column * size * scale - g.width).max(0.0);
        }
        out.push(g);
    }
    out
}

/// True when the next visible character of `rest` is CJK.
fn next_is_cjk(rest: &str) -> bool {
    rest.chars()
        .find(|&c| c != ' ' && !is_default_ignorable(c))
        .is_some_and(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::super::InlineStyle;
    use super::*;
    use crate::options::Options;

    /// Code set on mono columns: a wide character takes two.
    #[test]
    fn wide_characters_in_code_take_two_columns() {
        let fonts = FontSet::from_options(&Options::default()).unwrap();
        let mut styled = Styled::default();
        let mono = InlineStyle {
            mono: true,
            ..InlineStyle::default()
        };
        styled.push("中ab", &mono, true);
        let mut missing = MissingGlyphs::default();
        let glyphs = shape(&styled, 10.0, &fonts, &mut missing);
        let col = fonts.fonts[FontSet::MONO].advance('0') * 10.0;
        let second = glyphs[0].width + glyphs[1].adjust;
        assert!((second - 2.0 * col).abs() < 0.01, "{second} vs {col}");
    }
}
