//! The `clientgen` command: `clientgen generate SPEC --out DIR [--name CRATE] [--include-tag T]…`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clientgen::{generate, is_valid_crate_name, Include, Settings, Warning};

const USAGE: &str = "usage: clientgen generate SPEC --out DIR [--name CRATE] [--include-tag TAG]... [--include-path PREFIX]... [--include-operation ID]... [--overlay FILE]... [--allow-ref-root DIR]... [--force] [--verbose] [--timings] [--report FILE]

Generates a Rust client crate for the OpenAPI 3.0/3.1 document SPEC (YAML or JSON) into DIR.
--overlay applies an OpenAPI Overlay 1.0 file to SPEC first (repeatable, in order).
--allow-ref-root lets `$ref`s name files in DIR too; by default they must lie in SPEC's folder.
--force writes into a non-empty DIR that clientgen did not make (files of the same names are replaced).";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    include: Vec<Include>,
    overlays: Vec<PathBuf>,
    ref_roots: Vec<PathBuf>,
    force: bool,
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
    let (mut overlays, mut ref_roots, mut force) = (Vec::new(), Vec::new(), false);
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--out" | "-o" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--include-tag" => include.push(Include::Tag(value("--include-tag")?)),
            "--include-path" => include.push(Include::Path(value("--include-path")?)),
            "--include-operation" => include.push(Include::OperationId(value("--include-operation")?)),
            "--overlay" => overlays.push(PathBuf::from(value("--overlay")?)),
            "--allow-ref-root" => ref_roots.push(PathBuf::from(value("--allow-ref-root")?)),
            "--force" => force = true,
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
        ref_roots,
        force,
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
        ref_roots: args.ref_roots.clone(),
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

/// Writes the `--report` summary, if one was asked for. A report that cannot be written is said,
/// not fatal: the crate itself is what was asked for.
fn write_report(args: &Args, report: &serde_json::Value) {
    if let Some(path) = &args.report {
        if let Err(e) = std::fs::write(path, report.to_string()) {
            eprintln!("warning: cannot write the report {}: {e}", path.display());
        }
    }
}
