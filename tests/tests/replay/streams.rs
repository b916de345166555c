//! Answers read as they arrive, against local servers that send them piece by piece: events
//! delivered before the stream ends, a broken stream resumed with `Last-Event-ID`, a dropped
//! stream closing its connection, lines of JSON, and a download in chunks
//! (`specs/conformance`: `followRecord`, `watchRecords`, `getThumbnail`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::Duration;

use conformance_client::{Client, Error, RetryPolicy, StreamErrorKind};
use futures_util::{StreamExt, TryStreamExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RECORD: &str = r#"{"id":7,"title":"x","created_on":"2026-12-02T06:56:18Z"}"#;
const WAIT: Duration = Duration::from_secs(5);

fn client(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder().base_url(base_url).bearer_token("stream-token").retry_policy(policy).build().expect("a client")
}

/// Reads a request's head, returning its lines.
fn request_head(connection: &mut TcpStream) -> Vec<String> {
    let mut reader = BufReader::new(connection.try_clone().expect("a handle"));
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            return lines;
        }
        lines.push(line.trim().to_ascii_lowercase());
    }
}

/// The head of a stream's answer, with the body running to the connection's end.
fn stream_head(media_type: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: {media_type}\r\nconnection: close\r\n\r\n")
}

#[tokio::test]
async fn each_event_is_delivered_before_the_next_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let (received, wait_for_it) = mpsc::channel::<()>();
    let server = std::thread::spawn(move || {
        let (mut connection, _) = listener.accept().expect("a connection");
        request_head(&mut connection);
        let first = format!("{}event: changed\nid: 1\ndata: {RECORD}\n\n", stream_head("text/event-stream"));
        connection.write_all(first.as_bytes()).expect("written");
        // The second event is sent only once the client has the first: a client that waited
        // for the whole answer would wait forever.
        let read_first = wait_for_it.recv_timeout(WAIT).is_ok();
        let _ = connection.write_all(format!("id: 2\ndata: {RECORD}\n\n").as_bytes());
        read_first
    });
    let client = client(&base, RetryPolicy::never());
    let mut stream = client.records().follow(7).stream();
    let first = tokio::time::timeout(WAIT, stream.next()).await.expect("the first event, alone").expect("an item");
    let first = first.expect("a record");
    assert_eq!((first.event.as_deref(), first.id.as_deref(), first.data.id), (Some("changed"), Some("1"), 7));
    received.send(()).expect("the server waits");
    let second = stream.next().await.expect("an item").expect("a record");
    assert_eq!(second.id.as_deref(), Some("2"));
    assert!(stream.next().await.is_none(), "the server closed the stream");
    assert!(server.join().expect("the server"), "the first event reached the client before the second was sent");
}

#[tokio::test]
async fn a_broken_stream_of_an_idempotent_operation_resumes_from_the_last_event_id() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let server = std::thread::spawn(move || {
        // The first answer promises more than it sends, then the connection drops.
        let (mut first, _) = listener.accept().expect("a connection");
        request_head(&mut first);
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 4096\r\n\r\n";
        let event = format!("id: 41\nretry: 20\ndata: {RECORD}\n\ndata: {{\"id\":");
        first.write_all(format!("{head}{event}").as_bytes()).expect("written");
        drop(first);
        let (mut second, _) = listener.accept().expect("the client comes back");
        let head = request_head(&mut second);
        let body = format!("{}id: 42\ndata: {RECORD}\n\n", stream_head("text/event-stream"));
        second.write_all(body.as_bytes()).expect("written");
        head
    });
    let client = client(&base, RetryPolicy::default());
    let events: Vec<_> = tokio::time::timeout(WAIT, client.records().follow(7).stream().try_collect::<Vec<_>>())
        .await
        .expect("the stream ends")
        .expect("the break is mended");
    let ids: Vec<Option<&str>> = events.iter().map(|e| e.id.as_deref()).collect();
    assert_eq!(ids, [Some("41"), Some("42")], "the half event is dropped, not delivered");
    let head = server.join().expect("the server");
    assert!(head.contains(&"last-event-id: 41".to_string()), "{head:?}");
    assert!(head.contains(&"accept: text/event-stream".to_string()), "{head:?}");
}

#[tokio::test]
async fn dropping_a_stream_closes_its_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let server = std::thread::spawn(move || {
        let (mut connection, _) = listener.accept().expect("a connection");
        request_head(&mut connection);
        let first = format!("{}data: {RECORD}\n\n", stream_head("text/event-stream"));
        connection.write_all(first.as_bytes()).expect("written");
        // More would follow; the server waits for the client to hang up.
        connection.set_read_timeout(Some(WAIT)).expect("a timeout");
        let mut rest = [0u8; 64];
        matches!(connection.read(&mut rest), Ok(0))
    });
    let client = client(&base, RetryPolicy::never());
    let mut stream = client.records().follow(7).stream();
    assert!(stream.next().await.expect("an item").is_ok());
    drop(stream);
    let closed = tokio::task::spawn_blocking(move || server.join().expect("the server")).await.expect("joined");
    assert!(closed, "the connection closed when the stream was dropped");
}

#[tokio::test]
async fn lines_of_json_are_read_one_by_one_and_the_last_needs_no_newline() {
    let server = MockServer::start().await;
    let body = format!("{RECORD}\n\n{}\r\n{}", RECORD.replace("\"x\"", "\"y\""), RECORD.replace("\"x\"", "\"z\""));
    Mock::given(method("GET"))
        .and(path("/records/changes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/x-ndjson"))
        .mount(&server)
        .await;
    let records: Vec<_> =
        client(&server.uri(), RetryPolicy::never()).records().watch().stream().try_collect().await.expect("every line");
    let titles: Vec<&str> = records.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["x", "y", "z"]);
    let sent = &server.received_requests().await.expect("recorded")[0];
    assert_eq!(sent.headers.get("accept").and_then(|v| v.to_str().ok()), Some("application/x-ndjson"));
}

#[tokio::test]
async fn a_line_that_does_not_read_is_reported_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    let body = format!("{RECORD}\n{{\"id\": \"seven\"}}\n{RECORD}\n");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/x-ndjson"))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server.uri(), RetryPolicy::never()).records().watch().stream().collect().await;
    assert_eq!(items.len(), 3);
    match &items[1] {
        Err(Error::Stream(e)) => {
            assert_eq!(e.kind(), StreamErrorKind::Unreadable);
            assert_eq!(e.data(), r#"{"id": "seven"}"#);
        }
        other => panic!("expected the bad line, got {other:?}"),
    }
    assert!(items[2].is_ok());
}

#[tokio::test]
async fn an_answer_that_is_not_a_stream_is_said_to_be_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(RECORD, "application/json"))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server.uri(), RetryPolicy::never()).records().follow(7).stream().collect().await;
    match items.as_slice() {
        [Err(Error::Stream(e))] => assert_eq!(e.kind(), StreamErrorKind::NotAStream),
        other => panic!("expected one error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_download_arrives_in_chunks_that_make_the_whole() {
    let server = MockServer::start().await;
    let image: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/records/7/thumbnail"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(image.clone(), "image/png"))
        .mount(&server)
        .await;
    let chunks: Vec<bytes::Bytes> = client(&server.uri(), RetryPolicy::never())
        .records()
        .get_thumbnail(7)
        .stream()
        .try_collect()
        .await
        .expect("the download");
    assert!(chunks.len() > 1, "a large body comes in more than one chunk");
    assert_eq!(chunks.concat(), image);
}

#[tokio::test]
async fn an_error_status_before_a_download_is_the_documented_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(r#"{"message": "no such record"}"#, "application/json"))
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server.uri(), RetryPolicy::never()).records().get_thumbnail(7).stream().collect().await;
    match items.as_slice() {
        [Err(e)] => assert_eq!(e.status().map(|s| s.as_u16()), Some(404)),
        other => panic!("expected the 404, got {other:?}"),
    }
}
