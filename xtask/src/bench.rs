//! `cargo xtask bench [--corpus DIR] [--no-compile] [SPEC…]`: what a generated client costs, with
//! a release build of clientgen. First generation: wall time (median of five), peak memory and
//! lines written, for the documents in `specs/`, the given ones, and the corpus's largest
//! (GitHub, Stripe, Microsoft Graph v1.0 and beta, from `DIR/big.txt`). Then compile cost:
//! `cargo check` of the crates for GitHub, Stripe and the whole of Cognite, and of Microsoft
//! Graph's with only their largest group's feature, with their dependencies built first, in CPU
//! seconds and peak memory. A measurement, not a test: nothing
//! fails when it is slow.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// The corpus's largest documents whose crates are also checked, by file name.
const CHECKED: [&str; 2] = ["api.github.com.json", "stripe.com.json"];

/// Documents whose crates are checked with their largest group's feature only: whole, they
/// are more than anyone compiles (Microsoft Graph's crates hold 45 and 96 MB of Rust).
const CHECKED_BY_GROUP: [&str; 2] = ["graph.json", "graph-beta.json"];

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut corpus = std::env::var_os("CLIENTGEN_CORPUS").map_or_else(|| PathBuf::from("/tmp/corpus"), PathBuf::from);
    let mut compile = true;
    let mut extra = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--corpus" => corpus = PathBuf::from(args.next().ok_or("--corpus needs a folder")?),
            "--no-compile" => compile = false,
            other => extra.push(PathBuf::from(other)),
        }
    }
    let binary = crate::release_clientgen(root)?;
    let manifest = crate::manifest::read(&root.join("specs"))?;
    let mut specs: Vec<PathBuf> = manifest.api.iter().map(|api| api.spec().to_path_buf()).collect();
    specs.extend(extra);
    let big = big_documents(&corpus);
    if big.is_empty() {
        println!(
            "(no corpus at {}: run `bash ../shared/corpus/fetch.sh {}` for GitHub, Stripe and Microsoft Graph)",
            corpus.display(),
            corpus.display()
        );
    }
    specs.extend(big.iter().cloned());

    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    println!("generation: {RUNS} runs each of `clientgen generate`, wall time including process start and writing");
    println!(
        "{:<28} {:>7} {:>8} {:>8} {:>7} {:>9} {:>9} {:>9}   stages of the fastest run",
        "document", "MB", "median", "fastest", "ms/MB", "peak RSS", "lines", "code"
    );
    let mut to_check: Vec<(String, PathBuf, bool)> = Vec::new();
    for spec in &specs {
        let name = file_name(spec);
        let crate_name = crate_name(spec);
        let out = work.join("crates").join(&crate_name);
        let mut runs: Vec<(Duration, Usage, String)> = Vec::new();
        for _ in 0..RUNS {
            let _ = std::fs::remove_dir_all(&out);
            let mut command = Command::new(&binary);
            command.arg("generate").arg(spec).arg("--out").arg(&out).args(["--name", &crate_name, "--timings"]);
            let (elapsed, usage, output) = measured(&mut command)?;
            let stages =
                output.lines().find_map(|l| l.strip_prefix("timings: ").map(str::to_string)).unwrap_or_default();
            runs.push((elapsed, usage, stages));
        }
        runs.sort_by_key(|(elapsed, _, _)| *elapsed);
        let megabytes = std::fs::metadata(spec).map_or(0.0, |m| m.len() as f64 / 1e6);
        let median = runs[RUNS / 2].0.as_secs_f64() * 1000.0;
        let peak = runs.iter().map(|(_, u, _)| u.peak_kb).max().unwrap_or(0);
        let (lines, code) = lines_of_rust(&out);
        println!(
            "{name:<28} {megabytes:>7.1} {:>5.0} ms {:>5.0} ms {:>7.0} {:>6} MB {lines:>9} {code:>9}   {}",
            median,
            runs[0].0.as_secs_f64() * 1000.0,
            median / megabytes.max(0.001),
            peak / 1024,
            runs[0].2
        );
        let whole =
            CHECKED.contains(&name.as_str()) || name == "openapi.json" && spec.starts_with(root.join("specs/cognite"));
        if compile && (whole || CHECKED_BY_GROUP.contains(&name.as_str())) {
            to_check.push((crate_name, out, whole));
        } else {
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    if compile && !to_check.is_empty() {
        check_cost(&work, &to_check)?;
    }
    Ok(())
}

/// `cargo check` of each crate with its dependencies already built, incremental compilation
/// off (a user's first build of the crate).
fn check_cost(work: &Path, crates: &[(String, PathBuf, bool)]) -> Result<(), String> {
    let members: Vec<String> = crates.iter().map(|(name, _, _)| format!("\"crates/{name}\"")).collect();
    let manifest = format!("[workspace]\nmembers = [{}]\nresolver = \"3\"\n", members.join(", "));
    std::fs::write(work.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the bench workspace: {e}"))?;
    let check = |package: &str, feature: Option<&str>| {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(["check", "--quiet", "-p", package])
            .current_dir(work)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .env("CARGO_INCREMENTAL", "0");
        if let Some(feature) = feature {
            command.args(["--no-default-features", "--features", feature]);
        }
        command
    };
    let touch = |dir: &Path| {
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
        std::fs::write(&lib, text).map_err(|e| format!("cannot touch {}: {e}", lib.display()))
    };
    let row = |label: String, (elapsed, usage, _): (Duration, Usage, String)| {
        println!(
            "{label:<28} {:>7.1} s {:>7.1} s {:>6} MB",
            usage.cpu.as_secs_f64(),
            elapsed.as_secs_f64(),
            usage.peak_kb / 1024
        );
    };
    println!("\ncompile cost: `cargo check` of the generated crate, its dependencies built first, incremental off");
    println!("{:<28} {:>9} {:>9} {:>9}", "crate", "CPU", "wall", "peak RSS");
    for (name, dir, whole) in crates {
        // With a feature per group, what a user of one group pays: the largest group alone.
        let feature = largest_group(dir);
        if *whole {
            // The dependencies (and a first check), so that only the crate itself is measured.
            measured(&mut check(name, None))?;
            touch(dir)?;
            row(name.clone(), measured(&mut check(name, None))?);
        } else if feature.is_some() {
            measured(&mut check(name, feature.as_deref()))?;
            touch(dir)?;
        }
        if let Some(feature) = feature {
            let label = if *whole { format!("  --features {feature}") } else { format!("{name} --features {feature}") };
            row(label, measured(&mut check(name, Some(&feature)))?);
        }
    }
    Ok(())
}

fn largest_group(dir: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let features: Vec<&str> = manifest
        .lines()
        .skip_while(|l| !l.starts_with("default = ["))
        .skip(1)
        .map_while(|l| l.strip_suffix(" = []"))
        .filter(|f| *f != "other-types" && *f != "full-serde")
        .collect();
    let size = |feature: &&&str| {
        let module = format!("{}.rs", feature.replace('-', "_"));
        std::fs::metadata(dir.join("src/resources").join(module)).map_or(0, |m| m.len())
    };
    features.iter().max_by_key(size).map(|f| f.to_string())
}

/// What a finished process and the children it waited for used.
#[derive(Clone, Copy, Default)]
struct Usage {
    cpu: Duration,
    /// The largest resident set of the process or any of its children, in KiB.
    peak_kb: u64,
}

/// Runs `command` to its end: its wall time, usage, and what it wrote to stderr. A failure is
/// an error carrying that output.
fn measured(command: &mut Command) -> Result<(Duration, Usage, String), String> {
    let started = Instant::now();
    let child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // Read stderr on the side, so a talkative child never blocks on a full pipe.
    let mut stderr = child.stderr.ok_or("no stderr")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct wait4 fills in.
    let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own child, not yet waited for; both pointers are to live locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut rusage) };
    let elapsed = started.elapsed();
    let output = reader.join().unwrap_or_default();
    if waited != pid {
        return Err(format!("cannot wait for {command:?}: {}", std::io::Error::last_os_error()));
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{command:?} failed:\n{output}"));
    }
    let time = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    let usage = Usage { cpu: time(rusage.ru_utime) + time(rusage.ru_stime), peak_kb: rusage.ru_maxrss as u64 };
    Ok((elapsed, usage, output))
}

/// The corpus's largest documents, as `fetch.sh` lists them in `big.txt`.
fn big_documents(corpus: &Path) -> Vec<PathBuf> {
    let Ok(list) = std::fs::read_to_string(corpus.join("big.txt")) else { return Vec::new() };
    list.lines().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from).filter(|p| p.is_file()).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A crate name from a document's folder and file name: `specs/cognite/openapi.json` →
/// `bench-cognite-openapi`.
fn crate_name(spec: &Path) -> String {
    let folder = spec.parent().and_then(Path::file_name).map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let stem = spec.file_stem().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let slug: String = format!("{folder}-{stem}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("bench-{slug}")
}

/// Lines in the `.rs` files under `dir`.
/// Lines of Rust under `dir`: all of them, and those that are code (not blank, not a comment
/// or doc comment), as tokei counts them.
fn lines_of_rust(dir: &Path) -> (usize, usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return (0, 0) };
    entries
        .flatten()
        .map(|entry| {
            let path = entry.path();
            if path.is_dir() {
                lines_of_rust(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                std::fs::read_to_string(&path).map_or((0, 0), |text| {
                    let code = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")).count();
                    (text.lines().count(), code)
                })
            } else {
                (0, 0)
            }
        })
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d))
}
