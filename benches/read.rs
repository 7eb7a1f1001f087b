//! Read + model + plain text, in process: the seed-style sample and a large
//! article (the rich sample's body repeated to ~40 KB, the size of the
//! largest real scraped articles), and the Markdown sample.
//! `CONV_BENCH_FILE=path` adds any article.

use conv::options::Options;
use conv::write::Writer;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn large_article() -> String {
    let rich = std::fs::read_to_string("samples/rich-content.txt").unwrap();
    let (head, body) = rich.split_at(rich.find("<div>").unwrap());
    let mut out = head.to_string();
    while out.len() < 40_000 {
        out.push_str(body);
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut inputs = vec![
        (
            "sina-style",
            std::fs::read_to_string("samples/sina-style.txt").unwrap(),
        ),
        ("large-40k", large_article()),
        (
            "hexo-markdown",
            std::fs::read_to_string("samples/hexo-markdown.md").unwrap(),
        ),
    ];
    if let Ok(path) = std::env::var("CONV_BENCH_FILE") {
        inputs.push(("CONV_BENCH_FILE", std::fs::read_to_string(path).unwrap()));
    }
    let session = conv::Session::new(Options {
        offline: true,
        ..Options::default()
    })
    .expect("session");
    let assets = conv::assets::Assets::default();
    let mut group = c.benchmark_group("read+txt");
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut warnings = conv::Warnings::new();
                let doc = conv::read::read_str(text, None, &session, &mut warnings).unwrap();
                conv::write::to_vec(|out| {
                    conv::write::txt::TextWriter.write(&doc, &session, &assets, &mut warnings, out)
                })
                .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
