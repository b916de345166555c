//! `specs/clientgen.toml`: which crates to generate from which documents. Each `[[api]]` entry
//! is the config `clientgen generate --config` reads (`clientgen::config::Config`, paths
//! relative to `specs/`), plus three keys of the repository's own: `name` (the folder under
//! `generated/`), `source` (where the document came from) and `replay-tests`.

use std::path::Path;

use clientgen::config::Config;

#[derive(Debug)]
pub struct Manifest {
    pub api: Vec<ApiEntry>,
}

#[derive(Debug)]
pub struct ApiEntry {
    /// The folder under `generated/`.
    pub name: String,
    /// Where the document came from.
    pub source: String,
    /// A folder of `tests/fixtures/` with one recorded exchange per operation: codegen writes
    /// `tests/tests/replay/<name>_operations.rs` to replay them all.
    pub replay_tests: Option<String>,
    /// How the crate is generated; `spec` and `crate` are required here.
    pub config: Config,
}

impl ApiEntry {
    pub fn crate_name(&self) -> &str {
        self.config.crate_name.as_deref().unwrap_or_default()
    }

    pub fn spec(&self) -> &Path {
        self.config.spec.as_deref().unwrap_or(Path::new(""))
    }
}

pub fn read(specs: &Path) -> Result<Manifest, String> {
    let path = specs.join("clientgen.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut table: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let entries = match table.remove("api") {
        Some(toml::Value::Array(entries)) => entries,
        _ => return Err(format!("{}: expected [[api]] entries", path.display())),
    };
    if let Some(key) = table.keys().next() {
        return Err(format!("{}: unknown key `{key}` (only [[api]] entries)", path.display()));
    }
    let mut api = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        let at = format!("{}: [[api]] #{}", path.display(), index + 1);
        let toml::Value::Table(mut entry) = entry else { return Err(format!("{at}: not a table")) };
        let mut text = |key: &str| match entry.remove(key) {
            Some(toml::Value::String(value)) => Ok(Some(value)),
            Some(_) => Err(format!("{at}: `{key}` must be text")),
            None => Ok(None),
        };
        let name = text("name")?.ok_or(format!("{at}: no `name`"))?;
        let source = text("source")?.ok_or(format!("{at} ({name}): no `source`"))?;
        let replay_tests = text("replay-tests")?;
        let config = Config::from_table(entry).map_err(|e| format!("{at} ({name}): {e}"))?.relative_to(specs);
        if config.spec.is_none() || config.crate_name.is_none() {
            return Err(format!("{at} ({name}): `spec` and `crate` are required"));
        }
        api.push(ApiEntry { name, source, replay_tests, config });
    }
    Ok(Manifest { api })
}
