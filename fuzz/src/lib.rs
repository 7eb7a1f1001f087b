//! The bodies of conv's fuzz targets, one function per target, shared by the
//! libFuzzer binaries in `fuzz_targets/` and by the corpus replay test
//! (`cargo test --manifest-path fuzz/Cargo.toml`), which runs every committed
//! input on stable Rust without libFuzzer.
//!
//! Each body only has to return: a panic, a hang or an abort is the finding.
//! Errors (`Err`) are fine, bad input is allowed to be refused.

use arbitrary::{Arbitrary, Unstructured};
use conv::model::{Block, Bundle, Document, Image, Inline, Metadata};
use conv::options::{InputFormat, Options};
use conv::read::{self, frontmatter, html, json, markdown};
use conv::write::writer_by_name;
use conv::{Session, Warnings};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Most model nodes (blocks + inlines) a writer target is given: bounds the
/// work per run so a writer is not asked for a huge book.
const MAX_NODES: usize = 4_000;
/// Most bytes of text a writer target is given.
const MAX_TEXT: usize = 64 * 1024;

/// The names of all targets, in the order the scripts run them.
pub const TARGETS: &[&str] = &[
    "frontmatter",
    "html_tokenizer",
    "html_tree",
    "markdown",
    "json_read",
    "read_bytes",
    "read_feed",
    "read_page",
    "write_txt",
    "write_json",
    "write_epub",
    "write_pdf",
];

/// Runs the body of the target called `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "frontmatter" => fuzz_frontmatter(data),
        "html_tokenizer" => fuzz_html_tokenizer(data),
        "html_tree" => fuzz_html_tree(data),
        "markdown" => fuzz_markdown(data),
        "json_read" => fuzz_json_read(data),
        "read_bytes" => fuzz_read_bytes(data),
        "read_feed" => fuzz_read_feed(data),
        "read_page" => fuzz_read_page(data),
        "write_txt" => fuzz_writer("txt", data),
        "write_json" => fuzz_writer("json", data),
        "write_epub" => fuzz_writer("epub", data),
        "write_pdf" => fuzz_writer("pdf", data),
        _ => panic!("no fuzz target called {name}"),
    }
}

fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

pub fn fuzz_frontmatter(data: &[u8]) {
    if let Some(s) = text(data) {
        if let Ok(split) = frontmatter::split(s) {
            // The body is a slice of the input, the front matter too.
            assert!(split.body.len() <= s.len());
        }
    }
}

pub fn fuzz_html_tokenizer(data: &[u8]) {
    if let Some(s) = text(data) {
        let mut tokens = html::tokenizer::Tokenizer::new(s);
        // Toggle CDATA on and off as the tree builder would in foreign content.
        let mut n = 0usize;
        while let Some(tok) = tokens.next() {
            let span = tok.span();
            assert!(
                span.start <= span.end && span.end <= s.len(),
                "span out of input"
            );
            n += 1;
            tokens.cdata_allowed = n % 3 == 0;
        }
    }
}

pub fn fuzz_html_tree(data: &[u8]) {
    if let Some(s) = text(data) {
        let _ = html::tree::parse(s);
    }
}

pub fn fuzz_markdown(data: &[u8]) {
    if let Some(s) = text(data) {
        let mut w = Warnings::new();
        let _ = markdown::read(
            s,
            Some("https://example.com/a/b.html"),
            session_for(0, Options::default),
            &mut w,
        );
    }
}

pub fn fuzz_json_read(data: &[u8]) {
    if let Some(s) = text(data) {
        let _ = json::looks_like_model(s);
        let _ = json::read(s);
    }
}

/// The whole reader entry: the first byte picks `--from` and the path hint.
pub fn fuzz_read_bytes(data: &[u8]) {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let from = [
        InputFormat::Auto,
        InputFormat::Html,
        InputFormat::Markdown,
        InputFormat::Text,
        InputFormat::Json,
    ][usize::from(sel % 5)];
    let hint = ["a.txt", "a.md", "a.html", "a.json"][usize::from((sel / 5) % 4)];
    let keep_all = sel & 0x80 != 0;
    let session = session_for(1 + u64::from(sel % 5) * 2 + u64::from(keep_all), || {
        Options {
            from,
            keep_all,
            ..Options::default()
        }
    });
    let mut w = Warnings::new();
    let _ = read::read_bytes(bytes, Some(Path::new(hint)), session, &mut w);
}

/// The feed readers (RSS, Atom, JSON Feed) through the entry bulk runs
/// use: the first byte picks the path hint, so an XML file that is no feed
/// takes the refusal path too.
pub fn fuzz_read_feed(data: &[u8]) {
    let Some((&sel, bytes)) = data.split_first() else {
        return;
    };
    let hint = ["feed.xml", "feed.rss", "feed.atom", "feed.json"][usize::from(sel % 4)];
    let session = session_for(100, Options::default);
    let mut w = Warnings::new();
    let _ = read::read_input(bytes, Some(Path::new(hint)), session, &mut w);
}

/// Whole web pages with extraction forced on (`--extract`), so every input
/// goes through page metadata (head, OpenGraph, JSON-LD) and the scorer.
pub fn fuzz_read_page(data: &[u8]) {
    let session = session_for(101, || Options {
        extract: Some(true),
        ..Options::default()
    });
    let mut w = Warnings::new();
    let _ = read::read_bytes(data, Some(Path::new("page.html")), session, &mut w);
}

/// What a writer target is given: a model (one article or a bundle) and the
/// options that change layout.
#[derive(Debug, Arbitrary)]
struct WriterInput {
    doc: Document,
    bundle: Option<Bundle>,
    columns: Option<u8>,
    layout: u8,
}

pub fn fuzz_writer(format: &str, data: &[u8]) {
    let Ok(mut input) = WriterInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut budget = Budget::default();
    sanitise_doc(&mut input.doc, &mut budget);
    if let Some(bundle) = &mut input.bundle {
        sanitise_meta(&mut bundle.meta, &mut budget);
        for section in &mut bundle.sections {
            budget.text(&section.title);
            for doc in &mut section.articles {
                sanitise_doc(doc, &mut budget);
            }
        }
    }
    if budget.over() {
        return;
    }
    // A few column widths only, so the sessions (fonts parsed once) are few.
    let columns = input.columns.map(|c| [12u8, 40, 72][usize::from(c % 3)]);
    let key = 100 + u64::from(input.layout % 20) * 4 + columns.map_or(0, |c| u64::from(c % 3) + 1);
    let session = session_for(key, || writer_options(columns, input.layout));
    let writer = writer_by_name(format).expect("writer exists");
    let mut w = Warnings::new();
    // Through the assets pass, as the CLI writes: pictures resolve inside
    // an empty folder, offline.
    let root = Some(empty_dir());
    let out = match &input.bundle {
        Some(bundle) => conv::convert::write_bundle(bundle, root, writer, session, &mut w),
        None => conv::convert::write_document(&input.doc, root, writer, session, &mut w),
    };
    if format == "json" && input.bundle.is_none() {
        // conv's own JSON reads back as the same document.
        let out = out.expect("the JSON writer does not fail");
        let text = std::str::from_utf8(&out).expect("JSON is UTF-8");
        if json::too_deep_at(text.as_bytes(), json::MAX_JSON_DEPTH).is_some() {
            // Deeper than any reader of conv makes (HTML flattens past 8
            // block and 32 inline levels): refused with a message, no panic.
            let err = json::read(text).expect_err("too deep to read back");
            assert!(err.to_string().contains("nested deeper than"), "{err}");
        } else {
            let back = json::read(text).expect("conv reads its own JSON");
            assert_eq!(back, input.doc, "JSON round trip changed the document");
        }
    }
}

/// Options for the writers: offline, every local path inside an empty
/// folder, a fixed clock, and a page/font pair from a list of sane ones (the
/// layout's behaviour on absurd pages is the typesetter's own tests' job).
fn writer_options(columns: Option<u8>, layout: u8) -> Options {
    let pages = ["a5", "a4", "kindle", "letter", "90x140mm"];
    let sizes = [11.0, 8.0, 14.0, 20.0];
    Options {
        offline: true,
        cache_dir: Some(empty_dir().join("cache")),
        source_date_epoch: Some(1_600_000_000),
        columns: columns.map(|c| usize::from(c.max(1))),
        page: pages[usize::from(layout % 5)].to_string(),
        font_size: sizes[usize::from((layout / 5) % 4)],
        ..Options::default()
    }
}

/// One session per option set, built once (fonts and rules are parsed when
/// a session is made or first used; per input that would be most of the time).
fn session_for(key: u64, opts: impl FnOnce() -> Options) -> &'static Session {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static SESSIONS: OnceLock<Mutex<HashMap<u64, &'static Session>>> = OnceLock::new();
    let mut map = SESSIONS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    map.entry(key)
        .or_insert_with(|| Box::leak(Box::new(Session::new(opts()).expect("valid options"))))
}

fn empty_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("conv-fuzz-")
            .tempdir()
            .expect("temp dir")
            .keep();
        dir
    })
}

/// Counts nodes and text bytes of a generated model.
#[derive(Default)]
struct Budget {
    nodes: usize,
    text: usize,
}

impl Budget {
    fn text(&mut self, s: &str) {
        self.text += s.len();
    }
    fn node(&mut self) {
        self.nodes += 1;
    }
    fn over(&self) -> bool {
        self.nodes > MAX_NODES || self.text > MAX_TEXT
    }
}

/// Keeps image references from reaching the disk or the network: a `data:`
/// URI stays as generated, anything else becomes a plain file name inside
/// the (empty) base folder. Which paths an input may reach is tested by the
/// resource tests and the adversarial suite, not here.
fn sanitise_src(src: &mut String) {
    if src.starts_with("data:") {
        return;
    }
    let name: String = src
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '.')
        .collect();
    *src = name.trim_start_matches('.').to_string();
}

fn sanitise_image(image: &mut Image, budget: &mut Budget) {
    sanitise_src(&mut image.src);
    budget.text(&image.src);
    budget.text(&image.alt);
}

fn sanitise_meta(meta: &mut Metadata, budget: &mut Budget) {
    if let Some(cover) = &mut meta.cover {
        sanitise_src(cover);
    }
    for s in [
        &meta.title,
        &meta.description,
        &meta.source_url,
        &meta.language,
    ] {
        budget.text(s.as_deref().unwrap_or(""));
    }
    for s in meta
        .authors
        .iter()
        .chain(&meta.tags)
        .chain(&meta.categories)
    {
        budget.text(s);
    }
}

fn sanitise_doc(doc: &mut Document, budget: &mut Budget) {
    sanitise_meta(&mut doc.meta, budget);
    sanitise_blocks(&mut doc.blocks, budget);
}

fn sanitise_blocks(blocks: &mut [Block], budget: &mut Budget) {
    for block in blocks {
        budget.node();
        match block {
            Block::Paragraph { content } | Block::Heading { content, .. } => {
                sanitise_inlines(content, budget)
            }
            Block::List { items, .. } => {
                for item in items {
                    sanitise_blocks(item, budget);
                }
            }
            Block::BlockQuote { blocks } => sanitise_blocks(blocks, budget),
            Block::CodeBlock { code, .. } => budget.text(code),
            Block::Figure { image, caption } => {
                sanitise_image(image, budget);
                sanitise_inlines(caption, budget);
            }
            Block::Table(table) => {
                for row in table.head.iter_mut().chain(table.body.iter_mut()) {
                    for cell in row {
                        budget.node();
                        sanitise_blocks(&mut cell.blocks, budget);
                    }
                }
            }
            Block::Rule => {}
        }
    }
}

fn sanitise_inlines(inlines: &mut [Inline], budget: &mut Budget) {
    for inline in inlines {
        budget.node();
        match inline {
            Inline::Text { text } => budget.text(text),
            Inline::Code { code } => budget.text(code),
            Inline::Emphasis { content }
            | Inline::Strong { content }
            | Inline::Strikeout { content }
            | Inline::Superscript { content }
            | Inline::Subscript { content } => sanitise_inlines(content, budget),
            Inline::Link { url, content, .. } => {
                budget.text(url);
                sanitise_inlines(content, budget);
            }
            Inline::Image { image } => sanitise_image(image, budget),
            Inline::LineBreak => {}
        }
    }
}

/// The folder holding `corpus/` and `regressions/`: this crate's, whether
/// it is built as `conv-fuzz` or included in conv's own unit tests.
pub fn corpus_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match root.join("fuzz") {
        inside if inside.join("corpus").is_dir() => inside,
        _ => root.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replays every committed corpus input (seeds and minimised finds)
    /// through its target's body: the CI form of the fuzz campaign that
    /// needs neither nightly nor libFuzzer.
    #[test]
    fn corpus_replays_without_a_panic() {
        let root = corpus_root();
        let mut replayed = 0;
        for target in TARGETS {
            for sub in ["corpus", "regressions"] {
                let dir = root.join(sub).join(target);
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                for path in paths {
                    let data = std::fs::read(&path).unwrap();
                    eprintln!("{target}: {}", path.display());
                    run(target, &data);
                    replayed += 1;
                }
            }
        }
        assert!(replayed > 0, "no corpus found under {}", root.display());
    }
}
