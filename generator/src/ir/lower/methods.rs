//! Method names, decided for all operations at once so that two operations that would take the
//! same name in a group can be told apart the way REST users expect: `GET /files` is `list` and
//! `GET /files/{id}` is `get`, `PATCH /files` is `update_many` beside `update` — rather than
//! whichever came first keeping the name and the other getting `get_2`.

use std::collections::HashMap;

use crate::ir::naming::{singular, snake_name};
use crate::load::model;

/// Each operation's method name (before `Scope::claim` makes the last collisions unique), and
/// its group path.
pub fn decide(ops: &[&model::Operation]) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = ops
        .iter()
        .map(|op| {
            let group = group_of(op);
            let name = match &op.method_name {
                Some(name) => snake_name(name),
                None => strip_group(&snake_name(&operation_id(op)), &snake_name(&group.join(" "))),
            };
            (group, name)
        })
        .collect();
    let mut taken: HashMap<(&[String], &str), Vec<usize>> = HashMap::new();
    for (i, (group, name)) in out.iter().enumerate() {
        taken.entry((group.as_slice(), name.as_str())).or_default().push(i);
    }
    let mut renames: Vec<(usize, String)> = Vec::new();
    for indices in taken.values().filter(|list| list.len() > 1) {
        // Only a name the document did not give, and only when items are among the colliding.
        if !indices.iter().any(|&i| on_item(ops[i])) {
            continue;
        }
        for &i in indices {
            if ops[i].method_name.is_none() && !on_item(ops[i]) {
                if let Some(name) = collection_name(&out[i].1) {
                    renames.push((i, name));
                }
            }
        }
    }
    for (i, name) in renames {
        out[i].1 = name;
    }
    out
}

/// The operation's id as the document gives it, or one made of its method and path.
pub fn operation_id(op: &model::Operation) -> String {
    op.operation_id.clone().unwrap_or_else(|| synthesised_id(op))
}

/// Whether the path ends at one item (`/files/{id}`), not a collection (`/files`).
fn on_item(op: &model::Operation) -> bool {
    op.path.trim_end_matches('/').rsplit('/').next().is_some_and(|last| last.starts_with('{'))
}

/// What a verb means on a whole collection: `get` lists, `update` changes many.
fn collection_name(name: &str) -> Option<String> {
    let (verb, rest) = name.split_once('_').map_or((name, ""), |(verb, rest)| (verb, rest));
    let renamed = match verb {
        "get" | "read" | "fetch" | "retrieve" => "list".to_string(),
        "update" | "patch" | "delete" | "remove" | "replace" | "put" => format!("{verb}_many"),
        _ => return None,
    };
    Some(if rest.is_empty() { renamed } else { format!("{renamed}_{rest}") })
}

/// The group an operation belongs to: a naming extension (possibly nested), its first tag, or
/// its first path word.
pub fn group_of(op: &model::Operation) -> Vec<String> {
    if let Some(names) = op.group_name.as_ref().filter(|n| !n.is_empty()) {
        return names.clone();
    }
    if let Some(tag) = op.tags.first() {
        return vec![tag.clone()];
    }
    let word = op.path.split('/').find(|s| !s.is_empty() && !s.starts_with('{') && !is_version_segment(s));
    vec![word.unwrap_or("default").to_string()]
}

fn is_version_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    s == "api"
        || s == "rest"
        || (s.starts_with('v') && s.len() > 1 && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// `update_files` in group `files` → `update`; `get_file_by_internal_id` → `get_by_internal_id`.
fn strip_group(method: &str, group: &str) -> String {
    let group_words: Vec<String> = group.split('_').map(str::to_string).collect();
    let single: Vec<String> = group_words.iter().map(|w| singular(w)).collect();
    let words: Vec<&str> = method.split('_').collect();
    let n = group_words.len();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    let mut removed = false;
    while i < words.len() {
        let window: Vec<&str> = words[i..(i + n).min(words.len())].to_vec();
        if !removed && window.len() == n && (window == group_words || window == single) {
            i += n;
            removed = true;
            continue;
        }
        out.push(words[i]);
        i += 1;
    }
    let stripped = out.join("_");
    if stripped.is_empty() || stripped.starts_with(|c: char| c.is_ascii_digit()) || stripped.starts_with('_') {
        method.to_string()
    } else {
        snake_name(&stripped)
    }
}

/// `get /files/{id}` → `get_files_by_id`.
fn synthesised_id(op: &model::Operation) -> String {
    let mut words = vec![op.method.as_str().to_string()];
    for segment in op.path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by {param}")),
            None => words.push(segment.to_string()),
        }
    }
    snake_name(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::model::Method;

    #[test]
    fn method_names_drop_the_group() {
        assert_eq!(strip_group("update_files", "files"), "update");
        assert_eq!(strip_group("get_file_by_internal_id", "files"), "get_by_internal_id");
        assert_eq!(strip_group("files", "files"), "files");
        assert_eq!(strip_group("list_job_results", "job_results"), "list");
        assert_eq!(strip_group("update_upload", "uploads"), "update");
    }

    #[test]
    fn collection_and_item_are_told_apart() {
        let op = |method: Method, path: &str, id: &str| model::Operation {
            pointer: String::new(),
            method,
            path: path.into(),
            operation_id: Some(id.into()),
            summary: None,
            description: None,
            tags: vec!["files".into()],
            deprecated: false,
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: None,
            group_name: None,
            method_name: None,
            idempotent: None,
            async_job: None,
            pagination: None,
            chunked: None,
            body_shortcut: None,
            stream_end: None,
        };
        let ops = [
            op(Method::Get, "/files", "getFiles"),
            op(Method::Get, "/files/{id}", "getFile"),
            op(Method::Patch, "/files", "updateFiles"),
            op(Method::Patch, "/files/{id}", "updateFile"),
            op(Method::Post, "/files", "createFile"),
        ];
        let refs: Vec<&model::Operation> = ops.iter().collect();
        let names: Vec<String> = decide(&refs).into_iter().map(|(_, name)| name).collect();
        assert_eq!(names, ["list", "get", "update_many", "update", "create"]);
    }

    #[test]
    fn versions_are_not_groups() {
        assert!(is_version_segment("v2"));
        assert!(is_version_segment("api"));
        assert!(!is_version_segment("videos"));
    }
}
