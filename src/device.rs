//! Reading devices (`--device NAME`): one row per e-reader class, with the
//! settings conv tunes for it. A profile only chooses defaults; each of its
//! settings has its own flag that wins (`--page`, `--margin`,
//! `--font-size`, `--image-max`, `--grey`/`--colour`, `--jpeg-quality`,
//! `--cover-size`; the format follows `-t` or the output's extension).
//!
//! Screens are given in pixels as held upright; page sizes are the
//! screen's physical size rounded down to whole millimetres, so a PDF page
//! shows unscaled. `generic` is conv without a device: A5 pages, pictures
//! embedded as they came.

/// The EPUB markup a device reads best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// EPUB 3 (with the EPUB 2 NCX).
    Epub,
    /// Kobo's KEPUB (EPUB 3 plus `koboSpan` sentence spans).
    Kepub,
}

impl Flavour {
    /// The writer name of this flavour (`epub` or `kepub`).
    pub fn format(self) -> &'static str {
        match self {
            Flavour::Epub => "epub",
            Flavour::Kepub => "kepub",
        }
    }
}

/// How pictures are made ready for a screen (the asset pass applies it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImagePolicy {
    /// Fit pictures within this many pixels (width, height), never
    /// enlarging; `None`: any size.
    pub max: Option<(u32, u32)>,
    /// Convert pictures to greyscale (monochrome screens).
    pub grey: bool,
    /// Quality (1–100) of JPEGs conv encodes.
    pub jpeg_quality: u8,
}

impl ImagePolicy {
    /// Pictures as they came (WebP and BMP still become JPEG or PNG).
    pub const KEEP: ImagePolicy = ImagePolicy {
        max: None,
        grey: false,
        jpeg_quality: 88,
    };

    /// True when the policy changes nothing a picture already in an EPUB
    /// core format has (so no picture is decoded for it).
    pub fn keeps_all(&self) -> bool {
        self.max.is_none() && !self.grey
    }
}

/// One device class and what conv sets for it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    /// `--device` name.
    pub name: &'static str,
    /// What it stands for, for `--device list`.
    pub description: &'static str,
    /// PDF page (a `--page` value).
    pub page: &'static str,
    /// PDF margin in millimetres; `None`: the page preset's.
    pub margin_mm: Option<f32>,
    /// Body font size in points.
    pub font_size: f32,
    /// Screen in pixels (width, height); `None`: pictures keep their size.
    pub screen: Option<(u32, u32)>,
    /// Monochrome screen: pictures become greyscale.
    pub grey: bool,
    /// Quality of JPEGs conv encodes.
    pub jpeg_quality: u8,
    /// EPUB markup when the format is not given.
    pub flavour: Flavour,
    /// Largest cover picture (width, height) in pixels; `None`: covers as
    /// they came (and drawn ones at 1200x1600).
    pub cover: Option<(u32, u32)>,
}

impl Profile {
    /// The picture policy of this profile.
    pub fn images(&self) -> ImagePolicy {
        ImagePolicy {
            max: self.screen,
            grey: self.grey,
            jpeg_quality: self.jpeg_quality,
        }
    }

    /// One line for `--device list`.
    pub fn summary(&self) -> String {
        let px = |(w, h): (u32, u32)| format!("{w}x{h}");
        let margin = self
            .margin_mm
            .map_or_else(|| "preset".to_string(), |m| format!("{m}mm"));
        format!(
            "{:<14}{}\n{:<14}page {} margin {} font {}pt; images {}, {}, JPEG q{}; {}; cover {}\n",
            self.name,
            self.description,
            "",
            self.page,
            margin,
            self.font_size,
            self.screen.map_or_else(|| "as they are".into(), px),
            if self.grey { "greyscale" } else { "colour" },
            self.jpeg_quality,
            self.flavour.format().to_uppercase(),
            self.cover.map_or_else(|| "as it is".into(), px),
        )
    }
}

/// The profile without a device: today's behaviour.
pub const GENERIC: Profile = Profile {
    name: "generic",
    description: "no particular device: A5 PDF, pictures embedded as they came (default)",
    page: "a5",
    margin_mm: None,
    font_size: 11.0,
    screen: None,
    grey: false,
    jpeg_quality: ImagePolicy::KEEP.jpeg_quality,
    flavour: Flavour::Epub,
    cover: None,
};

/// Every profile, in `--device list` order.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "kindle",
        description: "Kindle Paperwhite 6.8\" (1236x1648, 300 ppi, greyscale)",
        page: "104x139mm",
        margin_mm: Some(5.0),
        font_size: 10.0,
        screen: Some((1236, 1648)),
        grey: true,
        jpeg_quality: 75,
        flavour: Flavour::Epub,
        cover: Some((1236, 1648)),
    },
    Profile {
        name: "kindle-scribe",
        description: "Kindle Scribe 10.2\" (1860x2480, 300 ppi, greyscale)",
        page: "157x209mm",
        margin_mm: Some(10.0),
        font_size: 11.0,
        screen: Some((1860, 2480)),
        grey: true,
        jpeg_quality: 75,
        flavour: Flavour::Epub,
        cover: Some((1860, 2480)),
    },
    Profile {
        name: "kobo",
        description: "Kobo Clara / Libra class (1264x1680, 300 ppi, greyscale), KEPUB",
        page: "kobo",
        margin_mm: None,
        font_size: 10.0,
        screen: Some((1264, 1680)),
        grey: true,
        jpeg_quality: 75,
        flavour: Flavour::Kepub,
        cover: Some((1264, 1680)),
    },
    Profile {
        name: "kobo-color",
        description: "Kobo Clara Colour / Libra Colour (1264x1680, Kaleido colour), KEPUB",
        page: "kobo",
        margin_mm: None,
        font_size: 10.0,
        screen: Some((1264, 1680)),
        grey: false,
        jpeg_quality: 80,
        flavour: Flavour::Kepub,
        cover: Some((1264, 1680)),
    },
    Profile {
        name: "koreader",
        description: "KOReader on a 6\" e-ink reader (1072x1448, 300 ppi, greyscale), EPUB 3",
        page: "90x122mm",
        margin_mm: Some(5.0),
        font_size: 10.0,
        screen: Some((1072, 1448)),
        grey: true,
        jpeg_quality: 75,
        flavour: Flavour::Epub,
        cover: Some((1072, 1448)),
    },
    Profile {
        name: "remarkable",
        description: "reMarkable 2 (1404x1872, 226 ppi, greyscale)",
        page: "remarkable",
        margin_mm: None,
        font_size: 11.0,
        screen: Some((1404, 1872)),
        grey: true,
        jpeg_quality: 75,
        flavour: Flavour::Epub,
        cover: Some((1404, 1872)),
    },
    // Colour: today's Boox tablets (Note Air C, Tab Ultra C, Go Color) have
    // Kaleido screens, and a grey-screen Boox greys a colour picture itself,
    // while a picture greyed here cannot get its colour back.
    Profile {
        name: "boox",
        description: "Onyx Boox 10.3\" (1404x1872, 227 ppi; colour kept, grey models grey it)",
        page: "157x209mm",
        margin_mm: Some(10.0),
        font_size: 11.0,
        screen: Some((1404, 1872)),
        grey: false,
        jpeg_quality: 80,
        flavour: Flavour::Epub,
        cover: Some((1404, 1872)),
    },
    GENERIC,
];

/// The profile called `name` (case does not matter).
pub fn profile(name: &str) -> Option<&'static Profile> {
    let name = name.trim().to_ascii_lowercase();
    PROFILES.iter().find(|p| p.name == name)
}

/// The names of every profile, for messages.
pub fn names() -> String {
    let names: Vec<&str> = PROFILES.iter().map(|p| p.name).collect();
    names.join(", ")
}

/// `--device list`: every profile with its settings.
pub fn list() -> String {
    let mut text = String::from("Devices (--device NAME; each setting has its own flag):\n");
    for p in PROFILES {
        text += &p.summary();
    }
    text
}

/// Reads `WxH` (pixels, e.g. `1236x1648`); `None` when it is not that or a
/// side is 0 or over 20000.
pub fn parse_pixels(text: &str) -> Option<(u32, u32)> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.strip_suffix("px").unwrap_or(&text);
    let (w, h) = text.split_once(['x', '×'])?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|v| (1..=20_000).contains(v))
    };
    Some((side(w)?, side(h)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_is_found_by_name_and_pages_parse() {
        for p in PROFILES {
            assert_eq!(profile(&p.name.to_uppercase()), Some(p));
            let page = crate::layout::page_size(p.page).expect(p.page);
            assert!(page.width < page.height, "{}: upright page", p.name);
            assert!((1..=100).contains(&p.jpeg_quality));
            assert!(p.font_size >= 8.0 && p.font_size <= 14.0);
        }
        assert_eq!(profile("nook"), None);
    }

    #[test]
    fn generic_is_todays_behaviour() {
        let g = profile("generic").unwrap();
        let opts = crate::Options::default();
        assert_eq!((g.page, g.font_size), (opts.page.as_str(), opts.font_size));
        assert!(g.images().keeps_all());
        assert_eq!(g.images(), ImagePolicy::KEEP);
        assert_eq!(g.flavour, Flavour::Epub);
    }

    #[test]
    fn the_brief_devices_have_their_screens_and_colours() {
        let want = [
            ("kindle", (1236, 1648), true, Flavour::Epub),
            ("kindle-scribe", (1860, 2480), true, Flavour::Epub),
            ("kobo", (1264, 1680), true, Flavour::Kepub),
            ("kobo-color", (1264, 1680), false, Flavour::Kepub),
            ("koreader", (1072, 1448), true, Flavour::Epub),
            ("remarkable", (1404, 1872), true, Flavour::Epub),
            ("boox", (1404, 1872), false, Flavour::Epub),
        ];
        for (name, screen, grey, flavour) in want {
            let p = profile(name).unwrap();
            assert_eq!(p.screen, Some(screen), "{name}");
            assert_eq!((p.grey, p.flavour), (grey, flavour), "{name}");
            assert!(!p.images().keeps_all(), "{name}");
            // The page is the screen's physical size or smaller (no scaling on device).
            let page = crate::layout::page_size(p.page).unwrap();
            let ppi = if name == "remarkable" || name == "boox" {
                226.0
            } else {
                300.0
            };
            let screen_pt = screen.0 as f32 / ppi * 72.0;
            assert!(page.width <= screen_pt + 1.0, "{name}: {} pt", page.width);
        }
    }

    #[test]
    fn the_list_shows_every_profile_and_its_settings() {
        let list = list();
        for p in PROFILES {
            assert!(list.contains(p.name), "{}", p.name);
        }
        assert!(list.contains("1236x1648"));
        assert!(list.contains("KEPUB"));
        assert!(list.contains("greyscale"));
    }

    #[test]
    fn pixel_sizes_parse() {
        assert_eq!(parse_pixels("1236x1648"), Some((1236, 1648)));
        assert_eq!(parse_pixels(" 800X600px "), Some((800, 600)));
        assert_eq!(parse_pixels("800×600"), Some((800, 600)));
        for bad in ["", "800", "0x600", "800x", "axb", "30000x10", "-1x5"] {
            assert_eq!(parse_pixels(bad), None, "{bad}");
        }
    }
}
