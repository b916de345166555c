//! The settings of one generated crate as a TOML table: what `clientgen generate --config FILE`
//! reads, and what each `[[api]]` entry of the repository's `specs/clientgen.toml` holds for
//! `cargo xtask codegen`. One format, so that a crate generated either way is described the
//! same way.
//!
//! ```toml
//! spec = "openapi.yaml"              # relative to the file
//! crate = "acme-client"
//! overlays = ["overlay.yaml"]
//! include-tags = ["Files"]           # and include-paths, include-operations
//! group-features = "auto"            # or "always", "never"
//! allow-warnings = ["items-list"]    # kinds neither printed nor counted
//! strict = true                      # fail while warnings are left
//!
//! [package]                          # the generated Cargo.toml's metadata
//! version = "1.2.0"
//! license = "MIT"
//!
//! [dependencies]                     # for the hand-written code in src/custom/
//! md-5 = "0.10"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{GroupFeatures, Include};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The document, relative to the file the config is in.
    pub spec: Option<PathBuf>,
    #[serde(rename = "crate")]
    pub crate_name: Option<String>,
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
    #[serde(default)]
    pub include_tags: Vec<String>,
    #[serde(default)]
    pub include_paths: Vec<String>,
    #[serde(default)]
    pub include_operations: Vec<String>,
    #[serde(default)]
    pub allow_ref_roots: Vec<PathBuf>,
    pub group_features: Option<String>,
    #[serde(default)]
    pub allow_warnings: Vec<String>,
    #[serde(default)]
    pub strict: bool,
    #[serde(default)]
    pub package: PackageConfig,
    #[serde(default)]
    pub dependencies: BTreeMap<String, Dependency>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    pub version: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    pub documentation: Option<String>,
}

/// A dependency of the crate's hand-written code: a version requirement, or one with features.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Dependency {
    Version(String),
    #[serde(rename_all = "kebab-case")]
    Detailed {
        version: String,
        #[serde(default)]
        features: Vec<String>,
        default_features: Option<bool>,
    },
}

/// The dependencies every generated crate has: a config may not name them again.
pub const OWN_DEPENDENCIES: &[&str] = &[
    "bytes",
    "chrono",
    "futures-core",
    "futures-util",
    "httpdate",
    "reqwest",
    "rustls",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "tokio",
    "tracing",
];

impl Config {
    /// Reads a config file; its relative paths are taken from the file's folder.
    pub fn read(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let config = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(config.relative_to(path.parent().unwrap_or(Path::new(""))))
    }

    /// Parses a config table and checks what TOML's types cannot.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// The same from a table already parsed (an `[[api]]` entry, its own keys taken out).
    pub fn from_table(table: toml::Table) -> Result<Config, String> {
        let config: Config = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| e.to_string())?;
        config.check()?;
        Ok(config)
    }

    /// The same config with its paths taken from `dir`.
    pub fn relative_to(mut self, dir: &Path) -> Config {
        self.spec = self.spec.map(|p| dir.join(p));
        self.overlays = self.overlays.iter().map(|p| dir.join(p)).collect();
        self.allow_ref_roots = self.allow_ref_roots.iter().map(|p| dir.join(p)).collect();
        self
    }

    fn check(&self) -> Result<(), String> {
        if let Some(name) = self.crate_name.as_deref().filter(|n| !crate::is_valid_crate_name(n)) {
            return Err(format!(
                "`crate = {name:?}` is not a crate name: letters, digits, `-` and `_`, starting with a letter"
            ));
        }
        self.group_features()?;
        if let Some(version) =
            self.package.version.as_deref().filter(|v| crate::emit::crate_version(v).as_deref() != Some(v))
        {
            return Err(format!("`package.version = {version:?}` is not MAJOR.MINOR.PATCH"));
        }
        if let Some(license) = self.package.license.as_deref().filter(|l| !crate::ir::naming::is_spdx_expression(l)) {
            return Err(format!("`package.license = {license:?}` is not an SPDX expression (MIT, Apache-2.0 OR MIT)"));
        }
        for name in self.dependencies.keys() {
            if OWN_DEPENDENCIES.contains(&name.as_str()) {
                return Err(format!("`dependencies.{name}`: every generated crate depends on it already"));
            }
            if !crate::is_valid_crate_name(name) {
                return Err(format!("`dependencies.{name}` is not a crate name"));
            }
        }
        Ok(())
    }

    pub fn group_features(&self) -> Result<GroupFeatures, String> {
        self.group_features.as_deref().unwrap_or("auto").parse()
    }

    /// The selection the config asks for.
    pub fn include(&self) -> Vec<Include> {
        let tags = self.include_tags.iter().cloned().map(Include::Tag);
        let paths = self.include_paths.iter().cloned().map(Include::Path);
        let operations = self.include_operations.iter().cloned().map(Include::OperationId);
        tags.chain(paths).chain(operations).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_config_is_read_and_its_paths_follow_the_file() {
        let text = r#"
            spec = "api/openapi.yaml"
            crate = "acme-client"
            overlays = ["api/overlay.yaml"]
            include-tags = ["Files"]
            group-features = "always"
            allow-warnings = ["items-list"]
            strict = true
            [package]
            version = "1.2.0"
            license = "MIT"
            [dependencies]
            md-5 = "0.10"
            sha2 = { version = "0.10", default-features = false, features = ["oid"] }
        "#;
        let config = Config::parse(text).expect("a valid config").relative_to(Path::new("/work/acme"));
        assert_eq!(config.spec.as_deref(), Some(Path::new("/work/acme/api/openapi.yaml")));
        assert_eq!(config.overlays, [PathBuf::from("/work/acme/api/overlay.yaml")]);
        assert_eq!(config.group_features(), Ok(GroupFeatures::Always));
        assert_eq!(config.include(), [Include::Tag("Files".into())]);
        assert_eq!(config.dependencies["md-5"], Dependency::Version("0.10".into()));
        assert_eq!(
            config.dependencies["sha2"],
            Dependency::Detailed {
                version: "0.10".into(),
                features: vec!["oid".into()],
                default_features: Some(false)
            }
        );
    }

    #[test]
    fn mistakes_are_named() {
        for (text, says) in [
            ("crate = \"9lives\"", "not a crate name"),
            ("group-features = \"sometimes\"", "sometimes"),
            ("[package]\nversion = \"one\"", "MAJOR.MINOR.PATCH"),
            ("[package]\nlicense = \"MIT License\"", "SPDX"),
            ("[dependencies]\nserde = \"1\"", "depends on it already"),
            ("spek = \"a.yaml\"", "unknown field `spek`"),
        ] {
            let error = Config::parse(text).expect_err(text);
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
