//! Helpers shared by the integration tests (each test file is its own
//! crate, so not every file uses every helper).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command as Process;

/// The sample articles (files directly under `samples/`), sorted.
pub fn samples() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir("samples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Whether an external tool is usable; panics in CI when it is not, so a
/// missing validator fails the build instead of silently skipping.
pub fn have_tool(name: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{name} is required in CI (install it as .ci/run does)");
    }
    eprintln!("note: {name} not installed; skipping (CI fails instead)");
    false
}

/// Whether `tool` can be started.
pub fn on_path(tool: &str) -> bool {
    Process::new(tool).arg("-v").output().is_ok()
}

/// Writing through the session and the assets pass, as the CLI does, for
/// tests that hold a writer and options: `root` is the article's folder.
pub trait WriteIn {
    fn write_in(
        &self,
        doc: &conv::Document,
        opts: &conv::Options,
        root: Option<&std::path::Path>,
        warnings: &mut conv::Warnings,
    ) -> conv::Result<Vec<u8>>;
    fn write_bundle_in(
        &self,
        bundle: &conv::model::Bundle,
        opts: &conv::Options,
        root: Option<&std::path::Path>,
        warnings: &mut conv::Warnings,
    ) -> conv::Result<Vec<u8>>;
}

fn write_dyn(
    writer: &dyn conv::write::Writer,
    doc: &conv::Document,
    opts: &conv::Options,
    root: Option<&std::path::Path>,
    warnings: &mut conv::Warnings,
) -> conv::Result<Vec<u8>> {
    let session = conv::Session::new(opts.clone())?;
    conv::convert::write_document(doc, root, writer, &session, warnings)
}

fn write_bundle_dyn(
    writer: &dyn conv::write::Writer,
    bundle: &conv::model::Bundle,
    opts: &conv::Options,
    root: Option<&std::path::Path>,
    warnings: &mut conv::Warnings,
) -> conv::Result<Vec<u8>> {
    let session = conv::Session::new(opts.clone())?;
    conv::convert::write_bundle(bundle, root, writer, &session, warnings)
}

macro_rules! write_in_via_dyn {
    () => {
        fn write_in(
            &self,
            doc: &conv::Document,
            opts: &conv::Options,
            root: Option<&std::path::Path>,
            warnings: &mut conv::Warnings,
        ) -> conv::Result<Vec<u8>> {
            write_dyn(self, doc, opts, root, warnings)
        }
        fn write_bundle_in(
            &self,
            bundle: &conv::model::Bundle,
            opts: &conv::Options,
            root: Option<&std::path::Path>,
            warnings: &mut conv::Warnings,
        ) -> conv::Result<Vec<u8>> {
            write_bundle_dyn(self, bundle, opts, root, warnings)
        }
    };
}

impl<W: conv::write::Writer> WriteIn for W {
    write_in_via_dyn!();
}

impl WriteIn for dyn conv::write::Writer {
    write_in_via_dyn!();
}

/// A session for `opts`, for tests that read.
pub fn session(opts: &conv::Options) -> conv::Session {
    conv::Session::new(opts.clone()).expect("session")
}

/// The text of an XHTML/XML page: markup removed, entities left as they are.
pub fn markup_text(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
