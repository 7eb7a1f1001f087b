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
