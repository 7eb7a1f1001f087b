//! One article, end to end: bytes in, the writer's bytes out — read, the
//! assets pass, write — and the atomic file write every output goes
//! through.

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::Document;
use crate::session::Session;
use crate::write::Writer;
use std::io::Write;
use std::path::Path;

/// Reads an article from `bytes` and renders it with `writer`.
/// `path_hint` is the input's name, used to detect its kind (`.md`, `.json`);
/// `root` is the article's folder, where its relative pictures are.
pub fn convert_bytes(
    bytes: &[u8],
    path_hint: Option<&Path>,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    match crate::read::read_input(bytes, path_hint, session, warnings)? {
        crate::read::Input::Article(doc) => write_document(&doc, root, writer, session, warnings),
        // A feed is many articles: one book of its entries.
        crate::read::Input::Feed(entries) => {
            let book = crate::bulk::feed_book(entries, writer)?;
            write_bundle(&book, root, writer, session, warnings)
        }
    }
}

/// Runs the assets pass over `doc` (pictures relative to `root`), then
/// renders it with `writer`.
pub fn write_document(
    doc: &Document,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let assets = resolve_assets(doc, root, writer, session, warnings);
    writer.write(doc, session, &assets, warnings)
}

/// Runs the assets pass over every article of `bundle` (pictures relative
/// to `root`) and its cover, then renders it with `writer`.
pub fn write_bundle(
    bundle: &crate::model::Bundle,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let mut assets = Assets::default();
    if writer.embeds_images() {
        for article in bundle.sections.iter().flat_map(|s| &s.articles) {
            assets.resolve_document(article, root, false, session, warnings);
        }
        if let Some(cover) = bundle.meta.cover.as_deref() {
            assets.resolve(cover, root, session, warnings);
        }
    }
    writer.write_bundle(bundle, session, &assets, warnings)
}

/// The pictures `writer` will embed from `doc` (none for text formats).
pub fn resolve_assets(
    doc: &Document,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Assets {
    let mut assets = Assets::default();
    if writer.embeds_images() {
        assets.resolve_document(doc, root, writer.article_cover(), session, warnings);
    }
    assets
}

/// Writes `bytes` to `path` so that no reader, and no interrupted run (even
/// `kill -9`), ever sees half a file: the bytes go to an unnamed file in the
/// target folder (Linux `O_TMPFILE`) that gets a name only once complete,
/// or elsewhere to a hidden temporary file renamed over the target.
///
/// No fsync: what a killed or interrupted run must not leave is a named
/// partial file, and the kernel keeps written data when the process dies.
/// Syncing every one of thousands of small outputs cost most of a bulk
/// run's time; a power cut can still lose recent outputs, which
/// `--skip-unchanged` then redoes.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating folder {}", dir.display()), e))?;
    #[cfg(target_os = "linux")]
    if unnamed::write(dir, path, bytes).is_ok() {
        return Ok(());
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".conv-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("creating a temporary file in {}", dir.display()), e))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io(format!("renaming into {}", path.display()), e.error))?;
    Ok(())
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::ffi::CString;
    use std::io::Write;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Writes into an `O_TMPFILE` file (no name while it is written), then
    /// links it under a hidden name and renames that over `path`: the only
    /// named file that can be left behind is a complete one.
    pub(super) fn write(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .mode(0o644)
            .custom_flags(libc::O_TMPFILE)
            .open(dir)?;
        file.write_all(bytes)?;
        let fd_path = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        // A new output gets its name directly; an existing one is replaced
        // through a hidden name and rename, which is atomic.
        if link(&fd_path, path)?.is_ok() {
            return Ok(());
        }
        let hidden = dir.join(format!(
            ".conv-{}-{}.part",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        link(&fd_path, &hidden)??;
        std::fs::rename(&hidden, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&hidden);
        })
    }

    /// Gives the open unnamed file `fd_path` the name `to`. The outer error
    /// is a bad path; the inner one linkat's (EEXIST when `to` exists).
    fn link(fd_path: &CString, to: &Path) -> std::io::Result<std::io::Result<()>> {
        let to = CString::new(to.as_os_str().as_bytes())?;
        // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                fd_path.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        Ok(if linked == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.txt");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.txt")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn unnamed_temporary_files_work_here() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        unnamed::write(dir.path(), &target, b"bytes").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"bytes");
    }
}
