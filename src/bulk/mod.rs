//! Many articles at once: one output per article (`convert_each`), or one
//! book of many (`bundle`). Inputs are walked and read on one thread and
//! converted on a rayon pool; a failure is recorded with the file (and
//! archive member) and the run goes on.

mod bundle;
pub mod cover;
pub mod furniture; // bundle words in the book's language
mod inputs;
pub mod state; // new-only bundles (--state)

pub use bundle::{bundle, feed_book, parse_day, parse_size, BundleOptions, GroupBy, Selection};
pub use inputs::{is_archive, safe_member_path, Article, Filter, Unreadable, MAX_ARTICLE_BYTES};

use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::write::Writer;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

/// How a bulk run behaves (the conversion itself follows [`Options`]).
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
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// Print no warnings.
    pub quiet: bool,
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
/// mirroring the input tree.
pub fn convert_each(
    inputs: &[PathBuf],
    out_dir: &Path,
    writer: &dyn Writer,
    session: &Session,
    bulk: &BulkOptions,
) -> Result<Summary> {
    let started = Instant::now();
    let filter = Filter::new(&bulk.include, &bulk.exclude).map_err(|message| Error::Rules {
        path: "--include/--exclude".into(),
        message,
    })?;
    let extension = writer.extensions().first().copied().unwrap_or("out");
    let out_path = |rel: &Path| out_dir.join(rel).with_extension(extension);
    let skipped = AtomicUsize::new(0);
    let wanted = |rel: &Path, modified: Option<SystemTime>| {
        if bulk.shard.is_some_and(|s| !s.contains(rel)) {
            return false;
        }
        if bulk.skip_unchanged && is_up_to_date(&out_path(rel), modified) {
            skipped.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        true
    };
    let progress = progress_bar(bulk.progress);
    let failures = Mutex::new(Vec::new());
    let outputs = Mutex::new(Vec::new());
    let convert_one = |article: Article| {
        let target = out_path(&article.rel_path);
        let result = convert_article(&article, &target, writer, session, bulk, &progress);
        progress.inc(1);
        match result {
            Ok(()) => lock(&outputs).push(target.display().to_string()),
            Err(reason) => lock(&failures).push(Failure {
                input: article.name,
                reason,
            }),
        }
    };
    run_pool(bulk.jobs, inputs, &filter, &wanted, &failures, convert_one)?;
    progress.finish_and_clear();
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort_by(|a, b| a.input.cmp(&b.input));
    let mut outputs = outputs.into_inner().unwrap_or_else(|e| e.into_inner());
    outputs.sort();
    Ok(Summary {
        converted: outputs.len(),
        skipped: skipped.into_inner(),
        failed: failures.len(),
        elapsed_seconds: started.elapsed().as_secs_f64(),
        outputs,
        failures,
    })
}

/// Walks the inputs on this thread and hands each article to `work` on a
/// pool of `jobs` threads; at most a few articles wait in between, so
/// memory stays bounded however large the archive.
fn run_pool(
    jobs: Option<usize>,
    inputs: &[PathBuf],
    filter: &Filter,
    wanted: &(dyn Fn(&Path, Option<SystemTime>) -> bool + Sync),
    failures: &Mutex<Vec<Failure>>,
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
                Err(bad) => lock(failures).push(Failure {
                    input: bad.name,
                    reason: bad.reason,
                }),
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
                    lock(failures).push(Failure {
                        input: name,
                        reason: format!("internal error: {}", panic_message(&*panic)),
                    });
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

fn convert_article(
    article: &Article,
    target: &Path,
    writer: &dyn Writer,
    session: &Session,
    bulk: &BulkOptions,
    progress: &ProgressBar,
) -> std::result::Result<(), String> {
    if let Some(file) = &article.file {
        if same_file(file, target) {
            return Err(format!(
                "output {} is the input itself; refused",
                target.display()
            ));
        }
    }
    let root = article.file.as_deref().and_then(Path::parent);
    let mut warnings = Warnings::new();
    let result = crate::convert::convert_bytes(
        &article.bytes,
        Some(&article.rel_path),
        root,
        writer,
        session,
        &mut warnings,
    );
    if !bulk.quiet && !warnings.is_empty() {
        // One print per article, so lines from parallel workers never interleave.
        let text: Vec<String> = warnings
            .items()
            .iter()
            .map(|w| format!("conv: warning: {}: {}", article.name, w.message))
            .collect();
        progress.suspend(|| eprintln!("{}", text.join("\n")));
    }
    let bytes = result.map_err(|e| e.to_string())?;
    crate::convert::write_atomic(target, &bytes).map_err(|e| e.to_string())
}

fn is_up_to_date(output: &Path, input_modified: Option<SystemTime>) -> bool {
    let Ok(out_modified) = std::fs::metadata(output).and_then(|m| m.modified()) else {
        return false;
    };
    input_modified.is_some_and(|input| out_modified >= input)
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}

fn progress_bar(show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {pos} articles  {per_sec}  {elapsed}")
    {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Locks a mutex, going on with the data if a worker panicked while holding it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_articles() {
        let shards: Vec<Shard> = (1..=3).map(|k| Shard { index: k, count: 3 }).collect();
        for i in 0..200 {
            let rel = PathBuf::from(format!("posts/{i}.md"));
            assert_eq!(shards.iter().filter(|s| s.contains(&rel)).count(), 1);
        }
        assert_eq!(Shard::parse("2/8"), Some(Shard { index: 2, count: 8 }));
        assert_eq!(Shard::parse("0/8"), None);
        assert_eq!(Shard::parse("9/8"), None);
        assert_eq!(Shard::parse("x"), None);
    }
}
