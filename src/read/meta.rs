//! Front matter → [`Metadata`]: parse the block (YAML, TOML, JSON), then
//! normalise the keys articles use into typed fields; every other key is
//! kept verbatim in `extra`.
//!
//! Keys are matched case-insensitively:
//! - title: `title` (folded to one line; numbers become text);
//! - authors: `author`, `authors` (string, list, or `{name: …}`);
//! - date: `date`; updated: `updated`, `lastmod`, `modified` (raw text
//!   kept, ISO 8601 added when understood; 1970 dates are the epoch bug and
//!   get no ISO form);
//! - categories: `categories`, `category`; tags: `tags`, `tag` (string or
//!   list; Hexo's nested lists flattened in order; empty entries dropped);
//! - cover: first non-empty of `cover`, `headimg`, `thumbnail`, `image`,
//!   `banner_img` (the others stay in `extra` unless empty or the same);
//! - language: `lang`, `language`;
//! - source URL: first absolute URL among `link`, `url`, `source`, `permalink`;
//! - description: `description`, `excerpt`, `summary`.
//!
//! A date whose year is outside 1–9999 stays in `extra` under its key (with
//! a warning from [`parse_fields`]) instead of becoming a typed date no book
//! format can carry. A title with HTML character references
//! (`js中__、&#123;&#125;、()的区别`, as scrapers escape them) is decoded.
//! Control characters (C0 but tab and line ends, DEL, C1) are removed from
//! every string, typed or in `extra`: they are invalid in XML and would be
//! echoed raw to a terminal.

use serde_json::{Map, Value};

use super::frontmatter::{FrontMatter, Kind};
use super::{dates, lenient, yaml};
use crate::diag::{line_column, Warnings};
use crate::error::{Error, Result};
use crate::model::{DateValue, Metadata};

/// Parses a front-matter block of the whole `text` into a map. YAML that is
/// not valid falls back to the lenient reader with a warning; TOML and JSON
/// errors are fatal and give the line:column in the file.
pub fn parse_fields(
    front: &FrontMatter<'_>,
    text: &str,
    warnings: &mut Warnings,
) -> Result<Map<String, Value>> {
    let at = |inner: usize, message: String| {
        let (line, column) = line_column(text, front.offset + inner);
        Error::FrontMatter {
            format: front.kind.name(),
            line,
            column,
            message,
        }
    };
    let map = match front.kind {
        Kind::Yaml => yaml::parse(front.raw).unwrap_or_else(|e| {
            let (line, column) = line_column(text, front.offset + e.offset);
            warnings.push_at(
                front.offset + e.offset,
                format!(
                    "front matter is not valid YAML (line {line}, column {column}: {}); read leniently as key: value lines",
                    e.message
                ),
            );
            lenient::parse(front.raw)
        }),
        Kind::Toml => {
            let table: toml::Table = toml::from_str(front.raw).map_err(|e| {
                let inner = e.span().map_or(0, |s| s.start);
                at(inner, one_line(e.message()))
            })?;
            table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()
        }
        Kind::Json => parse_json(front.raw).map_err(|(inner, msg)| at(inner, msg))?,
    };
    warn_unusable_dates(&map, front.offset, warnings);
    Ok(map)
}

/// The date keys [`normalise`] reads.
const DATE_KEYS: &[&str] = &["date", "updated", "lastmod", "modified"];

/// One warning per date key whose value parses to a year no book can carry.
fn warn_unusable_dates(map: &Map<String, Value>, offset: usize, warnings: &mut Warnings) {
    for (key, value) in map {
        if !DATE_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            continue;
        }
        let Some(raw) = scalar(value) else { continue };
        if let Some(why) = dates::problem(&raw) {
            warnings.push_at(
                offset,
                format!(
                    "front matter `{key}: {}` is not a usable date ({why}); kept as an extra field",
                    without_controls(raw.trim())
                ),
            );
        }
    }
}

/// JSON front matter, with or without its enclosing braces (Hexo writes
/// `"key": value` lines ended by `;;;`).
fn parse_json(raw: &str) -> std::result::Result<Map<String, Value>, (usize, String)> {
    let braced = raw.trim_start().starts_with('{');
    let owned;
    let (source, shift) = if braced {
        (raw, 0)
    } else {
        owned = format!("{{{raw}}}");
        (owned.as_str(), 1)
    };
    serde_json::from_str(source).map_err(|e| {
        let offset = offset_of_line_column(source, e.line(), e.column());
        let message = e.to_string();
        let message = message
            .find(" at line ")
            .map_or(message.clone(), |i| message[..i].to_string());
        (offset.saturating_sub(shift).min(raw.len()), message)
    })
}

/// Byte offset of a 1-based line and (character) column.
fn offset_of_line_column(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            let col = l
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(l.len(), |(i, _)| i);
            return offset + col;
        }
        offset += l.len();
    }
    text.len()
}

/// A multi-line parser message on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

const COVER_KEYS: &[&str] = &["cover", "headimg", "thumbnail", "image", "banner_img"];
const SOURCE_KEYS: &[&str] = &["link", "url", "source", "permalink"];

/// Normalises a parsed front-matter map into [`Metadata`].
pub fn normalise(map: Map<String, Value>) -> Metadata {
    let mut fields = Fields(map);
    let mut meta = Metadata {
        title: fields
            .take_first(&["title"])
            .and_then(|v| scalar(&v))
            .map(|s| fold(&s)),
        authors: fields
            .take_all(&["author", "authors"])
            .iter()
            .flat_map(names)
            .collect(),
        date: fields.take_date(&DATE_KEYS[..1]),
        updated: fields.take_date(&DATE_KEYS[1..]),
        categories: flat_list(&fields.take_all(&["categories", "category"])),
        tags: flat_list(&fields.take_all(&["tags", "tag"])),
        language: fields
            .take_first(&["lang", "language"])
            .and_then(|v| scalar(&v))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        description: fields
            .take_first(&["description", "excerpt", "summary"])
            .and_then(|v| scalar(&v))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        ..Metadata::default()
    };
    meta.cover = fields.cover();
    meta.source_url = fields.source_url();
    meta.title = meta.title.map(|t| decode_title(&t));
    meta.extra = fields.0.into_iter().collect();
    strip_controls(&mut meta);
    meta.title = meta.title.filter(|t| !t.is_empty());
    meta
}

/// A title with its character references decoded, when it has any
/// (scrapers store `&#123;` for `{`); folded to one line again after.
fn decode_title(title: &str) -> String {
    if !title.contains('&') {
        return title.to_string();
    }
    fold(&super::html::entities::decode(title, false))
}

/// `s` without control characters (tab and line ends aside).
fn without_controls(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if s.contains(bad) {
        s.replace(bad, "").into()
    } else {
        s.into()
    }
}

fn clean(s: &mut String) {
    if let std::borrow::Cow::Owned(cleaned) = without_controls(s) {
        *s = cleaned;
    }
}

fn clean_value(v: &mut Value) {
    match v {
        Value::String(s) => clean(s),
        Value::Array(items) => items.iter_mut().for_each(clean_value),
        Value::Object(map) => {
            let dirty = map
                .keys()
                .any(|k| matches!(without_controls(k), std::borrow::Cow::Owned(_)));
            if dirty {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (without_controls(&k).into_owned(), v))
                    .collect();
            }
            map.values_mut().for_each(clean_value);
        }
        _ => {}
    }
}

/// Removes control characters from every string of the metadata.
fn strip_controls(meta: &mut Metadata) {
    let Metadata {
        title,
        authors,
        date,
        updated,
        categories,
        tags,
        cover,
        language,
        source_url,
        description,
        extra,
    } = meta;
    for s in [title, cover, language, source_url, description]
        .into_iter()
        .flatten()
    {
        clean(s);
    }
    for s in authors
        .iter_mut()
        .chain(categories.iter_mut())
        .chain(tags.iter_mut())
    {
        clean(s);
    }
    for d in [date, updated].into_iter().flatten() {
        clean(&mut d.raw);
    }
    authors.retain(|s| !s.is_empty());
    categories.retain(|s| !s.is_empty());
    tags.retain(|s| !s.is_empty());
    let mut object = Value::Object(std::mem::take(extra).into_iter().collect());
    clean_value(&mut object);
    if let Value::Object(map) = object {
        *extra = map.into_iter().collect();
    }
}

/// The remaining front-matter keys.
struct Fields(Map<String, Value>);

impl Fields {
    /// The stored key matching `name` case-insensitively.
    fn key(&self, name: &str) -> Option<String> {
        self.0
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// Removes every key of `names` and returns the first one found.
    fn take_first(&mut self, names: &[&str]) -> Option<Value> {
        self.take_all(names).into_iter().next()
    }

    /// Removes every key of `names`, returning their values in that order.
    fn take_all(&mut self, names: &[&str]) -> Vec<Value> {
        let keys: Vec<String> = names.iter().filter_map(|n| self.key(n)).collect();
        keys.iter().filter_map(|k| self.0.remove(k)).collect()
    }

    /// The date of the first key of `names` (all of them removed); a date
    /// with an unusable year goes back under its key, to `extra`.
    fn take_date(&mut self, names: &[&str]) -> Option<DateValue> {
        let key = names.iter().find_map(|n| self.key(n))?;
        let value = self.take_first(names)?;
        let raw = scalar(&value).unwrap_or_default();
        if dates::problem(&raw).is_some() {
            self.0.insert(key, value);
            return None;
        }
        date(&value)
    }

    /// First non-empty cover key; other cover keys stay unless empty or equal.
    fn cover(&mut self) -> Option<String> {
        // Empty cover keys (`thumbnail:` with nothing) say nothing: drop them.
        for name in COVER_KEYS {
            if let Some(key) = self.key(name) {
                let empty = match self.0.get(&key) {
                    Some(Value::Null) => true,
                    Some(Value::String(s)) => s.trim().is_empty(),
                    _ => false,
                };
                if empty {
                    self.0.remove(&key);
                }
            }
        }
        let chosen = COVER_KEYS.iter().find_map(|name| {
            let key = self.key(name)?;
            let url = first_string(self.0.get(&key)?)?;
            Some((key, url))
        });
        let (key, url) = chosen?;
        self.0.remove(&key);
        for name in COVER_KEYS {
            if let Some(other) = self.key(name) {
                let same = self
                    .0
                    .get(&other)
                    .and_then(first_string)
                    .is_some_and(|u| u == url);
                if same {
                    self.0.remove(&other);
                }
            }
        }
        Some(url)
    }

    /// First source key whose value is an absolute URL; it is removed.
    fn source_url(&mut self) -> Option<String> {
        SOURCE_KEYS.iter().find_map(|name| {
            let key = self.key(name)?;
            let url = scalar(self.0.get(&key)?)?.trim().to_string();
            let absolute = url::Url::parse(&url).is_ok_and(|u| u.has_host());
            absolute.then(|| {
                self.0.remove(&key);
                url
            })
        })
    }
}

/// A scalar as text (`2020` → "2020"); lists give their first scalar.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => items.iter().find_map(scalar),
        Value::Null | Value::Object(_) => None,
    }
}

/// The first non-blank string of a value (for URLs).
fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(items) => items.iter().find_map(first_string),
        _ => None,
    }
}

/// Whitespace runs (newlines included) folded to one space, trimmed.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Author names from a string, a list, or objects with a `name`.
fn names(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(names).collect(),
        Value::Object(o) => o.get("name").map(names).unwrap_or_default(),
        other => scalar(other)
            .map(|s| fold(&s))
            .filter(|s| !s.is_empty())
            .into_iter()
            .collect(),
    }
}

/// Strings of a value, nested lists flattened in order, empties dropped.
fn flat_list(values: &[Value]) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            other => {
                if let Some(s) = scalar(other).map(|s| fold(&s)).filter(|s| !s.is_empty()) {
                    out.push(s);
                }
            }
        }
    }
    let mut out = Vec::new();
    values.iter().for_each(|v| walk(v, &mut out));
    out
}

/// A date value: the raw text and, when understood, ISO 8601. A date in
/// 1970 is the scrapers' epoch bug (a zero or a seconds/milliseconds
/// mix-up: `Mon, 19 Jan 1970 10:51:32 GMT`), not a publication date: it is
/// kept raw, without an ISO form, so nothing sorts or stamps by it.
fn date(v: &Value) -> Option<DateValue> {
    let raw = scalar(v)?.trim().to_string();
    if raw.is_empty() {
        return None;
    }
    let iso = dates::to_iso(&raw).filter(|iso| !iso.starts_with("1970-"));
    Some(DateValue { iso, raw })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_offsets_account_for_added_braces() {
        let (offset, _) = parse_json("\"a\": 1,\n\"b\": x\n").unwrap_err();
        assert_eq!(&"\"a\": 1,\n\"b\": x\n"[offset..offset + 1], "x");
    }

    fn meta_of(pairs: Value) -> Metadata {
        let Value::Object(map) = pairs else { panic!() };
        normalise(map)
    }

    /// Issue 12: "js中__、&#123;&#125;、()的区别" kept its references in the
    /// heading, the running header, the outline and `dc:title`.
    #[test]
    fn html_entities_in_front_matter_title_are_decoded() {
        let meta = meta_of(serde_json::json!({"title": "js中__、&#123;&#125;、()的区别"}));
        assert_eq!(meta.title.as_deref(), Some("js中__、{}、()的区别"));
        let meta = meta_of(serde_json::json!({"title": "Tom &amp; Jerry & friends"}));
        assert_eq!(meta.title.as_deref(), Some("Tom & Jerry & friends"));
    }

    /// Issue 9: control characters from front matter reached the model and
    /// the terminal.
    #[test]
    fn control_characters_in_front_matter_are_removed() {
        let meta = meta_of(serde_json::json!({
            "title": "a\u{1b}[31mred\u{7}",
            "tags": ["t\u{0}", "\u{9b}"],
            "author": "x\u{8}y",
            "date": "2020-01-01\u{1}",
            "custom\u{1b}": {"k": ["v\u{7f}", "line\nbreak"]},
        }));
        assert_eq!(meta.title.as_deref(), Some("a[31mred"));
        assert_eq!(meta.tags, ["t"]);
        assert_eq!(meta.authors, ["xy"]);
        assert_eq!(meta.date.unwrap().raw, "2020-01-01");
        assert_eq!(
            meta.extra["custom"],
            serde_json::json!({"k": ["v", "line\nbreak"]})
        );
    }

    /// Issue 9: `updated: -5000-01-01` and `date: 0000-01-01` reached the
    /// EPUB and made EPUBCheck fail.
    #[test]
    fn dates_with_years_outside_1_to_9999_stay_extra_fields() {
        let meta = meta_of(serde_json::json!({"date": "0000-01-01", "updated": "-5000-01-01"}));
        assert!(meta.date.is_none() && meta.updated.is_none());
        assert_eq!(meta.extra["date"], Value::from("0000-01-01"));
        assert_eq!(meta.extra["updated"], Value::from("-5000-01-01"));
        let meta = meta_of(serde_json::json!({"date": "2020-01-01"}));
        assert!(meta.date.is_some() && meta.extra.is_empty());
    }

    #[test]
    fn line_column_to_offset() {
        assert_eq!(offset_of_line_column("ab\ncd", 2, 2), 4);
        assert_eq!(offset_of_line_column("ab\n中d", 2, 2), 6);
    }
}
