//! What the command prints: warnings, failures, the missing-images line and
//! a bulk run's results as they happen (the library never prints; bulk
//! runs reach this through [`bulk::Observer`]). Every name and message is
//! escaped on the way out.

use conv::bulk;
pub(super) use conv::diag::escape;
use conv::{Session, Warning};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Prints warnings as `conv: FILE[:LINE:COL]: warning: message`.
pub(super) fn print_warnings(quiet: bool, name: &str, warnings: &[Warning]) {
    if quiet {
        return;
    }
    say_all(&warning_lines(name, warnings));
}

/// `conv: PLACE[:LINE:COL]: warning: message` lines (diag::render, which
/// escapes the name and each message).
pub(super) fn warning_lines(place: &str, warnings: &[Warning]) -> String {
    conv::diag::render(place, warnings)
}

/// `conv: INPUT: reason`, escaped, with its newline.
pub(super) fn failure_line(input: &str, reason: &str) -> String {
    format!("conv: {}: {}\n", escape(input), escape(reason))
}

/// Writes `text` to standard error in one write; a closed standard error
/// (`2>&1 | head -1`) is ignored, not a panic.
pub(super) fn say_all(text: &str) {
    if !text.is_empty() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// One line to standard error.
pub(super) fn say(line: &str) {
    say_all(&format!("{line}\n"));
}

/// The one line counting the pictures a run could not have (each was
/// named once, as it failed).
pub(super) fn say_missing_images(session: &Session) {
    match session.missing_images() {
        0 => {}
        1 => say("conv: 1 image missing (shown as its text)"),
        n => say(&format!("conv: {n} images missing (shown as their text)")),
    }
}

/// Prints a bulk run's results as they happen: every failure, warnings
/// unless `-q`, and on a terminal a counter line redrawn in place.
pub(super) struct Reporter {
    quiet: bool,
    /// Articles done so far and when the counter was last drawn (a terminal only).
    counter: Option<(AtomicUsize, Mutex<Instant>)>,
}

impl Reporter {
    pub(super) fn new(quiet: bool) -> Reporter {
        let counter = (!quiet && std::io::stderr().is_terminal())
            .then(|| (AtomicUsize::new(0), Mutex::new(Instant::now())));
        Reporter { quiet, counter }
    }

    /// Writes `lines` (whole lines) and, now and then, the counter line.
    fn show(&self, lines: &str) {
        let Some((done, last)) = &self.counter else {
            return say_all(lines);
        };
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
        let redraw = !lines.is_empty() || last.elapsed() > Duration::from_millis(100);
        if redraw {
            *last = Instant::now();
            // Erase the counter, print the lines, draw it again below them.
            say_all(&format!("\r\x1b[K{lines}conv: {n} articles…"));
        }
    }

    /// Erases the counter line before the summary.
    pub(super) fn finish(&self) {
        if self.counter.is_some() {
            say_all("\r\x1b[K");
        }
    }

    fn warnings(&self, place: &str, warnings: &[Warning], lines: &mut String) {
        if !self.quiet {
            *lines += &warning_lines(place, warnings);
        }
    }
}

impl bulk::Observer for Reporter {
    fn article_done(&self, done: &bulk::Done<'_>) {
        let mut lines = String::new();
        self.warnings(done.input, done.warnings, &mut lines);
        if let Some(reason) = done.failure {
            lines += &failure_line(done.input, reason);
        }
        self.show(&lines);
    }

    fn book_done(&self, book: &bulk::Book<'_>) {
        let mut lines = String::new();
        self.warnings(
            &book.output.display().to_string(),
            book.warnings,
            &mut lines,
        );
        say_all(&lines);
    }
}
