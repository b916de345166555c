//! Faults a production client meets, injected by local servers with short delays: throttling,
//! failing upstreams, stalls, broken and wrong bodies. Each test asserts how many attempts
//! reached the server and how long the client waited, against the configured policy.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognite_client::types::ExternalFilesMetadata;
use datocms_client::{Client, Error, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "fault-token-93ab";

/// The recorded answer to `GET /uploads/43554772`.
fn upload() -> String {
    fixture_tests::recorded_answer("datocms/get-upload", 0).to_string()
}

/// Fast backoff: waits between 10 and 40 ms, so a test with retries takes well under a second.
fn quick() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(20), Duration::from_millis(40))
}

fn datocms(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().base_url(server.uri()).bearer_token(TOKEN).retry_policy(policy).build().expect("a client")
}

/// Answers with `first`, `times` times, then with `then`.
async fn serve(server: &MockServer, first: ResponseTemplate, times: u64, then: ResponseTemplate) {
    Mock::given(method("GET")).respond_with(first).up_to_n_times(times).with_priority(1).mount(server).await;
    Mock::given(method("GET")).respond_with(then).with_priority(2).mount(server).await;
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(upload(), "application/json")
}

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// One line per fault for `cargo test -p fixture-tests faults -- --nocapture`: the figures the
/// assertions bound, as measured.
fn report(fault: &str, attempts: usize, elapsed: Duration, expected: &str) {
    eprintln!("fault: {fault}: {attempts} attempt(s) in {} ms (expected {expected})", elapsed.as_millis());
}

#[tokio::test]
async fn a_429_is_retried_after_the_wait_retry_after_names() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "1");
    serve(&server, throttled, 1, ok()).await;
    let started = Instant::now();
    let upload = datocms(&server, quick()).uploads().get("43554772").await.expect("the retry succeeds");
    let elapsed = started.elapsed();
    assert_eq!(upload.data.id, "43554772");
    assert_eq!(attempts(&server).await, 2);
    report("429 with Retry-After: 1, then 200", 2, elapsed, "2 attempts, 1000–3000 ms");
    assert!(elapsed >= Duration::from_secs(1), "waited only {elapsed:?} of Retry-After: 1");
    assert!(elapsed < Duration::from_secs(3), "waited {elapsed:?}");
}

#[tokio::test]
async fn a_503_twice_then_200_backs_off_exponentially() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503), 2, ok()).await;
    let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
    let started = Instant::now();
    datocms(&server, policy).uploads().get("43554772").await.expect("the third attempt succeeds");
    let elapsed = started.elapsed();
    assert_eq!(attempts(&server).await, 3);
    report("503, 503, then 200 (backoff 100 ms doubling)", 3, elapsed, "3 attempts, waits 50–100 + 100–200 ms");
    // Waits of 50–100 ms, then 100–200 ms.
    assert!(elapsed >= Duration::from_millis(150), "waited only {elapsed:?}");
    assert!(elapsed < Duration::from_millis(1000), "waited {elapsed:?}");
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_answer_is_the_error() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503).set_body_string("down"), 100, ok()).await;
    let started = Instant::now();
    let error = datocms(&server, quick().max_attempts(4)).uploads().get("1").await.expect_err("never recovers");
    report("503 forever, max_attempts 4 (backoff 20–40 ms)", attempts(&server).await, started.elapsed(), "4 attempts");
    assert_eq!(attempts(&server).await, 4);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.raw_body(), Some(&b"down"[..]));
}

#[tokio::test]
async fn a_wait_longer_than_allowed_is_returned_at_once() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(429).insert_header("retry-after", "3600"), 1, ok()).await;
    let started = Instant::now();
    let error = datocms(&server, quick()).uploads().get("1").await.expect_err("an hour is too long to wait");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(attempts(&server).await, 1);
    report("429 with Retry-After: 3600 (over the 60 s limit)", 1, started.elapsed(), "1 attempt, returned at once");
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn the_time_budget_bounds_retries() {
    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503), 100, ok()).await;
    let policy = RetryPolicy::default()
        .max_attempts(100)
        .backoff(Duration::from_millis(100), Duration::from_millis(100))
        .max_elapsed(Duration::from_millis(300));
    let started = Instant::now();
    datocms(&server, policy).uploads().get("1").await.expect_err("the budget runs out");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(600), "took {elapsed:?} on a 300 ms budget");
    let sent = attempts(&server).await;
    report("503 forever, max_elapsed 300 ms (waits 50–100 ms)", sent, elapsed, "3–7 attempts, < 600 ms");
    assert!((3..=7).contains(&sent), "{sent} attempts in a 300 ms budget with 50–100 ms waits");
}

#[tokio::test]
async fn a_post_that_is_not_idempotent_is_retried_only_on_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let cognite = cognite_client::Client::builder()
        .base_url(server.uri())
        .retry_policy(
            cognite_client::RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(20)),
        )
        .build()
        .expect("a client");
    // Creating a file twice would create two: a 503 ends the call.
    let create = cognite.files().init_upload(ExternalFilesMetadata::new("a.txt")).await;
    assert_eq!(create.expect_err("503").status().map(|s| s.as_u16()), Some(503));
    assert_eq!(attempts(&server).await, 1);
    // Listing is marked idempotent by specs/cognite/overlay.yaml: retried to the limit.
    let list = cognite.files().advanced_list().await;
    assert_eq!(list.expect_err("503").status().map(|s| s.as_u16()), Some(503));
    assert_eq!(attempts(&server).await, 1 + 3);

    // A 429 means the request was not processed: even a create is sent again.
    let throttled = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&throttled)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(418)).with_priority(2).mount(&throttled).await;
    let cognite = cognite_client::Client::builder().base_url(throttled.uri()).build().expect("a client");
    let create = cognite.files().init_upload(ExternalFilesMetadata::new("a.txt")).await;
    assert_eq!(create.expect_err("418 after the retry").status().map(|s| s.as_u16()), Some(418));
    assert_eq!(attempts(&throttled).await, 2);
}

#[tokio::test]
async fn a_stalled_server_times_out_per_attempt() {
    let server = MockServer::start().await;
    serve(&server, ok().set_delay(Duration::from_secs(5)), 100, ok()).await;
    let started = Instant::now();
    let error = datocms(&server, quick().max_attempts(2))
        .uploads()
        .get("1")
        .request_timeout(Duration::from_millis(200))
        .await
        .expect_err("the server stalls");
    let elapsed = started.elapsed();
    let Error::Transport(source) = &error else { panic!("expected a transport error, got {error:?}") };
    assert!(source.is_timeout(), "{source}");
    assert_eq!(attempts(&server).await, 2);
    report("server stalls 5 s, request_timeout 200 ms, max_attempts 2", 2, elapsed, "2 timeouts, 400–2000 ms");
    assert!(elapsed >= Duration::from_millis(400) && elapsed < Duration::from_secs(2), "took {elapsed:?}");
}

#[tokio::test]
async fn dropping_a_call_cancels_it_and_the_client_goes_on() {
    let server = MockServer::start().await;
    serve(&server, ok().set_delay(Duration::from_secs(5)), 1, ok()).await;
    let client = datocms(&server, quick());
    let cancelled = tokio::time::timeout(Duration::from_millis(100), client.uploads().get("1").send()).await;
    assert!(cancelled.is_err(), "the call was still waiting");
    let upload = client.uploads().get("43554772").await.expect("the next call is answered");
    assert_eq!(upload.data.id, "43554772");
    assert_eq!(attempts(&server).await, 2);
}

/// A server on a plain socket that promises more body than it sends, then hangs up.
fn truncating_server() -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let address = format!("http://{}", listener.local_addr().expect("an address"));
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            *seen.lock().expect("the count") += 1;
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"data\":{\"id\":",
            );
        }
    });
    (address, count)
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error_after_the_retries() {
    let (address, count) = truncating_server();
    let client = Client::builder().base_url(address).retry_policy(quick()).build().expect("a client");
    let started = Instant::now();
    let error = client.uploads().get("1").await.expect_err("the body is cut short");
    report(
        "truncated body (GET, idempotent)",
        *count.lock().expect("the count"),
        started.elapsed(),
        "3 attempts, Transport",
    );
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(*count.lock().expect("the count"), 3);
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_text() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    serve(&server, ResponseTemplate::new(502).set_body_raw(page, "text/html"), 100, ok()).await;
    let started = Instant::now();
    let error = datocms(&server, quick()).uploads().get("1").await.expect_err("a gateway error");
    report(
        "502 HTML error page",
        attempts(&server).await,
        started.elapsed(),
        "3 attempts, UnexpectedStatus with the page",
    );
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(error.raw_body(), Some(page.as_bytes()));
    assert_eq!(attempts(&server).await, 3);
}

#[tokio::test]
async fn bodies_that_are_not_what_the_schema_says_are_not_retried() {
    for body in ["{\"data\":", "{\"data\": {\"id\": 5}}"] {
        let server = MockServer::start().await;
        serve(&server, ResponseTemplate::new(200).set_body_raw(body, "application/json"), 100, ok()).await;
        let error = datocms(&server, quick()).uploads().get("1").await.expect_err("not an upload");
        let Error::InvalidBody { response, .. } = &error else { panic!("expected InvalidBody, got {error:?}") };
        assert_eq!(&response.body[..], body.as_bytes());
        assert_eq!(attempts(&server).await, 1);
        eprintln!("fault: 200 with {body:?}: 1 attempt, InvalidBody keeping the body");
    }
}

#[tokio::test]
async fn an_exhausted_rate_limit_window_delays_the_next_call() {
    let server = MockServer::start().await;
    let last = ok().insert_header("x-ratelimit-remaining", "0").insert_header("x-ratelimit-reset", "1");
    serve(&server, last, 1, ok()).await;
    let client = datocms(&server, quick());
    client.uploads().get("43554772").await.expect("the last request of the window");
    let started = Instant::now();
    client.uploads().get("43554772").await.expect("the first of the next window");
    let waited = started.elapsed();
    report("X-RateLimit-Remaining: 0, Reset: 1, then the next call", 1, waited, "the next call waits ~1000 ms");
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn each_call_is_traced_without_its_credentials() {
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("the log").extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    serve(&server, ResponseTemplate::new(503), 1, ok()).await;
    datocms(&server, quick()).uploads().get("43554772").await.expect("the retry succeeds");

    let log = String::from_utf8(captured.0.lock().expect("the log").clone()).expect("UTF-8");
    // OpenTelemetry's names for an HTTP client span, the path as its template.
    assert!(log.contains("operation=\"getUpload\""), "{log}");
    assert!(log.contains("otel.name=\"GET /uploads/{upload_id}\""), "{log}");
    assert!(log.contains("url.template=\"/uploads/{upload_id}\""), "{log}");
    assert!(log.contains("http.request.method=GET"), "{log}");
    assert!(log.contains("server.address=\"127.0.0.1\""), "{log}");
    assert!(log.contains("http.response.status_code=200") && log.contains("http.request.resend_count=1"), "{log}");
    assert!(log.contains("retrying") && log.contains("http.response.status_code=503"), "{log}");
    assert!(!log.contains(TOKEN) && !log.contains("43554772"), "a secret or a caller's value leaked: {log}");
}

#[tokio::test]
async fn no_credential_or_default_header_follows_a_redirect_to_another_origin() {
    let (api, elsewhere) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET")).respond_with(ok()).mount(&elsewhere).await;
    for status in [301, 302, 303, 307, 308] {
        api.reset().await;
        let location = format!("{}/uploads/43554772", elsewhere.uri());
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
            .mount(&api)
            .await;
        let client = Client::builder()
            .base_url(api.uri())
            .bearer_token(TOKEN)
            .header("X-Api-Key", "key-9f2c")
            .header("X-Tenant", "tenant-1")
            .build()
            .expect("a client");
        let answer = client.uploads().get("43554772").await;
        assert!(answer.is_err(), "{status}: a redirect elsewhere is not followed");
        assert_eq!(attempts(&elsewhere).await, 0, "{status}: the other origin was reached");
    }
}

#[tokio::test]
async fn a_redirect_on_the_same_server_is_followed() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/uploads/old"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/uploads/43554772"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/uploads/43554772")).respond_with(ok()).mount(&server).await;
    let upload = datocms(&server, quick()).uploads().get("old").await.expect("followed");
    assert_eq!(upload.data.id, "43554772");
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(requests.iter().all(|r| r.headers.get("referer").is_none()), "no Referer is sent");
}

#[tokio::test]
async fn a_429_holds_every_call_of_the_client_not_only_its_own() {
    let server = MockServer::start().await;
    let throttled = ResponseTemplate::new(429).insert_header("retry-after", "1");
    serve(&server, throttled, 1, ok()).await;
    let client = datocms(&server, quick());
    let first = {
        let client = client.clone();
        tokio::spawn(async move { client.uploads().get("43554772").await.map(|_| ()) })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    client.uploads().get("43554772").await.expect("the second call succeeds");
    let waited = started.elapsed();
    first.await.expect("joins").expect("the first call succeeds after its retry");
    report(
        "429 with Retry-After: 1 to one call, a second call 200 ms later",
        attempts(&server).await,
        waited,
        "3 attempts, the second call held ~800 ms",
    );
    assert_eq!(attempts(&server).await, 3);
    assert!(
        waited >= Duration::from_millis(600),
        "the second call went out after {waited:?}, inside the server's wait"
    );
}

#[tokio::test]
async fn a_body_longer_than_the_limit_is_not_read() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("x".repeat(10_000), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).max_body_bytes(1_000).build().expect("a client");
    let error = client.uploads().get("43554772").await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { limit: 1_000, .. }), "{error:?}");
    // One call may read more than the client does.
    let body = client.uploads().get("43554772").max_body_bytes(20_000).await;
    assert!(matches!(body, Err(Error::InvalidBody { .. })), "read whole, then found not to be an upload: {body:?}");

    // A server announcing 500 MB is refused on its headers, before any of the body is read.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 524288000\r\n\r\n[";
            let _ = stream.write_all(head.as_bytes());
            std::thread::sleep(Duration::from_secs(5));
        }
    });
    let client = Client::builder().base_url(format!("http://{address}")).build().expect("a client");
    let started = Instant::now();
    let error = client.uploads().get("43554772").await.expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "waited {:?} for a body it should not read", started.elapsed());
}

#[tokio::test]
async fn errors_show_the_start_of_a_body_and_no_cookie() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("set-cookie", "session=cookie-secret-77")
                .set_body_raw("y".repeat(1_000_000), "text/plain"),
        )
        .mount(&server)
        .await;
    let error = datocms(&server, quick()).uploads().get("43554772").await.expect_err("an error");
    let (shown, debug) = (error.to_string(), format!("{error:?}"));
    assert!(shown.len() < 1_000, "Display is {} bytes", shown.len());
    assert!(debug.len() < 5_000, "Debug is {} bytes", debug.len());
    assert!(!debug.contains("cookie-secret-77"), "{debug}");
    assert!(debug.contains("1000000 bytes"), "{debug}");
}

#[tokio::test]
async fn a_trickling_body_is_bounded_by_the_call_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n");
            // One byte every 50 ms: the body would take more than an hour.
            for _ in 0..100_000 {
                if stream.write_all(b" ").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    let started = Instant::now();
    let error = client.uploads().get("1").request_timeout(Duration::from_millis(500)).await.expect_err("too slow");
    assert!(matches!(&error, Error::Transport(e) if e.is_timeout()), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
}

/// Any header value a server sends, in every header the client reads (`Retry-After`,
/// `X-RateLimit-Reset`, `X-RateLimit-Remaining`), on a success and on a 429: the client answers
/// without panicking and without waiting beyond its policy.
#[test]
fn no_header_value_makes_the_client_panic_or_wait_long() {
    use proptest::prelude::*;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let value = Arc::new(Mutex::new(String::new()));
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let shown = value.clone();
        Mock::given(method("GET"))
            .respond_with(move |request: &wiremock::Request| {
                let text = shown.lock().expect("the value").clone();
                let status = if request.url.path().ends_with("/429") { 429 } else { 200 };
                ResponseTemplate::new(status)
                    .insert_header("retry-after", text.as_str())
                    .insert_header("x-ratelimit-reset", text.as_str())
                    .insert_header("x-ratelimit-remaining", "0")
                    .set_body_raw(upload(), "application/json")
            })
            .mount(&server)
            .await;
        server
    });
    let policy = RetryPolicy::default()
        .max_attempts(2)
        .max_server_wait(Duration::from_millis(20))
        .backoff(Duration::from_millis(1), Duration::from_millis(2));
    let client = datocms(&server, policy);
    let numbers = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        (0u32..100_000, 0u32..100, 0u32..100, 0u32..100)
            .prop_map(|(y, d, h, m)| format!("Sun, {d:02} Nov {y} {h:02}:{m:02}:99 GMT")),
        "[ -~]{0,40}",
    ];
    let config = ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() };
    proptest!(config, |(text in numbers)| {
        *value.lock().expect("the value") = text.trim().to_string();
        let started = Instant::now();
        runtime.block_on(async {
            let _ = client.uploads().get("1").await;
            let _ = client.uploads().get("429").await;
        });
        prop_assert!(started.elapsed() < Duration::from_secs(2), "{text:?} took {:?}", started.elapsed());
    });
}
