//! A fast reader for the small YAML subset nearly all front matter uses:
//! top-level `key: scalar` lines and `key:` followed by `- scalar` items.
//!
//! The full YAML parser costs tens of microseconds for a ten-line block,
//! which is most of the time needed to read a short article. This reader
//! gives exactly what the full parser gives for the subset, and answers
//! `None` ("not mine") for anything else: flow collections, block scalars,
//! nested mappings, anchors, tags, escapes, comments after values, tabs,
//! floats and non-decimal numbers, duplicate keys. The caller then uses the
//! full parser. A differential test pins the equivalence.

use serde_json::{Map, Value};

/// Reads `raw` if it is in the subset; `None` otherwise.
pub fn parse(raw: &str) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    // The key whose `- item` lines are being read, their indentation, items.
    let mut list: Option<(String, Option<usize>, Vec<Value>)> = None;
    for line in raw.lines() {
        if line.contains('\t') {
            return None;
        }
        let t = line.trim_start();
        if t.is_empty() || (t.starts_with('#') && list.is_none()) {
            continue;
        }
        if t.starts_with('-') {
            let item = if t == "-" {
                Some("")
            } else {
                t.strip_prefix("- ")
            };
            let (_, indent, items) = list.as_mut()?;
            let width = line.len() - t.len();
            if *indent.get_or_insert(width) != width {
                return None;
            }
            items.push(scalar(item?.trim())?);
            continue;
        }
        if line.starts_with(' ') {
            return None;
        }
        finish(&mut list, &mut map)?;
        let (key, rest) = line.split_once(':')?;
        if !valid_key(key) || !(rest.is_empty() || rest.starts_with(' ')) || map.contains_key(key) {
            return None;
        }
        let value = rest.trim();
        if value.is_empty() {
            list = Some((key.to_string(), None, Vec::new()));
        } else {
            map.insert(key.to_string(), scalar(value)?);
        }
    }
    finish(&mut list, &mut map)?;
    Some(map)
}

/// Stores the list being read (null when it had no items).
fn finish(
    list: &mut Option<(String, Option<usize>, Vec<Value>)>,
    map: &mut Map<String, Value>,
) -> Option<()> {
    if let Some((key, _, items)) = list.take() {
        if map.contains_key(&key) {
            return None;
        }
        let value = if items.is_empty() {
            Value::Null
        } else {
            Value::Array(items)
        };
        map.insert(key, value);
    }
    Some(())
}

/// Keys that read the same as text: a letter or `_`, then letters, digits,
/// `_`, `-`; not a null word (whose key the full parser would make null).
fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(key, "null" | "Null" | "NULL")
}

/// A scalar in the subset, typed as the YAML 1.2 core schema types it.
fn scalar(s: &str) -> Option<Value> {
    match s.chars().next() {
        None => Some(Value::Null),
        Some('\'') => single_quoted(s).map(Value::String),
        Some('"') => {
            let inner = s.strip_prefix('"')?.strip_suffix('"')?;
            (!inner.contains(['"', '\\'])).then(|| Value::String(inner.to_string()))
        }
        Some(_) => plain(s),
    }
}

/// `'…'` with `''` standing for one quote; no other quote inside.
fn single_quoted(s: &str) -> Option<String> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// A plain scalar: null, boolean, decimal integer or string.
fn plain(s: &str) -> Option<Value> {
    let first = s.chars().next()?;
    let indicator = "[]{}&*!|>%@`,#".contains(first)
        || (matches!(first, '-' | '?' | ':') && (s.len() == 1 || s[1..].starts_with(' ')))
        || s.starts_with(['.', '+'])
        || s.starts_with("-.");
    if indicator || s.contains(" #") || s.contains(": ") || s.ends_with(':') {
        return None;
    }
    Some(match s {
        "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => return number_or_string(s),
    })
}

/// Decimal integers become numbers; anything else that looks numeric
/// (floats, `0x…`, leading zeros) is left to the full parser.
fn number_or_string(s: &str) -> Option<Value> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if all_digits {
        if digits.len() > 1 && digits.starts_with('0') {
            return None;
        }
        return s.parse::<i64>().ok().map(Value::from);
    }
    let numeric = s.bytes().any(|b| b.is_ascii_digit()) && s.parse::<f64>().is_ok();
    let radix = ["0x", "0o", "0b", "-0x", "-0o", "-0b"]
        .iter()
        .any(|p| s.starts_with(p));
    if numeric || radix {
        return None;
    }
    Some(Value::String(s.to_string()))
}
