//! Retries: the policy, the attempt loop every call goes through, and the waits servers ask for
//! (`Retry-After`, `X-RateLimit-*`).

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;

use super::hooks::{CallInfo, Outcome};
use super::{header_value, Error, Inner, RawResponse};

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

    /// How many times a call is sent at most.
    #[allow(dead_code)] // Read by event streams, which not every API has.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
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

/// What [`execute`] ends with: an answer read whole, or a successful one left open to be read
/// as it arrives (a stream of events, lines or bytes).
pub(crate) enum Answer {
    Whole(RawResponse),
    Open(reqwest::Response),
}

/// How [`execute`] treats one call.
pub(crate) struct Attempts {
    /// Whether a failure other than 429 may be retried.
    pub(crate) idempotent: bool,
    /// Keeps the URL out of transport errors (it holds a key).
    pub(crate) hide_url: bool,
    /// Leaves a successful answer unread.
    pub(crate) open: bool,
    /// The API call the client's hooks are told of; `None` runs no hook (an upload to storage).
    pub(crate) call: Option<CallInfo>,
}

/// Sends the requests `make` builds, one per attempt, while `policy` allows, and reads the
/// whole answer, or leaves a successful one unread, as `attempts` says.
pub(crate) async fn execute<E>(
    inner: &Inner,
    policy: &RetryPolicy,
    attempts: &Attempts,
    max_body_bytes: u64,
    mut make: impl FnMut() -> Result<Option<reqwest::Request>, Error<E>>,
) -> Result<Answer, Error<E>> {
    let (idempotent, hide_url, open) = (attempts.idempotent, attempts.hide_url, attempts.open);
    let transport = |e: reqwest::Error| Error::Transport(if hide_url { e.without_url() } else { e });
    let started = Instant::now();
    let mut attempt = 0;
    let mut outcome: Option<Result<RawResponse, reqwest::Error>> = None;
    loop {
        attempt += 1;
        inner.wait_for_rate_limit(policy).await;
        let Some(mut request) = make()? else {
            // The body cannot be sent twice: the last answer stands.
            let last = outcome.ok_or_else(|| Error::InvalidRequest("the body was already sent".into()))?;
            return last.map(Answer::Whole).map_err(transport);
        };
        let call = attempts.call.as_ref().map(|call| CallInfo { attempt, ..call.clone() });
        let hooks = call.as_ref().map(|call| (call, &inner.hooks.0[..])).filter(|(_, hooks)| !hooks.is_empty());
        if let Some((call, hooks)) = hooks {
            for hook in hooks {
                hook.before(call, &mut request).map_err(Error::InvalidRequest)?;
            }
        }
        let sent = Instant::now();
        let executed = inner.http.execute(request).await;
        if let Some((call, hooks)) = hooks {
            for hook in hooks {
                let outcome = match &executed {
                    Ok(response) => Outcome::Answered { status: response.status(), headers: response.headers() },
                    Err(e) => Outcome::Failed(e),
                };
                hook.after(call, outcome, sent.elapsed());
            }
        }
        let result = match executed {
            // What is read as it arrives is the caller's to read; only its head is seen here.
            Ok(response) if open && response.status().is_success() => {
                let span = tracing::Span::current();
                span.record("http.request.resend_count", attempt - 1);
                span.record("http.response.status_code", response.status().as_u16());
                inner.note_rate_limit(response.headers(), policy);
                return Ok(Answer::Open(response));
            }
            Ok(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match read_limited(response, max_body_bytes).await {
                    Ok(Some(body)) => Ok(RawResponse { status, headers, body }),
                    Ok(None) => return Err(Error::BodyTooLarge { status, limit: max_body_bytes }),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        let span = tracing::Span::current();
        span.record("http.request.resend_count", attempt - 1);
        let wait = match &result {
            Ok(answer) => {
                span.record("http.response.status_code", answer.status.as_u16());
                inner.note_rate_limit(&answer.headers, policy);
                let wait = retry_wait(answer, idempotent, policy, attempt);
                if let (429, Some(wait)) = (answer.status.as_u16(), wait) {
                    inner.pause_for(wait);
                }
                wait
            }
            // Refused before anything was sent: safe to send again whatever the operation.
            Err(e) if e.is_connect() => Some(policy.backoff_after(attempt)),
            Err(_) if idempotent => Some(policy.backoff_after(attempt)),
            Err(_) => None,
        };
        // Checked: a wait a server asked for can be as long as it likes.
        let in_budget = |wait: Duration| {
            attempt < policy.max_attempts && started.elapsed().checked_add(wait).is_some_and(|t| t <= policy.max_elapsed)
        };
        match wait {
            Some(wait) if in_budget(wait) => {
                let wait_ms = wait.as_millis() as u64;
                match &result {
                    Ok(answer) => {
                        tracing::warn!(attempt, http.response.status_code = answer.status.as_u16(), wait_ms, "retrying")
                    }
                    Err(e) => tracing::warn!(attempt, error = %e, wait_ms, "retrying"),
                }
                outcome = Some(result);
                tokio::time::sleep(wait).await;
            }
            _ => return result.map(Answer::Whole).map_err(transport),
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
        match (remaining, reset) {
            (Some(0), Some(wait)) => self.pause_for(wait),
            // The window has requests left: whatever pause an earlier answer set is over.
            (Some(_), _) => *self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None,
            // Nothing said: a pause set earlier runs out by itself.
            (None, _) => {}
        }
    }

    /// Holds every call of this client (its clones included) for `wait`, unless a longer pause
    /// is already set: a server's "wait" is about the client, not about the one call it answered.
    fn pause_for(&self, wait: Duration) {
        let Some(until) = Instant::now().checked_add(wait) else { return };
        let mut paused = self.paused_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }
}

/// The body of `response`, or `None` once it is known to be longer than `limit` (from its
/// `Content-Length`, or while reading), without reading further.
async fn read_limited(mut response: reqwest::Response, limit: u64) -> Result<Option<bytes::Bytes>, reqwest::Error> {
    if response.content_length().is_some_and(|length| length > limit) {
        return Ok(None);
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body.freeze()))
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
        let at = SystemTime::UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(value).ok()?)?;
        return Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO));
    }
    Duration::try_from_secs_f64(value.max(0.0)).ok()
}

/// An HTTP date in any of the three forms RFC 9110 asks recipients to read
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`).
fn http_date(text: &str) -> Option<SystemTime> {
    httpdate::parse_http_date(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_waits_come_from_retry_after_or_the_rate_limit_reset() {
        let at = |text: &str| http_date(text).and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
        assert_eq!(at("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::from_secs(784_111_777)));
        assert_eq!(at("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), Some(Duration::from_secs(784_111_777)));
        assert_eq!(at("Sun Nov  6 08:49:37 1994"), Some(Duration::from_secs(784_111_777)));
        assert_eq!(at("Sun, 06 Nov 1994 25:49:37 GMT"), None);
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
    fn no_header_value_a_server_sends_can_panic() {
        let mut values: Vec<String> = [
            "18000000000000000000",
            "1e308",
            "-1e308",
            "NaN",
            "inf",
            "-0",
            "99999999999999999999999999999",
            "Sun, 06 Nov 99999999999 08:49:37 GMT",
            "Sun, 06 Nov 9223372036854775807 23:59:60 GMT",
            "Sun, -9223372036854775808 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 99999999999:0:0 GMT",
            "Sun, 06 Nov -5 08:49:37 GMT",
        ]
        .map(String::from)
        .to_vec();
        // And a spread of numbers across every magnitude, with fractions and signs.
        values.extend((0..64).flat_map(|shift| [format!("{}", 1u64 << shift), format!("-{}.5", 1u64 << shift)]));
        for value in &values {
            for name in ["retry-after", "x-ratelimit-reset"] {
                let mut headers = HeaderMap::new();
                headers.insert(name, value.parse().expect("a header value"));
                let _ = server_wait(&headers);
                let _ = rate_limit_reset(&headers);
            }
        }
    }

    #[test]
    fn backoff_doubles_within_its_bounds() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for (attempt, low, high) in [(1, 50, 100), (2, 100, 200), (3, 150, 300), (30, 150, 300)] {
            let wait = policy.backoff_after(attempt);
            assert!(wait >= Duration::from_millis(low) && wait <= Duration::from_millis(high), "{attempt}: {wait:?}");
        }
    }
}
