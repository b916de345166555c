//! Replays recorded HTTP exchanges (HAR 1.2 files in `tests/fixtures/`) to the generated
//! clients and checks what they send against the recording.
//!
//! A test starts a [`Replay`] of one file, points a client at [`Replay::base_url`], calls the API
//! as a user would, and then calls [`Replay::verify`]: every recorded request must have been sent,
//! in order, with the same method, path, query, recorded headers and JSON-equal body.
//!
//! The README's examples are compiled as this crate's doctests, so they stay true.
#![doc = include_str!("../../README.md")]

pub mod har;

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub use har::Exchange;

/// The JSON answer of entry `index` of the fixture `name` (`"cognite/create"`), for tests that
/// serve a recorded body from a server of their own.
pub fn recorded_answer(name: &str, index: usize) -> Value {
    let exchanges = har::read(name);
    let exchange = exchanges.get(index).unwrap_or_else(|| panic!("{name} has no entry {index}"));
    serde_json::from_str(&exchange.response_body).unwrap_or_else(|e| panic!("{name}: entry {index} is not JSON: {e}"))
}

/// A local server answering with one HAR file's recorded responses, in order.
pub struct Replay {
    server: MockServer,
    name: String,
    exchanges: Vec<Exchange>,
    /// The path the API's base URL contributes (`/v2` for `https://api.webflow.com/v2`).
    base_path: String,
}

impl Replay {
    /// Serves `tests/fixtures/<name>.har`; `api_base_url` is the client's default base URL, whose
    /// host the recording's URLs share.
    pub async fn start(name: &str, api_base_url: &str) -> Replay {
        let exchanges = har::read(name);
        let base_path = har::split_url(api_base_url).0;
        let origin = api_base_url.strip_suffix(base_path.as_str()).unwrap_or(api_base_url);
        let server = MockServer::start().await;
        for exchange in &exchanges {
            let mut response = ResponseTemplate::new(exchange.status);
            for (name, value) in &exchange.response_headers {
                if !name.eq_ignore_ascii_case("content-type") {
                    // Headers that point back at the API (`Link`, `Location`) point at the replay.
                    let value = value.replace(origin, &server.uri());
                    response = response.insert_header(name.as_str(), value.as_str());
                }
            }
            if !exchange.response_body.is_empty() {
                response = response.set_body_raw(exchange.response_body.clone(), &exchange.response_content_type);
            }
            // One use each, in order: the same request can be answered 404 and then 200.
            Mock::given(method(exchange.method.as_str()))
                .and(path(exchange.path.as_str()))
                .respond_with(response)
                .up_to_n_times(1)
                .mount(&server)
                .await;
        }
        Replay { server, name: name.to_string(), exchanges, base_path }
    }

    /// The base URL to configure the client with.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.server.uri(), self.base_path)
    }

    /// The recorded response body of exchange `index`, as JSON.
    pub fn response(&self, index: usize) -> Value {
        serde_json::from_str(&self.exchanges[index].response_body)
            .unwrap_or_else(|e| panic!("{}: exchange {index} has no JSON response: {e}", self.name))
    }

    /// The recorded response body of exchange `index`, as the text it is (an event stream).
    pub fn response_text(&self, index: usize) -> &str {
        &self.exchanges[index].response_body
    }

    /// The recorded request body of exchange `index`, as JSON.
    pub fn request(&self, index: usize) -> Value {
        let text = self.exchanges[index].request_body.as_deref().unwrap_or("null");
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{}: exchange {index} has no JSON request: {e}", self.name))
    }

    /// Checks that the requests received are the recorded ones.
    pub async fn verify(&self) {
        self.verify_without(&[]).await;
    }

    /// The same, for recorded request bodies with members (JSON pointers) the request type cannot
    /// hold: they must be exactly the ones missing from what was sent.
    pub async fn verify_without(&self, dropped: &[&str]) {
        let received = self.server.received_requests().await.unwrap_or_default();
        assert_eq!(
            received.len(),
            self.exchanges.len(),
            "{}: {} requests were sent, {} are recorded",
            self.name,
            received.len(),
            self.exchanges.len()
        );
        for (i, (sent, recorded)) in received.iter().zip(&self.exchanges).enumerate() {
            let at = format!("{} exchange {i} ({} {})", self.name, recorded.method, recorded.path);
            assert_eq!(sent.method.as_str(), recorded.method, "{at}: method");
            assert_eq!(sent.url.path(), recorded.path, "{at}: path");
            let mut query: Vec<(String, String)> =
                sent.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            let mut expected = recorded.query.clone();
            query.sort();
            expected.sort();
            assert_eq!(query, expected, "{at}: query");
            for (name, value) in &recorded.request_headers {
                let got = sent.headers.get(name.as_str()).and_then(|v| v.to_str().ok());
                assert_eq!(got, Some(value.as_str()), "{at}: header {name}");
            }
            match &recorded.request_body {
                Some(text) => {
                    let mut want: Value = serde_json::from_str(text).expect("recorded body is JSON");
                    remove_all(&mut want, dropped, &at);
                    let got: Value = serde_json::from_slice(&sent.body).unwrap_or_else(|e| {
                        panic!("{at}: the body sent is not JSON ({e}): {:?}", String::from_utf8_lossy(&sent.body))
                    });
                    assert_json_eq(&got, &want, &format!("{at}: request body"));
                }
                None => assert!(sent.body.is_empty(), "{at}: a body was sent where none is recorded"),
            }
        }
    }
}

/// Asserts that two JSON values are equal, naming the first place they differ.
pub fn assert_json_eq(got: &Value, want: &Value, context: &str) {
    if let Some(difference) = first_difference(got, want, String::new()) {
        panic!("{context}: {difference}\n  sent/parsed: {got}\n  recorded:    {want}");
    }
}

fn first_difference(got: &Value, want: &Value, at: String) -> Option<String> {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, w_value) in w {
                match g.get(key) {
                    Some(g_value) => {
                        if let Some(d) = first_difference(g_value, w_value, format!("{at}/{key}")) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{at}/{key} is missing")),
                }
            }
            g.keys().find(|k| !w.contains_key(*k)).map(|k| format!("{at}/{k} is not in the recording"))
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            g.iter().zip(w).enumerate().find_map(|(i, (g, w))| first_difference(g, w, format!("{at}/{i}")))
        }
        // JSON has one number type: 123 and 123.0 are the same value. Integers still compare
        // exactly, so 2^53 + 1 never equals 2^53.
        (Value::Number(g), Value::Number(w)) if (g.is_f64() || w.is_f64()) && g.as_f64() == w.as_f64() => None,
        // An instant written two ways (`…00.000Z`, `…00Z`) is the same value.
        (Value::String(g), Value::String(w)) if same_instant(g, w) => None,
        _ if got == want => None,
        _ => Some(format!("at {} {got} differs from {want}", if at.is_empty() { "/" } else { &at })),
    }
}

/// Asserts that a parsed response serialises back to the recorded body.
pub fn assert_round_trip<T: serde::Serialize>(parsed: &T, recorded: &Value, context: &str) {
    let value = serde_json::to_value(parsed).expect("a parsed value serialises");
    assert_json_eq(&value, recorded, &format!("{context}: parsed response re-serialised"));
}

/// Whether two strings are RFC 3339 date-times naming the same instant.
fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Asserts that a parsed response serialises back to the recorded body except for `dropped`
/// (JSON pointers): members the model cannot hold, each of which must really be missing.
pub fn assert_round_trip_dropping<T: serde::Serialize>(parsed: &T, recorded: &Value, dropped: &[&str], context: &str) {
    let mut recorded = recorded.clone();
    remove_all(&mut recorded, dropped, context);
    assert_round_trip(parsed, &recorded, context);
}

/// Removes each pointer from `value`, panicking if one is not there.
fn remove_all(value: &mut Value, pointers: &[&str], context: &str) {
    for pointer in pointers {
        let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
        let key = key.replace("~1", "/").replace("~0", "~");
        let removed = match value.pointer_mut(parent) {
            Some(Value::Object(map)) => map.remove(&key),
            _ => None,
        };
        assert!(removed.is_some(), "{context}: {pointer} is not in the recording");
    }
}
