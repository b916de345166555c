//! OpenAPI Overlay 1.0: changes kept beside a document that is not ours to edit.
//!
//! An overlay is a list of actions, each naming its targets with a JSONPath expression and
//! either merging an `update` into them or removing them. They are applied in order to the
//! parsed document before it is read, so a vendor's file stays byte-identical and can be
//! refreshed while our extensions (idempotency marks, pagination, job links) live beside it.
//!
//! The JSONPath subset covers what overlays use: `$`, `.name`, `['name']`, `[0]`, `*`, `..name`
//! and filters comparing a member with a literal (`[?@.operationId == 'listFiles']`) or testing
//! that it exists (`[?@.x-internal]`). Anything else is refused with the expression named.

use serde_json::Value;

/// One step of a selector.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Member(String),
    Index(usize),
    Wildcard,
    /// `..name`: `name` members at any depth.
    Descendant(String),
    /// `[?@.path == literal]`, or `[?@.path]` when `value` is `None`.
    Filter {
        path: Vec<String>,
        value: Option<Value>,
        negate: bool,
    },
}

/// A location in the document: member names and array indexes from the root.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Member(String),
    Index(usize),
}

/// Applies `overlay` (already parsed) to `root`. Errors name the action and say what is wrong.
pub fn apply(root: &mut Value, overlay: &Value) -> Result<(), String> {
    let version = overlay.get("overlay").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("1.") {
        return Err(format!(
            "not an Overlay 1.x document (`overlay: {version:?}`); it must start with `overlay: 1.0.0`"
        ));
    }
    let Some(actions) = overlay.get("actions").and_then(Value::as_array) else {
        return Err("an overlay needs a list of `actions`".into());
    };
    for (index, action) in actions.iter().enumerate() {
        let at = |message: String| format!("/actions/{index}: {message}");
        let target = action.get("target").and_then(Value::as_str).ok_or_else(|| at("`target` is missing".into()))?;
        let steps = parse(target).map_err(|e| at(format!("target `{target}`: {e}")))?;
        let found = select(root, &steps);
        if found.is_empty() {
            return Err(at(format!(
                "target `{target}` selects nothing; the document may have changed under the overlay"
            )));
        }
        let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
        match (remove, action.get("update")) {
            (true, _) => {
                // Later indexes first, so earlier ones stay valid.
                for key in found.iter().rev() {
                    remove_at(root, key);
                }
            }
            (false, Some(update)) => {
                for key in &found {
                    if let Some(node) = node_mut(root, key) {
                        match node {
                            Value::Array(items) => items.push(update.clone()),
                            node => merge(node, update),
                        }
                    }
                }
            }
            (false, None) => return Err(at("an action needs `update` or `remove: true`".into())),
        }
    }
    Ok(())
}

/// Merges `update` into `node`: members of objects recursively, anything else replaced.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(changes)) => {
            for (name, change) in changes {
                match target.get_mut(name) {
                    Some(existing) => merge(existing, change),
                    None => {
                        target.insert(name.clone(), change.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

fn node_mut<'v>(root: &'v mut Value, path: &[Key]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |node, key| match key {
        Key::Member(name) => node.get_mut(name.as_str()),
        Key::Index(i) => node.get_mut(*i),
    })
}

fn remove_at(root: &mut Value, path: &[Key]) {
    let Some((last, parent)) = path.split_last() else { return };
    match (node_mut(root, parent), last) {
        (Some(Value::Object(map)), Key::Member(name)) => {
            map.remove(name);
        }
        (Some(Value::Array(items)), Key::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

/// Every location `steps` selects, in document order.
fn select(root: &Value, steps: &[Step]) -> Vec<Vec<Key>> {
    let mut current: Vec<(Vec<Key>, &Value)> = vec![(Vec::new(), root)];
    for step in steps {
        let mut next = Vec::new();
        for (path, node) in current {
            let child = |key: Key, value| {
                let mut path = path.clone();
                path.push(key);
                (path, value)
            };
            match step {
                Step::Member(name) => next.extend(node.get(name.as_str()).map(|v| child(Key::Member(name.clone()), v))),
                Step::Index(i) => next.extend(node.get(*i).map(|v| child(Key::Index(*i), v))),
                Step::Wildcard | Step::Filter { .. } => {
                    let children: Vec<(Key, &Value)> = match node {
                        Value::Object(map) => map.iter().map(|(k, v)| (Key::Member(k.clone()), v)).collect(),
                        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Key::Index(i), v)).collect(),
                        _ => Vec::new(),
                    };
                    for (key, value) in children {
                        if let Step::Filter { path, value: wanted, negate } = step {
                            if matches(value, path, wanted.as_ref()) == *negate {
                                continue;
                            }
                        }
                        next.push(child(key, value));
                    }
                }
                Step::Descendant(name) => descendants(node, &path, name, &mut next),
            }
        }
        current = next;
    }
    current.into_iter().map(|(path, _)| path).collect()
}

fn descendants<'v>(node: &'v Value, path: &[Key], name: &str, out: &mut Vec<(Vec<Key>, &'v Value)>) {
    let children: Vec<(Key, &Value)> = match node {
        Value::Object(map) => map.iter().map(|(k, v)| (Key::Member(k.clone()), v)).collect(),
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Key::Index(i), v)).collect(),
        _ => return,
    };
    for (key, value) in children {
        let mut child_path = path.to_vec();
        let is_match = key == Key::Member(name.to_string());
        child_path.push(key);
        if is_match {
            out.push((child_path.clone(), value));
        }
        descendants(value, &child_path, name, out);
    }
}

fn matches(node: &Value, path: &[String], wanted: Option<&Value>) -> bool {
    let found = path.iter().try_fold(node, |n, name| n.get(name.as_str()));
    match (found, wanted) {
        (Some(_), None) => true,
        (Some(value), Some(wanted)) => value == wanted,
        (None, _) => false,
    }
}

/// Parses a JSONPath expression into steps.
fn parse(expression: &str) -> Result<Vec<Step>, String> {
    let mut rest = expression.trim().strip_prefix('$').ok_or("a JSONPath expression starts with `$`")?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            let (name, tail) = take_name(after);
            if name.is_empty() {
                return Err("`..` must be followed by a member name".into());
            }
            steps.push(Step::Descendant(name.to_string()));
            rest = tail;
        } else if let Some(after) = rest.strip_prefix('.') {
            if let Some(tail) = after.strip_prefix('*') {
                steps.push(Step::Wildcard);
                rest = tail;
            } else {
                let (name, tail) = take_name(after);
                if name.is_empty() {
                    return Err(format!("expected a member name at `{rest}`"));
                }
                steps.push(Step::Member(name.to_string()));
                rest = tail;
            }
        } else if let Some(after) = rest.strip_prefix('[') {
            let (step, tail) = bracket(after)?;
            steps.push(step);
            rest = tail;
        } else {
            return Err(format!("unexpected `{rest}`"));
        }
    }
    Ok(steps)
}

/// A member name in dot notation: up to the next `.` or `[`.
fn take_name(text: &str) -> (&str, &str) {
    let end = text.find(['.', '[']).unwrap_or(text.len());
    text.split_at(end)
}

/// The inside of `[...]` and what follows the `]`.
fn bracket(text: &str) -> Result<(Step, &str), String> {
    let text = text.trim_start();
    if let Some(delimiter) = text.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let (name, tail) = string_literal(&text[1..], delimiter)?;
        let tail = tail.trim_start().strip_prefix(']').ok_or("expected `]` after a string_literal name")?;
        return Ok((Step::Member(name), tail));
    }
    if let Some(filter) = text.strip_prefix('?') {
        // The filter may itself contain `]` inside a string: it finds its own end.
        return filter_step(filter);
    }
    let close = text.find(']').ok_or("`[` without `]`")?;
    let inside = text[..close].trim();
    let tail = &text[close + 1..];
    if inside == "*" {
        return Ok((Step::Wildcard, tail));
    }
    inside.parse::<usize>().map(|i| (Step::Index(i), tail)).map_err(|_| format!("unsupported selector `[{inside}]`"))
}

/// A string_literal string up to its closing delimiter, with `\` escapes.
fn string_literal(text: &str, delimiter: char) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => out.push(escaped),
                None => break,
            },
            c if c == delimiter => return Ok((out, &text[i + 1..])),
            c => out.push(c),
        }
    }
    Err("unterminated string".into())
}

/// `@.a.b == 'x']`, `(@.a != 1)]` or `@.a]`.
fn filter_step(text: &str) -> Result<(Step, &str), String> {
    let mut text = text.trim_start();
    let parenthesised = text.starts_with('(');
    if parenthesised {
        text = text[1..].trim_start();
    }
    let mut rest = text.strip_prefix('@').ok_or("a filter starts with `@`")?;
    let mut path = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix('.') {
            let end =
                after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-' || c == '$')).unwrap_or(after.len());
            path.push(after[..end].to_string());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['").or_else(|| rest.strip_prefix("[\"")) {
            let delimiter = if rest.starts_with("['") { '\'' } else { '"' };
            let (name, tail) = string_literal(after, delimiter)?;
            path.push(name);
            rest = tail.strip_prefix(']').ok_or("expected `]` after a string_literal name")?;
        } else {
            break;
        }
    }
    if path.is_empty() {
        return Err("a filter names a member of `@`".into());
    }
    rest = rest.trim_start();
    let (value, negate) = if let Some(after) = rest.strip_prefix("==").or_else(|| rest.strip_prefix("!=")) {
        let negate = rest.starts_with("!=");
        let after = after.trim_start();
        let (value, tail) = literal(after)?;
        rest = tail.trim_start();
        (Some(value), negate)
    } else {
        (None, false)
    };
    if parenthesised {
        rest = rest.strip_prefix(')').ok_or("expected `)` to close the filter")?.trim_start();
    }
    let tail = rest.strip_prefix(']').ok_or("only `==`, `!=` or a bare member test may appear in a filter")?;
    Ok((Step::Filter { path, value, negate }, tail))
}

/// A literal in a filter: a string_literal string, a number, `true`, `false` or `null`.
fn literal(text: &str) -> Result<(Value, &str), String> {
    if let Some(delimiter) = text.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let (s, tail) = string_literal(&text[1..], delimiter)?;
        return Ok((Value::String(s), tail));
    }
    let end = text.find([')', ']', ' ']).unwrap_or(text.len());
    let word = &text[..end];
    let value: Value = serde_json::from_str(word).map_err(|_| format!("`{word}` is not a literal"))?;
    Ok((value, &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "paths": {
                "/files": {"post": {"operationId": "uploadFile"}, "get": {"operationId": "listFiles"}},
                "/files/list": {"post": {"operationId": "advancedListFiles"}}
            },
            "tags": [{"name": "a"}, {"name": "b"}]
        })
    }

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn updates_merge_into_the_nodes_a_path_selects() {
        let mut root = doc();
        let actions = json!([
            {"target": "$.paths['/files/list'].post", "update": {"x-clientgen-idempotent": true}},
            {"target": "$.paths.*[?@.operationId == 'listFiles']", "update": {"x-page": {"cursor": "cursor"}}},
            {"target": "$.tags", "update": {"name": "c"}}
        ]);
        apply(&mut root, &overlay(actions)).expect("applies");
        assert_eq!(root["paths"]["/files/list"]["post"]["x-clientgen-idempotent"], json!(true));
        assert_eq!(root["paths"]["/files"]["get"]["x-page"], json!({"cursor": "cursor"}));
        assert!(root["paths"]["/files"]["post"].get("x-page").is_none());
        assert_eq!(root["tags"][2], json!({"name": "c"}));
    }

    #[test]
    fn removals_and_descendants() {
        let mut root = doc();
        let actions = json!([
            {"target": "$..operationId", "remove": true},
            {"target": "$.tags[0]", "remove": true}
        ]);
        apply(&mut root, &overlay(actions)).expect("applies");
        assert_eq!(root["paths"]["/files"]["post"], json!({}));
        assert_eq!(root["tags"], json!([{"name": "b"}]));
    }

    #[test]
    fn mistakes_are_named() {
        let mut root = doc();
        let missing = apply(&mut root, &overlay(json!([{"target": "$.paths['/nope'].get", "update": {}}])));
        assert!(missing
            .expect_err("nothing selected")
            .contains("/actions/0: target `$.paths['/nope'].get` selects nothing"));
        let bad = apply(&mut root, &overlay(json!([{"target": "$.paths[1:2]", "update": {}}])));
        assert!(bad.expect_err("unsupported").contains("unsupported selector `[1:2]`"));
        let version = apply(&mut root, &json!({"overlay": "2.0.0", "actions": []}));
        assert!(version.is_err());
    }
}
