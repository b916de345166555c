//! The faults generated clients met on live servers (issue 8), one test each: a local server
//! answers the way those servers did, and the client generated from
//! `specs/conformance/openapi.yaml` must read it as a user expects.

use conformance_client::types::{Amount, NewRecord, Record, Status, StatusDraft, StatusPublished};
use conformance_client::{Client, Error, RetryPolicy};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "conformance-token";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client")
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

async fn answer(server: &MockServer, verb: &str, at: &str, response: ResponseTemplate) {
    Mock::given(method(verb)).and(path(at)).respond_with(response).mount(server).await;
}

const RECORD: &str = r#"{"id": 9007199254740993, "title": "x", "created_on": "2026-12-02T06:56:18Z"}"#;

#[tokio::test]
async fn a_parameter_described_by_content_is_sent_as_json_under_its_own_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/records"))
        .and(query_param("filter", r#"{"title":{"_eq":"x"}}"#))
        .and(header("x-trace", r#"{"id":"t1"}"#))
        .respond_with(json(200, &format!("[{RECORD}]")))
        .mount(&server)
        .await;
    let filter: std::collections::BTreeMap<String, serde_json::Value> =
        serde_json::from_value(serde_json::json!({"title": {"_eq": "x"}})).expect("an object");
    let trace = conformance_client::types::ListRecordsXTrace { id: Some("t1".into()) };
    let records = client(&server)
        .records()
        .list()
        .filter(filter)
        .x_trace(trace)
        .await
        .expect("the server matched the filter by name");
    assert_eq!(records.len(), 1);
    let sent = &server.received_requests().await.expect("recorded")[0];
    assert_eq!(sent.url.query(), Some("filter=%7B%22title%22%3A%7B%22_eq%22%3A%22x%22%7D%7D"));
}

#[test]
fn union_alternatives_are_tried_narrowest_first() {
    let read = |text: &str| serde_json::from_str::<Status>(text).expect("a status");
    assert_eq!(read(r#""draft""#), Status::Draft(StatusDraft::Draft));
    assert_eq!(read(r#""published""#), Status::Published(StatusPublished::Published));
    assert!(matches!(read(r#"{"custom": "archived"}"#), Status::WithCustom(s) if s.custom == "archived"));
    // A value no alternative lists still arrives, in the first open enum.
    assert_eq!(read(r#""retired""#), Status::Draft(StatusDraft::Other("retired".into())));

    let amount = |text: &str| serde_json::from_str::<Amount>(text).expect("an amount");
    assert_eq!(amount("5"), Amount::Integer(5));
    assert_eq!(amount("9007199254740993"), Amount::Integer(9_007_199_254_740_993));
    assert_eq!(amount("2.5"), Amount::Number(2.5));
}

#[tokio::test]
async fn credentials_go_with_every_operation_but_those_marked_security_none() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/records/1", json(200, RECORD)).await;
    answer(&server, "GET", "/health", ResponseTemplate::new(200)).await;
    let client = client(&server);
    // `getRecord` names no security requirement, and the document none at the top level.
    client.records().get(1).await.expect("a record");
    client.health().get().await.expect("up");
    let requests = server.received_requests().await.expect("recorded");
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(requests[0].headers.get("authorization").and_then(|v| v.to_str().ok()), Some(bearer.as_str()));
    assert!(requests[1].headers.get("authorization").is_none(), "`security: []` sends none");
}

#[tokio::test]
async fn the_client_asks_for_the_media_type_it_reads() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/records/1"))
        .and(header("accept", "application/json"))
        .respond_with(json(200, RECORD))
        .mount(&server)
        .await;
    // Without `Accept`, a server offering XML first would answer XML.
    client(&server).records().get(1).await.expect("JSON, as asked");
}

#[tokio::test]
async fn date_times_are_read_as_servers_send_them() {
    let server = MockServer::start().await;
    let body = r#"[
        {"id": 1, "title": "a", "created_on": "2026-12-02T06:56:18"},
        {"id": 2, "title": "b", "created_on": "2026-12-02 06:56:18.123456", "published_on": "2026-12-02"},
        {"id": 3, "title": "c", "created_on": "2026-12-02T07:56:18+0100"}
    ]"#;
    answer(&server, "GET", "/records", json(200, body)).await;
    let records: Vec<Record> = client(&server).records().list().await.expect("every record parses");
    let at = |r: &Record| r.created_on.to_rfc3339();
    assert_eq!(at(&records[0]), "2026-12-02T06:56:18+00:00");
    assert_eq!(at(&records[1]), "2026-12-02T06:56:18.123456+00:00");
    assert_eq!(at(&records[2]), "2026-12-02T06:56:18+00:00");
    let sent = serde_json::to_value(&records[0]).expect("writes");
    assert_eq!(sent["created_on"], "2026-12-02T06:56:18Z", "always sent as RFC 3339");
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_member_where_it_stops() {
    let server = MockServer::start().await;
    let body = r#"[{"id": 1, "title": "a", "created_on": "2026-12-02T06:56:18Z"},
                   {"id": 2, "title": null, "created_on": "2026-12-02T06:56:18Z"}]"#;
    answer(&server, "GET", "/records", json(200, body)).await;
    let error = client(&server).records().list().await.expect_err("a null title");
    let Error::InvalidBody { source, response } = &error else { panic!("expected InvalidBody, got {error:?}") };
    assert_eq!(source.path(), "[1].title");
    assert!(source.message().contains("expected a string"), "{}", source.message());
    assert!(error.to_string().contains("at `[1].title`"), "{error}");
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn an_undocumented_success_status_is_a_success() {
    let server = MockServer::start().await;
    answer(&server, "DELETE", "/records/1", ResponseTemplate::new(204)).await;
    answer(&server, "POST", "/records", json(200, RECORD)).await;
    let client = client(&server);
    client.records().delete(1).await.expect("204 where 200 is documented: deleted");
    let created = client.records().create(NewRecord::new("x")).await.expect("200 where 201 is documented");
    assert_eq!(created.id, 9_007_199_254_740_993);
}

#[tokio::test]
async fn errors_the_document_forgot_are_typed_by_the_apis_error_object() {
    let server = MockServer::start().await;
    let conflict = r#"{"message": "a record with this title exists", "code": "duplicate"}"#;
    Mock::given(method("POST")).respond_with(json(409, conflict)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("POST")).respond_with(json(400, r#"{"message": "title is empty"}"#)).mount(&server).await;
    let client = client(&server);
    // 409 is not documented at all.
    let error = client.records().create(NewRecord::new("x")).await.expect_err("a conflict");
    let body = error.body().expect("typed by the error object other operations document");
    assert_eq!((error.status().map(|s| s.as_u16()), body.code.as_deref()), (Some(409), Some("duplicate")));
    // 400 is documented without content.
    let error = client.records().create(NewRecord::new(String::new())).await.expect_err("invalid");
    assert_eq!(error.body().map(|b| b.message.as_str()), Some("title is empty"));
    assert!(error.raw_body().is_some_and(|raw| raw.starts_with(b"{\"message\"")));
}

#[tokio::test]
async fn bytes_that_are_not_text_are_an_invalid_body_keeping_them() {
    let server = MockServer::start().await;
    let png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00];
    answer(&server, "GET", "/records/1/export", ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .await;
    answer(&server, "GET", "/records/1/thumbnail", ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .await;
    let client = client(&server);
    let error = client.records().export(1).await.expect_err("documented as text, sent as bytes");
    let Error::InvalidBody { response, .. } = &error else { panic!("expected InvalidBody, got {error:?}") };
    assert_eq!(response.body.as_ref(), png.as_slice());
    let thumbnail = client.records().get_thumbnail(1).await.expect("a binary answer is bytes");
    assert_eq!(thumbnail.as_ref(), png.as_slice());
}

#[tokio::test]
async fn an_answer_is_read_by_the_content_type_the_server_sent() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/records/1/title", json(200, r#""Mostly harmless""#)).await;
    answer(
        &server,
        "GET",
        "/records/2/title",
        ResponseTemplate::new(200).set_body_raw("\"quoted\" on purpose", "text/plain"),
    )
    .await;
    let client = client(&server);
    assert_eq!(client.records().get_title(1).await.expect("a title"), "Mostly harmless");
    assert_eq!(client.records().get_title(2).await.expect("a title"), "\"quoted\" on purpose");
}

#[test]
fn public_type_names_never_repeat_std_or_the_crates_own() {
    // `Vec` and `Error` in the document: after a glob import, std's `Vec` and the crate's
    // `Error` still mean what they mean.
    #[allow(unused_imports)]
    use conformance_client::types::*;
    let tags: conformance_client::types::VecModel = Vec::<String>::new();
    let error = conformance_client::types::ErrorModel { message: "m".into(), code: None };
    let _: Option<Error<ErrorModel>> = None;
    assert!(tags.is_empty() && error.message == "m");
}
