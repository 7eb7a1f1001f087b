//! Command-line arguments and dispatch. Only argument handling and printing
//! live here; the work is done by the library.

use anyhow::{anyhow, bail, Context};
use clap::{Parser, ValueEnum};
use conv::bulk::{self, BulkOptions, BundleOptions, GroupBy, Selection};
use conv::options::{InputFormat, Options};
use conv::write;
use conv::Session;
use conv::Warnings;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

mod checks;
mod device;
mod report;
use device::{note_flavour, pick_writer, DeviceArgs};
use report::{escape, failure_line, print_warnings, say, say_all, say_missing_images, Reporter};

/// The most worker threads `-j` takes (more only costs memory).
const MAX_JOBS: usize = 256;

/// Formats whose bytes are not text: never written to a terminal.
const BINARY_FORMATS: &[&str] = &["epub", "kepub", "pdf"];

/// Turn articles (front matter + HTML or Markdown) into EPUB, PDF, plain text or JSON.
#[derive(Parser, Debug)]
#[command(name = "conv", version, about, max_term_width = 100)]
struct Args {
    /// Input files, folders or archives (.zip, .tar, .tar.gz/.tgz); `-` reads standard input.
    inputs: Vec<PathBuf>,
    /// Output file (`-` for standard output), or output folder for many inputs.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Output format; by default taken from the output file's extension.
    #[arg(short = 't', long = "to")]
    to: Option<String>,
    /// Input format: auto, html, markdown, text or json.
    #[arg(short = 'f', long = "from", default_value = "auto")]
    from: String,
    /// List the input and output formats and exit.
    #[arg(long)]
    list_formats: bool,
    /// Write an OPDS catalog of the books (EPUB, KEPUB, PDF) in DIR to DIR/opds/ and exit.
    #[arg(long, value_name = "DIR")]
    opds: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    /// Say more about what is done (timings).
    #[arg(short, long)]
    verbose: bool,

    /// Keep everything the page had: no removal of promotion blocks, indents, empty paragraphs.
    #[arg(long, help_heading = "Reading")]
    keep_all: bool,
    /// Read inputs as whole web pages and keep only the article (--no-extract: never); detected by default.
    #[arg(long, overrides_with = "no_extract", help_heading = "Reading")]
    extract: bool,
    #[arg(long, hide = true)]
    no_extract: bool,
    /// Extra clean-up rules (TOML, same form as the built-in rules).
    #[arg(long, value_name = "FILE", help_heading = "Reading")]
    rules: Option<PathBuf>,
    /// Input encoding (utf-8, gbk, gb18030, big5); detected by default.
    #[arg(long, help_heading = "Reading")]
    encoding: Option<String>,

    /// Wrap plain text at N display columns (wide CJK characters count two).
    #[arg(long, value_name = "N", help_heading = "Plain text")]
    columns: Option<usize>,

    /// Folder with templates/CSS overriding the built-in EPUB ones.
    #[arg(long, value_name = "DIR", help_heading = "EPUB and PDF")]
    template_dir: Option<PathBuf>,
    /// Do not fetch remote images (they become their alt text).
    #[arg(long, help_heading = "EPUB and PDF")]
    offline: bool,
    /// Folder for downloaded images.
    #[arg(long, value_name = "DIR", help_heading = "EPUB and PDF")]
    cache_dir: Option<PathBuf>,
    /// A folder local images may come from besides the article's own.
    #[arg(long, value_name = "DIR", help_heading = "EPUB and PDF")]
    resource_dir: Option<PathBuf>,
    /// Largest image read or downloaded (e.g. 50MB).
    #[arg(
        long,
        value_name = "SIZE",
        default_value = "20MiB",
        help_heading = "EPUB and PDF"
    )]
    max_image_size: String,
    /// Body font (TTF, OTF or TTC) instead of the bundled CJK font.
    #[arg(long, value_name = "FILE", help_heading = "EPUB and PDF")]
    font: Option<PathBuf>,
    /// Face index inside a TTC given with --font.
    #[arg(long, default_value_t = 0, help_heading = "EPUB and PDF")]
    font_index: u32,
    /// Code font instead of the bundled monospace font.
    #[arg(long, value_name = "FILE", help_heading = "EPUB and PDF")]
    mono_font: Option<PathBuf>,
    /// PDF: no quarter-em space between CJK and Latin letters or digits.
    #[arg(long, help_heading = "EPUB and PDF")]
    no_autospace: bool,
    /// Font tried for characters the others lack (repeatable).
    #[arg(long, value_name = "FILE", help_heading = "EPUB and PDF")]
    fallback_font: Vec<PathBuf>,
    /// Embed the used subset of the CJK font in the EPUB.
    #[arg(long, help_heading = "EPUB and PDF")]
    embed_font: bool,
    #[command(flatten)]
    device: DeviceArgs,

    /// Parallel jobs, 1 to 256 (default: all cores).
    #[arg(short = 'j', long, value_name = "N", help_heading = "Many articles")]
    jobs: Option<usize>,
    /// Only inputs whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB", help_heading = "Many articles")]
    include: Vec<String>,
    /// Skip inputs whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB", help_heading = "Many articles")]
    exclude: Vec<String>,
    /// Write every failure to this JSON file.
    #[arg(long, value_name = "FILE", help_heading = "Many articles")]
    report: Option<PathBuf>,
    /// Skip articles whose output is newer than the input.
    #[arg(long, help_heading = "Many articles")]
    skip_unchanged: bool,
    /// Convert only shard K of N (by a hash of each article's path), e.g. 2/8.
    #[arg(long, value_name = "K/N", help_heading = "Many articles")]
    shard: Option<String>,

    /// Make one book of all selected articles instead of one output each.
    #[arg(long, help_heading = "Bundles")]
    bundle: bool,
    /// Only articles on or after this date (YYYY-MM-DD, `today`, or `7d`).
    #[arg(long, value_name = "DATE", help_heading = "Bundles")]
    since: Option<String>,
    /// Only articles on or before this date.
    #[arg(long, value_name = "DATE", help_heading = "Bundles")]
    until: Option<String>,
    /// Only articles in this category (repeatable).
    #[arg(long, help_heading = "Bundles")]
    category: Vec<String>,
    /// Only articles by this author (repeatable).
    #[arg(long, help_heading = "Bundles")]
    author: Vec<String>,
    /// Only articles with this tag (repeatable).
    #[arg(long, help_heading = "Bundles")]
    tag: Vec<String>,
    /// At most N articles.
    #[arg(long, value_name = "N", help_heading = "Bundles")]
    limit: Option<usize>,
    /// How to section the book (default: source).
    #[arg(long, value_enum, help_heading = "Bundles")]
    group_by: Option<GroupArg>,
    /// Newest articles first.
    #[arg(long, help_heading = "Bundles")]
    newest_first: bool,
    /// Book title.
    #[arg(long, help_heading = "Bundles")]
    title: Option<String>,
    /// Cover image instead of the generated one.
    #[arg(long, value_name = "IMAGE", help_heading = "Bundles")]
    cover: Option<PathBuf>,
    /// Split into books of at most N articles.
    #[arg(long, value_name = "N", help_heading = "Bundles")]
    max_articles: Option<usize>,
    /// Split into books of at most this size (e.g. 50MB).
    #[arg(long, value_name = "SIZE", help_heading = "Bundles")]
    max_size: Option<String>,
    /// Leave out articles earlier bundles made with this state file held, and record this one's.
    #[arg(long, value_name = "FILE", help_heading = "Bundles")]
    state: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum GroupArg {
    Source,
    Category,
    Day,
    None,
}

/// Runs the command; returns the exit status.
pub fn run() -> i32 {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match dispatch(args) {
        Ok(status) => status,
        Err(e) => {
            say(&format!("conv: {}", escape(&format!("{e:#}"))));
            if e.downcast_ref::<UsageError>().is_some() {
                2
            } else {
                1
            }
        }
    }
}

/// A mistake in the command line (exit status 2).
#[derive(Debug)]
struct UsageError(String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for UsageError {}

fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow!(UsageError(message.into()))
}

fn dispatch(args: Args) -> anyhow::Result<i32> {
    if args.list_formats {
        list_formats();
        return Ok(0);
    }
    if args.device.wants_list() {
        let _ = std::io::stdout().write_all(conv::device::list().as_bytes());
        return Ok(0);
    }
    if let Some(dir) = &args.opds {
        return run_opds(&args, dir); // static OPDS catalog (src/opds/)
    }
    if args.inputs.is_empty() {
        return Err(usage("no input given (try `conv --help`)"));
    }
    checks::check_flags(&args)?;
    let opts = options(&args)?;
    // Every option value is checked (and what it names loaded) once,
    // before any article is read: a typo stops the run at once.
    let session = Session::new(opts).map_err(|e| usage(e.to_string()))?;
    let opts = &session;
    if args.bundle {
        return run_bundle(&args, opts);
    }
    let single = args.inputs.len() == 1
        && (args.inputs[0] == Path::new("-")
            || (!args.inputs[0].is_dir() && !bulk::is_archive(&args.inputs[0])))
        && !args.output.as_deref().is_some_and(|o| o.is_dir());
    if single {
        run_single(&args, opts)
    } else {
        run_bulk(&args, opts)
    }
}

fn list_formats() {
    let mut text = String::from("Input formats (--from):\n");
    for name in InputFormat::NAMES {
        text += &format!("  {name}\n");
    }
    text += "Output formats (--to, or the output's extension):\n";
    for w in write::writers() {
        text += &format!(
            "  {:<6} {} (.{})\n",
            w.name(),
            w.description(),
            w.extensions().join(", .")
        );
    }
    // A closed standard output (`| head -1`) is not an error worth a word.
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn options(args: &Args) -> anyhow::Result<Options> {
    let from = InputFormat::from_name(&args.from).ok_or_else(|| {
        usage(format!(
            "unknown input format '{}' (see --list-formats)",
            args.from
        ))
    })?;
    if args.columns == Some(0) {
        return Err(usage("--columns must be at least 1"));
    }
    let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.trim()
                .parse::<i64>()
                .map_err(|_| usage(format!("SOURCE_DATE_EPOCH is not a number: {v}")))?,
        ),
        _ => None,
    };
    let device = args.device.options()?;
    let max_image_bytes = bulk::parse_size(&args.max_image_size).ok_or_else(|| {
        usage(format!(
            "--max-image-size: cannot read '{}' (e.g. 50MB)",
            args.max_image_size
        ))
    })?;
    Ok(Options {
        from,
        page: device.page,
        font_size: device.font_size,
        device: device.device,
        margin_mm: device.margin_mm,
        images: device.images,
        cover_size: device.cover_size,
        resource_dir: args.resource_dir.clone(),
        max_image_bytes,
        keep_all: args.keep_all,
        extract: (args.extract || args.no_extract).then_some(args.extract),
        rules_file: args.rules.clone(),
        encoding: args.encoding.clone(),
        source_date_epoch,
        offline: args.offline,
        cache_dir: args.cache_dir.clone(),
        template_dir: args.template_dir.clone(),
        columns: args.columns,
        font: args.font.clone(),
        font_index: args.font_index,
        mono_font: args.mono_font.clone(),
        fallback_fonts: args.fallback_font.clone(),
        embed_font: args.embed_font,
        no_autospace: args.no_autospace,
    })
}

fn run_single(args: &Args, session: &Session) -> anyhow::Result<i32> {
    let input = &args.inputs[0];
    let writer = pick_writer(session, args.to.as_deref(), args.output.as_deref())?;
    note_flavour(args, session, writer);
    let to_stdout = args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    if to_stdout && BINARY_FORMATS.contains(&writer.name()) && std::io::stdout().is_terminal() {
        return Err(usage(format!(
            "{} is not text: give -o FILE, or redirect standard output",
            writer.name().to_uppercase()
        )));
    }
    let started = std::time::Instant::now();
    // Capped like every article read (a file, an archive member).
    let (bytes, name, hint) = if input == Path::new("-") {
        let bytes = bulk::read_capped(std::io::stdin().lock(), "")
            .context("standard input: cannot read")?;
        (bytes, "<stdin>".to_string(), None)
    } else {
        let bytes = std::fs::File::open(input)
            .and_then(|file| bulk::read_capped(file, ""))
            .with_context(|| format!("{}: cannot read", input.display()))?;
        (bytes, input.display().to_string(), Some(input.as_path()))
    };
    let root = hint.and_then(|p| p.parent());
    let mut warnings = Warnings::new();
    let result = conv::convert::convert_bytes(&bytes, hint, root, writer, session, &mut warnings);
    print_warnings(args.quiet, &name, warnings.items());
    let output = result.with_context(|| name.clone())?;
    match args.output.as_deref() {
        None => std::io::stdout()
            .write_all(&output)
            .context("writing standard output")?,
        Some(p) if p == Path::new("-") => std::io::stdout()
            .write_all(&output)
            .context("writing standard output")?,
        Some(path) => {
            if input != Path::new("-") && same_file(input, path) {
                bail!("{}: refusing to overwrite the input", path.display());
            }
            conv::convert::write_atomic(path, &output)?;
        }
    }
    if !args.quiet {
        say_missing_images(session);
    }
    if args.verbose {
        say(&format!(
            "conv: {}: {} bytes of {} in {:.1} ms",
            escape(&name),
            output.len(),
            writer.name(),
            started.elapsed().as_secs_f64() * 1000.0
        ));
    }
    Ok(0)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn bulk_options(args: &Args) -> anyhow::Result<BulkOptions> {
    let shard = args
        .shard
        .as_deref()
        .map(|s| {
            bulk::Shard::parse(s)
                .ok_or_else(|| usage(format!("--shard wants K/N with 1 <= K <= N, got '{s}'")))
        })
        .transpose()?;
    Ok(BulkOptions {
        jobs: args.jobs,
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        skip_unchanged: args.skip_unchanged,
        shard,
    })
}

fn run_bulk(args: &Args, session: &Session) -> anyhow::Result<i32> {
    let Some(out_dir) = args.output.as_deref() else {
        return Err(usage("many inputs need an output folder: -o DIR"));
    };
    if out_dir == Path::new("-") {
        return Err(usage(
            "many inputs cannot go to standard output; give -o DIR or --bundle",
        ));
    }
    if !out_dir.is_dir() && write::writer_for_path(out_dir).is_some() {
        return Err(usage(format!(
            "{} names one book, but a folder or many inputs give one output each: \
             add --bundle for one book, or give -o a folder",
            out_dir.display()
        )));
    }
    let writer = match (
        args.to.as_deref(),
        device::flavour_writer(session.opts.device),
    ) {
        (Some(_), _) => pick_writer(session, args.to.as_deref(), None)?,
        (None, Some(by_device)) => by_device,
        (None, None) => {
            return Err(usage(
                "give the output format with -t (epub, pdf, txt, json) or a --device",
            ))
        }
    };
    let bulk_opts = bulk_options(args)?;
    let reporter = Reporter::new(args.quiet);
    let summary = bulk::convert_each(
        &args.inputs,
        out_dir,
        writer,
        session,
        &bulk_opts,
        &reporter,
    )?;
    reporter.finish();
    finish(args, session, &summary)
}

fn run_bundle(args: &Args, session: &Session) -> anyhow::Result<i32> {
    let Some(output) = args.output.as_deref() else {
        return Err(usage("--bundle needs an output file: -o news.epub"));
    };
    let writer = pick_writer(session, args.to.as_deref(), Some(output))?;
    note_flavour(args, session, writer);
    let max_size = args
        .max_size
        .as_deref()
        .map(|s| {
            bulk::parse_size(s)
                .ok_or_else(|| usage(format!("--max-size: cannot read '{s}' (e.g. 50MB)")))
        })
        .transpose()?;
    let today = chrono::Utc::now().date_naive();
    let parse_day = |s: &str, flag: &str| {
        bulk::parse_day(s, today)
            .ok_or_else(|| usage(format!("{flag}: cannot read '{s}' (YYYY-MM-DD, today, 7d)")))
    };
    let selection = Selection {
        since: args
            .since
            .as_deref()
            .map(|s| parse_day(s, "--since"))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|s| parse_day(s, "--until"))
            .transpose()?,
        categories: args.category.clone(),
        authors: args.author.clone(),
        tags: args.tag.clone(),
        limit: args.limit,
    };
    let bundle_opts = BundleOptions {
        selection,
        group_by: match args.group_by.unwrap_or(GroupArg::Source) {
            GroupArg::Source => GroupBy::Source,
            GroupArg::Category => GroupBy::Category,
            GroupArg::Day => GroupBy::Day,
            GroupArg::None => GroupBy::None,
        },
        newest_first: args.newest_first,
        title: args.title.clone(),
        cover: args.cover.clone(),
        max_articles: args.max_articles,
        max_size,
        state: args.state.clone(), // --state (new-only bundles)
    };
    let bulk_opts = bulk_options(args)?;
    let reporter = Reporter::new(args.quiet);
    let summary = bulk::bundle(
        &args.inputs,
        output,
        writer,
        session,
        &bulk_opts,
        &bundle_opts,
        &reporter,
    )?;
    reporter.finish();
    finish(args, session, &summary)
}

/// After a run: the missing pictures and the summary (not with `-q`,
/// which prints only the failures, already printed as they happened), the
/// report, and the exit status.
fn finish(args: &Args, session: &Session, summary: &bulk::Summary) -> anyhow::Result<i32> {
    if !args.quiet {
        say_missing_images(session);
        say(&summary.line());
    }
    if let Some(report) = &args.report {
        let json = serde_json::to_vec_pretty(summary).context("building the report")?;
        conv::convert::write_atomic(report, &json)?;
    }
    Ok(if summary.failures.is_empty() { 0 } else { 1 })
}

/// `--opds DIR`: the catalog of a folder of books.
fn run_opds(args: &Args, dir: &Path) -> anyhow::Result<i32> {
    let summary = conv::opds::write_catalog(dir)?;
    let failures: String = summary
        .failures
        .iter()
        .map(|(file, reason)| failure_line(file, reason))
        .collect();
    say_all(&failures);
    if !args.quiet {
        say(&format!(
            "conv: OPDS catalog of {} books in {} ({} feeds)",
            summary.books,
            escape(
                &dir.join(conv::opds::FEED_DIR)
                    .join("index.xml")
                    .display()
                    .to_string()
            ),
            summary.feeds
        ));
    }
    Ok(if summary.failures.is_empty() { 0 } else { 1 })
}
