//! The conformance driver, written by `cargo xtask conformance` into `target/conformance/driver`:
//! calls every operation of one generated client through its public API, by way of a proxy
//! that records each answer as it came, and prints one JSON line per call.
//!
//! usage: conformance-driver API UPSTREAM BASE_PATH

mod apis;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::{json, Value};

/// What a call came to, as the generated client reported it.
pub struct Outcome {
    pub kind: &'static str,
    pub detail: String,
    /// The parsed answer written back as JSON, for comparison with what came.
    pub value: Option<Value>,
    /// For an error answer: whether its body read as the documented error type.
    pub error_parsed: Option<bool>,
    /// The body argument, as made from the schema, before the client read it into its type.
    pub given: Option<&'static str>,
}

/// An argument made from the document's schema, read into the client's own type.
pub fn parse<T: serde::de::DeserializeOwned>(json: &'static str) -> Result<T, Outcome> {
    serde_json::from_str(json).map_err(|e| Outcome {
        kind: "argument",
        detail: format!("the value made from the schema does not fit the client's type: {e}"),
        value: None,
        error_parsed: None,
        given: Some(json),
    })
}

/// `let x: T = arg!("json");`: an argument, or the call ends reporting why not.
#[macro_export]
macro_rules! arg {
    ($json:expr) => {
        match $crate::parse($json) {
            Ok(value) => value,
            Err(outcome) => return outcome,
        }
    };
}

/// The exchange the proxy saw last.
#[derive(Default, Clone)]
struct Exchange {
    status: u16,
    content_type: String,
    violations: String,
    body: Bytes,
    method: String,
    target: String,
    /// The body of the request, as the client sent it.
    request: Bytes,
}

type Last = Arc<Mutex<Option<Exchange>>>;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The clients' `rustls-ring` feature leaves reqwest without a provider of its own: a program
    // that builds a reqwest client before any of theirs installs one, as this proxy does.
    #[allow(deprecated)] // rustls 0.23.48: ring has no post-quantum key exchange; no matter here.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [api, upstream, base_path] = args.as_slice() else {
        eprintln!("usage: conformance-driver API UPSTREAM BASE_PATH");
        std::process::exit(2);
    };
    let last: Last = Arc::default();
    let address = proxy(upstream.trim_end_matches('/').to_string(), last.clone()).await;
    let base = format!("http://{address}{base_path}");
    let mut report = |operation: &'static str, outcome: Outcome| {
        let exchange = last.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default();
        let mut violations: Vec<Value> = serde_json::from_str::<Vec<Value>>(&exchange.violations)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| v["severity"] == "Error" && v["location"][0] == "request")
            .collect();
        // Where the document has no answer for an invalid request, Prism says why in a problem
        // document instead of its header (its locations then leave out "request").
        if violations.is_empty() && exchange.content_type.starts_with("application/problem+json") {
            let problem: Value = serde_json::from_slice(&exchange.body).unwrap_or_default();
            for v in problem["validation"].as_array().into_iter().flatten().filter(|v| v["severity"] == "Error") {
                let mut location = vec![json!("request")];
                location.extend(v["location"].as_array().cloned().unwrap_or_default());
                violations.push(json!({"location": location, "severity": "Error", "message": v["message"]}));
            }
        }
        let violations_empty = violations.is_empty();
        let mut dropped = Vec::new();
        if let (Some(kept), Ok(wire)) = (&outcome.value, serde_json::from_slice::<Value>(&exchange.body)) {
            lost(&wire, kept, String::new(), &mut dropped);
        }
        let unread = outcome.kind == "invalid-body" || outcome.error_parsed == Some(false) || !dropped.is_empty();
        let line = json!({
            "operation": operation,
            "method": exchange.method,
            "target": exchange.target,
            "status": exchange.status,
            "media": exchange.content_type,
            "kind": outcome.kind,
            "detail": outcome.detail,
            "error_parsed": outcome.error_parsed,
            "violations": violations,
            "dropped": dropped,
            // What judging a problem needs, only when there is one: the lines stay short.
            "given": (!violations_empty || outcome.kind == "argument")
                .then(|| outcome.given.and_then(|g| serde_json::from_str::<Value>(g).ok())),
            "sent": (!violations_empty).then(|| serde_json::from_slice::<Value>(&exchange.request).ok()),
            "answer": unread.then(|| serde_json::from_slice::<Value>(&exchange.body).ok()),
        });
        println!("{line}");
    };
    if !apis::run(api, &base, &mut report).await {
        eprintln!("no API {api} in this driver");
        std::process::exit(2);
    }
}

/// The pointers of members the wire had and the parsed value no longer has (nulls aside: an
/// absent optional member and a `null` one mean the same).
fn lost(wire: &Value, kept: &Value, at: String, out: &mut Vec<String>) {
    match (wire, kept) {
        (Value::Object(wire), Value::Object(kept)) => {
            for (key, value) in wire {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match kept.get(key) {
                    Some(k) => lost(value, k, pointer, out),
                    None if !value.is_null() => out.push(pointer),
                    None => {}
                }
            }
        }
        (Value::Array(wire), Value::Array(kept)) => {
            for (i, (w, k)) in wire.iter().zip(kept).enumerate() {
                lost(w, k, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A proxy on 127.0.0.1 that forwards every request to `upstream` and keeps the answer.
async fn proxy(upstream: String, last: Last) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let address = listener.local_addr().expect("a bound address");
    let http = reqwest::Client::new();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (upstream, last, http) = (upstream.clone(), last.clone(), http.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let (upstream, last, http) = (upstream.clone(), last.clone(), http.clone());
                    async move { forward(request, &upstream, &http, &last).await }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    address
}

async fn forward(
    request: hyper::Request<hyper::body::Incoming>,
    upstream: &str,
    http: &reqwest::Client,
    last: &Last,
) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    let target = parts.uri.path_and_query().map_or("/".to_string(), |p| p.as_str().to_string());
    let sent = body.clone();
    let mut outgoing = http.request(parts.method.clone(), format!("{upstream}{target}")).body(body);
    for (name, value) in &parts.headers {
        if name != hyper::header::HOST {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(e) => {
            let text = format!("the mock server did not answer: {e}");
            let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
            *response.status_mut() = hyper::StatusCode::BAD_GATEWAY;
            return Ok(response);
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(Exchange {
        status: status.as_u16(),
        content_type: header("content-type"),
        violations: header("sl-violations"),
        body: bytes.clone(),
        method: parts.method.to_string(),
        target,
        request: sent,
    });
    let mut response = hyper::Response::new(Full::new(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        let hop = ["connection", "keep-alive", "transfer-encoding", "content-length"];
        if !hop.contains(&name.as_str()) {
            response.headers_mut().append(name, value.clone());
        }
    }
    Ok(response)
}
