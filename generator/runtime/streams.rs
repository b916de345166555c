//! Answers read as they arrive: server-sent events (`text/event-stream`), lines of JSON
//! (`application/x-ndjson`, `application/json;stream=watch`) and raw bytes. The request is sent
//! (and retried) as any other; an error status is read whole and reported as the operation
//! documents it; a successful answer is read chunk by chunk, and dropping the stream closes
//! the connection.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::{decode, Answer, BodyError, BoxStream, Error, Operation, Request, Response};

/// One server-sent event: its data read as the type the API documents for it, and the fields
/// that came with it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's type (`event:`); `None` for the default, `message`.
    pub event: Option<String>,
    /// The last event id the stream has given (`id:`), as a reconnection would send it.
    pub id: Option<String>,
    /// The reconnection time this event set (`retry:`).
    pub retry: Option<Duration>,
    pub data: T,
}

/// Why a stream of events or lines stopped short of what the API documents.
#[derive(Debug)]
pub struct StreamError {
    kind: StreamErrorKind,
    event: Option<String>,
    data: String,
    source: Option<BodyError>,
}

/// What went wrong in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// The connection ended inside an event or a line: what came of it is in `data`.
    Cut,
    /// The server sent an error event (`event: error`, or data holding an `error` member) that
    /// does not read as the documented event.
    ErrorEvent,
    /// An event's data or a line does not read as the documented type.
    Unreadable,
    /// The server answered with something other than a stream (`data` holds the start of it).
    NotAStream,
}

impl StreamError {
    pub fn kind(&self) -> StreamErrorKind {
        self.kind
    }

    /// The event's type, when it had one.
    pub fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// The event's data, or the line, as it came.
    pub fn data(&self) -> &str {
        &self.data
    }

    /// Where the data stops matching the documented type.
    pub fn body_error(&self) -> Option<&BodyError> {
        self.source.as_ref()
    }

    fn new(kind: StreamErrorKind, event: Option<String>, data: String, source: Option<BodyError>) -> Self {
        StreamError { kind, event, data, source }
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            StreamErrorKind::Cut => "the stream ended mid-event",
            StreamErrorKind::ErrorEvent => "the stream sent an error",
            StreamErrorKind::Unreadable => "a streamed value does not match the API description",
            StreamErrorKind::NotAStream => "the answer is not a stream",
        };
        f.write_str(what)?;
        if let Some(event) = &self.event {
            write!(f, " (event `{event}`)")?;
        }
        if let Some(source) = &self.source {
            write!(f, " ({source})")?;
        }
        let data: String = self.data.chars().take(200).collect();
        write!(f, ": {data}")
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// An event as the wire gave it, before its data is read.
#[derive(Debug, Clone, PartialEq)]
struct RawEvent {
    event: Option<String>,
    data: String,
    id: Option<String>,
    retry: Option<Duration>,
}

/// The event-stream parser of the WHATWG HTML standard (§ 9.2.6), fed chunks as they come:
/// lines end at CR, LF or CRLF (also split across chunks), `:` starts a comment, a blank line
/// dispatches, and an event without data is none.
#[derive(Debug, Default)]
struct EventParser {
    line: Vec<u8>,
    /// The last chunk ended on CR: an LF starting the next one ends no second line.
    after_cr: bool,
    started: bool,
    data: String,
    has_data: bool,
    event: Option<String>,
    retry: Option<Duration>,
    last_id: Option<String>,
    /// Whether any field of the event being read has come.
    in_event: bool,
}

impl EventParser {
    fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<RawEvent>) {
        if !self.started && !chunk.is_empty() {
            // A byte-order mark opens the stream at most once.
            self.started = true;
            chunk = chunk.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(chunk);
        }
        for &byte in chunk {
            let after_cr = std::mem::replace(&mut self.after_cr, false);
            match byte {
                b'\n' if after_cr => {}
                b'\r' | b'\n' => {
                    self.after_cr = byte == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_done(&String::from_utf8_lossy(&line), out);
                }
                _ => self.line.push(byte),
            }
        }
    }

    fn line_done(&mut self, line: &str, out: &mut VecDeque<RawEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        self.in_event = true;
        match field {
            "event" => self.event = Some(value.to_string()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_string()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        let event = self.event.take().filter(|e| !e.is_empty());
        let retry = self.retry.take();
        self.in_event = false;
        if !std::mem::replace(&mut self.has_data, false) {
            return;
        }
        let id = self.last_id.clone().filter(|id| !id.is_empty());
        out.push_back(RawEvent { event, data: std::mem::take(&mut self.data), id, retry });
    }

    /// The bytes held for the event being read: what a server that never ends one makes grow.
    fn held(&self) -> usize {
        self.line.len() + self.data.len()
    }

    /// The event being read when the connection ended, if one had begun.
    fn unfinished(&mut self) -> Option<RawEvent> {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            // A line without its end is read as far as it came; a non-empty line dispatches nothing.
            self.line_done(&String::from_utf8_lossy(&line), &mut VecDeque::new());
        }
        let begun = std::mem::replace(&mut self.in_event, false);
        let data = std::mem::take(&mut self.data);
        self.has_data = false;
        let event = self.event.take();
        self.retry = None;
        begun.then_some(RawEvent { event, data, id: None, retry: None })
    }
}

/// Reads an event's data or a line as JSON of the documented type.
#[allow(dead_code)] // Not every API streams.
pub(crate) fn json_data<T: DeserializeOwned>(data: &str) -> Result<T, BodyError> {
    decode(data.as_bytes())
}

/// Takes an event's data as the text it is.
#[allow(dead_code)] // Not every API streams text.
pub(crate) fn text_data(data: &str) -> Result<String, BodyError> {
    Ok(data.to_string())
}

/// Whether a failed event's data says it is an error (`{"error": …}`, OpenAI's way).
fn says_error(event: Option<&str>, data: &str) -> bool {
    event == Some("error")
        || serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(data).is_ok_and(|m| m.contains_key("error"))
}

/// How an event's data is read.
type ReadData<T> = fn(&str) -> Result<T, BodyError>;

/// What a stream still has to do.
struct Reading<'a, O, T> {
    request: Request<'a, O>,
    accept: &'static str,
    response: Option<reqwest::Response>,
    read: ReadData<T>,
    status: reqwest::StatusCode,
    limit: u64,
    done: bool,
    /// Reconnections left, for an idempotent operation whose connection broke.
    reconnects: u32,
    retry: Option<Duration>,
}

impl<'a, O: Operation + Clone + 'a> Request<'a, O> {
    /// The answer as server-sent events, each event's data read by `read`; an event whose
    /// data is `sentinel` (`[DONE]`) ends the stream. When the connection breaks and the
    /// operation is idempotent, it is opened again with `Last-Event-ID`, as the retry policy
    /// allows.
    #[allow(dead_code)] // Not every API streams events.
    pub(crate) fn events<T: Send + 'a>(
        self,
        accept: &'static str,
        sentinel: Option<&'static str>,
        read: ReadData<T>,
    ) -> BoxStream<'a, Result<Event<T>, Error<O::Error>>> {
        let reconnects = if O::CALL.idempotent {
            self.options.retry.as_ref().unwrap_or(&self.client.inner.retry).attempts().saturating_sub(1)
        } else {
            0
        };
        let reading = Reading::new(self, accept, read, reconnects);
        let state = (reading, EventParser::default(), VecDeque::new());
        Box::pin(futures_util::stream::unfold(state, move |(mut reading, mut parser, mut ready)| async move {
            let item = next_event(&mut reading, &mut parser, &mut ready, sentinel).await?;
            Some((item, (reading, parser, ready)))
        }))
    }

    /// The answer as lines, each a value read by `read` (blank lines skipped).
    #[allow(dead_code)] // Not every API streams lines.
    pub(crate) fn lines<T: Send + 'a>(
        self,
        accept: &'static str,
        read: ReadData<T>,
    ) -> BoxStream<'a, Result<T, Error<O::Error>>> {
        let reading = Reading::new(self, accept, read, 0);
        let state = (reading, Vec::new(), VecDeque::new());
        Box::pin(futures_util::stream::unfold(state, |(mut reading, mut line, mut ready)| async move {
            let item = next_line(&mut reading, &mut line, &mut ready).await?;
            Some((item, (reading, line, ready)))
        }))
    }

    /// The answer's body as it arrives, chunk by chunk, without holding it whole.
    #[allow(dead_code)] // Not every API answers with files.
    pub(crate) fn chunks(self, accept: &'static str) -> BoxStream<'a, Result<Bytes, Error<O::Error>>> {
        // Chunks are handed on as they come: nothing is held, so nothing is limited.
        let reading = Reading { limit: u64::MAX, ..Reading::new(self, accept, |_| Ok(()), 0) };
        Box::pin(futures_util::stream::unfold(reading, |mut reading| async move {
            if reading.done {
                return None;
            }
            let item = match reading.chunk(None).await {
                Ok(Some(chunk)) => Ok(chunk),
                Ok(None) => return None,
                Err(e) => Err(e),
            };
            reading.done |= item.is_err();
            Some((item, reading))
        }))
    }
}

impl<'a, O: Operation + Clone + 'a, T> Reading<'a, O, T> {
    /// A call not yet sent; one event or line may hold up to the call's body limit.
    fn new(request: Request<'a, O>, accept: &'static str, read: ReadData<T>, reconnects: u32) -> Self {
        let limit = request.options.max_body_bytes.unwrap_or(request.client.inner.max_body_bytes);
        let status = reqwest::StatusCode::OK;
        Reading { request, accept, response: None, read, status, limit, done: false, reconnects, retry: None }
    }

    /// The answer's next chunk, opening the call first; `None` at its end.
    async fn chunk(&mut self, last_id: Option<&str>) -> Result<Option<Bytes>, Error<O::Error>> {
        let response = match &mut self.response {
            Some(response) => response,
            None => {
                let response = open(self.request.clone(), self.accept, last_id).await?;
                self.status = response.status();
                self.response.insert(response)
            }
        };
        match response.chunk().await {
            Ok(chunk) => Ok(chunk),
            Err(e) => {
                self.response = None;
                Err(Error::Transport(e))
            }
        }
    }

    fn fail(&mut self, kind: StreamErrorKind, event: Option<String>, data: String, source: Option<BodyError>) -> Error<O::Error> {
        self.done = true;
        Error::Stream(Box::new(StreamError::new(kind, event, data, source)))
    }
}

/// Sends the call, leaving a successful answer open; an error status is read whole and
/// becomes the operation's error.
async fn open<O: Operation>(
    request: Request<'_, O>,
    accept: &str,
    last_id: Option<&str>,
) -> Result<reqwest::Response, Error<O::Error>> {
    let mut outgoing = request.client.outgoing(O::CALL, request.options);
    request.params.write(&mut outgoing);
    outgoing.set_header("accept", accept);
    if let Some(id) = last_id {
        outgoing.set_header("last-event-id", id);
    }
    match outgoing.send_open(true).await? {
        Answer::Open(response) => Ok(response),
        Answer::Whole(answer) => {
            let kept = answer.clone();
            match O::read(Response(answer)) {
                Err(error) => Err(error),
                // A status neither a success nor a documented error.
                Ok(_) => Err(Error::UnexpectedStatus(Box::new(kept))),
            }
        }
    }
}

async fn next_event<'a, O: Operation + Clone + 'a, T>(
    reading: &mut Reading<'a, O, T>,
    parser: &mut EventParser,
    ready: &mut VecDeque<RawEvent>,
    sentinel: Option<&str>,
) -> Option<Result<Event<T>, Error<O::Error>>> {
    loop {
        if reading.done {
            return None;
        }
        if let Some(raw) = ready.pop_front() {
            if raw.retry.is_some() {
                reading.retry = raw.retry;
            }
            if sentinel == Some(raw.data.as_str()) {
                reading.done = true;
                return None;
            }
            return Some(match (reading.read)(&raw.data) {
                Ok(data) => Ok(Event { event: raw.event, id: raw.id, retry: raw.retry, data }),
                Err(source) => {
                    let error = invalid_event(raw, source);
                    // An unreadable event is reported and the stream goes on; an error ends it.
                    reading.done = matches!(&error, Error::Stream(e) if e.kind == StreamErrorKind::ErrorEvent);
                    Err(error)
                }
            });
        }
        let opening = reading.response.is_none();
        let last_id = parser.last_id.clone();
        match reading.chunk(last_id.as_deref()).await {
            Ok(Some(chunk)) => {
                if opening {
                    if let Some(error) = not_events(reading).await {
                        return Some(Err(error));
                    }
                }
                parser.feed(&chunk, ready);
                if parser.held() as u64 > reading.limit {
                    reading.done = true;
                    return Some(Err(Error::BodyTooLarge { status: reading.status, limit: reading.limit }));
                }
            }
            Ok(None) => {
                reading.done = true;
                let raw = parser.unfinished()?;
                return Some(Err(reading.fail(StreamErrorKind::Cut, raw.event, raw.data, None)));
            }
            Err(Error::Transport(e)) if !opening && reading.reconnects > 0 => {
                reading.reconnects -= 1;
                // What was read of the broken event is dropped; the server resends from the id.
                parser.unfinished();
                let wait = reading.retry.unwrap_or(Duration::from_secs(1));
                tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "event stream broke; reconnecting");
                tokio::time::sleep(wait).await;
            }
            Err(error) => {
                reading.done = true;
                return Some(Err(error));
            }
        }
    }
}

/// An answer that came back as something other than events (a server ignoring `stream`):
/// reported with the start of what it holds.
async fn not_events<'a, O: Operation + Clone + 'a, T>(reading: &mut Reading<'a, O, T>) -> Option<Error<O::Error>> {
    let response = reading.response.as_ref()?;
    let media = super::media_type(response.headers());
    if media.is_empty() || media == "text/event-stream" {
        return None;
    }
    let data = format!("a {media} answer where text/event-stream was asked for");
    Some(reading.fail(StreamErrorKind::NotAStream, None, data, None))
}

async fn next_line<'a, O: Operation + Clone + 'a, T>(
    reading: &mut Reading<'a, O, T>,
    line: &mut Vec<u8>,
    ready: &mut VecDeque<Vec<u8>>,
) -> Option<Result<T, Error<O::Error>>> {
    loop {
        if reading.done {
            return None;
        }
        if let Some(raw) = ready.pop_front() {
            let text = String::from_utf8_lossy(&raw);
            return Some(match (reading.read)(text.trim_end_matches('\r')) {
                Ok(value) => Ok(value),
                Err(source) => {
                    let error = reading.fail(StreamErrorKind::Unreadable, None, text.into_owned(), Some(source));
                    reading.done = false;
                    Err(error)
                }
            });
        }
        match reading.chunk(None).await {
            Ok(Some(chunk)) => {
                for piece in chunk.split_inclusive(|b| *b == b'\n') {
                    line.extend_from_slice(piece);
                    if line.ends_with(b"\n") {
                        let whole = std::mem::take(line);
                        if !whole.iter().all(u8::is_ascii_whitespace) {
                            ready.push_back(whole[..whole.len() - 1].to_vec());
                        }
                    }
                }
                if line.len() as u64 > reading.limit {
                    reading.done = true;
                    return Some(Err(Error::BodyTooLarge { status: reading.status, limit: reading.limit }));
                }
            }
            Ok(None) => {
                reading.done = true;
                let last = std::mem::take(line);
                if last.iter().all(u8::is_ascii_whitespace) {
                    return None;
                }
                // A last line without its newline is whole if it reads; else it was cut.
                let text = String::from_utf8_lossy(&last).into_owned();
                return Some(match (reading.read)(text.trim_end()) {
                    Ok(value) => Ok(value),
                    Err(source) => Err(reading.fail(StreamErrorKind::Cut, None, text, Some(source))),
                });
            }
            Err(error) => {
                reading.done = true;
                return Some(Err(error));
            }
        }
    }
}

/// Reads a whole answer body as events: what `.await` gives for an operation that answers only
/// with a stream.
#[allow(dead_code)] // Not every API streams events.
pub(crate) fn events_of<T, E>(
    response: Response,
    sentinel: Option<&str>,
    read: ReadData<T>,
) -> Result<Vec<Event<T>>, Error<E>> {
    let mut parser = EventParser::default();
    let mut ready = VecDeque::new();
    parser.feed(&response.0.body, &mut ready);
    let mut events = Vec::new();
    for raw in ready {
        if sentinel == Some(raw.data.as_str()) {
            return Ok(events);
        }
        match read(&raw.data) {
            Ok(data) => events.push(Event { event: raw.event, id: raw.id, retry: raw.retry, data }),
            Err(source) => return Err(invalid_event(raw, source)),
        }
    }
    match parser.unfinished() {
        Some(raw) => Err(Error::Stream(Box::new(StreamError::new(StreamErrorKind::Cut, raw.event, raw.data, None)))),
        None => Ok(events),
    }
}

fn invalid_event<E>(raw: RawEvent, source: BodyError) -> Error<E> {
    let kind = match says_error(raw.event.as_deref(), &raw.data) {
        true => StreamErrorKind::ErrorEvent,
        false => StreamErrorKind::Unreadable,
    };
    Error::Stream(Box::new(StreamError::new(kind, raw.event, raw.data, Some(source))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> (Vec<RawEvent>, Option<RawEvent>) {
        let mut parser = EventParser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out);
        }
        (out.into_iter().collect(), parser.unfinished())
    }

    fn data(events: &[RawEvent]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    #[test]
    fn lines_end_at_cr_lf_or_crlf_even_split_across_chunks() {
        let (events, rest) = parse(&[b"data: a\r", b"\n\r", b"\ndata: b\r\rdata: c\n\n"]);
        assert_eq!(data(&events), ["a", "b", "c"]);
        assert!(rest.is_none());
    }

    #[test]
    fn data_lines_join_with_newlines_and_comments_are_skipped() {
        let (events, _) = parse(&[b": keep-alive\n\ndata: first\ndata:second\ndata\n\n"]);
        assert_eq!(data(&events), ["first\nsecond\n"]);
    }

    #[test]
    fn fields_come_with_their_event_and_the_id_stays() {
        let (events, _) = parse(&[b"\xEF\xBB\xBFevent: delta\nid: 7\nretry: 1500\ndata: {}\n\ndata: next\n\n"]);
        assert_eq!(events[0].event.as_deref(), Some("delta"));
        assert_eq!(events[0].id.as_deref(), Some("7"));
        assert_eq!(events[0].retry, Some(Duration::from_millis(1500)));
        assert_eq!(events[1].event, None);
        assert_eq!(events[1].id.as_deref(), Some("7"));
        assert_eq!(events[1].retry, None);
    }

    #[test]
    fn an_event_without_data_is_none_and_bad_retries_are_ignored() {
        let (events, _) = parse(&[b"event: ping\n\nretry: soon\ndata: x\n\n"]);
        assert_eq!(data(&events), ["x"]);
        assert_eq!(events[0].event, None);
        assert_eq!(events[0].retry, None);
    }

    #[test]
    fn an_event_the_connection_cut_is_kept_apart() {
        let (events, rest) = parse(&[b"data: whole\n\ndata: {\"half"]);
        assert_eq!(data(&events), ["whole"]);
        assert_eq!(rest.map(|e| e.data).as_deref(), Some("{\"half"));
        let (_, rest) = parse(&[b"data: whole\n\nevent: next\ndata: one line\n"]);
        assert_eq!(rest.map(|e| (e.event, e.data)), Some((Some("next".to_string()), "one line".to_string())));
        let (_, rest) = parse(&[b"data: whole\n\n: a comment cut sh"]);
        assert!(rest.is_none(), "a comment begins no event");
    }

    #[test]
    fn error_events_are_told_apart_from_unreadable_ones() {
        assert!(says_error(Some("error"), "oops"));
        assert!(says_error(None, r#"{"error": {"message": "overloaded"}}"#));
        assert!(!says_error(None, r#"{"choices": []}"#));
    }
}
