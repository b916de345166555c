//! The `rust-version` a generated crate declares is true: no dependency it resolves to, in this
//! workspace's lock, asks for a newer Rust. A dependency that raises its own (icu's crates went
//! to 1.88) fails this test, rather than a user's build on the Rust we promised.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

fn version(text: &str) -> Vec<u64> {
    text.split('.').map(|part| part.parse().unwrap_or(0)).collect()
}

#[test]
fn no_dependency_of_a_generated_crate_needs_a_newer_rust_than_it_declares() {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--manifest-path", manifest])
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata's JSON");
    let packages: BTreeMap<&str, &Value> =
        metadata["packages"].as_array().into_iter().flatten().filter_map(|p| Some((p["id"].as_str()?, p))).collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let generated: Vec<&Value> = packages
        .values()
        .copied()
        .filter(|p| p["manifest_path"].as_str().is_some_and(|m| m.contains("/generated/")))
        .collect();
    assert!(generated.len() >= 5, "the generated crates are workspace members");
    for krate in generated {
        let name = krate["name"].as_str().unwrap_or("?");
        let declared = krate["rust_version"].as_str().unwrap_or_else(|| panic!("{name} declares no rust-version"));
        assert_eq!(declared, clientgen::emit::RUST_VERSION, "{name}");
        // Everything it needs to build (normal and build dependencies, not dev ones).
        let mut seen = BTreeSet::new();
        let mut stack = vec![krate["id"].as_str().expect("an id")];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            for dep in nodes[id]["deps"].as_array().into_iter().flatten() {
                let kinds = dep["dep_kinds"].as_array().into_iter().flatten();
                if kinds.clone().any(|k| k["kind"].as_str() != Some("dev")) {
                    stack.extend(dep["pkg"].as_str());
                }
            }
        }
        for id in seen {
            let package = packages[id];
            if let Some(needed) = package["rust_version"].as_str() {
                assert!(
                    version(needed) <= version(declared),
                    "{name} declares rust-version {declared}, but {} {} needs {needed}",
                    package["name"].as_str().unwrap_or("?"),
                    package["version"].as_str().unwrap_or("?"),
                );
            }
        }
    }
}
