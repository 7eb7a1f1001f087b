//! Bundles: many articles as one book, selected, de-duplicated, ordered by
//! date, sectioned, and split into several complete books when too large.

use super::state::{key_of, Seen};
use super::{lock, run_pool, Book, BulkOptions, Candidate, Filter, Observer, Summary, Tally};
use crate::assets::Assets;
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::packed::{PackedArticle, PackedBundle, PackedSection};
use crate::model::{blocks_text, DateValue, Document, Metadata};
use crate::session::Session;
use crate::words::Words;
use crate::write::Writer;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

mod front;
mod target;
use front::{bundle_title, date_range, generated_cover, majority_language, sources};
use target::Target;
/// Which articles go into the bundle.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only articles dated on or after this day.
    pub since: Option<NaiveDate>,
    /// Only articles dated on or before this day.
    pub until: Option<NaiveDate>,
    /// Only articles in one of these categories (any, when empty).
    pub categories: Vec<String>,
    /// Only articles by one of these authors (any, when empty).
    pub authors: Vec<String>,
    /// Only articles with one of these tags (any, when empty).
    pub tags: Vec<String>,
    /// At most this many articles (after ordering).
    pub limit: Option<usize>,
}

/// How sections are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    /// By source (the feed or site: the first author, else the URL's host).
    #[default]
    Source,
    /// By first category.
    Category,
    /// By publication day.
    Day,
    /// One section, untitled.
    None,
}

/// How the bundle is made.
#[derive(Debug, Clone, Default)]
pub struct BundleOptions {
    /// Which articles.
    pub selection: Selection,
    /// Sections.
    pub group_by: GroupBy,
    /// Newest articles first (default: oldest first).
    pub newest_first: bool,
    /// Book title (default: from the date range).
    pub title: Option<String>,
    /// Cover image file instead of the generated one.
    pub cover: Option<PathBuf>,
    /// At most this many articles per book.
    pub max_articles: Option<usize>,
    /// At most this many bytes per book.
    pub max_size: Option<u64>,
    /// New-only bundles: leave out what the bundles recorded in this state file held.
    pub state: Option<PathBuf>,
}

/// Reads `7d`, `today`, `yesterday`, `2022-02-14` or `2022/2/14` relative to `today`.
pub fn parse_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    match text {
        "today" => return Some(today),
        "yesterday" => return today.pred_opt(),
        _ => {}
    }
    if let Some(days) = text.strip_suffix('d').and_then(|n| n.parse::<u64>().ok()) {
        return today.checked_sub_days(chrono::Days::new(days));
    }
    let parts: Vec<u32> = text
        .split(['-', '/'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [y, m, d] => NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d),
        _ => None,
    }
}

/// Reads `50MB`, `1.5GB`, `700KiB` or a plain number of bytes.
pub fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = number * factor;
    (bytes >= 1.0).then_some(bytes as u64)
}

/// Makes one book (or several, when split) of the articles in `inputs`.
pub fn bundle(
    inputs: &[PathBuf],
    output: &Path,
    writer: &dyn Writer,
    session: &Session,
    bulk: &BulkOptions,
    how: &BundleOptions,
    observer: &dyn Observer,
) -> Result<Summary> {
    let started = Instant::now();
    let tally = Tally::new(observer);
    let (articles, mut assets) = read_all(inputs, writer, session, bulk, &tally)?;
    // New-only bundles (--state, src/bulk/state.rs): drop what earlier books held.
    let mut state = super::state::NewOnly::open(how.state.as_deref())?;
    let articles = select(state.keep_new(articles, |held| &held.seen), how);
    state.note(articles.iter().map(|held| &held.seen));
    let articles: Vec<PackedArticle> = articles.into_iter().map(|held| held.article).collect();
    let mut summary = Summary::default();
    if articles.is_empty() {
        let reason = "no article matched; nothing written".into();
        tally.fail(output.display().to_string(), reason, &[]);
    } else {
        let books = split_by_count(articles, how.max_articles);
        let to = Target::new(output, writer, session, how);
        let mut rendered = Vec::new();
        for book in books {
            to.render_within_size(book, &mut assets, &mut rendered)?;
        }
        // Named only now that every book is complete (their names depend
        // on how many there are).
        let count = rendered.len();
        for (i, (file, n, warnings)) in rendered.into_iter().enumerate() {
            let path = numbered(output, i + 1, count);
            file.persist(&path)?;
            tally.book(&Book {
                output: &path,
                articles: n,
                warnings: &warnings,
            });
            summary.converted += n;
            summary.outputs.push(path.display().to_string());
        }
        // Only now that every book is complete (--state).
        state.save()?;
    }
    summary.failures = tally.into_failures();
    summary.failed = summary.failures.len();
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// An article as a bundle holds it until the book is written: its
/// metadata (all that selecting, ordering and sectioning read), the keys
/// that find copies, and its body packed (see [`crate::model::packed`]),
/// so a bundle of thousands of articles does not hold their trees.
struct Held {
    /// Hash of the title and body text: copies within this run.
    copy_key: u64,
    /// What earlier bundles recorded (--state).
    seen: Seen,
    article: PackedArticle,
}

impl Held {
    fn new(doc: Document) -> Held {
        let key = (doc.meta.title.clone(), blocks_text(&doc.blocks));
        Held {
            copy_key: super::fnv1a(format!("{key:?}").as_bytes()),
            seen: key_of(&doc),
            article: PackedArticle::pack(doc),
        }
    }

    fn meta(&self) -> &Metadata {
        &self.article.meta
    }
}

/// An article's display name (file or archive member) and its document.
type Named = (String, Document);

/// A held article with its display name, which orders the inputs.
type NamedHeld = (String, Held);

/// Reads every article in parallel and packs it ([`Held`]), with the pictures
/// `writer` embeds (each article's from its own folder), telling `tally`
/// of each article (its warnings, or its failure).
fn read_all(
    inputs: &[PathBuf],
    writer: &dyn Writer,
    session: &Session,
    bulk: &BulkOptions,
    tally: &Tally<'_>,
) -> Result<(Vec<Held>, Assets)> {
    let filter = Filter::new(&bulk.include, &bulk.exclude).map_err(|message| Error::Rules {
        path: "--include/--exclude".into(),
        message,
    })?;
    let documents = Mutex::new(Vec::new());
    // Pictures go to a temporary file as they are read (assets::spool).
    let assets = Mutex::new(Assets::spooled());
    let wanted = |c: &Candidate<'_>| Ok(bulk.shard.is_none_or(|s| s.contains(c.rel_path)));
    run_pool(bulk.jobs, inputs, &filter, &wanted, tally, |article| {
        let mut warnings = Warnings::new();
        let root = article.file.as_deref().and_then(Path::parent);
        match read_articles(&article, session, &mut warnings) {
            Ok(docs) => {
                for (name, mut doc) in docs {
                    absolutize_local_images(&mut doc, root);
                    if writer.embeds_images() {
                        let mut mine = Assets::default();
                        let in_table = |src: &str| lock(&assets).holds(src);
                        mine.resolve_new(&doc, root, session, &mut warnings, &in_table);
                        lock(&assets).extend(mine);
                    }
                    // Packed here, in parallel, before the next article is read.
                    let held = Held::new(doc);
                    lock(&documents).push((name, held))
                }
                tally.done(&article.name, None, warnings.items());
            }
            Err(e) => tally.fail(article.name, e.to_string(), warnings.items()),
        }
    })?;
    let mut documents: Vec<NamedHeld> = documents.into_inner().unwrap_or_else(|e| e.into_inner());
    // Input order first, so ties in date keep a stable order whatever the threads did.
    documents.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((
        documents.into_iter().map(|(_, held)| held).collect(),
        assets.into_inner().unwrap_or_else(|e| e.into_inner()),
    ))
}

/// The documents of one input: the article, or each entry of a feed
/// (named `feed.xml#0001`, `#0002`… in feed order).
fn read_articles(
    article: &super::Article,
    session: &Session,
    warnings: &mut Warnings,
) -> Result<Vec<Named>> {
    let hint = Some(article.rel_path.as_path());
    Ok(
        match crate::read::read_input(&article.bytes, hint, session, warnings)? {
            crate::read::Input::Article(doc) => vec![(article.name.clone(), doc)],
            crate::read::Input::Feed(entries) => entries
                .into_iter()
                .enumerate()
                .map(|(i, doc)| (format!("{}#{:04}", article.name, i + 1), doc))
                .collect(),
        },
    )
}

/// One feed as one book (`conv feed.xml -o feed.epub`): its entries oldest
/// first in one untitled section, titled with the feed's title.
pub fn feed_book(entries: Vec<Document>, writer: &dyn Writer) -> Result<PackedBundle> {
    if entries.is_empty() {
        return Err(Error::Feed("the feed has no entries".into()));
    }
    let title = entries.iter().find_map(|d| {
        let t = d.meta.extra.get("feed_title")?.as_str()?.trim();
        (!t.is_empty()).then(|| t.to_string())
    });
    let how = BundleOptions {
        title,
        group_by: GroupBy::None,
        ..BundleOptions::default()
    };
    let held = entries.into_iter().map(Held::new).collect();
    let articles: Vec<PackedArticle> = select(held, &how)
        .into_iter()
        .map(|held| held.article)
        .collect();
    let (count, range) = (articles.len(), date_range(&articles));
    let mut bundle = make_bundle(articles, &range, &how);
    if writer.shows_cover() {
        bundle.meta.cover = generated_cover(&bundle, &range, count, None);
    }
    Ok(bundle)
}

/// In a bundle every article has its own folder: make its relative image
/// paths absolute so they still resolve inside the one book.
fn absolutize_local_images(doc: &mut Document, base: Option<&Path>) {
    let Some(base) = base else { return };
    crate::model::for_each_image_mut(&mut doc.blocks, &mut |image| {
        let src = &image.src;
        if !src.contains("://") && !src.starts_with("data:") && !Path::new(src).is_absolute() {
            image.src = base.join(src).display().to_string();
        }
    });
}

fn day_of(meta: &Metadata) -> Option<NaiveDate> {
    let iso = meta.date.as_ref()?.iso.as_deref()?;
    NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok()
}

fn matches_any(wanted: &[String], have: &[String]) -> bool {
    wanted.is_empty()
        || wanted
            .iter()
            .any(|w| have.iter().any(|h| h.eq_ignore_ascii_case(w)))
}

/// Filters, de-duplicates (same title and body) and orders the articles.
fn select(articles: Vec<Held>, how: &BundleOptions) -> Vec<Held> {
    let s = &how.selection;
    let mut seen = HashSet::new();
    let mut kept: Vec<Held> = articles
        .into_iter()
        .filter(|held| {
            let meta = held.meta();
            let day = day_of(meta);
            s.since.is_none_or(|since| day.is_some_and(|d| d >= since))
                && s.until.is_none_or(|until| day.is_some_and(|d| d <= until))
                && matches_any(&s.categories, &meta.categories)
                && matches_any(&s.authors, &meta.authors)
                && matches_any(&s.tags, &meta.tags)
        })
        .filter(|held| seen.insert(held.copy_key))
        .collect();
    // Undated articles go last either way.
    kept.sort_by(|a, b| {
        let (da, db) = (date_key(a.meta()), date_key(b.meta()));
        match (da, db) {
            (Some(x), Some(y)) if how.newest_first => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    if let Some(limit) = s.limit {
        kept.truncate(limit);
    }
    kept
}

fn date_key(meta: &Metadata) -> Option<String> {
    meta.date.as_ref().and_then(|d| d.iso.clone())
}

fn split_by_count(articles: Vec<PackedArticle>, max: Option<usize>) -> Vec<Vec<PackedArticle>> {
    let max = max.unwrap_or(usize::MAX).max(1);
    let mut books = Vec::new();
    let mut rest = articles.into_iter().peekable();
    while rest.peek().is_some() {
        books.push(rest.by_ref().take(max).collect());
    }
    books
}

/// The section an article goes into, named in the book's language where
/// the name is furniture ("其他" for articles of no source or category, a
/// day as "2022年2月14日").
fn section_key(meta: &Metadata, group_by: GroupBy, words: Words) -> String {
    match group_by {
        GroupBy::Source => meta
            .authors
            .first()
            .cloned()
            .or_else(|| {
                let url = url::Url::parse(meta.source_url.as_deref()?).ok()?;
                url.host_str().map(str::to_string)
            })
            .unwrap_or_else(|| words.other().into()),
        GroupBy::Category => meta
            .categories
            .first()
            .cloned()
            .unwrap_or_else(|| words.other().into()),
        GroupBy::Day => day_of(meta).map_or_else(|| words.undated().into(), |d| words.day(d)),
        GroupBy::None => String::new(),
    }
}

/// Groups ordered articles into sections. Sections appear in the order of
/// their first article, so a date-ordered bundle reads in date order.
fn make_bundle(articles: Vec<PackedArticle>, range: &str, how: &BundleOptions) -> PackedBundle {
    let last = articles.iter().filter_map(|d| day_of(&d.meta)).max();
    let count = articles.len();
    let language = majority_language(&articles);
    let words = Words::of(language.as_deref());
    let authors = match words.sources(&sources(&articles)) {
        named if named.is_empty() => Vec::new(),
        named => vec![named],
    };
    let mut order: Vec<String> = Vec::new();
    let mut sections: BTreeMap<String, Vec<PackedArticle>> = BTreeMap::new();
    for doc in articles {
        let key = section_key(&doc.meta, how.group_by, words);
        if !sections.contains_key(&key) {
            order.push(key.clone());
        }
        sections.entry(key).or_default().push(doc);
    }
    let meta = Metadata {
        title: Some(bundle_title(range, words, how)),
        authors,
        date: last.map(|d| DateValue {
            raw: d.to_string(),
            iso: Some(d.to_string()),
        }),
        language,
        // The user's own file, so its folder is where it may be read from.
        cover: how.cover.as_ref().map(|p| {
            p.canonicalize()
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string()
        }),
        description: Some(words.description(range, count)),
        ..Metadata::default()
    };
    PackedBundle {
        meta,
        sections: order
            .into_iter()
            .map(|title| PackedSection {
                articles: sections.remove(&title).unwrap_or_default(),
                title,
            })
            .collect(),
    }
}

/// `news.epub` for a single book; `news-1.epub`, `news-2.epub`… when split.
fn numbered(output: &Path, n: usize, count: usize) -> PathBuf {
    if count <= 1 {
        return output.to_path_buf();
    }
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("bundle");
    let name = match output.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{stem}-{n}.{ext}"),
        None => format!("{stem}-{n}"),
    };
    output.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_sizes_parse() {
        let today = NaiveDate::from_ymd_opt(2022, 2, 14).unwrap();
        assert_eq!(parse_day("today", today), Some(today));
        assert_eq!(parse_day("7d", today), NaiveDate::from_ymd_opt(2022, 2, 7));
        assert_eq!(
            parse_day("2021/3/8", today),
            NaiveDate::from_ymd_opt(2021, 3, 8)
        );
        assert_eq!(parse_day("soon", today), None);
        assert_eq!(parse_size("50MB"), Some(50_000_000));
        assert_eq!(parse_size("1.5 GiB"), Some(1_610_612_736));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("MB"), None);
    }

    #[test]
    fn split_names_are_numbered() {
        assert_eq!(
            numbered(Path::new("o/news.epub"), 1, 1),
            PathBuf::from("o/news.epub")
        );
        assert_eq!(
            numbered(Path::new("o/news.epub"), 2, 3),
            PathBuf::from("o/news-2.epub")
        );
    }
}
