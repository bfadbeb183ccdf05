//! The client: one connection pool, a base URL, and a key whose type says
//! what the client may call.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::key::ApiKey;
use crate::retry::{Hook, RateLimiter, RetryPolicy};
use crate::scope::{KeyKind, NoKey, ReadWrite};
use crate::transport::{ReqwestTransport, Transport};

/// The public Hacktron API.
pub const DEFAULT_BASE_URL: &str = "https://api.hacktron.ai/v1";
/// Largest success body decoded in memory unless configured otherwise.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;
const USER_AGENT: &str = concat!("hacktron-rs/", env!("CARGO_PKG_VERSION"));

/// Anything endpoints can be called on: a [`Client`], or your own type that
/// holds one.
///
/// Traits of endpoints declared with `#[endpoint]` have `Api` as supertrait;
/// implement them for `Client<K>` (or for all `K`) to use them.
pub trait Api: Send + Sync {
    /// What the client's key grants.
    type Key: KeyKind;
    /// The client requests go through.
    fn client(&self) -> &Client<Self::Key>;
}

/// A Hacktron API client. `K` is what its key grants: [`ReadWrite`]
/// (the default), [`ReadOnly`](crate::scope::ReadOnly), [`NoKey`], or a key type
/// of your own; calling an endpoint whose scope `K` does not grant does not
/// compile.
///
/// Cheap to clone: clones share one connection pool and configuration.
///
/// ```no_run
/// use hacktron_runtime::{Client, ReadOnly};
///
/// let client = Client::<ReadOnly>::from_env()?;   // HACKTRON_API_KEY, HACKTRON_BASE_URL
/// let local = Client::<ReadOnly>::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
///     .base_url("http://127.0.0.1:8080/v1")
///     .build()?;
/// # Ok::<(), hacktron_runtime::Error>(())
/// ```
pub struct Client<K = ReadWrite> {
    pub(crate) inner: Arc<Inner>,
    pub(crate) retry: RetryPolicy,
    _key: PhantomData<fn() -> K>,
}

pub(crate) struct Inner {
    pub(crate) base: String,
    /// `base`, parsed once here so a call parses only its own path and query.
    pub(crate) base_url: url::Url,
    /// The path of `base_url` that a call's path is appended to: `""` when the
    /// base has none (`https://host`), else `/v1` and the like (no trailing `/`).
    pub(crate) base_path: String,
    pub(crate) key: Option<ApiKey>,
    pub(crate) transport: Box<dyn Transport>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_body: usize,
    pub(crate) limiter: Option<RateLimiter>,
    pub(crate) hooks: Vec<Box<dyn Hook>>,
}

impl<K> Clone for Client<K> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
            retry: self.retry,
            _key: PhantomData,
        }
    }
}

impl<K> fmt::Debug for Client<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("key_type", &std::any::type_name::<K>())
            .field("base_url", &self.inner.base)
            .field("key", &self.inner.key)
            .finish_non_exhaustive()
    }
}

impl<K: KeyKind> Api for Client<K> {
    type Key = K;
    fn client(&self) -> &Client<K> {
        self
    }
}

impl<K: KeyKind> Client<K> {
    /// A client for the public API with `key`, and default settings.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        Self::builder(key).build()
    }

    /// A builder for a client with `key`. The key is checked when the client
    /// is built, before any request.
    pub fn builder(key: impl Into<String>) -> ClientBuilder<K> {
        ClientBuilder::with_key(Some(ApiKey::new(key).map_err(Error::from)))
    }

    /// A client configured from `HACKTRON_API_KEY` and, when set,
    /// `HACKTRON_BASE_URL`.
    pub fn from_env() -> Result<Self, Error> {
        let mut builder = ClientBuilder::with_key(Some(ApiKey::from_env("HACKTRON_API_KEY").map_err(Error::from)));
        if let Ok(url) = std::env::var("HACKTRON_BASE_URL") {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// The base URL every endpoint path is relative to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The same client (same connection pool, limiter and hooks) with another
    /// retry policy, for one call or a group of calls:
    /// `client.with_retry(RetryPolicy::never()).create_scan(&scan)`.
    #[must_use]
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        Client {
            inner: self.inner.clone(),
            retry: policy,
            _key: PhantomData,
        }
    }

    /// The retry policy calls use.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The key's non-secret prefix, if the client has a key.
    pub fn key_prefix(&self) -> Option<&str> {
        self.inner.key.as_ref().map(ApiKey::prefix)
    }
}

impl Client<NoKey> {
    /// A client without a key: it can call `public` endpoints only.
    pub fn public() -> ClientBuilder<NoKey> {
        ClientBuilder::with_key(None)
    }
}

/// Configures a [`Client`].
#[must_use]
pub struct ClientBuilder<K> {
    key: Option<Result<ApiKey, Error>>,
    base: String,
    transport: Option<Box<dyn Transport>>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    max_body: usize,
    allow_http: bool,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    hooks: Vec<Box<dyn Hook>>,
    _key: PhantomData<fn() -> K>,
}

impl<K> fmt::Debug for ClientBuilder<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .finish_non_exhaustive()
    }
}

impl<K: KeyKind> ClientBuilder<K> {
    fn with_key(key: Option<Result<ApiKey, Error>>) -> Self {
        ClientBuilder {
            key,
            base: DEFAULT_BASE_URL.to_owned(),
            transport: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Some(Duration::from_secs(60)),
            max_body: DEFAULT_MAX_BODY,
            allow_http: false,
            retry: RetryPolicy::default(),
            limiter: None,
            hooks: Vec::new(),
            _key: PhantomData,
        }
    }

    /// Sends requests to `url` instead of the public API (a sandbox, a
    /// proxy). Plain `http://` is accepted for loopback hosts only, unless
    /// [`allow_http`](Self::allow_http) is set.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = url.into();
        self
    }

    /// Accepts a plain `http://` base URL on a non-loopback host. The key then
    /// crosses the network in clear text: only for trusted networks.
    pub fn allow_http(mut self, yes: bool) -> Self {
        self.allow_http = yes;
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take until its response headers arrive, and
    /// then how long the body may go without sending data (default 60 s), so a
    /// long download that keeps arriving is not cut; `None` waits forever.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest success body decoded in memory (default 32 MiB). Streaming
    /// endpoints are not limited.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 4 attempts, 1 s
    /// doubling backoff, 60 s overall).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits keyed requests to `limit` per rolling `window`, across all
    /// clones of the client, waiting before sending rather than meeting a 429.
    ///
    /// Off by default: the server enforces the limit per key anyway, several
    /// processes sharing a key would each need their own share, and the
    /// retry policy already backs off on 429. Turn it on for bulk jobs with
    /// [`RateLimiter::hacktron`]'s numbers: `.rate_limit(100, Duration::from_secs(60))`.
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.limiter = Some(RateLimiter::new(limit, window));
        self
    }

    /// Adds a hook called around every attempt (headers, logging, metrics).
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Box::new(hook));
        self
    }

    /// Sends requests through `transport` instead of the default reqwest one.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Checks the key and the base URL and builds the client.
    pub fn build(self) -> Result<Client<K>, Error> {
        let key = self.key.transpose()?;
        let base_url = check_base_url(&self.base, self.allow_http)?;
        let base = base_url.as_str().trim_end_matches('/').to_owned();
        let base_path = base_url.path().trim_end_matches('/').to_owned();
        let transport = match self.transport {
            Some(t) => t,
            None => Box::new(ReqwestTransport::new(self.connect_timeout, self.timeout, USER_AGENT)?),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base,
                base_url,
                base_path,
                key,
                transport,
                timeout: self.timeout,
                max_body: self.max_body,
                limiter: self.limiter,
                hooks: self.hooks,
            }),
            retry: self.retry,
            _key: PhantomData,
        })
    }
}

/// Parses and checks the base URL once; its path loses any trailing `/`, so
/// endpoint paths (which start with `/`) append to it.
fn check_base_url(raw: &str, allow_http: bool) -> Result<url::Url, Error> {
    let mut url = url::Url::parse(raw).map_err(|e| Error::Config(format!("base URL `{raw}` is not a URL: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Error::Config(format!(
            "base URL `{raw}` must be a plain URL without query or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL `{raw}` is plain http on a non-loopback host, which would send the API key in clear text; use https, or `allow_http(true)` for a trusted network"
            )));
        }
        other => {
            return Err(Error::Config(format!(
                "base URL scheme `{other}` is not supported; use https"
            )));
        }
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            check_base_url("https://api.hacktron.ai/v1/", false).unwrap().as_str(),
            "https://api.hacktron.ai/v1"
        );
        assert!(check_base_url("http://127.0.0.1:9/v1", false).is_ok());
        assert!(check_base_url("http://[::1]:9/v1", false).is_ok());
        assert!(check_base_url("http://localhost/v1", false).is_ok());
        assert!(matches!(
            check_base_url("http://example.com/v1", false),
            Err(Error::Config(_))
        ));
        assert!(check_base_url("http://example.com/v1", true).is_ok());
        assert!(check_base_url("ftp://example.com", false).is_err());
        assert!(check_base_url("https://x/v1?a=b", false).is_err());
        assert!(check_base_url("not a url", false).is_err());
    }
}
