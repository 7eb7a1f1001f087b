use super::*;

/// Hears every article: (input, output written, failure).
#[derive(Default)]
struct Recorder(Mutex<Vec<(String, Option<PathBuf>, Option<String>)>>);

impl Observer for Recorder {
    fn article_done(&self, done: &Done<'_>) {
        lock(&self.0).push((
            done.input.to_string(),
            done.output.map(Path::to_path_buf),
            done.failure.map(str::to_string),
        ));
    }
}

fn txt_run(inputs: &[PathBuf], out: &Path, jobs: usize, observer: &dyn Observer) -> Summary {
    let session = Session::new(crate::Options::default()).unwrap();
    let bulk = BulkOptions {
        jobs: Some(jobs),
        ..BulkOptions::default()
    };
    convert_each(
        inputs,
        out,
        &crate::write::txt::TextWriter,
        &session,
        &bulk,
        observer,
    )
    .unwrap()
}

#[test]
fn colliding_outputs_fail_the_later_input_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    for name in ["a.txt", "a.md", "a.html", "b.md"] {
        // In name order: a.html has the name a.txt, a.md and a.txt fail.
        std::fs::write(
            d.join(name),
            format!(
                "# {name}

text
"
            ),
        )
        .unwrap();
    }
    for jobs in [1, 4, 4, 4] {
        let out = dir.path().join(format!("out{jobs}"));
        let summary = txt_run(&[d.clone()], &out, jobs, &Silent);
        assert_eq!(summary.converted, 2);
        let failed: Vec<&str> = summary.failures.iter().map(|f| f.input.as_str()).collect();
        let (md, txt) = (d.join("a.md"), d.join("a.txt"));
        assert_eq!(failed, [md.to_str().unwrap(), txt.to_str().unwrap()]);
        for failure in &summary.failures {
            assert!(failure.reason.contains("also that of"), "{failure:?}");
            assert!(failure.reason.contains("a.html"), "{failure:?}");
        }
        let text = std::fs::read_to_string(out.join("a.txt")).unwrap();
        assert!(text.contains("a.html"), "{text}");
    }
}

#[test]
fn every_article_reaches_the_observer_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("good.txt"),
        "# good

text
",
    )
    .unwrap();
    std::fs::write(d.join("bad.json"), r#"{"conv_schema": "9.0"}"#).unwrap();
    let out = dir.path().join("out");
    let recorder = Recorder::default();
    let summary = txt_run(&[d.clone()], &out, 2, &recorder);
    let mut heard = recorder.0.into_inner().unwrap();
    heard.sort();
    assert_eq!(heard.len(), 2, "{heard:?}");
    assert_eq!(heard[0].0, d.join("bad.json").display().to_string());
    assert!(heard[0].1.is_none() && heard[0].2.is_some());
    assert_eq!(heard[1].1.as_deref(), Some(out.join("good.txt").as_path()));
    assert!(heard[1].2.is_none());
    assert_eq!((summary.converted, summary.failed), (1, 1));
}

#[test]
fn an_input_folder_converted_in_place_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("a.md"),
        "# md

text
",
    )
    .unwrap();
    std::fs::write(
        d.join("a.txt"),
        "# txt

keep
",
    )
    .unwrap();
    std::fs::write(
        d.join("b.md"),
        "# b

text
",
    )
    .unwrap();
    // The output folder spelled another way than the input folder.
    let summary = txt_run(&[d.clone()], &d.join("."), 2, &Silent);
    assert_eq!(
        std::fs::read_to_string(d.join("a.txt")).unwrap(),
        "# txt

keep
"
    );
    assert_eq!(summary.converted, 1, "{:?}", summary.failures);
    assert!(std::fs::read_to_string(d.join("b.txt"))
        .unwrap()
        .contains("text"));
    let reasons: Vec<&str> = summary.failures.iter().map(|f| f.reason.as_str()).collect();
    assert!(
        reasons[0].contains("would overwrite an input"),
        "{reasons:?}"
    );
    assert!(reasons[1].contains("is the input itself"), "{reasons:?}");
}

#[test]
fn shards_partition_the_articles() {
    let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
    for i in 0..200 {
        let rel = PathBuf::from(format!("posts/{i}.md"));
        assert_eq!(shards.iter().filter(|s| s.contains(&rel)).count(), 1);
    }
    assert_eq!(Shard::parse("2/8"), Some(Shard { index: 2, count: 8 }));
    assert_eq!(Shard::parse("0/8"), None);
    assert_eq!(Shard::parse("9/8"), None);
    assert_eq!(Shard::parse("x"), None);
}
