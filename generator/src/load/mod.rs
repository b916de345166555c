//! Stage 1: read a YAML or JSON OpenAPI document (and the files its `$ref`s name) into
//! [`model::Spec`].
//!
//! The only stage that does I/O. Parsing keeps no positions; warnings are located afterwards
//! ([`locate`]).

mod files;
mod json;
pub mod locate;
pub mod model;
mod overlay;
mod read;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diag::{escape_token, Error, Location, Warning};
use locate::Format;

/// One parsed file.
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    pub format: Format,
    pub root: Value,
    /// Keys the file gives twice, reported as warnings.
    duplicates: Vec<yaml::Duplicate>,
}

/// A spec together with what the reader noticed.
pub struct Loaded {
    pub spec: model::Spec,
    docs: Vec<Document>,
    issues: Vec<Issue>,
}

impl Loaded {
    /// The files read: the root document and those its `$ref`s reached.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        self.docs.iter().map(|d| d.path.as_path())
    }

    /// The root document as read, with the overlays applied: what tools beside the generator
    /// (a mock server, a test harness) should see of it.
    pub fn document(&self) -> &Value {
        &self.docs[0].root
    }

    /// All warnings, the reader's and those of later stages (pointers into the root document),
    /// with their lines found in one pass per file.
    pub fn warnings(&mut self, later: Vec<(String, &'static str, String)>) -> Vec<Warning> {
        let mut issues = std::mem::take(&mut self.issues);
        issues.extend(later.into_iter().map(|(pointer, kind, message)| Issue { doc: 0, pointer, kind, message }));
        locate_all(&self.docs, issues)
    }
}

/// A diagnostic before its line is known.
pub(crate) struct Issue {
    pub doc: usize,
    pub pointer: String,
    pub kind: &'static str,
    pub message: String,
}

impl Issue {
    fn fatal(pointer: &str, message: &str) -> Issue {
        Issue { doc: 0, pointer: pointer.into(), kind: "fatal", message: message.into() }
    }
}

/// Reads the document at `path`, applies `overlays` to it in order, and reads every local file
/// its `$ref`s reach, which must lie in the document's folder tree or one of `ref_roots`.
pub fn load_file(path: &Path, overlays: &[PathBuf], ref_roots: &[PathBuf]) -> Result<Loaded, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("{}: cannot read the document: {e}", path.display())))?;
    load_text(path, text, overlays, ref_roots)
}

/// Reads a document given as text; `path` names it in messages and anchors relative `$ref`s.
pub fn load_text(path: &Path, text: String, overlays: &[PathBuf], ref_roots: &[PathBuf]) -> Result<Loaded, Error> {
    let roots = files::Roots::new(path, ref_roots);
    let mut docs = vec![parse(path, text)?];
    for file in overlays {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Error::new(format!("{}: cannot read the overlay: {e}", file.display())))?;
        let parsed = parse(file, text)?;
        overlay::apply(&mut docs[0].root, &parsed.root).map_err(|message| {
            Error::new(format!("{}#{message} (fix the overlay, or the document it was written for)", file.display()))
        })?;
    }
    let mut next = 0;
    while next < docs.len() {
        for file in external_refs(&docs[next].root) {
            let base = docs[next].path.parent().unwrap_or(Path::new("."));
            let target = base.join(&file);
            if docs.iter().any(|d| d.path == target) {
                continue;
            }
            // A document that is not there becomes a warning at each `$ref` to it; one that
            // may not be read stops everything.
            match roots.read(&target) {
                Ok(Some(text)) => docs.push(parse(&target, text)?),
                Ok(None) => {}
                Err(why) => {
                    let pointer = pointer_to_ref(&docs[next].root, &file, "#").unwrap_or_else(|| "#".into());
                    let issue = Issue { doc: next, pointer, kind: "fatal", message: String::new() };
                    let location = locate_all(&docs, vec![issue]).remove(0).location;
                    return Err(Error::at(location, format!("`$ref` to {file}: {why}")));
                }
            }
        }
        next += 1;
    }
    let mut reader = read::Reader::new(&docs);
    reader.read();
    if let Some(fatal) = reader.fatal.take() {
        let warning = locate_all(&docs, vec![fatal]).remove(0);
        return Err(Error::at(warning.location, warning.message));
    }
    let mut issues = std::mem::take(&mut reader.issues);
    let spec = std::mem::take(&mut reader.spec);
    drop(reader);
    for (doc, document) in docs.iter_mut().enumerate() {
        for duplicate in std::mem::take(&mut document.duplicates) {
            issues.push(Issue { doc, pointer: duplicate.pointer, kind: "duplicate-key", message: duplicate.message });
        }
    }
    Ok(Loaded { spec, docs, issues })
}

fn parse(path: &Path, text: String) -> Result<Document, Error> {
    let location = |line: Option<usize>| Location { file: path.to_path_buf(), pointer: "#".into(), line };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let (format, (root, duplicates)) = if trimmed.starts_with('{') {
        let parsed =
            json::parse(trimmed).map_err(|e| Error::at(location(Some(e.line())), format!("invalid JSON: {e}")))?;
        (Format::Json, parsed)
    } else {
        let parsed = yaml::parse(&text)
            .map_err(|e| Error::at(location(Some(e.line)), format!("invalid YAML: {}", e.message)))?;
        (Format::Yaml, parsed)
    };
    Ok(Document { path: path.to_path_buf(), text, format, root, duplicates })
}

/// The file parts of every `$ref` in a tree (`common.yaml#/X` → `common.yaml`).
fn external_refs(root: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut stack = vec![root];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(file) = map.get("$ref").and_then(Value::as_str).and_then(file_part) {
                    if !out.iter().any(|f| f == file) {
                        out.push(file.to_string());
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

/// The file a `$ref` names, if it names a local file.
fn file_part(reference: &str) -> Option<&str> {
    let file = reference.split('#').next().unwrap_or("");
    (!file.is_empty() && !file.contains("://")).then_some(file)
}

/// The pointer of a `$ref` naming `file`, for a message (only built when one is needed).
fn pointer_to_ref(value: &Value, file: &str, at: &str) -> Option<String> {
    match value {
        Value::Object(map) => {
            if map.get("$ref").and_then(Value::as_str).and_then(file_part) == Some(file) {
                return Some(format!("{at}/$ref"));
            }
            map.iter().find_map(|(key, child)| pointer_to_ref(child, file, &format!("{at}/{}", escape_token(key))))
        }
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, child)| pointer_to_ref(child, file, &format!("{at}/{i}")))
        }
        _ => None,
    }
}

fn locate_all(docs: &[Document], issues: Vec<Issue>) -> Vec<Warning> {
    let mut lines: Vec<HashMap<String, usize>> = Vec::with_capacity(docs.len());
    for (index, doc) in docs.iter().enumerate() {
        let wanted: Vec<&str> = issues.iter().filter(|i| i.doc == index).map(|i| i.pointer.as_str()).collect();
        lines.push(if wanted.is_empty() { HashMap::new() } else { locate::lines(&doc.text, doc.format, &wanted) });
    }
    issues
        .into_iter()
        .map(|issue| Warning {
            location: Location {
                file: docs[issue.doc].path.clone(),
                line: lines[issue.doc].get(&issue.pointer).copied(),
                pointer: issue.pointer,
            },
            message: issue.message,
            kind: issue.kind,
        })
        .collect()
}
