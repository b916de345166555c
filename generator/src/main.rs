//! The `clientgen` command: `clientgen generate SPEC --out DIR [--name CRATE] [--include-tag T]…`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clientgen::{generate, is_valid_crate_name, Include, Settings, Warning};

const USAGE: &str = "usage: clientgen generate SPEC --out DIR [--name CRATE] [--include-tag TAG]... [--include-path PREFIX]... [--include-operation ID]... [--overlay FILE]... [--verbose] [--timings] [--report FILE]

Generates a Rust client crate for the OpenAPI 3.0/3.1 document SPEC (YAML or JSON) into DIR.
--overlay applies an OpenAPI Overlay 1.0 file to SPEC first (repeatable, in order).";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    include: Vec<Include>,
    overlays: Vec<PathBuf>,
    verbose: bool,
    timings: bool,
    /// Where to write a JSON summary (for `cargo xtask corpus`).
    report: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut iter = args.iter();
    match iter.next().map(String::as_str) {
        Some("generate") => {}
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    let (mut spec, mut out, mut name, mut include, mut verbose, mut timings, mut report) =
        (None, None, None, Vec::new(), false, false, None);
    let mut overlays = Vec::new();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--include-tag" => include.push(Include::Tag(value("--include-tag")?)),
            "--include-path" => include.push(Include::Path(value("--include-path")?)),
            "--include-operation" => include.push(Include::OperationId(value("--include-operation")?)),
            "--overlay" => overlays.push(PathBuf::from(value("--overlay")?)),
            "--verbose" | "-v" => verbose = true,
            "--timings" => timings = true,
            "--report" => report = Some(PathBuf::from(value("--report")?)),
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path if spec.is_none() => spec = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    Ok(Args {
        spec: spec.ok_or("missing SPEC")?,
        out: out.ok_or("missing --out DIR")?,
        name,
        include,
        overlays,
        verbose,
        timings,
        report,
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(args) => args,
        Err(message) => {
            if message.is_empty() {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let name = args.name.clone().unwrap_or_else(|| default_name(&args.spec));
    if !is_valid_crate_name(&name) {
        eprintln!("error: `{name}` is not a valid crate name: use letters, digits, `-` and `_`, starting with a letter (pass --name)");
        return ExitCode::from(2);
    }
    let settings = Settings {
        crate_name: name,
        include: args.include.clone(),
        regenerate_with: format!("clientgen from {}", args.spec.display()),
        source: None,
        overlays: args.overlays.clone(),
    };
    let generated = match generate(&args.spec, &settings) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("error: {error}");
            write_report(&args, &serde_json::json!({"ok": false, "stage": error.stage, "error": error.to_string()}));
            return ExitCode::FAILURE;
        }
    };
    report(&generated.warnings, args.verbose);
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
    if let Err(message) = write_all(&args.out, &generated.files) {
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

/// Prints warnings, a few of each kind unless `verbose`.
fn report(warnings: &[Warning], verbose: bool) {
    let mut by_kind: BTreeMap<&str, Vec<&Warning>> = BTreeMap::new();
    for w in warnings {
        by_kind.entry(w.kind).or_default().push(w);
    }
    for list in by_kind.values() {
        let shown = if verbose { list.len() } else { 3 };
        for w in list.iter().take(shown) {
            eprintln!("{w}");
        }
        if list.len() > shown {
            eprintln!("  … and {} more like this (--verbose shows all)", list.len() - shown);
        }
    }
}

/// Writes every file, each through a temporary name and a rename, so an interrupted run leaves
/// whole files, then removes the files an earlier generation wrote that this one did not (a
/// group that is gone). Files without the generated header are the user's and stay. Nothing is
/// written when a path would leave `out`.
fn write_all(out: &Path, files: &[clientgen::File]) -> Result<(), String> {
    for file in files {
        if !file.path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!("refusing to write {} outside {}", file.path.display(), out.display()));
        }
    }
    for file in files {
        let path = out.join(&file.path);
        if file.once && path.exists() {
            continue; // The crate owner's file now.
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let temp = path.with_extension("clientgen-tmp");
        std::fs::write(&temp, &file.contents).map_err(|e| format!("cannot write {}: {e}", temp.display()))?;
        std::fs::rename(&temp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let written: Vec<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    for stale in clientgen::generated_files(out).into_iter().filter(|p| !written.contains(p)) {
        std::fs::remove_file(&stale).map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
    }
    Ok(())
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
