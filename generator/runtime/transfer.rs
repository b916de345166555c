//! Large bodies: content read as it is sent (bytes, a file, a stream) with progress, uploads to
//! presigned URLs on storage hosts, and multipart forms streamed around a file.
//!
//! clientgen writes this file unchanged into every crate it generates.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt;

use super::values::encode_multipart;
use super::{execute, Answer, Attempts, BoxStream, Client, Error, File, Part, RawResponse};

/// Called as content is sent: bytes sent so far, and the total when known.
type Progress = Arc<dyn Fn(u64, Option<u64>) + Send + Sync>;

type Chunks = BoxStream<'static, std::io::Result<Bytes>>;

/// A request body that may be large: bytes in memory, a file read as it is sent (never whole
/// into memory), or a stream, with an optional progress callback.
///
/// Bytes and files can be sent again when a call is retried; a stream is sent once.
#[derive(Clone)]
pub struct Content {
    source: Source,
    length: Option<u64>,
    progress: Option<Progress>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    /// `length` bytes of a file from `offset` on (one part of a multipart upload).
    FileRange { path: PathBuf, offset: u64, length: u64 },
    /// Taken by the first send.
    Stream(Arc<Mutex<Option<Chunks>>>),
    /// Sources sent one after another (a multipart form around a file).
    Chain(Vec<Source>),
}

impl Content {
    /// Bytes in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Content {
        let bytes = bytes.into();
        Content { length: Some(bytes.len() as u64), source: Source::Bytes(bytes), progress: None }
    }

    /// A file, read in chunks as it is sent. Fails now if the file cannot be read.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Content> {
        let path = path.as_ref();
        let metadata = std::fs::metadata(path)?;
        if !metadata.is_file() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{} is not a file", path.display())));
        }
        Ok(Content { source: Source::Path(path.to_path_buf()), length: Some(metadata.len()), progress: None })
    }

    /// A stream of chunks, sent once; `length` is its size in bytes when known (some storage
    /// services refuse uploads without it).
    pub fn from_stream(
        stream: impl futures_core::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
        length: Option<u64>,
    ) -> Content {
        Content { source: Source::Stream(Arc::new(Mutex::new(Some(Box::pin(stream))))), length, progress: None }
    }

    /// Calls `progress(sent, total)` as chunks are sent.
    pub fn on_progress(mut self, progress: impl Fn(u64, Option<u64>) + Send + Sync + 'static) -> Content {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// The size in bytes, when known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Content sent after this one, as one body. Nothing is copied: the parts are sent one after
    /// another (and joined once by `in_memory` when they are all bytes).
    pub(crate) fn then(self, next: Content) -> Content {
        let length = self.length.zip(next.length).map(|(a, b)| a + b);
        let mut sources = match self.source {
            Source::Chain(sources) => sources,
            other => vec![other],
        };
        match next.source {
            Source::Chain(more) => sources.extend(more),
            other => sources.push(other),
        }
        Content { source: Source::Chain(sources), length, progress: self.progress.or(next.progress) }
    }

    /// `length` bytes from `offset` on, for sending a large content in parts: bytes and files
    /// only (`None` for a stream, or past the end). Progress goes on counting from `offset`.
    #[allow(dead_code)] // Used by hand-written upload helpers.
    pub(crate) fn part(&self, offset: u64, length: u64) -> Option<Content> {
        let total = self.length?;
        if offset.checked_add(length)? > total {
            return None;
        }
        let source = match &self.source {
            Source::Bytes(bytes) => {
                let start = usize::try_from(offset).ok()?;
                Source::Bytes(bytes.slice(start..start + usize::try_from(length).ok()?))
            }
            Source::Path(path) => Source::FileRange { path: path.clone(), offset, length },
            Source::FileRange { path, offset: start, .. } => {
                Source::FileRange { path: path.clone(), offset: start + offset, length }
            }
            Source::Chain(_) => {
                let start = usize::try_from(offset).ok()?;
                Source::Bytes(self.in_memory()?.slice(start..start + usize::try_from(length).ok()?))
            }
            Source::Stream(_) => return None,
        };
        let progress = self.progress.clone().map(|report| -> Progress {
            Arc::new(move |sent: u64, _: Option<u64>| report(offset + sent, Some(total)))
        });
        Some(Content { source, length: Some(length), progress })
    }

    /// The whole content, when it is bytes in memory.
    pub(crate) fn in_memory(&self) -> Option<Bytes> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.clone()),
            Source::Chain(sources) => {
                let mut joined = Vec::with_capacity(usize::try_from(self.length?).ok()?);
                for source in sources {
                    let Source::Bytes(bytes) = source else { return None };
                    joined.extend_from_slice(bytes);
                }
                Some(Bytes::from(joined))
            }
            _ => None,
        }
    }

    /// Whether the content can be read more than once (it holds no stream).
    #[allow(dead_code)] // Used by hand-written upload helpers.
    pub(crate) fn can_resend(&self) -> bool {
        fn replayable(source: &Source) -> bool {
            match source {
                Source::Stream(_) => false,
                Source::Chain(sources) => sources.iter().all(replayable),
                _ => true,
            }
        }
        replayable(&self.source)
    }

    /// The same content, held as `bytes` (a stream read into memory), keeping its progress callback.
    #[allow(dead_code)] // Used by hand-written upload helpers.
    pub(crate) fn with_bytes(self, bytes: Bytes) -> Content {
        Content { length: Some(bytes.len() as u64), source: Source::Bytes(bytes), progress: self.progress }
    }

    /// The chunks without progress reports: for reading the content before sending it (hashing).
    #[allow(dead_code)] // Used by hand-written upload helpers.
    pub(crate) fn quiet_chunks(&self) -> Option<Chunks> {
        chunks(&self.source)
    }

    /// The chunks to send, counted for progress; `None` once a stream has been sent.
    pub(crate) fn chunks(&self) -> Option<Chunks> {
        let chunks = chunks(&self.source)?;
        let Some(progress) = self.progress.clone() else { return Some(chunks) };
        let total = self.length;
        let mut sent = 0u64;
        Some(Box::pin(chunks.map(move |chunk| {
            if let Ok(bytes) = &chunk {
                sent += bytes.len() as u64;
                progress(sent, total);
            }
            chunk
        })))
    }

    /// A body for one attempt; `None` once a stream has been sent.
    pub(crate) fn body(&self) -> Option<reqwest::Body> {
        match self.in_memory().filter(|_| self.progress.is_none()) {
            Some(bytes) => Some(reqwest::Body::from(bytes)),
            None => self.chunks().map(reqwest::Body::wrap_stream),
        }
    }
}

fn chunks(source: &Source) -> Option<Chunks> {
    match source {
        Source::Bytes(bytes) => Some(Box::pin(futures_util::stream::iter([Ok(bytes.clone())]))),
        Source::Path(path) => Some(file_chunks(path.clone(), 0, u64::MAX)),
        Source::FileRange { path, offset, length } => Some(file_chunks(path.clone(), *offset, *length)),
        Source::Stream(stream) => stream.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take(),
        Source::Chain(sources) => {
            let parts: Option<Vec<Chunks>> = sources.iter().map(chunks).collect();
            Some(Box::pin(futures_util::stream::iter(parts?).flatten()))
        }
    }
}

/// A file's bytes in 64 KiB chunks, from `offset` on and at most `limit` of them, opened when
/// first read.
fn file_chunks(path: PathBuf, offset: u64, limit: u64) -> Chunks {
    enum File {
        Closed(PathBuf),
        Open(tokio::fs::File, u64),
        Done,
    }
    Box::pin(futures_util::stream::unfold(File::Closed(path), move |state| async move {
        let (mut file, left) = match state {
            File::Closed(path) => {
                let opened = async {
                    let mut file = tokio::fs::File::open(&path).await?;
                    tokio::io::AsyncSeekExt::seek(&mut file, std::io::SeekFrom::Start(offset)).await?;
                    Ok::<_, std::io::Error>(file)
                };
                match opened.await {
                    Ok(file) => (file, limit),
                    Err(e) => return Some((Err(e), File::Done)),
                }
            }
            File::Open(file, left) => (file, left),
            File::Done => return None,
        };
        let size = usize::try_from(left.min(64 * 1024)).unwrap_or(64 * 1024);
        if size == 0 {
            return None;
        }
        let mut buffer = vec![0u8; size];
        match tokio::io::AsyncReadExt::read(&mut file, &mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(Bytes::from(buffer)), File::Open(file, left - n as u64)))
            }
            Err(e) => Some((Err(e), File::Done)),
        }
    }))
}

impl Default for Content {
    fn default() -> Content {
        Content::from_bytes(Bytes::new())
    }
}

/// Equal when both are the same bytes or the same file; streams are never equal.
impl PartialEq for Content {
    fn eq(&self, other: &Content) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Path(a), Source::Path(b)) => a == b,
            (
                Source::FileRange { path: a, offset: x, length: m },
                Source::FileRange { path: b, offset: y, length: n },
            ) => (a, x, m) == (b, y, n),
            _ => false,
        }
    }
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(_) => "bytes",
            Source::Path(_) | Source::FileRange { .. } => "file",
            Source::Stream(_) => "stream",
            Source::Chain(_) => "parts",
        };
        f.debug_struct("Content").field("source", &source).field("length", &self.length).finish_non_exhaustive()
    }
}

impl From<Bytes> for Content {
    fn from(bytes: Bytes) -> Content {
        Content::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for Content {
    fn from(bytes: Vec<u8>) -> Content {
        Content::from_bytes(bytes)
    }
}

impl From<String> for Content {
    fn from(text: String) -> Content {
        Content::from_bytes(text)
    }
}

impl From<&'static str> for Content {
    fn from(text: &'static str) -> Content {
        Content::from_bytes(text)
    }
}

impl Client {
    /// Sends `content` to a URL outside the API, such as a presigned storage URL: without the
    /// client's credentials or default headers (the URL carries its own authorisation), retried
    /// as the client's policy says while the content can be sent again. A status other than 2xx
    /// is [`Error::UnexpectedStatus`].
    #[allow(dead_code)] // Used by hand-written upload helpers.
    pub(crate) async fn send_to_url<E>(
        &self,
        method: reqwest::Method,
        url: &str,
        headers: &[(String, String)],
        content: Content,
    ) -> Result<RawResponse, Error<E>> {
        use tracing::Instrument;
        let target = reqwest::Url::parse(url).map_err(|e| Error::InvalidRequest(format!("invalid upload URL: {e}")))?;
        // The path only: a presigned URL's query is a credential.
        let span = tracing::info_span!("transfer", method = %method, host = target.host_str().unwrap_or(""), path = target.path());
        let inner = &self.inner;
        let make = || {
            let Some(body) = content.body() else { return Ok(None) };
            let mut builder = inner.http.request(method.clone(), target.clone()).body(body);
            for (name, value) in headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(length) = content.length() {
                builder = builder.header("content-length", length);
            }
            builder.build().map(Some).map_err(|e| Error::InvalidRequest(format!("cannot build the upload: {e}")))
        };
        // No hook runs: a storage host is not the API, and its URL is its own authorisation.
        let attempts = Attempts { idempotent: true, hide_url: true, open: false, call: None };
        let answer = match execute(inner, &inner.retry, &attempts, inner.max_body_bytes, make).instrument(span).await? {
            Answer::Whole(answer) => answer,
            Answer::Open(_) => return Err(Error::InvalidRequest("an upload's answer is read whole".into())),
        };
        if answer.status.is_success() {
            Ok(answer)
        } else {
            Err(Error::UnexpectedStatus(Box::new(answer)))
        }
    }
}

/// A `multipart/form-data` body of text `fields` followed by one file part, streamed: the file
/// is read as it is sent. Returns the content type (with its boundary) and the body.
#[allow(dead_code)] // Used by hand-written upload helpers.
pub(crate) fn multipart_with_file(
    fields: &[(String, String)],
    file_field: &str,
    file_name: &str,
    media_type: &str,
    file: Content,
) -> (String, Content) {
    // The file's progress callback counts the whole body, as it is what is sent.
    let progress = file.progress.clone();
    let file = File::from_content(Content { progress: None, ..file }).name(file_name).content_type(media_type);
    let mut parts: Vec<Part> = fields.iter().flat_map(|(name, value)| Part::text(name, value)).collect();
    parts.extend(Part::files(file_field, [&file]));
    let (content_type, mut body) = encode_multipart(&parts);
    body.progress = progress;
    (content_type, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(content: &Content) -> Vec<u8> {
        let mut out = Vec::new();
        let mut chunks = content.chunks().expect("content to send");
        while let Some(chunk) = chunks.next().await {
            out.extend_from_slice(&chunk.expect("a chunk"));
        }
        out
    }

    #[tokio::test]
    async fn files_are_read_in_chunks_with_progress_and_can_be_sent_again() {
        let path = std::env::temp_dir().join(format!("clientgen-content-{}", std::process::id()));
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).expect("a temporary file");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let content = Content::from_path(&path)
            .expect("readable")
            .on_progress(move |sent, total| log.lock().expect("the log").push((sent, total)));
        assert_eq!(content.length(), Some(200_000));
        assert_eq!(collect(&content).await, data);
        assert_eq!(collect(&content).await, data, "a file can be sent again");
        let seen = seen.lock().expect("the log");
        assert!(seen.len() >= 8, "several chunks: {}", seen.len());
        assert_eq!(seen.last(), Some(&(200_000, Some(200_000))));
        let _ = std::fs::remove_file(&path);
        assert!(Content::from_path(&path).is_err(), "a missing file fails before anything is sent");
    }

    #[tokio::test]
    async fn a_multipart_body_streams_a_file_part_from_disk() {
        use super::super::{encode_multipart, File, Part};
        let path = std::env::temp_dir().join(format!("clientgen-part-{}.bin", std::process::id()));
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 253) as u8).collect();
        std::fs::write(&path, &data).expect("a temporary file");
        let file = File::from_path(&path).expect("readable").content_type("application/x-test");
        let mut parts = Part::text("note", "hi");
        parts.extend(Part::files("file", [&file]));
        let (content_type, body) = encode_multipart(&parts);
        assert!(body.in_memory().is_none(), "the file is not read into memory up front");
        let sent = collect(&body).await;
        assert_eq!(body.length(), Some(sent.len() as u64));
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--{boundary}\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/x-test\r\n\r\n"
        );
        assert!(sent.starts_with(head.as_bytes()));
        assert_eq!(&sent[head.len()..head.len() + data.len()], &data[..]);
        assert!(sent.ends_with(format!("\r\n--{boundary}--\r\n").as_bytes()));
        let _ = std::fs::remove_file(&path);
    }

    #[tokio::test]
    async fn a_file_is_cut_into_parts_that_report_progress_on_the_whole() {
        let path = std::env::temp_dir().join(format!("clientgen-parts-{}", std::process::id()));
        let data: Vec<u8> = (0..150_000u32).map(|i| (i % 239) as u8).collect();
        std::fs::write(&path, &data).expect("a temporary file");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let content =
            Content::from_path(&path).expect("readable").on_progress(move |sent, total| log.lock().expect("log").push((sent, total)));
        let first = content.part(0, 100_000).expect("a first part");
        let second = content.part(100_000, 50_000).expect("a second part");
        assert!(content.part(100_000, 50_001).is_none(), "past the end");
        assert_eq!(collect(&first).await, &data[..100_000]);
        assert_eq!(collect(&second).await, &data[100_000..]);
        assert_eq!(seen.lock().expect("log").last(), Some(&(150_000, Some(150_000))));
        let in_memory = Content::from_bytes(data.clone());
        assert_eq!(collect(&in_memory.part(10, 5).expect("a slice")).await, &data[10..15]);
        let _ = std::fs::remove_file(&path);
    }

    #[tokio::test]
    async fn a_stream_is_sent_once() {
        let stream = futures_util::stream::iter([Ok(Bytes::from_static(b"ab")), Ok(Bytes::from_static(b"c"))]);
        let content = Content::from_stream(stream, Some(3));
        assert_eq!(collect(&content).await, b"abc");
        assert!(content.chunks().is_none());
        assert!(content.body().is_none());
    }

    #[tokio::test]
    async fn a_multipart_form_puts_its_fields_before_the_file() {
        let fields = vec![("X-Amz-Algorithm".to_string(), "AWS4-HMAC-SHA256".to_string()), ("key".into(), "a/b.png".into())];
        let (content_type, body) =
            multipart_with_file(&fields, "file", "b\"\r\n.png", "image/png", Content::from_bytes("PNG"));
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        let text = String::from_utf8(collect(&body).await).expect("text");
        assert_eq!(body.length(), Some(text.len() as u64));
        let algorithm = text.find("name=\"X-Amz-Algorithm\"\r\n\r\nAWS4-HMAC-SHA256\r\n").expect("the first field");
        let file = text.find("name=\"file\"; filename=\"b%22  .png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n").expect("the file");
        assert!(algorithm < file);
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }
}
