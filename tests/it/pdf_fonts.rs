//! `--font` with a TTC face index, fallback and missing-glyph reporting,
//! and no reliance on system fonts.

use crate::common::WriteIn;
use conv::fonts::{FontSet, Role};
use conv::model::{Block, Document, Inline, Metadata};
use conv::write::pdf::PdfWriter;
use conv::{Options, Warnings};
use std::path::PathBuf;

fn ttc() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/two-faces.ttc")
}

fn doc() -> Document {
    Document {
        meta: Metadata {
            title: Some("Test 中文".into()),
            ..Metadata::default()
        },
        blocks: vec![Block::Paragraph {
            content: vec![Inline::text("Test 中文测试字体。")],
        }],
    }
}

fn with_font(index: u32) -> Options {
    Options {
        font: Some(ttc()),
        font_index: index,
        ..Options::default()
    }
}

#[test]
fn ttc_face_index_picks_the_face() {
    let cjk = FontSet::from_options(&with_font(1)).unwrap();
    assert_eq!(cjk.pick('中', Role::Body), Some(FontSet::BODY));
    let latin = FontSet::from_options(&with_font(0)).unwrap();
    // Face 0 has no CJK and neither has the mono font: nobody draws it.
    assert_eq!(latin.pick('中', Role::Body), None);
    assert_eq!(latin.pick('T', Role::Body), Some(FontSet::BODY));
}

#[test]
fn ttc_body_font_makes_a_pdf_and_reports_missing_glyphs() {
    let opts = with_font(1);
    let mut w = Warnings::new();
    let bytes = PdfWriter.write_in(&doc(), &opts, None, &mut w).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(w.is_empty(), "{:?}", w.items());

    let opts = with_font(0);
    let mut w = Warnings::new();
    PdfWriter.write_in(&doc(), &opts, None, &mut w).unwrap();
    let msgs: Vec<_> = w
        .items()
        .iter()
        .filter(|m| m.message.contains("not in any font"))
        .collect();
    assert_eq!(msgs.len(), 1, "{:?}", w.items());
}

#[test]
fn fallback_font_fills_gaps() {
    let opts = Options {
        fallback_fonts: vec![ttc()],
        font: Some(ttc()),
        font_index: 0,
        ..Options::default()
    };
    // The fallback is face 0 of the file too (fallbacks take face 0), so
    // CJK stays missing; the chain order is what is checked.
    let fonts = FontSet::from_options(&opts).unwrap();
    // body, mono, the user's fallback, then the bundled Hangul and symbols.
    assert_eq!(fonts.fonts.len(), 5);
    assert_eq!(fonts.pick('x', Role::Mono), Some(FontSet::MONO));
    assert_eq!(fonts.pick('한', Role::Body), Some(3));
}

#[test]
fn a_missing_font_file_is_an_error() {
    let opts = Options {
        font: Some(PathBuf::from("/nonexistent/font.ttf")),
        ..Options::default()
    };
    let err = FontSet::from_options(&opts).unwrap_err().to_string();
    assert!(err.contains("font.ttf"), "{err}");
}

#[test]
fn bundled_fonts_need_no_system_fonts() {
    // FONTCONFIG_FILE pointing nowhere must not matter: conv never asks
    // fontconfig unless --font is given.
    std::env::set_var("FONTCONFIG_FILE", "/dev/null");
    let opts = Options::default();
    let mut w = Warnings::new();
    let bytes = PdfWriter.write_in(&doc(), &opts, None, &mut w).unwrap();
    assert!(bytes.len() > 1000);
    assert!(w.is_empty(), "{:?}", w.items());
}
