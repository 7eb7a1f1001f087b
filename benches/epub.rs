//! Seed-sized Chinese article (six paragraphs, about 2,000 characters, no
//! images) → EPUB bytes in memory. Aim: under 2 ms.

#[path = "../tests/it/epub_support.rs"]
#[allow(dead_code)]
mod epub_support;

use conv::write::{epub::EpubWriter, Writer};
use conv::{Options, Warnings};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn seed_to_epub(c: &mut Criterion) {
    let doc = epub_support::cjk_article();
    let chars: usize = conv::model::blocks_text(&doc.blocks).chars().count();
    assert!(
        (1800..2600).contains(&chars),
        "seed-sized: {chars} characters"
    );
    let session = conv::Session::new(Options {
        offline: true,
        ..Options::default()
    })
    .expect("session");
    let assets = conv::assets::Assets::default();
    c.bench_function("epub/seed_zh_2000_chars", |b| {
        b.iter(|| {
            let mut warnings = Warnings::new();
            let bytes = conv::write::to_vec(|out| {
                EpubWriter.write(black_box(&doc), &session, &assets, &mut warnings, out)
            })
            .expect("EPUB written");
            black_box(bytes)
        })
    });
}

criterion_group!(benches, seed_to_epub);
criterion_main!(benches);
