//! One article, end to end: bytes in, the writer's bytes out; and the atomic
//! file write every output goes through.

use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::options::Options;
use crate::write::Writer;
use std::io::Write;
use std::path::Path;

/// Reads an article from `bytes` and renders it with `writer`.
/// `path_hint` is the input's name, used to detect its kind (`.md`, `.json`).
pub fn convert_bytes(
    bytes: &[u8],
    path_hint: Option<&Path>,
    writer: &dyn Writer,
    opts: &Options,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let doc = crate::read::read_bytes(bytes, path_hint, opts, warnings)?;
    writer.write(&doc, opts, warnings)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and
/// a rename, so a reader (or an interrupted run) never sees half a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("creating folder {}", dir.display()), e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".conv-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("creating a temporary file in {}", dir.display()), e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_data())
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io(format!("renaming into {}", path.display()), e.error))?;
    Ok(())
}
