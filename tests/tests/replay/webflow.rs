//! Webflow assets: the examples of Webflow's own v2 document, with the nulls its schemas allow.

use fixture_tests::{assert_round_trip, Replay};
use webflow_client::types::{CreateAssetRequest, ErrorBodyCode, PatchAssetRequest};
use webflow_client::{Client, Error, RetryPolicy, DEFAULT_BASE_URL};

async fn replay(name: &str) -> (Replay, Client) {
    let replay = Replay::start(&format!("webflow/{name}"), DEFAULT_BASE_URL).await;
    let client = Client::builder()
        .base_url(replay.base_url())
        .bearer_token("test-token")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    (replay, client)
}

#[tokio::test]
async fn patch_answers_an_asset_with_nulls_where_allowed() {
    let (replay, client) = replay("patch-asset").await;
    // The body's members set one by one on the request, as the vendor's SDK takes them.
    let asset = client
        .assets()
        .update("580e63fc8c9a982ac9b8b745")
        .display_name("dog.png")
        .alt_text("A golden retriever playing with a red ball in the park")
        .locale_id("65427cf400e02b306eaa04a0")
        .await
        .expect("the updated asset");
    assert_eq!(asset.alt_text, None, "altText is required but nullable");
    assert_eq!(asset.variants[0].height, None, "a variant's height is required but nullable");
    assert!(asset.variants[0].error.is_null(), "error is optional and nullable: recorded as null, and kept as null");
    assert_round_trip(&asset, &replay.response(0), "patch");
    replay.verify().await;
}

#[tokio::test]
async fn an_asset_is_read_with_its_variants() {
    let (replay, client) = replay("get-asset").await;
    let asset =
        client.assets().get("580e63fc8c9a982ac9b8b745").locale_id("65427cf400e02b306eaa04a0").await.expect("the asset");
    assert!(!asset.variants.is_empty());
    assert_round_trip(&asset, &replay.response(0), "get");
    replay.verify().await;
}

#[tokio::test]
async fn assets_are_listed_a_page_at_a_time() {
    let (replay, client) = replay("list-assets").await;
    let page = client
        .assets()
        .list("580e63e98c9a982ac9b8b741")
        .locale_id("65427cf400e02b306eaa04a0")
        .offset(0)
        .limit(100)
        .await
        .expect("a page of assets");
    assert_eq!(page.pagination.limit, replay.response(0)["pagination"]["limit"].as_i64().expect("a limit"));
    assert_round_trip(&page, &replay.response(0), "list");
    replay.verify().await;
}

#[tokio::test]
async fn creating_an_asset_returns_where_to_upload_it() {
    let (replay, client) = replay("create-asset").await;
    let request = CreateAssetRequest {
        parent_folder: Some("6436b1ce5281cace05b65aea".into()),
        ..CreateAssetRequest::new("file.png", "3c7d87c9575702bc3b1e991f4d3c638e")
    };
    let created = client.assets().create("580e63e98c9a982ac9b8b741", request).await.expect("the new asset");
    assert!(created.upload_url.as_deref().is_some_and(|url| url.starts_with("https://")));
    assert_round_trip(&created, &replay.response(0), "create");
    replay.verify().await;
}

#[tokio::test]
async fn deleting_an_asset_answers_no_content() {
    let (replay, client) = replay("delete-asset").await;
    client.assets().delete("580e63fc8c9a982ac9b8b745").await.expect("the asset is deleted");
    replay.verify().await;
}

#[tokio::test]
async fn a_429_carries_webflows_error_body_and_headers() {
    let (replay, client) = replay("patch-asset-429").await;
    let change = PatchAssetRequest { display_name: Some("dog.png".into()), alt_text: None };
    // The body whole, as a typed value.
    let error = client.assets().update("580e63fc8c9a982ac9b8b745").body(change).await.expect_err("a 429");
    let Error::Api(api) = &error else { panic!("expected a documented error, got {error:?}") };
    assert_eq!(api.status.as_u16(), 429);
    assert_eq!(api.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("60"));
    let body = api.body.as_ref().expect("the error body");
    assert_eq!(body.code, Some(ErrorBodyCode::TooManyRequests));
    // Dropped field: the example sends `"externalReference": null` but the schema types it as a
    // plain optional string, so the model reads the null as "not given" and does not write it back.
    assert_eq!(body.external_reference, None);
    let mut recorded = replay.response(0);
    recorded.as_object_mut().expect("an object").remove("externalReference");
    assert_round_trip(body, &recorded, "429 body without externalReference");
    replay.verify().await;
}

#[tokio::test]
async fn stream_walks_every_page_until_a_short_one() {
    use futures_util::StreamExt;
    let (replay, client) = replay("list-assets-pages").await;
    let mut assets = client.assets().list("580e63e98c9a982ac9b8b741").offset(0).limit(2).stream();
    let mut ids = Vec::new();
    while let Some(asset) = assets.next().await {
        ids.push(asset.expect("an asset").id);
    }
    // A full page of two, then a short page of one, which ends the walk.
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], "63e5889e7fe4eafa7384cea4");
    assert_eq!(ids[2], "63e5889e7fe4eafa7384cea5");
    replay.verify().await;
}

/// The recorded answer of `fixtures/webflow/<name>.har`.
fn recorded_answer(name: &str) -> serde_json::Value {
    fixture_tests::recorded_answer(&format!("webflow/{name}"), 0)
}

#[tokio::test]
async fn upload_hashes_creates_the_asset_and_posts_the_storage_form_with_the_file_last() {
    use webflow_client::Content;
    use wiremock::matchers::{body_json, header_regex, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let text = "The quick brown fox jumps over the lazy dog";
    // The spec's example answer, its upload URL pointed at the local storage host and one
    // form member the document does not list added (it must be sent too).
    let mut created = recorded_answer("create-asset");
    created["uploadUrl"] = format!("{}/webflow-dev-assets/upload", storage.uri()).into();
    created["uploadDetails"]["x-amz-meta-extra"] = "kept".into();
    Mock::given(method("POST"))
        .and(path("/sites/580e63e98c9a982ac9b8b741/assets"))
        .and(body_json(serde_json::json!({"fileName": "fox.png", "fileHash": "9e107d9d372bb6826bd81d3542a419d6"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(&created))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .and(path("/webflow-dev-assets/upload"))
        .and(header_regex("content-type", "^multipart/form-data; boundary="))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&storage)
        .await;
    let client = Client::builder().base_url(api.uri()).bearer_token("test-token").build().expect("a client");
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    let stream = futures_util::stream::iter([Ok(bytes::Bytes::from_static(text.as_bytes()))]);
    let content =
        Content::from_stream(stream, None).on_progress(move |n, _| seen.store(n, std::sync::atomic::Ordering::SeqCst));
    let asset = client.assets().upload("580e63e98c9a982ac9b8b741", "fox.png", content).await.expect("uploaded");
    assert_eq!(asset.id.as_deref(), Some("64358b9544249dc43d37d2b7"));

    let form = &storage.received_requests().await.expect("recorded")[0];
    let body = String::from_utf8_lossy(&form.body);
    let position = |needle: &str| body.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the form:\n{body}"));
    let algorithm = position("name=\"X-Amz-Algorithm\"\r\n\r\nAWS4-HMAC-SHA256\r\n");
    let policy = position("name=\"Policy\"\r\n\r\n<a-very-long-alphanumeric-token-with-equal-sign-at-the-end>\r\n");
    let extra = position("name=\"x-amz-meta-extra\"\r\n\r\nkept\r\n");
    let file = position(&format!("name=\"file\"; filename=\"fox.png\"\r\nContent-Type: image/png\r\n\r\n{text}\r\n"));
    assert!(algorithm < file && policy < file && extra < file, "the file part comes last");
    assert!(sent.load(std::sync::atomic::Ordering::SeqCst) >= text.len() as u64);
}
