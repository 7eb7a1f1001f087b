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
    match front.kind {
        Kind::Yaml => Ok(yaml::parse(front.raw).unwrap_or_else(|e| {
            let (line, column) = line_column(text, front.offset + e.offset);
            warnings.push_at(
                front.offset + e.offset,
                format!(
                    "front matter is not valid YAML (line {line}, column {column}: {}); read leniently as key: value lines",
                    e.message
                ),
            );
            lenient::parse(front.raw)
        })),
        Kind::Toml => {
            let table: toml::Table = toml::from_str(front.raw).map_err(|e| {
                let inner = e.span().map_or(0, |s| s.start);
                at(inner, one_line(e.message()))
            })?;
            Ok(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
        Kind::Json => parse_json(front.raw).map_err(|(inner, msg)| at(inner, msg)),
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
        date: fields.take_first(&["date"]).and_then(|v| date(&v)),
        updated: fields
            .take_first(&["updated", "lastmod", "modified"])
            .and_then(|v| date(&v)),
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
    meta.title = meta.title.filter(|t| !t.is_empty());
    meta.extra = fields.0.into_iter().collect();
    meta
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

    #[test]
    fn line_column_to_offset() {
        assert_eq!(offset_of_line_column("ab\ncd", 2, 2), 4);
        assert_eq!(offset_of_line_column("ab\n中d", 2, 2), 6);
    }
}
