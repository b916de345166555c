//! Lists and long-running work: paginated streams, batch limits, and waiting for jobs.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::{ApiError, BoxStream, Error, Nullable, RawResponse};

/// What [`send_chunked`](crate::Request) did with a batch too large for one request: each chunk
/// sent, with the items it held and its answer, and the items it did not send because a chunk
/// had failed. Nothing is lost: what succeeded is here beside what to send again.
#[derive(Debug)]
pub struct Chunked<T, E> {
    /// The chunks sent, in the order of their items.
    pub sent: Vec<SentChunk<T, E>>,
    /// The items (positions in the batch) of the chunks not sent after a failure.
    pub unsent: Vec<std::ops::Range<usize>>,
}

/// One request of a chunked batch: the items it held (positions in the batch) and its answer.
#[derive(Debug)]
pub struct SentChunk<T, E> {
    pub items: std::ops::Range<usize>,
    pub answer: Result<T, Error<E>>,
}

impl<T, E> Chunked<T, E> {
    /// Whether every chunk was sent and succeeded.
    pub fn is_complete(&self) -> bool {
        self.unsent.is_empty() && self.sent.iter().all(|chunk| chunk.answer.is_ok())
    }

    /// Every answer in order, or the first chunk's error: for a caller who treats the batch as
    /// one call.
    pub fn into_result(self) -> Result<Vec<T>, Error<E>> {
        self.sent.into_iter().map(|chunk| chunk.answer).collect()
    }
}

/// Sends `count` items in chunks of at most `max`, `concurrency` requests at a time; after a
/// failure no new chunk starts (those in flight finish).
#[allow(dead_code)] // Not every API has chunked operations.
pub(crate) async fn send_in_chunks<T, E, Sent>(
    count: usize,
    max: usize,
    concurrency: usize,
    mut send: impl FnMut(std::ops::Range<usize>) -> Sent,
) -> Chunked<T, E>
where
    Sent: std::future::Future<Output = Result<T, Error<E>>>,
{
    use futures_util::stream::{FuturesUnordered, StreamExt};
    let max = max.max(1);
    // An empty batch is still one request, as the operation unchunked would be.
    let ranges: Vec<std::ops::Range<usize>> = match count {
        0 => std::iter::once(0..0).collect(),
        _ => (0..count).step_by(max).map(|start| start..(start + max).min(count)).collect(),
    };
    let mut waiting = ranges.into_iter();
    let mut running = FuturesUnordered::new();
    let mut sent = Vec::new();
    let mut failed = false;
    loop {
        while !failed && running.len() < concurrency.max(1) {
            let Some(items) = waiting.next() else { break };
            let answer = send(items.clone());
            running.push(async move { SentChunk { items, answer: answer.await } });
        }
        let Some(chunk) = running.next().await else { break };
        failed |= chunk.answer.is_err();
        sent.push(chunk);
    }
    sent.sort_by_key(|chunk| chunk.items.start);
    Chunked { sent, unsent: waiting.collect() }
}

/// How many empty pages in a row, each naming a next one, a list may give before its stream
/// ends with an error: real lists give a few (a filter scanning), a broken one gives them forever.
const MAX_EMPTY_PAGES: usize = 25;

/// The items of a paged list as one stream. `fetch` sends one page's request and returns its
/// items, the request for the next page if any, and what names that page (its cursor or link)
/// when pages could repeat; pages are fetched as items are read. A page named twice, or too
/// many empty pages in a row, end the stream with [`Error::Paging`] rather than loop forever.
#[allow(dead_code)] // Not every API pages its lists.
pub(crate) fn paginate<'a, R, T, E, Fetch, Fetched>(first: R, fetch: Fetch) -> BoxStream<'a, Result<T, Error<E>>>
where
    R: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
    Fetch: FnMut(R) -> Fetched + Send + 'a,
    Fetched: std::future::Future<Output = Result<(Vec<T>, Option<R>, Option<String>), Error<E>>> + Send + 'a,
{
    enum State<R, T> {
        Fetch(R),
        /// A page's items, then the next page's request, or why there is none to follow.
        Read(std::vec::IntoIter<T>, Result<Option<R>, String>),
        Done,
    }
    struct Seen {
        keys: std::collections::HashSet<String>,
        empty_in_a_row: usize,
        pages: usize,
    }
    let seen = Seen { keys: std::collections::HashSet::new(), empty_in_a_row: 0, pages: 0 };
    Box::pin(futures_util::stream::unfold(
        (State::Fetch(first), fetch, seen),
        |(mut state, mut fetch, mut seen)| async move {
            loop {
                state = match state {
                    State::Read(mut items, next) => match (items.next(), next) {
                        (Some(item), next) => return Some((Ok(item), (State::Read(items, next), fetch, seen))),
                        (None, Ok(next)) => next.map_or(State::Done, State::Fetch),
                        (None, Err(why)) => return Some((Err(Error::Paging(why)), (State::Done, fetch, seen))),
                    },
                    State::Fetch(request) => match fetch(request).await {
                        Ok((items, next, key)) => {
                            seen.pages += 1;
                            seen.empty_in_a_row = if items.is_empty() { seen.empty_in_a_row + 1 } else { 0 };
                            let repeated = key.is_some_and(|key| !seen.keys.insert(key));
                            let next = match next {
                                Some(_) if repeated => {
                                    Err(format!("page {} names a next page already read", seen.pages))
                                }
                                Some(_) if seen.empty_in_a_row >= MAX_EMPTY_PAGES => Err(format!(
                                    "{} empty pages in a row, each naming another",
                                    seen.empty_in_a_row
                                )),
                                next => Ok(next),
                            };
                            State::Read(items.into_iter(), next)
                        }
                        Err(error) => return Some((Err(error), (State::Done, fetch, seen))),
                    },
                    State::Done => return None,
                };
            }
        },
    ))
}

/// The `rel="next"` URL of a `Link` header (RFC 8288), resolved against `base`.
pub(super) fn next_link(headers: &HeaderMap, base: &reqwest::Url) -> Option<reqwest::Url> {
    for value in headers.get_all("link") {
        let Ok(text) = value.to_str() else { continue };
        for link in text.split(',') {
            let mut parts = link.split(';');
            let target = parts.next()?.trim().strip_prefix('<')?.strip_suffix('>')?;
            let is_next = parts.any(|param| {
                let param = param.trim().to_ascii_lowercase();
                let rel = param.strip_prefix("rel=").map(|v| v.trim_matches('"'));
                rel.is_some_and(|rel| rel.split_whitespace().any(|r| r == "next"))
            });
            if is_next {
                return base.join(target).ok();
            }
        }
    }
    None
}

/// Something holding a number of items, for `maxItems` checks.
pub(crate) trait ItemCount {
    fn item_count(&self) -> usize;
}

impl<T> ItemCount for Vec<T> {
    fn item_count(&self) -> usize {
        self.len()
    }
}

impl<T: ItemCount> ItemCount for Option<T> {
    fn item_count(&self) -> usize {
        self.as_ref().map_or(0, ItemCount::item_count)
    }
}

impl<T: ItemCount> ItemCount for Nullable<T> {
    fn item_count(&self) -> usize {
        self.value().map_or(0, ItemCount::item_count)
    }
}

/// Refuses a request whose `name` array has more items than the API accepts in one request.
#[allow(dead_code)] // Not every API limits its arrays.
pub(super) fn check_max_items(value: &impl ItemCount, name: &str, max: u64) -> Result<(), String> {
    let count = value.item_count();
    if count as u64 > max {
        return Err(format!(
            "`{name}` has {count} items; the API accepts at most {max} in one request (send them in chunks)"
        ));
    }
    Ok(())
}

/// How long and how often to poll a job (`send_and_wait`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobWait {
    first: Duration,
    longest: Duration,
    deadline: Duration,
}

impl Default for JobWait {
    /// A first poll after 1 s, then waits growing by half up to 10 s, for at most 5 minutes.
    fn default() -> Self {
        JobWait { first: Duration::from_secs(1), longest: Duration::from_secs(10), deadline: Duration::from_secs(300) }
    }
}

impl JobWait {
    /// The wait before the first poll, and the longest wait between two.
    pub fn interval(mut self, first: Duration, longest: Duration) -> Self {
        self.first = first;
        self.longest = longest.max(first);
        self
    }

    /// How long to wait for the job in all before giving up with [`Error::JobTimedOut`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }
}

/// A status a job reports in its own answer: any integer, read as an HTTP status (one that is
/// not a status counts as a failure).
#[allow(dead_code)] // Not every API has jobs.
pub(crate) trait AsStatus {
    fn as_status(&self) -> StatusCode;
}

macro_rules! status_from_integer {
    ($($t:ty),*) => {$(
        impl AsStatus for $t {
            fn as_status(&self) -> StatusCode {
                u16::try_from(*self).ok().and_then(|c| StatusCode::from_u16(c).ok()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    )*};
}
status_from_integer!(i32, i64, u64);

/// A finished job's document: already the result, or free-form JSON read as the result or as
/// the error once the job's status is known.
#[allow(dead_code)] // Not every API has jobs.
pub(crate) enum JobDocument<T> {
    Result(T),
    Json(serde_json::Value),
}

#[allow(dead_code)] // Not every API has jobs.
impl<T> JobDocument<T> {
    /// A free-form object's members, as the JSON object they came as.
    pub(crate) fn object(members: std::collections::BTreeMap<String, serde_json::Value>) -> Self {
        JobDocument::Json(serde_json::Value::Object(members.into_iter().collect()))
    }
}

/// Polls a job until it finishes, `wait` runs out, or polling fails. A poll answered with one of
/// the `pending` statuses means the job is running. `finished` takes the poll's answer apart:
/// the job's own status (success when it reports none) and its document.
#[allow(dead_code)] // Not every API has jobs.
pub(crate) async fn wait_for_job<T, R, E, Poll, Polled>(
    job: String,
    wait: &JobWait,
    pending: &[u16],
    mut poll: Poll,
    finished: impl FnOnce(R) -> (Option<StatusCode>, Option<JobDocument<T>>),
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
    Poll: FnMut() -> Polled,
    Polled: std::future::Future<Output = Result<R, Error<E>>>,
{
    let started = Instant::now();
    let mut interval = wait.first;
    let mut polls = 0u32;
    let answer = loop {
        let left = wait.deadline.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::JobTimedOut { job, waited: started.elapsed() });
        }
        tokio::time::sleep(interval.min(left)).await;
        polls += 1;
        match poll().await {
            Ok(answer) => break answer,
            Err(e) if e.status().is_some_and(|s| pending.contains(&s.as_u16())) => {
                tracing::debug!(job = %job, polls, "job still running");
                interval = (interval + interval / 2).min(wait.longest);
            }
            Err(e) => return Err(e),
        }
    };
    let (status, document) = finished(answer);
    let status = status.unwrap_or(StatusCode::OK);
    tracing::debug!(job = %job, polls, status = status.as_u16(), "job finished");
    let json = match document {
        Some(JobDocument::Result(result)) if status.is_success() => return Ok(result),
        // A typed document that is not a success has nothing to read an error from.
        Some(JobDocument::Result(_)) => serde_json::Value::Null,
        Some(JobDocument::Json(json)) => json,
        None => serde_json::Value::Null,
    };
    let raw = Bytes::from(serde_json::to_vec(&json).unwrap_or_default());
    if !status.is_success() {
        let body = serde_json::from_value(json).ok();
        return Err(Error::JobFailed(Box::new(ApiError { status, headers: HeaderMap::new(), body, raw })));
    }
    super::decode_value(json).map_err(|source| Error::InvalidBody {
        response: Box::new(RawResponse { status, headers: HeaderMap::new(), body: raw }),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others() {
        let base = reqwest::Url::parse("https://api.example.com/v1/").expect("a URL");
        let mut headers = HeaderMap::new();
        let value = "<https://api.example.com/v1/items?page=1>; rel=\"prev\", <https://api.example.com/v1/items?page=3>; rel=\"next\"";
        headers.insert("link", value.parse().expect("a header value"));
        assert_eq!(next_link(&headers, &base).map(|u| u.to_string()).as_deref(), Some("https://api.example.com/v1/items?page=3"));
        headers.insert("link", "</v1/items?page=4>; rel=\"last next\"".parse().expect("a header value"));
        assert_eq!(next_link(&headers, &base).map(|u| u.to_string()).as_deref(), Some("https://api.example.com/v1/items?page=4"));
        headers.insert("link", "<https://api.example.com/v1/items?page=1>; rel=\"first\"".parse().expect("a header value"));
        assert_eq!(next_link(&headers, &base), None);
    }
}
