//! YAML front matter → a JSON-like map. The only module that names
//! `serde_yaml` (deprecated upstream), so swapping the YAML library touches
//! this file alone. Front matter in the common subset (see
//! [`super::simple_yaml`]) skips the full parser, which is slow.

use serde_json::{Map, Number, Value};

/// Why a YAML block could not be read: a message and the byte offset inside
/// the block where the parser stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Byte offset inside the block.
    pub offset: usize,
    /// The parser's message, without its own position suffix.
    pub message: String,
}

/// Parses a YAML block into a map. An empty block is an empty map; a block
/// whose top level is not a mapping is an error (the caller falls back to
/// the lenient reader).
pub fn parse(raw: &str) -> Result<Map<String, Value>, YamlError> {
    too_deep(raw)?;
    if let Some(map) = super::simple_yaml::parse(raw) {
        return Ok(map);
    }
    full(raw)
}

/// The full YAML parser (used for the subset too by the differential test).
pub fn full(raw: &str) -> Result<Map<String, Value>, YamlError> {
    let value: serde_yaml::Value = serde_yaml::from_str(raw).map_err(|e| YamlError {
        offset: e.location().map_or(0, |l| l.index()),
        message: strip_position(&e.to_string()),
    })?;
    match to_json(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError {
            offset: 0,
            message: format!("expected `key: value` lines, found a {}", kind_name(&other)),
        }),
    }
}

/// Deepest flow nesting (`[`, `{`) handed to the YAML parser. Front matter
/// never nests deeply, and the parser slows down badly on deep nesting
/// (100,000 `[` take tens of seconds before its own limit refuses them).
const MAX_FLOW_DEPTH: usize = 64;

/// Refuses text whose brackets nest deeper than [`MAX_FLOW_DEPTH`]. Quotes
/// are ignored: a bracket inside a string only makes the check stricter.
fn too_deep(raw: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for (offset, b) in raw.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err(YamlError {
                        offset,
                        message: format!("brackets nest deeper than {MAX_FLOW_DEPTH} levels"),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// serde_yaml appends " at line L column C"; the caller reports the file's
/// position instead.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// Converts a YAML value; mapping keys that are not strings are written out
/// (`2020: x` has key `"2020"`), tags are dropped, non-finite floats become
/// strings.
fn to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => number(&n),
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (key_string(k), to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(tagged.value),
    }
}

fn number(n: &serde_yaml::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::Number(i.into())
    } else if let Some(u) = n.as_u64() {
        Value::Number(u.into())
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(n.to_string()), Value::Number)
    }
}

fn key_string(key: serde_yaml::Value) -> String {
    match to_json(key) {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        let map = parse("title: 2020\n2021: x\ncomments: false\nt: !tag v\n").unwrap();
        assert_eq!(map["title"], Value::from(2020));
        assert_eq!(map["2021"], Value::from("x"));
        assert_eq!(map["comments"], Value::Bool(false));
        assert_eq!(map["t"], Value::from("v"));
    }

    #[test]
    fn errors_carry_offsets() {
        let err = parse("a: 1\nb: \"x\" y\n").unwrap_err();
        assert!(err.offset >= 5, "{err:?}");
        // Offsets are bytes, also after multi-byte characters.
        let raw = "a: 中文中文\nb: \"x\" y\n";
        assert_eq!(&raw[parse(raw).unwrap_err().offset..][..1], "y");
        assert!(!err.message.contains(" at line "));
        assert!(parse("just text").is_err());
        assert!(parse("").unwrap().is_empty());
        let deep = format!("a: {}", "[".repeat(100_000));
        assert!(parse(&deep).unwrap_err().message.contains("deeper"));
    }
}
