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

/// What the walker knows of an article before reading its bytes, for the
/// run to decide whether to read it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// How to name it in messages (as [`Article::name`]).
    pub name: &'a str,
    /// Relative path (inside the output folder) that its output mirrors.
    pub rel_path: &'a Path,
    /// Modification time, for --skip-unchanged.
    pub modified: Option<SystemTime>,
    /// The file on disk, when it is one.
    pub file: Option<&'a Path>,
}

/// The run's answer for a [`Candidate`]: `Ok(true)` read it, `Ok(false)`
/// pass it by quietly, `Err(reason)` refuse it (a failure naming it).
pub type Wanted<'a> = dyn Fn(&Candidate<'_>) -> Result<bool, String> + Sync + 'a;

/// Which paths to take.
#[derive(Debug, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    /// The run's output folder (resolved): never walked as input, so a
    /// second run does not read the first one's outputs (`out/out/…`).
    skip_folder: Option<PathBuf>,
}

impl Filter {
    /// Builds a filter from --include / --exclude globs.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        Ok(Filter {
            include: build_globs(include)?,
            exclude: build_globs(exclude)?,
            skip_folder: None,
        })
    }

    /// The same filter, never walking into `folder` (the output folder)
    /// when it lies inside an input folder.
    pub fn skipping(mut self, folder: &Path) -> Filter {
        self.skip_folder = Some(resolved(folder));
        self
    }

    /// Whether the folder walk takes the file at `rel` under the (resolved)
    /// input folder `root`: not hidden, not in the output folder, accepted.
    fn walks(&self, root: &Path, rel: &Path) -> bool {
        !is_hidden(rel) && !self.is_skipped(root, rel) && self.accepts(rel)
    }

    /// Whether `root/rel` is (inside) the output folder, which lies strictly
    /// inside `root`. An output folder that is the input folder itself is
    /// walked: its outputs are told apart by their claims instead.
    fn is_skipped(&self, root: &Path, rel: &Path) -> bool {
        self.skip_folder.as_deref().is_some_and(|skip| {
            skip != root && skip.starts_with(root) && root.join(rel).starts_with(skip)
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

/// True when a component of `rel` starts with a dot (hidden files and
/// folders are never walked).
fn is_hidden(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
}

/// `path` made absolute with its symbolic links resolved, as far as it
/// exists (an output folder may not exist yet), so two spellings of one
/// place compare equal.
pub fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolved(parent).join(name),
        (Some(_), Some(name)) => resolved(Path::new(".")).join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// The files a run reads, to tell whether an output path would land on
/// one of them (an input is never overwritten).
#[derive(Debug)]
pub struct InputSet {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl InputSet {
    /// The inputs of a run, resolved once.
    pub fn new(inputs: &[PathBuf]) -> InputSet {
        let (mut files, mut folders) = (Vec::new(), Vec::new());
        for input in inputs {
            if input.is_dir() {
                folders.push(resolved(input));
            } else if archive_kind(input).is_none() {
                files.push(resolved(input));
            }
        }
        InputSet { files, folders }
    }

    /// Whether `path` is an existing file the run reads as an article.
    pub fn contains(&self, path: &Path, filter: &Filter) -> bool {
        if !std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()) {
            return false;
        }
        let path = resolved(path);
        self.files.contains(&path)
            || self.folders.iter().any(|root| {
                path.strip_prefix(root)
                    .is_ok_and(|rel| !rel.as_os_str().is_empty() && filter.walks(root, rel))
            })
    }

    /// Whether `folder` (resolved) is an input folder or inside one, so
    /// files the run writes there could be met again by the walk.
    pub fn holds(&self, folder: &Path) -> bool {
        self.folders.iter().any(|root| folder.starts_with(root))
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

/// Visits every article of every input, in a stable order (file names
/// sorted in each folder, zip members by name, tar members in archive
/// order), calling `found` with each article or with what could not be
/// read. `wanted` is asked before the bytes are read, so skipped articles
/// (other shards, unchanged outputs) cost no reading.
pub fn visit(
    inputs: &[PathBuf],
    filter: &Filter,
    wanted: &Wanted<'_>,
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
    wanted: &Wanted<'_>,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let rel = prefix.join(path.file_name().unwrap_or(path.as_os_str()));
    let metadata = std::fs::metadata(path);
    if metadata.as_ref().is_ok_and(|m| !m.is_file()) {
        // A device or FIFO given among many inputs: never read (it may never end).
        found(Err(Unreadable {
            name: path.display().to_string(),
            reason: "not a regular file; not read".into(),
        }));
        return;
    }
    let modified = metadata.and_then(|m| m.modified()).ok();
    take_file(path, rel, modified, wanted, found);
}

/// Asks `wanted` about the file at `path`, and reads it if so.
fn take_file(
    path: &Path,
    rel: PathBuf,
    modified: Option<SystemTime>,
    wanted: &Wanted<'_>,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let name = path.display().to_string();
    let candidate = Candidate {
        name: &name,
        rel_path: &rel,
        modified,
        file: Some(path),
    };
    match wanted(&candidate) {
        Ok(true) => found(read_file(path, rel, modified)),
        Ok(false) => {}
        Err(reason) => found(Err(Unreadable { name, reason })),
    }
}

fn read_file(
    path: &Path,
    rel: PathBuf,
    modified: Option<SystemTime>,
) -> Result<Article, Unreadable> {
    let name = path.display().to_string();
    let bytes = File::open(path)
        .and_then(|file| read_capped(file, ""))
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
    wanted: &Wanted<'_>,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) {
    let real_root = resolved(root);
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || e.file_type().is_dir()
                        && e.path()
                            .strip_prefix(root)
                            .is_ok_and(|rel| filter.is_skipped(&real_root, rel)))
        });
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
        let kind = entry.file_type();
        if !(kind.is_file() || kind.is_symlink()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        if !filter.accepts(rel) {
            continue;
        }
        if kind.is_symlink() && !links_inside(entry.path(), &real_root) {
            found(Err(Unreadable {
                name: entry.path().display().to_string(),
                reason: "a symbolic link out of the folder (or to nothing readable); not followed"
                    .into(),
            }));
            continue;
        }
        let rel = prefix.join(rel);
        // Through a link, the time of the file it names.
        let modified = std::fs::metadata(entry.path())
            .and_then(|m| m.modified())
            .ok();
        take_file(entry.path(), rel, modified, wanted, found);
    }
}

/// Whether the symbolic link at `link` names a regular file inside the
/// (resolved) input folder `root`: such an article is read; one that leads
/// out of the tree, loops or dangles is refused.
fn links_inside(link: &Path, root: &Path) -> bool {
    link.canonicalize().is_ok_and(|target| {
        target.starts_with(root) && std::fs::metadata(&target).is_ok_and(|m| m.is_file())
    })
}

/// A member path made safe to mirror: relative, with no `..`, no root and
/// no drive; `None` for a path that tries to leave the output folder, and
/// for one with a backslash or a colon (`a\..\b`, `C:\x`), which is a
/// Windows path or an escape there, whatever it means here.
pub fn safe_member_path(member: &str) -> Option<PathBuf> {
    if member.contains(['\\', ':']) {
        return None;
    }
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
    wanted: &Wanted<'_>,
    found: &mut dyn FnMut(Result<Article, Unreadable>),
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    // Members whose header cannot be read, reported after the walk.
    let mut broken = Vec::new();
    // `regular`: false for a link, device or FIFO member, never followed.
    let mut visit_member =
        |member: &str, regular: bool, modified: Option<SystemTime>, reader: &mut dyn Read| {
            let name = format!("{}:{member}", path.display());
            let Some(rel) = safe_member_path(member) else {
                found(Err(Unreadable {
                    name,
                    reason: "archive member path is absolute, leaves the folder (..) \
                         or has a backslash or colon; refused"
                        .into(),
                }));
                return;
            };
            if is_hidden(&rel) || !filter.accepts(&rel) {
                return;
            }
            if !regular {
                return found(Err(Unreadable {
                    name,
                    reason: "a link or special file in the archive; not followed".into(),
                }));
            }
            let rel = prefix.join(rel);
            let candidate = Candidate {
                name: &name,
                rel_path: &rel,
                modified,
                file: None,
            };
            match wanted(&candidate) {
                Ok(true) => {}
                Ok(false) => return,
                Err(reason) => return found(Err(Unreadable { name, reason })),
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
            for i in by_name(&zip) {
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
                let regular = !entry.is_symlink();
                visit_member(&member, regular, modified, &mut entry);
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
                let kind = entry.header().entry_type();
                if kind.is_dir() {
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
                visit_member(&member, kind.is_file(), modified, &mut entry);
            }
        }
    }
    for bad in broken {
        found(Err(bad));
    }
    Ok(())
}

/// The zip's member indices in name order (the central directory is read
/// already), so outputs are claimed in name order as in a folder.
fn by_name<R: Read + std::io::Seek>(zip: &zip::ZipArchive<R>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..zip.len()).collect();
    order.sort_by_cached_key(|&i| zip.name_for_index(i).map(str::to_owned));
    order
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
    read_capped(reader, " when decompressed (a zip bomb?)")
}

/// Reads at most [`MAX_ARTICLE_BYTES`] from any article source (a file,
/// standard input, an archive member); more is an error naming the cap,
/// `what` saying more (e.g. " on standard input").
pub fn read_capped(reader: impl Read, what: &str) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_ARTICLE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB{what}; refused",
            MAX_ARTICLE_BYTES / 1024 / 1024
        )));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
