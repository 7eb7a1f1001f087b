//! Seed-sized Chinese article → PDF bytes, in-process, fonts already parsed.
//! Run: `cargo bench --bench pdf`.

use conv::model::{Block, DateValue, Document, Inline, Metadata};
use conv::write::pdf::PdfWriter;
use conv::write::Writer;
use conv::{Options, Warnings};
use criterion::{criterion_group, criterion_main, Criterion};

/// About the seed's size: a title, seven paragraphs, ~1,500 characters.
fn seed_like() -> Document {
    let body = "2月14日上午，江苏省召开工作会议，强调要进一步树牢底线思维、增强风险意识，\
把困难估计得更加充分，把形势考虑得更加严峻，把工作安排得更加周密，采取更加坚决果断措施。\
当前正值春节后开工、开学之际，各地各部门要提高站位，坚持“外防输入、内防反弹”总策略，\
做到应检尽检、应隔尽隔、应治尽治（见附件），切实保障群众生活。";
    let blocks = (0..7)
        .map(|i| Block::Paragraph {
            content: vec![Inline::text(format!("{i}、{body}"))],
        })
        .collect();
    Document {
        meta: Metadata {
            title: Some("江苏省委书记：采取更坚决果断措施，迅速打赢疫情防控战".into()),
            authors: vec!["新浪财经".into()],
            date: Some(DateValue {
                raw: "Mon, 14 Feb 2022 07:02:16 GMT".into(),
                iso: Some("2022-02-14T07:02:16Z".into()),
            }),
            ..Metadata::default()
        },
        blocks,
    }
}

fn bench(c: &mut Criterion) {
    let session = conv::Session::new(Options::default()).expect("session");
    let assets = conv::assets::Assets::default();
    let doc = seed_like();
    c.bench_function("seed_like_cjk_to_pdf", |b| {
        b.iter(|| {
            let mut w = Warnings::new();
            conv::write::to_vec(|out| PdfWriter.write(&doc, &session, &assets, &mut w, out))
                .expect("pdf")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
