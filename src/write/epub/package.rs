//! The last step after epub-builder: rewrite its ZIP so that the same book
//! gives the same bytes and EPUBCheck passes.
//!
//! * Every entry gets one fixed timestamp (the book's modification date) and
//!   fixed permissions; `mimetype` is written first and STORED, as OCF asks.
//! * epub-builder 0.8.3's EPUB 3 `content.opf` template gives `dc:language`
//!   and the first `dc:creator` the same `id` (`epub-creator-0`), which
//!   EPUBCheck rejects (RSC-005 duplicate id) for every book with an author:
//!   the language ids are renamed here.
//! * Metadata epub-builder cannot write (`dc:source`, `dc:publisher`) is
//!   inserted into `content.opf`.
//! * `toc.ncx` gets the book's title (epub-builder writes the TOC's name),
//!   its true `dtb:depth` (epub-builder always says 1) and the `dtb:uid`
//!   that must match the package identifier.
//! * `nav.xhtml` gets the book's language and its landmarks list is
//!   `hidden` (reading systems otherwise show it as a second TOC).
//!
//! Other entries are copied raw (already compressed), so this costs little.

use crate::assets::Resource;
use crate::error::{Error, Result};
use crate::write::Output;
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::io::{Read, Seek, Write};
use std::sync::Arc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

const OPF: &str = "OEBPS/content.opf";
const NCX: &str = "OEBPS/toc.ncx";
const NAV: &str = "OEBPS/nav.xhtml";

/// What [`finish`] changes in the files epub-builder generates.
pub struct Patches<'a> {
    /// Metadata lines inserted before `</metadata>` in `content.opf`.
    pub extra_opf: &'a str,
    /// The book's title, for the NCX `docTitle` (escaped here).
    pub title: &'a str,
    /// The package identifier (`urn:uuid:…`), for the NCX `dtb:uid`.
    pub uid: &'a str,
    /// The book's language (a BCP 47 tag), for `nav.xhtml`.
    pub lang: &'a str,
}
const MIMETYPE: &[u8] = b"application/epub+zip";

fn zip_error(e: impl std::fmt::Display) -> Error {
    Error::write("epub", format!("packaging: {e}"))
}

/// The ZIP timestamp for `when`; ZIP dates cover 1980–2107 only, so dates
/// outside fall back to the earliest.
pub fn zip_time(when: DateTime<Utc>) -> zip::DateTime {
    let converted = (|| {
        zip::DateTime::from_date_and_time(
            u16::try_from(when.year()).ok()?,
            u8::try_from(when.month()).ok()?,
            u8::try_from(when.day()).ok()?,
            u8::try_from(when.hour()).ok()?,
            u8::try_from(when.minute()).ok()?,
            u8::try_from(when.second()).ok()?,
        )
        .ok()
    })();
    converted.unwrap_or_default()
}

/// Rewrites the EPUB `raw` as described in the module documentation,
/// into `out`. An entry `pictures` knows (a picture added to epub-builder
/// empty, so that its manifest lists it) gets the bytes `pictures` gives.
pub fn finish(
    mut raw: impl Read + Seek,
    patches: &Patches,
    when: zip::DateTime,
    pictures: &mut dyn FnMut(&str) -> Option<Arc<Resource>>,
    out: &mut dyn Output,
) -> Result<()> {
    raw.rewind().map_err(zip_error)?;
    let mut archive = ZipArchive::new(raw).map_err(zip_error)?;
    let mut out = ZipWriter::new(out);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(when)
        .unix_permissions(0o644);
    out.start_file("mimetype", stored).map_err(zip_error)?;
    out.write_all(MIMETYPE).map_err(zip_error)?;
    for i in 0..archive.len() {
        let name = archive.name_for_index(i).unwrap_or_default().to_string();
        if name == "mimetype" {
            continue;
        }
        if [OPF, NCX, NAV].contains(&name.as_str()) {
            let mut text = String::new();
            archive
                .by_index(i)
                .map_err(zip_error)?
                .read_to_string(&mut text)
                .map_err(zip_error)?;
            let text = match name.as_str() {
                OPF => patch_opf(&text, patches.extra_opf)?,
                NCX => patch_ncx(&text, patches),
                _ => patch_nav(&text, patches.lang),
            };
            let deflated = stored.compression_method(CompressionMethod::Deflated);
            out.start_file(name.as_str(), deflated).map_err(zip_error)?;
            out.write_all(text.as_bytes()).map_err(zip_error)?;
        } else if let Some(picture) = pictures(&name) {
            let deflated = stored.compression_method(CompressionMethod::Deflated);
            out.start_file(name.as_str(), deflated).map_err(zip_error)?;
            out.write_all(&picture.bytes).map_err(zip_error)?;
        } else {
            let file = archive.by_index_raw(i).map_err(zip_error)?;
            out.raw_copy_file_touch(file, when, Some(0o644))
                .map_err(zip_error)?;
        }
    }
    out.finish().map_err(zip_error)?;
    Ok(())
}

/// Renames the language ids that collide with the creator ids and inserts
/// `extra` metadata (whole lines) before the line closing `<metadata>`.
pub fn patch_opf(opf: &str, extra: &str) -> Result<String> {
    let fixed = opf.replace(
        "<dc:language id=\"epub-creator-",
        "<dc:language id=\"epub-language-",
    );
    let end = fixed
        .find("</metadata>")
        .ok_or_else(|| zip_error("content.opf has no </metadata>"))?;
    // At the start of the closing tag's line, to keep the indentation.
    let end = fixed[..end].rfind('\n').map_or(end, |i| i + 1);
    let mut out = String::with_capacity(fixed.len() + extra.len());
    out.push_str(&fixed[..end]);
    out.push_str(extra);
    out.push_str(&fixed[end..]);
    Ok(out)
}

/// The NCX with the book's title, `dtb:uid` and true `dtb:depth`.
pub fn patch_ncx(ncx: &str, patches: &Patches) -> String {
    let meta = format!(
        "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        super::xhtml::escape(patches.uid),
        ncx_depth(ncx).max(1)
    );
    let mut out = ncx.replacen("<meta name=\"dtb:depth\" content=\"1\" />", &meta, 1);
    if let Some(start) = out.find("<docTitle>") {
        let open = out[start..]
            .find("<text>")
            .map(|i| start + i + "<text>".len());
        let close = open.and_then(|o| out[o..].find("</text>").map(|i| o + i));
        if let (Some(open), Some(close)) = (open, close) {
            out.replace_range(open..close, &super::xhtml::escape(patches.title));
        }
    }
    out
}

/// How deep `<navPoint>` elements nest in an NCX.
fn ncx_depth(ncx: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for (i, _) in ncx.match_indices("navPoint") {
        match ncx[..i].chars().last() {
            Some('<') => {
                depth += 1;
                max = max.max(depth);
            }
            Some('/') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The navigation document with the book's language and hidden landmarks.
pub fn patch_nav(nav: &str, lang: &str) -> String {
    let lang = super::xhtml::escape(lang);
    nav.replacen(
        "xmlns:epub=\"http://www.idpf.org/2007/ops\">",
        &format!(
            "xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">"
        ),
        1,
    )
    .replacen(
        "<nav epub:type = \"landmarks\">",
        "<nav epub:type=\"landmarks\" hidden=\"\">",
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_ids_no_longer_collide_with_creator_ids() {
        let opf = "<metadata>\n<dc:language id=\"epub-creator-0\">zh</dc:language>\n\
                   <dc:creator id=\"epub-creator-0\">A</dc:creator>\n</metadata>";
        let out = patch_opf(opf, "<dc:source>s</dc:source>\n").unwrap();
        assert_eq!(
            out,
            "<metadata>\n<dc:language id=\"epub-language-0\">zh</dc:language>\n\
             <dc:creator id=\"epub-creator-0\">A</dc:creator>\n<dc:source>s</dc:source>\n</metadata>"
        );
        assert!(patch_opf("<package/>", "").is_err());
    }

    #[test]
    fn ncx_gets_title_uid_and_true_depth() {
        let ncx = "<ncx>\n  <head>\n    <meta name=\"dtb:depth\" content=\"1\" />\n  </head>\n  \
                   <docTitle>\n    <text>目录</text>\n  </docTitle>\n<navMap>\n\
                   <navPoint id=\"a\"><navPoint id=\"b\"><navPoint id=\"c\"></navPoint></navPoint>\
                   </navPoint><navPoint id=\"d\"></navPoint></navMap></ncx>";
        let patches = Patches {
            extra_opf: "",
            title: "A & B",
            uid: "urn:uuid:1",
            lang: "zh",
        };
        let out = patch_ncx(ncx, &patches);
        assert!(out.contains("<meta name=\"dtb:uid\" content=\"urn:uuid:1\" />"));
        assert!(out.contains("<meta name=\"dtb:depth\" content=\"3\" />"));
        assert!(out.contains("<text>A &amp; B</text>"));
        assert!(!out.contains("目录"));
    }

    #[test]
    fn nav_landmarks_are_hidden_and_the_language_set() {
        let nav = "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">\
                   <nav epub:type = \"landmarks\"></nav></html>";
        assert_eq!(
            patch_nav(nav, "ja"),
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
             lang=\"ja\" xml:lang=\"ja\"><nav epub:type=\"landmarks\" hidden=\"\"></nav></html>"
        );
    }

    #[test]
    fn zip_time_clamps_to_the_zip_range() {
        let t = DateTime::from_timestamp(1_644_822_136, 0).unwrap();
        let z = zip_time(t);
        assert_eq!((z.year(), z.month(), z.day(), z.hour()), (2022, 2, 14, 7));
        let old = zip_time(DateTime::from_timestamp(0, 0).unwrap());
        assert_eq!(old.year(), 1980);
    }
}
