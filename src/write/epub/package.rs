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
//!
//! Other entries are copied raw (already compressed), so this costs little.

use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

const OPF: &str = "OEBPS/content.opf";
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

/// Rewrites the EPUB `raw` as described in the module documentation;
/// `extra_opf` is inserted before `</metadata>`.
pub fn finish(raw: Vec<u8>, extra_opf: &str, when: zip::DateTime) -> Result<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(raw)).map_err(zip_error)?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(
        archive.decompressed_size().unwrap_or(0) as usize,
    )));
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
        if name == OPF {
            let mut opf = String::new();
            archive
                .by_index(i)
                .map_err(zip_error)?
                .read_to_string(&mut opf)
                .map_err(zip_error)?;
            let opf = patch_opf(&opf, extra_opf)?;
            let deflated = stored.compression_method(CompressionMethod::Deflated);
            out.start_file(OPF, deflated).map_err(zip_error)?;
            out.write_all(opf.as_bytes()).map_err(zip_error)?;
        } else {
            let file = archive.by_index_raw(i).map_err(zip_error)?;
            out.raw_copy_file_touch(file, when, Some(0o644))
                .map_err(zip_error)?;
        }
    }
    Ok(out.finish().map_err(zip_error)?.into_inner())
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
    fn zip_time_clamps_to_the_zip_range() {
        let t = DateTime::from_timestamp(1_644_822_136, 0).unwrap();
        let z = zip_time(t);
        assert_eq!((z.year(), z.month(), z.day(), z.hour()), (2022, 2, 14, 7));
        let old = zip_time(DateTime::from_timestamp(0, 0).unwrap());
        assert_eq!(old.year(), 1980);
    }
}
