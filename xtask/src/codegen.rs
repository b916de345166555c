//! `cargo xtask codegen`: regenerates every crate in `generated/` and, with `--check`, reports
//! the files that differ instead of writing them.
//!
//! Files that do not start with the generated header are hand-written: codegen never touches
//! them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clientgen::{generate, Settings};

use crate::manifest;

pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let manifest = manifest::read(&root.join("specs"))?;
    let mut stale: Vec<PathBuf> = Vec::new();
    for api in &manifest.api {
        let started = Instant::now();
        let config = &api.config;
        let package = &config.package;
        let settings = Settings {
            crate_name: api.crate_name().to_string(),
            include: config.include(),
            regenerate_with: "cargo xtask codegen".into(),
            source: Some(api.source.clone()),
            overlays: config.overlays.clone(),
            ref_roots: config.allow_ref_roots.clone(),
            group_features: config.group_features()?,
            package: clientgen::Package {
                version: package.version.clone(),
                license: package.license.clone(),
                repository: package.repository.clone(),
                documentation: package.documentation.clone(),
                dependencies: config.dependencies.clone(),
            },
        };
        let spec = api.spec().to_path_buf();
        let generated = generate(&spec, &settings).map_err(|e| e.to_string())?;
        let out = root.join("generated").join(&api.name);
        let mut expected: Vec<PathBuf> = Vec::new();
        for file in &generated.files {
            let path = out.join(&file.path);
            expected.push(path.clone());
            if file.once && path.exists() {
                continue; // Hand-written from here on: never compared, never overwritten.
            }
            if !ensure_contents(&path, &file.contents, check)? {
                stale.push(path);
            }
        }
        for path in clientgen::generated_files(&out) {
            if !expected.contains(&path) {
                if !check {
                    std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
                }
                stale.push(path);
            }
        }
        if let Some(dir) = &api.replay_tests {
            let tests =
                crate::replay_tests::write(&generated.api, api.crate_name(), &root.join("tests/fixtures"), dir)?;
            let path = root.join("tests/tests/replay").join(format!("{}_operations.rs", api.name));
            if !ensure_contents(&path, &tests, check)? {
                stale.push(path);
            }
        }
        let (total, emitted) = generated.operations;
        eprintln!(
            "{:<8} {emitted:>3}/{total} operations, {:>4} types, {:>4} warnings, {:>5.0} ms",
            api.name,
            generated.types,
            generated.warnings.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if check && !stale.is_empty() {
        let list: Vec<String> =
            stale.iter().map(|p| format!("  {}", p.strip_prefix(root).unwrap_or(p).display())).collect();
        return Err(format!("generated/ is stale; run `cargo xtask codegen` and commit:\n{}", list.join("\n")));
    }
    Ok(())
}

/// Writes `contents` unless the file already has them; in check mode only compares.
/// Returns whether the file was already up to date.
fn ensure_contents(path: &Path, contents: &str, check: bool) -> Result<bool, String> {
    let current = std::fs::read_to_string(path).ok().map(|s| s.replace("\r\n", "\n"));
    if current.as_deref() == Some(contents) {
        return Ok(true);
    }
    if !check {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("updated {}", path.display());
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A root with one small API, written once by codegen.
    fn project(name: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("clientgen-codegen-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("specs")).expect("a temporary project");
        let spec = "openapi: 3.1.0\ninfo: {title: Demo, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: Done.}}\n";
        std::fs::write(root.join("specs/demo.yaml"), spec).expect("the spec");
        let manifest = "[[api]]\nname = \"demo\"\ncrate = \"demo-client\"\nspec = \"demo.yaml\"\nsource = \"a test\"\n";
        std::fs::write(root.join("specs/clientgen.toml"), manifest).expect("the manifest");
        run(&root, false).expect("generates");
        root
    }

    #[test]
    fn check_ignores_hand_written_code_and_finds_drift_in_generated_code() {
        let root = project("check");
        let custom = root.join("generated/demo/src/custom/mod.rs");
        std::fs::write(&custom, "pub fn mine() {}\n").expect("hand-written code");
        std::fs::write(root.join("generated/demo/src/custom/more.rs"), "pub struct More;\n").expect("more");
        run(&root, true).expect("hand-written code is not drift");
        run(&root, false).expect("regenerates");
        assert_eq!(std::fs::read_to_string(&custom).expect("kept"), "pub fn mine() {}\n");

        let types = root.join("generated/demo/src/lib.rs");
        let edited = std::fs::read_to_string(&types).expect("lib.rs") + "// an edit\n";
        std::fs::write(&types, edited).expect("an edit");
        let error = run(&root, true).expect_err("the edit is drift");
        assert!(error.contains("generated/demo/src/lib.rs"), "{error}");
        let _ = std::fs::remove_dir_all(&root);
    }
}
