//! `--device` and the flags that override each of its settings: the
//! profile gives the defaults ([`conv::device`]), a flag given wins.

use super::report::say;
use super::{usage, Args};
use conv::device::{self, Flavour, Profile};
use conv::options::Options;
use conv::write::{self, Writer};
use conv::Session;
use std::path::Path;

/// The device flags (flattened into the command line).
#[derive(clap::Args, Debug)]
pub(super) struct DeviceArgs {
    /// Reading device whose page, fonts, pictures and EPUB flavour to use; `--device list` shows them.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "generic",
        help_heading = "Device"
    )]
    pub device: String,
    /// Page size: a4, a5, letter, kindle, kobo, remarkable or WxHmm (default: the device's; a5).
    #[arg(long, help_heading = "EPUB and PDF")]
    pub page: Option<String>,
    /// Body font size in points (default: the device's; 11).
    #[arg(long, help_heading = "EPUB and PDF")]
    pub font_size: Option<f32>,
    /// PDF margin in millimetres, e.g. 6 or 6mm (default: the device's or the page's).
    #[arg(long, value_name = "MM", help_heading = "Device")]
    pub margin: Option<String>,
    /// Fit pictures within WxH pixels, never enlarging (default: the device's screen; `none`: any size).
    #[arg(long, value_name = "WxH", help_heading = "Device")]
    pub image_max: Option<String>,
    /// Pictures in greyscale (the default of monochrome devices).
    #[arg(long, overrides_with = "colour", help_heading = "Device")]
    pub grey: bool,
    /// Pictures kept in colour.
    #[arg(
        long,
        alias = "color",
        overrides_with = "grey",
        help_heading = "Device"
    )]
    pub colour: bool,
    /// Quality, 1 to 100, of the JPEGs conv encodes (default: the device's).
    #[arg(long, value_name = "N", help_heading = "Device")]
    pub jpeg_quality: Option<u32>,
    /// Largest cover picture, WxH pixels (default: the device's screen; `none`: as it is).
    #[arg(long, value_name = "WxH", help_heading = "Device")]
    pub cover_size: Option<String>,
}

impl DeviceArgs {
    /// The profile `--device` names.
    pub fn profile(&self) -> anyhow::Result<&'static Profile> {
        device::profile(&self.device).ok_or_else(|| {
            usage(format!(
                "--device: unknown device '{}' ({}; see --device list)",
                self.device,
                device::names()
            ))
        })
    }

    /// True for `--device list`.
    pub fn wants_list(&self) -> bool {
        self.device.trim().eq_ignore_ascii_case("list")
    }

    /// The options of the profile with every flag given laid over them.
    pub fn options(&self) -> anyhow::Result<Options> {
        let mut opts = Options::for_device(self.profile()?);
        if let Some(page) = &self.page {
            opts.page = page.clone();
            // A page named by the user brings its own margin.
            opts.margin_mm = None;
        }
        if let Some(size) = self.font_size {
            opts.font_size = size;
        }
        if let Some(margin) = &self.margin {
            opts.margin_mm = Some(parse_mm(margin)?);
        }
        if let Some(max) = &self.image_max {
            opts.images.max = pixels_or_none("--image-max", max)?;
        }
        if self.grey || self.colour {
            opts.images.grey = self.grey;
        }
        if let Some(q) = self.jpeg_quality {
            opts.images.jpeg_quality = u8::try_from(q)
                .ok()
                .filter(|q| (1..=100).contains(q))
                .ok_or_else(|| usage(format!("--jpeg-quality wants 1 to 100, got {q}")))?;
        }
        if let Some(size) = &self.cover_size {
            opts.cover_size = pixels_or_none("--cover-size", size)?;
        }
        Ok(opts)
    }
}

fn parse_mm(text: &str) -> anyhow::Result<f32> {
    let number = text.trim().strip_suffix("mm").unwrap_or(text.trim());
    number
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|mm| mm.is_finite() && *mm >= 0.0)
        .ok_or_else(|| {
            usage(format!(
                "--margin: cannot read '{text}' (millimetres, e.g. 6mm)"
            ))
        })
}

fn pixels_or_none(flag: &str, text: &str) -> anyhow::Result<Option<(u32, u32)>> {
    if text.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    device::parse_pixels(text).map(Some).ok_or_else(|| {
        usage(format!(
            "{flag}: cannot read '{text}' (WxH pixels, e.g. 1236x1648, or none)"
        ))
    })
}

/// The writer the device's EPUB flavour asks for, when neither `-t` nor
/// the output's name tells the format (`None` for the generic profile,
/// which has no format of its own).
pub(super) fn flavour_writer(profile: &Profile) -> Option<&'static dyn Writer> {
    if profile.name == device::GENERIC.name {
        return None;
    }
    write::writer_by_name(profile.flavour.format())
}

/// A note when a KEPUB device gets a plain `.epub`: Kobo reads KEPUB
/// markup only from files named `*.kepub.epub`, so the name the user gave
/// wins and the book is EPUB 3.
pub(super) fn flavour_note(
    profile: &Profile,
    writer: &dyn Writer,
    output: &Path,
) -> Option<String> {
    (profile.flavour == Flavour::Kepub && writer.name() == "epub").then(|| {
        format!(
            "conv: note: {} writes EPUB 3 to {} as named; Kobo uses KEPUB only for files \
             named *.kepub.epub (or give -t kepub)",
            profile.name,
            output.display()
        )
    })
}

/// The writer from `--to`, else from the output's extension, else the
/// device's EPUB flavour (`--device kobo`: KEPUB).
pub(super) fn pick_writer(
    session: &Session,
    to: Option<&str>,
    output: Option<&Path>,
) -> anyhow::Result<&'static dyn Writer> {
    let by_device = flavour_writer(session.opts.device);
    if let Some(name) = to {
        return write::writer_by_name(name).ok_or_else(|| {
            usage(format!(
                "unknown output format '{name}' (see --list-formats)"
            ))
        });
    }
    match output {
        Some(path) if path != Path::new("-") => {
            write::writer_for_path(path).or(by_device).ok_or_else(|| {
                usage(format!(
                    "cannot tell the output format from '{}'; give --to (see --list-formats)",
                    path.display()
                ))
            })
        }
        _ => Ok(&write::txt::TextWriter),
    }
}

/// Says when the output's name overrules the device's EPUB flavour.
pub(super) fn note_flavour(args: &Args, session: &Session, writer: &dyn Writer) {
    let output = args
        .output
        .as_deref()
        .filter(|_| args.to.is_none() && !args.quiet);
    if let Some(note) = output.and_then(|o| flavour_note(session.opts.device, writer, o)) {
        say(&note);
    }
}
