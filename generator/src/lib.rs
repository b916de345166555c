//! clientgen: OpenAPI 3.0/3.1 documents → Rust client crates.
//!
//! Three stages, data flowing one way: [`load`] reads the document into a tolerant model,
//! [`ir`] decides what the client is (every type, operation and name), and [`emit`] writes Rust.
//! [`generate`] runs them in order; it reads the document but writes nothing.

mod builder;
pub mod config;
pub mod diag;
pub mod emit;
pub mod ir;
pub mod load;
pub mod output;

use std::path::Path;
use std::time::{Duration, Instant};

pub use builder::Builder;
pub use diag::{Error, Location, Warning};
pub use emit::File;
pub use ir::{GroupFeatures, Include};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The package name of the generated crate.
    pub crate_name: String,
    /// Which operations to include; empty means all.
    pub include: Vec<Include>,
    /// The command that regenerates the crate, named in every file's header.
    pub regenerate_with: String,
    /// Where the document came from, stated in the crate's documentation.
    pub source: Option<String>,
    /// OpenAPI Overlay 1.0 files applied to the document, in order, before it is read.
    pub overlays: Vec<std::path::PathBuf>,
    /// Folders besides the document's own whose files its `$ref`s may name.
    pub ref_roots: Vec<std::path::PathBuf>,
    /// Whether the crate has a cargo feature per top-level group.
    pub group_features: GroupFeatures,
    /// The crate's package metadata beyond its name.
    pub package: Package,
}

/// What the generated `Cargo.toml` says of the crate besides its name; each field left out is
/// taken from the document where it can be (`info.version` when it is a version Cargo accepts,
/// `info.license` when it is an SPDX expression) or left out.
#[derive(Debug, Clone, Default)]
pub struct Package {
    pub version: Option<String>,
    pub license: Option<String>,
    pub repository: Option<String>,
    pub documentation: Option<String>,
    /// Dependencies of the crate's hand-written code (`src/custom/`).
    pub dependencies: std::collections::BTreeMap<String, config::Dependency>,
}

/// A generated crate, not yet written anywhere.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<File>,
    pub warnings: Vec<Warning>,
    /// Operations in the document, and operations emitted.
    pub operations: (usize, usize),
    pub types: usize,
    /// Schemas in the document (every inline one counts), for fidelity ratios.
    pub schemas: usize,
    /// Time spent in each stage: load, lower, emit.
    pub timings: [(&'static str, std::time::Duration); 3],
    /// What the crate was made from, for tools that generate alongside it (tests, docs).
    pub api: ir::Api,
    /// The files read: the document and every file its `$ref`s reached (overlays are the
    /// caller's), for build scripts to watch.
    pub inputs: Vec<std::path::PathBuf>,
}

/// Reads the document at `spec` and returns the files of its client crate.
pub fn generate(spec: &Path, settings: &Settings) -> Result<Generated, Error> {
    let started = Instant::now();
    let loaded = load::load_file(spec, &settings.overlays, &settings.ref_roots).map_err(|e| e.in_stage("load"))?;
    finish(loaded, started.elapsed(), settings)
}

/// The same for a document given as text; `path` names it in messages and anchors its `$ref`s.
pub fn generate_text(path: &Path, text: String, settings: &Settings) -> Result<Generated, Error> {
    let started = Instant::now();
    let loaded =
        load::load_text(path, text, &settings.overlays, &settings.ref_roots).map_err(|e| e.in_stage("load"))?;
    finish(loaded, started.elapsed(), settings)
}

fn finish(mut loaded: load::Loaded, load_time: Duration, settings: &Settings) -> Result<Generated, Error> {
    let started = Instant::now();
    ir::lower::selection::check(&loaded.spec, &settings.include).map_err(|e| Error::new(e).in_stage("ir"))?;
    let (api, notes) = ir::lower(&loaded.spec, &settings.include, settings.group_features);
    let warnings = loaded.warnings(notes);
    let lower_time = started.elapsed();
    let started = Instant::now();
    let package = &settings.package;
    let crate_settings = emit::CrateSettings {
        name: settings.crate_name.clone(),
        regenerate_with: settings.regenerate_with.clone(),
        source: settings.source.clone(),
        version: package.version.clone().or_else(|| emit::crate_version(&api.version)),
        license: package.license.clone().or_else(|| api.license.clone()),
        repository: package.repository.clone(),
        documentation: package.documentation.clone(),
        dependencies: package.dependencies.clone(),
    };
    let files = emit::emit(&api, &crate_settings).map_err(|e| e.in_stage("emit"))?;
    let timings = [("load", load_time), ("lower", lower_time), ("emit", started.elapsed())];
    Ok(Generated {
        files,
        warnings,
        operations: (loaded.spec.operations.len(), api.operations.iter().filter(|op| !op.twin).count()),
        types: api.types.len(),
        schemas: loaded.spec.schemas.len(),
        timings,
        api,
        inputs: loaded.files().map(Path::to_path_buf).collect(),
    })
}

/// The files under `dir` that a previous generation wrote (they start with the `@generated`
/// header); anything else there is the user's and is never touched.
pub fn generated_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read_to_string(&path).is_ok_and(|text| {
                ["// @generated", "# @generated", "<!-- @generated"].iter().any(|m| text.starts_with(m))
            }) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Whether `name` can be a Cargo package name.
pub fn is_valid_crate_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
