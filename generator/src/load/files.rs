//! Which files a document's `$ref`s may make us read, and reading them.
//!
//! A document comes from anyone, so its references are confined: a referenced file must lie in
//! the document's own folder tree (or one the user allowed), be a regular file (not a device or
//! a pipe, which never end), and be of a size a document can have. Anything else is refused
//! before a byte is read, since its text would end up in the generated crate.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest file a `$ref` may name (Microsoft Graph beta, the largest public document we
/// know, is 46 MB).
pub const MAX_REFERENCED_BYTES: u64 = 128 * 1024 * 1024;

/// The folders referenced files must lie in: the document's own and those the user allowed,
/// as canonical paths.
pub struct Roots(Vec<PathBuf>);

impl Roots {
    pub fn new(document: &Path, allowed: &[PathBuf]) -> Roots {
        let folder = match document.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let roots = std::iter::once(folder).chain(allowed.iter().map(PathBuf::as_path));
        Roots(roots.filter_map(|root| root.canonicalize().ok()).collect())
    }

    /// The text of `target`, `None` if there is no such file (a warning at each `$ref` to
    /// it), or why it may not be read.
    pub fn read(&self, target: &Path) -> Result<Option<String>, String> {
        let Ok(real) = target.canonicalize() else { return Ok(None) };
        if !self.0.iter().any(|root| real.starts_with(root)) {
            let root = self.0.first().map_or_else(|| ".".into(), |r| r.display().to_string());
            return Err(format!(
                "{} is outside the document's folder ({root}); move it there, or allow its folder \
                 with --allow-ref-root DIR",
                real.display()
            ));
        }
        let metadata = std::fs::metadata(&real).map_err(|e| format!("{}: {e}", real.display()))?;
        if !metadata.is_file() {
            return Err(format!("{} is not a regular file", real.display()));
        }
        if metadata.len() > MAX_REFERENCED_BYTES {
            return Err(too_large(&real));
        }
        let file = std::fs::File::open(&real).map_err(|e| format!("{}: {e}", real.display()))?;
        // The cap holds even if the file grows between the check and the read.
        let mut text = String::new();
        file.take(MAX_REFERENCED_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("{}: cannot be read as text: {e}", real.display()))?;
        if text.len() as u64 > MAX_REFERENCED_BYTES {
            return Err(too_large(&real));
        }
        Ok(Some(text))
    }
}

fn too_large(path: &Path) -> String {
    format!("{} is larger than {} MiB, more than any document", path.display(), MAX_REFERENCED_BYTES >> 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_stay_in_the_documents_folder() {
        let base = std::env::temp_dir().join(format!("clientgen-roots-{}", std::process::id()));
        let (inside, outside) = (base.join("api"), base.join("secret"));
        std::fs::create_dir_all(inside.join("common")).expect("folders");
        std::fs::create_dir_all(&outside).expect("folders");
        std::fs::write(inside.join("common/a.yaml"), "a: 1").expect("file");
        std::fs::write(outside.join("key.yaml"), "key: x").expect("file");
        let roots = Roots::new(&inside.join("openapi.yaml"), &[]);
        assert_eq!(roots.read(&inside.join("common/a.yaml")), Ok(Some("a: 1".into())));
        assert_eq!(roots.read(&inside.join("missing.yaml")), Ok(None));
        let escaped = roots.read(&inside.join("../secret/key.yaml")).expect_err("refused");
        assert!(escaped.contains("outside the document's folder") && escaped.contains("--allow-ref-root"), "{escaped}");
        assert!(roots.read(Path::new("/etc/passwd")).is_err());
        assert!(roots.read(&inside.join("common")).expect_err("a folder").contains("not a regular file"));
        let allowed = Roots::new(&inside.join("openapi.yaml"), std::slice::from_ref(&outside));
        assert_eq!(allowed.read(&outside.join("key.yaml")), Ok(Some("key: x".into())));
        // A named pipe would block the read forever.
        let pipe = inside.join("common/pipe.yaml");
        if std::process::Command::new("mkfifo").arg(&pipe).status().is_ok_and(|s| s.success()) {
            assert!(roots.read(&pipe).expect_err("a pipe").contains("not a regular file"));
        }
        let devices = Roots::new(Path::new("/dev/openapi.yaml"), &[]);
        assert!(devices.read(Path::new("/dev/zero")).expect_err("a device").contains("not a regular file"));
        let _ = std::fs::remove_dir_all(&base);
    }
}
