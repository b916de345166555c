//! Writing a generated crate into the user's folder, without harm to what else is there.
//!
//! The folder may hold the user's own work, so: a folder clientgen did not make (non-empty,
//! with no manifest of ours) is refused unless forced; only files our previous run recorded in
//! its manifest are ever deleted; and the whole crate is written to a staging folder beside the
//! output first, so a failure part-way (a full disk, a name the file system refuses) leaves the
//! output as it was.

use std::path::{Component, Path, PathBuf};

use crate::File;

/// The list of files the last run wrote, kept in the output folder.
pub const MANIFEST: &str = ".clientgen-files";

/// Writes `files` into `out`; `force` allows a non-empty folder clientgen did not make.
pub fn write_crate(out: &Path, files: &[File], force: bool) -> Result<(), String> {
    for file in files {
        if !file.path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(format!("refusing to write {} outside {}", file.path.display(), out.display()));
        }
    }
    let previous = previous_files(out, force)?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let leaf = out.file_name().map_or_else(|| "crate".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{leaf}.clientgen-staging-{}", std::process::id()));
    let staged = stage(&staging, out, files);
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("{e}; {} was left as it was", out.display()));
    }
    let moved = move_into(&staging, out, files, &previous);
    let _ = std::fs::remove_dir_all(&staging);
    moved
}

/// The files the previous run recorded, or an error when `out` holds files of someone else's.
fn previous_files(out: &Path, force: bool) -> Result<Vec<PathBuf>, String> {
    match std::fs::read_to_string(out.join(MANIFEST)) {
        Ok(text) => Ok(text
            .lines()
            .map(PathBuf::from)
            // A manifest edited to name `../x` deletes nothing outside.
            .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
            .collect()),
        Err(_) => {
            let occupied = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
            if occupied && !force {
                return Err(format!(
                    "{} is not empty and was not written by clientgen (it has no {MANIFEST}); choose an \
                     empty or new folder, or pass --force to write over the files of the same names",
                    out.display()
                ));
            }
            Ok(Vec::new())
        }
    }
}

/// Writes every file under `staging`: all of it or an error. `once` files that already exist
/// in `out` are the user's now, and are not written.
fn stage(staging: &Path, out: &Path, files: &[File]) -> Result<(), String> {
    for file in files {
        if file.once && out.join(&file.path).exists() {
            continue;
        }
        let path = staging.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", file.path.display()))?;
    }
    Ok(())
}

/// Moves the staged files into `out` (renames within one file system), removes what the
/// previous run wrote and this one did not, and records the new manifest.
fn move_into(staging: &Path, out: &Path, files: &[File], previous: &[PathBuf]) -> Result<(), String> {
    for file in files {
        let from = staging.join(&file.path);
        if !from.exists() {
            continue;
        }
        let to = out.join(&file.path);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::rename(&from, &to).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    }
    let now: Vec<&Path> = files.iter().filter(|f| !f.once).map(|f| f.path.as_path()).collect();
    for stale in previous.iter().filter(|p| !now.contains(&p.as_path())) {
        let path = out.join(stale);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    let mut manifest: Vec<String> = now.iter().map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    manifest.sort();
    let text = format!("{}\n", manifest.join("\n"));
    std::fs::write(out.join(MANIFEST), text).map_err(|e| format!("cannot write {}: {e}", out.join(MANIFEST).display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File { path: PathBuf::from(path), contents: contents.into(), once: false }
    }

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("clientgen-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn the_users_folder_and_files_are_left_alone() {
        let out = folder("users");
        std::fs::create_dir_all(out.join("src")).expect("folder");
        std::fs::write(out.join("Cargo.toml"), "[package] # mine").expect("file");
        let error = write_crate(&out, &[file("Cargo.toml", "generated")], false).expect_err("refused");
        assert!(error.contains("--force"), "{error}");
        assert_eq!(std::fs::read_to_string(out.join("Cargo.toml")).expect("kept"), "[package] # mine");
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn only_files_of_the_previous_run_are_removed() {
        let out = folder("rerun");
        write_crate(&out, &[file("src/a.rs", "// @generated a"), file("src/b.rs", "// @generated b")], false)
            .expect("first run");
        // Another tool's file with our header, beside ours.
        std::fs::write(out.join("src/theirs.rs"), "// @generated by another tool").expect("file");
        write_crate(&out, &[file("src/a.rs", "// @generated a2")], false).expect("second run");
        assert!(!out.join("src/b.rs").exists());
        assert!(out.join("src/theirs.rs").exists());
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).expect("manifest"), "src/a.rs\n");
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_failure_part_way_leaves_the_folder_as_it_was() {
        let out = folder("atomic");
        write_crate(&out, &[file("src/a.rs", "old")], false).expect("first run");
        let long = format!("src/{}.rs", "n".repeat(1_000));
        let error = write_crate(&out, &[file("src/a.rs", "new"), file(&long, "x")], false).expect_err("refused");
        assert!(error.contains("left as it was"), "{error}");
        assert_eq!(std::fs::read_to_string(out.join("src/a.rs")).expect("kept"), "old");
        let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("parent"))
            .expect("listing")
            .flatten()
            .filter(|e| {
                e.file_name().to_string_lossy().starts_with(&format!(
                    ".{}.clientgen-staging",
                    out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                ))
            })
            .collect();
        assert!(leftovers.is_empty());
        let _ = std::fs::remove_dir_all(&out);
    }
}
