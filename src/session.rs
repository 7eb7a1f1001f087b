//! One session per run (typst's `World`): everything a conversion loads or
//! parses from the options — the page size, the forced encoding, the
//! clean-up rules, the fonts, the EPUB templates and the network side of
//! the asset pass — built once by the caller and handed down. A bad option
//! value is an error here, before any article is read, so a typo stops a
//! bulk run at once instead of failing every article.
//!
//! Fonts and templates are loaded on first use (a text run needs neither),
//! and then shared by every article and thread of the run. Nothing here is
//! process-wide: two sessions never share state.

use crate::assets::Fetcher;
use crate::error::{Error, Result};
use crate::fonts::FontSet;
use crate::layout::PageSize;
use crate::options::Options;
use crate::read::html::Rules;
use crate::write::epub::{TemplateFiles, Templates};
use encoding_rs::Encoding;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// What one run has loaded; see the module documentation.
pub struct Session {
    /// The options the session was built from.
    pub opts: Options,
    /// `--page`, parsed.
    pub page: PageSize,
    /// `--encoding`, resolved (`None`: detect per input).
    pub encoding: Option<&'static Encoding>,
    /// The clean-up rules: built-in, plus `--rules`.
    pub rules: Rules,
    /// Remote pictures: the cache, `--offline`, failures so far.
    pub fetcher: Fetcher,
    /// Pictures that could not be had so far (for the run's summary).
    missing_images: AtomicUsize,
    fonts: OnceLock<Result<FontSet>>,
    templates: OnceLock<Result<Templates>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("opts", &self.opts)
            .field("page", &self.page)
            .field("encoding", &self.encoding.map(Encoding::name))
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Parses and loads what `opts` names. The error is one line about the
    /// option at fault ([`Error::Usage`] or the rules file's error).
    pub fn new(opts: Options) -> Result<Session> {
        let mut page = crate::layout::page_size(&opts.page).map_err(|e| match e {
            Error::Write { message, .. } => Error::Usage(format!("--page: {message}")),
            other => other,
        })?;
        if let Some(mm) = opts.margin_mm {
            page.margin = checked_margin(mm, &page)?;
        }
        if !(1..=100).contains(&opts.images.jpeg_quality) {
            return Err(Error::Usage(format!(
                "--jpeg-quality wants 1 to 100, got {}",
                opts.images.jpeg_quality
            )));
        }
        if !opts.font_size.is_finite() || opts.font_size <= 0.0 {
            return Err(Error::Usage(format!(
                "--font-size must be a positive number of points, got {}",
                opts.font_size
            )));
        }
        let encoding = match opts.encoding.as_deref() {
            Some(label) => Some(
                crate::read::decode::encoding_for_label(label)
                    .map_err(|_| Error::Usage(format!("--encoding: unknown encoding '{label}'")))?,
            ),
            None => None,
        };
        if opts.resource_dir.as_deref().is_some_and(|d| !d.is_dir()) {
            return Err(Error::Usage("--resource-dir: not a folder".into()));
        }
        let rules = Rules::load(opts.rules_file.as_deref())?;
        Ok(Session {
            page,
            encoding,
            rules,
            fetcher: Fetcher::new(
                opts.cache_dir.as_deref(),
                opts.offline,
                opts.max_image_bytes,
            ),
            missing_images: AtomicUsize::new(0),
            fonts: OnceLock::new(),
            templates: OnceLock::new(),
            opts,
        })
    }

    /// Counts a picture the asset pass could not have.
    pub fn note_missing_image(&self) {
        self.missing_images.fetch_add(1, Ordering::Relaxed);
    }

    /// Pictures that could not be had in this run (each counted once per
    /// article that shows it).
    pub fn missing_images(&self) -> usize {
        self.missing_images.load(Ordering::Relaxed)
    }

    /// The fonts (bundled, `--font`, `--mono-font`, `--fallback-font`),
    /// loaded on first use.
    pub fn fonts(&self) -> Result<&FontSet> {
        self.fonts
            .get_or_init(|| FontSet::from_options(&self.opts))
            .as_ref()
            .map_err(Error::clone)
    }

    /// The EPUB templates with the overrides of `--template-dir`, read on
    /// first use.
    pub fn templates(&self) -> Result<&Templates> {
        self.templates
            .get_or_init(|| {
                let files = match self.opts.template_dir.as_deref() {
                    Some(dir) => Some(read_template_dir(dir)?),
                    None => None,
                };
                Templates::load(files.as_ref())
            })
            .as_ref()
            .map_err(Error::clone)
    }
}

/// `--margin` in points: at least 0, and leaving at least half of the
/// page's shorter side for the text.
fn checked_margin(mm: f32, page: &PageSize) -> Result<f32> {
    let points = mm * crate::layout::page::PT_PER_MM;
    if !points.is_finite() || points < 0.0 || points * 4.0 > page.width.min(page.height) {
        return Err(Error::Usage(format!(
            "--margin wants 0 to a quarter of the page's width in mm, got {mm}"
        )));
    }
    Ok(points)
}

/// Most files and bytes read from a template folder (templates, the
/// stylesheet and what they include are a few kilobytes).
const MAX_TEMPLATE_FILES: usize = 200;
const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// The text files of `dir` and its subfolders (two levels), for the EPUB
/// templates and their includes.
fn read_template_dir(dir: &Path) -> Result<TemplateFiles> {
    if !dir.is_dir() {
        return Err(Error::Template {
            name: dir.display().to_string(),
            line: None,
            message: "template folder not found".into(),
        });
    }
    let mut files = HashMap::new();
    let mut budget = MAX_TEMPLATE_BYTES;
    read_templates_under(dir, "", 2, &mut files, &mut budget)?;
    Ok(TemplateFiles {
        dir: dir.to_path_buf(),
        files,
    })
}

fn read_templates_under(
    dir: &Path,
    prefix: &str,
    depth: usize,
    files: &mut HashMap<String, String>,
    budget: &mut u64,
) -> Result<()> {
    let failed = |path: &Path, e: std::io::Error| Error::Template {
        name: path.display().to_string(),
        line: None,
        message: e.to_string(),
    };
    let entries = std::fs::read_dir(dir).map_err(|e| failed(dir, e))?;
    for entry in entries.flatten() {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let path = entry.path();
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        let rel = format!("{prefix}{name}");
        if meta.is_dir() && depth > 0 {
            read_templates_under(&path, &format!("{rel}/"), depth - 1, files, budget)?;
        } else if meta.is_file() && files.len() < MAX_TEMPLATE_FILES && meta.len() <= *budget {
            *budget -= meta.len();
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    files.insert(rel, text);
                }
                // Pictures or fonts beside the templates are no templates.
                Err(e) if name.ends_with(".xhtml") || name.ends_with(".css") => {
                    return Err(failed(&path, e))
                }
                Err(_) => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(opts: Options) -> String {
        Session::new(opts).unwrap_err().to_string()
    }

    #[test]
    fn bad_option_values_are_usage_errors() {
        let page = err(Options {
            page: "bogus".into(),
            ..Options::default()
        });
        assert!(
            page.starts_with("--page: unknown page size 'bogus'"),
            "{page}"
        );
        let enc = err(Options {
            encoding: Some("klingon".into()),
            ..Options::default()
        });
        assert_eq!(enc, "--encoding: unknown encoding 'klingon'");
        for size in [f32::NAN, 0.0, -3.0, f32::INFINITY] {
            let msg = err(Options {
                font_size: size,
                ..Options::default()
            });
            assert!(msg.starts_with("--font-size"), "{msg}");
        }
    }

    #[test]
    fn a_device_sets_the_page_and_its_margin_and_flags_are_checked() {
        let kindle = crate::device::profile("kindle").unwrap();
        let session = Session::new(Options::for_device(kindle)).unwrap();
        let mm = crate::layout::page::PT_PER_MM;
        assert!((session.page.margin - 5.0 * mm).abs() < 0.01);
        assert!((session.page.width - 104.0 * mm).abs() < 0.01);
        assert_eq!(session.opts.font_size, 10.0);
        for margin in [-1.0, 40.0, f32::NAN] {
            let msg = err(Options {
                margin_mm: Some(margin),
                ..Options::for_device(kindle)
            });
            assert!(msg.starts_with("--margin"), "{msg}");
        }
        let mut opts = Options::for_device(kindle);
        opts.images.jpeg_quality = 0;
        assert!(err(opts).starts_with("--jpeg-quality"));
    }

    #[test]
    fn fonts_and_templates_load_once_per_session() {
        let session = Session::new(Options::default()).unwrap();
        let a = session.fonts().unwrap() as *const FontSet;
        let b = session.fonts().unwrap() as *const FontSet;
        assert_eq!(a, b);
        assert!(session.templates().is_ok());
    }

    #[test]
    fn a_missing_template_folder_fails_on_use_with_its_message() {
        let session = Session::new(Options {
            template_dir: Some("/nonexistent/conv-templates".into()),
            ..Options::default()
        })
        .unwrap();
        let msg = session.templates().err().unwrap().to_string();
        assert!(msg.contains("template folder not found"), "{msg}");
    }
}
