//! Documents written as an adversary would, each with the outcome it must have
//! (`tests/data/hostile/outcomes.txt`): refused with a clear error, or generated with a warning,
//! never a panic, a hang, a huge allocation, or a file read from outside the document's folder.

use std::path::Path;
use std::time::{Duration, Instant};

use clientgen::{generate, Settings};

fn settings() -> Settings {
    Settings {
        crate_name: "hostile".into(),
        include: Vec::new(),
        regenerate_with: "test".into(),
        source: None,
        overlays: Vec::new(),
        ref_roots: Vec::new(),
        group_features: clientgen::GroupFeatures::Auto,
        package: Default::default(),
    }
}

#[test]
fn every_hostile_document_has_its_outcome() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let outcomes = std::fs::read_to_string(folder.join("outcomes.txt")).expect("outcomes.txt");
    let mut checked = 0;
    for line in outcomes.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let (file, outcome) = line.split_once(": ").expect("`file: outcome`");
        let started = Instant::now();
        let result = generate(&folder.join(file), &settings());
        assert!(started.elapsed() < Duration::from_secs(10), "{file} took {:?}", started.elapsed());
        match outcome.split_once(": ").unwrap_or((outcome, "")) {
            ("error", text) => {
                let error = result.expect_err(file).to_string();
                assert!(error.contains(text), "{file}: expected an error with {text:?}, got {error}");
            }
            ("warning", text) => {
                let generated = result.unwrap_or_else(|e| panic!("{file}: {e}"));
                let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
                assert!(warnings.iter().any(|w| w.contains(text)), "{file}: no warning with {text:?} in {warnings:#?}");
            }
            ("generates", _) => {
                let generated = result.unwrap_or_else(|e| panic!("{file}: {e}"));
                for f in &generated.files {
                    let longest = f.path.components().map(|c| c.as_os_str().len()).max().unwrap_or(0);
                    assert!(longest < 128, "{file}: writes {}", f.path.display());
                    for line in f.contents.lines().filter(|l| l.contains("pub struct") || l.contains("pub fn")) {
                        assert!(line.len() < 256, "{file}: {line}");
                    }
                }
            }
            other => panic!("{file}: unknown outcome {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} documents checked");
}
