//! Many articles at once: one output per article (`convert_each`), or one
//! book of many (`bundle`). Inputs are walked and read on one thread and
//! converted on a rayon pool; a failure is recorded with the file (and
//! archive member) and the run goes on. Nothing here prints: every
//! article's result reaches the caller's [`Observer`] as it happens.

mod bundle;
pub mod cover;
mod inputs;
pub mod state; // new-only bundles (--state)

pub use bundle::{bundle, feed_book, parse_day, parse_size, BundleOptions, GroupBy, Selection};
pub use inputs::{
    is_archive, read_capped, safe_member_path, Article, Candidate, Filter, Unreadable,
    MAX_ARTICLE_BYTES,
};

use crate::diag::{Warning, Warnings};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::write::Writer;
use inputs::{InputSet, Wanted};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

/// How a bulk run behaves (the conversion itself follows [`Options`]).
///
/// [`Options`]: crate::Options
#[derive(Debug, Clone, Default)]
pub struct BulkOptions {
    /// Worker threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Globs of relative paths to take (default: article extensions).
    pub include: Vec<String>,
    /// Globs of relative paths to leave out.
    pub exclude: Vec<String>,
    /// Skip an article whose output exists and is newer than the input.
    pub skip_unchanged: bool,
    /// Convert only this shard of the articles.
    pub shard: Option<Shard>,
}

/// Who hears of a bulk run as it goes (the CLI prints; a library caller may
/// count, log or stay [`Silent`]). Called from the worker threads, one call
/// per article, so an implementation that prints writes each call whole.
pub trait Observer: Sync {
    /// One article is done: converted (or, in a bundle, read), or failed.
    fn article_done(&self, done: &Done<'_>);
    /// One book of a bundle is written, with the warnings no one article
    /// owns (the cover, the writer's).
    fn book_done(&self, book: &Book<'_>) {
        let _ = book;
    }
}

/// What became of one article.
#[derive(Debug, Clone, Copy)]
pub struct Done<'a> {
    /// The file, or `archive:member` (as [`Failure::input`]).
    pub input: &'a str,
    /// The file written; `None` in a bundle (see [`Observer::book_done`])
    /// and on failure.
    pub output: Option<&'a Path>,
    /// What went wrong without stopping it.
    pub warnings: &'a [Warning],
    /// Why it was not converted, in one line.
    pub failure: Option<&'a str>,
}

/// One book of a bundle, written.
#[derive(Debug, Clone, Copy)]
pub struct Book<'a> {
    /// The file written.
    pub output: &'a Path,
    /// How many articles it holds.
    pub articles: usize,
    /// Warnings of the book as a whole (each article's came with it).
    pub warnings: &'a [Warning],
}

/// An observer that hears nothing (library callers and tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {
    fn article_done(&self, _: &Done<'_>) {}
}

/// One of N deterministic slices of the articles, chosen by a hash of each
/// article's relative path, so N machines can split one archive with no
/// coordination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, 1-based.
    pub index: u64,
    /// How many slices.
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Option<Shard> {
        let (k, n) = text.split_once('/')?;
        let (index, count) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
        (1..=count)
            .contains(&index)
            .then_some(Shard { index, count })
    }

    /// Whether the article at `rel` belongs to this shard.
    pub fn contains(&self, rel: &Path) -> bool {
        fnv1a(rel.to_string_lossy().as_bytes()) % self.count == self.index - 1
    }
}

/// FNV-1a: a stable hash (the same on every machine and Rust version),
/// which `std`'s hashers do not promise.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a run did.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Articles converted.
    pub converted: usize,
    /// Articles skipped because their output was up to date.
    pub skipped: usize,
    /// Articles that failed.
    pub failed: usize,
    /// Wall-clock seconds.
    pub elapsed_seconds: f64,
    /// Files written.
    pub outputs: Vec<String>,
    /// Every failure, in input order.
    pub failures: Vec<Failure>,
}

/// One article that could not be converted.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// The file, or `archive:member`.
    pub input: String,
    /// Why, in one line.
    pub reason: String,
}

impl Summary {
    /// One line for the end of a run.
    pub fn line(&self) -> String {
        let rate = self.converted as f64 / self.elapsed_seconds.max(1e-9);
        format!(
            "conv: {} converted, {} skipped, {} failed in {:.2} s ({:.0} articles/s)",
            self.converted, self.skipped, self.failed, self.elapsed_seconds, rate
        )
    }
}

/// Converts every article of `inputs` with `writer` into `out_dir`,
/// mirroring the input tree, telling `observer` of each article as it is
/// done.
pub fn convert_each(
    inputs: &[PathBuf],
    out_dir: &Path,
    writer: &dyn Writer,
    session: &Session,
    bulk: &BulkOptions,
    observer: &dyn Observer,
) -> Result<Summary> {
    let started = Instant::now();
    let filter = Filter::new(&bulk.include, &bulk.exclude)
        .map_err(|message| Error::Rules {
            path: "--include/--exclude".into(),
            message,
        })?
        .skipping(out_dir);
    let extension = writer.extensions().first().copied().unwrap_or("out");
    let out_path = |rel: &Path| out_dir.join(rel).with_extension(extension);
    let claims = Claims::new(inputs, out_dir);
    let skipped = AtomicUsize::new(0);
    // Asked on the walking thread, in input order, before any byte is read.
    let wanted = |found: &Candidate<'_>| {
        let target = out_path(found.rel_path);
        let claim = claims.claim(found, &target, &filter);
        if bulk.shard.is_some_and(|s| !s.contains(found.rel_path)) {
            return Ok(false); // another shard's (its name claimed all the same)
        }
        match claim? {
            Claim::Ours => {}
            Claim::ThisRunsOutput => return Ok(false),
        }
        if bulk.skip_unchanged && is_up_to_date(&target, found.modified) {
            skipped.fetch_add(1, Ordering::Relaxed);
            return Ok(false);
        }
        Ok(true)
    };
    let tally = Tally::new(observer);
    let outputs = Mutex::new(Vec::new());
    let convert_one = |article: Article| {
        let target = out_path(&article.rel_path);
        let mut warnings = Warnings::new();
        match convert_article(&article, &target, writer, session, &mut warnings) {
            Ok(()) => {
                tally.done(&article.name, Some(&target), warnings.items());
                lock(&outputs).push(target.display().to_string());
            }
            Err(reason) => tally.fail(article.name, reason, warnings.items()),
        }
    };
    run_pool(bulk.jobs, inputs, &filter, &wanted, &tally, convert_one)?;
    let mut outputs = outputs.into_inner().unwrap_or_else(|e| e.into_inner());
    outputs.sort();
    let failures = tally.into_failures();
    Ok(Summary {
        converted: outputs.len(),
        skipped: skipped.into_inner(),
        failed: failures.len(),
        elapsed_seconds: started.elapsed().as_secs_f64(),
        outputs,
        failures,
    })
}

/// The output names of a folder run, handed out on the walking thread in
/// input order before anything is converted: the first input that maps to
/// a name has it, a later one fails naming both (whatever the threads do),
/// and a name that is an existing input is never written.
struct Claims {
    taken: Mutex<HashMap<PathBuf, String>>,
    inputs: InputSet,
    /// The output folder as given, and resolved.
    out_dir: (PathBuf, PathBuf),
    /// Whether the output folder is (inside) an input folder, so the walk
    /// may meet files this run wrote.
    overlaps: bool,
}

/// A name the claim gave.
enum Claim {
    /// The output is this article's to write.
    Ours,
    /// The article is a file this run wrote (an output folder that is an
    /// input folder): not an input.
    ThisRunsOutput,
}

impl Claims {
    fn new(inputs: &[PathBuf], out_dir: &Path) -> Claims {
        let inputs = InputSet::new(inputs);
        let resolved = inputs::resolved(out_dir);
        Claims {
            overlaps: inputs.holds(&resolved),
            taken: Mutex::new(HashMap::new()),
            inputs,
            out_dir: (out_dir.to_path_buf(), resolved),
        }
    }

    /// Claims `target` for the article `found`.
    fn claim(
        &self,
        found: &Candidate<'_>,
        target: &Path,
        filter: &Filter,
    ) -> std::result::Result<Claim, String> {
        let key = self.key(target);
        let mut taken = lock(&self.taken);
        if self.overlaps {
            let file = found.file.map(inputs::resolved);
            if file.is_some_and(|f| taken.contains_key(&f)) {
                return Ok(Claim::ThisRunsOutput);
            }
        }
        if let Some(first) = taken.get(&key) {
            return Err(format!(
                "output {} is also that of {first}; not converted",
                target.display()
            ));
        }
        if self.inputs.contains(target, filter) {
            let own = found
                .file
                .is_some_and(|f| inputs::resolved(f) == inputs::resolved(target));
            return Err(if own {
                format!(
                    "output {} is the input itself; not converted",
                    target.display()
                )
            } else {
                format!(
                    "output {} would overwrite an input; not converted",
                    target.display()
                )
            });
        }
        taken.insert(key, found.name.to_string());
        Ok(Claim::Ours)
    }

    /// `target` as a resolved path: two spellings of the output folder
    /// claim the same names, and compare with the walked files.
    fn key(&self, target: &Path) -> PathBuf {
        let (given, resolved) = &self.out_dir;
        match target.strip_prefix(given) {
            Ok(rel) => resolved.join(rel),
            Err(_) => inputs::resolved(target),
        }
    }
}

/// A run's results as they happen: each article told to the observer at
/// once, the failures kept for the summary.
pub(crate) struct Tally<'a> {
    observer: &'a dyn Observer,
    failures: Mutex<Vec<Failure>>,
}

impl<'a> Tally<'a> {
    pub(crate) fn new(observer: &'a dyn Observer) -> Tally<'a> {
        Tally {
            observer,
            failures: Mutex::new(Vec::new()),
        }
    }

    /// The article `input` is done (written to `output`, or read into a bundle).
    pub(crate) fn done(&self, input: &str, output: Option<&Path>, warnings: &[Warning]) {
        self.observer.article_done(&Done {
            input,
            output,
            warnings,
            failure: None,
        });
    }

    /// The article `input` failed.
    pub(crate) fn fail(&self, input: String, reason: String, warnings: &[Warning]) {
        self.observer.article_done(&Done {
            input: &input,
            output: None,
            warnings,
            failure: Some(&reason),
        });
        lock(&self.failures).push(Failure { input, reason });
    }

    /// One book written.
    pub(crate) fn book(&self, book: &Book<'_>) {
        self.observer.book_done(book);
    }

    /// The failures, in input order.
    pub(crate) fn into_failures(self) -> Vec<Failure> {
        let mut failures = self
            .failures
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        failures.sort_by(|a, b| a.input.cmp(&b.input));
        failures
    }
}

/// Walks the inputs on this thread and hands each article to `work` on a
/// pool of `jobs` threads; at most a few articles wait in between, so
/// memory stays bounded however large the archive. What cannot be read,
/// and a panic inside `work`, are failures in `tally`.
fn run_pool(
    jobs: Option<usize>,
    inputs: &[PathBuf],
    filter: &Filter,
    wanted: &Wanted<'_>,
    tally: &Tally<'_>,
    work: impl Fn(Article) + Sync + Send,
) -> Result<()> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        builder = builder.num_threads(n.max(1));
    }
    let pool = builder
        .build()
        .map_err(|e| Error::io("starting worker threads", std::io::Error::other(e)))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Article>(pool.current_num_threads() * 2);
    // A test-only hook: `CONV_TEST_PANIC_ON=NAME` panics inside the work on
    // the article whose name contains NAME, to pin the isolation below.
    let panic_on = std::env::var("CONV_TEST_PANIC_ON").ok();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            inputs::visit(inputs, filter, wanted, &mut |found| match found {
                Ok(article) => {
                    // The receiver only goes away when the pool is done.
                    let _ = tx.send(article);
                }
                Err(bad) => tally.fail(bad.name, bad.reason, &[]),
            });
        });
        pool.install(|| {
            rx.into_iter().par_bridge().for_each(|article| {
                // One article's panic (a reader, a writer, a dependency) is
                // that article's failure; the run goes on.
                let name = article.name.clone();
                let forced = panic_on.as_deref().is_some_and(|p| name.contains(p));
                let run = std::panic::AssertUnwindSafe(|| {
                    if forced {
                        panic!("forced by CONV_TEST_PANIC_ON");
                    }
                    work(article)
                });
                if let Err(panic) = std::panic::catch_unwind(run) {
                    let reason = format!("internal error: {}", panic_message(&*panic));
                    tally.fail(name, reason, &[]);
                }
            })
        });
    });
    Ok(())
}

/// The text a panic was raised with.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Converts one article to `target`; its warnings go to `warnings`.
fn convert_article(
    article: &Article,
    target: &Path,
    writer: &dyn Writer,
    session: &Session,
    warnings: &mut Warnings,
) -> std::result::Result<(), String> {
    let root = article.file.as_deref().and_then(Path::parent);
    let bytes = crate::convert::convert_bytes(
        &article.bytes,
        Some(&article.rel_path),
        root,
        writer,
        session,
        warnings,
    )
    .map_err(|e| e.to_string())?;
    crate::convert::write_atomic(target, &bytes).map_err(|e| e.to_string())
}

fn is_up_to_date(output: &Path, input_modified: Option<SystemTime>) -> bool {
    let Ok(out_modified) = std::fs::metadata(output).and_then(|m| m.modified()) else {
        return false;
    };
    input_modified.is_some_and(|input| out_modified >= input)
}

/// Locks a mutex, going on with the data if a worker panicked while holding it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
