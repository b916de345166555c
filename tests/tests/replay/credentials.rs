//! Credentials that renew, against a local token endpoint: Cognite's document gives an OAuth 2.0
//! client-credentials flow, and its client fetches, caches, shares and renews the tokens.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use cognite_client::auth::{AccessToken, ClientAuth, ClientCredentials, TokenError, TokenSource};
use cognite_client::{Client, Error, RetryPolicy};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const SECRET: &str = "s3cret-0f-the-client";

/// The recorded answer to `GET /files/{id}`.
fn file() -> String {
    fixture_tests::recorded_answer("cognite/get", 0).to_string()
}

/// A token endpoint handing out `token-1`, `token-2`… good for `lifetime` seconds each, after
/// `delay`; counts what it was asked.
async fn token_endpoint(server: &MockServer, lifetime: u64, delay: Duration) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let body = format!(r#"{{"access_token": "token-{n}", "token_type": "Bearer", "expires_in": {lifetime}}}"#);
            ResponseTemplate::new(200).set_body_raw(body, "application/json").set_delay(delay)
        })
        .mount(server)
        .await;
    issued
}

/// The API: `GET /files/1` answers the recorded file to any bearer token.
async fn files_api(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/files/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(file(), "application/json"))
        .mount(server)
        .await;
}

fn client(server: &MockServer, credentials: ClientCredentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .client_credentials(credentials)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client")
}

/// The document's flow (`oauth2-open-industrial-data`), pointed at the local endpoint.
fn credentials(server: &MockServer) -> ClientCredentials {
    ClientCredentials::oauth2_open_industrial_data("my-client", SECRET)
        .token_url(format!("{}/oauth/token", server.uri()))
}

/// The bearer tokens the API was called with, in order.
async fn tokens_sent(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap_or_default();
    requests
        .iter()
        .filter(|r| r.url.path() == "/files/1")
        .filter_map(|r| r.headers.get("authorization")?.to_str().ok().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_token_is_fetched_once_with_the_documents_scope_and_reused() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    files_api(&server).await;
    let client = client(&server, credentials(&server));
    client.files().get_by_internal_id(1).await.expect("the first call");
    client.files().get_by_internal_id(1).await.expect("the second call");
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(tokens_sent(&server).await, ["Bearer token-1", "Bearer token-1"]);
    let asked = &server.received_requests().await.expect("recorded")[0];
    let form = String::from_utf8_lossy(&asked.body);
    assert!(form.contains("scope=https%3A%2F%2Fapi.cognitedata.com%2F.default"), "{form}");
    assert!(form.contains("client_id=my-client"), "{form}");
}

#[tokio::test]
async fn a_token_is_renewed_ahead_of_its_expiry() {
    let server = MockServer::start().await;
    // Two seconds each: renewed once less than half of that is left.
    let issued = token_endpoint(&server, 2, Duration::ZERO).await;
    files_api(&server).await;
    let client = client(&server, credentials(&server));
    client.files().get_by_internal_id(1).await.expect("a call");
    client.files().get_by_internal_id(1).await.expect("a call with the same token");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.files().get_by_internal_id(1).await.expect("a call with a new token");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(tokens_sent(&server).await, ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn concurrent_calls_share_one_fetch() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::from_millis(200)).await;
    files_api(&server).await;
    let client = client(&server, credentials(&server));
    let calls = (0..8).map(|_| client.files().get_by_internal_id(1).send());
    let answers = futures_util::future::join_all(calls).await;
    assert!(answers.iter().all(Result::is_ok));
    assert_eq!(issued.load(Ordering::SeqCst), 1, "eight calls waited for one token");
    assert!(tokens_sent(&server).await.iter().all(|t| t == "Bearer token-1"));
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_again() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_raw(r#"{"error": {"code": 401, "message": "revoked"}}"#, "application/json"),
        )
        .mount(&server)
        .await;
    files_api(&server).await;
    let client = client(&server, credentials(&server));
    client.files().get_by_internal_id(1).await.expect("the call succeeds with the new token");
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    assert_eq!(tokens_sent(&server).await, ["Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn a_401_to_a_new_token_is_the_calls_error() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = client(&server, credentials(&server));
    let error = client.files().get_by_internal_id(1).await.expect_err("refused twice");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(issued.load(Ordering::SeqCst), 2, "one renewal, not a loop");
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_credentials_error_without_the_secret() {
    let server = MockServer::start().await;
    let refusal =
        r#"{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided."}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_raw(refusal, "application/json"))
        .mount(&server)
        .await;
    files_api(&server).await;
    let client = client(&server, credentials(&server));
    let error = client.files().get_by_internal_id(1).await.expect_err("no token");
    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    let shown = format!("{error} {error:?} {client:?}");
    assert!(shown.contains("invalid_client") && shown.contains("Invalid client secret"), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    assert!(tokens_sent(&server).await.is_empty(), "nothing reached the API");
}

#[tokio::test]
async fn basic_client_authentication_keeps_the_secret_out_of_the_body() {
    let server = MockServer::start().await;
    token_endpoint(&server, 3600, Duration::ZERO).await;
    files_api(&server).await;
    let client = client(&server, credentials(&server).client_auth(ClientAuth::Basic).param("audience", "cdf"));
    client.files().get_by_internal_id(1).await.expect("a call");
    let asked = &server.received_requests().await.expect("recorded")[0];
    let form = String::from_utf8_lossy(&asked.body);
    assert!(!form.contains("client_secret") && form.contains("audience=cdf"), "{form}");
    let basic = asked.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(basic.starts_with("Basic "), "{basic}");
}

/// A source of our own: a token made on the spot, as a GitHub app's or a cloud SDK's would be.
struct Minted(AtomicUsize);

impl TokenSource for Minted {
    fn fetch(&self) -> cognite_client::auth::BoxFuture<'_, Result<AccessToken, TokenError>> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(AccessToken::new(format!("minted-{n}"), Some(Duration::from_secs(600)))) })
    }
}

#[tokio::test]
async fn a_token_source_of_ones_own_is_asked_as_the_built_in_one_is() {
    let server = MockServer::start().await;
    files_api(&server).await;
    let client =
        Client::builder().base_url(server.uri()).token_source(Minted(AtomicUsize::new(0))).build().expect("a client");
    client.files().get_by_internal_id(1).await.expect("a call");
    client.files().get_by_internal_id(1).await.expect("a call");
    assert_eq!(tokens_sent(&server).await, ["Bearer minted-1", "Bearer minted-1"]);
}
