//! `specs/clientgen.toml`: which crates to generate from which documents.

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Manifest {
    pub api: Vec<ApiEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// The folder under `generated/`.
    pub name: String,
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// The document, relative to `specs/`.
    pub spec: String,
    /// Where the document came from.
    pub source: String,
    /// OpenAPI Overlay 1.0 files applied to the document before it is read (relative to
    /// `specs/`): our extensions to a vendor's document, which stays byte-identical.
    #[serde(default)]
    pub overlays: Vec<String>,
    #[serde(default, rename = "include-tags")]
    pub include_tags: Vec<String>,
    #[serde(default, rename = "include-paths")]
    pub include_paths: Vec<String>,
    /// A cargo feature per top-level group: `auto`, `always` or `never`.
    #[serde(default, rename = "group-features")]
    pub group_features: Option<String>,
    /// A folder of `tests/fixtures/` with one recorded exchange per operation: codegen writes
    /// `tests/tests/replay/<name>_operations.rs` to replay them all.
    #[serde(default, rename = "replay-tests")]
    pub replay_tests: Option<String>,
}

pub fn read(specs: &Path) -> Result<Manifest, String> {
    let path = specs.join("clientgen.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
