//! Flag checks that need no article: a mistake is a usage error (exit 2,
//! one line) before anything is read.

use super::{usage, Args, MAX_JOBS};
use std::io::Read;
use std::path::Path;

/// Checks the flags that need no file read, so a mistake stops the run at
/// once with one line (exit 2), before any article is read.
pub(super) fn check_flags(args: &Args) -> anyhow::Result<()> {
    if let Some(jobs) = args.jobs.filter(|j| !(1..=MAX_JOBS).contains(j)) {
        return Err(usage(format!(
            "-j/--jobs wants 1 to {MAX_JOBS} threads, got {jobs}"
        )));
    }
    for (flag, value) in [
        ("--max-articles", args.max_articles),
        ("--limit", args.limit),
    ] {
        if value == Some(0) {
            return Err(usage(format!("{flag} must be at least 1")));
        }
    }
    if !args.bundle {
        if let Some(flag) = bundle_only_flag(args) {
            return Err(usage(format!(
                "{flag} selects or shapes a bundle; add --bundle (or leave it out)"
            )));
        }
        return Ok(());
    }
    if args.output.as_deref() == Some(Path::new("-")) {
        return Err(usage(
            "--bundle writes files (split books are numbered); give -o FILE, not -",
        ));
    }
    if let Some(cover) = &args.cover {
        let mut byte = [0u8; 1];
        std::fs::File::open(cover)
            .and_then(|mut f| f.read(&mut byte))
            .map_err(|e| usage(format!("--cover: cannot read {}: {e}", cover.display())))?;
    }
    Ok(())
}

/// The first flag given that only a bundle uses.
fn bundle_only_flag(args: &Args) -> Option<&'static str> {
    [
        ("--since", args.since.is_some()),
        ("--until", args.until.is_some()),
        ("--category", !args.category.is_empty()),
        ("--author", !args.author.is_empty()),
        ("--tag", !args.tag.is_empty()),
        ("--limit", args.limit.is_some()),
        ("--group-by", args.group_by.is_some()),
        ("--newest-first", args.newest_first),
        ("--title", args.title.is_some()),
        ("--cover", args.cover.is_some()),
        ("--max-articles", args.max_articles.is_some()),
        ("--max-size", args.max_size.is_some()),
        ("--state", args.state.is_some()),
    ]
    .into_iter()
    .find_map(|(flag, given)| given.then_some(flag))
}
