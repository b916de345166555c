//! DatoCMS uploads: the seeds' exchanges and real recorded traffic.

use std::collections::BTreeMap;
use std::time::Duration;

use datocms_client::resources::uploads::{CreateResponse, UpdateResponse};
use datocms_client::types::{
    FieldMetadataPatch, UpdateUploadReplaceStrategy, UploadAttributesMuxMp4HighestRes, UploadCreateRequest,
    UploadCreateRequestData, UploadCreateRequestDataAttributes, UploadRequestCreateRequest,
    UploadRequestCreateRequestData, UploadRequestCreateRequestDataAttributes, UploadResponse, UploadUpdateRequest,
    UploadUpdateRequestData, UploadUpdateRequestDataAttributes,
};
use datocms_client::{Client, Content, Error, JobWait, Nullable, RetryPolicy, DEFAULT_BASE_URL};
use fixture_tests::{assert_json_eq, assert_round_trip, Replay};

async fn replay(name: &str) -> (Replay, Client) {
    let replay = Replay::start(&format!("datocms/{name}"), DEFAULT_BASE_URL).await;
    let client = Client::builder()
        .base_url(replay.base_url())
        .bearer_token("test-token")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    (replay, client)
}

#[tokio::test]
async fn update_of_attributes_is_answered_with_a_job() {
    let (replay, client) = replay("update-attributes-202").await;
    let english = FieldMetadataPatch {
        alt: Nullable::Value("Nyan the cat".into()),
        title: Nullable::Value("My cat".into()),
        custom_data: Some(BTreeMap::new()),
        ..Default::default()
    };
    // The JSON:API envelope (`x-clientgen-body`): the id comes from the path, the attributes
    // are setters.
    let answer = client
        .uploads()
        .update("4124")
        .author("Mark")
        .copyright("2020 DatoCMS")
        .default_field_metadata(BTreeMap::from([("en".to_string(), english)]))
        .await
        .expect("the update is accepted");
    let UpdateResponse::Accepted(job) = answer else { panic!("expected a job, got {answer:?}") };
    assert_eq!(job.data.id, "facf9248be977002c9bae231");
    assert_round_trip(&job, &replay.response(0), "update");
    replay.verify().await;
}

#[tokio::test]
async fn rename_sends_only_the_basename() {
    let (replay, client) = replay("update-rename-202").await;
    // The body whole, envelope and all, still goes.
    let attributes =
        UploadUpdateRequestDataAttributes { basename: Some("this-is-the-new-file-name".into()), ..Default::default() };
    let body = UploadUpdateRequest {
        data: UploadUpdateRequestData { id: "4124".into(), attributes: Some(attributes), relationships: None },
    };
    let answer = client.uploads().update("4124").body(body).await.expect("the rename is accepted");
    assert!(
        matches!(answer, UpdateResponse::Accepted(ref job) if job.data.id == "facf9248be977002c9bae231"),
        "{answer:?}"
    );
    replay.verify().await;
}

#[tokio::test]
async fn replacing_the_file_can_keep_its_url() {
    let (replay, client) = replay("update-keep-url-202").await;
    let answer = client
        .uploads()
        .update("43554720")
        .path("/64175/1646149667-whoa.txt")
        .replace_strategy(UpdateUploadReplaceStrategy::KeepUrl)
        .await
        .expect("the replacement is accepted");
    let UpdateResponse::Accepted(job) = answer else { panic!("expected a job, got {answer:?}") };
    assert_eq!(job.data.id, "e6a86038a32b09a14e8a08c3");
    replay.verify().await;
}

#[tokio::test]
async fn update_answered_200_carries_the_whole_upload_and_clears_with_null() {
    let (replay, client) = replay("update-200").await;
    // Set the author, clear the copyright, leave the notes as they are: the vendor SDK's
    // `update(id, {author: 'Mark Smith', copyright: null})`.
    let id = "q0VNpiNQSkG6z0lif_O1zg";
    let answer = client.uploads().update(id).author("Mark Smith").clear_copyright().await.expect("the update succeeds");
    let UpdateResponse::Ok(upload) = answer else { panic!("expected the upload, got {answer:?}") };
    let attributes = &upload.data.attributes;
    assert_eq!(attributes.author.as_deref(), Some("Mark Smith"));
    assert_eq!(attributes.copyright, None, "a null the API allows");
    assert_eq!(attributes.default_field_metadata["en"].focal_point.as_ref().map(|p| (p.x, p.y)), Some((0.5, 0.5)));
    // A value the API description does not list is kept, not rejected.
    assert_eq!(attributes.mux_mp4_highest_res, Some(UploadAttributesMuxMp4HighestRes::Other("ultra".into())));
    assert_eq!(attributes.created_at.map(|t| t.timestamp_millis()), Some(1_587_455_831_124));
    assert_round_trip(&upload, &replay.response(0), "update");
    replay.verify().await;
}

#[tokio::test]
async fn a_job_result_is_404_while_the_job_runs_then_the_upload() {
    let (replay, client) = replay("job-result-poll").await;
    let job = "f1f26b9a7218919172cd4e82";
    let running = client.job_results().get(job).await.expect_err("the job is still running");
    assert_eq!(running.status().map(|s| s.as_u16()), Some(404));
    let body = running.body().expect("the documented error body is parsed");
    assert_eq!(body.data[0].attributes.code, "NOT_FOUND");
    assert_json_eq(
        &serde_json::from_slice(running.raw_body().expect("raw body")).expect("JSON"),
        &replay.response(0),
        "raw 404 body",
    );

    let done = client.job_results().get(job).await.expect("the job has finished");
    assert_eq!(done.data.attributes.status, 201);
    assert_round_trip(&done, &replay.response(1), "job result");
    let payload = done.data.attributes.payload.clone().expect("a payload");
    let upload: UploadResponse =
        serde_json::from_value(payload.into_iter().collect()).expect("the payload is an upload");
    assert_eq!(upload.data.id, "43554772");
    replay.verify().await;
}

#[tokio::test]
async fn an_upload_is_read_back_as_recorded() {
    let (replay, client) = replay("get-upload").await;
    let upload = client.uploads().get("43554772").await.expect("the upload");
    assert_eq!(upload.data.attributes.filename, "1561723946-happyfoxbymazack-d8u2l0s-2.jpeg");
    assert_round_trip(&upload, &replay.response(0), "get");
    replay.verify().await;
}

#[tokio::test]
async fn documented_answer_headers_come_typed_with_the_answer() {
    let (replay, client) = replay("get-upload").await;
    let (upload, headers) = client.uploads().get("43554772").send_with_headers().await.expect("the upload");
    assert_eq!(upload.data.id, "43554772");
    assert_eq!(headers.x_rate_limit_limit, Some(60));
    assert_eq!(headers.x_rate_limit_remaining, Some(59));
    replay.verify().await;
}

#[tokio::test]
async fn creating_an_upload_requests_a_path_then_starts_a_job() {
    let (replay, client) = replay("create-upload").await;
    let permission = client
        .upload_requests()
        .create(UploadRequestCreateRequest {
            data: UploadRequestCreateRequestData {
                attributes: Some(UploadRequestCreateRequestDataAttributes { filename: Some("whoa.txt".into()) }),
                relationships: None,
            },
        })
        .await
        .expect("an upload request");
    assert!(permission.data.attributes.url.starts_with("https://"));
    assert_round_trip(&permission, &replay.response(0), "upload request");

    let attributes = UploadCreateRequestDataAttributes::new(permission.data.id.clone());
    let created = client
        .uploads()
        .create(UploadCreateRequest { data: UploadCreateRequestData { id: None, attributes, relationships: None } })
        .await
        .expect("the creation is accepted");
    let CreateResponse::Accepted(job) = created else { panic!("expected a job, got {created:?}") };
    let result = client.job_results().get(job.data.id.as_str()).await.expect("the job result");
    assert_eq!(result.data.attributes.status, 201);
    assert_round_trip(&result, &replay.response(2), "job result");
    replay.verify().await;
}

#[tokio::test]
async fn a_422_error_is_typed_and_keeps_its_raw_body() {
    let (replay, client) = replay("update-422").await;
    let error = client.uploads().update("4124").notes("Nyan the cat").await.expect_err("a 422");
    let Error::Api(api) = &error else { panic!("expected a documented error, got {error:?}") };
    assert_eq!(api.status.as_u16(), 422);
    assert_eq!(api.body.as_ref().map(|b| b.data[0].attributes.code.as_str()), Some("STALE_ITEM_VERSION"));
    assert_round_trip(api.body.as_ref().expect("parsed"), &replay.response(0), "422 body");
    assert!(error.to_string().contains("422"), "{error}");
    replay.verify().await;
}

#[tokio::test]
async fn uploads_are_listed_a_page_at_a_time() {
    let (replay, client) = replay("list-uploads").await;
    let page = client.uploads().list().page_offset(0).page_limit(2).await.expect("a page");
    assert_eq!(page.meta.as_ref().and_then(|m| m.total_count), Some(1));
    assert_round_trip(&page, &replay.response(0), "list");
    replay.verify().await;
}

#[tokio::test]
async fn destroying_an_upload_answers_with_it() {
    let (replay, client) = replay("destroy-upload").await;
    let gone = client.uploads().destroy("43554772").await.expect("the deleted upload");
    assert_eq!(gone.data.id, "43554772");
    assert_round_trip(&gone, &replay.response(0), "destroy");
    replay.verify().await;
}

fn create_request(path: &str) -> UploadCreateRequest {
    let attributes = UploadCreateRequestDataAttributes::new(path.to_string());
    UploadCreateRequest { data: UploadCreateRequestData { id: None, attributes, relationships: None } }
}

/// Polls every 10–20 ms, so the recorded 404-then-200 takes a few milliseconds.
fn quick_wait() -> JobWait {
    JobWait::default().interval(Duration::from_millis(10), Duration::from_millis(20)).deadline(Duration::from_secs(5))
}

#[tokio::test]
async fn send_and_wait_polls_the_job_until_it_gives_the_upload() {
    let (replay, client) = replay("create-upload-wait").await;
    let path = "/64194/1646149818-1561723946-happyfoxbymazack-d8u2l0s-2.jpeg";
    let upload = client.uploads().create(create_request(path)).send_and_wait(quick_wait()).await.expect("the upload");
    assert_eq!(upload.data.id, "43554772");
    assert_eq!(upload.data.attributes.path, path);
    // The job's payload is the upload document, exactly.
    assert_round_trip(&upload, &replay.response(2)["data"]["attributes"]["payload"], "the job's upload");
    // 202, then the poll twice: 404 while running, 200 when done.
    replay.verify().await;
}

#[tokio::test]
async fn a_failed_job_is_a_typed_error_and_a_job_that_never_ends_times_out() {
    let server = wiremock::MockServer::start().await;
    let job = serde_json::json!({"data": {"type": "job", "id": "j1"}});
    let failure = serde_json::json!({"data": {"type": "job_result", "id": "j1", "attributes": {
        "status": 422, "statusText": "Unprocessable Entity",
        "payload": {"data": [{"id": "e1", "type": "api_error", "attributes": {"code": "INVALID_FIELD", "details": {}}}]}}}});
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(202).set_body_json(&job))
        .mount(&server)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/job-results/j1"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(&failure))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().expect("a client");
    let error =
        client.uploads().create(create_request("/1/a.txt")).send_and_wait(quick_wait()).await.expect_err("fails");
    let Error::JobFailed(failed) = &error else { panic!("expected JobFailed, got {error:?}") };
    assert_eq!(failed.status.as_u16(), 422);
    assert_eq!(failed.body.as_ref().map(|b| b.data[0].attributes.code.as_str()), Some("INVALID_FIELD"));

    let running = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(202).set_body_json(&job))
        .mount(&running)
        .await;
    let not_found = serde_json::json!({"data": [{"id": "e", "type": "api_error", "attributes": {"code": "NOT_FOUND", "details": {}}}]});
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(wiremock::ResponseTemplate::new(404).set_body_json(&not_found))
        .mount(&running)
        .await;
    let client = Client::builder().base_url(running.uri()).build().expect("a client");
    let wait = quick_wait().deadline(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let error = client.uploads().create(create_request("/1/a.txt")).send_and_wait(wait).await.expect_err("times out");
    assert!(matches!(&error, Error::JobTimedOut { job, .. } if job == "j1"), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    let polls = running.received_requests().await.map_or(0, |r| r.len()) - 1;
    assert!((5..=20).contains(&polls), "{polls} polls in 200 ms at 10–20 ms intervals");
}

#[tokio::test]
async fn stream_walks_every_page_by_offset_until_an_empty_one() {
    use futures_util::TryStreamExt;
    let (replay, client) = replay("list-uploads-pages").await;
    let uploads: Vec<_> =
        client.uploads().list().page_offset(0).page_limit(1).stream().try_collect().await.expect("every page");
    let ids: Vec<&str> = uploads.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["43554772", "q0VNpiNQSkG6z0lif_O1zg"]);
    // offset 0, 1, then 2 (empty): three requests, each moved on by the items received.
    replay.verify().await;
}

/// A body recorded in `fixtures/datocms/<name>.har`, entry `index`.
fn recorded_answer(name: &str, index: usize) -> serde_json::Value {
    fixture_tests::recorded_answer(&format!("datocms/{name}"), index)
}

#[tokio::test]
async fn create_from_file_requests_a_path_puts_the_bytes_on_storage_and_waits_for_the_upload() {
    use datocms_client::custom::FileToUpload;
    use wiremock::matchers::{body_bytes, body_partial_json, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let storage = MockServer::start().await;
    let api = MockServer::start().await;
    let bytes: Vec<u8> = (0..150_000u32).map(|i| (i % 241) as u8).collect();
    let file_path = std::env::temp_dir().join(format!("clientgen-dato-{}.jpeg", std::process::id()));
    std::fs::write(&file_path, &bytes).expect("a file to upload");

    // The recorded upload request (2022), pointed at the local storage server, with the
    // `request_headers` the current API adds.
    let mut permission = recorded_answer("create-upload", 0);
    let storage_path = "/64175/1646149667-whoa.txt";
    permission["data"]["attributes"]["url"] = format!("{}{storage_path}?X-Amz-Signature=0000", storage.uri()).into();
    permission["data"]["attributes"]["request_headers"] = serde_json::json!({"x-amz-acl": "public-read"});
    let upload_path = permission["data"]["id"].as_str().expect("the storage path").to_string();
    Mock::given(method("POST"))
        .and(path("/upload-requests"))
        .and(body_partial_json(
            serde_json::json!({"data": {"attributes": {"filename": file_path.file_name().unwrap().to_str()}}}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(&permission))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .and(path(storage_path))
        .and(query_param("X-Amz-Signature", "0000"))
        .and(header("x-amz-acl", "public-read"))
        .and(header("content-type", "image/jpeg"))
        .and(header("content-length", bytes.len().to_string().as_str()))
        .and(body_bytes(bytes.clone()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&storage)
        .await;
    // The recorded session: the creation is a job, running once, then finished.
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .and(body_partial_json(
            serde_json::json!({"data": {"type": "upload", "attributes": {"path": upload_path, "author": "Mark"}}}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(recorded_answer("create-upload-wait", 0)))
        .expect(1)
        .mount(&api)
        .await;
    let job = "/job-results/f1f26b9a7218919172cd4e82";
    Mock::given(path(job))
        .respond_with(ResponseTemplate::new(404).set_body_json(recorded_answer("create-upload-wait", 1)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(path(job))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded_answer("create-upload-wait", 2)))
        .with_priority(2)
        .mount(&api)
        .await;

    let client = Client::builder().base_url(api.uri()).bearer_token("test-token").build().expect("a client");
    let progress = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = progress.clone();
    let mut file = FileToUpload::from_path(&file_path).expect("readable");
    file.content = file.content.on_progress(move |sent, total| seen.lock().expect("progress").push((sent, total)));
    file.media_type = Some("image/jpeg".into());
    let attributes = UploadCreateRequestDataAttributes {
        author: Nullable::Value("Mark".into()),
        ..UploadCreateRequestDataAttributes::new(String::new())
    };
    let upload = client.uploads().create_from_file(file, attributes, quick_wait()).await.expect("the upload");
    assert_eq!(upload.data.id, "43554772");
    let progress = progress.lock().expect("progress").clone();
    assert!(progress.len() >= 2, "the file went in chunks: {progress:?}");
    assert_eq!(progress.last(), Some(&(bytes.len() as u64, Some(bytes.len() as u64))));
    // Every mock's `expect` is checked when the servers drop; the poll ran twice.
    let polls = api.received_requests().await.expect("recorded").iter().filter(|r| r.url.path() == job).count();
    assert_eq!(polls, 2);
    let _ = std::fs::remove_file(&file_path);
}

#[tokio::test]
async fn replace_file_sends_the_new_path_with_the_replace_strategy() {
    use datocms_client::custom::FileToUpload;
    use wiremock::matchers::{body_partial_json, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let storage = MockServer::start().await;
    let api = MockServer::start().await;
    let mut permission = recorded_answer("create-upload", 0);
    permission["data"]["attributes"]["url"] = format!("{}/bucket/new.txt", storage.uri()).into();
    let new_path = permission["data"]["id"].clone();
    Mock::given(method("POST"))
        .and(path("/upload-requests"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&permission))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .and(path("/bucket/new.txt"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&storage)
        .await;
    Mock::given(method("PUT"))
        .and(path("/uploads/43554772"))
        .and(query_param("replace_strategy", "keep_url"))
        .and(body_partial_json(serde_json::json!({"data": {"id": "43554772", "attributes": {"path": new_path}}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(recorded_answer("get-upload", 0)))
        .expect(1)
        .mount(&api)
        .await;
    let client = Client::builder().base_url(api.uri()).build().expect("a client");
    let file = FileToUpload { content: Content::from_bytes("new bytes"), filename: "new.txt".into(), media_type: None };
    let upload = client
        .uploads()
        .replace_file("43554772", file, Some(UpdateUploadReplaceStrategy::KeepUrl), quick_wait())
        .await
        .expect("answered 200 with the upload: no job to wait for");
    assert_eq!(upload.data.id, "43554772");
}

#[tokio::test]
async fn dropping_an_upload_flow_stops_it_where_it_is() {
    use datocms_client::custom::FileToUpload;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let storage = MockServer::start().await;
    let api = MockServer::start().await;
    let mut permission = recorded_answer("create-upload", 0);
    permission["data"]["attributes"]["url"] = format!("{}/slow", storage.uri()).into();
    Mock::given(method("POST"))
        .and(path("/upload-requests"))
        .respond_with(ResponseTemplate::new(201).set_body_json(&permission))
        .mount(&api)
        .await;
    // The storage host takes its time: the caller gives up first.
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&storage)
        .await;
    let client = Client::builder().base_url(api.uri()).build().expect("a client");
    let file = FileToUpload { content: Content::from_bytes("bytes"), filename: "a.txt".into(), media_type: None };
    let attributes = UploadCreateRequestDataAttributes::new(String::new());
    let flow = client.uploads().create_from_file(file, attributes, quick_wait());
    assert!(tokio::time::timeout(Duration::from_millis(300), flow).await.is_err(), "still transferring");
    let calls: Vec<String> =
        api.received_requests().await.expect("recorded").iter().map(|r| r.url.path().to_string()).collect();
    assert_eq!(calls, ["/upload-requests"], "no upload was created from a transfer that did not finish");
}
