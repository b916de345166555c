//! OpenAPI Overlay 1.0: changes kept beside a document that is not ours to edit.
//!
//! An overlay is a list of actions, each naming its targets with a JSONPath expression and
//! either merging an `update` into them or removing them. They are applied in order to the
//! parsed document before it is read, so a vendor's file stays byte-identical and can be
//! refreshed while our extensions (idempotency marks, pagination, job links) live beside it.
//! Targets are RFC 9535 JSONPath, read by `serde_json_path` (filters with `&&`, slices, unions
//! of names, `length()` and the rest); an expression it refuses is an error naming the action.

use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};

/// A location in the document: member names and array indexes from the root.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
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
        let path = JsonPath::parse(target).map_err(|e| at(format!("target `{target}` is not JSONPath: {e}")))?;
        let found = select(root, &path);
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

/// Every location `path` selects, each once, sorted so that an array's later items come after
/// its earlier ones and a node's descendants after the node (removals go in reverse).
fn select(root: &Value, path: &JsonPath) -> Vec<Vec<Key>> {
    let mut found: Vec<Vec<Key>> = path
        .query_located(root)
        .dedup()
        .locations()
        .map(|location| {
            location
                .iter()
                .map(|element| match element {
                    PathElement::Name(name) => Key::Member((*name).to_string()),
                    PathElement::Index(index) => Key::Index(*index),
                })
                .collect()
        })
        .collect();
    found.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    found
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
    fn rfc_9535_selectors_work_as_targets() {
        let mut root = doc();
        let actions = json!([
            {"target": "$.paths.*[?@.operationId == 'uploadFile' || @.operationId == 'advancedListFiles']", "update": {"x-a": 1}},
            {"target": "$.tags[0:2]", "update": {"x-b": 2}},
            {"target": "$.paths['/files', '/files/list']", "update": {"x-c": 3}},
            {"target": "$..[?length(@.operationId) > 9]", "update": {"x-d": 4}}
        ]);
        apply(&mut root, &overlay(actions)).expect("applies");
        assert_eq!(root["paths"]["/files"]["post"]["x-a"], json!(1));
        assert_eq!(root["paths"]["/files/list"]["post"]["x-a"], json!(1));
        assert!(root["paths"]["/files"]["get"].get("x-a").is_none());
        assert_eq!((root["tags"][0]["x-b"].clone(), root["tags"][1]["x-b"].clone()), (json!(2), json!(2)));
        assert_eq!(
            (root["paths"]["/files"]["x-c"].clone(), root["paths"]["/files/list"]["x-c"].clone()),
            (json!(3), json!(3))
        );
        assert_eq!(root["paths"]["/files/list"]["post"]["x-d"], json!(4));
        assert!(root["paths"]["/files"]["get"].get("x-d").is_none());
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
        let bad = apply(&mut root, &overlay(json!([{"target": "$.paths[?@.x ==]", "update": {}}])));
        assert!(bad.expect_err("not JSONPath").contains("/actions/0: target `$.paths[?@.x ==]` is not JSONPath"));
        let version = apply(&mut root, &json!({"overlay": "2.0.0", "actions": []}));
        assert!(version.is_err());
    }
}
