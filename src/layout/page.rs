//! Page sizes: the presets of `--page` and `WxHmm`.

use crate::error::{Error, Result};

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// A page's size and margin, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// Margin on every side; the running header and the page number sit
    /// inside the top and bottom margins.
    pub margin: f32,
}

/// Presets: name, width × height in mm, margin in mm.
///
/// - `kindle`: the 6" Kindle screen, 600×800 px at 167 ppi = 91.2×121.9 mm,
///   rounded down to 90×122 mm so the page shows unscaled.
/// - `kobo`: a 7" Kobo (Libra 2 / Clara colour class), 1264×1680 px at
///   300 ppi = 107×142 mm.
/// - `remarkable`: reMarkable 2, 1404×1872 px at 226 ppi = 158×210 mm.
pub const PRESETS: &[(&str, f32, f32, f32)] = &[
    ("a4", 210.0, 297.0, 20.0),
    ("a5", 148.0, 210.0, 15.0),
    ("letter", 215.9, 279.4, 20.0),
    ("kindle", 90.0, 122.0, 5.0),
    ("kobo", 107.0, 142.0, 6.0),
    ("remarkable", 158.0, 210.0, 10.0),
];

/// The page named by `spec`: a preset name or `WxHmm` (e.g. `100x160mm`;
/// the margin is then 7 % of the shorter side).
pub fn page_size(spec: &str) -> Result<PageSize> {
    let spec = spec.trim().to_ascii_lowercase();
    if let Some(&(_, w, h, m)) = PRESETS.iter().find(|p| p.0 == spec) {
        return Ok(mm(w, h, m));
    }
    let bad = || {
        Error::write(
            "pdf",
            format!(
                "unknown page size '{spec}' (a4, a5, letter, kindle, kobo, remarkable or WxHmm)"
            ),
        )
    };
    let dims = spec.strip_suffix("mm").ok_or_else(bad)?;
    let (w, h) = dims.split_once('x').ok_or_else(bad)?;
    let w: f32 = w.trim().parse().map_err(|_| bad())?;
    let h: f32 = h.trim().parse().map_err(|_| bad())?;
    if !(40.0..=2000.0).contains(&w) || !(40.0..=2000.0).contains(&h) {
        return Err(bad());
    }
    Ok(mm(w, h, (w.min(h) * 0.07).max(4.0)))
}

fn mm(w: f32, h: f32, m: f32) -> PageSize {
    PageSize {
        width: w * PT_PER_MM,
        height: h * PT_PER_MM,
        margin: m * PT_PER_MM,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_and_custom_sizes() {
        let a4 = page_size("A4").unwrap();
        assert!((a4.width - 595.3).abs() < 0.5 && (a4.height - 841.9).abs() < 0.5);
        let k = page_size("kindle").unwrap();
        assert!((k.width / PT_PER_MM - 90.0).abs() < 0.01);
        let c = page_size("100x160mm").unwrap();
        assert!((c.height / PT_PER_MM - 160.0).abs() < 0.01);
        assert!(page_size("huge").is_err());
        assert!(page_size("1x1mm").is_err());
    }
}
