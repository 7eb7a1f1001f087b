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

/// Runs conv in `cwd` and asserts a usage error: exit 2, one `conv:` line
/// containing `needle`, nothing written to standard output.
fn usage_error(cwd: &Path, args: &[&str], needle: &str) {
    let run = conv().args(args).current_dir(cwd).output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(
        err.starts_with("conv: ") && err.contains(needle),
        "{args:?}: {err}"
    );
    assert!(run.stdout.is_empty(), "{args:?}");
}

/// A folder of two articles in a temporary folder, for the flag checks:
/// none of them may convert anything (`out` must never appear).
fn two_articles() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for name in ["a", "b"] {
        std::fs::write(dir.path().join(format!("in/{name}.txt")), "# T\n\nbody\n").unwrap();
    }
    dir
}

/// Issue 9: `-j 100000` was accepted (and `-j 0` meant "all cores").
#[test]
fn jobs_zero_or_over_256_is_a_usage_error() {
    let dir = two_articles();
    for jobs in ["0", "257", "100000"] {
        usage_error(
            dir.path(),
            &["in", "-o", "out", "-t", "txt", "-j", jobs],
            "-j",
        );
    }
    assert!(!dir.path().join("out").exists());
    conv()
        .args(["in", "-o", "out", "-t", "txt", "-j", "256", "-q"])
        .current_dir(dir.path())
        .assert()
        .success();
}

/// Issue 9: `--max-articles 0` was accepted; `--limit 0` too.
#[test]
fn max_articles_and_limit_zero_are_usage_errors() {
    let dir = two_articles();
    for flag in ["--max-articles", "--limit"] {
        usage_error(
            dir.path(),
            &["in", "--bundle", "-o", "out/b.txt", flag, "0"],
            flag,
        );
    }
    assert!(!dir.path().join("out").exists());
}

/// Issue 9: without `--bundle`, the bundle's selection and shape flags
/// were silently ignored.
#[test]
fn bundle_only_flags_without_bundle_are_usage_errors() {
    let dir = two_articles();
    for flag in [
        &["--since", "7d"][..],
        &["--until", "today"],
        &["--tag", "x"],
        &["--author", "x"],
        &["--category", "x"],
        &["--limit", "3"],
        &["--group-by", "day"],
        &["--newest-first"],
        &["--title", "T"],
        &["--max-articles", "2"],
        &["--max-size", "1MB"],
        &["--state", "s.json"],
    ] {
        let mut args = vec!["in", "-o", "out", "-t", "txt"];
        args.extend_from_slice(flag);
        usage_error(
            dir.path(),
            &args,
            &format!("{} selects or shapes a bundle", flag[0]),
        );
    }
    assert!(!dir.path().join("out").exists());
}

/// Issue 9: `--bundle -o -` wrote a file named `-`.
#[test]
fn bundle_to_standard_output_is_a_usage_error() {
    let dir = two_articles();
    usage_error(
        dir.path(),
        &["in", "--bundle", "-o", "-", "-t", "txt"],
        "--bundle",
    );
    assert!(!dir.path().join("-").exists());
}

/// Issue 9: a folder input with `-o dir.epub` made a folder named `dir.epub`.
#[test]
fn a_folder_to_an_epub_name_without_bundle_is_a_usage_error() {
    let dir = two_articles();
    usage_error(
        dir.path(),
        &["in", "-o", "all.epub", "-t", "epub"],
        "--bundle",
    );
    usage_error(dir.path(), &["in", "-o", "all.epub"], "--bundle");
    assert!(!dir.path().join("all.epub").exists());
}

/// Issue 9: an unreadable `--cover` silently gave no cover.
#[test]
fn an_unreadable_cover_is_a_usage_error() {
    let dir = two_articles();
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    for cover in ["no-such.png", "folder"] {
        usage_error(
            dir.path(),
            &[
                "in",
                "--bundle",
                "-o",
                "b.epub",
                "--offline",
                "--cover",
                cover,
            ],
            "--cover",
        );
    }
    assert!(!dir.path().join("b.epub").exists());
}

/// Issue 9: `-o -` wrote EPUB and PDF bytes to a terminal.
#[test]
fn epub_or_pdf_to_a_terminal_is_a_usage_error() {
    use std::os::fd::{FromRawFd, OwnedFd};
    for format in ["epub", "pdf"] {
        let (mut master, mut slave) = (0, 0);
        let null = std::ptr::null_mut();
        // SAFETY: openpty writes two descriptors into the given integers;
        // the null name and settings are allowed.
        let rc = unsafe { libc::openpty(&mut master, &mut slave, null, null.cast(), null.cast()) };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned here only.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("conv"))
            .args(["samples/plain-text.txt", "-t", format, "-o", "-"])
            .stdout(std::process::Stdio::from(slave))
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        drop(master);
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{format}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("is not text"), "{err}");
    }
    // Not a terminal: the bytes go where they are sent.
    let out = conv()
        .args([
            "samples/plain-text.txt",
            "-t",
            "epub",
            "-o",
            "-",
            "--offline",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK"));
}

/// Issue 9: standard input had no size cap (`conv - < /dev/zero` read
/// until memory ran out); it is capped like a file.
#[test]
fn standard_input_is_capped_in_bytes() {
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("conv"))
        .args(["-", "-t", "txt"])
        .stdin(zero)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let cap = conv::bulk::MAX_ARTICLE_BYTES / 1024 / 1024;
    assert!(
        err.contains("standard input") && err.contains(&format!("larger than {cap} MiB")),
        "{err}"
    );
    assert!(run.stdout.is_empty());
}

/// Issue 9: a single input had no size cap either (`conv /dev/zero`).
#[test]
fn a_single_input_is_capped_in_bytes() {
    let run = conv().args(["/dev/zero", "-t", "txt"]).output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with("conv: /dev/zero: cannot read: larger than"),
        "{err}"
    );
}

/// Issue 9: a closed standard error (`conv … 2>&1 | head -1`) panicked in
/// `eprintln!`; now the run just ends with its status.
#[test]
fn a_closed_standard_error_is_not_a_panic() {
    let dir = two_articles();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let run = std::process::Command::new(assert_cmd::cargo::cargo_bin("conv"))
        .args(["in", "-o", "out", "-t", "txt"])
        .current_dir(dir.path())
        .stderr(writer)
        .status()
        .unwrap();
    // Printing the summary line panicked (exit 1) before.
    assert_eq!(run.code(), Some(0));
    assert!(dir.path().join("out/b.txt").exists());
}
