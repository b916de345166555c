//! `cargo xtask corpus LIST [--compile N] [--doc] [--jobs J] [--out FILE]`: runs the release
//! `clientgen generate` on every document listed in LIST (one path a line), each in its own
//! process with a time bound, then `cargo clippy`s the first N crates that generated in one
//! shared workspace, and with `--doc` counts the warnings rustdoc gives on them. Prints one line per failure, a table by category, fidelity totals, and
//! closes with `N passed, N failed`. Every document's result is also a JSON line in FILE.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long one document may take to generate before it counts as a hang.
const TIME_BOUND: Duration = Duration::from_secs(60);

struct Options {
    list: PathBuf,
    compile: usize,
    doc: bool,
    jobs: usize,
    out: PathBuf,
}

fn parse(root: &Path, args: &[String]) -> Result<Options, String> {
    let mut iter = args.iter();
    let list = iter.next().ok_or("usage: cargo xtask corpus LIST [--compile N] [--doc] [--jobs J] [--out FILE]")?;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut options = Options {
        list: PathBuf::from(list),
        compile: 0,
        doc: false,
        jobs: cores,
        out: root.join("target/corpus-results.jsonl"),
    };
    while let Some(flag) = iter.next() {
        if flag == "--doc" {
            options.doc = true;
            continue;
        }
        let value = iter.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--compile" => options.compile = value.parse().map_err(|_| "--compile takes a number")?,
            "--jobs" => options.jobs = value.parse::<usize>().map_err(|_| "--jobs takes a number")?.max(1),
            "--out" => options.out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = parse(root, args)?;
    let text =
        std::fs::read_to_string(&options.list).map_err(|e| format!("cannot read {}: {e}", options.list.display()))?;
    let documents: Vec<PathBuf> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from).collect();
    let binary = crate::release_clientgen(root)?;
    let work = root.join("target/corpus-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("crates")).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    let started = Instant::now();
    let mut results = generate_all(&binary, &work, &documents, options.jobs);
    if options.compile > 0 {
        compile(root, &work, &mut results, options.compile)?;
        if options.doc {
            document(root, &work, &mut results)?;
        }
    }
    report(&results, &options, started.elapsed())
}

/// One document's outcome, as written to the JSON lines file.
fn generate_all(binary: &Path, work: &Path, documents: &[PathBuf], jobs: usize) -> Vec<Value> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Value>> = Mutex::new(vec![Value::Null; documents.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(document) = documents.get(index) else { break };
                let result = generate_one(binary, work, index, document);
                results.lock().unwrap_or_else(|p| p.into_inner())[index] = result;
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner())
}

fn generate_one(binary: &Path, work: &Path, index: usize, document: &Path) -> Value {
    let name = format!("c{index:04}");
    let out = work.join("crates").join(&name);
    let report = work.join(format!("{name}.json"));
    let base = json!({"document": document.display().to_string(), "crate": format!("corpus-{name}")});
    let child = Command::new(binary)
        .arg("generate")
        .arg(document)
        .args([
            "--out",
            &out.to_string_lossy(),
            "--name",
            &format!("corpus-{name}"),
            "--report",
            &report.to_string_lossy(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => return with(base, json!({"stage": "run", "reason": e.to_string()})),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > TIME_BOUND => {
                let _ = child.kill();
                let _ = child.wait();
                return with(
                    base,
                    json!({"stage": "timeout", "reason": format!("no answer in {} s", TIME_BOUND.as_secs())}),
                );
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return with(base, json!({"stage": "run", "reason": e.to_string()})),
        }
    };
    let stderr = child.stderr.take().map(|mut s| {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut s, &mut text);
        text
    });
    let first_error = stderr
        .as_deref()
        .and_then(|t| t.lines().find(|l| l.starts_with("error") || l.contains("panicked")).map(str::to_string));
    let summary: Value =
        std::fs::read_to_string(&report).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or(Value::Null);
    let _ = std::fs::remove_file(&report);
    if status.success() {
        return with(base, json!({"stage": "ok", "summary": summary}));
    }
    // Exit 1 is a reported error; anything else (101, a signal) is a crash.
    let stage = match (status.code(), summary.get("stage").and_then(Value::as_str)) {
        (Some(1), Some(stage)) if !stage.is_empty() => stage.to_string(),
        (Some(1), _) => "ir".to_string(),
        _ => "panic".to_string(),
    };
    with(base, json!({"stage": stage, "reason": first_error.unwrap_or_else(|| format!("exit status {status}"))}))
}

fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        base.extend(extra.clone());
    }
    base
}

/// `cargo check`s the first `count` generated crates in one workspace with one target folder.
fn compile(root: &Path, work: &Path, results: &mut [Value], count: usize) -> Result<(), String> {
    let chosen: Vec<usize> = (0..results.len()).filter(|i| results[*i]["stage"] == "ok").take(count).collect();
    let members: Vec<String> = chosen.iter().map(|i| format!("\"crates/c{i:04}\"")).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace: {e}"))?;
    eprintln!("checking {} generated crates…", chosen.len());
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--keep-going", "--message-format", "json", "--quiet", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root.join("target/corpus"))
        .current_dir(work)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut first_error: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        if message["reason"] != "compiler-message" || message["message"]["level"] != "error" {
            continue;
        }
        let Some(name) = crate_of(message["package_id"].as_str().unwrap_or("")) else { continue };
        let text = message["message"]["message"].as_str().unwrap_or("").to_string();
        first_error.entry(name).or_insert(text);
    }
    for i in chosen {
        let dir = format!("c{i:04}");
        let error = first_error.iter().find(|(k, _)| k.ends_with(&dir)).map(|(_, v)| v.clone());
        results[i]["compiled"] = json!(error.is_none());
        if let Some(error) = error {
            results[i]["stage"] = json!("compile");
            results[i]["reason"] = json!(error);
        }
    }
    Ok(())
}

/// Runs rustdoc over the workspace `compile` wrote and records each crate's warning count, so
/// that doc comments taken from documents are measured as users read them.
fn document(root: &Path, work: &Path, results: &mut [Value]) -> Result<(), String> {
    eprintln!("documenting them…");
    let output = Command::new(env!("CARGO"))
        .args(["doc", "--no-deps", "--keep-going", "--message-format", "json", "--quiet"])
        .env("CARGO_TARGET_DIR", root.join("target/corpus"))
        .current_dir(work)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo doc: {e}"))?;
    let mut warnings: BTreeMap<String, u64> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else { continue };
        let level = &message["message"]["level"];
        if message["reason"] != "compiler-message" || (level != "warning" && level != "error") {
            continue;
        }
        // rustdoc closes with "N warnings emitted", which is no warning of its own.
        if message["message"]["spans"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let Some(name) = crate_of(message["package_id"].as_str().unwrap_or("")) else { continue };
        *warnings.entry(name).or_default() += 1;
    }
    for (i, result) in results.iter_mut().enumerate() {
        if result["compiled"].is_null() {
            continue;
        }
        let dir = format!("c{i:04}");
        let count = warnings.iter().find(|(k, _)| k.ends_with(&dir)).map_or(0, |(_, v)| *v);
        result["doc_warnings"] = json!(count);
    }
    Ok(())
}

/// The corpus crate a cargo `package_id` names (`path+file:///…/crates/c0003#corpus-c0003@0.1.0`).
fn crate_of(package_id: &str) -> Option<String> {
    let (_, rest) = package_id.split_once('#')?;
    let name = rest.split('@').next()?;
    name.starts_with("corpus-c").then(|| name.to_string())
}

fn report(results: &[Value], options: &Options, elapsed: Duration) -> Result<(), String> {
    let lines: Vec<String> = results.iter().map(Value::to_string).collect();
    std::fs::write(&options.out, lines.join("\n") + "\n")
        .map_err(|e| format!("cannot write {}: {e}", options.out.display()))?;
    let mut by_stage: BTreeMap<String, usize> = BTreeMap::new();
    let (mut operations, mut emitted, mut schemas, mut fallbacks) = (0u64, 0u64, 0u64, 0u64);
    for r in results {
        let stage = r["stage"].as_str().unwrap_or("?").to_string();
        if stage != "ok" {
            println!(
                "{}: {stage}: {}",
                r["document"].as_str().unwrap_or("?"),
                r["reason"].as_str().unwrap_or("").lines().next().unwrap_or("")
            );
        }
        *by_stage.entry(stage).or_default() += 1;
        let summary = &r["summary"];
        operations += summary["operations"].as_u64().unwrap_or(0);
        emitted += summary["emitted"].as_u64().unwrap_or(0);
        schemas += summary["schemas"].as_u64().unwrap_or(0);
        fallbacks += summary["fallbacks"].as_u64().unwrap_or(0);
    }
    println!("\n{:<10} {:>6}", "stage", "count");
    for (stage, count) in &by_stage {
        println!("{stage:<10} {count:>6}");
    }
    for r in results.iter().filter(|r| r["doc_warnings"].as_u64().unwrap_or(0) > 0) {
        println!("{}: rustdoc: {} warning(s)", r["document"].as_str().unwrap_or("?"), r["doc_warnings"]);
    }
    let documented = results.iter().filter(|r| !r["doc_warnings"].is_null()).count();
    if documented > 0 {
        let warnings: u64 = results.iter().filter_map(|r| r["doc_warnings"].as_u64()).sum();
        println!("\nrustdoc: {warnings} warning(s) over {documented} documented crates");
    }
    let compiled = results.iter().filter(|r| r["compiled"] == json!(true)).count();
    let checked = results.iter().filter(|r| !r["compiled"].is_null()).count();
    let percent = |a: u64, b: u64| if b == 0 { 100.0 } else { a as f64 * 100.0 / b as f64 };
    println!(
        "\n{} documents in {:.0} s; generated {}; compiled {compiled} of {checked} checked\n\
         operations emitted {emitted} of {operations} ({:.2}%); untyped fallbacks {fallbacks} of {schemas} schemas ({:.3}%)\n\
         results: {}",
        results.len(),
        elapsed.as_secs_f64(),
        results.iter().filter(|r| r["summary"]["ok"] == json!(true)).count(),
        percent(emitted, operations),
        percent(fallbacks, schemas),
        options.out.display()
    );
    let passed = by_stage.get("ok").copied().unwrap_or(0);
    println!("{passed} passed, {} failed", results.len() - passed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn compile_errors_are_attributed_to_their_crate() {
        assert_eq!(
            crate_of("path+file:///w/target/corpus-work/crates/c0003#corpus-c0003@0.1.0").as_deref(),
            Some("corpus-c0003")
        );
        assert_eq!(crate_of("registry+https://github.com/rust-lang/crates.io-index#serde@1.0.0"), None);
    }
}
