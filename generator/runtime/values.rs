//! Values with a wire form of their own: files and multipart bodies, `Nullable`, and the enums
//! that keep values the API description does not list.

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Content;

/// A file: its bytes, and the name and media type it is sent with in a multipart body.
///
/// Where a JSON document describes a value as `format: binary`, the file's bytes are that
/// value's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub name: Option<String>,
    pub content_type: Option<String>,
    content: Content,
}

impl File {
    /// A file held in memory.
    pub fn new(bytes: impl Into<Bytes>) -> File {
        File { name: None, content_type: None, content: Content::from_bytes(bytes) }
    }

    /// A file on disk, read as it is sent, named as on disk. Fails now if it cannot be read.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<File> {
        let path = path.as_ref();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(File { name, content_type: None, content: Content::from_path(path)? })
    }

    /// A file from any [`Content`]: a stream, or bytes or a file with a progress callback.
    pub fn from_content(content: Content) -> File {
        File { name: None, content_type: None, content }
    }

    /// The file name sent with the part (`filename=`).
    pub fn name(mut self, name: impl Into<String>) -> File {
        self.name = Some(name.into());
        self
    }

    /// The media type sent with the part (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> File {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes, when the file is held in memory.
    pub fn bytes(&self) -> Option<Bytes> {
        self.content.in_memory()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.content.in_memory() {
            Some(bytes) => serializer.serialize_str(&String::from_utf8_lossy(&bytes)),
            None => Err(serde::ser::Error::custom("a file read from disk or a stream cannot be written into JSON; use File::new")),
        }
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(File::new(String::deserialize(deserializer)?.into_bytes()))
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq)]
#[allow(dead_code)] // Not every API sends multipart bodies.
pub(crate) struct Part {
    name: String,
    /// File name and media type, for a file part.
    file: Option<(Option<String>, String)>,
    content: Content,
}

impl Part {
    /// The parts of a value: none for `None`, one per item of an array, a scalar's text, and
    /// other values as JSON.
    #[allow(dead_code)] // Not every API sends multipart bodies.
    pub(crate) fn text<T: Serialize + ?Sized>(name: &str, value: &T) -> Vec<Part> {
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let part =
            |v: &serde_json::Value| Part { name: name.to_string(), file: None, content: Content::from_bytes(text(v)) };
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) | Err(_) => Vec::new(),
            Ok(serde_json::Value::Array(items)) => items.iter().filter(|v| !v.is_null()).map(part).collect(),
            Ok(other) => vec![part(&other)],
        }
    }

    /// The parts of a file field: one per file present.
    #[allow(dead_code)] // Not every API sends files.
    pub(crate) fn files<'a>(name: &str, files: impl IntoIterator<Item = &'a File>) -> Vec<Part> {
        files
            .into_iter()
            .map(|f| Part {
                name: name.to_string(),
                file: Some((
                    f.name.clone(),
                    f.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
                )),
                content: f.content.clone(),
            })
            .collect()
    }
}

/// A type sent as a `multipart/form-data` body.
#[allow(dead_code)] // Not every API sends multipart bodies.
pub(crate) trait MultipartBody {
    fn parts(&self) -> Vec<Part>;
}

/// The `Content-Type` and body of a multipart body, streamed: a file part is read as it is
/// sent. The boundary is random per body.
#[allow(dead_code)] // Not every API sends multipart bodies.
pub(super) fn encode_multipart(parts: &[Part]) -> (String, Content) {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_usize(parts.len());
    let boundary = format!("clientgen-{:016x}{:016x}", hasher.finish(), std::process::id());
    // Quotes and line breaks would end a header early.
    let clean = |text: &str| text.replace('"', "%22").replace(['\r', '\n'], " ");
    let mut body = Content::from_bytes(Bytes::new());
    for part in parts {
        let name = clean(&part.name);
        let head = match &part.file {
            Some((file_name, content_type)) => {
                let file_name = clean(file_name.as_deref().unwrap_or(&part.name));
                let content_type = clean(content_type);
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
            }
            None => format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body = body.then(Content::from_bytes(head)).then(part.content.clone()).then(Content::from_bytes("\r\n"));
    }
    body = body.then(Content::from_bytes(format!("--{boundary}--\r\n")));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A field that may be left out, sent as `null`, or sent with a value: what a PATCH needs to
/// say "leave unchanged", "clear" and "set".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: the server keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`: the server clears the field.
    Null,
    /// Sent with a value.
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if one was given.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` means `null`: clear the field.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

/// `From` each alternative's type for a union the client sends, so that a caller passes the
/// alternative itself where the union is asked for:
///
/// ```text
/// union_from! {
///     Embeddings {
///         Strings(Vec<String>),
///         Numbers(Vec<Vec<f64>>),
///         Node(Node) boxed,
///     }
/// }
/// ```
#[allow(unused_macros)] // Not every API sends unions.
macro_rules! union_from {
    ($union:ident { $($variant:ident($ty:ty) $($boxed:ident)?),* $(,)? }) => {
        $(
            impl ::std::convert::From<$ty> for $union {
                fn from(value: $ty) -> Self {
                    $union::$variant(crate::runtime::union_from!(@wrap value $($boxed)?))
                }
            }
        )*
    };
    (@wrap $value:ident) => { $value };
    (@wrap $value:ident boxed) => { ::std::boxed::Box::new($value) };
}
#[allow(unused_imports)] // Not every API sends unions.
pub(crate) use union_from;

/// Implements the wire form of a string enum that keeps values its API description does not list:
/// `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize`. Given the enum's declaration
/// (each variant with its wire value, and after it the variant that keeps unlisted values), it
/// declares the enum too:
///
/// ```text
/// string_enum! {
///     #[derive(Debug, Clone, PartialEq, Eq, Hash)]
///     pub enum Status { Draft = "draft", Published = "published" }
///     unlisted Other
/// }
/// ```
#[allow(unused_macros)] // Not every API has string enums.
macro_rules! string_enum {
    ($(#[$attr:meta])* $vis:vis enum $name:ident { $($(#[$variant_attr:meta])* $variant:ident = $wire:literal),* $(,)? }
        unlisted $other:ident) => {
        $(#[$attr])*
        $vis enum $name {
            $($(#[$variant_attr])* $variant,)*
            /// A value this version of the API description does not list.
            $other(::std::string::String),
        }
        crate::runtime::string_enum!($name { $($variant = $wire),* } $other);
    };
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => value,
                }
            }

            /// Whether the API description lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::$other(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(value.as_str()))
            }
        }
    };
}
#[allow(unused_imports)] // Not every API has string enums.
pub(crate) use string_enum;

/// The same for an integer enum: `as_i64`, `From<i64>`, `Display`, `Serialize`, `Deserialize`;
/// the variant that keeps unlisted values holds an `i64`.
#[allow(unused_macros)] // Not every API has integer enums.
macro_rules! int_enum {
    ($(#[$attr:meta])* $vis:vis enum $name:ident { $($(#[$variant_attr:meta])* $variant:ident = $wire:literal),* $(,)? }
        unlisted $other:ident) => {
        $(#[$attr])*
        $vis enum $name {
            $($(#[$variant_attr])* $variant,)*
            /// A value this version of the API description does not list.
            $other(i64),
        }
        crate::runtime::int_enum!($name { $($variant = $wire),* } $other);
    };
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => *value,
                }
            }

            /// Whether the API description lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::$other(_))
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                Ok($name::from(<i64 as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    };
}
/// The object alternative of a union that keeps most of what came: each one that reads the
/// value is offered, written back and compared with it; the first that loses nothing wins at
/// once, else the one that loses least. An alternative listed earlier that merely tolerates
/// members it does not declare would drop them.
#[allow(dead_code)] // Not every API has unions of objects.
pub(crate) struct Closest<'a, T> {
    value: &'a serde_json::Value,
    best: Option<(usize, T)>,
}

#[allow(dead_code)] // Not every API has unions of objects.
impl<'a, T: Serialize> Closest<'a, T> {
    pub(crate) fn new(value: &'a serde_json::Value) -> Self {
        Closest { value, best: None }
    }

    /// Whether an alternative already kept everything (no need to offer more).
    pub(crate) fn is_exact(&self) -> bool {
        matches!(self.best, Some((0, _)))
    }

    pub(crate) fn offer<E>(&mut self, read: Result<T, E>) {
        let Ok(candidate) = read else { return };
        let lost = match serde_json::to_value(&candidate) {
            Ok(written) => lost_members(self.value, &written),
            Err(_) => usize::MAX,
        };
        if self.best.as_ref().is_none_or(|(least, _)| lost < *least) {
            self.best = Some((lost, candidate));
        }
    }

    pub(crate) fn take(self) -> Option<T> {
        self.best.map(|(_, value)| value)
    }
}

/// How many members (at any depth, `null`s aside) `wire` has that `kept` does not.
fn lost_members(wire: &serde_json::Value, kept: &serde_json::Value) -> usize {
    use serde_json::Value;
    match (wire, kept) {
        (Value::Object(wire), Value::Object(kept)) => wire
            .iter()
            .map(|(key, value)| match kept.get(key) {
                Some(k) => lost_members(value, k),
                None if value.is_null() => 0,
                None => 1 + count_members(value),
            })
            .sum(),
        (Value::Array(wire), Value::Array(kept)) => wire.iter().zip(kept).map(|(w, k)| lost_members(w, k)).sum(),
        _ => 0,
    }
}

fn count_members(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(members) => members.values().map(|v| 1 + count_members(v)).sum(),
        serde_json::Value::Array(items) => items.iter().map(count_members).sum(),
        _ => 0,
    }
}

#[allow(unused_imports)] // Not every API has integer enums.
pub(crate) use int_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_carry_text_and_file_parts() {
        struct Upload {
            note: Option<String>,
            tags: Vec<String>,
            file: File,
        }
        impl MultipartBody for Upload {
            fn parts(&self) -> Vec<Part> {
                let mut parts = Part::text("note", &self.note);
                parts.extend(Part::text("tags", &self.tags));
                parts.extend(Part::files("file", [&self.file]));
                parts
            }
        }
        let upload = Upload {
            note: None,
            tags: vec!["a".into(), "b".into()],
            file: File::new(&b"\x00bytes"[..]).name("cat.png").content_type("image/png"),
        };
        let (content_type, body) = encode_multipart(&upload.parts());
        let body = body.in_memory().expect("all parts are in memory");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n\x00bytes\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }
    #[test]
    fn nullable_reads_three_states() {
        #[derive(Deserialize, Serialize)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            note: Nullable<String>,
        }
        let read = |text: &str| serde_json::from_str::<Patch>(text).expect("parses").note;
        assert_eq!(read("{}"), Nullable::Absent);
        assert_eq!(read("{\"note\": null}"), Nullable::Null);
        assert_eq!(read("{\"note\": \"x\"}"), Nullable::Value("x".to_string()));
        let write = |note| serde_json::to_string(&Patch { note }).expect("writes");
        assert_eq!(write(Nullable::Absent), "{}");
        assert_eq!(write(Nullable::Null), "{\"note\":null}");
    }

    #[test]
    fn the_object_alternative_that_keeps_most_of_what_came_wins() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Search {
            value: String,
        }
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Submit {
            value: String,
            #[serde(rename = "waitingText")]
            waiting: Option<String>,
        }
        #[derive(Debug, PartialEq, Serialize)]
        #[serde(untagged)]
        enum Node {
            Search(Search),
            Submit(Submit),
        }
        let value = serde_json::json!({"value": "Submit", "waitingText": "…"});
        let mut closest = Closest::new(&value);
        closest.offer(Search::deserialize(&value).map(Node::Search));
        assert!(!closest.is_exact());
        closest.offer(Submit::deserialize(&value).map(Node::Submit));
        assert!(closest.is_exact());
        assert_eq!(closest.take(), Some(Node::Submit(Submit { value: "Submit".into(), waiting: Some("…".into()) })));
        let nothing: Closest<Node> = Closest::new(&value);
        assert_eq!(nothing.take(), None);
    }
}
