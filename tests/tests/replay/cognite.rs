//! Cognite Data Fusion files: seed 002, the documented update examples and the Python SDK's mocks.

use std::collections::BTreeMap;

use cognite_client::types::{
    ArrayPatchLong, ArrayPatchLongAddOrRemove, ArrayPatchLongSet, CompleteMultiPartUpload, DataFileChange,
    ExternalFilesMetadata, FileChangeUpdate, FileChangeUpdateByExternalId, FileChangeUpdateById,
    FileChangeUpdateByIdUpdate, FileDataIdsWithIgnoreUnknownIds, FileDataUploadIds, FileDeleteByIdEither,
    FileDeleteByIds, FileExternalId, FileExternalIdEither, FileFilter, FileFilterRequest, FileFilterRequestFilter,
    FileIdEither, FileInternalId, FileLinkIds, FileSelectByExternalId, FileSelectById, FileSelectEither,
    FilesSearchFilter, FilesSearchFilterSearch, Label, LabelsAddRemove, LabelsPatch, ObjectPatch, ObjectPatchAddRemove,
    ObjectPatchSet, RemoveField, SetStringField, SinglePatchString,
};
use cognite_client::{Client, Error, RetryPolicy, DEFAULT_BASE_URL};
use fixture_tests::{assert_round_trip, assert_round_trip_dropping, Replay};

async fn replay(name: &str) -> (Replay, Client) {
    let replay = Replay::start(&format!("cognite/{name}"), DEFAULT_BASE_URL).await;
    let client = Client::builder()
        .base_url(replay.base_url())
        .bearer_token("test-token")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    (replay, client)
}

// A union the client sends is `From` each alternative: the alternative goes where it is asked for.
fn by_id(id: i64, update: FileChangeUpdateByIdUpdate) -> FileChangeUpdate {
    FileChangeUpdateById { id, update }.into()
}

fn set(value: &str) -> Option<SinglePatchString> {
    Some(SetStringField { set: value.into() }.into())
}

/// Sends one update and checks the request and the answer's round trip.
async fn check_update(name: &str, items: Vec<FileChangeUpdate>) {
    let (replay, client) = replay(name).await;
    let answer = client.files().update_many(DataFileChange { items }).await.expect("the update succeeds");
    assert!(answer.items.as_ref().is_some_and(|items| !items.is_empty()), "{answer:?}");
    assert_round_trip(&answer, &replay.response(0), name);
    replay.verify().await;
}

#[tokio::test]
async fn update_sets_a_primitive_field() {
    check_update(
        "update-set",
        vec![by_id(123, FileChangeUpdateByIdUpdate { source: set("new source"), ..Default::default() })],
    )
    .await;
}

// `x-clientgen-body` (specs/cognite/overlay.yaml): one file's change is its id and setters; the
// request is the same `{items: [{id, update: {source: {set}}}]}` as the batch above.
#[tokio::test]
async fn update_of_one_file_is_its_id_and_setters() {
    let (replay, client) = replay("update-set").await;
    let answer = client.files().update(123).source(SetStringField { set: "new source".into() }).await.expect("updated");
    assert_round_trip(&answer, &replay.response(0), "update-set");
    replay.verify().await;
}

// A setter after a whole body writes into its first item when that is a change by id, and puts
// one first when it is not, so a setter is never lost.
#[tokio::test]
async fn setters_after_a_whole_body_write_into_its_first_change_by_id() {
    let (replay, client) = replay("update-set").await;
    let whole = DataFileChange { items: Vec::new() };
    client.files().update(123).body(whole).source(SetStringField { set: "new source".into() }).await.expect("updated");
    replay.verify().await;
}

#[tokio::test]
async fn update_clears_a_field_with_set_null() {
    let clear = SinglePatchString::RemoveField(RemoveField { set_null: true });
    check_update(
        "update-set-null",
        vec![
            by_id(1, FileChangeUpdateByIdUpdate { source: Some(clear), ..Default::default() }),
            by_id(2, FileChangeUpdateByIdUpdate { source: set("bla"), ..Default::default() }),
        ],
    )
    .await;
}

#[tokio::test]
async fn update_replaces_an_array() {
    let asset_ids = ArrayPatchLong::Set(ArrayPatchLongSet { set: vec![1, 2] });
    check_update(
        "update-asset-ids-set",
        vec![by_id(1, FileChangeUpdateByIdUpdate { asset_ids: Some(asset_ids), ..Default::default() })],
    )
    .await;
}

#[tokio::test]
async fn update_adds_to_and_removes_from_an_array() {
    let asset_ids =
        ArrayPatchLong::AddOrRemove(ArrayPatchLongAddOrRemove { add: Some(vec![3]), remove: Some(vec![2]) });
    check_update(
        "update-asset-ids-add-remove",
        vec![by_id(1, FileChangeUpdateByIdUpdate { asset_ids: Some(asset_ids), ..Default::default() })],
    )
    .await;
}

#[tokio::test]
async fn update_replaces_metadata() {
    let entries =
        BTreeMap::from([("key1".to_string(), "value1".to_string()), ("key2".to_string(), "value2".to_string())]);
    let metadata = ObjectPatch::Set(ObjectPatchSet { set: entries });
    check_update(
        "update-metadata-set",
        vec![by_id(1, FileChangeUpdateByIdUpdate { metadata: Some(metadata), ..Default::default() })],
    )
    .await;
}

#[tokio::test]
async fn update_adds_and_removes_metadata_keys() {
    let add = BTreeMap::from([("key3".to_string(), "value3".to_string()), ("key4".to_string(), "value4".to_string())]);
    let metadata = ObjectPatch::AddRemove(ObjectPatchAddRemove {
        add: Some(add),
        remove: Some(vec!["key1".into(), "key2".into()]),
    });
    check_update(
        "update-metadata-add-remove",
        vec![by_id(1, FileChangeUpdateByIdUpdate { metadata: Some(metadata), ..Default::default() })],
    )
    .await;
}

#[tokio::test]
async fn update_by_external_id_keeps_ids_above_2_pow_53_exact() {
    let (replay, client) = replay("update-by-external-id").await;
    let labels =
        LabelsPatch::AddRemove(LabelsAddRemove { add: Some(vec![Label { external_id: "PUMP".into() }]), remove: None });
    let item = FileChangeUpdate::ByExternalId(FileChangeUpdateByExternalId {
        external_id: "my.known.id".into(),
        update: FileChangeUpdateByIdUpdate { directory: set("/reports"), labels: Some(labels), ..Default::default() },
    });
    let answer = client.files().update_many(DataFileChange { items: vec![item] }).await.expect("the update succeeds");
    let file = &answer.items.as_ref().expect("items")[0];
    // 2^53 + 1 is not a double: only an exact integer type keeps it.
    assert_eq!(file.id, 9_007_199_254_740_993);
    assert_eq!(file.asset_ids.as_deref(), Some(&[9_007_199_254_740_995][..]));
    assert_round_trip(&answer, &replay.response(0), "update");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_retrieved_by_id_or_external_id() {
    let (replay, client) = replay("byids").await;
    let items = vec![
        FileSelectEither::ById(FileSelectById { id: Some(1) }),
        FileSelectEither::ByExternalId(FileSelectByExternalId { external_id: Some("2".into()) }),
    ];
    let answer = client
        .files()
        .by_ids(FileDataIdsWithIgnoreUnknownIds { items, ignore_unknown_ids: Some(false) })
        .await
        .expect("the files");
    assert_eq!(answer.items.as_ref().map(Vec::len), Some(2));
    assert_round_trip(&answer, &replay.response(0), "byids");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_listed_with_a_filter() {
    let (replay, client) = replay("list").await;
    let filter = FileFilterRequestFilter { directory_prefix: Some("/test".into()), ..Default::default() };
    let answer = client.files().advanced_list().filter(filter).limit(10).await.expect("a page of files");
    assert_round_trip(&answer, &replay.response(0), "list");
    replay.verify().await;
}

#[tokio::test]
async fn creating_a_file_returns_its_upload_url() {
    let (replay, client) = replay("create").await;
    let metadata = ExternalFilesMetadata {
        external_id: Some("string".into()),
        source: Some("string".into()),
        mime_type: Some("string".into()),
        ..ExternalFilesMetadata::new("string")
    };
    let created = client.files().init_upload(metadata).overwrite(false).await.expect("the file is created");
    assert_eq!(created.upload_url, "https://upload.here");
    assert_round_trip(&created, &replay.response(0), "create");
    replay.verify().await;
}

#[tokio::test]
async fn a_file_is_read_by_internal_id() {
    let (replay, client) = replay("get").await;
    let file = client.files().get_by_internal_id(4_503_599_627_370_496).await.expect("the file");
    assert_eq!(file.name, "<string>");
    assert_round_trip(&file, &replay.response(0), "get");
    replay.verify().await;
}

#[tokio::test]
async fn a_400_is_cognites_error_envelope() {
    let (replay, client) = replay("update-400").await;
    let error = client.files().update(1).source(SetStringField { set: "bla".into() }).await.expect_err("a 400");
    let Error::Api(api) = &error else { panic!("expected a documented error, got {error:?}") };
    let body = api.body.as_ref().expect("the error body");
    assert_eq!((body.error.code, body.error.message.as_str()), (400, "User error"));
    assert_round_trip(body, &replay.response(0), "400 body");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_listed_with_query_filters_and_a_cursor() {
    let (replay, client) = replay("list-get").await;
    let page = client.files().list().limit(2).uploaded(true).mime_type("image/jpeg").await.expect("a page");
    assert_eq!(page.next_cursor.as_deref(), Some("8ZuhESrxDatCursor"));
    assert_round_trip(&page, &replay.response(0), "list");
    replay.verify().await;
}

#[tokio::test]
async fn download_links_are_requested_by_id() {
    let (replay, client) = replay("download-links").await;
    let ids = FileLinkIds { items: vec![FileIdEither::InternalId(FileInternalId { id: Some(10) })] };
    let links = client.files().download_links(ids).extended_expiration(true).await.expect("links");
    assert_round_trip(&links, &replay.response(0), "download links");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_searched_by_name() {
    let (replay, client) = replay("search").await;
    let request = FilesSearchFilter {
        filter: Some(FileFilterRequestFilter { mime_type: Some("image/jpeg".into()), ..Default::default() }),
        search: Some(FilesSearchFilterSearch { name: Some("file".into()) }),
    };
    let found = client.files().search().body(request).await.expect("files");
    assert_round_trip(&found, &replay.response(0), "search");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_counted() {
    let (replay, client) = replay("aggregate").await;
    let filter = FileFilter { filter: Some(FileFilterRequestFilter { uploaded: Some(true), ..Default::default() }) };
    let counts = client.files().aggregate().body(filter).await.expect("counts");
    assert_round_trip(&counts, &replay.response(0), "aggregate");
    replay.verify().await;
}

#[tokio::test]
async fn an_upload_link_is_requested_by_external_id() {
    let (replay, client) = replay("upload-link").await;
    let ids = FileDataUploadIds {
        items: vec![FileExternalIdEither::ExternalId(FileExternalId { external_id: Some("string".into()) })],
    };
    let file = client.files().get_upload_link(ids).await.expect("an upload link");
    assert_eq!(file.upload_url, "https://upload.here");
    assert_round_trip(&file, &replay.response(0), "upload link");
    replay.verify().await;
}

#[tokio::test]
async fn a_multipart_upload_answer_is_read_at_the_top_level_as_the_api_sends_it() {
    let (replay, client) = replay("init-multipart").await;
    let started = client
        .files()
        .init_multi_part_upload(2, ExternalFilesMetadata::new("big.bin"))
        .await
        .expect("the answer parses");
    // The document wraps this answer in `items`; the API (as Cognite's own SDK reads it) sends the
    // file at the top level. `specs/cognite/overlay.yaml` corrects the answer's schema.
    assert_eq!(started.upload_id, "test-upload-id");
    assert_eq!(started.upload_urls, ["https://upload.here/part0"]);
    // The SDK's mock also carries a single `uploadUrl`, which the multipart schema does not declare.
    assert_round_trip_dropping(&started, &replay.response(0), &["/uploadUrl"], "multipart start");
    replay.verify().await;
}

#[tokio::test]
async fn a_multipart_upload_is_completed_by_id() {
    let (replay, client) = replay("complete-multipart").await;
    let done = CompleteMultiPartUpload { id: Some(1), ..CompleteMultiPartUpload::new("abc") };
    client.files().complete_multi_part_upload(done).await.expect("completed");
    replay.verify().await;
}

#[tokio::test]
async fn an_icon_is_raw_bytes() {
    let (replay, client) = replay("icon").await;
    let icon = client.files().get_icon().id(1).await.expect("the icon");
    assert_eq!(&icon[..], b"JPEG-BYTES-1");
    replay.verify().await;
}

#[tokio::test]
async fn files_are_deleted_by_id() {
    let (replay, client) = replay("delete").await;
    let ids = FileDeleteByIds {
        items: vec![FileDeleteByIdEither::InternalId(FileInternalId { id: Some(1) })],
        ignore_unknown_ids: Some(false),
    };
    let answer = client.files().delete(ids).await.expect("deleted");
    assert_round_trip(&answer, &replay.response(0), "delete");
    replay.verify().await;
}

#[tokio::test]
async fn a_multipart_upload_link_is_requested_by_external_id() {
    let (replay, client) = replay("multipart-upload-link").await;
    let ids = FileDataUploadIds {
        items: vec![FileExternalIdEither::ExternalId(FileExternalId { external_id: Some("string".into()) })],
    };
    let links = client.files().get_multi_part_upload_link(2, ids).await.expect("the answer parses");
    // At the top level, as for `initmultipartupload` (the overlay corrects both).
    assert_eq!(links.upload_urls.len(), 1);
    assert_round_trip_dropping(&links, &replay.response(0), &["/uploadUrl"], "multipart upload link");
    replay.verify().await;
}

#[tokio::test]
async fn a_batch_over_the_documented_limit_is_refused_before_sending() {
    let server = wiremock::MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().expect("a client");
    let items: Vec<FileDeleteByIdEither> =
        (1..=1001).map(|id| FileDeleteByIdEither::InternalId(FileInternalId { id: Some(id) })).collect();
    let error = client
        .files()
        .delete(FileDeleteByIds { items, ignore_unknown_ids: None })
        .await
        .expect_err("1001 items is one too many");
    let Error::InvalidRequest(message) = &error else { panic!("expected InvalidRequest, got {error:?}") };
    assert!(message.contains("`items` has 1001 items; the API accepts at most 1000"), "{message}");
    assert_eq!(server.received_requests().await.map_or(0, |r| r.len()), 0, "nothing may be sent");
}

#[tokio::test]
async fn stream_follows_the_cursor_in_the_query_and_in_the_body() {
    use futures_util::TryStreamExt;
    let (by_query, client) = replay("list-get-pages").await;
    let files: Vec<_> = client.files().list().limit(1).stream().try_collect().await.expect("every page");
    assert_eq!(files.len(), 2);
    by_query.verify().await;

    let (replay, client) = replay("list-pages").await;
    let filter = FileFilterRequestFilter { directory_prefix: Some("/test".into()), ..Default::default() };
    let request = FileFilterRequest { filter: Some(filter), limit: Some(1), ..Default::default() };
    let files: Vec<_> = client.files().advanced_list().body(request).stream().try_collect().await.expect("every page");
    assert_eq!(files.len(), 2);
    replay.verify().await;
}

/// The recorded answer to a file's creation (the SDK mock), its upload URL pointed at `url`.
fn created_with_upload_url(url: &str) -> serde_json::Value {
    let mut created = fixture_tests::recorded_answer("cognite/create", 0);
    created["uploadUrl"] = url.into();
    created
}

#[tokio::test]
async fn upload_creates_the_file_then_puts_its_bytes_at_the_upload_url() {
    use cognite_client::Content;
    use wiremock::matchers::{body_bytes, body_json, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let created = created_with_upload_url(&format!("{}/upload/123?sig=abc", storage.uri()));
    Mock::given(method("POST"))
        .and(path("/files"))
        .and(body_json(serde_json::json!({"name": "report.csv", "mimeType": "text/csv"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .expect(1)
        .mount(&api)
        .await;
    let bytes = b"a,b\n1,2\n".to_vec();
    Mock::given(method("PUT"))
        .and(path("/upload/123"))
        .and(query_param("sig", "abc"))
        .and(header("content-type", "text/csv"))
        .and(body_bytes(bytes.clone()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&storage)
        .await;
    let client = Client::builder().base_url(api.uri()).bearer_token("secret-token").build().expect("a client");
    let metadata =
        ExternalFilesMetadata { mime_type: Some("text/csv".into()), ..ExternalFilesMetadata::new("report.csv") };
    let file = client.files().upload(metadata, Content::from_bytes(bytes)).await.expect("uploaded");
    assert_eq!(file.upload_url, created["uploadUrl"].as_str().expect("a URL"));
    // The storage host never sees the API's credentials.
    let put = &storage.received_requests().await.expect("recorded")[0];
    assert!(put.headers.get("authorization").is_none());
}

#[tokio::test]
async fn send_chunked_splits_a_batch_into_requests_the_api_accepts() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/files/delete"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("a client");
    let items: Vec<FileDeleteByIdEither> =
        (1..=2500).map(|id| FileDeleteByIdEither::InternalId(FileInternalId { id: Some(id) })).collect();
    let answers = client
        .files()
        .delete(FileDeleteByIds { items, ignore_unknown_ids: Some(true) })
        .send_chunked(2)
        .await
        .into_result()
        .expect("three requests");
    assert_eq!(answers.len(), 3);
    let sent: Vec<serde_json::Value> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON"))
        .collect();
    // Two at a time, so the requests may arrive in any order.
    let mut sizes: Vec<usize> = sent.iter().map(|b| b["items"].as_array().map_or(0, Vec::len)).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [500, 1000, 1000]);
    assert!(sent.iter().all(|b| b["ignoreUnknownIds"] == true), "every chunk keeps the rest of the body");
    assert!(sent.iter().any(|b| b["items"][499]["id"] == 2500 && b["items"].as_array().map(Vec::len) == Some(500)));
}

#[tokio::test]
async fn send_chunked_keeps_what_succeeded_and_names_what_was_not_sent() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
    /// Refuses the chunk that starts at the 1001st item.
    struct RefuseSecond;
    impl Respond for RefuseSecond {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let body: serde_json::Value = serde_json::from_slice(&request.body).expect("JSON");
            match body["items"][0]["id"].as_i64() {
                Some(1001) => ResponseTemplate::new(400)
                    .set_body_json(serde_json::json!({"error": {"code": 400, "message": "no"}})),
                _ => ResponseTemplate::new(200).set_body_json(serde_json::json!({})),
            }
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/files/delete")).respond_with(RefuseSecond).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::never()).build().expect("a client");
    let items: Vec<FileDeleteByIdEither> =
        (1..=2500).map(|id| FileDeleteByIdEither::InternalId(FileInternalId { id: Some(id) })).collect();
    let outcome = client.files().delete(FileDeleteByIds { items, ignore_unknown_ids: None }).send_chunked(1).await;
    assert!(!outcome.is_complete());
    let ranges: Vec<_> = outcome.sent.iter().map(|chunk| chunk.items.clone()).collect();
    assert_eq!(ranges, [0..1000, 1000..2000]);
    assert!(outcome.sent[0].answer.is_ok(), "the first chunk's answer is kept");
    let error = outcome.sent[1].answer.as_ref().expect_err("the second chunk failed");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(outcome.unsent, vec![2000..2500usize; 1], "after a failure nothing more is sent, and it says what");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn an_upload_reports_progress_and_stops_when_dropped() {
    use cognite_client::Content;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let created = created_with_upload_url(&format!("{}/upload/1", storage.uri()));
    Mock::given(method("POST"))
        .and(path("/files"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .mount(&storage)
        .await;
    let client = Client::builder().base_url(api.uri()).build().expect("a client");
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    let content = Content::from_bytes(vec![7u8; 300_000])
        .on_progress(move |n, _| seen.store(n, std::sync::atomic::Ordering::SeqCst));
    let upload = client.files().upload(ExternalFilesMetadata::new("big.bin"), content);
    let outcome = tokio::time::timeout(std::time::Duration::from_millis(500), upload).await;
    assert!(outcome.is_err(), "the storage host had not answered");
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 300_000, "every byte was sent before the wait");
    assert_eq!(storage.received_requests().await.map_or(0, |r| r.len()), 1, "one transfer, not retried after the drop");
}

#[tokio::test]
async fn upload_in_parts_puts_each_piece_at_its_url_then_completes() {
    use cognite_client::Content;
    use wiremock::matchers::{body_bytes, body_json, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    // The SDK mock's multipart answer (at the top level, as the API sends it) with two part URLs
    // on the local storage host.
    let mut started = fixture_tests::recorded_answer("cognite/init-multipart", 0);
    started["uploadUrls"] =
        serde_json::json!([format!("{}/part/0", storage.uri()), format!("{}/part/1", storage.uri())]);
    Mock::given(method("POST"))
        .and(path("/files/initmultipartupload"))
        .and(query_param("parts", "2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&started))
        .expect(1)
        .mount(&api)
        .await;
    let data: Vec<u8> = (0..300_001u32).map(|i| (i % 251) as u8).collect();
    for (index, range) in [(0, 0..150_001), (1, 150_001..300_001)] {
        Mock::given(method("PUT"))
            .and(path(format!("/part/{index}")))
            .and(body_bytes(data[range].to_vec()))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&storage)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/files/completemultipartupload"))
        .and(body_json(serde_json::json!({"id": 1, "uploadId": "test-upload-id"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&api)
        .await;
    let file_path = std::env::temp_dir().join(format!("clientgen-cognite-parts-{}", std::process::id()));
    std::fs::write(&file_path, &data).expect("a file");
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seen = sent.clone();
    let content = Content::from_path(&file_path)
        .expect("readable")
        .on_progress(move |n, _| seen.store(n, std::sync::atomic::Ordering::SeqCst));
    let client = Client::builder().base_url(api.uri()).build().expect("a client");
    let file = client
        .files()
        .upload_in_parts(ExternalFilesMetadata::new("big.bin"), content, 2)
        .await
        .expect("uploaded in two parts");
    assert_eq!(file.upload_id, "test-upload-id");
    assert_eq!(sent.load(std::sync::atomic::Ordering::SeqCst), 300_001, "progress counts over the whole file");
    let _ = std::fs::remove_file(&file_path);
}
