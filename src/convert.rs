//! One article, end to end: bytes in, the writer's bytes out — read, the
//! assets pass, write — and the atomic file write every output goes
//! through.

use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::packed::PackedBundle;
use crate::model::{Bundle, Document};
use crate::session::Session;
use crate::write::{to_vec, Writer};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

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
            let docs = book.articles().map(|a| a.unpack().map(Cow::Owned));
            let cover = book.meta.cover.as_deref();
            let assets = bundle_assets(docs, cover, root, writer, session, warnings)?;
            to_vec(|out| writer.write_bundle(&book, session, &assets, warnings, out))
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
    to_vec(|out| writer.write(doc, session, &assets, warnings, out))
}

/// Runs the assets pass over every article of `bundle` (pictures relative
/// to `root`) and its cover, then renders it with `writer`.
pub fn write_bundle(
    bundle: &Bundle,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let docs = bundle.sections.iter().flat_map(|s| &s.articles);
    let docs = docs.map(|doc| Ok(Cow::Borrowed(doc)));
    let cover = bundle.meta.cover.as_deref();
    let assets = bundle_assets(docs, cover, root, writer, session, warnings)?;
    let packed = PackedBundle::pack(bundle.clone());
    to_vec(|out| writer.write_bundle(&packed, session, &assets, warnings, out))
}

/// The pictures `writer` will embed from the articles `docs` (read one
/// at a time) and the `cover` (none for text formats).
fn bundle_assets<'d>(
    docs: impl Iterator<Item = Result<Cow<'d, Document>>>,
    cover: Option<&str>,
    root: Option<&Path>,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Assets> {
    let mut assets = Assets::default();
    if writer.embeds_images() {
        for doc in docs {
            let doc: Cow<Document> = doc?;
            assets.resolve_document(&doc, root, false, session, warnings);
        }
        if let Some(cover) = cover {
            assets.resolve_cover(cover, root, session, warnings);
        }
    }
    Ok(assets)
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
    let mut file = AtomicFile::create_for(path)?;
    file.output()
        .write_all(bytes)
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    file.persist(path)
}

/// A file being written that no reader sees until [`AtomicFile::persist`]
/// names it (see [`write_atomic`]): a writer streams a large book into it
/// instead of holding the book in memory.
pub struct AtomicFile {
    out: BufWriter<File>,
    dir: PathBuf,
    /// The hidden name of a named temporary file; none for an unnamed one.
    temp: Option<tempfile::TempPath>,
}

impl AtomicFile {
    /// Starts a file that will be `path` (or another name in its folder),
    /// creating the folder.
    pub fn create_for(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("creating folder {}", dir.display()), e))?;
        #[cfg(target_os = "linux")]
        if let Ok(file) = unnamed::open(dir) {
            return Ok(AtomicFile::of(file, dir, None));
        }
        let (file, temp) = named_temp(dir)?;
        Ok(AtomicFile::of(file, dir, Some(temp)))
    }

    fn of(file: File, dir: &Path, temp: Option<tempfile::TempPath>) -> AtomicFile {
        AtomicFile {
            out: BufWriter::with_capacity(64 * 1024, file),
            dir: dir.to_path_buf(),
            temp,
        }
    }

    /// Where the bytes go (buffered).
    pub fn output(&mut self) -> &mut BufWriter<File> {
        &mut self.out
    }

    /// Bytes written so far.
    pub fn len(&mut self) -> Result<u64> {
        self.out
            .stream_position()
            .map_err(|e| Error::io(format!("writing in {}", self.dir.display()), e))
    }

    /// True when nothing was written.
    pub fn is_empty(&mut self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    /// Gives the complete file the name `path` (in the folder it was
    /// created for), replacing what was there.
    pub fn persist(self, path: &Path) -> Result<()> {
        let writing = |e| Error::io(format!("writing {}", path.display()), e);
        let mut file = self.out.into_inner().map_err(|e| writing(e.into_error()))?;
        let renaming = |e| Error::io(format!("renaming into {}", path.display()), e);
        match self.temp {
            Some(temp) => temp.persist(path).map_err(|e| renaming(e.error)),
            None => {
                #[cfg(target_os = "linux")]
                if unnamed::name(&file, &self.dir, path).is_ok() {
                    return Ok(());
                }
                // No way to name an unnamed file here (no /proc): copy it
                // into a named temporary file instead.
                let (mut named, temp) = named_temp(&self.dir)?;
                file.rewind()
                    .and_then(|()| std::io::copy(&mut file, &mut named))
                    .map_err(writing)?;
                temp.persist(path).map_err(|e| renaming(e.error))
            }
        }
    }
}

/// A hidden temporary file in `dir`, removed unless persisted.
fn named_temp(dir: &Path) -> Result<(File, tempfile::TempPath)> {
    let tmp = tempfile::Builder::new()
        .prefix(".conv-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("creating a temporary file in {}", dir.display()), e))?;
    Ok(tmp.into_parts())
}

#[cfg(target_os = "linux")]
mod unnamed {
    use std::ffi::CString;
    use std::fs::File;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Opens an `O_TMPFILE` file in `dir`: it has no name while it is
    /// written, so no partial file can be left behind.
    pub(super) fn open(dir: &Path) -> std::io::Result<File> {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .mode(0o644)
            .custom_flags(libc::O_TMPFILE)
            .open(dir)
    }

    /// Links the complete unnamed `file` as `path`: a new output gets its
    /// name directly; an existing one is replaced through a hidden name
    /// and rename, which is atomic.
    pub(super) fn name(file: &File, dir: &Path, path: &Path) -> std::io::Result<()> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let fd_path = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
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

    #[test]
    fn a_streamed_file_is_named_only_when_persisted() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("book.pdf");
        let mut file = AtomicFile::create_for(&target).unwrap();
        file.output().write_all(b"%PDF-").unwrap();
        assert_eq!(file.len().unwrap(), 5);
        assert!(!target.exists(), "a partial book is visible");
        file.persist(&target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF-");
        // A book given up (too large, or failed) leaves nothing behind.
        let mut dropped = AtomicFile::create_for(&dir.path().join("other.pdf")).unwrap();
        dropped.output().write_all(b"half").unwrap();
        drop(dropped);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("book.pdf")]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn unnamed_temporary_files_work_here() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        let mut file = unnamed::open(dir.path()).unwrap();
        file.write_all(b"bytes").unwrap();
        unnamed::name(&file, dir.path(), &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"bytes");
    }
}
