//! JSON text → `serde_json::Value`, noticing keys an object gives twice.
//!
//! `serde_json::from_str::<Value>` keeps the last of two equal keys without a word, and with it
//! goes whatever the first held (`"/pets"` twice loses that path's operations). This builds the
//! same tree in the same single pass, and records each repeated key with its pointer.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::yaml::Duplicate;
use crate::diag::escape_token;

/// Parses `text`, with the keys it repeats (the later value is kept, as JSON parsers do).
pub fn parse(text: &str) -> Result<(Value, Vec<Duplicate>), serde_json::Error> {
    let state = State { path: RefCell::new(Vec::new()), duplicates: RefCell::new(Vec::new()) };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    // The document's nesting is bounded by serde_json's own recursion limit (128).
    let value = Node(&state).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok((value, state.duplicates.into_inner()))
}

/// A step from the root: the key, moved in and back out (no copy), or the index.
enum Step {
    Key(String),
    Index(usize),
}

struct State {
    /// The steps from the root to the value being read.
    path: RefCell<Vec<Step>>,
    duplicates: RefCell<Vec<Duplicate>>,
}

impl State {
    fn pointer(&self, key: &str) -> String {
        let path = self.path.borrow();
        let mut out = String::from("#");
        let steps = path.iter().map(|step| match step {
            Step::Key(key) => escape_token(key),
            Step::Index(i) => i.to_string(),
        });
        for segment in steps.chain(std::iter::once(escape_token(key))) {
            out.push('/');
            out.push_str(&segment);
        }
        out
    }
}

#[derive(Clone, Copy)]
struct Node<'s>(&'s State);

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // Non-finite numbers cannot come from JSON text; `Null` would be serde_json's choice too.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            self.0.path.borrow_mut().push(Step::Index(items.len()));
            let item = seq.next_element_seed(self);
            self.0.path.borrow_mut().pop();
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            self.0.path.borrow_mut().push(Step::Key(key));
            let value = access.next_value_seed(self);
            let key = match self.0.path.borrow_mut().pop() {
                Some(Step::Key(key)) => key,
                _ => String::new(),
            };
            let value = value?;
            if map.contains_key(&key) {
                let pointer = self.0.pointer(&key);
                self.0.duplicates.borrow_mut().push(Duplicate {
                    message: format!(
                        "`{key}` is given twice in one object; the later one is used and the earlier ignored: \
                         remove one"
                    ),
                    pointer,
                });
            }
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_what_serde_json_builds_and_names_repeated_keys() {
        let text = r#"{"paths": {"/pets": {"get": {}}, "/a": [1, {"x": 1, "x": -2.5}], "/pets": {"post": null}}}"#;
        let (value, duplicates) = parse(text).expect("parses");
        let expected: Value = serde_json::from_str(text).expect("parses");
        assert_eq!(value, expected);
        let pointers: Vec<&str> = duplicates.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/paths/~1a/1/x", "#/paths/~1pets"]);
        assert!(parse("{} trailing").is_err());
        assert!(parse(&"[".repeat(10_000)).is_err());
    }
}
