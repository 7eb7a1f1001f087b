//! Issue 13 items 6 and 7 in whole bundles: the words a bundle adds (cover,
//! title page, table of contents, section pages, counts, dates, author) in
//! the book's language, and the PDF bundle's printed table of contents,
//! whose page numbers must be where its outline's entries lead.

use assert_cmd::Command;
use lopdf::{Document, Object, ObjectId};
use std::collections::BTreeMap;
use std::path::Path;

fn conv() -> Command {
    let mut cmd = Command::cargo_bin("conv").unwrap();
    cmd.env("SOURCE_DATE_EPOCH", "1650000000");
    cmd
}

/// A folder of 11 Chinese articles (no Latin letter in them) from three
/// sources over three days; some long enough for several pages, some with
/// titles that wrap in the table of contents.
fn chinese_folder(dir: &Path) {
    let sentence = "会议强调要把困难估计得更加充分，把形势考虑得更加严峻，把工作安排得更加周密。";
    for i in 0..11 {
        let source = ["新华社", "人民日报", "澎湃新闻"][i % 3];
        let title = if i % 4 == 0 {
            format!("第{i}篇：城市更新计划公布，老旧小区改造提速，各地各部门全力以赴抓好落实工作")
        } else {
            format!("第{i}篇：城市更新计划公布")
        };
        let body = vec![sentence.repeat(4); 3 + (i % 5) * 12].join("\n\n");
        let text = format!(
            "---\ntitle: {title}\nauthor: {source}\ndate: 2022-02-{:02} 08:00:00\nlang: zh-CN\n---\n\n{body}\n",
            14 + i % 3
        );
        std::fs::write(dir.join(format!("a{i:02}.md")), text).unwrap();
    }
}

fn bundle(input: &Path, output: &Path, flags: &[&str]) {
    conv()
        .arg(input)
        .args(["--bundle", "--offline"])
        .args(flags)
        .arg("-o")
        .arg(output)
        .assert()
        .success();
}

/// A run of text on a PDF page: where it starts and what it reads.
#[derive(Debug)]
struct Run {
    x: f32,
    y: f32,
    text: String,
}

/// The text runs of a page, decoded through each font's `/ToUnicode`.
fn page_runs(doc: &Document, page: ObjectId) -> Vec<Run> {
    let encodings: BTreeMap<Vec<u8>, lopdf::Encoding> = doc
        .get_page_fonts(page)
        .unwrap()
        .into_iter()
        .map(|(name, font)| (name, font.get_font_encoding(doc).unwrap()))
        .collect();
    let content = doc.get_and_decode_page_content(page).unwrap();
    let (mut font, mut x, mut y) = (None, 0.0, 0.0);
    let mut runs = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => font = encodings.get(op.operands[0].as_name().unwrap()),
            "Tm" => {
                x = op.operands[4].as_float().unwrap();
                y = op.operands[5].as_float().unwrap();
            }
            "Tj" | "TJ" => {
                let strings: Vec<&Object> = match &op.operands[0] {
                    Object::Array(items) => items.iter().collect(),
                    one => vec![one],
                };
                let mut text = String::new();
                for s in strings {
                    if let (Object::String(bytes, _), Some(enc)) = (s, font) {
                        text.push_str(&enc.bytes_to_string(bytes).unwrap());
                    }
                }
                runs.push(Run { x, y, text });
            }
            _ => {}
        }
    }
    runs
}

/// The outline's entries in order: (depth, title, 1-based page number).
fn outline(doc: &Document) -> Vec<(usize, String, u32)> {
    let numbers: BTreeMap<ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let root = doc
        .catalog()
        .unwrap()
        .get(b"Outlines")
        .unwrap()
        .as_reference()
        .unwrap();
    let mut out = Vec::new();
    walk(
        doc,
        doc.get_dictionary(root).unwrap(),
        1,
        &numbers,
        &mut out,
    );
    out
}

fn walk(
    doc: &Document,
    parent: &lopdf::Dictionary,
    depth: usize,
    numbers: &BTreeMap<ObjectId, u32>,
    out: &mut Vec<(usize, String, u32)>,
) {
    let mut next = parent.get(b"First").and_then(Object::as_reference).ok();
    while let Some(id) = next {
        let entry = doc.get_dictionary(id).unwrap();
        let title = lopdf::decode_text_string(entry.get(b"Title").unwrap()).unwrap();
        let dest = entry.get(b"Dest").unwrap().as_array().unwrap();
        let page = numbers[&dest[0].as_reference().unwrap()];
        out.push((depth, title, page));
        walk(doc, entry, depth + 1, numbers, out);
        next = entry.get(b"Next").and_then(Object::as_reference).ok();
    }
}

/// The page numbers printed in the table of contents (runs of digits at
/// the column's right edge, above the page-number foot), in order.
fn printed_numbers(doc: &Document, toc_pages: std::ops::Range<u32>) -> Vec<u32> {
    let pages = doc.get_pages();
    let mut numbers = Vec::new();
    for n in toc_pages {
        let runs = page_runs(doc, pages[&n]);
        let foot = runs.iter().map(|r| r.y).fold(f32::MAX, f32::min);
        let right = runs.iter().map(|r| r.x).fold(0.0, f32::max);
        numbers.extend(
            runs.iter()
                .filter(|r| r.y > foot + 1.0 && r.x > right * 0.6)
                .filter_map(|r| r.text.parse::<u32>().ok()),
        );
    }
    numbers
}

/// The pages the link annotations of `pages` lead to, in order.
fn link_destinations(doc: &Document, pages: std::ops::Range<u32>) -> Vec<u32> {
    let all = doc.get_pages();
    let numbers: BTreeMap<ObjectId, u32> = all.iter().map(|(n, id)| (*id, *n)).collect();
    let mut out = Vec::new();
    for n in pages {
        let page = doc.get_dictionary(all[&n]).unwrap();
        for annot in page.get(b"Annots").unwrap().as_array().unwrap() {
            if let Ok(dest) = annot.as_dict().unwrap().get(b"Dest") {
                let target = dest.as_array().unwrap()[0].as_reference().unwrap();
                out.push(numbers[&target]);
            }
        }
    }
    out
}

/// Issue 13 acceptance 4: the PDF bundle had no printed table of contents;
/// now it has one, and each number it prints is the page its entry's
/// outline destination opens, the table's own pages counted: on A4 it
/// takes one page, on a Kindle page several.
#[test]
fn the_printed_toc_numbers_are_the_outline_destinations() {
    let input = tempfile::tempdir().unwrap();
    chinese_folder(input.path());
    let out = tempfile::tempdir().unwrap();
    for (page, toc_pages) in [("a4", 1..2), ("kindle", 2..9)] {
        let pdf = out.path().join(format!("{page}.pdf"));
        bundle(input.path(), &pdf, &["--page", page]);
        let doc = Document::load(&pdf).unwrap();
        let entries = outline(&doc);
        // Cover, title page, then the table.
        let toc = entries
            .iter()
            .position(|e| e.1 == "目录")
            .expect("a 目录 entry");
        assert_eq!(entries[toc].2, 3, "{entries:?}");
        // Sections (depth 1) and their articles (depth 2), after the table.
        let listed: Vec<&(usize, String, u32)> =
            entries[toc + 1..].iter().filter(|e| e.0 <= 2).collect();
        assert_eq!(listed.iter().filter(|e| e.0 == 1).count(), 3, "{entries:?}");
        assert_eq!(listed.iter().filter(|e| e.0 == 2).count(), 11);
        let first_section = listed[0].2;
        assert!(
            toc_pages.contains(&(first_section - 3)),
            "{page}: {entries:?}"
        );
        let printed = printed_numbers(&doc, 3..first_section);
        let destinations: Vec<u32> = listed.iter().map(|e| e.2).collect();
        assert_eq!(printed, destinations, "{page}");
        // And each entry is a link to its page.
        let mut linked = link_destinations(&doc, 3..first_section);
        linked.dedup();
        assert_eq!(linked, destinations, "{page}");
        // Each section opens on a divider page of its own, and its first
        // article on the next.
        for pair in listed.windows(2) {
            if pair[0].0 == 1 {
                assert_eq!(pair[1].2, pair[0].2 + 1, "{page}: {pair:?}");
            }
        }
    }
}

/// Issue 13 item 6: a Chinese bundle's cover, title page, metadata and
/// counts were in English ("Articles 2018-10-01 – …", "40 articles",
/// author "conv"). No Latin letter is left in a bundle of Chinese articles:
/// not in the PDF's text, not in the EPUB's pages or navigation. The
/// pictures that cannot be had (offline) are "[图片]", not "[image]".
#[test]
fn a_chinese_bundle_holds_no_english_furniture() {
    let input = tempfile::tempdir().unwrap();
    chinese_folder(input.path());
    std::fs::write(
        input.path().join("a11.md"),
        "---\ntitle: 第11篇：图片\nauthor: 新华社\ndate: 2022-02-16\nlang: zh-CN\n---\n\n\
         会议强调要把工作安排得更加周密。\n\n\
         ![](https://img.example.cn/0861-27fbcb525698b8cd8fb00596bf8819c0.jpg)\n\n\
         图表如下![](https://img.example.cn/4499e616cc5ee57a9b.png)所示。\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let latin = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
    };

    let pdf = out.path().join("book.pdf");
    bundle(input.path(), &pdf, &[]);
    let doc = Document::load(&pdf).unwrap();
    let mut pictures = 0;
    for (n, id) in doc.get_pages() {
        let text: String = page_runs(&doc, id).into_iter().map(|r| r.text).collect();
        assert_eq!(latin(&text), "", "page {n}: {text}");
        pictures += text.matches("[图片]").count();
    }
    assert_eq!(pictures, 2);
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = doc.get_dictionary(info).unwrap();
    let author = lopdf::decode_text_string(info.get(b"Author").unwrap()).unwrap();
    assert_eq!(author, "新华社、人民日报、澎湃新闻");
    let subject = lopdf::decode_text_string(info.get(b"Subject").unwrap()).unwrap();
    assert_eq!(subject, "2022年2月14日 – 2022年2月16日 · 12 篇");

    let epub = out.path().join("book.epub");
    bundle(input.path(), &epub, &[]);
    let bytes = std::fs::read(&epub).unwrap();
    if let Some(report) = crate::epub_support::epubcheck(&bytes, "zh-bundle") {
        report.assert_clean("zh-bundle");
    }
    let book = crate::epub_support::unzip(&bytes);
    let mut pages = 0;
    for name in &book.names {
        if name.ends_with(".xhtml") || name.ends_with(".ncx") {
            let text = crate::common::markup_text(&book.text(name));
            assert_eq!(latin(&text), "", "{name}: {text}");
            pages += 1;
        }
    }
    assert!(pages >= 12 + 3 + 2, "{pages} pages");
    let opf = book.text("OEBPS/content.opf");
    assert!(
        opf.contains(">新华社、人民日报、澎湃新闻</dc:creator>"),
        "{opf}"
    );
    assert!(!opf.contains(">conv</dc:creator>"));
}

/// Issue 13 item 7 in a bundle: with `--embed-font`, the font covers the
/// characters of every file (section pages and navigation included).
#[test]
fn embed_font_covers_a_bundles_section_pages_and_navigation() {
    let input = tempfile::tempdir().unwrap();
    chinese_folder(input.path());
    let out = tempfile::tempdir().unwrap();
    let epub = out.path().join("book.epub");
    conv()
        .arg(input.path())
        .args(["--bundle", "--offline", "--embed-font", "-o"])
        .arg(&epub)
        .assert()
        .success();
    let book = crate::epub_support::unzip(&std::fs::read(&epub).unwrap());
    let css = book.text("OEBPS/stylesheet.css");
    assert!(css.starts_with("@charset \"UTF-8\";\n@font-face"), "{css}");
    let subset = ttf_parser::Face::parse(&book.files["OEBPS/fonts/body.ttf"], 0).unwrap();
    let full = ttf_parser::Face::parse(conv::fonts::BODY_FONT_BYTES, 0).unwrap();
    let mut checked = 0;
    for name in book
        .names
        .iter()
        .filter(|n| n.ends_with(".xhtml") || n.ends_with(".ncx"))
    {
        for c in crate::common::markup_text(&book.text(name))
            .chars()
            .filter(|c| !c.is_whitespace())
        {
            if full.glyph_index(c).is_some() {
                assert!(subset.glyph_index(c).is_some(), "{c:?} of {name}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}
