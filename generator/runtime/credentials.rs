//! Credentials that renew: a [`TokenSource`] the client asks for a bearer token before a call,
//! cached until shortly before it expires, fetched once for every call waiting on it, and
//! fetched again once when the API answers 401. [`ClientCredentials`] is OAuth 2.0's client
//! credentials grant (RFC 6749 § 4.4); any other source (a GitHub app's installation token, a
//! cloud SDK's) implements the trait.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use super::{BoxFuture, Secret};

/// A bearer token and how long it lasts.
#[derive(Clone)]
pub struct AccessToken {
    token: Secret,
    expires_at: Option<Instant>,
    lifetime: Option<Duration>,
}

impl AccessToken {
    /// A token good for `lifetime` from now, or until the API refuses it when `None`.
    pub fn new(token: impl Into<String>, lifetime: Option<Duration>) -> AccessToken {
        let expires_at = lifetime.and_then(|lifetime| Instant::now().checked_add(lifetime));
        AccessToken { token: Secret(token.into()), expires_at, lifetime }
    }

    /// Whether the token should be renewed before use: it expires within half its lifetime or
    /// 30 seconds, whichever is shorter, so a call never starts with a token about to lapse.
    fn is_fresh(&self) -> bool {
        let (Some(expires_at), Some(lifetime)) = (self.expires_at, self.lifetime) else { return true };
        let margin = (lifetime / 2).min(Duration::from_secs(30));
        expires_at.checked_duration_since(Instant::now()).is_some_and(|left| left > margin)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken").field("token", &self.token).field("lifetime", &self.lifetime).finish()
    }
}

/// Why no token could be had; never holds a secret.
#[derive(Debug, Clone)]
pub struct TokenError {
    message: String,
}

impl TokenError {
    pub fn new(message: impl Into<String>) -> TokenError {
        TokenError { message: message.into() }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no access token: {}", self.message)
    }
}

impl std::error::Error for TokenError {}

/// Where a client gets its bearer tokens: called when it has none, or only one about to expire
/// or refused. The client caches what it returns, and calls it once however many calls wait.
pub trait TokenSource: Send + Sync + 'static {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>>;
}

/// The token a client holds, and the source it renews it from.
pub(crate) struct TokenCache {
    source: Box<dyn TokenSource>,
    /// An async lock: the first call to find the token stale fetches it while the others wait
    /// for that one fetch.
    current: tokio::sync::Mutex<Option<AccessToken>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache(<redacted>)")
    }
}

impl TokenCache {
    pub(crate) fn new(source: impl TokenSource) -> TokenCache {
        TokenCache { source: Box::new(source), current: tokio::sync::Mutex::new(None) }
    }

    /// A token to send: the cached one while fresh, else a new one. `refused` is the token the
    /// API just answered 401 to: it is renewed unless another call already has.
    pub(crate) async fn token(&self, refused: Option<&str>) -> Result<String, TokenError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref() {
            let was_refused = refused.is_some_and(|refused| refused == token.token.0);
            if token.is_fresh() && !was_refused {
                return Ok(token.token.0.clone());
            }
        }
        let token = self.source.fetch().await?;
        let text = token.token.0.clone();
        *current = Some(token);
        Ok(text)
    }
}

/// How the client authenticates to the token endpoint (RFC 6749 § 2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body, as Microsoft Entra ID and most
    /// providers accept (the default).
    Body,
    /// HTTP basic authentication, as the RFC asks every server to accept.
    Basic,
}

/// OAuth 2.0 client credentials: tokens from `token_url` for a client id and secret, with the
/// scopes (and any parameters, such as `audience`) the provider asks for. The secret never
/// appears in `Debug` output or errors.
#[derive(Clone)]
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    auth: ClientAuth,
    http: Arc<OnceLock<reqwest::Client>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scopes", &self.scopes)
            .field("auth", &self.auth)
            .finish()
    }
}

impl ClientCredentials {
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> ClientCredentials {
        ClientCredentials {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
            scopes: Vec::new(),
            params: Vec::new(),
            auth: ClientAuth::Body,
            http: Arc::new(OnceLock::new()),
        }
    }

    /// The token endpoint, instead of the one given.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// The scopes asked for, instead of those given (sent space-separated as `scope`).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Another form parameter of the token request (`audience`, `resource`).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// How the client id and secret reach the token endpoint.
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.auth = auth;
        self
    }

    /// The HTTP client for the token endpoint, instead of a default one made on first use.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        let http = OnceLock::new();
        let _ = http.set(client);
        ClientCredentials { http: Arc::new(http), ..self }
    }

    /// These credentials, fetching with `http` unless they were given a client of their own.
    pub(crate) fn with_default_http(self, http: &reqwest::Client) -> ClientCredentials {
        let _ = self.http.set(http.clone());
        self
    }

    async fn request(&self) -> Result<AccessToken, TokenError> {
        let http = match self.http.get() {
            Some(http) => http.clone(),
            None => {
                let made = reqwest::Client::builder()
                    .connect_timeout(Duration::from_secs(10))
                    .timeout(Duration::from_secs(30))
                    .build()
                    .map_err(|e| TokenError::new(format!("cannot make an HTTP client: {e}")))?;
                self.http.get_or_init(|| made).clone()
            }
        };
        let mut form: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        let scope = self.scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        if self.auth == ClientAuth::Body {
            form.push(("client_id", &self.client_id));
            form.push(("client_secret", &self.client_secret.0));
        }
        form.extend(self.params.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        let body = form_body(&form);
        let mut request = http
            .post(&self.token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body);
        if self.auth == ClientAuth::Basic {
            request = request.basic_auth(&self.client_id, Some(&self.client_secret.0));
        }
        let at = &self.token_url;
        let answer = request.send().await.map_err(|e| TokenError::new(format!("{at}: {}", e.without_url())))?;
        let status = answer.status();
        let text = answer.bytes().await.map_err(|e| TokenError::new(format!("{at}: {}", e.without_url())))?;
        let json: serde_json::Value = serde_json::from_slice(&text).unwrap_or(serde_json::Value::Null);
        if !status.is_success() {
            // RFC 6749 § 5.2: `error` and `error_description` say why; nothing else is shown.
            let error = json["error"].as_str().unwrap_or("no OAuth error code");
            let description = json["error_description"].as_str().map(|d| format!(": {d}")).unwrap_or_default();
            return Err(TokenError::new(format!("{at} answered {status}: {error}{description}")));
        }
        let token = json["access_token"]
            .as_str()
            .ok_or_else(|| TokenError::new(format!("{at} answered {status} without an access_token")))?;
        let lifetime = match &json["expires_in"] {
            serde_json::Value::Number(n) => n.as_u64(),
            // Some providers (Microsoft Entra ID v1) send the number as a string.
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        };
        Ok(AccessToken::new(token, lifetime.map(Duration::from_secs)))
    }
}

/// `application/x-www-form-urlencoded` text of the pairs.
fn form_body(pairs: &[(&str, &str)]) -> String {
    let mut encoded = reqwest::Url::parse("http://form.invalid/").expect("a valid constant URL");
    encoded.query_pairs_mut().extend_pairs(pairs);
    encoded.query().unwrap_or("").to_string()
}

impl TokenSource for ClientCredentials {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(self.request())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_renewed_ahead_of_its_expiry() {
        let expiring = |left: u64, lifetime: u64| AccessToken {
            token: Secret("t".into()),
            expires_at: Some(Instant::now() + Duration::from_secs(left)),
            lifetime: Some(Duration::from_secs(lifetime)),
        };
        assert!(expiring(3600, 3600).is_fresh());
        // Within 30 seconds of the end, or of half a short lifetime, it is renewed.
        assert!(!expiring(25, 3600).is_fresh());
        assert!(expiring(8, 10).is_fresh());
        assert!(!expiring(4, 10).is_fresh());
        assert!(AccessToken::new("t", None).is_fresh());
    }

    #[test]
    fn no_secret_is_shown() {
        let credentials = ClientCredentials::new("https://idp.example/token", "my-client", "s3cret-value");
        let shown = format!("{credentials:?} {:?}", AccessToken::new("tok-123", None));
        assert!(!shown.contains("s3cret-value") && !shown.contains("tok-123"), "{shown}");
        assert!(shown.contains("my-client"), "{shown}");
    }
}
