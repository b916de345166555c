//! Diagnostics: warnings and errors that point into the document.
//!
//! Every diagnostic names a JSON pointer (`#/paths/~1uploads/post`); the file's line is filled
//! in afterwards by [`crate::load::locate`], in one pass per file, only when there is something
//! to report.

use std::fmt;
use std::path::PathBuf;

/// Where in which document something was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// RFC 6901 pointer, written with its leading `#`.
    pub pointer: String,
    /// 1-based line, when the source text was available to find it.
    pub line: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, " {}", self.pointer)
    }
}

/// Something the generator noticed and worked around.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
    /// A short category, so that a thousand alike warnings can be summarised.
    pub kind: &'static str,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

/// Why a client could not be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub location: Option<Location>,
    pub message: String,
    /// The stage that failed (`load`, `ir`, `emit`), for reports over many documents.
    pub stage: &'static str,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error { location: None, message: message.into(), stage: "" }
    }

    pub fn at(location: Location, message: impl Into<String>) -> Error {
        Error { location: Some(location), message: message.into(), stage: "" }
    }

    /// Names the stage the error came from, unless it already has one.
    pub fn in_stage(mut self, stage: &'static str) -> Error {
        if self.stage.is_empty() {
            self.stage = stage;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Escapes one reference token for a JSON pointer (RFC 6901 §3).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape_token`], and the percent-encoding a pointer inside a URI fragment may carry.
pub fn unescape_token(token: &str) -> String {
    percent_decode(token).replace("~1", "/").replace("~0", "~")
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_round_trip() {
        assert_eq!(escape_token("/files/{id}~x"), "~1files~1{id}~0x");
        assert_eq!(unescape_token("~1files~1{id}~0x"), "/files/{id}~x");
        assert_eq!(unescape_token("Annotations%2EFileRef"), "Annotations.FileRef");
        assert_eq!(unescape_token("100%"), "100%");
    }
}
