//! Finds the line of JSON pointers in a document's source text.
//!
//! Parsing keeps no positions (a 13 MB document would pay for millions of them); when there are
//! diagnostics to report, one extra pass over the text finds the lines of just those pointers.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser};

use crate::diag::escape_token;

/// The source format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

/// Returns the 1-based line of each pointer in `wanted` that occurs in `text`.
pub fn lines(text: &str, format: Format, wanted: &[&str]) -> HashMap<String, usize> {
    let mut walker = Walker::new(wanted);
    match format {
        Format::Json => json_events(text, &mut walker),
        Format::Yaml => yaml_events(text, &mut walker),
    }
    walker.found
}

enum Frame {
    Seq { next: usize, on_path: bool },
    Map { key: Option<(String, usize)>, on_path: bool },
}

/// Tracks the path while a parser reports value starts, keys and container ends.
struct Walker {
    prefixes: HashSet<String>,
    wanted: HashSet<String>,
    found: HashMap<String, usize>,
    path: Vec<String>,
    frames: Vec<Frame>,
}

impl Walker {
    fn new(wanted: &[&str]) -> Walker {
        let mut prefixes = HashSet::new();
        for pointer in wanted {
            let mut end = pointer.len();
            loop {
                prefixes.insert(pointer[..end].to_string());
                match pointer[..end].rfind('/') {
                    Some(i) => end = i,
                    None => break,
                }
            }
        }
        Walker {
            prefixes,
            wanted: wanted.iter().map(|p| p.to_string()).collect(),
            found: HashMap::new(),
            path: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// A scalar arrived: either a mapping key or a value.
    fn scalar(&mut self, text: &str, line: usize) {
        if let Some(Frame::Map { key, .. }) = self.frames.last_mut() {
            if key.is_none() {
                *key = Some((text.to_string(), line));
                return;
            }
        }
        self.value_start(line);
        self.value_end();
    }

    /// Returns whether the value now starting lies on a wanted path, and records its line.
    fn value_start(&mut self, line: usize) -> bool {
        // Off the wanted paths a token is never read: an empty one keeps the depth for free.
        let (token, line, parent_on_path) = match self.frames.last_mut() {
            None => (None, line, true),
            Some(Frame::Seq { next, on_path }) => {
                *next += 1;
                (Some(if *on_path { (*next - 1).to_string() } else { String::new() }), line, *on_path)
            }
            Some(Frame::Map { key, on_path }) => match key {
                Some((k, key_line)) => {
                    (Some(if *on_path { escape_token(k) } else { String::new() }), *key_line, *on_path)
                }
                None => (None, line, false),
            },
        };
        if let Some(token) = token {
            self.path.push(token);
        }
        if !parent_on_path {
            return false;
        }
        let pointer = format!("#{}", self.path.iter().fold(String::new(), |acc, t| acc + "/" + t));
        if self.wanted.contains(&pointer) {
            self.found.entry(pointer.clone()).or_insert(line);
        }
        self.prefixes.contains(&pointer)
    }

    /// Returns whether the container lies on a wanted path (else its insides need no walking).
    fn container_start(&mut self, line: usize, is_map: bool) -> bool {
        let on_path = self.value_start(line);
        self.frames.push(if is_map { Frame::Map { key: None, on_path } } else { Frame::Seq { next: 0, on_path } });
        on_path
    }

    fn container_end(&mut self) {
        self.frames.pop();
        self.value_end();
    }

    fn value_end(&mut self) {
        let leaves_a_member = match self.frames.last_mut() {
            Some(Frame::Map { key, .. }) => key.take().is_some(),
            Some(Frame::Seq { .. }) => true,
            None => false,
        };
        if leaves_a_member {
            self.path.pop();
        }
    }
}

fn yaml_events(text: &str, walker: &mut Walker) {
    for item in Parser::new_from_str(text) {
        let Ok((event, span)) = item else { return };
        let line = span.start.line();
        match event {
            Event::Scalar(value, ..) => walker.scalar(&value, line),
            Event::Alias(_) => walker.scalar("", line),
            Event::SequenceStart(..) => {
                walker.container_start(line, false);
            }
            Event::MappingStart(..) => {
                walker.container_start(line, true);
            }
            Event::SequenceEnd | Event::MappingEnd => walker.container_end(),
            Event::DocumentEnd => return,
            _ => {}
        }
    }
}

/// A forgiving JSON tokenizer: enough structure to follow paths, no validation.
fn json_events(text: &str, walker: &mut Walker) {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'{' | b'[' => {
                if !walker.container_start(line, bytes[i] == b'{') {
                    // Nothing wanted inside: only its lines count.
                    i = skip_container(bytes, i, &mut line);
                    walker.container_end();
                }
            }
            b'}' | b']' => walker.container_end(),
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let raw = &text[start..i.min(bytes.len())];
                if raw.contains('\\') {
                    let decoded =
                        serde_json::from_str::<String>(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.to_string());
                    walker.scalar(&decoded, line);
                } else {
                    walker.scalar(raw, line);
                }
            }
            b',' | b':' | b' ' | b'\t' | b'\r' => {}
            _ => {
                while i + 1 < bytes.len() && !b",}] \t\r\n".contains(&bytes[i + 1]) {
                    i += 1;
                }
                walker.scalar("", line);
            }
        }
        i += 1;
    }
}

/// The index of the bracket that closes the container opening at `start`, counting the lines
/// on the way (brackets inside strings do not count).
fn skip_container(bytes: &[u8], start: usize, line: &mut usize) -> usize {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => *line += 1,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_in_json() {
        let text = "{\n  \"paths\": {\n    \"/a/{id}\": {\n      \"get\": {\"x\": [1,\n 2]}\n    }\n  }\n}";
        let found = lines(text, Format::Json, &["#/paths/~1a~1{id}/get", "#/paths/~1a~1{id}/get/x/1"]);
        assert_eq!(found["#/paths/~1a~1{id}/get"], 4);
        assert_eq!(found["#/paths/~1a~1{id}/get/x/1"], 5);
    }

    #[test]
    fn containers_off_the_wanted_paths_are_skipped_with_their_lines_counted() {
        let text = "{\n  \"info\": {\"x\": \"a } ] \\\" {\",\n    \"y\": [1,\n 2]},\n  \"paths\": {\n    \"/b\": {\"get\": {}}}}";
        let found = lines(text, Format::Json, &["#/paths/~1b/get"]);
        assert_eq!(found["#/paths/~1b/get"], 6);
    }

    #[test]
    fn finds_lines_in_yaml() {
        let text = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      tags:\n        - - nested\n";
        let found = lines(text, Format::Yaml, &["#/paths/~1a/get/tags/0", "#/paths/~1a/get"]);
        assert_eq!(found["#/paths/~1a/get"], 4);
        assert_eq!(found["#/paths/~1a/get/tags/0"], 6);
    }
}
