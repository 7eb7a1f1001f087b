//! What whole-page extraction costs over reading the same page without it
//! (target: ≤ 30 % more). The page: the fixture articles inside a site's
//! furniture (head with JSON-LD, navigation, share bars, related links,
//! sidebar, comments, footer), about 300 KB like a real news page.

use conv::read::read_str;
use conv::{Options, Warnings};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn page() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.sort();
    let article: String = names
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !matches!(
                n,
                "misnested.html" | "broken_attrs.html" | "lists_tables.html"
            )
        })
        .map(|p| {
            format!(
                "<div>{}</div>\n",
                std::fs::read_to_string(p).unwrap_or_default()
            )
        })
        .collect();
    let links: String = (0..60)
        .map(|i| format!("<li><a href=\"/s/{i}\">Section {i} and more news</a></li>"))
        .collect();
    let furniture = format!(
        "<div class=\"related\"><h3>Related</h3><ul>{links}</ul></div>\
         <div class=\"share-bar\"><a href=#>Share</a><a href=#>Tweet</a></div>"
    );
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pages/news.html"
    );
    let head = std::fs::read_to_string(fixture).unwrap_or_default();
    let head = head.split("<body>").next().unwrap_or("<html><head></head>");
    let mut body = String::new();
    while body.len() < 250_000 {
        body.push_str(&article);
    }
    format!(
        "{head}<body><header><nav><ul>{links}</ul></nav></header><main><article>{furniture}{body}{furniture}</article>\
         <section class=\"comments\">{furniture}</section></main><aside class=\"sidebar\"><ul>{links}</ul></aside>\
         <footer>{furniture}</footer></body></html>"
    )
}

fn bench(c: &mut Criterion) {
    let page = page();
    let mut group = c.benchmark_group("page");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.sample_size(20);
    // Exactly `--no-extract` against `--extract` (not the detection, which
    // a change of `looks_like_page` could turn off unnoticed).
    for (name, extract) in [
        ("read_whole_page", Some(false)),
        ("read_with_extraction", Some(true)),
    ] {
        let session = conv::session::Session::new(Options {
            extract,
            ..Options::default()
        })
        .expect("session");
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut w = Warnings::new();
                read_str(black_box(&page), None, &session, &mut w)
                    .map(|d| d.blocks.len())
                    .unwrap_or(0)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
