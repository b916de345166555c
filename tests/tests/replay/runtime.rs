//! What every generated client does whatever the API: errors that say what happened, credentials
//! that never leak, path parameters that stay one segment. Driven through the DatoCMS client.

use datocms_client::{Client, Error, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "secret-token-6f1d";

async fn server_answering(status: u16, body: &str) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    (server, client)
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_and_body() {
    let (_server, client) = server_answering(418, "{\"teapot\":true}").await;
    let error = client.uploads().get("1").await.expect_err("418 is not documented");
    assert!(matches!(error, Error::UnexpectedStatus(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(error.raw_body(), Some(&b"{\"teapot\":true}"[..]));
}

#[tokio::test]
async fn a_body_that_does_not_match_the_schema_is_an_error_with_the_body() {
    let (_server, client) = server_answering(200, "{\"data\": 5}").await;
    let error = client.uploads().get("1").await.expect_err("the body is not an upload");
    let Error::InvalidBody { response, source } = &error else { panic!("expected InvalidBody, got {error:?}") };
    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(&response.body[..], b"{\"data\": 5}");
    assert!(source.to_string().contains("invalid type"), "{source}");
    assert!(error.to_string().contains("does not match"), "{error}");
}

#[tokio::test]
async fn malformed_json_is_an_invalid_body_not_a_panic() {
    let (_server, client) = server_answering(200, "<html>oops</html>").await;
    let error = client.uploads().get("1").await.expect_err("not JSON");
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    let client = Client::builder()
        .base_url("http://127.0.0.1:1")
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    let error = client.uploads().get("1").await.expect_err("nobody listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.status(), None);
}

#[tokio::test]
async fn the_token_is_sent_but_never_shown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("x-api-version", "3"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    let error = client.uploads().get("1").await.expect_err("an error");
    for shown in [
        format!("{client:?}"),
        format!("{error:?}"),
        error.to_string(),
        format!("{:?}", Client::builder().bearer_token(TOKEN)),
    ] {
        assert!(!shown.contains(TOKEN), "the token leaked: {shown}");
    }
}

#[tokio::test]
async fn a_path_parameter_stays_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/uploads/..%2Fjob-results%3Fx%3D1"))
        .respond_with(ResponseTemplate::new(202).set_body_string("{\"data\":{\"type\":\"job\",\"id\":\"1\"}}"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("a client");
    client.uploads().update("../job-results?x=1").await.expect("sent to the upload's own path");
    // `..` alone cannot be one segment in a URL: refused before anything is sent.
    let error = client.uploads().update("..").await.expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}
