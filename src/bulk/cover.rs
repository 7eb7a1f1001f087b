//! The generated cover of a bundle: the book's title, its date range and its
//! article count, drawn with the bundled CJK font onto a PNG.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{Rgb, RgbImage};

/// Cover size: 3:4, the shape of most e-reader screens.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 1600;
const MARGIN: f32 = 110.0;
const BACKGROUND: Rgb<u8> = Rgb([247, 243, 235]);
const BAND: Rgb<u8> = Rgb([38, 70, 83]);
const INK: Rgb<u8> = Rgb([30, 30, 30]);
const PAPER: Rgb<u8> = Rgb([250, 250, 250]);

/// What the cover says.
#[derive(Debug, Clone)]
pub struct CoverText {
    /// The book title, wrapped over several lines when long.
    pub title: String,
    /// A line under the title (the date range).
    pub subtitle: String,
    /// A line at the foot (e.g. "42 articles").
    pub footer: String,
}

/// Draws the cover at 1200×1600 and returns PNG bytes; `None` if the font
/// cannot be read.
pub fn render(text: &CoverText, font_bytes: &[u8]) -> Option<Vec<u8>> {
    render_sized(text, font_bytes, (WIDTH, HEIGHT))
}

/// Draws the cover at `width`×`height` pixels (a device's screen): the
/// layout of the 1200×1600 cover, stretched to the size.
pub fn render_sized(text: &CoverText, font_bytes: &[u8], size: (u32, u32)) -> Option<Vec<u8>> {
    let font = FontRef::try_from_slice(font_bytes).ok()?;
    let (width, height) = (size.0.clamp(120, 8000), size.1.clamp(160, 8000));
    let sx = width as f32 / WIDTH as f32;
    let sy = height as f32 / HEIGHT as f32;
    let px = |v: f32| PxScale::from(v * sx.min(sy));
    let margin = MARGIN * sx;
    let mut img = RgbImage::from_pixel(width, height, BACKGROUND);
    fill_rect(
        &mut img,
        0,
        (360.0 * sy) as u32,
        width,
        (620.0 * sy) as u32,
        BAND,
    );
    let title_scale = px(96.0);
    let mut y = 440.0 * sy;
    for line in wrap(&font, title_scale, &text.title, width as f32 - 2.0 * margin)
        .into_iter()
        .take(4)
    {
        draw_line(&mut img, &font, title_scale, &line, margin, y, PAPER);
        y += 120.0 * sx.min(sy);
    }
    let subtitle = (&text.subtitle, px(56.0), 1120.0 * sy);
    let footer = (&text.footer, px(48.0), 1420.0 * sy);
    for (line, scale, baseline) in [subtitle, footer] {
        draw_line(&mut img, &font, scale, line, margin, baseline, INK);
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(png)
}

fn fill_rect(img: &mut RgbImage, x0: u32, y0: u32, w: u32, h: u32, color: Rgb<u8>) {
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            img.put_pixel(x, y, color);
        }
    }
}

fn advance(font: &FontRef<'_>, scale: PxScale, text: &str) -> f32 {
    let scaled = font.as_scaled(scale);
    text.chars()
        .map(|c| scaled.h_advance(font.glyph_id(c)))
        .sum()
}

/// Greedy wrap at UAX #14 opportunities to `width` pixels.
fn wrap(font: &FontRef<'_>, scale: PxScale, text: &str, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last = None;
    for (pos, _) in unicode_linebreak::linebreaks(text) {
        if advance(font, scale, text[start..pos].trim_end()) > width {
            if let Some(fit) = last.filter(|&f| f > start) {
                lines.push(text[start..fit].trim_end().to_string());
                start = fit;
            }
        }
        last = Some(pos);
    }
    lines.push(text[start..].trim_end().to_string());
    lines
}

/// Draws one line with its baseline at `baseline`, blending by coverage.
fn draw_line(
    img: &mut RgbImage,
    font: &FontRef<'_>,
    scale: PxScale,
    text: &str,
    x: f32,
    baseline: f32,
    color: Rgb<u8>,
) {
    let scaled = font.as_scaled(scale);
    let mut caret = x;
    for c in text.chars() {
        let id = font.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(caret, baseline));
        caret += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let (px, py) = (
                bounds.min.x as i64 + i64::from(gx),
                bounds.min.y as i64 + i64::from(gy),
            );
            if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height()) {
                return;
            }
            let pixel = img.get_pixel_mut(px as u32, py as u32);
            for (channel, ink) in pixel.0.iter_mut().zip(color.0) {
                let blended = f32::from(*channel) * (1.0 - coverage) + f32::from(ink) * coverage;
                *channel = blended.round().clamp(0.0, 255.0) as u8;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_font_that_cannot_be_read_gives_no_cover() {
        let text = CoverText {
            title: "x".into(),
            subtitle: String::new(),
            footer: String::new(),
        };
        assert!(render(&text, b"not a font").is_none());
    }

    #[test]
    fn a_device_cover_is_drawn_at_its_size() {
        let text = CoverText {
            title: "周刊 Weekly".into(),
            subtitle: "2024".into(),
            footer: "3".into(),
        };
        let png = render_sized(&text, crate::fonts::BODY_FONT_BYTES, (1860, 2480)).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (1860, 2480));
        // The band is where the 1200×1600 layout has it, stretched.
        let band = img
            .to_rgb8()
            .get_pixel(10, (700.0 * 2480.0 / 1600.0) as u32)
            .0;
        assert_eq!(band, BAND.0);
    }
}
