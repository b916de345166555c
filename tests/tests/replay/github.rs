//! The GitHub client (a few issue operations) against recorded exchanges: pages linked by the
//! `Link` header.

use fixture_tests::{assert_round_trip, Replay};
use futures_util::TryStreamExt;
use github_client::types::{Issue, IssuesListForRepoState};
use github_client::{Client, RetryPolicy, DEFAULT_BASE_URL};

async fn replay(name: &str) -> (Replay, Client) {
    let replay = Replay::start(&format!("github/{name}"), DEFAULT_BASE_URL).await;
    let client = Client::builder()
        .base_url(replay.base_url())
        .bearer_token("test-token")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("a client");
    (replay, client)
}

#[tokio::test]
async fn stream_follows_the_link_header_to_the_last_page() {
    let (replay, client) = replay("list-issues-pages").await;
    let issues: Vec<Issue> = client
        .issues()
        .list_for_repo("octocat", "Hello-World")
        .state(IssuesListForRepoState::All)
        .per_page(1)
        .stream()
        .try_collect()
        .await
        .expect("every page");
    let numbers: Vec<i64> = issues.iter().map(|i| i.number).collect();
    assert_eq!(numbers, [1347, 1348]);
    assert_round_trip(&issues[0], &replay.response(0)[0], "first page");
    assert_round_trip(&issues[1], &replay.response(1)[0], "second page");
    // The second request went to the linked URL (by repository id), query and all.
    replay.verify().await;
}

#[tokio::test]
async fn the_link_header_is_also_there_to_read() {
    let (replay, client) = replay("list-issues-pages").await;
    let (issues, headers) = client
        .issues()
        .list_for_repo("octocat", "Hello-World")
        .state(IssuesListForRepoState::All)
        .per_page(1)
        .send_with_headers()
        .await
        .expect("the first page");
    assert_eq!(issues.len(), 1);
    let link = headers.link.expect("a Link header");
    assert!(link.contains("rel=\"next\"") && link.contains("/repositories/1296269/issues?"), "{link}");
    assert!(link.starts_with(&format!("<{}", replay.base_url())), "the replay points links at itself: {link}");
}

/// A server whose pages never end: each answer is `body` with a `Link` to the next page that
/// `link` makes from the server's address and the page asked for.
async fn endless(
    link: impl Fn(&str, u64) -> String + Send + Sync + 'static,
    body: &'static str,
) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let base = server.uri();
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(move |request: &wiremock::Request| {
            let page = request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok());
            wiremock::ResponseTemplate::new(200)
                .insert_header("link", format!("<{}>; rel=\"next\"", link(&base, page.unwrap_or(1))).as_str())
                .set_body_raw(body, "application/json")
        })
        .mount(&server)
        .await;
    server
}

async fn read_all(
    server: &wiremock::MockServer,
) -> (Result<Vec<Issue>, github_client::Error<github_client::types::BasicError>>, usize) {
    let client = Client::builder().base_url(server.uri()).retry_policy(RetryPolicy::never()).build().expect("a client");
    let read = client.issues().list_for_repo("octocat", "Hello-World").stream().try_collect().await;
    (read, server.received_requests().await.map_or(0, |r| r.len()))
}

#[tokio::test]
async fn pages_that_never_end_end_the_stream_with_an_error() {
    // Every page links to page 2: the second time, the stream stops.
    let server = endless(|base, _| format!("{base}/repos/octocat/Hello-World/issues?page=2"), "[]").await;
    let (read, requests) = read_all(&server).await;
    assert!(matches!(read, Err(github_client::Error::Paging(_))), "{read:?}");
    assert_eq!(requests, 2, "the repeated link is not fetched again");

    // Always a new page, always empty.
    let server = endless(|base, page| format!("{base}/repos/octocat/Hello-World/issues?page={}", page + 1), "[]").await;
    let (read, requests) = read_all(&server).await;
    assert!(matches!(read, Err(github_client::Error::Paging(_))), "{read:?}");
    assert!(requests <= 30, "{requests} requests for empty pages");
}
