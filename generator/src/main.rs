//! The `clientgen` command: `clientgen generate SPEC --out DIR [--name CRATE] [--include-tag T]…`
//! (`clientgen generate --help` lists every option).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clientgen::config::Config;
use clientgen::{generate, is_valid_crate_name, Settings, Warning};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates Rust client crates from OpenAPI 3.0 and 3.1 documents.
#[derive(Parser)]
#[command(name = "clientgen", version, about, arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates a client crate for the document SPEC (YAML or JSON) into DIR.
    Generate(Args),
}

#[derive(clap::Args)]
struct Args {
    /// The OpenAPI 3.0 or 3.1 document, YAML or JSON (or the config's `spec`).
    #[arg(value_name = "SPEC")]
    spec: Option<PathBuf>,
    /// Reads settings from a TOML file (the keys of an `[[api]]` entry of specs/clientgen.toml:
    /// spec, crate, overlays, include-tags, package, dependencies…); options given here add to
    /// its lists and override the rest.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The folder to write the crate into: new, empty, or written by clientgen before.
    #[arg(short, long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's package name (default: from SPEC's file name, `<stem>-client`).
    #[arg(long, value_name = "CRATE")]
    name: Option<String>,
    /// Generates only the operations with this tag (repeatable).
    #[arg(long = "include-tag", value_name = "TAG")]
    include_tags: Vec<String>,
    /// Generates only the operations whose path starts with PREFIX (repeatable).
    #[arg(long = "include-path", value_name = "PREFIX")]
    include_paths: Vec<String>,
    /// Generates only the operation with this `operationId` (repeatable).
    #[arg(long = "include-operation", value_name = "ID")]
    include_operations: Vec<String>,
    /// Applies an OpenAPI Overlay 1.0 file to SPEC first (repeatable, in order).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Lets `$ref`s name files in DIR too; by default they must lie in SPEC's folder tree.
    #[arg(long = "allow-ref-root", value_name = "DIR")]
    ref_roots: Vec<PathBuf>,
    /// A cargo feature per top-level group of operations: `auto` for large documents (200
    /// operations or more in 8 groups or more), `always`, or `never`.
    #[arg(long = "group-features", value_name = "WHEN")]
    group_features: Option<clientgen::GroupFeatures>,
    /// The crate's version (default: the document's `info.version` when it is a version).
    #[arg(long = "crate-version", value_name = "VERSION")]
    crate_version: Option<String>,
    /// The crate's license, an SPDX expression (default: the document's `info.license`, when it
    /// is one).
    #[arg(long, value_name = "SPDX")]
    license: Option<String>,
    /// The crate's repository URL.
    #[arg(long, value_name = "URL")]
    repository: Option<String>,
    /// The crate's documentation URL.
    #[arg(long, value_name = "URL")]
    documentation: Option<String>,
    /// Writes into a non-empty DIR that clientgen did not make (files of the same names are replaced).
    #[arg(long)]
    force: bool,
    /// Prints every warning, not the first few of each kind.
    #[arg(short, long)]
    verbose: bool,
    /// Neither prints nor counts warnings of this kind (the word in brackets after each
    /// warning; repeatable).
    #[arg(long = "allow", value_name = "KIND")]
    allow: Vec<String>,
    /// Fails, writing nothing, when any warning is left (after --allow).
    #[arg(long)]
    strict: bool,
    /// Prints the time each stage took.
    #[arg(long)]
    timings: bool,
    /// Writes a JSON summary of the run to FILE (what `cargo xtask corpus` reads).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

impl Args {
    /// The config file's settings with the command line's over them.
    fn merged(&self) -> Result<Config, String> {
        let mut config = match &self.config {
            Some(path) => Config::read(path)?,
            None => Config::default(),
        };
        config.spec = self.spec.clone().or(config.spec);
        config.crate_name = self.name.clone().or(config.crate_name);
        config.overlays.extend(self.overlays.iter().cloned());
        config.allow_ref_roots.extend(self.ref_roots.iter().cloned());
        config.include_tags.extend(self.include_tags.iter().cloned());
        config.include_paths.extend(self.include_paths.iter().cloned());
        config.include_operations.extend(self.include_operations.iter().cloned());
        config.allow_warnings.extend(self.allow.iter().cloned());
        config.strict |= self.strict;
        let package = &mut config.package;
        package.version = self.crate_version.clone().or(package.version.take());
        package.license = self.license.clone().or(package.license.take());
        package.repository = self.repository.clone().or(package.repository.take());
        package.documentation = self.documentation.clone().or(package.documentation.take());
        Ok(config)
    }
}

fn main() -> ExitCode {
    // Usage errors exit 2 with clap's message (and a suggestion for a misspelled option).
    let Command::Generate(args) = Cli::parse().command;
    let config = match args.merged() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let Some(spec) = config.spec.clone() else {
        eprintln!("error: no document: give SPEC, or a --config with `spec`");
        return ExitCode::from(2);
    };
    let group_features = match args.group_features.map_or_else(|| config.group_features(), Ok) {
        Ok(when) => when,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let name = config.crate_name.clone().unwrap_or_else(|| default_name(&spec));
    if !is_valid_crate_name(&name) {
        eprintln!("error: `{name}` is not a valid crate name: use letters, digits, `-` and `_`, starting with a letter (pass --name)");
        return ExitCode::from(2);
    }
    let package = &config.package;
    if let Some(version) =
        package.version.as_deref().filter(|v| clientgen::emit::crate_version(v).as_deref() != Some(v))
    {
        eprintln!("error: --crate-version `{version}` is not a version Cargo takes: MAJOR.MINOR.PATCH, as in 1.4.0");
        return ExitCode::from(2);
    }
    if let Some(license) = package.license.as_deref().filter(|l| !clientgen::ir::naming::is_spdx_expression(l)) {
        eprintln!("error: --license `{license}` is not an SPDX expression: as in MIT, or Apache-2.0 OR MIT");
        return ExitCode::from(2);
    }
    let settings = Settings {
        crate_name: name,
        include: config.include(),
        // The document by name: the same document at another path writes the same files.
        regenerate_with: format!(
            "clientgen from {}",
            spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned())
        ),
        source: None,
        overlays: config.overlays.clone(),
        ref_roots: config.allow_ref_roots.clone(),
        group_features,
        package: clientgen::Package {
            version: package.version.clone(),
            license: package.license.clone(),
            repository: package.repository.clone(),
            documentation: package.documentation.clone(),
            dependencies: config.dependencies.clone(),
        },
    };
    let generated = match generate(&spec, &settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            write_report(&args, &serde_json::json!({"ok": false, "stage": error.stage, "error": error.to_string()}));
            return ExitCode::FAILURE;
        }
    };
    let allowed = &config.allow_warnings;
    let warnings: Vec<&Warning> =
        generated.warnings.iter().filter(|w| !allowed.iter().any(|kind| kind == w.kind)).collect();
    for kind in allowed.iter().filter(|kind| !generated.warnings.iter().any(|w| w.kind == kind.as_str())) {
        eprintln!("note: --allow {kind} matched no warning");
    }
    report(&warnings, args.verbose);
    if config.strict && !warnings.is_empty() {
        eprintln!(
            "error: {} warning(s) with --strict; nothing written (fix the document, or pass --allow KIND for a kind \
             you accept)",
            warnings.len()
        );
        write_report(&args, &serde_json::json!({"ok": false, "stage": "strict", "warnings": warnings.len()}));
        return ExitCode::FAILURE;
    }
    let fallbacks = generated.warnings.iter().filter(|w| w.kind == "fallback").count();
    write_report(
        &args,
        &serde_json::json!({
            "ok": true,
            "operations": generated.operations.0,
            "emitted": generated.operations.1,
            "types": generated.types,
            "schemas": generated.schemas,
            "fallbacks": fallbacks,
            "warnings": generated.warnings.len(),
            "ms": generated.timings.iter().map(|(_, t)| t.as_secs_f64() * 1000.0).sum::<f64>(),
        }),
    );
    if args.timings {
        let stages: Vec<String> = generated
            .timings
            .iter()
            .map(|(stage, time)| format!("{stage} {:.1} ms", time.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("timings: {}", stages.join(", "));
    }
    if let Err(message) = clientgen::output::write_crate(&args.out, &generated.files, args.force) {
        eprintln!("error: {message}");
        return ExitCode::FAILURE;
    }
    let (total, emitted) = generated.operations;
    eprintln!(
        "wrote {} ({emitted} of {total} operations, {} types) to {}",
        settings.crate_name,
        generated.types,
        args.out.display()
    );
    ExitCode::SUCCESS
}

fn default_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("api");
    let cleaned: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let cleaned = cleaned.trim_matches('-').to_string();
    if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{cleaned}-client")
    } else {
        "api-client".into()
    }
}

/// Prints warnings, a few of each kind unless `verbose`, each with its kind, and then their
/// count by kind.
fn report(warnings: &[&Warning], verbose: bool) {
    let mut by_kind: BTreeMap<&str, Vec<&Warning>> = BTreeMap::new();
    for w in warnings {
        by_kind.entry(w.kind).or_default().push(w);
    }
    for list in by_kind.values() {
        let shown = if verbose { list.len() } else { 3 };
        for w in list.iter().take(shown) {
            eprintln!("{w} [{}]", w.kind);
        }
        if list.len() > shown {
            eprintln!("  … and {} more like this (--verbose shows all)", list.len() - shown);
        }
    }
    if !warnings.is_empty() {
        let counts: Vec<String> = by_kind.iter().map(|(kind, list)| format!("{kind} {}", list.len())).collect();
        eprintln!("{} warning(s): {} (--allow KIND silences a kind)", warnings.len(), counts.join(", "));
    }
}

/// Writes the `--report` summary, if one was asked for. A report that cannot be written is said,
/// not fatal: the crate itself is what was asked for.
fn write_report(args: &Args, report: &serde_json::Value) {
    if let Some(path) = &args.report {
        if let Err(e) = std::fs::write(path, report.to_string()) {
            eprintln!("warning: cannot write the report {}: {e}", path.display());
        }
    }
}
