//! Rules of the code base that a reviewer should not have to check by eye.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn source(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
}

#[test]
fn only_emit_knows_rust_syntax() {
    for stage in ["src/load", "src/ir"] {
        for file in rust_files(&source(stage)) {
            let text = std::fs::read_to_string(&file).expect("readable");
            for crate_name in ["quote", "syn::", "proc_macro2", "prettyplease"] {
                assert!(!text.contains(crate_name), "{} uses {crate_name}: only emit may", file.display());
            }
        }
    }
}

#[test]
fn the_ir_does_not_see_the_document_tree() {
    for file in rust_files(&source("src/ir")) {
        let text = std::fs::read_to_string(&file).expect("readable");
        assert!(!text.contains("Reader"), "{} reads the document: that is load's job", file.display());
    }
}

#[test]
fn every_file_says_what_it_is_for() {
    let workspace = source("..");
    for dir in ["generator/src", "generator/runtime", "generator/tests", "xtask/src", "tests/src", "tests/tests"] {
        for file in rust_files(&workspace.join(dir)) {
            let text = std::fs::read_to_string(&file).expect("readable");
            assert!(text.starts_with("//!"), "{} must open with a `//!` comment saying what it is for", file.display());
        }
    }
}
