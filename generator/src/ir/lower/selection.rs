//! Which operations a selection (`--include-tag`, `--include-path`, `--include-operation`)
//! takes, and the error when part of it takes none: a misspelled tag must not quietly yield an
//! empty crate.

use super::Include;
use crate::load::model::{Operation, Spec};

impl Include {
    pub fn takes(&self, op: &Operation) -> bool {
        match self {
            Include::Tag(tag) => op.tags.iter().any(|t| t == tag),
            Include::Path(prefix) => op.path.starts_with(prefix.as_str()),
            Include::OperationId(id) => op.operation_id.as_deref() == Some(id.as_str()),
        }
    }
}

/// Why the selection cannot stand: each rule that takes no operation, with what the document
/// has instead (the closest first).
pub fn check(spec: &Spec, include: &[Include]) -> Result<(), String> {
    let idle: Vec<&Include> = include.iter().filter(|rule| !spec.operations.iter().any(|op| rule.takes(op))).collect();
    if idle.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = idle.iter().map(|rule| explain(spec, rule)).collect();
    Err(format!("the selection takes nothing from the document:\n{}", lines.join("\n")))
}

fn explain(spec: &Spec, rule: &Include) -> String {
    let (flag, wanted, mut known): (&str, &str, Vec<&str>) = match rule {
        Include::Tag(tag) => {
            ("--include-tag", tag, spec.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect())
        }
        Include::Path(prefix) => {
            ("--include-path", prefix, spec.operations.iter().map(|op| op.path.as_str()).collect())
        }
        Include::OperationId(id) => {
            ("--include-operation", id, spec.operations.iter().filter_map(|op| op.operation_id.as_deref()).collect())
        }
    };
    known.sort_unstable();
    known.dedup();
    if known.is_empty() {
        return format!("  {flag} {wanted}: the document has none to choose from");
    }
    let lower = wanted.to_lowercase();
    let mut closest = known.clone();
    closest.sort_by_key(|k| (distance(&k.to_lowercase(), &lower), *k));
    let near: Vec<&str> = closest.iter().take(3).copied().collect();
    let listed: Vec<&str> = known.iter().take(20).copied().collect();
    let more =
        if known.len() > listed.len() { format!(" and {} more", known.len() - listed.len()) } else { String::new() };
    format!(
        "  {flag} {wanted}: no operation has it; closest: {}; the document has: {}{more}",
        near.join(", "),
        listed.join(", ")
    )
}

/// Levenshtein distance, in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_names_come_first() {
        assert_eq!(distance("pets", "pet"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
