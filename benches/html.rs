//! Throughput of the HTML reader (tokenize + tree + clean-up + model) on a
//! large article built from the fixture articles, and of its stages.

use conv::read::html::{parse, read, HtmlContext, Rules};
use conv::Warnings;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

/// About 1 MB of article HTML: the well-formed fixture articles
/// (scraped-news quirks, code, tables, lists, images) repeated. The
/// deliberately broken fixtures are left out: repeated, their unclosed
/// tables and formatting would nest each copy inside the previous one,
/// which no real article does.
fn large_article() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.sort();
    let one: String = names
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !matches!(
                name,
                "misnested.html" | "broken_attrs.html" | "lists_tables.html"
            )
        })
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        // Each fixture in its own container so one's unclosed tags do not
        // swallow the next.
        .map(|s| format!("<div>{s}</div>\n"))
        .collect();
    one.repeat((1 << 20) / one.len().max(1) + 1)
}

fn bench(c: &mut Criterion) {
    let html = large_article();
    let rules = Rules::builtin();
    let ctx = HtmlContext {
        base_url: Some("https://example.com/news/a.html"),
        keep_all: false,
        rules: &rules,
    };
    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Bytes(html.len() as u64));
    group.sample_size(10);
    group.bench_function("tokenize", |b| {
        b.iter(|| conv::read::html::tokenizer::Tokenizer::new(black_box(&html)).count())
    });
    group.bench_function("parse", |b| b.iter(|| parse(black_box(&html)).nodes.len()));
    group.bench_function("read", |b| {
        b.iter(|| {
            let mut w = Warnings::new();
            read(black_box(&html), &ctx, &mut w)
                .map(|v| v.len())
                .unwrap_or(0)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
