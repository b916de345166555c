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
