//! Runtime support for this client: the HTTP client, credentials, errors, and the request and
//! response plumbing every operation uses.
//!
//! clientgen writes this file unchanged into every crate it generates, so the crate builds from
//! crates.io alone.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

mod transfer;
pub use transfer::Content;
#[allow(unused_imports)] // Used by hand-written upload helpers.
pub(crate) use transfer::multipart_with_file;

/// A boxed future, as returned by `IntoFuture` on every request builder.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// A boxed stream, as returned by `stream()` on list operations (read it with
/// `futures::StreamExt::next`).
pub type BoxStream<'a, T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + Send + 'a>>;

/// The items of a paged list as one stream. `fetch` sends one page's request and returns its
/// items and the request for the next page, if any; pages are fetched as items are read.
#[allow(dead_code)] // Not every API pages its lists.
pub(crate) fn paginate<'a, R, T, E, Fetch, Fetched>(first: R, fetch: Fetch) -> BoxStream<'a, Result<T, Error<E>>>
where
    R: Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
    Fetch: FnMut(R) -> Fetched + Send + 'a,
    Fetched: std::future::Future<Output = Result<(Vec<T>, Option<R>), Error<E>>> + Send + 'a,
{
    enum State<R, T> {
        Fetch(R),
        Read(std::vec::IntoIter<T>, Option<R>),
        Done,
    }
    Box::pin(futures_util::stream::unfold((State::Fetch(first), fetch), |(mut state, mut fetch)| async move {
        loop {
            state = match state {
                State::Read(mut items, next) => match items.next() {
                    Some(item) => return Some((Ok(item), (State::Read(items, next), fetch))),
                    None => next.map_or(State::Done, State::Fetch),
                },
                State::Fetch(request) => match fetch(request).await {
                    Ok((items, next)) => State::Read(items.into_iter(), next),
                    Err(error) => return Some((Err(error), (State::Done, fetch))),
                },
                State::Done => return None,
            };
        }
    }))
}

/// A credential; never shown by `Debug` or in errors.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
enum Credentials {
    Bearer(Secret),
    Basic {
        username: String,
        password: Secret,
    },
    /// A key sent in a header, a query parameter or a cookie.
    Key {
        location: KeyLocation,
        name: String,
        key: Secret,
    },
}

/// Where an API key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    Header,
    Query,
    Cookie,
}

/// The client: a base URL, credentials and default headers over a `reqwest::Client`.
///
/// Cloning is cheap; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Option<Credentials>,
    headers: HeaderMap,
    retry: RetryPolicy,
    /// Set when an answer said no requests remain until the rate-limit window resets.
    paused_until: Mutex<Option<Instant>>,
}

/// When a failed call is sent again, and for how long.
///
/// A call is retried on 429 (always: the request was not processed), and on 408, 5xx, a
/// timeout or a broken connection when the operation is idempotent (GET, PUT, DELETE, or
/// marked `x-clientgen-idempotent`); a connection that could not be opened is retried for
/// every operation. The wait is the server's (`Retry-After` in seconds or as an HTTP date,
/// else `X-RateLimit-Reset`), else exponential backoff with jitter. Attempts and total time
/// are always bounded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_server_wait: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 500 ms up to 30 s, at most two minutes in all, and server
    /// waits up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Sends every call once.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// How many times a call is sent at most, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait, doubled after each attempt up to `max`; each wait is drawn between half
    /// of that and all of it.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// No retry starts once this much time has passed since the first attempt began.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The longest wait a server may ask for (`Retry-After`, `X-RateLimit-Reset`); an answer
    /// asking for more is returned to the caller instead.
    pub fn max_server_wait(mut self, limit: Duration) -> Self {
        self.max_server_wait = limit;
        self
    }

    /// The wait before attempt `attempt + 1`, without the server's say.
    fn backoff_after(&self, attempt: u32) -> Duration {
        let doubled = self.initial_backoff.saturating_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX));
        let base = doubled.min(self.max_backoff);
        base / 2 + base.mul_f64(random_fraction() / 2.0)
    }
}

/// A number in `[0, 1)`, different on every call: enough randomness for jitter without a
/// dependency.
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Per-call settings every request builder carries (`retry_policy`, `request_timeout`).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    /// The next page's URL from a `Link` header, sent instead of the operation's path and query.
    page_url: Option<reqwest::Url>,
    /// Where to leave the answer's `Link: <…>; rel="next"` URL, for link-header pagination.
    next_link: Option<Arc<Mutex<Option<reqwest::Url>>>>,
}

impl CallOptions {
    pub(crate) fn set_retry(&mut self, policy: RetryPolicy) {
        self.retry = Some(policy);
    }

    pub(crate) fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = Some(timeout);
    }

    /// Sends the call to `url` (a page of the same list on the same server).
    #[allow(dead_code)] // Not every API pages by link header.
    pub(crate) fn set_page_url(&mut self, url: reqwest::Url) {
        self.page_url = Some(url);
    }

    /// Records the answer's next-page link; read it with the returned handle.
    #[allow(dead_code)] // Not every API pages by link header.
    pub(crate) fn capture_next_link(&mut self) -> Arc<Mutex<Option<reqwest::Url>>> {
        let slot = Arc::new(Mutex::new(None));
        self.next_link = Some(slot.clone());
        slot
    }
}

/// The `rel="next"` URL of a `Link` header (RFC 8288), resolved against `base`.
fn next_link(headers: &HeaderMap, base: &reqwest::Url) -> Option<reqwest::Url> {
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

/// What the generated code knows about an operation, for retries and tracing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call {
    pub operation: &'static str,
    /// The path template (`/uploads/{upload_id}`): traced without the caller's values.
    pub path: &'static str,
    pub authenticated: bool,
    pub idempotent: bool,
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base_url: String,
    credentials: Option<Credentials>,
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
}

impl ClientBuilder {
    pub(crate) fn new(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            http: None,
            base_url: base_url.to_string(),
            credentials: None,
            headers: Vec::new(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
        }
    }

    /// How failed calls are retried ([`RetryPolicy::default`] unless set; a request builder's
    /// `retry_policy` overrides it for one call).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The URL every path is appended to, for example a mock server or another region.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Bearer(Secret(token.into())));
        self
    }

    /// Sends HTTP basic authentication.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Basic { username: username.into(), password: Secret(password.into()) });
        self
    }

    /// Sends an API key under `name` in the given place.
    pub fn api_key_in(mut self, location: KeyLocation, name: impl Into<String>, key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::Key { location, name: name.into(), key: Secret(key.into()) });
        self
    }

    /// Adds a header sent with every request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Limits how long a whole request may take (default 60 s); `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limits how long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS, middleware); the
    /// builder's timeouts then do not apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header {name}")))?;
            headers.append(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().connect_timeout(self.connect_timeout);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(Error::Transport)?
            }
        };
        let base_url = self.base_url.trim_end_matches('/').to_string();
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                headers,
                retry: self.retry,
                paused_until: Mutex::new(None),
            }),
        })
    }
}

impl Client {
    /// The URL paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub(crate) fn request(
        &self,
        method: reqwest::Method,
        path: String,
        call: Call,
        options: &CallOptions,
    ) -> Request<'_> {
        Request {
            client: self,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            call,
            options: options.clone(),
            error: None,
        }
    }
}

/// One request being put together by an operation.
pub(crate) struct Request<'a> {
    client: &'a Client,
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    body: Option<(String, Content)>,
    call: Call,
    options: CallOptions,
    /// The first thing that made the request impossible to build, reported by `send`.
    error: Option<String>,
}

impl Request<'_> {
    /// Adds a query parameter in the default style (`form`, exploded: `a=1&a=2`).
    #[allow(dead_code)] // Not every API has query parameters.
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.query_styled(name, value, Style::Form, true);
    }

    /// Adds a query parameter written in its OpenAPI `style`.
    #[allow(dead_code)] // Not every API has styled query parameters.
    pub(crate) fn query_styled<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style, explode: bool) {
        match serde_json::to_value(value) {
            Ok(value) => self.query.extend(query_pairs(name, &value, style, explode)),
            Err(e) => self.fail(format!("query parameter {name}: {e}")),
        }
    }

    /// Adds a header parameter (`simple` style: `1,2` or `k,v`).
    #[allow(dead_code)] // Not every API has header parameters.
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.header_styled(name, value, false);
    }

    /// Adds a header parameter, exploded (`k=v,k2=v2`) or not.
    #[allow(dead_code)] // Not every API has exploded header parameters.
    pub(crate) fn header_styled<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        match serde_json::to_value(value) {
            Ok(value) => self.headers.extend(joined(&value, explode, ",").map(|v| (name.to_string(), v))),
            Err(e) => self.fail(format!("header {name}: {e}")),
        }
    }

    /// Adds a cookie parameter.
    #[allow(dead_code)] // Not every API has cookie parameters.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(v) => self.cookies.extend(scalar_text(&v).map(|v| format!("{name}={v}"))),
            Err(e) => self.fail(format!("cookie {name}: {e}")),
        }
    }

    /// Sets a JSON body sent with the given content type.
    #[allow(dead_code)] // Not every API sends JSON.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, content_type: &str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((content_type.to_string(), Content::from_bytes(bytes))),
            Err(e) => self.fail(format!("request body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object's members.
    #[allow(dead_code)] // Not every API sends forms.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        let mut encoded = reqwest::Url::parse("http://form.invalid/").expect("a valid constant URL");
        match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(members)) => {
                let mut pairs = encoded.query_pairs_mut();
                for (key, value) in &members {
                    match value {
                        serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).for_each(|v| {
                            pairs.append_pair(key, &v);
                        }),
                        other => {
                            if let Some(v) = scalar_text(other) {
                                pairs.append_pair(key, &v);
                            }
                        }
                    }
                }
            }
            Ok(_) => return self.fail("a form body must be an object".into()),
            Err(e) => return self.fail(format!("request body: {e}")),
        }
        let text = encoded.query().unwrap_or("").to_string();
        self.body = Some(("application/x-www-form-urlencoded".into(), Content::from_bytes(text)));
    }

    /// Sets a `multipart/form-data` body from its parts.
    #[allow(dead_code)] // Not every API sends multipart bodies.
    pub(crate) fn multipart(&mut self, body: &impl MultipartBody) {
        let (content_type, content) = encode_multipart(&body.parts());
        self.body = Some((content_type, content));
    }

    /// Sets a body of raw bytes, text, or content read as it is sent.
    #[allow(dead_code)] // Not every API sends raw bodies.
    pub(crate) fn raw(&mut self, content_type: &str, body: impl Into<Content>) {
        self.body = Some((content_type.to_string(), body.into()));
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// Sends the request, again while its [`RetryPolicy`] allows, and reads the whole answer.
    pub(crate) async fn send<E>(self) -> Result<Response, Error<E>> {
        use tracing::Instrument;
        let span = tracing::info_span!(
            "request",
            operation = self.call.operation,
            method = %self.method,
            path = self.call.path,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let inner = &self.client.inner;
        let policy = self.options.retry.as_ref().unwrap_or(&inner.retry);
        let answer = execute(inner, policy, self.call.idempotent, self.hides_url(), || self.build())
            .instrument(span)
            .await?;
        if let Some(slot) = &self.options.next_link {
            let base = self.options.page_url.clone().or_else(|| reqwest::Url::parse(&inner.base_url).ok());
            let link = base.and_then(|base| next_link(&answer.headers, &base));
            *slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = link;
        }
        Ok(Response(answer))
    }

    /// Whether the URL carries a secret (an API key in the query), and so is left out of errors.
    fn hides_url(&self) -> bool {
        self.call.authenticated
            && matches!(&self.client.inner.credentials, Some(Credentials::Key { location: KeyLocation::Query, .. }))
    }

    /// A `reqwest::Request` for one attempt, or `None` when the body cannot be sent again (a
    /// stream already read by an earlier attempt).
    fn build<E>(&self) -> Result<Option<reqwest::Request>, Error<E>> {
        if let Some(message) = &self.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let inner = &self.client.inner;
        let mut url = reqwest::Url::parse(&format!("{}{}", inner.base_url, self.path))
            .map_err(|e| Error::InvalidRequest(format!("invalid URL {}{}: {e}", inner.base_url, self.path)))?;
        let page = self.options.page_url.as_ref();
        if let Some(page) = page {
            // Credentials go only where the API is: a link to another server is refused.
            if page.origin() != url.origin() {
                return Err(Error::InvalidRequest(format!("the next page is on another server: {page}")));
            }
            url = page.clone();
        }
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in self.query.iter().filter(|_| page.is_none()) {
                query.append_pair(name, value);
            }
            if let (true, Some(Credentials::Key { location: KeyLocation::Query, name, key })) =
                (self.call.authenticated, &inner.credentials)
            {
                query.append_pair(name, &key.0);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut builder = inner.http.request(self.method.clone(), url).headers(inner.headers.clone());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut cookies = self.cookies.clone();
        if let (true, Some(Credentials::Key { location: KeyLocation::Cookie, name, key })) =
            (self.call.authenticated, &inner.credentials)
        {
            cookies.push(format!("{name}={}", key.0));
        }
        if !cookies.is_empty() {
            builder = builder.header("cookie", cookies.join("; "));
        }
        if self.call.authenticated {
            builder = match &inner.credentials {
                Some(Credentials::Bearer(token)) => builder.bearer_auth(&token.0),
                Some(Credentials::Basic { username, password }) => builder.basic_auth(username, Some(&password.0)),
                Some(Credentials::Key { location: KeyLocation::Header, name, key }) => {
                    builder.header(name.as_str(), key.0.as_str())
                }
                _ => builder,
            };
        }
        if let Some((content_type, content)) = &self.body {
            let Some(body) = content.body() else { return Ok(None) };
            builder = builder.header("content-type", content_type.as_str()).body(body);
            if let Some(length) = content.length() {
                builder = builder.header("content-length", length);
            }
        }
        if let Some(timeout) = self.options.timeout {
            builder = builder.timeout(timeout);
        }
        let request = builder.build().map_err(|e| Error::InvalidRequest(format!("cannot build the request: {e}")))?;
        Ok(Some(request))
    }
}

/// Sends the requests `make` builds, one per attempt, while `policy` allows, and reads the
/// whole answer. `idempotent` says whether a failure other than 429 may be retried;
/// `hide_url` keeps the URL out of transport errors.
pub(crate) async fn execute<E>(
    inner: &Inner,
    policy: &RetryPolicy,
    idempotent: bool,
    hide_url: bool,
    mut make: impl FnMut() -> Result<Option<reqwest::Request>, Error<E>>,
) -> Result<RawResponse, Error<E>> {
    let transport = |e: reqwest::Error| Error::Transport(if hide_url { e.without_url() } else { e });
    let started = Instant::now();
    let mut attempt = 0;
    let mut outcome: Option<Result<RawResponse, reqwest::Error>> = None;
    loop {
        attempt += 1;
        inner.wait_for_rate_limit(policy).await;
        let Some(request) = make()? else {
            // The body cannot be sent twice: the last answer stands.
            let last = outcome.ok_or_else(|| Error::InvalidRequest("the body was already sent".into()))?;
            return last.map_err(transport);
        };
        let result = match inner.http.execute(request).await {
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                response.bytes().await.map(|body| RawResponse { status, headers, body })
            }
            Err(e) => Err(e),
        };
        let span = tracing::Span::current();
        span.record("attempts", attempt);
        let wait = match &result {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                inner.note_rate_limit(&answer.headers, policy);
                retry_wait(answer, idempotent, policy, attempt)
            }
            // Refused before anything was sent: safe to send again whatever the operation.
            Err(e) if e.is_connect() => Some(policy.backoff_after(attempt)),
            Err(_) if idempotent => Some(policy.backoff_after(attempt)),
            Err(_) => None,
        };
        let in_budget = |wait: Duration| attempt < policy.max_attempts && started.elapsed() + wait <= policy.max_elapsed;
        match wait {
            Some(wait) if in_budget(wait) => {
                let wait_ms = wait.as_millis() as u64;
                match &result {
                    Ok(answer) => tracing::warn!(attempt, status = answer.status.as_u16(), wait_ms, "retrying"),
                    Err(e) => tracing::warn!(attempt, error = %e, wait_ms, "retrying"),
                }
                outcome = Some(result);
                tokio::time::sleep(wait).await;
            }
            _ => return result.map_err(transport),
        }
    }
}

impl Inner {
    /// Waits out a rate-limit window an earlier answer announced as exhausted.
    async fn wait_for_rate_limit(&self, policy: &RetryPolicy) {
        let until = *self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(wait) = until.and_then(|until| until.checked_duration_since(Instant::now())) {
            let wait = wait.min(policy.max_server_wait);
            tracing::info!(wait_ms = wait.as_millis() as u64, "rate limit exhausted; waiting for the window to reset");
            tokio::time::sleep(wait).await;
        }
    }

    /// Remembers `X-RateLimit-Remaining: 0` with its reset time, so the next call waits.
    fn note_rate_limit(&self, headers: &HeaderMap, policy: &RetryPolicy) {
        let remaining = header_value::<u64>(headers, "x-ratelimit-remaining");
        let reset = rate_limit_reset(headers).map(|wait| wait.min(policy.max_server_wait));
        let mut paused = self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *paused = match (remaining, reset) {
            (Some(0), Some(wait)) => Some(Instant::now() + wait),
            _ => None,
        };
    }
}

/// How long to wait before sending again after `answer`, or `None` if it is final.
fn retry_wait(answer: &RawResponse, idempotent: bool, policy: &RetryPolicy, attempt: u32) -> Option<Duration> {
    let status = answer.status.as_u16();
    let retryable = status == 429 || (idempotent && (status == 408 || (500..=599).contains(&status) && status != 501));
    if !retryable {
        return None;
    }
    match server_wait(&answer.headers) {
        Some(wait) if wait > policy.max_server_wait => None,
        Some(wait) => Some(wait),
        None => Some(policy.backoff_after(attempt)),
    }
}

/// The wait an answer asks for: `Retry-After` (seconds or an HTTP date), else `X-RateLimit-Reset`.
fn server_wait(headers: &HeaderMap) -> Option<Duration> {
    let retry_after = headers.get("retry-after").and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(text) = retry_after {
        if let Ok(seconds) = text.parse::<f64>() {
            return Some(Duration::try_from_secs_f64(seconds.max(0.0)).unwrap_or(Duration::MAX));
        }
        if let Some(at) = http_date(text) {
            return Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO));
        }
    }
    rate_limit_reset(headers)
}

/// `X-RateLimit-Reset`: seconds to wait (DatoCMS), or the Unix time the window resets at
/// (Webflow, GitHub); values past 2001 are taken as the latter.
fn rate_limit_reset(headers: &HeaderMap) -> Option<Duration> {
    let value = header_value::<f64>(headers, "x-ratelimit-reset")?;
    if value >= 1e9 {
        let at = SystemTime::UNIX_EPOCH + Duration::try_from_secs_f64(value).ok()?;
        return Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO));
    }
    Duration::try_from_secs_f64(value.max(0.0)).ok()
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's preferred form).
fn http_date(text: &str) -> Option<SystemTime> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else { return None };
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| m == month)? as i64 + 1;
    let (day, year): (i64, i64) = (day.parse().ok()?, year.parse().ok()?);
    let mut clock = time.split(':').map(|p| p.parse::<i64>());
    let (h, m, sec) = (clock.next()?.ok()?, clock.next()?.ok()?, clock.next()?.ok()?);
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = u64::try_from(days * 86_400 + h * 3600 + m * 60 + sec).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// How a parameter's value is written (OpenAPI `style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // An API uses the styles its parameters have.
pub(crate) enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    DeepObject,
    PipeDelimited,
    SpaceDelimited,
}

/// The atoms of a value: a scalar's text, an array's items, an object's keys and values.
fn atoms(value: &serde_json::Value) -> Vec<(Option<String>, String)> {
    match value {
        serde_json::Value::Array(items) => items.iter().filter_map(scalar_text).map(|v| (None, v)).collect(),
        serde_json::Value::Object(members) => {
            members.iter().filter_map(|(k, v)| scalar_text(v).map(|v| (Some(k.clone()), v))).collect()
        }
        other => scalar_text(other).map(|v| (None, v)).into_iter().collect(),
    }
}

/// A value as one string: `1,2`; an object as `k,v,k2,v2`, or exploded `k=v,k2=v2`.
fn joined(value: &serde_json::Value, explode: bool, separator: &str) -> Option<String> {
    let parts: Vec<String> = atoms(value)
        .into_iter()
        .flat_map(|(key, v)| match (key, explode) {
            (Some(k), true) => vec![format!("{k}={v}")],
            (Some(k), false) => vec![k, v],
            (None, _) => vec![v],
        })
        .collect();
    (!parts.is_empty() || matches!(value, serde_json::Value::String(_))).then(|| parts.join(separator))
}

/// The query pairs of one parameter.
fn query_pairs(name: &str, value: &serde_json::Value, style: Style, explode: bool) -> Vec<(String, String)> {
    let separator = match style {
        Style::PipeDelimited => "|",
        Style::SpaceDelimited => " ",
        _ => ",",
    };
    match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::Object(_) if style == Style::DeepObject => {
            atoms(value).into_iter().map(|(k, v)| (format!("{name}[{}]", k.unwrap_or_default()), v)).collect()
        }
        serde_json::Value::Object(_) if explode => {
            atoms(value).into_iter().map(|(k, v)| (k.unwrap_or_default(), v)).collect()
        }
        serde_json::Value::Array(_) if explode => {
            atoms(value).into_iter().map(|(_, v)| (name.to_string(), v)).collect()
        }
        _ => joined(value, false, separator).map(|v| (name.to_string(), v)).into_iter().collect(),
    }
}

/// Encodes a path parameter in the default style (`simple`: `1,2`).
#[allow(dead_code)] // Not every API has path parameters.
pub(crate) fn path_param<T: Serialize + ?Sized, E>(name: &str, value: &T) -> Result<String, Error<E>> {
    path_param_styled(name, value, Style::Simple, false)
}

/// Encodes a path parameter in its style; each value is percent-encoded, so an id of `../x`
/// stays inside its segment.
pub(crate) fn path_param_styled<T: Serialize + ?Sized, E>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error<E>> {
    let value =
        serde_json::to_value(value).map_err(|e| Error::InvalidRequest(format!("path parameter {name}: {e}")))?;
    let atoms: Vec<(Option<String>, String)> =
        atoms(&value).into_iter().map(|(k, v)| (k.as_deref().map(encode_segment), encode_segment(&v))).collect();
    let pair = |k: &Option<String>, v: &str, prefix: &str| match k {
        Some(k) => format!("{k}{prefix}{v}"),
        None => v.to_string(),
    };
    let list = |separator: &str| -> String {
        atoms
            .iter()
            .flat_map(
                |(k, v)| if explode { vec![pair(k, v, "=")] } else { k.iter().cloned().chain([v.clone()]).collect() },
            )
            .collect::<Vec<_>>()
            .join(separator)
    };
    let text = match style {
        Style::Label => format!(".{}", list(if explode { "." } else { "," })),
        Style::Matrix if explode && matches!(value, serde_json::Value::Array(_)) => {
            atoms.iter().map(|(_, v)| format!(";{name}={v}")).collect()
        }
        Style::Matrix if explode && matches!(value, serde_json::Value::Object(_)) => {
            list(";").split(';').map(|p| format!(";{p}")).collect()
        }
        Style::Matrix => format!(";{name}={}", list(",")),
        _ => list(","),
    };
    if text.is_empty() || text == "." || text == ".." {
        return Err(Error::InvalidRequest(format!("path parameter {name} must not be {text:?}")));
    }
    Ok(text)
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An answer, read whole, waiting for the operation to say what it means.
pub(crate) struct Response(RawResponse);

impl Response {
    #[allow(dead_code)] // An API whose every operation has one answer never asks.
    pub(crate) fn status(&self) -> u16 {
        self.0.status.as_u16()
    }

    #[allow(dead_code)] // Not every API documents answer headers.
    pub(crate) fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.0.headers
    }

    /// Parses a JSON body.
    #[allow(dead_code)] // Not every API answers with JSON.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match serde_json::from_slice(&self.0.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(Error::InvalidBody { response: Box::new(self.0), source }),
        }
    }

    /// An answer whose body, if any, says nothing the API describes.
    #[allow(dead_code)] // Not every API has answers without a body.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// The body as bytes.
    #[allow(dead_code)] // Not every API answers with raw bytes.
    pub(crate) fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.0.body)
    }

    /// The body as UTF-8 text.
    #[allow(dead_code)] // Not every API answers with text.
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        match String::from_utf8(self.0.body.to_vec()) {
            Ok(text) => Ok(text),
            Err(_) => Err(Error::InvalidRequest("the answer is not UTF-8 text".into())),
        }
    }

    /// A documented error status whose body the API describes.
    #[allow(dead_code)] // Not every API describes its error bodies.
    pub(crate) fn error_body<E: DeserializeOwned>(self) -> Error<E> {
        self.error_with(|body| serde_json::from_slice(body))
    }

    /// A documented error status with no described body.
    #[allow(dead_code)] // Not every API has such statuses.
    pub(crate) fn error_without_body<E>(self) -> Error<E> {
        let RawResponse { status, headers, body: raw } = self.0;
        Error::Api(Box::new(ApiError { status, headers, body: None, raw }))
    }

    /// A documented error status whose body `parse` reads.
    pub(crate) fn error_with<E>(self, parse: impl FnOnce(&[u8]) -> serde_json::Result<E>) -> Error<E> {
        match parse(&self.0.body) {
            Ok(body) => {
                let RawResponse { status, headers, body: raw } = self.0;
                Error::Api(Box::new(ApiError { status, headers, body: Some(body), raw }))
            }
            Err(source) => Error::InvalidBody { response: Box::new(self.0), source },
        }
    }

    /// A status the API does not document.
    #[allow(dead_code)] // An API whose every operation has a `default` answer has none.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self.0))
    }
}

/// An answer as it came: status, headers and the raw body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A documented error answer.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The parsed body, when the API describes this status's body.
    pub body: Option<E>,
    /// The body as it came.
    pub raw: Bytes,
}

/// Why a call failed. `E` is the operation's documented error body.
///
/// Answers are boxed so that a `Result` stays small on the success path.
#[derive(Debug)]
pub enum Error<E = ()> {
    /// The request could not be built (an invalid header value, a path parameter of `..`).
    InvalidRequest(String),
    /// No answer: connecting, TLS, a timeout, or the connection closing mid-body.
    Transport(reqwest::Error),
    /// The server answered with a status the API documents as an error.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the API does not document.
    UnexpectedStatus(Box<RawResponse>),
    /// The body does not match the schema the API documents for its status.
    InvalidBody { response: Box<RawResponse>, source: serde_json::Error },
    /// A job finished with a failure: its status, and its result parsed as the API's error body.
    JobFailed(Box<ApiError<E>>),
    /// A job was still running when the wait's deadline passed; it may finish later.
    JobTimedOut { job: String, waited: Duration },
}

impl<E> Error<E> {
    /// The status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::JobFailed(e) => Some(e.status),
            Error::UnexpectedStatus(r) | Error::InvalidBody { response: r, .. } => Some(r.status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::JobTimedOut { .. } => None,
        }
    }

    /// The raw body of the answer, when there was one.
    pub fn raw_body(&self) -> Option<&[u8]> {
        match self {
            Error::Api(e) | Error::JobFailed(e) => Some(&e.raw),
            Error::UnexpectedStatus(r) | Error::InvalidBody { response: r, .. } => Some(&r.body),
            _ => None,
        }
    }

    /// The parsed error body of a documented error status.
    pub fn body(&self) -> Option<&E> {
        match self {
            Error::Api(e) | Error::JobFailed(e) => e.body.as_ref(),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let excerpt = |body: &[u8]| {
            let text = String::from_utf8_lossy(body);
            let mut short: String = text.chars().take(200).collect();
            if short.len() < text.len() {
                short.push('…');
            }
            short
        };
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(e) => write!(f, "request failed: {e}"),
            Error::Api(e) => write!(f, "the API answered {}: {}", e.status, excerpt(&e.raw)),
            Error::UnexpectedStatus(r) => write!(f, "unexpected status {}: {}", r.status, excerpt(&r.body)),
            Error::InvalidBody { response, source } => {
                write!(
                    f,
                    "the {} answer does not match the API description ({source}): {}",
                    response.status,
                    excerpt(&response.body)
                )
            }
            Error::JobFailed(e) => write!(f, "the job failed with {}: {}", e.status, excerpt(&e.raw)),
            Error::JobTimedOut { job, waited } => write!(f, "job {job} was still running after {waited:?}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::InvalidBody { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A file: its bytes, and the name and media type it is sent with in a multipart body.
///
/// Where a JSON document describes a value as `format: binary`, the file's bytes are that
/// value's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub name: Option<String>,
    pub content_type: Option<String>,
    content: Content,
}

impl File {
    /// A file held in memory.
    pub fn new(bytes: impl Into<Bytes>) -> File {
        File { name: None, content_type: None, content: Content::from_bytes(bytes) }
    }

    /// A file on disk, read as it is sent, named as on disk. Fails now if it cannot be read.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<File> {
        let path = path.as_ref();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(File { name, content_type: None, content: Content::from_path(path)? })
    }

    /// A file from any [`Content`]: a stream, or bytes or a file with a progress callback.
    pub fn from_content(content: Content) -> File {
        File { name: None, content_type: None, content }
    }

    /// The file name sent with the part (`filename=`).
    pub fn name(mut self, name: impl Into<String>) -> File {
        self.name = Some(name.into());
        self
    }

    /// The media type sent with the part (default `application/octet-stream`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> File {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes, when the file is held in memory.
    pub fn bytes(&self) -> Option<Bytes> {
        self.content.in_memory()
    }
}

impl Serialize for File {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.content.in_memory() {
            Some(bytes) => serializer.serialize_str(&String::from_utf8_lossy(&bytes)),
            None => Err(serde::ser::Error::custom("a file read from disk or a stream cannot be written into JSON; use File::new")),
        }
    }
}

impl<'de> Deserialize<'de> for File {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(File::new(String::deserialize(deserializer)?.into_bytes()))
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug, PartialEq)]
#[allow(dead_code)] // Not every API sends multipart bodies.
pub(crate) struct Part {
    name: String,
    /// File name and media type, for a file part.
    file: Option<(Option<String>, String)>,
    content: Content,
}

impl Part {
    /// The parts of a value: none for `None`, one per item of an array, a scalar's text, and
    /// other values as JSON.
    #[allow(dead_code)] // Not every API sends multipart bodies.
    pub(crate) fn text<T: Serialize + ?Sized>(name: &str, value: &T) -> Vec<Part> {
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let part =
            |v: &serde_json::Value| Part { name: name.to_string(), file: None, content: Content::from_bytes(text(v)) };
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) | Err(_) => Vec::new(),
            Ok(serde_json::Value::Array(items)) => items.iter().filter(|v| !v.is_null()).map(part).collect(),
            Ok(other) => vec![part(&other)],
        }
    }

    /// The parts of a file field: one per file present.
    #[allow(dead_code)] // Not every API sends files.
    pub(crate) fn files<'a>(name: &str, files: impl IntoIterator<Item = &'a File>) -> Vec<Part> {
        files
            .into_iter()
            .map(|f| Part {
                name: name.to_string(),
                file: Some((
                    f.name.clone(),
                    f.content_type.clone().unwrap_or_else(|| "application/octet-stream".into()),
                )),
                content: f.content.clone(),
            })
            .collect()
    }
}

/// A type sent as a `multipart/form-data` body.
#[allow(dead_code)] // Not every API sends multipart bodies.
pub(crate) trait MultipartBody {
    fn parts(&self) -> Vec<Part>;
}

/// The `Content-Type` and body of a multipart body, streamed: a file part is read as it is
/// sent. The boundary is random per body.
#[allow(dead_code)] // Not every API sends multipart bodies.
fn encode_multipart(parts: &[Part]) -> (String, Content) {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_usize(parts.len());
    let boundary = format!("clientgen-{:016x}{:016x}", hasher.finish(), std::process::id());
    // Quotes and line breaks would end a header early.
    let clean = |text: &str| text.replace('"', "%22").replace(['\r', '\n'], " ");
    let mut body = Content::from_bytes(Bytes::new());
    for part in parts {
        let name = clean(&part.name);
        let head = match &part.file {
            Some((file_name, content_type)) => {
                let file_name = clean(file_name.as_deref().unwrap_or(&part.name));
                let content_type = clean(content_type);
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n")
            }
            None => format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body = body.then(Content::from_bytes(head)).then(part.content.clone()).then(Content::from_bytes("\r\n"));
    }
    body = body.then(Content::from_bytes(format!("--{boundary}--\r\n")));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A field that may be left out, sent as `null`, or sent with a value: what a PATCH needs to
/// say "leave unchanged", "clear" and "set".
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: the server keeps what it has.
    #[default]
    Absent,
    /// Sent as `null`: the server clears the field.
    Null,
    /// Sent with a value.
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if one was given.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` means `null`: clear the field.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
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
pub(crate) fn check_max_items<E>(value: &impl ItemCount, name: &str, max: u64) -> Result<(), Error<E>> {
    let count = value.item_count();
    if count as u64 > max {
        return Err(Error::InvalidRequest(format!(
            "`{name}` has {count} items; the API accepts at most {max} in one request (send them in chunks)"
        )));
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

/// The id at `pointer` in an answer that names a job: as text for messages, and as the poll
/// operation's parameter type.
#[allow(dead_code)] // Not every API has jobs.
pub(crate) fn job_id<T: DeserializeOwned, J: Serialize, E>(job: &J, pointer: &str) -> Result<(String, T), Error<E>> {
    let value = serde_json::to_value(job).map_err(|e| Error::InvalidRequest(format!("the job: {e}")))?;
    let id = value.pointer(pointer).cloned().ok_or_else(|| Error::InvalidRequest(format!("the job has no {pointer}")))?;
    let text = id.as_str().map_or_else(|| id.to_string(), str::to_string);
    let typed = serde_json::from_value(id).map_err(|e| Error::InvalidRequest(format!("the job id at {pointer}: {e}")))?;
    Ok((text, typed))
}

/// Polls a job until it finishes, `wait` runs out, or polling fails. A poll answered with one of
/// the `pending` statuses means the job is running. A finished job's own status (at
/// `status_pointer`) says whether the document at `result_pointer` is the result or an error.
#[allow(dead_code)] // Not every API has jobs.
pub(crate) async fn wait_for_job<T, R, E, Poll, Polled>(
    job: String,
    wait: &JobWait,
    pending: &[u16],
    status_pointer: Option<&str>,
    result_pointer: &str,
    mut poll: Poll,
) -> Result<T, Error<E>>
where
    T: DeserializeOwned,
    R: Serialize,
    E: DeserializeOwned,
    Poll: FnMut() -> Polled,
    Polled: std::future::Future<Output = Result<R, Error<E>>>,
{
    let started = Instant::now();
    let mut interval = wait.first;
    let mut polls = 0u32;
    loop {
        let left = wait.deadline.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(Error::JobTimedOut { job, waited: started.elapsed() });
        }
        tokio::time::sleep(interval.min(left)).await;
        polls += 1;
        let answer = match poll().await {
            Ok(answer) => answer,
            Err(e) if e.status().is_some_and(|s| pending.contains(&s.as_u16())) => {
                tracing::debug!(job = %job, polls, "job still running");
                interval = (interval + interval / 2).min(wait.longest);
                continue;
            }
            Err(e) => return Err(e),
        };
        let answer = serde_json::to_value(&answer).map_err(|e| Error::InvalidRequest(format!("the job result: {e}")))?;
        let document = answer.pointer(result_pointer).cloned().unwrap_or(serde_json::Value::Null);
        let raw = Bytes::from(serde_json::to_vec(&document).unwrap_or_default());
        let status = status_pointer.and_then(|p| answer.pointer(p)).and_then(serde_json::Value::as_u64).unwrap_or(200);
        let status = StatusCode::from_u16(u16::try_from(status).unwrap_or(500)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        tracing::debug!(job = %job, polls, status = status.as_u16(), "job finished");
        if !status.is_success() {
            let body = serde_json::from_value(document).ok();
            return Err(Error::JobFailed(Box::new(ApiError { status, headers: HeaderMap::new(), body, raw })));
        }
        return serde_json::from_value(document).map_err(|source| Error::InvalidBody {
            response: Box::new(RawResponse { status, headers: HeaderMap::new(), body: raw }),
            source,
        });
    }
}

/// A documented answer header as its schema's type: a number or boolean as written, anything
/// else as text, and a list from comma-separated values (the `simple` style). `None` when the
/// header is absent or says something the type cannot hold.
#[allow(dead_code)] // Not every API documents answer headers.
pub(crate) fn header_value<T: DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str) -> Option<T> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    let scalar = |text: &str| match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => value,
        _ => serde_json::Value::String(text.to_string()),
    };
    let list = || serde_json::Value::Array(text.split(',').map(|item| scalar(item.trim())).collect());
    serde_json::from_value(scalar(text))
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text.to_string())))
        .or_else(|_| serde_json::from_value(list()))
        .ok()
}

/// Implements the wire form of a string enum that keeps values its API description does not list:
/// `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize`.
#[allow(unused_macros)] // Not every API has string enums.
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::from(value.as_str()))
            }
        }
    };
}
#[allow(unused_imports)] // Not every API has string enums.
pub(crate) use string_enum;

/// The same for an integer enum: `as_i64`, `From<i64>`, `Display`, `Serialize`, `Deserialize`.
#[allow(unused_macros)] // Not every API has integer enums.
macro_rules! int_enum {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? } $other:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $($name::$variant => $wire,)*
                    $name::$other(value) => *value,
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::$other(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                Ok($name::from(<i64 as ::serde::Deserialize>::deserialize(deserializer)?))
            }
        }
    };
}
#[allow(unused_imports)] // Not every API has integer enums.
pub(crate) use int_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(value: serde_json::Value, style: Style, explode: bool) -> Vec<(String, String)> {
        query_pairs("p", &value, style, explode)
    }

    fn strings(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn query_parameters_follow_their_style() {
        assert_eq!(pairs(json!([1, 2]), Style::Form, true), strings(&[("p", "1"), ("p", "2")]));
        assert_eq!(pairs(json!([1, 2]), Style::Form, false), strings(&[("p", "1,2")]));
        assert_eq!(pairs(json!([1, 2]), Style::PipeDelimited, false), strings(&[("p", "1|2")]));
        assert_eq!(pairs(json!([1, 2]), Style::SpaceDelimited, false), strings(&[("p", "1 2")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::Form, true), strings(&[("a", "1"), ("b", "x")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::Form, false), strings(&[("p", "a,1,b,x")]));
        assert_eq!(pairs(json!({"a": 1, "b": "x"}), Style::DeepObject, true), strings(&[("p[a]", "1"), ("p[b]", "x")]));
        assert_eq!(pairs(json!(""), Style::Form, true), strings(&[("p", "")]));
        assert_eq!(pairs(json!(null), Style::Form, true), strings(&[]));
    }

    fn path(value: serde_json::Value, style: Style, explode: bool) -> String {
        path_param_styled::<_, ()>("p", &value, style, explode).expect("encodes")
    }

    #[test]
    fn path_parameters_follow_their_style_and_stay_in_their_segment() {
        assert_eq!(path(json!("../x"), Style::Simple, false), "..%2Fx");
        assert_eq!(path(json!([1, 2]), Style::Simple, false), "1,2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Simple, false), "a,1,b,2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Simple, true), "a=1,b=2");
        assert_eq!(path(json!([1, 2]), Style::Label, false), ".1,2");
        assert_eq!(path(json!([1, 2]), Style::Label, true), ".1.2");
        assert_eq!(path(json!(5), Style::Matrix, false), ";p=5");
        assert_eq!(path(json!([1, 2]), Style::Matrix, true), ";p=1;p=2");
        assert_eq!(path(json!({"a": 1, "b": 2}), Style::Matrix, true), ";a=1;b=2");
        assert_eq!(path(json!("a b/c"), Style::Simple, false), "a%20b%2Fc");
        assert!(path_param::<_, ()>("p", "..").is_err());
    }

    #[test]
    fn multipart_bodies_carry_text_and_file_parts() {
        struct Upload {
            note: Option<String>,
            tags: Vec<String>,
            file: File,
        }
        impl MultipartBody for Upload {
            fn parts(&self) -> Vec<Part> {
                let mut parts = Part::text("note", &self.note);
                parts.extend(Part::text("tags", &self.tags));
                parts.extend(Part::files("file", [&self.file]));
                parts
            }
        }
        let upload = Upload {
            note: None,
            tags: vec!["a".into(), "b".into()],
            file: File::new(&b"\x00bytes"[..]).name("cat.png").content_type("image/png"),
        };
        let (content_type, body) = encode_multipart(&upload.parts());
        let body = body.in_memory().expect("all parts are in memory");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n\x00bytes\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8_lossy(&body), expected);
    }

    #[test]
    fn server_waits_come_from_retry_after_or_the_rate_limit_reset() {
        let at = |text: &str| http_date(text).and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
        assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::from_secs(784_111_777)));
        assert_eq!(at("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), None);
        let wait = |pairs: &[(&'static str, &str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(*name, value.parse().expect("a header value"));
            }
            server_wait(&headers)
        };
        assert_eq!(wait(&[("retry-after", "7")]), Some(Duration::from_secs(7)));
        assert_eq!(wait(&[("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT")]), Some(Duration::ZERO));
        // DatoCMS: seconds to wait. Webflow and GitHub: the Unix time of the reset.
        assert_eq!(wait(&[("x-ratelimit-reset", "3")]), Some(Duration::from_secs(3)));
        let soon = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).expect("after 1970").as_secs() + 30;
        let until = wait(&[("x-ratelimit-reset", &soon.to_string())]).expect("a wait");
        assert!(until > Duration::from_secs(28) && until <= Duration::from_secs(30), "{until:?}");
        assert_eq!(wait(&[("retry-after", "soon")]), None);
    }

    #[test]
    fn backoff_doubles_within_its_bounds() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for (attempt, low, high) in [(1, 50, 100), (2, 100, 200), (3, 150, 300), (30, 150, 300)] {
            let wait = policy.backoff_after(attempt);
            assert!(wait >= Duration::from_millis(low) && wait <= Duration::from_millis(high), "{attempt}: {wait:?}");
        }
    }

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

    #[test]
    fn a_next_page_link_replaces_path_and_query_on_the_same_server_only() {
        let client = ClientBuilder::new("https://api.example.com/v1").build().expect("a client");
        let call = Call { operation: "listItems", path: "/items", authenticated: false, idempotent: true };
        let mut options = CallOptions::default();
        options.set_page_url(reqwest::Url::parse("https://api.example.com/v1/items?page=2&per_page=5").expect("a URL"));
        let mut request = client.request(reqwest::Method::GET, "/items".into(), call, &options);
        request.query("per_page", &5);
        let built = request.build::<()>().expect("builds").expect("a request");
        assert_eq!(built.url().as_str(), "https://api.example.com/v1/items?page=2&per_page=5");

        options.set_page_url(reqwest::Url::parse("https://elsewhere.example.com/items?page=2").expect("a URL"));
        let request = client.request(reqwest::Method::GET, "/items".into(), call, &options);
        assert!(matches!(request.build::<()>(), Err(Error::InvalidRequest(m)) if m.contains("another server")));
    }

    #[test]
    fn answer_headers_parse_as_their_type() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "42".parse().expect("a header value"));
        headers.insert("x-request-id", "123".parse().expect("a header value"));
        headers.insert("x-tags", "a, b".parse().expect("a header value"));
        headers.insert("x-ids", "1,2".parse().expect("a header value"));
        assert_eq!(header_value::<i64>(&headers, "X-RateLimit-Remaining"), Some(42));
        assert_eq!(header_value::<String>(&headers, "x-request-id"), Some("123".to_string()));
        assert_eq!(header_value::<Vec<String>>(&headers, "x-tags"), Some(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(header_value::<Vec<i64>>(&headers, "x-ids"), Some(vec![1, 2]));
        assert_eq!(header_value::<i64>(&headers, "x-tags"), None);
        assert_eq!(header_value::<i64>(&headers, "x-missing"), None);
    }

    #[test]
    fn nullable_reads_three_states() {
        #[derive(Deserialize, Serialize)]
        struct Patch {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            note: Nullable<String>,
        }
        let read = |text: &str| serde_json::from_str::<Patch>(text).expect("parses").note;
        assert_eq!(read("{}"), Nullable::Absent);
        assert_eq!(read("{\"note\": null}"), Nullable::Null);
        assert_eq!(read("{\"note\": \"x\"}"), Nullable::Value("x".to_string()));
        let write = |note| serde_json::to_string(&Patch { note }).expect("writes");
        assert_eq!(write(Nullable::Absent), "{}");
        assert_eq!(write(Nullable::Null), "{\"note\":null}");
    }
}
