//! Shared fixtures and helpers of the EPUB tests: documents built in code
//! (the tests never read /work/shared), an unzipper and EPUBCheck.

#![allow(dead_code)]

use conv::model::{Block, Cell, DateValue, Document, Image, Inline, Metadata, Table};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Command;

pub fn text(s: &str) -> Inline {
    Inline::text(s)
}

pub fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph { content: inlines }
}

pub fn heading(level: u8, s: &str) -> Block {
    Block::Heading {
        level,
        content: vec![text(s)],
    }
}

pub fn figure(src: &str, alt: &str, caption: &str) -> Block {
    Block::Figure {
        image: Image {
            src: src.into(),
            alt: alt.into(),
            title: None,
        },
        caption: if caption.is_empty() {
            vec![]
        } else {
            vec![text(caption)]
        },
    }
}

pub fn date(raw: &str) -> Option<DateValue> {
    Some(DateValue {
        raw: raw.into(),
        iso: None,
    })
}

/// Six paragraphs of Chinese news (about 2,000 characters) and the editor
/// line, with the scraped full-width indentation and an author, like the
/// seed article.
pub fn cjk_article() -> Document {
    let sentences = [
        "２月１４日上午，省疫情防控工作会议召开，会议强调要把困难估计得更加充分，把形势考虑得更加严峻，把工作安排得更加周密。",
        "各地各部门要提高站位，全力以赴抓好疫情防控工作，坚持“外防输入、内防反弹”总策略和“动态清零”总方针。",
        "要进一步内防扩散，严格落实“四早”要求，扩大检测和管控范围，抓紧抓细抓实流调追踪溯源、核酸筛查、隔离管控等工作。",
        "要进一步加强群众服务工作，真心真情服务群众，特别是做好封控小区生活保障，加强群众心理疏导和人文关怀。",
        "全省各地要进一步压紧压实责任，查漏洞、补短板、强弱项，完善应急预案实战性演练，以大概率思维应对小概率事件。",
        "会议要求时刻绷紧疫情防控这根弦，聚焦各领域各环节，层层落实工作责任，全面提升、持续完善各项防控措施。",
    ];
    let mut blocks: Vec<Block> = sentences
        .iter()
        .map(|s| para(vec![text(&format!("\u{3000}\u{3000}{}", s.repeat(6)))]))
        .collect();
    blocks.push(para(vec![text("责任编辑：张三 <script>alert(1)</script>")]));
    Document {
        meta: Metadata {
            title: Some("江苏省委书记：采取更坚决果断措施，迅速打赢苏州疫情防控战".into()),
            authors: vec!["新浪财经".into()],
            date: date("Mon, 14 Feb 2022 07:02:16 GMT"),
            categories: vec!["金融".into(), "新浪财经".into(), "新浪财经－国內".into()],
            tags: vec!["疫情".into()],
            ..Metadata::default()
        },
        blocks,
    }
}

/// An English post with headings, links (one `javascript:`), emphasis and a
/// quotation, language given as `en_US`.
pub fn english_article() -> Document {
    Document {
        meta: Metadata {
            title: Some("Linux 6.1 Features: Rust & <More>".into()),
            authors: vec!["Michael Larabel".into(), "Jane Doe".into()],
            date: Some(DateValue {
                raw: "2022-10-09".into(),
                iso: Some("2022-10-09T12:00:00Z".into()),
            }),
            language: Some("en_US".into()),
            source_url: Some("https://www.phoronix.com/review/linux-61-features".into()),
            description: Some("What is new in Linux 6.1.".into()),
            tags: vec!["Linux".into(), "Kernel".into()],
            ..Metadata::default()
        },
        blocks: vec![
            heading(1, "Linux 6.1 Features: Rust & <More>"),
            para(vec![
                text("Linux 6.1 is "),
                Inline::Emphasis {
                    content: vec![text("big")],
                },
                text(" — see "),
                Inline::Link {
                    url: "https://kernel.org/".into(),
                    title: Some("Kernel \"org\"".into()),
                    content: vec![text("kernel.org")],
                },
                text(" and "),
                Inline::Link {
                    url: "javascript:alert('x')".into(),
                    title: None,
                    content: vec![text("this script")],
                },
                text("."),
            ]),
            heading(2, "Rust"),
            para(vec![text("Initial Rust infrastructure was merged.")]),
            heading(3, "Drivers"),
            Block::BlockQuote {
                blocks: vec![para(vec![text("Rust is coming.")])],
            },
            heading(2, "Graphics"),
            para(vec![
                text("H"),
                Inline::Subscript {
                    content: vec![text("2")],
                },
                text("O, E=mc"),
                Inline::Superscript {
                    content: vec![text("2")],
                },
                Inline::LineBreak,
                Inline::Strikeout {
                    content: vec![text("old")],
                },
                Inline::Strong {
                    content: vec![text(" new")],
                },
            ]),
        ],
    }
}

/// Writes a small picture in `format` to `path`.
pub fn write_picture(path: &Path, format: image::ImageFormat, alpha: bool) {
    std::fs::write(path, picture_bytes(format, alpha)).expect("write picture");
}

/// A 32×24 picture encoded in `format`.
pub fn picture_bytes(format: image::ImageFormat, alpha: bool) -> Vec<u8> {
    let rgba = image::RgbaImage::from_fn(32, 24, |x, y| {
        image::Rgba([
            (x * 8) as u8,
            (y * 10) as u8,
            128,
            if alpha { 128 } else { 255 },
        ])
    });
    let picture = if alpha {
        image::DynamicImage::ImageRgba8(rgba)
    } else {
        image::DynamicImage::ImageRgb8(image::DynamicImage::ImageRgba8(rgba).to_rgb8())
    };
    let mut out = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut out), format)
        .expect("encode picture");
    out
}

/// A technical article with local images (written into `dir`), a table,
/// code, nested and numbered lists.
pub fn rich_article(dir: &Path) -> Document {
    write_picture(&dir.join("photo.jpg"), image::ImageFormat::Jpeg, false);
    // Named .png but a WebP: the type must come from the bytes.
    write_picture(&dir.join("diagram.png"), image::ImageFormat::WebP, true);
    write_picture(&dir.join("icon.gif"), image::ImageFormat::Gif, false);
    let cell = |s: &str| Cell {
        header: false,
        colspan: 1,
        blocks: vec![para(vec![text(s)])],
    };
    Document {
        meta: Metadata {
            title: Some("用 Rust 写一个 EPUB 生成器".into()),
            authors: vec!["掘金作者".into()],
            date: date("2023-03-01 10:20:30"),
            language: Some("zh-cn".into()),
            cover: Some("photo.jpg".into()),
            source_url: Some("https://juejin.cn/post/7205".into()),
            categories: vec!["后端".into()],
            ..Metadata::default()
        },
        blocks: vec![
            para(vec![text("本文介绍如何生成电子书。")]),
            heading(2, "图片"),
            figure("photo.jpg", "照片", "图 1：一张照片"),
            figure("diagram.png", "示意图", ""),
            para(vec![
                text("行内图标"),
                Inline::Image {
                    image: Image {
                        src: "icon.gif".into(),
                        alt: "图标".into(),
                        title: Some("icon".into()),
                    },
                },
                text("结束。"),
            ]),
            heading(2, "表格"),
            Block::Table(Table {
                head: vec![vec![cell("格式"), cell("说明")]],
                body: vec![
                    vec![cell("EPUB"), cell("电子书")],
                    vec![Cell {
                        colspan: 2,
                        ..cell("合并单元格")
                    }],
                ],
            }),
            heading(2, "代码"),
            Block::CodeBlock {
                language: Some("rust".into()),
                code: "fn main() {\n    println!(\"<hello> & 'world'\");\n}\n".into(),
            },
            heading(3, "列表"),
            Block::List {
                ordered: true,
                start: 3,
                items: vec![
                    vec![para(vec![text("第三")])],
                    vec![
                        para(vec![text("第四")]),
                        Block::List {
                            ordered: false,
                            start: 1,
                            items: vec![vec![para(vec![Inline::Code {
                                code: "cargo build".into(),
                            }])]],
                        },
                    ],
                ],
            },
            Block::Rule,
            para(vec![text("完。")]),
        ],
    }
}

/// An article whose images cannot be had: a missing local file, an
/// unreachable URL (offline), a file that is not a picture.
pub fn broken_image_article(dir: &Path) -> Document {
    std::fs::write(dir.join("not-a-picture.jpg"), b"<html>404</html>").expect("write");
    Document {
        meta: Metadata {
            title: Some("Broken images".into()),
            cover: Some("https://example.invalid/cover.jpg".into()),
            ..Metadata::default()
        },
        blocks: vec![
            para(vec![text("Before.")]),
            figure("missing.png", "a missing picture", "The caption stays"),
            figure("https://example.invalid/x.png", "remote alt", ""),
            figure("not-a-picture.jpg", "", ""),
            para(vec![
                text("Inline "),
                Inline::Image {
                    image: Image {
                        src: "".into(),
                        alt: "empty source".into(),
                        title: None,
                    },
                },
                text(" after."),
            ]),
        ],
    }
}

/// Options for fixtures (whose images are relative to `dir`): no network,
/// a private cache.
pub fn options(dir: &Path) -> conv::Options {
    conv::Options {
        cache_dir: Some(dir.join("cache")),
        offline: true,
        ..conv::Options::default()
    }
}

/// Every entry of a ZIP, by name, in archive order kept in `names`.
pub struct Unzipped {
    pub names: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Unzipped {
    pub fn text(&self, name: &str) -> String {
        let bytes = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in EPUB"));
        String::from_utf8(bytes.clone()).expect("UTF-8")
    }
}

pub fn unzip(bytes: &[u8]) -> Unzipped {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut names = Vec::new();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        let mut data = Vec::new();
        file.read_to_end(&mut data).expect("read entry");
        names.push(file.name().to_string());
        files.insert(file.name().to_string(), data);
    }
    Unzipped { names, files }
}

/// JVM flags for EPUBCheck runs: a checker that lives a few seconds gains
/// nothing from the optimising JIT, and C1 alone with the serial collector
/// halves its CPU time (8.1 s → 3.4 s user on a small book here), which is
/// most of what the EPUB tests cost in CI.
pub const EPUBCHECK_JVM_FLAGS: [&str; 2] = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

/// Runs EPUBCheck on `bytes`; `None` (with a note) when it is not installed,
/// a panic when it is missing and `CI` is set. Returns the report.
pub fn epubcheck(bytes: &[u8], name: &str) -> Option<EpubCheckReport> {
    let jar =
        std::env::var("EPUBCHECK_JAR").unwrap_or_else(|_| "/usr/share/java/epubcheck.jar".into());
    // Asked once per test binary: each `java -version` is a JVM start.
    static JAVA_OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let java_ok = *JAVA_OK.get_or_init(|| {
        Command::new("java")
            .arg("-version")
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    });
    if !java_ok || !Path::new(&jar).is_file() {
        if std::env::var_os("CI").is_some() {
            panic!("EPUBCheck is required in CI: java or {jar} is missing");
        }
        eprintln!("note: EPUBCheck not installed (java + {jar}); skipping the check of {name}");
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{name}.epub"));
    std::fs::write(&path, bytes).expect("write EPUB");
    let output = Command::new("java")
        .args(EPUBCHECK_JVM_FLAGS)
        .args(["-jar", &jar])
        .arg(&path)
        .output()
        .expect("run EPUBCheck");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    Some(EpubCheckReport {
        success: output.status.success(),
        messages: format!("{stdout}{stderr}"),
    })
}

pub struct EpubCheckReport {
    pub success: bool,
    pub messages: String,
}

impl EpubCheckReport {
    /// Asserts no fatal errors, no errors and no warnings.
    pub fn assert_clean(&self, name: &str) {
        let problems = self
            .messages
            .lines()
            .any(|l| l.starts_with("ERROR") || l.starts_with("WARNING") || l.starts_with("FATAL"));
        let summary_clean = self
            .messages
            .contains("Messages: 0 fatals / 0 errors / 0 warnings");
        assert!(
            self.success && !problems && summary_clean,
            "EPUBCheck on {name}:\n{}",
            self.messages
        );
    }
}

/// Odd input a scraper produces: control characters and blank fields in
/// the metadata, a made-up language, headings only at level 6, a table in
/// a list in a quotation, a picture inside a link, mailto and fragment
/// links, empty containers.
pub fn edge_article() -> Document {
    let link = |url: &str, content: Vec<Inline>| Inline::Link {
        url: url.into(),
        title: None,
        content,
    };
    Document {
        meta: Metadata {
            title: Some("  \u{1}Title\u{7f} with\ncontrol  ".into()),
            authors: vec!["".into(), "  ".into(), "A\u{0}uthor".into()],
            language: Some("zh_Hans_CN".into()),
            date: date("not a date"),
            categories: vec!["".into()],
            description: Some("<b>bold</b> & more".into()),
            source_url: Some("javascript:alert(1)".into()),
            ..Metadata::default()
        },
        blocks: vec![
            heading(6, "Only level six"),
            heading(6, ""),
            Block::BlockQuote {
                blocks: vec![Block::List {
                    ordered: true,
                    start: 0,
                    items: vec![
                        vec![Block::Table(Table {
                            head: vec![],
                            body: vec![vec![Cell {
                                header: true,
                                colspan: 0,
                                blocks: vec![],
                            }]],
                        })],
                        vec![],
                    ],
                }],
            },
            Block::BlockQuote { blocks: vec![] },
            Block::List {
                ordered: false,
                start: 1,
                items: vec![],
            },
            Block::Table(Table::default()),
            para(vec![
                link("mailto:someone@example.com", vec![text("mail")]),
                link("#top", vec![text(" top")]),
                link("https://example.com/", vec![]),
                link(
                    "https://example.com/pic",
                    vec![Inline::Image {
                        image: Image {
                            src: "missing.gif".into(),
                            alt: "pic".into(),
                            title: None,
                        },
                    }],
                ),
            ]),
            Block::CodeBlock {
                language: Some("中文".into()),
                code: "\u{1b}[31mred\u{1b}[0m".into(),
            },
            figure("", "", ""),
        ],
    }
}
