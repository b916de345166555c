//! Generation from a build script: the client as one module written to `OUT_DIR`, which the
//! crate includes, regenerated whenever the document, an overlay or a file it references
//! changes.
//!
//! ```no_run
//! // In build.rs's `main`:
//! clientgen::Builder::new("openapi.yaml").generate_to_out_dir("acme").expect("the client generates");
//! ```
//!
//! ```ignore
//! // src/lib.rs: the module `acme`, at the crate's root
//! include!(concat!(env!("OUT_DIR"), "/acme.rs"));
//! ```
//!
//! The module is the crate a `clientgen generate` would write, its files inlined as modules and
//! its paths rooted at the module (`crate::acme::types`), without the hand-written
//! `src/custom/` (a build has nowhere to keep it) or a cargo feature per group (the including
//! crate's features are its own). The including crate depends on what a generated crate does
//! ([`Builder::dependencies`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{generate, Error, File, GroupFeatures, Include, Settings};

/// Settings for generating a client module from a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    include: Vec<Include>,
    ref_roots: Vec<PathBuf>,
    module_path: Option<String>,
}

impl Builder {
    /// A builder for the document at `spec` (relative paths are from the crate's root, where
    /// cargo runs build scripts).
    pub fn new(spec: impl Into<PathBuf>) -> Builder {
        Builder {
            spec: spec.into(),
            overlays: Vec::new(),
            include: Vec::new(),
            ref_roots: Vec::new(),
            module_path: None,
        }
    }

    /// Applies an OpenAPI Overlay 1.0 file first (repeatable, in order).
    pub fn overlay(mut self, path: impl Into<PathBuf>) -> Builder {
        self.overlays.push(path.into());
        self
    }

    /// Generates only part of the document (repeatable): operations with a tag, a path prefix or
    /// an `operationId`.
    pub fn include(mut self, rule: Include) -> Builder {
        self.include.push(rule);
        self
    }

    /// Lets `$ref`s name files in `dir` too.
    pub fn allow_ref_root(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.ref_roots.push(dir.into());
        self
    }

    /// Where the including crate puts the module, as a path from its root (`crate::api::acme`);
    /// by default `crate::<name>`, the module included at the crate's root.
    pub fn module_path(mut self, path: impl Into<String>) -> Builder {
        self.module_path = Some(path.into());
        self
    }

    /// The dependencies the including crate needs, as `Cargo.toml` lines.
    pub fn dependencies() -> &'static str {
        DEPENDENCIES
    }

    /// Generates the module `name` into `$OUT_DIR/<name>.rs` and tells cargo to run the build
    /// script again when any file it read changes. Warnings are passed on as cargo warnings.
    pub fn generate_to_out_dir(self, name: &str) -> Result<PathBuf, Error> {
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| Error::new("OUT_DIR is not set: generate_to_out_dir is for build scripts".to_string()))?;
        let path = self.generate_to(name, Path::new(&out_dir))?;
        Ok(path)
    }

    /// Generates the module `name` into `<dir>/<name>.rs`, printing cargo's
    /// `rerun-if-changed` lines for every file read, and returns the file's path.
    pub fn generate_to(self, name: &str, dir: &Path) -> Result<PathBuf, Error> {
        if !is_module_name(name) {
            return Err(Error::new(format!("`{name}` is not a module name: lowercase letters, digits and `_`")));
        }
        let settings = Settings {
            crate_name: name.replace('_', "-"),
            include: self.include.clone(),
            regenerate_with: format!("clientgen::Builder from {}", self.spec.display()),
            source: None,
            overlays: self.overlays.clone(),
            ref_roots: self.ref_roots.clone(),
            group_features: GroupFeatures::Never,
            package: Default::default(),
        };
        let generated = generate(&self.spec, &settings)?;
        for input in generated.inputs.iter().chain(&self.overlays) {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        for warning in &generated.warnings {
            println!("cargo:warning={}", warning.to_string().replace('\n', " "));
        }
        let root = self.module_path.clone().unwrap_or_else(|| format!("crate::{name}"));
        let text = bundle(&generated.files, name, &root).map_err(Error::new)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join(format!("{name}.rs"));
        std::fs::write(&path, text).map_err(|e| Error::new(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }
}

const DEPENDENCIES: &str = r#"bytes = "1"
chrono = { version = "0.4.38", default-features = false, features = ["serde", "std"] }
futures-core = { version = "0.3", default-features = false }
futures-util = { version = "0.3", default-features = false, features = ["alloc"] }
httpdate = "1"
reqwest = { version = "0.13", default-features = false, features = ["stream", "rustls-no-provider"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_path_to_error = "0.1"
tokio = { version = "1", default-features = false, features = ["fs", "io-util", "sync", "time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#;

/// The condition the runtime puts on installing ring, a choice of the generated crate's features.
const RING_ONLY: &str = "#[cfg(all(feature = \"rustls-ring\", not(feature = \"rustls-aws-lc\")))]";

fn is_module_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !crate::ir::naming::is_keyword(name)
}

/// A generated crate's files as one module `name`: `lib.rs` with each `mod x;` replaced by the
/// file it names, inline, and every `crate::` path made `<root>::`. The hand-written `custom`
/// module is left out.
pub fn bundle(files: &[File], name: &str, root: &str) -> Result<String, String> {
    let by_path: BTreeMap<String, &str> = files
        .iter()
        .map(|f| {
            let path = f.path.to_string_lossy().replace('\\', "/");
            // Without the `@generated` header: the module's file carries one of its own.
            let body = f.contents.split_once("\n\n").filter(|(head, _)| head.contains("@generated"));
            (path, body.map_or(f.contents.as_str(), |(_, rest)| rest))
        })
        .collect();
    let lib = inline(&by_path, "src/lib.rs", 0)?;
    let lib = lib.replace("crate::", &format!("{root}::"));
    // TLS is rustls with ring here (the including crate depends on both, `dependencies()`): the
    // client installs ring as rustls's provider unless the program chose one.
    let lib = lib.replace(RING_ONLY, "");
    Ok(format!(
        "// @generated by clientgen::Builder — do not edit by hand.\n\n\
         pub mod {name} {{\n\
         // The crate's cargo features (`full-serde`, a TLS choice) are not the including crate's.\n\
         #![allow(unexpected_cfgs)]\n{lib}}}\n"
    ))
}

/// The text of the file at `path` with its `mod x;` declarations replaced by the modules.
fn inline(files: &BTreeMap<String, &str>, path: &str, depth: usize) -> Result<String, String> {
    if depth > 8 {
        return Err(format!("{path}: modules nest too deep"));
    }
    let text = files.get(path).ok_or_else(|| format!("the generated crate has no {path}"))?;
    let dir = match path.rsplit_once('/') {
        Some((dir, file)) if file == "lib.rs" || file == "mod.rs" => dir.to_string(),
        Some((dir, file)) => format!("{dir}/{}", file.trim_end_matches(".rs")),
        None => String::new(),
    };
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    let mut in_quick_start = false;
    while let Some(line) = lines.next() {
        // The crate's quick start (adding it as a dependency, calling it by its crate name) is
        // not how a module included in another crate is used.
        if depth == 0 && line == "//! # Quick start" {
            in_quick_start = true;
            while out.ends_with("//!\n") {
                out.truncate(out.len() - "//!\n".len());
            }
        }
        if in_quick_start {
            if line.starts_with("//!") {
                continue;
            }
            in_quick_start = false;
        }
        // The runtime's own unit tests stay with clientgen: the including crate's tests are its
        // own. (A test module at the top level of a file ends at the first unindented `}`.)
        if line == "#[cfg(test)]" && lines.peek().is_some_and(|next| next.starts_with("mod ") && next.ends_with('{')) {
            for skipped in lines.by_ref() {
                if skipped == "}" {
                    break;
                }
            }
            continue;
        }
        let Some((visibility, module)) = module_declaration(line) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        if module == "custom" && depth == 0 {
            // And the doc comment and attributes above it.
            let its_own = |l: &str| l.trim_start().starts_with("///") || l.trim_start().starts_with("#[");
            while out.trim_end().lines().last().is_some_and(its_own) {
                let keep = out.trim_end().rfind('\n').map_or(0, |at| at + 1);
                out.truncate(keep);
            }
            continue;
        }
        let child = [format!("{dir}/{module}.rs"), format!("{dir}/{module}/mod.rs")]
            .into_iter()
            .find(|candidate| files.contains_key(candidate))
            .ok_or_else(|| format!("{path}: `mod {module};` names no generated file"))?;
        let body = inline(files, &child, depth + 1)?;
        out.push_str(&format!("{visibility}mod {module} {{\n{body}}}\n"));
    }
    Ok(out)
}

/// `pub mod types;` → (`pub `, `types`).
fn module_declaration(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim();
    let rest = trimmed.strip_suffix(';')?;
    let (visibility, rest) = match rest.find("mod ") {
        Some(at) => (&rest[..at], &rest[at + 4..]),
        None => return None,
    };
    let visibility_ok = matches!(visibility, "" | "pub " | "pub(crate) " | "pub(super) ");
    let name_ok = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (visibility_ok && name_ok).then_some((visibility, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File {
            path: path.into(),
            contents: format!("// @generated by test — do not edit by hand.\n\n{contents}"),
            once: false,
        }
    }

    #[test]
    fn files_become_inline_modules_rooted_at_the_module() {
        let files = [
            file("Cargo.toml", "[package]\n"),
            file(
                "src/lib.rs",
                "//! The API.\n//!\n//! # Quick start\n//!\n//! ```rust,no_run\n//! acme::x();\n//! ```\n\n/// Yours.\npub mod custom;\n\n#[rustfmt::skip]\npub mod types;\npub mod resources;\n",
            ),
            file("src/types.rs", "//! Types.\npub struct A(pub crate::types::B);\npub struct B;\n#[cfg(test)]\nmod tests {\n    fn t() {\n    }\n}\n"),
            file("src/resources/mod.rs", "mod pets;\npub use pets::Pets;\n"),
            file("src/resources/pets.rs", "pub struct Pets(crate::types::A);\n"),
        ];
        let text = bundle(&files, "acme", "crate::acme").expect("bundles");
        assert!(text.starts_with("// @generated by clientgen::Builder"), "{text}");
        assert!(text.contains("pub mod acme {\n"), "{text}");
        assert!(!text.contains("custom") && !text.contains("Yours"), "{text}");
        assert!(!text.contains("cfg(test)") && !text.contains("fn t()"), "{text}");
        assert!(
            text.contains("//! The API.\n\n") && !text.contains("Quick start") && !text.contains("acme::x"),
            "{text}"
        );
        assert!(
            text.contains("#[rustfmt::skip]\npub mod types {\n//! Types.\npub struct A(pub crate::acme::types::B);"),
            "{text}"
        );
        assert!(
            text.contains(
                "pub mod resources {\nmod pets {\npub struct Pets(crate::acme::types::A);\n}\npub use pets::Pets;"
            ),
            "{text}"
        );
        let missing = bundle(&[file("src/lib.rs", "mod gone;\n")], "acme", "crate::acme");
        assert!(missing.expect_err("a missing module").contains("`mod gone;` names no generated file"));
    }

    #[test]
    fn module_names_are_checked() {
        assert!(
            is_module_name("acme_v2") && !is_module_name("Acme") && !is_module_name("type") && !is_module_name("2x")
        );
    }
}
