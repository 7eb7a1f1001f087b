//! The command line as a user meets it: formats, exit statuses, error lines,
//! standard input and output, and the JSON round trip.

use crate::common;
use common::samples;

use assert_cmd::Command;
use std::path::Path;

fn conv() -> Command {
    let mut cmd = Command::cargo_bin("conv").unwrap();
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

fn run_ok(args: &[&str]) -> String {
    let out = conv().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "conv {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_formats_names_every_writer() {
    let out = run_ok(&["--list-formats"]);
    for name in ["txt", "json", "epub", "pdf", "markdown", "html"] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
}

#[test]
fn bad_usage_exits_2() {
    conv().assert().code(2);
    conv()
        .args(["samples/sina-style.txt", "-t", "docx"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown output format 'docx'"));
    conv()
        .args(["samples/sina-style.txt", "-o", "out.unknownext"])
        .assert()
        .code(2);
    conv().args(["--no-such-flag"]).assert().code(2);
}

#[test]
fn a_missing_file_is_one_line_naming_it() {
    let out = conv()
        .args(["no/such/file.txt", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("conv: no/such/file.txt"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn a_front_matter_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "+++\ntitle = \"ok\"\ndate = = 3\n+++\nbody\n").unwrap();
    let out = conv().arg(&bad).args(["-o", "-"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.md"), "{err}");
    assert!(err.contains("line 3"), "{err}");
}

#[test]
fn seed_style_article_to_text() {
    let txt = run_ok(&["samples/sina-style.txt", "-t", "txt"]);
    assert!(
        txt.starts_with("示例财经：城市更新计划公布，老旧小区改造提速\n"),
        "{txt}"
    );
    assert!(txt.contains("示例财经 · 2022-02-14\n"), "{txt}");
    for start in ["2月14日上午", "会议强调", "据介绍", "市有关部门负责同志"] {
        let needle = format!("\n\u{3000}\u{3000}{start}");
        assert_eq!(txt.matches(&needle).count(), 1, "{start} in:\n{txt}");
    }
    assert!(txt.contains("总投资{约}42亿元"), "{txt}");
    assert!(txt.contains("责任编辑：张三"), "{txt}");
    for bad in [
        "尽在新浪财经APP",
        "appendQr",
        "<",
        "&#",
        "&nbsp;",
        "cms-style",
        "{border",
    ] {
        assert!(!txt.contains(bad), "{bad} leaked into:\n{txt}");
    }
}

#[test]
fn seed_style_article_to_json() {
    let json = run_ok(&["samples/sina-style.txt", "-t", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["conv_schema"], "1.0");
    assert_eq!(
        v["meta"]["title"],
        "示例财经：城市更新计划公布，老旧小区改造提速"
    );
    assert_eq!(
        v["meta"]["categories"],
        serde_json::json!(["金融", "示例财经", "示例财经－国內"])
    );
    assert_eq!(v["meta"]["authors"], serde_json::json!(["示例财经"]));
    assert_eq!(v["meta"]["date"]["iso"], "2022-02-14T07:02:16Z");
    assert_eq!(v["meta"]["date"]["raw"], "Mon, 14 Feb 2022 07:02:16 GMT");
    assert_eq!(v["meta"]["cover"], "images/harbour.jpg");
    assert_eq!(v["meta"]["language"], "zh");
    assert_eq!(v["meta"]["extra"]["comments"], false);
    assert!(!json.contains("\\u"), "JSON must be UTF-8, unescaped");
}

#[test]
fn json_round_trip_gives_the_same_text_for_every_sample() {
    let dir = tempfile::tempdir().unwrap();
    for sample in samples() {
        let name = sample.file_stem().unwrap().to_str().unwrap();
        let json = dir.path().join(format!("{name}.json"));
        let direct = run_ok(&[sample.to_str().unwrap(), "-t", "txt"]);
        run_ok(&[sample.to_str().unwrap(), "-o", json.to_str().unwrap()]);
        let via_json = run_ok(&[json.to_str().unwrap(), "-t", "txt"]);
        assert_eq!(
            direct,
            via_json,
            "round trip differs for {}",
            sample.display()
        );
    }
}

#[test]
fn another_major_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("future.json");
    std::fs::write(&doc, r#"{"conv_schema": "9.0", "meta": {}, "blocks": []}"#).unwrap();
    let out = conv().arg(&doc).args(["-t", "txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schema version 9.0"));
}

#[test]
fn stdin_to_stdout() {
    let out = conv()
        .args(["-", "-o", "-", "-t", "txt"])
        .write_stdin("---\ntitle: Hello\n---\n<p>World &amp; all</p>\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Hello\n"), "{text}");
    assert!(text.contains("World & all"), "{text}");
}

#[test]
fn the_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, "<p>keep me</p>").unwrap();
    let out = conv().arg(&input).arg("-o").arg(&input).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "<p>keep me</p>");
}

#[test]
fn columns_wrap_by_display_width() {
    let txt = run_ok(&["samples/sina-style.txt", "-t", "txt", "--columns", "40"]);
    for line in txt.lines() {
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= 40, "{width} columns: {line}");
        for bad in ['，', '。', '、', '）', '”', '；'] {
            assert!(!line.starts_with(bad), "line starts with {bad}: {line}");
        }
    }
}

#[test]
fn every_sample_converts_to_txt_and_json_without_remnants() {
    for sample in samples() {
        for to in ["txt", "json"] {
            let out = run_ok(&[sample.to_str().unwrap(), "-t", to]);
            for bad in ["<p", "<div", "<img", "&#", "&nbsp;", "&amp;", "<!--", "-->"] {
                assert!(!out.contains(bad), "{bad} in {} ({to})", sample.display());
            }
        }
    }
    assert!(Path::new("samples/images/harbour.jpg").exists());
}

#[test]
fn a_bad_page_or_encoding_fails_at_once_with_exit_2_single_and_bulk() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..3 {
        std::fs::write(input.join(format!("a{i}.txt")), "标题\n\n正文。").unwrap();
    }
    let a = input.join("a0.txt");
    let out = dir.path().join("out");
    let cases: [Vec<&std::ffi::OsStr>; 3] = [
        vec![
            a.as_os_str(),
            "--page".as_ref(),
            "bogus".as_ref(),
            "-o".as_ref(),
            "x.pdf".as_ref(),
        ],
        vec![
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "-t".as_ref(),
            "pdf".as_ref(),
            "--page".as_ref(),
            "bogus".as_ref(),
        ],
        vec![
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "-t".as_ref(),
            "txt".as_ref(),
            "--encoding".as_ref(),
            "klingon".as_ref(),
        ],
    ];
    for args in cases {
        let run = conv().args(&args).current_dir(dir.path()).output().unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(run.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!out.exists(), "nothing is converted");
    }
}
