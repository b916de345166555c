//! Project tasks: `cargo xtask codegen [--check]`.

mod bench;
mod codegen;
mod conformance;
mod corpus;
mod fuzz;
mod manifest;
mod replay_tests;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask codegen [--check] | bench [--corpus DIR] [--no-compile] [SPEC...] | corpus LIST [--compile N] [--jobs J] [--out FILE] | conformance | fuzz

  codegen          regenerate generated/ from specs/ (see specs/clientgen.toml)
  codegen --check  fail, naming the files, when generated/ is not what codegen would write
  bench [--corpus DIR] [--no-compile] [SPEC...]
                   time the release `clientgen generate` on specs/, the given documents and the
                   corpus's largest (DIR/big.txt, default /tmp/corpus), then `cargo check` the
                   crates for GitHub, Stripe and all of Cognite
  corpus LIST      generate every document in LIST (one path a line) and check the first N crates
  conformance [--rounds N] [--only API] [--static-only API] [--servers | --servers-only]
                   every operation of every client against Stoplight Prism (static, then N dynamic
                   rounds), and with --servers the Chroma and Prefect workflows
  fuzz [--seconds N]
                   libFuzzer (cargo-fuzz, nightly) over the generator's entry point, N s (60)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(&root(), false),
        ["codegen", "--check"] => codegen::run(&root(), true),
        ["corpus", rest @ ..] => corpus::run(&root(), &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ["conformance", rest @ ..] => {
            conformance::run(&root(), &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        }
        ["fuzz", rest @ ..] => fuzz::run(&root(), &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ["bench", extra @ ..] => bench::run(&root(), &extra.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
fn root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}

/// Builds the release `clientgen` command (measurements are of what users run) and returns its path.
fn release_clientgen(root: &std::path::Path) -> Result<PathBuf, String> {
    let status = std::process::Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "clientgen"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p clientgen failed".into());
    }
    Ok(root.join("target/release/clientgen"))
}
