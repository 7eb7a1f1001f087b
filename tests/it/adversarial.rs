//! Hostile input, generated here (nothing copied): broken encodings,
//! pathological HTML and YAML, hostile archives, and output paths that
//! collide or cannot be written. Each case asserts what conv must do: a
//! correct result, or a clear `conv: FILE…` line and exit 1 — never a
//! panic, a backtrace, a hang (each run is killed after two minutes) or a
//! write outside the output folder.
//!
//! Set `CONV_ADVERSARIAL_TIMES=FILE` to run each conv under `/usr/bin/time`
//! and append `case seconds peak_rss_kb` lines to FILE (figures for the
//! hardening notes; timings are never asserted here).

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one conv run gave.
struct Outcome {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Outcome {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs conv with `args` in `cwd` and checks what every run must hold: it
/// ended by itself with 0, 1 or 2, and printed no panic or backtrace.
fn conv(case: &str, cwd: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Outcome {
    let bin = assert_cmd::cargo::cargo_bin("conv");
    let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_owned()).collect();
    let times = std::env::var_os("CONV_ADVERSARIAL_TIMES");
    let mut cmd = match &times {
        Some(file) => {
            let mut cmd = assert_cmd::Command::new("/usr/bin/time");
            cmd.arg("-a").arg("-o").arg(file);
            cmd.arg("-f").arg(format!("{case} %e %M"));
            cmd.arg(&bin);
            cmd
        }
        None => assert_cmd::Command::new(&bin),
    };
    cmd.args(&args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("RUST_BACKTRACE", "1")
        .timeout(Duration::from_secs(120));
    let out = cmd.output().unwrap();
    let outcome = Outcome {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        matches!(outcome.code, Some(0..=2)),
        "{case}: conv {args:?} ended with {:?} (killed, crashed or timed out):\n{}",
        out.status,
        tail(&outcome.stderr)
    );
    for bad in ["panicked", "stack backtrace", "RUST_BACKTRACE"] {
        assert!(
            !outcome.stderr.contains(bad),
            "{case}: {bad}:\n{}",
            tail(&outcome.stderr)
        );
    }
    outcome
}

fn tail(s: &str) -> String {
    let lines: Vec<_> = s.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Asserts a failure reported as `conv: …` lines (each one line), one of
/// them naming `name`.
fn fails_naming(o: &Outcome, name: &str) {
    assert_eq!(
        o.code,
        Some(1),
        "expected a failure naming {name}:\n{}",
        o.stderr
    );
    assert!(
        o.stderr.lines().any(|l| l.contains(name)),
        "no line names {name}:\n{}",
        tail(&o.stderr)
    );
    every_line_is_convs(o);
}

fn every_line_is_convs(o: &Outcome) {
    for line in o.stderr.lines() {
        assert!(line.starts_with("conv: "), "not a conv line: {line:?}");
        assert!(line.len() < 2_000, "an error line of {} bytes", line.len());
    }
}

fn article(title: &str, body: &str) -> String {
    format!("title: '{title}'\n---\n{body}\n")
}

/// Every file under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = walk(dir);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A folder run over `files` to txt: every file either converted or named
/// in an error line, nothing panicked.
fn folder_run(case: &str, files: &[(String, Vec<u8>)]) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("in")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join("in").join(name), bytes).unwrap();
    }
    let o = conv(
        case,
        dir.path(),
        &[&"in", &"-o", &"out", &"-t", &"txt", &"-j", &"1"],
    );
    for (name, _) in files {
        let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
        let converted = dir.path().join("out").join(format!("{stem}.txt")).exists();
        assert!(
            converted || o.stderr.contains(name.as_str()),
            "{case}: {name} neither converted nor reported:\n{}",
            tail(&o.stderr)
        );
    }
    (dir, o)
}

// ---- encodings ----

#[test]
fn invalid_utf8_in_every_position() {
    let base = article("标题 Title", "<p>正文 body ünïcödé text</p>").into_bytes();
    let mut files = Vec::new();
    for i in 0..=base.len() {
        for (k, bad) in [&[0xFFu8][..], &[0xC3], &[0xE6, 0xAD]].iter().enumerate() {
            let mut bytes = base.clone();
            bytes.splice(i..i, bad.iter().copied());
            files.push((format!("at{i:03}-{k}.txt"), bytes));
        }
        // A byte of a multibyte character replaced (a torn character).
        if i < base.len() {
            let mut bytes = base.clone();
            bytes[i] = 0x80;
            files.push((format!("torn{i:03}.txt"), bytes));
        }
    }
    // Each file converts (read as GB18030 where that decodes) or is one
    // line "input is not text" naming it.
    let (_dir, o) = folder_run("invalid_utf8", &files);
    every_line_is_convs(&o);
}

#[test]
fn nul_bytes_anywhere() {
    let base = article("Nul", "<p>before and after</p>").into_bytes();
    let mut files = vec![("all-nul.txt".to_string(), vec![0u8; 4096])];
    for i in (0..=base.len()).step_by(3) {
        let mut bytes = base.clone();
        bytes.insert(i, 0);
        files.push((format!("nul{i:03}.txt"), bytes));
    }
    let (_dir, o) = folder_run("nul_bytes", &files);
    every_line_is_convs(&o);
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut units: Vec<u16> = Vec::new();
    if bom {
        units.push(0xFEFF);
    }
    units.extend(text.encode_utf16());
    let mut bytes = Vec::new();
    for u in units {
        let pair = if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

#[test]
fn utf16_with_a_bom_reads_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("Sixteen 十六", "<p>Wide body 正文</p>");
    for (name, be) in [("le.txt", false), ("be.txt", true)] {
        std::fs::write(dir.path().join(name), utf16(&text, be, true)).unwrap();
        let o = conv(
            "utf16_bom",
            dir.path(),
            &[&name, &"-o", &"-", &"-t", &"txt"],
        );
        assert_eq!(o.code, Some(0), "{name}: {}", o.stderr);
        let out = o.text();
        assert!(
            out.starts_with("Sixteen 十六\n") && out.contains("Wide body 正文"),
            "{name}: {out}"
        );
    }
}

#[test]
fn utf16_without_a_bom_reads_as_text_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = article("Sixteen", "<p>Wide body</p>");
    for (name, be) in [("le.txt", false), ("be.txt", true)] {
        std::fs::write(dir.path().join(name), utf16(&text, be, false)).unwrap();
        let o = conv(
            "utf16_nobom",
            dir.path(),
            &[&name, &"-o", &"-", &"-t", &"txt"],
        );
        if o.code == Some(0) {
            assert!(o.text().contains("Wide body"), "{name}: {}", o.text());
        } else {
            fails_naming(&o, name);
        }
    }
}

#[test]
fn cr_only_line_ends_keep_the_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: 'Old Mac'\rauthor: Someone\r---\r<p>First</p>\r<p>Second</p>\r";
    std::fs::write(dir.path().join("mac.txt"), text).unwrap();
    let o = conv(
        "cr_only",
        dir.path(),
        &[&"mac.txt", &"-o", &"-", &"-t", &"txt"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let out = o.text();
    assert!(
        out.starts_with("Old Mac\n") && !out.contains("title:"),
        "{out}"
    );
    assert!(out.contains("First") && out.contains("Second"), "{out}");
}

// ---- front matter ----

#[test]
fn a_yaml_alias_bomb_is_refused_or_bounded() {
    let mut yaml = String::from("---\ntitle: Bomb\na0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..12 {
        let p = i - 1;
        yaml.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    yaml.push_str("---\n<p>body</p>\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bomb.md"), yaml).unwrap();
    let o = conv(
        "yaml_alias_bomb",
        dir.path(),
        &[&"bomb.md", &"-o", &"out.json"],
    );
    if o.code == Some(0) {
        // Kept: then not expanded into the output.
        let len = std::fs::metadata(dir.path().join("out.json"))
            .unwrap()
            .len();
        assert!(len < 10 * 1024 * 1024, "an output of {len} bytes");
    } else {
        fails_naming(&o, "bomb.md");
    }
}

#[test]
fn deeply_nested_yaml_is_refused_or_read() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let flow = format!(
        "---\ntitle: Deep\nx: {}{}\n---\nbody\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut block = String::from("---\ntitle: Deep\n");
    for i in 0..2_000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    block.push_str("---\nbody\n");
    let toml = format!(
        "+++\ntitle = \"Deep\"\nx = {}{}\n+++\nbody\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let json = format!(
        "{{\"title\": \"Deep\", \"x\": {}{}}}\n\nbody\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (name, text) in [
        ("flow.md", flow),
        ("block.md", block),
        ("toml.md", toml),
        ("json.md", json),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let o = conv(
            "yaml_deep",
            dir.path(),
            &[&name, &"-o", &"-", &"-t", &"txt"],
        );
        if o.code != Some(0) {
            fails_naming(&o, name);
        }
    }
}

// ---- HTML ----

/// Converts `body` (after a title line) to text through stdin.
fn html_to_text(case: &str, body: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), article("Page", body)).unwrap();
    let o = conv(
        case,
        dir.path(),
        &[&"page.html", &"-o", &"-", &"-t", &"txt"],
    );
    assert_eq!(o.code, Some(0), "{case}: {}", tail(&o.stderr));
    o
}

#[test]
fn html_nested_100000_deep_keeps_its_text() {
    let n = 100_000;
    let body = format!(
        "<p>start</p>{}deepest words{}<p>end</p>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    let out = html_to_text("html_deep_div", &body).text();
    assert!(
        out.contains("start") && out.contains("deepest words") && out.contains("end"),
        "{out}"
    );
    let mixed = format!("{}inner{}", "<blockquote><ul><li><b>".repeat(n / 4), "x");
    let out = html_to_text("html_deep_mixed", &mixed).text();
    assert!(out.contains("inner"), "{}", &out[..out.len().min(500)]);
}

#[test]
fn a_10_mb_attribute_is_survived() {
    let huge = "x".repeat(10 * 1024 * 1024);
    let body = format!(
        "<p>before <a href=\"https://e.com/{huge}\">link text</a> <img alt=\"{huge}\" src=\"a.png\"> after</p>\
         <p title=\"{huge}\" class=\"{huge}\">para</p>"
    );
    let out = html_to_text("attr_10mb", &body).text();
    assert!(
        out.contains("before") && out.contains("link text") && out.contains("para"),
        "{}",
        &out[..out.len().min(300)]
    );
}

#[test]
fn a_million_tiny_elements_convert() {
    let body = "<b>x</b>".repeat(1_000_000);
    let out = html_to_text("million_elements", &body).text();
    assert_eq!(out.matches('x').count(), 1_000_000);
}

#[test]
fn a_10000_column_table_converts() {
    let row: String = (0..10_000).map(|i| format!("<td>c{i}</td>")).collect();
    let body = format!("<table><tr>{row}</tr><tr>{row}</tr></table>");
    let out = html_to_text("table_10000_cols", &body).text();
    assert!(
        out.contains("c0") && out.contains("c9999"),
        "{}",
        &out[..out.len().min(300)]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.html"), article("Wide", &body)).unwrap();
    for format in ["epub", "pdf"] {
        let o = conv(
            &format!("table_10000_cols_{format}"),
            dir.path(),
            &[
                &"t.html",
                &"-t",
                &format,
                &"-o",
                &format!("t.{format}"),
                &"--offline",
            ],
        );
        assert_eq!(o.code, Some(0), "{format}: {}", tail(&o.stderr));
    }
}

#[test]
fn unterminated_comment_cdata_and_raw_text_keep_what_came_before() {
    for (case, tail_text) in [
        ("comment", "<!-- never closed <p>hidden</p>"),
        ("cdata", "<svg><![CDATA[ never closed"),
        ("script", "<script>var a = '</scr' + 'ipt>'; never closed"),
        ("style", "<style>p { color: red } never closed"),
        ("textarea", "<textarea>never closed <p>x</p>"),
        ("tag", "<p class=\"never closed"),
        ("doctype", "<!DOCTYPE html PUBLIC \"never"),
    ] {
        let out = html_to_text(
            &format!("unterminated_{case}"),
            &format!("<p>before words</p>{tail_text}"),
        )
        .text();
        assert!(out.contains("before words"), "{case}: {out}");
        assert!(!out.contains("var a"), "{case}: script text leaked: {out}");
    }
}

#[test]
fn svg_and_mathml_are_read_without_leaking_markup() {
    let body = "<p>a</p><svg viewBox=\"0 0 10 10\"><title>Chart</title><script>alert(1)</script>\
        <foreignObject><p>inside foreign</p></foreignObject><circle r=\"4\"/></svg>\
        <math><mi>x</mi><mo>=</mo><annotation-xml encoding=\"text/html\"><p>html in math</p></annotation-xml></math>\
        <p>after <svg><style>@import url(x)</style></svg>end</p>";
    let out = html_to_text("svg_mathml", body).text();
    assert!(out.contains("after") && out.contains("end"), "{out}");
    assert!(
        !out.contains("alert(1)") && !out.contains("@import") && !out.contains("<circle"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.html"), article("Math", body)).unwrap();
    let o = conv(
        "svg_mathml_epub",
        dir.path(),
        &[&"m.html", &"-o", &"m.epub", &"--offline"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

// ---- archives ----

fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in members {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zip_names_that_leave_the_output_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("work")).unwrap();
    let body = article("Escape", "<p>x</p>");
    let names = [
        "ok.txt",
        "../up.txt",
        "../../up2.txt",
        "/abs/root.txt",
        "..\\back.txt",
        "a\\..\\..\\back2.txt",
        "C:\\win.txt",
        "a/../../mid.txt",
    ];
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, body.as_bytes())).collect();
    write_zip(&dir.path().join("work/evil.zip"), &members);
    let before = files_under(dir.path());
    let o = conv(
        "zip_escape",
        &dir.path().join("work"),
        &[&"evil.zip", &"-o", &"out", &"-t", &"txt"],
    );
    every_line_is_convs(&o);
    assert!(dir.path().join("work/out/ok.txt").exists(), "{}", o.stderr);
    // Nothing appeared outside work/out.
    let mut after = files_under(dir.path());
    after.retain(|p| !p.starts_with(dir.path().join("work/out")));
    assert_eq!(after, before, "{}", o.stderr);
    assert!(!Path::new("/abs/root.txt").exists());
}

/// Issue 9: `a\..\..\b.txt` and `C:\w.txt` were written as file names
/// with backslashes and colons (an escape on Windows).
#[test]
fn zip_backslash_and_drive_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let body = article("Escape", "<p>x</p>");
    let names = ["ok.txt", "..\\back.txt", "a\\..\\..\\b.txt", "C:\\w.txt"];
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (*n, body.as_bytes())).collect();
    write_zip(&dir.path().join("evil.zip"), &members);
    let o = conv(
        "zip_backslash",
        dir.path(),
        &[&"evil.zip", &"-o", &"out", &"-t", &"txt"],
    );
    every_line_is_convs(&o);
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    for p in files_under(&dir.path().join("out")) {
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(
            !name.contains('\\') && !name.contains(':'),
            "odd output name {name}"
        );
    }
    assert_eq!(
        files_under(&dir.path().join("out")),
        [dir.path().join("out/ok.txt")]
    );
    // One line for each refused member, none for the good one.
    for bad in &names[1..] {
        let lines = o.stderr.lines().filter(|l| l.contains(bad)).count();
        assert_eq!(lines, 1, "{bad}:\n{}", o.stderr);
    }
    assert!(!o.stderr.contains("ok.txt"), "{}", o.stderr);
}

/// Issue 9: control characters of archive member names were echoed raw
/// to the terminal; they are shown as `\u{..}`.
#[test]
fn control_characters_in_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "evil\x1b]0;pwned\x07\x1b[2J\u{202e}txt.md:x";
    write_zip(
        &dir.path().join("ctl.zip"),
        &[(name, article("Ctl", "<p>x</p>").as_bytes())],
    );
    let o = conv(
        "control_names",
        dir.path(),
        &[&"ctl.zip", &"-o", &"out", &"-t", &"txt"],
    );
    fails_naming(&o, "evil");
    for raw in ['\x1b', '\x07', '\u{202e}'] {
        assert!(!o.stderr.contains(raw), "raw {raw:?} in {:?}", o.stderr);
    }
    assert!(
        o.stderr
            .contains("evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}txt"),
        "{}",
        o.stderr
    );
}

#[test]
fn tar_links_and_devices_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "title: Secret\n---\nTOP SECRET WORDS\n").unwrap();
    let archive = dir.path().join("links.tar");
    let mut tar = tar::Builder::new(std::fs::File::create(&archive).unwrap());
    let body = article("Fine", "<p>fine</p>");
    let mut header = tar::Header::new_gnu();
    header.set_size(body.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "fine.txt", body.as_bytes())
        .unwrap();
    for (name, kind, target) in [
        ("sym.txt", tar::EntryType::Symlink, secret.to_str().unwrap()),
        ("rel.txt", tar::EntryType::Symlink, "../secret.txt"),
        ("hard.txt", tar::EntryType::Link, secret.to_str().unwrap()),
        ("hardrel.txt", tar::EntryType::Link, "fine.txt"),
        ("zero.txt", tar::EntryType::Char, ""),
        ("disk.txt", tar::EntryType::Block, ""),
        ("fifo.txt", tar::EntryType::Fifo, ""),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(0);
        h.set_mode(0o644);
        if !target.is_empty() {
            h.set_link_name(target).unwrap();
        }
        if kind == tar::EntryType::Char {
            h.set_device_major(1).unwrap();
            h.set_device_minor(5).unwrap();
        }
        h.set_cksum();
        tar.append_data(&mut h, name, std::io::empty()).unwrap();
    }
    tar.into_inner().unwrap().flush().unwrap();
    let o = conv(
        "tar_links",
        dir.path(),
        &[&"links.tar", &"-o", &"out", &"-t", &"txt"],
    );
    every_line_is_convs(&o);
    assert!(dir.path().join("out/fine.txt").exists(), "{}", o.stderr);
    for p in files_under(&dir.path().join("out")) {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        assert!(
            !text.contains("TOP SECRET"),
            "{} holds the linked file",
            p.display()
        );
    }
    assert!(std::fs::symlink_metadata(dir.path().join("out/sym.txt"))
        .map(|m| !m.file_type().is_symlink())
        .unwrap_or(true));
    // Each is reported (they were skipped without a word), none written.
    for name in ["sym", "rel", "hard", "hardrel", "zero", "disk", "fifo"] {
        let line = format!("links.tar:{name}.txt: a link or special file");
        assert_eq!(o.stderr.matches(&line).count(), 1, "{line}:\n{}", o.stderr);
    }
    assert_eq!(o.code, Some(1));
    assert_eq!(
        files_under(&dir.path().join("out")),
        [dir.path().join("out/fine.txt")]
    );
}

/// A zip's symbolic-link member holds its target's name: reported, never
/// read as an article or followed.
#[test]
fn zip_symlink_members_are_reported_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("fine.txt", options).unwrap();
    zip.write_all(article("Fine", "<p>fine</p>").as_bytes())
        .unwrap();
    zip.add_symlink("sym.txt", "/etc/passwd", options).unwrap();
    zip.finish().unwrap();
    let o = conv(
        "zip_symlink",
        dir.path(),
        &[&"links.zip", &"-o", &"out", &"-t", &"txt"],
    );
    fails_naming(&o, "links.zip:sym.txt");
    assert_eq!(
        files_under(&dir.path().join("out")),
        [dir.path().join("out/fine.txt")]
    );
}

#[test]
fn a_zip_bomb_is_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("ok.txt", options).unwrap();
    zip.write_all(article("Ok", "<p>ok</p>").as_bytes())
        .unwrap();
    zip.start_file("bomb.txt", options).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
    let o = conv(
        "zip_bomb",
        dir.path(),
        &[&"bomb.zip", &"-o", &"out", &"-t", &"txt"],
    );
    fails_naming(&o, "bomb.txt");
    assert!(dir.path().join("out/ok.txt").exists());
}

/// Read as one bundle: 100,000 output files would measure the disk, not
/// the archive reader. Measured: conv 10.8 s, 212 MB peak (debug build,
/// load average 20 on 2 cores); the whole test 14 s.
#[test]
fn a_zip_of_100000_members_reads_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..100_000 {
        zip.start_file(format!("d{}/a{i}.txt", i % 100), options)
            .unwrap();
        zip.write_all(format!("title: A{i}\n---\nbody {i}\n").as_bytes())
            .unwrap();
    }
    zip.finish().unwrap();
    let o = conv(
        "zip_100000",
        dir.path(),
        &[
            &"many.zip",
            &"--bundle",
            &"--group-by",
            &"none",
            &"-o",
            &"all.txt",
            &"-q",
        ],
    );
    assert_eq!(o.code, Some(0), "{}", tail(&o.stderr));
    let text = std::fs::read_to_string(dir.path().join("all.txt")).unwrap();
    for i in [0, 42, 99_999] {
        assert!(
            text.contains(&format!("\nbody {i}\n")),
            "article {i} missing"
        );
    }
    assert_eq!(text.matches("\nbody ").count(), 100_000);
}

#[test]
fn a_truncated_tar_gz_is_reported_and_the_rest_converted() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    {
        let mut tar = tar::Builder::new(&mut gz);
        for i in 0..20 {
            // Incompressible-ish bodies, so the cut lands inside the archive.
            let body: String = (0..2_000)
                .map(|k| char::from(b'a' + ((k * 7 + i * 13) % 26) as u8))
                .collect();
            let text = article(&format!("T{i}"), &body);
            let mut h = tar::Header::new_gnu();
            h.set_size(text.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            tar.append_data(&mut h, format!("a{i:02}.txt"), text.as_bytes())
                .unwrap();
        }
        tar.finish().unwrap();
    }
    let bytes = gz.finish().unwrap();
    std::fs::write(dir.path().join("cut.tar.gz"), &bytes[..bytes.len() / 2]).unwrap();
    let o = conv(
        "truncated_tar_gz",
        dir.path(),
        &[&"cut.tar.gz", &"-o", &"out", &"-t", &"txt"],
    );
    fails_naming(&o, "cut.tar.gz");
    // Members before the cut are complete files, never a torn one.
    for p in files_under(&dir.path().join("out")) {
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with('T'), "{}: {text:.40}", p.display());
    }
}

// ---- outputs ----

/// Issue 9: a.txt and a.md both became out/a.epub, "2 converted", one
/// silently lost (whichever thread finished last).
#[test]
fn colliding_output_names_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/a.txt"), article("From txt", "<p>t</p>")).unwrap();
    std::fs::write(dir.path().join("d/a.md"), article("From md", "m")).unwrap();
    let o = conv(
        "collide",
        dir.path(),
        &[&"d", &"-o", &"out", &"-t", &"epub", &"--offline"],
    );
    assert_eq!(o.code, Some(1), "{}", o.stderr);
    assert!(
        o.stderr.contains("a.txt") && o.stderr.contains("a.md"),
        "{}",
        o.stderr
    );
    every_line_is_convs(&o);
    assert!(o.stderr.contains("1 converted"), "{}", o.stderr);
}

/// The same collision decided the same way whatever the threads do: in
/// name order, the first input has the name (a.md before a.txt), in a
/// folder and in a zip whose members are stored in another order.
#[test]
fn colliding_output_names_are_decided_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    let (md, txt) = (article("From md", "m"), article("From txt", "<p>t</p>"));
    std::fs::write(dir.path().join("d/a.txt"), &txt).unwrap();
    std::fs::write(dir.path().join("d/a.md"), &md).unwrap();
    write_zip(
        &dir.path().join("d.zip"),
        &[("a.txt", txt.as_bytes()), ("a.md", md.as_bytes())],
    );
    for input in ["d", "d.zip"] {
        for jobs in ["1", "2", "8", "8", "8"] {
            let _ = std::fs::remove_dir_all(dir.path().join("out"));
            let o = conv(
                "collide_order",
                dir.path(),
                &[&input, &"-o", &"out", &"-t", &"txt", &"-j", &jobs],
            );
            assert_eq!(o.code, Some(1), "{}", o.stderr);
            let failed: Vec<&str> = o
                .stderr
                .lines()
                .filter(|l| !l.contains(" skipped, "))
                .collect();
            assert_eq!(failed.len(), 1, "{input} -j {jobs}: {}", o.stderr);
            assert!(
                failed[0].contains("a.txt: output") && failed[0].contains("a.md"),
                "{}",
                failed[0]
            );
            let text = std::fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
            assert!(text.starts_with("From md"), "{input} -j {jobs}: {text}");
        }
    }
}

/// Issue 9: `conv d -o d -t txt` replaced the input d/a.txt with a.md's text.
#[test]
fn an_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    let original = article("From txt", "<p>t</p>");
    std::fs::write(dir.path().join("d/a.txt"), &original).unwrap();
    std::fs::write(dir.path().join("d/a.md"), article("From md", "m")).unwrap();
    let o = conv(
        "collide_in_place",
        dir.path(),
        &[&"d", &"-o", &"d", &"-t", &"txt"],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("d/a.txt")).unwrap(),
        original
    );
    fails_naming(&o, "a.txt");
    assert_eq!(
        files_under(&dir.path().join("d")),
        [dir.path().join("d/a.md"), dir.path().join("d/a.txt")]
    );
}

/// Issue 9: an output folder inside the input folder was read back in
/// (`out/out/out/…`) by the next run.
#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/a.md"), article("A", "a")).unwrap();
    for _ in 0..3 {
        let o = conv(
            "output_inside_input",
            dir.path(),
            &[&"d", &"-o", &"d/out", &"-t", &"txt"],
        );
        assert_eq!(o.code, Some(0), "{}", o.stderr);
        assert!(o.stderr.contains("1 converted"), "{}", o.stderr);
    }
    assert_eq!(
        files_under(&dir.path().join("d")),
        [dir.path().join("d/a.md"), dir.path().join("d/out/a.txt")]
    );
}

/// Issue 9: symlinked articles were skipped without a word; one leading
/// out of the folder is reported (and not read), one inside it converts.
#[test]
fn a_symlinked_article_out_of_the_folder_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        dir.path().join("secret.txt"),
        "title: Secret\n---\nTOP SECRET\n",
    )
    .unwrap();
    std::fs::write(d.join("a.txt"), article("A", "a")).unwrap();
    std::os::unix::fs::symlink("../secret.txt", d.join("out-link.txt")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), d.join("abs-link.txt")).unwrap();
    std::os::unix::fs::symlink("a.txt", d.join("in-link.txt")).unwrap();
    let o = conv(
        "symlinked_article",
        dir.path(),
        &[&"d", &"-o", &"out", &"-t", &"txt"],
    );
    fails_naming(&o, "out-link.txt");
    fails_naming(&o, "abs-link.txt");
    assert!(!o.stderr.contains("in-link"), "{}", o.stderr);
    assert_eq!(
        files_under(&dir.path().join("out")),
        [
            dir.path().join("out/a.txt"),
            dir.path().join("out/in-link.txt")
        ]
    );
    for p in files_under(&dir.path().join("out")) {
        assert!(!std::fs::read_to_string(&p).unwrap().contains("SECRET"));
    }
}

#[test]
fn an_output_folder_that_is_a_file_is_one_error_per_article() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("d/a.txt"), article("A", "a")).unwrap();
    std::fs::write(dir.path().join("file"), "not a folder").unwrap();
    let o = conv(
        "output_is_file",
        dir.path(),
        &[&"d", &"-o", &"file", &"-t", &"txt"],
    );
    fails_naming(&o, "file");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("file")).unwrap(),
        "not a folder"
    );
}

#[test]
fn an_unwritable_output_folder_is_reported() {
    // CI runs as root, which may write anywhere chmod forbids: a folder
    // under a regular file is unwritable for everyone.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), article("A", "a")).unwrap();
    std::fs::write(dir.path().join("plain"), "x").unwrap();
    let o = conv(
        "unwritable_dir",
        dir.path(),
        &[&"a.txt", &"-o", &"plain/sub/a.epub", &"--offline"],
    );
    fails_naming(&o, "plain/sub");
    let o = conv(
        "unwritable_dir_bulk",
        dir.path(),
        &[
            &".",
            &"--include",
            &"*.txt",
            &"-o",
            &"plain/sub",
            &"-t",
            &"txt",
        ],
    );
    fails_naming(&o, "plain/sub");
}

#[test]
fn a_symlink_loop_in_an_input_folder_ends() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/a.txt"), article("Looped", "<p>once</p>")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("self", d.join("self")).unwrap();
    std::os::unix::fs::symlink("b", d.join("a")).unwrap();
    std::os::unix::fs::symlink("a", d.join("b")).unwrap();
    let o = conv(
        "symlink_loop",
        dir.path(),
        &[&"d", &"-o", &"out", &"-t", &"txt"],
    );
    every_line_is_convs(&o);
    assert_eq!(
        files_under(&dir.path().join("out")),
        vec![dir.path().join("out/sub/a.txt")],
        "{}",
        o.stderr
    );
}
