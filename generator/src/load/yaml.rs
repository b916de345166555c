//! YAML text → `serde_json::Value`, with saphyr-parser's event stream.
//!
//! The conversion is ours rather than a serde bridge because OpenAPI documents written in YAML
//! have integer mapping keys (`200:` under `responses`) that a JSON tree must hold as strings,
//! and aliases that must be expanded. Scalars follow the YAML 1.2 core schema.

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde_json::{Map, Number, Value};

/// A YAML syntax error with its 1-based line.
#[derive(Debug)]
pub struct YamlError {
    pub line: usize,
    pub message: String,
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, Option<String>, usize),
}

/// Parses the first document of `text`.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let mut anchors: Vec<(usize, Value)> = Vec::new();
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
                stack.push(Frame::Map(Map::new(), None, anchor));
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => (Value::Array(items), anchor),
                Some(Frame::Map(map, _, anchor)) => (Value::Object(map), anchor),
                None => continue,
            },
            Event::Alias(id) => match anchors.iter().rev().find(|(a, _)| *a == id) {
                Some((_, value)) => (value.clone(), 0),
                None => {
                    return Err(YamlError { line: span.start.line(), message: "alias to an unknown anchor".into() })
                }
            },
            Event::DocumentEnd if root.is_some() => break,
            _ => continue,
        };
        if anchor != 0 {
            anchors.push((anchor, value.clone()));
        }
        match stack.last_mut() {
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(map, key, _)) => match key.take() {
                None => *key = Some(key_text(value)),
                Some(k) if k == "<<" => merge_into(map, value),
                Some(k) => {
                    map.insert(k, value);
                }
            },
            None => root = Some(value),
        }
    }
    Ok(root.unwrap_or(Value::Null))
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
            parse(text).unwrap(),
            json!({"responses": {"200": {"description": "ok"}, "404": {"content": {}}},
                   "v": 3.1, "id": "0123", "big": 9007199254740993u64, "n": null, "q": "true"})
        );
    }

    #[test]
    fn expands_aliases_and_merge_keys() {
        let text = "base: &b {type: string}\nother:\n  <<: *b\n  format: uuid\nlist: [*b]\n";
        assert_eq!(
            parse(text).unwrap(),
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
