//! Small documents → the Rust they generate, one construct per case.
//!
//! Each `tests/cases/<case>.yaml` is a whole OpenAPI document whose leading comment says what it
//! shows. Beside it, `<case>.rs` holds the crate it generates (every file but the runtime all
//! crates share, after the warnings) and `<case>.ir` the IR it was generated from. Run with
//! `UPDATE_EXPECT=1` to accept new output, then review the diff like any other change.
//! `every_case_compiles` builds all the cases' crates, so a snapshot that reads well but does
//! not type-check still fails.
//!
//! A comment line `# clientgen: features-per-group` in a document asks for a cargo feature per
//! group, as `--features-per-group` does.

use std::path::{Path, PathBuf};
use std::process::Command;

use clientgen::{generate_text, Generated, GroupFeatures, Settings};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Every case document, sorted by name.
fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in tests/cases");
    cases
}

fn generate_case(spec: &Path, crate_name: &str) -> Generated {
    let text = std::fs::read_to_string(spec).expect("the case document");
    let group_features = match text.lines().any(|l| l.trim() == "# clientgen: features-per-group") {
        true => GroupFeatures::Always,
        false => GroupFeatures::Auto,
    };
    let settings = Settings {
        crate_name: crate_name.into(),
        include: Vec::new(),
        regenerate_with: "cargo test -p clientgen --test cases".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        group_features,
        package: Default::default(),
    };
    // Named by its file name only, so messages read the same on every machine.
    let name = Path::new(spec.file_name().expect("a file name"));
    generate_text(name, text, &settings).unwrap_or_else(|e| panic!("{}: {e}", spec.display()))
}

/// The snapshot of a generated crate: its warnings, then each file of its own (not the runtime
/// and dates every crate shares, not the user's `custom` module) without the `@generated`
/// header, and the manifest's features when it has one per group.
fn crate_snapshot(case: &str, generated: &Generated) -> String {
    let mut out = format!("//! What `{case}` generates: its warnings, then each file but the shared runtime.\n");
    for warning in &generated.warnings {
        out.push_str(&format!("// {warning}\n"));
    }
    let mut files: Vec<_> = generated.files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for file in files {
        let path = file.path.to_string_lossy().replace('\\', "/");
        let body = file.contents.split_once("\n\n").map_or(file.contents.as_str(), |(_, rest)| rest);
        let body = match path.as_str() {
            // The features of a crate with one per group; every crate has `full-serde`.
            "Cargo.toml" => match body.find("[features]").filter(|_| body.contains("# A feature per group")) {
                Some(start) => {
                    let table = &body[start..];
                    let end = table[1..].find("\n[").map_or(table.len(), |e| e + 2);
                    &table[..end]
                }
                None => continue,
            },
            // The same text in every crate that has them; the README's quick start is lib.rs's.
            "src/time.rs" | "README.md" => continue,
            p if p.starts_with("src/runtime/") || p.starts_with("src/custom/") => continue,
            _ => body,
        };
        out.push_str(&format!("\n// ---- {path} ----\n\n{}\n", body.trim_matches('\n')));
    }
    out
}

/// Compares `actual` with the file at `path`, or writes it there under `UPDATE_EXPECT=1`.
/// Returns a message when they differ.
fn compare(path: &Path, actual: &str) -> Option<String> {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    if update {
        std::fs::write(path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs from line {}:\n  recorded: {:?}\n  now:      {:?}",
        path.display(),
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>"),
    ))
}

#[test]
fn every_case_generates_what_is_recorded() {
    let mut failures = Vec::new();
    for spec in cases() {
        let generated = generate_case(&spec, "snapshot");
        let case = spec.file_name().unwrap_or_default().to_string_lossy();
        failures.extend(compare(&spec.with_extension("rs"), &crate_snapshot(&case, &generated)));
        failures.extend(compare(&spec.with_extension("ir"), &format!("{:#?}\n", generated.api)));
    }
    assert!(
        failures.is_empty(),
        "{}\n\n(run with UPDATE_EXPECT=1 to accept the new output, then review the diff)",
        failures.join("\n")
    );
}

#[test]
fn every_case_has_its_snapshots_and_nothing_else() {
    let names: Vec<String> =
        cases().iter().map(|p| p.file_stem().unwrap_or_default().to_string_lossy().into()).collect();
    for entry in std::fs::read_dir(cases_dir()).expect("tests/cases") {
        let path = entry.expect("a directory entry").path();
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        assert!(names.contains(&stem), "{} belongs to no case document", path.display());
    }
}

/// Generates every case as a crate of one workspace and runs clippy over them all
/// (`-D warnings`), with its own target folder: cargo holds the test run's.
#[test]
fn every_case_compiles() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cases");
    let crates = work.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    let mut members = Vec::new();
    for spec in cases() {
        let stem = spec.file_stem().unwrap_or_default().to_string_lossy().to_string();
        let name = format!("case-{}", stem.replace('_', "-"));
        let generated = generate_case(&spec, &name);
        clientgen::output::write_crate(&crates.join(&stem), &generated.files, true)
            .unwrap_or_else(|e| panic!("cannot write {stem}: {e}"));
        members.push(format!("\"crates/{stem}\""));
    }
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(work.join("Cargo.toml"), manifest).expect("the workspace manifest");
    // The repository's lock file: the versions every other generated crate is tested with.
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lock, work.join("Cargo.lock")).expect("the lock file");
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--quiet", "--message-format", "short", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", work.join("target"))
        .current_dir(&work)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "the cases' crates do not build:\n{}", String::from_utf8_lossy(&output.stderr));
}
