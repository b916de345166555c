//! `cargo xtask fuzz [--seconds N]`: libFuzzer over the generator's entry point (`fuzz/`).
//!
//! cargo-fuzz is installed into `target/tools` the first time and runs on the nightly toolchain
//! (sanitizer coverage needs it). The corpus starts from every document the project holds, so
//! the fuzzer mutates real OpenAPI rather than discovering YAML from nothing, and grows in
//! `target/fuzz/corpus` across runs. A crash fails the command and leaves its input in
//! `fuzz/artifacts/generate/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CARGO_FUZZ: &str = "0.13.1";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let seconds: u64 = match args {
        [] => 60,
        [flag, n] if flag == "--seconds" => n.parse().map_err(|_| format!("--seconds takes a number, not {n:?}"))?,
        _ => return Err("usage: cargo xtask fuzz [--seconds N]".into()),
    };
    let tools = root.join("target/tools");
    let cargo_fuzz = tools.join("bin/cargo-fuzz");
    if !cargo_fuzz.exists() {
        eprintln!("== installing cargo-fuzz {CARGO_FUZZ} into {}", tools.display());
        let status = Command::new(env!("CARGO"))
            .args(["install", "--locked", "--quiet", "cargo-fuzz", "--version", CARGO_FUZZ, "--root"])
            .arg(&tools)
            .status()
            .map_err(|e| format!("cannot run cargo install: {e}"))?;
        if !status.success() {
            return Err("cargo install cargo-fuzz failed".into());
        }
    }
    let corpus = root.join("target/fuzz/corpus/generate");
    std::fs::create_dir_all(&corpus).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let seeds = seed(root, &corpus)?;
    eprintln!("== fuzzing `clientgen::generate_text` for {seconds} s ({seeds} seed documents)");
    let started = Instant::now();
    // The stable cargo that runs this task must not be the one cargo-fuzz calls.
    let output = Command::new(&cargo_fuzz)
        .args(["fuzz", "run", "generate"])
        .arg(&corpus)
        .args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-rss_limit_mb=2048",
            "-timeout=20",
            "-max_len=262144",
            "-print_final_stats=1",
        ])
        .current_dir(root)
        .env_remove("CARGO")
        .env("RUSTUP_TOOLCHAIN", "nightly")
        .env("CARGO_TARGET_DIR", root.join("target/fuzz"))
        .stdout(Stdio::inherit())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run cargo-fuzz: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    let stat =
        |name: &str| log.lines().find_map(|l| l.strip_prefix(&format!("stat::{name}:")).map(|v| v.trim().to_string()));
    let executions = stat("number_of_executed_units").unwrap_or_else(|| "?".into());
    let peak = stat("peak_rss_mb").unwrap_or_else(|| "?".into());
    let wall = started.elapsed().as_secs_f64();
    if !output.status.success() {
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "the fuzzer found a failure after {executions} executions (its input is in fuzz/artifacts/generate/):\n{}",
            tail.join("\n")
        ));
    }
    println!(
        "{executions} executions in {seconds} s of fuzzing ({wall:.0} s with the build), peak RSS {peak} MB, no crash"
    );
    Ok(())
}

/// Copies the project's documents into the corpus (once each); returns how many there are.
fn seed(root: &Path, corpus: &Path) -> Result<usize, String> {
    let mut found: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.join("specs"), root.join("generator/tests/data")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
                // libFuzzer's -max_len: bigger inputs would be cut anyway.
                && entry.metadata().is_ok_and(|m| m.len() <= 262_144)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    for (i, path) in found.iter().enumerate() {
        let name =
            path.file_name().map_or_else(|| format!("seed-{i}"), |n| format!("seed-{i}-{}", n.to_string_lossy()));
        let target = corpus.join(name);
        if !target.exists() {
            std::fs::copy(path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(found.len())
}
