//! The user's own code around every call ([`Hooks`]): told of each attempt with its operation,
//! able to sign or add headers before it goes and to measure it after; never run for uploads to
//! storage hosts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use datocms_client::hooks::{CallInfo, Hooks, Outcome};
use datocms_client::{Client, Error, RetryPolicy};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records what it is told and signs each request with a header.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

impl Hooks for Recorder {
    fn before(&self, call: &CallInfo, request: &mut reqwest::Request) -> Result<(), String> {
        let signature = format!("sig-{}-{}", call.operation, call.attempt);
        request.headers_mut().insert("x-signature", signature.parse().map_err(|_| "a header value")?);
        let seen = format!("before {} {} {} #{}", call.operation, call.method, call.path_template, call.attempt);
        self.0.lock().expect("the record").push(seen);
        Ok(())
    }

    fn after(&self, call: &CallInfo, outcome: Outcome<'_>, elapsed: Duration) {
        let what = match outcome {
            Outcome::Answered { status, .. } => status.as_u16().to_string(),
            Outcome::Failed(_) => "failed".to_string(),
            _ => "other".to_string(),
        };
        assert!(elapsed < Duration::from_secs(5));
        self.0.lock().expect("the record").push(format!("after {} #{} {what}", call.operation, call.attempt));
    }
}

fn upload() -> String {
    fixture_tests::recorded_answer("datocms/get-upload", 0).to_string()
}

#[tokio::test]
async fn hooks_see_every_attempt_and_sign_each_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("x-signature", "sig-getUpload-2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(upload(), "application/json"))
        .with_priority(2)
        .mount(&server)
        .await;
    let recorder = Recorder::default();
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("hook-token")
        .retry_policy(RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(20)))
        .hooks(recorder.clone())
        .build()
        .expect("a client");
    client.uploads().get("43554772").await.expect("the signed retry succeeds");
    let seen = recorder.0.lock().expect("the record").clone();
    assert_eq!(
        seen,
        [
            "before getUpload GET /uploads/{upload_id} #1",
            "after getUpload #1 503",
            "before getUpload GET /uploads/{upload_id} #2",
            "after getUpload #2 200",
        ]
    );
}

/// Refuses every request, as a signer without its key would.
struct Refusing;

impl Hooks for Refusing {
    fn before(&self, _: &CallInfo, _: &mut reqwest::Request) -> Result<(), String> {
        Err("no signing key".into())
    }
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_call_before_it_is_sent() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).hooks(Refusing).build().expect("a client");
    match client.uploads().get("43554772").await {
        Err(Error::InvalidRequest(message)) => assert_eq!(message, "no signing key"),
        other => panic!("expected the hook's refusal, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "nothing was sent");
}
