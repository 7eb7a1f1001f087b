//! A forgiving `key: value` reader for front matter that is not valid YAML
//! (scrapers write titles like `"""""'Linus …'"""""` or leave quotes open).
//!
//! It understands what such front matter contains and nothing more:
//! - `key: value` lines (the value with any runs of enclosing quotes removed);
//! - `- item` lines after a `key:` line, making the value a list;
//! - a value that opens a quote and does not close it on its line continues
//!   on the following lines until one ends with that quote (lines joined by
//!   a space), and indented lines continue a plain value;
//! - `true`/`false` become booleans, an empty value is null; everything else
//!   stays a string (the normaliser parses dates and numbers itself).

use serde_json::{Map, Value};

/// Reads `raw` leniently. Lines that fit no rule are skipped; never fails.
pub fn parse(raw: &str) -> Map<String, Value> {
    let mut map = Map::new();
    let mut lines = raw.lines().peekable();
    while let Some(line) = lines.next() {
        let Some((key, value)) = split_key(line) else {
            continue;
        };
        let mut value = value.trim().to_string();
        if let Some(q) = open_quote(&value) {
            // Join continuation lines until the quote closes.
            while let Some(next) = lines.peek() {
                if split_key(next).is_some() && !next.starts_with([' ', '\t']) {
                    break;
                }
                let next = lines.next().unwrap_or_default().trim();
                value.push(' ');
                value.push_str(next);
                if next.ends_with(q) {
                    break;
                }
            }
        }
        if value.is_empty() {
            let items = list_items(&mut lines);
            if !items.is_empty() {
                map.insert(key.to_string(), Value::Array(items));
                continue;
            }
        }
        while let Some(next) = lines.peek() {
            let continues = next.starts_with([' ', '\t'])
                && !next.trim_start().starts_with("- ")
                && !next.trim().is_empty();
            if !continues || value.is_empty() {
                break;
            }
            value.push(' ');
            value.push_str(lines.next().unwrap_or_default().trim());
        }
        map.insert(key.to_string(), scalar(&value));
    }
    map
}

/// `key: rest` for a line starting with a key (no leading blank).
fn split_key(line: &str) -> Option<(&str, &str)> {
    if line.starts_with([' ', '\t', '-', '#']) {
        return None;
    }
    let (key, rest) = line.split_once(':')?;
    let key = key.trim();
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    (valid && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some((key, rest))
}

/// The quote a value opens without closing, if any.
fn open_quote(value: &str) -> Option<char> {
    let q = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let closed = value.len() > 1 && value.ends_with(q);
    (!closed).then_some(q)
}

/// `- item` lines (any indentation) following a `key:` line.
fn list_items<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Vec<Value> {
    let mut items = Vec::new();
    while let Some(next) = lines.peek() {
        let t = next.trim_start();
        let item = if t == "-" {
            Some("")
        } else {
            t.strip_prefix("- ")
        };
        match item {
            Some(item) => {
                items.push(scalar(item.trim()));
                lines.next();
            }
            None if t.is_empty() => {
                lines.next();
            }
            None => break,
        }
    }
    items
}

/// A value with its enclosing quotes stripped, as a JSON scalar.
fn scalar(value: &str) -> Value {
    let v = strip_quotes(value.trim());
    match v {
        "" | "~" | "null" if v.len() == value.trim().len() => Value::Null,
        "true" | "false" if v.len() == value.trim().len() => Value::Bool(v == "true"),
        _ => Value::String(v.trim().to_string()),
    }
}

/// Removes matching runs of quotes around a value (`"""'x'"""` → `x`), and
/// a lone unmatched opening quote.
pub fn strip_quotes(mut v: &str) -> &str {
    loop {
        let Some(q) = v.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return v;
        };
        if v.len() >= 2 && v.ends_with(q) {
            v = &v[1..v.len() - 1];
        } else if !v[1..].contains(q) {
            return &v[1..];
        } else {
            return v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_quote_runs() {
        let cases = [
            (r#""""""'Linus 5.12'""""""#, "Linus 5.12"),
            ("'a'", "a"),
            ("\"open", "open"),
            ("plain", "plain"),
            ("'x \"y\"'", "x \"y\""),
            ("\"\"", ""),
        ];
        for (input, want) in cases {
            assert_eq!(strip_quotes(input), want, "{input}");
        }
    }
}
