//! YAML text → `serde_json::Value`, with saphyr-parser's event stream.
//!
//! The conversion is ours rather than a serde bridge because OpenAPI documents written in YAML
//! have integer mapping keys (`200:` under `responses`) that a JSON tree must hold as strings,
//! and aliases that must be expanded. Scalars follow the YAML 1.2 core schema.

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

use serde_json::{Map, Number, Value};

use crate::diag::escape_token;

/// A YAML syntax error with its 1-based line.
#[derive(Debug)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

enum Frame {
    Seq(Vec<Value>, usize),
    /// A mapping: its entries, the key waiting for its value, its anchor, and the line of each
    /// key (to name both places when a key repeats).
    Map(Map<String, Value>, Option<(String, usize)>, usize, HashMap<String, usize>),
}

/// A key given twice in one mapping: where (a JSON pointer to it) and what to say.
#[derive(Debug)]
pub struct Duplicate {
    pub pointer: String,
    pub message: String,
}

/// How many values aliases may add beyond the document's own, per byte of the document (plus a
/// floor for small ones). Real documents repeat a few blocks; an alias bomb (each level aliasing
/// the last one ten times) asks for billions of values from ten lines.
const ALIAS_VALUES_PER_BYTE: usize = 4;
const ALIAS_VALUES_FLOOR: usize = 1_000_000;

/// Parses the first document of `text`, with the keys it repeats (the later value is kept).
pub fn parse(text: &str) -> Result<(Value, Vec<Duplicate>), YamlError> {
    let mut duplicates = Vec::new();
    let budget = ALIAS_VALUES_FLOOR.saturating_add(text.len().saturating_mul(ALIAS_VALUES_PER_BYTE));
    let mut expanded: usize = 0;
    // Each anchor with its value and how many values that holds.
    let mut anchors: Vec<(usize, Value, usize)> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError { line: e.marker().line(), message: e.info().to_string() })?;
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let typed = tag.as_ref().map(|t| t.suffix.as_str());
                (scalar(&text, style, typed), anchor)
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(Vec::new(), anchor));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(Map::new(), None, anchor, HashMap::new()));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => (Value::Array(items), anchor),
                Some(Frame::Map(map, _, anchor, _)) => (Value::Object(map), anchor),
                None => continue,
            },
            Event::Alias(id) => match anchors.iter().rev().find(|(a, _, _)| *a == id) {
                Some((_, value, size)) => {
                    expanded = expanded.saturating_add(*size);
                    if expanded > budget {
                        return Err(YamlError {
                            line: span.start.line(),
                            message: format!(
                                "aliases expand to more than {budget} values, far beyond what this document \
                                 holds (an alias bomb?); write the repeated parts out or use `$ref`"
                            ),
                        });
                    }
                    (value.clone(), 0)
                }
                None => {
                    return Err(YamlError { line: span.start.line(), message: "alias to an unknown anchor".into() })
                }
            },
            Event::DocumentEnd if root.is_some() => break,
            _ => continue,
        };
        if anchor != 0 {
            anchors.push((anchor, value.clone(), size_of(&value)));
        }
        let line = span.start.line();
        let depth = stack.len().saturating_sub(1);
        let (parents, top) = stack.split_at_mut(depth);
        match top.last_mut() {
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(map, key, _, lines)) => match key.take() {
                None => *key = Some((key_text(value), line)),
                Some((k, _)) if k == "<<" => merge_into(map, value),
                Some((k, key_line)) => {
                    if let Some(first) = lines.insert(k.clone(), key_line) {
                        duplicates.push(Duplicate {
                            pointer: pointer(parents, &k),
                            message: format!(
                                "`{k}` is given twice in one mapping (lines {first} and {key_line}); the one at \
                                 line {key_line} is used and the other ignored: remove one"
                            ),
                        });
                    }
                    map.insert(k, value);
                }
            },
            None => root = Some(value),
        }
    }
    Ok((root.unwrap_or(Value::Null), duplicates))
}

/// The JSON pointer of `key` in the mapping below `parents`.
fn pointer(parents: &[Frame], key: &str) -> String {
    let mut out = String::from("#");
    let segments = parents.iter().map(|frame| match frame {
        Frame::Seq(items, _) => items.len().to_string(),
        Frame::Map(_, pending, _, _) => pending.as_ref().map_or_else(String::new, |(k, _)| k.clone()),
    });
    for segment in segments.chain(std::iter::once(key.to_string())) {
        out.push('/');
        out.push_str(&escape_token(&segment));
    }
    out
}

/// How many values `value` holds, itself included.
fn size_of(value: &Value) -> usize {
    let mut count = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// YAML merge keys (`<<: *base`) add the entries the mapping does not already have.
fn merge_into(map: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(entries) = source {
            for (k, v) in entries {
                map.entry(k).or_insert(v);
            }
        }
    }
}

fn key_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>) -> Value {
    match tag {
        Some("str") => return Value::String(text.to_string()),
        Some("null") => return Value::Null,
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_string());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = integer(text) {
        return Value::Number(n);
    }
    if looks_like_float(text) {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text.to_string())
}

fn integer(text: &str) -> Option<Number> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A leading zero ("0123") is a string in practice (zip codes, versions).
    if digits.len() > 1 && digits.starts_with('0') {
        return None;
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    if let Ok(i) = text.parse::<i64>() {
        return Some(i.into());
    }
    text.parse::<u64>().ok().map(Number::from)
}

fn looks_like_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut seen_digit = false;
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' => {}
            'e' | 'E' => {
                return seen_digit && {
                    let rest = &body[i + 1..];
                    let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
                    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                }
            }
            _ => return false,
        }
    }
    seen_digit && body.matches('.').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_openapi_shaped_yaml() {
        let text = "responses:\n  200:\n    description: ok\n  '404':\n    content: {}\nv: 3.10\nid: 0123\nbig: 9007199254740993\nn: ~\nq: 'true'\n";
        assert_eq!(
            parse(text).unwrap().0,
            json!({"responses": {"200": {"description": "ok"}, "404": {"content": {}}},
                   "v": 3.1, "id": "0123", "big": 9007199254740993u64, "n": null, "q": "true"})
        );
    }

    #[test]
    fn a_repeated_key_is_reported_with_both_lines() {
        let (value, duplicates) =
            parse("paths:\n  /pets:\n    get: {}\n  /a~b:\n    x: 1\n    x: 2\n  /pets:\n    post: {}\n").unwrap();
        assert_eq!(value["paths"]["/pets"], serde_json::json!({"post": {}}));
        let found: Vec<(&str, &str)> = duplicates.iter().map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "#/paths/~1a~0b/x");
        assert!(found[0].1.contains("lines 5 and 6"), "{}", found[0].1);
        assert_eq!(found[1].0, "#/paths/~1pets");
        assert!(found[1].1.contains("lines 2 and 7"), "{}", found[1].1);
    }

    #[test]
    fn an_alias_bomb_is_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let list = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{list}]\n"));
        }
        let started = std::time::Instant::now();
        let error = parse(&text).expect_err("refused");
        assert!(error.message.contains("alias bomb"), "{}", error.message);
        assert!(error.line > 1, "{}", error.line);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn expands_aliases_and_merge_keys() {
        let text = "base: &b {type: string}\nother:\n  <<: *b\n  format: uuid\nlist: [*b]\n";
        assert_eq!(
            parse(text).unwrap().0,
            json!({"base": {"type": "string"}, "other": {"type": "string", "format": "uuid"},
                   "list": [{"type": "string"}]})
        );
    }

    #[test]
    fn reports_the_line_of_a_syntax_error() {
        let err = parse("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.line >= 2, "{}", err.line);
    }
}
