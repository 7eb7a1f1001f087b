//! YAML front matter → a JSON-like map. The only module that names
//! `serde_yaml` (deprecated upstream), so swapping the YAML library touches
//! this file alone. Front matter in the common subset (see
//! [`super::simple_yaml`]) skips the full parser, which is slow.

use std::cell::Cell;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
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
/// The value is built under a [`Budget`]: aliases replay their anchor's
/// events, so a few hundred bytes of nested aliases would expand to
/// billions of values (the "billion laughs"); past the budget the block is
/// refused (and the caller reads it leniently).
pub fn full(raw: &str) -> Result<Map<String, Value>, YamlError> {
    let budget = Budget::default();
    let seed = Node {
        budget: &budget,
        depth: 0,
    };
    let value = seed
        .deserialize(serde_yaml::Deserializer::from_str(raw))
        .map_err(|e| YamlError {
            offset: e.location().map_or(0, |l| l.index()),
            message: strip_position(&e.to_string()),
        })?;
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(YamlError {
            offset: 0,
            message: format!("expected `key: value` lines, found a {}", kind_name(&other)),
        }),
    }
}

/// Most values a front-matter block may expand to (aliases included).
pub const MAX_VALUES: usize = 100_000;
/// Most bytes of text a front-matter block may expand to.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting of lists and mappings.
pub const MAX_DEPTH: usize = 64;

/// What building one block's value may still spend.
#[derive(Default)]
struct Budget {
    values: Cell<usize>,
    bytes: Cell<usize>,
}

impl Budget {
    fn spend<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        self.values.set(self.values.get() + 1);
        self.bytes.set(self.bytes.get().saturating_add(bytes));
        if self.values.get() > MAX_VALUES {
            return Err(E::custom(format!(
                "front matter expands to more than {MAX_VALUES} values (aliases?)"
            )));
        }
        if self.bytes.get() > MAX_TEXT_BYTES {
            return Err(E::custom(format!(
                "front matter expands to more than {} MiB of text (aliases?)",
                MAX_TEXT_BYTES >> 20
            )));
        }
        Ok(())
    }
}

/// One YAML node as a JSON value: mapping keys that are not strings are
/// written out (`2020: x` has key `"2020"`), tags are dropped, non-finite
/// floats become strings.
#[derive(Clone, Copy)]
struct Node<'b> {
    budget: &'b Budget,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl Node<'_> {
    fn child<E: de::Error>(self) -> Result<Self, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "front matter nests deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(Node {
            depth: self.depth + 1,
            ..self
        })
    }

    fn leaf<E: de::Error>(self, value: Value) -> Result<Value, E> {
        let bytes = match &value {
            Value::String(s) => s.len(),
            _ => 8,
        };
        self.budget.spend(bytes)?;
        Ok(value)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.leaf(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.leaf(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.leaf(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        let value = Number::from_f64(v).map_or_else(
            || {
                let text = if v.is_nan() {
                    ".nan"
                } else if v > 0.0 {
                    ".inf"
                } else {
                    "-.inf"
                };
                Value::String(text.into())
            },
            Value::Number,
        );
        self.leaf(value)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.leaf(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.leaf(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.leaf(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.leaf(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.budget.spend(8)?;
        let child = self.child()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.budget.spend(8)?;
        let child = self.child()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(child)? {
            let value = map.next_value_seed(child)?;
            out.insert(key_string(key), value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged node (`!tag value`): the tag is dropped.
        let (_tag, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
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

fn key_string(key: Value) -> String {
    match key {
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

    /// Issue 9: nested aliases (the "billion laughs") expanded without
    /// limit; a 700 KB front matter passed 8 GB.
    #[test]
    fn yaml_alias_bomb_is_refused() {
        let mut raw = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            raw.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = full(&raw).unwrap_err();
        assert!(err.message.contains("more than"), "{err:?}");
        // A long string repeated through aliases is bounded by its bytes.
        let long = "x".repeat(1 << 20);
        let raw = format!("s: &s {long}\nt: [{}]\n", vec!["*s"; 40].join(", "));
        assert!(full(&raw).unwrap_err().message.contains("MiB"));
        // Ordinary aliases still work.
        let map = full("t: &x a\nu: *x\n").unwrap();
        assert_eq!(map["u"], Value::from("a"));
    }

    #[test]
    fn yaml_deep_block_nesting_is_refused() {
        let mut raw = String::new();
        for depth in 0..200 {
            raw.push_str(&" ".repeat(depth));
            raw.push_str("k:\n");
        }
        assert!(full(&raw).is_err());
    }

    #[test]
    fn special_floats_and_tags() {
        let map = full("a: .inf\nb: -.inf\nc: .nan\nt: !tag v\nn: !!str 12\n").unwrap();
        assert_eq!(map["a"], Value::from(".inf"));
        assert_eq!(map["b"], Value::from("-.inf"));
        assert_eq!(map["c"], Value::from(".nan"));
        assert_eq!(map["t"], Value::from("v"));
    }
}
