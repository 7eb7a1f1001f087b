//! Finding the articles in the inputs: files, folders walked recursively,
//! and zip / tar / tar.gz archives read member by member in place (never
//! extracted to disk). Every article comes with the relative path its output
//! mirrors; archive members that would escape the output folder are refused.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

/// The largest article (or archive member) read, decompressed: a zip bomb
/// member is refused at this size instead of filling memory or the disk.
pub const MAX_ARTICLE_BYTES: u64 = 64 * 1024 * 1024;

/// Extensions that are articles when walking a folder (unless --include says otherwise).
const ARTICLE_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "html", "htm", "xhtml", "json", // articles
    "xml", "rss", "atom", // feeds (each entry an article)
];

/// One article found in the inputs.
#[derive(Debug)]
pub struct Article {
    /// How to name it in messages: a path, or `archive.zip:member/path`.
    pub name: String,
    /// Relative path (inside the output folder) that its output mirrors.
    pub rel_path: PathBuf,
    /// The raw bytes.
    pub bytes: Vec<u8>,
    /// Modification time, for --skip-unchanged.
    pub modified: Option<SystemTime>,
    /// The file on disk, when it is one (relative images resolve next to it).
    pub file: Option<PathBuf>,
}

/// Something found that could not be read as an article.
#[derive(Debug)]
pub struct Unreadable {
    /// The file or archive member.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// Which paths to take.
#[derive(Debug, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// Builds a filter from --include / --exclude globs.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        Ok(Filter {
            include: build_globs(include)?,
            exclude: build_globs(exclude)?,
        })
    }

    /// Whether the article at relative path `rel` is taken.
    pub fn accepts(&self, rel: &Path) -> bool {
        if self.exclude.as_ref().is_some_and(|g| g.is_match(rel)) {
            return false;
        }
        match &self.include {
            Some(globs) => globs.is_match(rel),
            None => rel
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())),
        }
    }
}

fn build_globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        // A pattern without a slash matches the file name anywhere in the tree.
        let pattern = if p.contains('/') {
            p.clone()
        } else {
            format!("**/{p}")
        };
        builder.add(Glob::new(&pattern).map_err(|e| format!("glob '{p}': {e}"))?);
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

/// The kind of archive `path` is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArchiveKind {
    Zip,
    Tar,
    TarGz,
}

fn archive_kind(path: &Path) -> Option<ArchiveKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".zip") {
        Some(ArchiveKind::Zip)
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        Some(ArchiveKind::TarGz)
    } else if name.ends_with(".tar") {
        Some(ArchiveKind::Tar)
    } else {
        None
    }
}

/// Whether `path` names an archive conv reads in place.
pub fn is_archive(path: &Path) -> bool {
    archive_kind(path).is_some()
}

/// Where an input's articles go inside the output folder: with one input
/// its tree is mirrored directly; with several, each gets a folder named
/// after it so their trees cannot collide.
fn input_prefix(input: &Path, several: bool) -> PathBuf {
    if !several {
        return PathBuf::new();
    }
    let name = input
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("input");
    let stem = [".tar.gz", ".tgz", ".tar", ".zip"]
        .iter()
        .find_map(|ext| {
            name.to_ascii_lowercase()
                .ends_with(ext)
                .then(|| &name[..name.len() - ext.len()])
        })
        .unwrap_or(name);
    PathBuf::from(stem)
}

/// Visits every article of every input, in a stable order, calling `found`
/// with each article or with what could not be read. `wanted` is asked
/// with the name and relative path before the bytes are read, so skipped
/// articles (other shards, unchanged outputs) cost no reading.
pub fn visit(
    inputs: &[PathBuf],
    filter: &Filter,
    wanted: &dyn Fn(&Path, Option<SystemTime>) -> bool,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let several = inputs.len() > 1;
    for input in inputs {
        let prefix = input_prefix(input, several);
        let result = if let Some(kind) = archive_kind(input) {
            visit_archive(input, kind, &prefix, filter, wanted, found)
        } else if input.is_dir() {
            visit_dir(input, &prefix, filter, wanted, found);
            Ok(())
        } else {
            visit_file(input, &prefix, wanted, found);
            Ok(())
        };
        if let Err(reason) = result {
            found(Err(Unreadable {
                name: input.display().to_string(),
                reason,
            }));
        }
    }
}

fn visit_file(
    path: &Path,
    prefix: &Path,
    wanted: &dyn Fn(&Path, Option<SystemTime>) -> bool,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let rel = prefix.join(path.file_name().unwrap_or(path.as_os_str()));
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if wanted(&rel, modified) {
        found(read_file(path, rel, modified));
    }
}

fn read_file(
    path: &Path,
    rel: PathBuf,
    modified: Option<SystemTime>,
) -> Result<Article, Unreadable> {
    let name = path.display().to_string();
    let bytes = File::open(path)
        .and_then(read_bounded)
        .map_err(|e| Unreadable {
            name: name.clone(),
            reason: e.to_string(),
        })?;
    Ok(Article {
        name,
        rel_path: rel,
        bytes,
        modified,
        file: Some(path.to_path_buf()),
    })
}

fn visit_dir(
    root: &Path,
    prefix: &Path,
    filter: &Filter,
    wanted: &dyn Fn(&Path, Option<SystemTime>) -> bool,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let name = e.path().unwrap_or(root).display().to_string();
                found(Err(Unreadable {
                    name,
                    reason: e.to_string(),
                }));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        if !filter.accepts(rel) {
            continue;
        }
        let rel = prefix.join(rel);
        let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
        if wanted(&rel, modified) {
            found(read_file(entry.path(), rel, modified));
        }
    }
}

/// A member path made safe to mirror: relative, with no `..`, no root and
/// no drive; `None` for a path that tries to leave the output folder.
pub fn safe_member_path(member: &str) -> Option<PathBuf> {
    let path = Path::new(member);
    let mut safe = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => safe.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!safe.as_os_str().is_empty()).then_some(safe)
}

fn visit_archive(
    path: &Path,
    kind: ArchiveKind,
    prefix: &Path,
    filter: &Filter,
    wanted: &dyn Fn(&Path, Option<SystemTime>) -> bool,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    // Members whose header cannot be read, reported after the walk.
    let mut broken = Vec::new();
    let mut visit_member = |member: &str, modified: Option<SystemTime>, reader: &mut dyn Read| {
        let name = format!("{}:{member}", path.display());
        let Some(rel) = safe_member_path(member) else {
            found(Err(Unreadable {
                name,
                reason: "archive member path is absolute or leaves the folder (..); refused".into(),
            }));
            return;
        };
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            || !filter.accepts(&rel)
        {
            return;
        }
        let rel = prefix.join(rel);
        if !wanted(&rel, modified) {
            return;
        }
        found(match read_bounded(reader) {
            Ok(bytes) => Ok(Article {
                name,
                rel_path: rel,
                bytes,
                modified,
                file: None,
            }),
            Err(e) => Err(Unreadable {
                name,
                reason: e.to_string(),
            }),
        });
    };
    match kind {
        ArchiveKind::Zip => {
            let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
                .map_err(|e| format!("not a readable zip archive: {e}"))?;
            for i in 0..zip.len() {
                let mut entry = match zip.by_index(i) {
                    Ok(entry) => entry,
                    Err(e) => {
                        broken.push(Unreadable {
                            name: format!("{}:#{i}", path.display()),
                            reason: e.to_string(),
                        });
                        continue;
                    }
                };
                if entry.is_dir() {
                    continue;
                }
                let member = entry.name().to_string();
                let modified = entry.last_modified().and_then(zip_time);
                visit_member(&member, modified, &mut entry);
            }
        }
        ArchiveKind::Tar | ArchiveKind::TarGz => {
            let reader: Box<dyn Read> = if kind == ArchiveKind::TarGz {
                Box::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
            } else {
                Box::new(std::io::BufReader::new(file))
            };
            let mut archive = tar::Archive::new(reader);
            let entries = archive
                .entries()
                .map_err(|e| format!("not a readable tar archive: {e}"))?;
            for entry in entries {
                let mut entry = entry.map_err(|e| format!("broken tar archive: {e}"))?;
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                // Raw bytes of the name: the tar crate's path() already drops
                // some `..` forms, and we want to refuse them, not rewrite them.
                let member = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
                let modified = entry
                    .header()
                    .mtime()
                    .ok()
                    .map(|s| SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(s));
                visit_member(&member, modified, &mut entry);
            }
        }
    }
    for bad in broken {
        found(Err(bad));
    }
    Ok(())
}

fn zip_time(t: zip::DateTime) -> Option<SystemTime> {
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::from(t.year()),
        u32::from(t.month()),
        u32::from(t.day()),
    )?;
    let time = date.and_hms_opt(
        u32::from(t.hour()),
        u32::from(t.minute()),
        u32::from(t.second()),
    )?;
    let secs = u64::try_from(time.and_utc().timestamp()).ok()?;
    Some(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

/// Reads at most [`MAX_ARTICLE_BYTES`]; more is an error, not a full disk.
fn read_bounded(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB when decompressed (a zip bomb?); refused",
            MAX_ARTICLE_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_paths_that_leave_the_folder_are_refused() {
        assert_eq!(safe_member_path("a/b.txt"), Some(PathBuf::from("a/b.txt")));
        assert_eq!(safe_member_path("./a.txt"), Some(PathBuf::from("a.txt")));
        assert_eq!(safe_member_path("../evil.txt"), None);
        assert_eq!(safe_member_path("a/../../evil.txt"), None);
        assert_eq!(safe_member_path("/etc/passwd"), None);
        assert_eq!(safe_member_path(""), None);
    }

    #[test]
    fn filter_takes_article_extensions_and_globs() {
        let f = Filter::new(&[], &["draft*".into()]).unwrap();
        assert!(f.accepts(Path::new("posts/a.md")));
        assert!(!f.accepts(Path::new("posts/a.png")));
        assert!(!f.accepts(Path::new("posts/draft-1.md")));
        let f = Filter::new(&["*.post".into()], &[]).unwrap();
        assert!(f.accepts(Path::new("x/y.post")));
        assert!(!f.accepts(Path::new("x/y.md")));
    }
}
