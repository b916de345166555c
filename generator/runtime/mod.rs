//! Runtime support for this client: the HTTP client, credentials, errors, and the request and
//! response plumbing every operation uses; the submodules hold parameter styles (`params`),
//! retries (`retry`), lists and jobs (`lists`), wire values (`values`) and large bodies
//! (`transfer`).
//!
//! clientgen writes this folder unchanged into every crate it generates, so the crate builds
//! from crates.io alone.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;

mod credentials;
mod hooks;
mod lists;
mod object;
mod operation;
mod params;
mod retry;
mod streams;
mod transfer;
mod values;

#[allow(unused_imports)] // What an API uses of these depends on the API.
pub(crate) use lists::{paginate, send_in_chunks, wait_for_job, AsStatus, JobDocument};
use lists::check_max_items;
pub use lists::{Chunked, JobWait, SentChunk};
#[allow(unused_imports)] // Not every API has objects.
pub(crate) use object::{keep_member, object, read_member, required, skip_member, Key, Optional};
#[allow(unused_imports)] // Not every API documents answer headers.
pub use operation::AnswerHeaders;
pub use operation::{Operation, Request, WithHeaders};
#[allow(unused_imports)] // Not every API has optional parameters.
pub(crate) use operation::setters;
#[allow(unused_imports)] // Not every API has object bodies.
pub(crate) use operation::{body_setters, MemberValue};
#[allow(unused_imports)] // Not every API has path parameters.
pub(crate) use params::Style;
use lists::next_link;
use params::{joined, query_pairs, scalar_text};
use values::encode_multipart;
pub(crate) use retry::{execute, Answer, Attempts};
pub use hooks::{CallInfo, Hooks, Outcome};
use hooks::HookList;
pub use retry::RetryPolicy;
pub use credentials::{AccessToken, ClientAuth, ClientCredentials, TokenError, TokenSource};
use credentials::TokenCache;
pub use streams::{Event, StreamError, StreamErrorKind};
#[allow(unused_imports)] // Not every API streams.
pub(crate) use streams::{events_of, json_data, text_data};
pub use transfer::Content;
#[allow(unused_imports)] // Used by hand-written upload helpers.
pub(crate) use transfer::multipart_with_file;
#[allow(unused_imports)] // Not every API has enums or multipart bodies.
pub(crate) use values::{int_enum, string_enum, union_from, Closest, MultipartBody, Part};
pub use values::{File, Nullable};

/// A boxed future, as returned by `IntoFuture` on every request builder.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// A boxed stream, as returned by `stream()` on list operations (read it with
/// `futures::StreamExt::next`).
pub type BoxStream<'a, T> = std::pin::Pin<Box<dyn futures_core::Stream<Item = T> + Send + 'a>>;

/// A credential; never shown by `Debug` or in errors.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Redirects are followed on the server they start from only. reqwest strips `Authorization`
/// and `Cookie` when a redirect leaves it, but not API-key headers, default headers or keys in
/// the query; so a redirect to another origin is not followed, and its 3xx answer is returned
/// (with its `Location`) for the caller to decide.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() >= 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
}

/// A default header: its value is shown by `Debug` unless the header carries a credential.
#[derive(Clone)]
struct DefaultHeader {
    name: String,
    value: String,
    secret: bool,
}

impl fmt::Debug for DefaultHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.secret { &"<redacted>" } else { &self.value };
        f.debug_tuple("Header").field(&self.name).field(value).finish()
    }
}

/// Whether a header's name says it carries a credential (`Authorization`, `X-Api-Key`,
/// `X-Auth-Token`, `Cookie`…): its value is then never shown.
fn names_a_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["authorization", "cookie", "api-key", "apikey", "api_key", "token", "secret", "password", "session", "signature"]
        .iter()
        .any(|word| name.contains(word))
        || name.ends_with("-key")
}

#[derive(Clone, Debug)]
enum Credentials {
    Bearer(Secret),
    /// Bearer tokens from a source, renewed as they expire.
    Renewed(Arc<TokenCache>),
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
    /// Every credential configured: an API whose operations accept different schemes gets each.
    credentials: Vec<Credentials>,
    headers: HeaderMap,
    retry: RetryPolicy,
    /// The largest answer body read.
    max_body_bytes: u64,
    /// Set when an answer said no requests remain until the rate-limit window resets.
    paused_until: Mutex<Option<Instant>>,
    /// The user's code run around each attempt, in order.
    hooks: HookList,
}

/// Per-call settings every request builder carries (`retry_policy`, `request_timeout`).
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    /// The largest answer body this call reads, instead of the client's.
    max_body_bytes: Option<u64>,
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

    pub(crate) fn set_max_body_bytes(&mut self, limit: u64) {
        self.max_body_bytes = Some(limit);
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

/// What the generated code knows about an operation, for retries and tracing.
#[derive(Clone, Copy, Debug)]
pub struct Call {
    pub(crate) method: Method,
    pub(crate) operation: &'static str,
    /// The path template (`/uploads/{upload_id}`): traced without the caller's values.
    pub(crate) path: &'static str,
    pub(crate) authenticated: bool,
    pub(crate) idempotent: bool,
}

impl Call {
    /// An operation sent with the client's credentials, idempotent as its method is.
    pub(crate) const fn new(method: Method, operation: &'static str, path: &'static str) -> Call {
        let idempotent = !matches!(method, Method::Post | Method::Patch);
        Call { method, operation, path, authenticated: true, idempotent }
    }

    /// Sent without credentials (the operation's `security` is empty).
    #[allow(dead_code)] // Not every API has such operations.
    pub(crate) const fn anonymous(self) -> Call {
        Call { authenticated: false, ..self }
    }

    /// Idempotent or not whatever its method (`x-clientgen-idempotent`).
    #[allow(dead_code)] // Not every API says so.
    pub(crate) const fn idempotent(self, idempotent: bool) -> Call {
        Call { idempotent, ..self }
    }
}

/// The common methods' operations, each named by its method.
#[allow(dead_code)] // An API uses only some methods.
impl Call {
    pub(crate) const fn get(operation: &'static str, path: &'static str) -> Call {
        Call::new(Method::Get, operation, path)
    }

    pub(crate) const fn put(operation: &'static str, path: &'static str) -> Call {
        Call::new(Method::Put, operation, path)
    }

    pub(crate) const fn post(operation: &'static str, path: &'static str) -> Call {
        Call::new(Method::Post, operation, path)
    }

    pub(crate) const fn delete(operation: &'static str, path: &'static str) -> Call {
        Call::new(Method::Delete, operation, path)
    }

    pub(crate) const fn patch(operation: &'static str, path: &'static str) -> Call {
        Call::new(Method::Patch, operation, path)
    }
}

/// An HTTP method, as an operation's constant description names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // An API uses only some methods.
pub(crate) enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Options => reqwest::Method::OPTIONS,
            Method::Head => reqwest::Method::HEAD,
            Method::Patch => reqwest::Method::PATCH,
            Method::Trace => reqwest::Method::TRACE,
        }
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    base_url: String,
    credentials: Vec<Credentials>,
    /// OAuth client credentials, given the client's HTTP client when it is built.
    client_credentials: Option<ClientCredentials>,
    hooks: HookList,
    headers: Vec<DefaultHeader>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_body_bytes: u64,
}

/// The largest answer body read by default: generous for JSON, and a bound on what a server
/// can make the client hold in memory.
const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

impl ClientBuilder {
    pub(crate) fn new(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            http: None,
            base_url: base_url.to_string(),
            credentials: Vec::new(),
            client_credentials: None,
            hooks: HookList::default(),
            headers: Vec::new(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// How failed calls are retried ([`RetryPolicy::default`] unless set; a request builder's
    /// `retry_policy` overrides it for one call).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Bearer tokens from `source`, asked for when the client has none, or only one that
    /// expires within 30 seconds (or half its lifetime) or that the API refused: a call
    /// answered 401 is sent once more with a new token. Calls waiting for a token share one
    /// fetch. Replaces any other `Authorization` credential.
    pub fn token_source(mut self, source: impl TokenSource) -> Self {
        self.drop_authorization();
        self.credentials.push(Credentials::Renewed(Arc::new(TokenCache::new(source))));
        self
    }

    /// OAuth 2.0 client credentials ([`ClientCredentials`]): tokens renewed as
    /// [`token_source`](Self::token_source) says, fetched with this client's HTTP client unless
    /// the credentials were given their own.
    pub fn client_credentials(mut self, credentials: ClientCredentials) -> Self {
        self.drop_authorization();
        self.client_credentials = Some(credentials);
        self
    }

    /// Runs `hooks` around every attempt of every call, after those given before: metrics,
    /// request signing, headers of your own ([`Hooks`]).
    pub fn hooks(mut self, hooks: impl Hooks) -> Self {
        self.hooks.0.push(Arc::new(hooks));
        self
    }

    /// Forgets the credential that would go in `Authorization`: there is one.
    fn drop_authorization(&mut self) {
        self.client_credentials = None;
        self.credentials
            .retain(|c| !matches!(c, Credentials::Bearer(_) | Credentials::Basic { .. } | Credentials::Renewed(_)));
    }

    /// The URL every path is appended to, for example a mock server or another region.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Sends `Authorization: Bearer <token>` (instead of basic authentication, if that was set).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.drop_authorization();
        self.credentials.push(Credentials::Bearer(Secret(token.into())));
        self
    }

    /// Sends HTTP basic authentication (instead of a bearer token, if one was set).
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.drop_authorization();
        self.credentials.push(Credentials::Basic { username: username.into(), password: Secret(password.into()) });
        self
    }

    /// Sends an API key under `name` in the given place, beside any other credential set (an
    /// API whose operations accept different schemes gets each).
    pub fn api_key_in(mut self, location: KeyLocation, name: impl Into<String>, key: impl Into<String>) -> Self {
        let name = name.into();
        self.credentials.retain(|c| !matches!(c, Credentials::Key { location: l, name: n, .. } if *l == location && *n == name));
        self.credentials.push(Credentials::Key { location, name, key: Secret(key.into()) });
        self
    }

    /// The largest answer body the client reads (64 MiB unless set); a
    /// longer one ends the call with [`Error::BodyTooLarge`] as soon as it is known to be.
    pub fn max_body_bytes(mut self, limit: u64) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Adds a header sent with every request. Its value is hidden from `Debug` and traces when
    /// its name says it is a credential (`Authorization`, `*-Api-Key`, `*Token*`, `*Secret*`,
    /// `Cookie`…); [`ClientBuilder::secret_header`] hides any other.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        let secret = names_a_secret(&name);
        self.headers.push(DefaultHeader { name, value: value.into(), secret });
        self
    }

    /// Adds a header sent with every request whose value is never shown (`Debug`, traces).
    pub fn secret_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push(DefaultHeader { name: name.into(), value: value.into(), secret: true });
        self
    }

    /// Limits how long a whole request may take (default 60 s); `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` sent with every request, instead of `<crate>/<version>`.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.headers.retain(|h| !h.name.eq_ignore_ascii_case("user-agent"));
        self.header("User-Agent", agent)
    }

    /// Limits how long connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Uses a `reqwest::Client` configured by the caller (proxies, TLS, middleware); the
    /// builder's timeouts then do not apply, nor its redirect policy: give that client
    /// `redirect::Policy::none()` (or one that stays on one origin) and `referer(false)` if
    /// redirects could lead elsewhere, since reqwest's default forwards API-key headers.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let mut headers = HeaderMap::new();
        for header in &self.headers {
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("invalid header name {:?}", header.name)))?;
            let mut value = HeaderValue::from_str(&header.value)
                .map_err(|_| Error::InvalidRequest(format!("invalid value for header {name}")))?;
            // `HeaderMap`'s `Debug` shows sensitive values as `Sensitive`.
            value.set_sensitive(header.secret);
            headers.append(name, value);
        }
        // Some APIs (GitHub) refuse requests without a `User-Agent`: this crate's name and
        // version, unless the caller set one (`.header("User-Agent", …)` or `user_agent`).
        headers
            .entry(reqwest::header::USER_AGENT)
            .or_insert(HeaderValue::from_static(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))));
        let http = match self.http {
            Some(http) => http,
            None => {
                // With ring's cryptography chosen, rustls needs it installed as the process's
                // provider, unless the program installed one of its own.
                #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
                if rustls::crypto::CryptoProvider::get_default().is_none() {
                    // Another thread may have installed one meanwhile: either serves. rustls
                    // 0.23.48 deprecates ring's provider for its lack of post-quantum key
                    // exchange; the `rustls-aws-lc` feature is the choice for that.
                    #[allow(deprecated)]
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                let mut builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .redirect(same_origin_redirects())
                    // A `Referer` would carry the query (an API key in it too) to the next host.
                    .referer(false);
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(Error::Transport)?
            }
        };
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let mut credentials = self.credentials;
        if let Some(oauth) = self.client_credentials {
            let oauth = oauth.with_default_http(&http);
            credentials.push(Credentials::Renewed(Arc::new(TokenCache::new(oauth))));
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                headers,
                retry: self.retry,
                max_body_bytes: self.max_body_bytes,
                paused_until: Mutex::new(None),
                hooks: self.hooks,
            }),
        })
    }
}

/// Appends a fixed part of a path template, leaving out any `{placeholder}` no parameter
/// filled (the document named it in the path but declared no such parameter).
fn push_fixed(path: &mut String, mut fixed: &str) {
    while let Some(open) = fixed.find('{') {
        let Some(close) = fixed[open..].find('}') else { break };
        path.push_str(&fixed[..open]);
        fixed = &fixed[open + close + 1..];
    }
    path.push_str(fixed);
}

impl Client {
    /// The URL paths are appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A request for `call`, its path and parameters to be added by the operation.
    pub(crate) fn outgoing(&self, call: Call, options: CallOptions) -> Outgoing<'_> {
        Outgoing {
            client: self,
            path: String::new(),
            template: call.path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            call,
            options,
            error: None,
        }
    }
}

/// One request being put together by an operation.
pub struct Outgoing<'a> {
    client: &'a Client,
    /// The path after the base URL, up to the last parameter written.
    path: String,
    /// What is left of the call's path template (`/uploads/{upload_id}/versions`) after it.
    template: &'static str,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    cookies: Vec<String>,
    body: Option<(String, Content)>,
    call: Call,
    options: CallOptions,
    /// The first thing that made the request impossible to build, reported by `send`.
    error: Option<String>,
}

impl Outgoing<'_> {
    /// Refuses the request when the body's `name` array has more items than the API accepts in
    /// one request.
    #[allow(dead_code)] // Not every API limits its arrays.
    pub(crate) fn limit_items(&mut self, value: &impl lists::ItemCount, name: &str, max: u64) {
        if let Err(message) = check_max_items(value, name, max) {
            self.fail(message);
        }
    }

    /// Puts a path parameter (`simple` style, not exploded), percent-encoded, in its place.
    #[allow(dead_code)] // Not every API has path parameters.
    pub(crate) fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        self.path_param_styled(name, value, Style::Simple, false);
    }

    /// Puts a path parameter written in its OpenAPI `style`, percent-encoded, in place of the
    /// template's next `{name}`. Parameters are written in the template's order.
    #[allow(dead_code)] // Not every API has styled path parameters.
    pub(crate) fn path_param_styled<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style, explode: bool) {
        let segment = match params::path_segment(name, value, style, explode) {
            Ok(segment) => segment,
            Err(message) => return self.fail(message),
        };
        let placeholder = format!("{{{name}}}");
        if let Some(at) = self.template.find(&placeholder) {
            push_fixed(&mut self.path, &self.template[..at]);
            self.template = &self.template[at + placeholder.len()..];
        }
        self.path.push_str(&segment);
    }

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

    /// Sets a header, replacing what a parameter put under the same name (the `Accept` a
    /// stream asks for).
    #[allow(dead_code)] // Only streams set headers over the operation's.
    pub(crate) fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Adds a header parameter, exploded (`k=v,k2=v2`) or not.
    #[allow(dead_code)] // Not every API has exploded header parameters.
    pub(crate) fn header_styled<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, explode: bool) {
        match serde_json::to_value(value) {
            Ok(value) => self.headers.extend(joined(&value, explode, ",").map(|v| (name.to_string(), v))),
            Err(e) => self.fail(format!("header {name}: {e}")),
        }
    }

    /// Adds a header parameter written as JSON text (described by `content: {application/json}`).
    #[allow(dead_code)] // Not every API has such headers.
    pub(crate) fn header_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.headers.push((name.to_string(), text)),
            Err(e) => self.fail(format!("header {name}: {e}")),
        }
    }

    /// Adds a cookie parameter written as JSON text, percent-encoded so that it stays one cookie.
    #[allow(dead_code)] // Not every API has such cookies.
    pub(crate) fn cookie_json<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.cookies.push(format!("{name}={}", params::encode_segment(&text))),
            Err(e) => self.fail(format!("cookie {name}: {e}")),
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
        match self.send_open(false).await? {
            Answer::Whole(answer) => Ok(Response(answer)),
            Answer::Open(_) => Err(Error::InvalidRequest("an answer asked for whole came open".into())),
        }
    }

    /// Sends the request as [`send`](Self::send) does, leaving a successful answer unread when
    /// `open`: an error status is still read whole (and retried as the policy says).
    pub(crate) async fn send_open<E>(self, open: bool) -> Result<Answer, Error<E>> {
        use tracing::Instrument;
        let inner = &self.client.inner;
        let method = self.call.method.to_reqwest();
        // OpenTelemetry's names for HTTP client spans. The path is its template: the path itself
        // holds the caller's values (ids, names), which a trace does not need to carry.
        let server = reqwest::Url::parse(&inner.base_url).ok();
        let span = tracing::info_span!(
            "request",
            otel.name = format!("{method} {}", self.call.path),
            otel.kind = "client",
            operation = self.call.operation,
            http.request.method = %method,
            url.template = self.call.path,
            server.address = server.as_ref().and_then(|url| url.host_str()).unwrap_or(""),
            server.port = server.as_ref().and_then(reqwest::Url::port_or_known_default),
            http.response.status_code = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
        );
        let policy = self.options.retry.as_ref().unwrap_or(&inner.retry);
        let limit = self.options.max_body_bytes.unwrap_or(inner.max_body_bytes);
        let renewed = inner.credentials.iter().find_map(|c| match c {
            Credentials::Renewed(cache) if self.call.authenticated => Some(cache),
            _ => None,
        });
        let mut token = match renewed {
            Some(cache) => Some(cache.token(None).instrument(span.clone()).await.map_err(Error::Credentials)?),
            None => None,
        };
        let call = CallInfo { operation: self.call.operation, method, path_template: self.call.path, attempt: 1 };
        let flags = Attempts { idempotent: self.call.idempotent, hide_url: self.hides_url(), open, call: Some(call) };
        let mut answer =
            execute(inner, policy, &flags, limit, || self.build(token.as_deref())).instrument(span.clone()).await?;
        // A token refused (revoked, or expired early) is renewed once and the call sent again.
        if let (Some(cache), Answer::Whole(refused)) = (renewed, &answer) {
            if refused.status == StatusCode::UNAUTHORIZED {
                token = Some(cache.token(token.as_deref()).instrument(span.clone()).await.map_err(Error::Credentials)?);
                answer = execute(inner, policy, &flags, limit, || self.build(token.as_deref())).instrument(span).await?;
            }
        }
        if let Some(slot) = &self.options.next_link {
            let headers = match &answer {
                Answer::Whole(answer) => &answer.headers,
                Answer::Open(response) => response.headers(),
            };
            let base = self.options.page_url.clone().or_else(|| reqwest::Url::parse(&inner.base_url).ok());
            let link = base.and_then(|base| next_link(headers, &base));
            *slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = link;
        }
        Ok(answer)
    }

    /// Whether the URL carries a secret (an API key in the query), and so is left out of errors.
    fn hides_url(&self) -> bool {
        self.call.authenticated
            && self.client.inner.credentials.iter().any(|c| matches!(c, Credentials::Key { location: KeyLocation::Query, .. }))
    }

    /// A `reqwest::Request` for one attempt, or `None` when the body cannot be sent again (a
    /// stream already read by an earlier attempt).
    fn build<E>(&self, token: Option<&str>) -> Result<Option<reqwest::Request>, Error<E>> {
        if let Some(message) = &self.error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let inner = &self.client.inner;
        let mut path = self.path.clone();
        push_fixed(&mut path, self.template);
        let mut url = reqwest::Url::parse(&format!("{}{path}", inner.base_url))
            .map_err(|e| Error::InvalidRequest(format!("invalid URL {}{path}: {e}", inner.base_url)))?;
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
            // A linked page's URL carries its own query.
            let own_query = if page.is_none() { self.query.as_slice() } else { &[] };
            for (name, value) in own_query {
                query.append_pair(name, value);
            }
            for credential in inner.credentials.iter().filter(|_| self.call.authenticated) {
                if let Credentials::Key { location: KeyLocation::Query, name, key } = credential {
                    query.append_pair(name, &key.0);
                }
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        let mut builder = inner.http.request(self.call.method.to_reqwest(), url).headers(inner.headers.clone());
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut cookies = self.cookies.clone();
        for credential in inner.credentials.iter().filter(|_| self.call.authenticated) {
            if let Credentials::Key { location: KeyLocation::Cookie, name, key } = credential {
                cookies.push(format!("{name}={}", key.0));
            }
        }
        if !cookies.is_empty() {
            builder = builder.header("cookie", cookies.join("; "));
        }
        if self.call.authenticated {
            for credential in &inner.credentials {
                builder = match credential {
                    Credentials::Bearer(token) => builder.bearer_auth(&token.0),
                    Credentials::Renewed(_) => match token {
                        Some(token) => builder.bearer_auth(token),
                        None => builder,
                    },
                    Credentials::Basic { username, password } => builder.basic_auth(username, Some(&password.0)),
                    Credentials::Key { location: KeyLocation::Header, name, key } => {
                        builder.header(name.as_str(), key.0.as_str())
                    }
                    _ => builder,
                };
            }
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

/// An answer, read whole, waiting for the operation to say what it means.
pub struct Response(RawResponse);

impl Response {
    #[allow(dead_code)] // An API whose every operation has one answer never asks.
    pub(crate) fn status(&self) -> u16 {
        self.0.status.as_u16()
    }

    #[allow(dead_code)] // Not every API documents answer headers.
    pub(crate) fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.0.headers
    }

    /// The media type the server says the body is, lowercased, without parameters.
    fn media_type(&self) -> String {
        media_type(&self.0.headers)
    }

    /// Whether the server sent no body at all (or only whitespace).
    #[allow(dead_code)] // Only operations with undocumented successes ask.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.body.iter().all(u8::is_ascii_whitespace)
    }

    fn invalid<T, E>(self, source: BodyError) -> Result<T, Error<E>> {
        Err(Error::InvalidBody { response: Box::new(self.0), source })
    }

    /// Parses a JSON body. A body the server sent as text (`text/plain`) is also read as the
    /// JSON string it would be, so a documented string arrives whole either way.
    #[allow(dead_code)] // Not every API answers with JSON.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match decode(&self.0.body) {
            Ok(value) => Ok(value),
            Err(error) => {
                if self.media_type().starts_with("text/") {
                    if let Ok(text) = std::str::from_utf8(&self.0.body) {
                        if let Ok(value) = serde_json::from_value(serde_json::Value::String(text.to_string())) {
                            return Ok(value);
                        }
                    }
                }
                self.invalid(error)
            }
        }
    }

    /// A success status the operation does not document: the documented success when the body
    /// reads as it, or when there is no body and the type needs none (`Option`, `()`).
    #[allow(dead_code)] // Not every operation has a body to read.
    pub(crate) fn json_or_empty<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        if !self.is_empty() {
            return self.json();
        }
        match serde_json::from_value(serde_json::Value::Null) {
            Ok(value) => Ok(value),
            Err(_) => {
                let message = "no body, where the API describes one".to_string();
                self.invalid(BodyError { path: ".".into(), message, source: None })
            }
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

    /// The body as text: UTF-8 as sent, or the string a JSON answer holds when the server sent
    /// JSON (`"text"`) where the API describes text.
    #[allow(dead_code)] // Not every API answers with text.
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        let media = self.media_type();
        if media == "application/json" || media.ends_with("+json") {
            if let Ok(serde_json::Value::String(text)) = serde_json::from_slice(&self.0.body) {
                return Ok(text);
            }
        }
        match std::str::from_utf8(&self.0.body) {
            Ok(text) => Ok(text.to_string()),
            Err(e) => {
                let message = format!("the body is not UTF-8 text (byte {})", e.valid_up_to());
                self.invalid(BodyError { path: ".".into(), message, source: None })
            }
        }
    }

    /// An error status: its body parsed as the API's error type when it reads as one, else
    /// `None`, with the raw body kept either way.
    #[allow(dead_code)] // Not every API describes its error bodies.
    pub(crate) fn error_body<E: DeserializeOwned>(self) -> Error<E> {
        self.error_with(decode)
    }

    /// A documented error status with no described body.
    #[allow(dead_code)] // Not every API has such statuses.
    pub(crate) fn error_without_body<E>(self) -> Error<E> {
        self.api_error(None)
    }

    /// An error status whose body reads as `B`, one alternative of the operation's error enum,
    /// which `wrap` makes; a body that does not read as it is kept raw.
    #[allow(dead_code)] // Not every API documents several error bodies.
    pub(crate) fn error_as<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        self.error_with(|body| decode(body).map(wrap))
    }

    /// An error status whose body `parse` reads; a body it cannot read is kept raw.
    pub(crate) fn error_with<E>(self, parse: impl FnOnce(&[u8]) -> Result<E, BodyError>) -> Error<E> {
        let body = if self.is_empty() { None } else { parse(&self.0.body).ok() };
        self.api_error(body)
    }

    /// An [`Error::Api`] keeping the answer's status, headers and raw body.
    fn api_error<E>(self, body: Option<E>) -> Error<E> {
        let RawResponse { status, headers, body: raw } = self.0;
        Error::Api(Box::new(ApiError { status, headers, body, raw }))
    }

    /// A status the API does not document.
    #[allow(dead_code)] // An API whose every operation has a `default` answer has none.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self.0))
    }

    /// An error status the operation does not document: an [`Error::Api`] when its body reads
    /// as the API's error type, else [`Error::UnexpectedStatus`].
    #[allow(dead_code)] // Not every API has an error type.
    pub(crate) fn undocumented_error<E: DeserializeOwned>(self) -> Error<E> {
        if self.0.status.is_success() || self.is_empty() {
            return self.unexpected();
        }
        match decode(&self.0.body) {
            Ok(body) => self.api_error(Some(body)),
            Err(_) => self.unexpected(),
        }
    }
}

/// The media type `Content-Type` names, lowercased, without parameters.
fn media_type(headers: &HeaderMap) -> String {
    let value = headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    value.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// Parses JSON, saying where in the document it stops matching the type.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(BodyError::from)?;
    reader.end().map_err(|e| BodyError { path: ".".into(), message: e.to_string(), source: Some(e) })?;
    Ok(value)
}

/// [`decode`] for a JSON value already parsed.
pub(crate) fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, BodyError> {
    serde_path_to_error::deserialize(value).map_err(BodyError::from)
}

/// Why an answer's body is not what the API describes: where in it, and what was found.
#[derive(Debug)]
pub struct BodyError {
    path: String,
    message: String,
    source: Option<serde_json::Error>,
}

impl BodyError {
    /// The member where reading stopped, as `data.attributes.created_at` or `items[2].id`;
    /// `.` for the body as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was expected and what came, as serde_json says it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<serde_path_to_error::Error<serde_json::Error>> for BodyError {
    fn from(error: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = error.path().to_string();
        let source = error.into_inner();
        BodyError { path, message: source.to_string(), source: Some(source) }
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// An answer as it came: status, headers and the raw body. `Debug` shows the start of the body
/// and hides headers that carry credentials (`Set-Cookie` among them).
#[derive(Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A documented error answer (`Debug` as for [`RawResponse`]).
#[derive(Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The parsed body, when it reads as the API's error type.
    pub body: Option<E>,
    /// The body as it came.
    pub raw: Bytes,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body", &ShownBody(&self.body))
            .finish()
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body", &self.body)
            .field("raw", &ShownBody(&self.raw))
            .finish()
    }
}

/// Answer headers for `Debug`: those carrying credentials show as `<redacted>`.
struct ShownHeaders<'h>(&'h HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            let hidden = value.is_sensitive() || name.as_str() == "set-cookie" || names_a_secret(name.as_str());
            let shown: &dyn fmt::Debug = if hidden { &"<redacted>" } else { value };
            map.entry(&name.as_str(), shown);
        }
        map.finish()
    }
}

/// A body for `Debug` and `Display`: its first bytes, and how long it is.
struct ShownBody<'b>(&'b [u8]);

impl ShownBody<'_> {
    const SHOWN: usize = 200;

    /// The first characters, with `…` when there is more; converts only what it shows.
    fn excerpt(&self) -> String {
        let head = &self.0[..self.0.len().min(Self::SHOWN * 4)];
        let text = String::from_utf8_lossy(head);
        let mut short: String = text.chars().take(Self::SHOWN).collect();
        if short.len() < self.0.len() {
            short.push('…');
        }
        short
    }
}

impl fmt::Debug for ShownBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({} bytes)", self.excerpt(), self.0.len())
    }
}

/// Why a call failed. `E` is the operation's documented error body.
///
/// Answers are boxed so that a `Result` stays small on the success path. New kinds of failure
/// can be added in a minor version, so a `match` on it needs a `_` arm.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request could not be built (an invalid header value, a path parameter of `..`).
    InvalidRequest(String),
    /// No answer: connecting, TLS, a timeout, or the connection closing mid-body.
    Transport(reqwest::Error),
    /// The server answered with an error status the API documents, or one whose body reads as
    /// the API's error type.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the API does not document.
    UnexpectedStatus(Box<RawResponse>),
    /// The body does not match the schema the API documents for its status.
    InvalidBody { response: Box<RawResponse>, source: BodyError },
    /// A job finished with a failure: its status, and its result parsed as the API's error body.
    JobFailed(Box<ApiError<E>>),
    /// A job was still running when the wait's deadline passed; it may finish later.
    JobTimedOut { job: String, waited: Duration },
    /// The answer's body is longer than the client reads ([`ClientBuilder::max_body_bytes`]);
    /// it was not read further.
    BodyTooLarge { status: StatusCode, limit: u64 },
    /// A paged list does not end: a page names one already read, or empty pages keep naming
    /// more. The items before it were all delivered.
    Paging(String),
    /// A streamed answer (events or lines) broke off, sent an error event, or held a value that
    /// does not match the API description. The values before it were all delivered.
    Stream(Box<StreamError>),
    /// No token could be had from the client's token source; nothing was sent to the API.
    Credentials(TokenError),
}

impl<E> Error<E> {
    /// The status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) | Error::JobFailed(e) => Some(e.status),
            Error::UnexpectedStatus(r) | Error::InvalidBody { response: r, .. } => Some(r.status),
            Error::Transport(e) => e.status(),
            Error::BodyTooLarge { status, .. } => Some(*status),
            Error::InvalidRequest(_) | Error::JobTimedOut { .. } | Error::Paging(_) | Error::Stream(_) | Error::Credentials(_) => None,
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
        let excerpt = |body: &[u8]| ShownBody(body).excerpt();
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
            Error::Paging(why) => write!(f, "the list's pages do not end: {why}"),
            Error::Stream(e) => e.fmt(f),
            Error::Credentials(e) => e.fmt(f),
            Error::BodyTooLarge { status, limit } => {
                write!(f, "the {status} answer's body is longer than the {limit} bytes the client reads")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::InvalidBody { source, .. } => Some(source),
            Error::Stream(e) => Some(e.as_ref()),
            Error::Credentials(e) => Some(e),
            _ => None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing<'c>(client: &'c Client, call: Call, options: CallOptions) -> Outgoing<'c> {
        client.outgoing(call, options)
    }

    #[test]
    fn path_parameters_take_their_places_in_the_template() {
        let client = ClientBuilder::new("https://api.example.com/v1").build().expect("a client");
        let call = Call::new(Method::Get, "getVersion", "/files/{file_id}/versions/{n}/{unknown}.json");
        let mut request = client.outgoing(call, CallOptions::default());
        request.path_param("file_id", "a b/c");
        request.path_param("n", &3);
        let built = request.build::<()>(None).expect("builds").expect("a request");
        assert_eq!(built.url().as_str(), "https://api.example.com/v1/files/a%20b%2Fc/versions/3/.json");
        let unclosed = Call::new(Method::Get, "odd", "/odd/{x");
        let built = client.outgoing(unclosed, CallOptions::default()).build::<()>(None).expect("builds").expect("a request");
        assert_eq!(built.url().path(), "/v1/odd/%7Bx");
    }

    #[test]
    fn a_next_page_link_replaces_path_and_query_on_the_same_server_only() {
        let client = ClientBuilder::new("https://api.example.com/v1").build().expect("a client");
        let call = Call::new(Method::Get, "listItems", "/items").anonymous();
        let mut options = CallOptions::default();
        options.set_page_url(reqwest::Url::parse("https://api.example.com/v1/items?page=2&per_page=5").expect("a URL"));
        let mut request = outgoing(&client, call, options.clone());
        request.query("per_page", &5);
        let built = request.build::<()>(None).expect("builds").expect("a request");
        assert_eq!(built.url().as_str(), "https://api.example.com/v1/items?page=2&per_page=5");

        options.set_page_url(reqwest::Url::parse("https://elsewhere.example.com/items?page=2").expect("a URL"));
        let request = outgoing(&client, call, options.clone());
        assert!(matches!(request.build::<()>(None), Err(Error::InvalidRequest(m)) if m.contains("another server")));
    }

    #[test]
    fn credential_headers_never_show_in_debug() {
        let builder = ClientBuilder::new("https://api.example.com")
            .header("X-Api-Key", "key-in-a-header")
            .header("X-Auth-Token", "token-in-a-header")
            .header("Cookie", "session=cookie-value")
            .secret_header("X-Tenant", "secret-tenant")
            .header("X-Request-Source", "shown");
        let shown = format!("{builder:?}");
        let client = builder.build().expect("a client");
        let shown = format!("{shown}\n{client:?}");
        for secret in ["key-in-a-header", "token-in-a-header", "cookie-value", "secret-tenant"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("shown"), "{shown}");
    }

    #[test]
    fn every_request_says_which_client_sent_it() {
        let call = Call::new(Method::Get, "listItems", "/items").anonymous();
        let agent = |client: &Client| {
            let request = outgoing(client, call, CallOptions::default());
            let built = request.build::<()>(None).expect("builds").expect("a request");
            let agents: Vec<String> = built
                .headers()
                .get_all(reqwest::header::USER_AGENT)
                .iter()
                .map(|v| v.to_str().unwrap_or_default().to_string())
                .collect();
            agents
        };
        let default = ClientBuilder::new("https://api.example.com").build().expect("a client");
        assert_eq!(agent(&default), [concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))]);
        let own = ClientBuilder::new("https://api.example.com").user_agent("a").user_agent("mine/2").build().expect("a client");
        assert_eq!(agent(&own), ["mine/2"]);
    }

    #[test]
    fn every_configured_credential_goes_with_an_authenticated_call() {
        let client = ClientBuilder::new("https://api.example.com")
            .api_key_in(KeyLocation::Header, "X-Api-Key", "old-key")
            .bearer_token("a-token")
            .api_key_in(KeyLocation::Header, "X-Api-Key", "a-key")
            .api_key_in(KeyLocation::Query, "key", "q-key")
            .build()
            .expect("a client");
        let call = Call::new(Method::Get, "getPet", "/pets/1");
        let request = outgoing(&client, call, CallOptions::default());
        let built = request.build::<()>(None).expect("builds").expect("a request");
        assert_eq!(built.headers().get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer a-token"));
        let keys: Vec<&str> = built.headers().get_all("x-api-key").iter().filter_map(|v| v.to_str().ok()).collect();
        assert_eq!(keys, ["a-key"], "setting a key again replaces it");
        assert_eq!(built.url().query(), Some("key=q-key"));
        let open = call.anonymous();
        let request = outgoing(&client, open, CallOptions::default());
        let built = request.build::<()>(None).expect("builds").expect("a request");
        assert!(built.headers().get("authorization").is_none() && built.url().query().is_none());
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

}
