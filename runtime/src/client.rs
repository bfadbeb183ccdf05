//! The client: one connection pool, a base URL, and a key whose type says
//! what the client may call.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::credential::Credential;
use crate::error::Error;
use crate::key::ApiKey;
use crate::limiter::RateLimiter;
use crate::limits::ServerLimits;
use crate::retry::{Hook, RetryPolicy};
use crate::scope::{KeyKind, Keyless};
use crate::service::{Auth, Service};
use crate::transport::{Redirects, ReqwestTransport, Transport};

/// Largest success body decoded in memory unless configured otherwise.
pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// The service of key kind `K`.
pub type ServiceOf<K> = <K as KeyKind>::Service;
/// The error type of the service of key kind `K`.
pub type ErrorOf<K> = <<K as KeyKind>::Service as Service>::Error;

/// Anything endpoints can be called on: a [`Client`], or your own type that
/// holds one.
///
/// Methods declared with `#[endpoint]` require `Self: Api`: implement their
/// trait for `Client<K>` (or for all `K`), or for a type of your own that
/// implements `Api`, to call them on it.
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Things, Token};
/// # use hacktron_runtime::transport::Canned;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{Api, Client};
///
/// /// The app's handle on the API, with what else it needs.
/// struct App {
///     client: Client<Token>,
///     tenant: String,
/// }
/// impl Api for App {
///     type Client = Client<Token>;
///     fn client(&self) -> &Client<Token> {
///         &self.client
///     }
/// }
/// impl Things for App {} // `Things`: a trait of `#[endpoint]` methods
///
/// # let client = Client::<Token>::builder("secret-key").transport(Canned::json(200, r#"{"id": "7"}"#)).build()?;
/// let app = App { client, tenant: "acme".into() };
/// let thing = app.get_thing("7").await?;
/// assert_eq!(thing["id"], "7");
/// # let _ = app.tenant;
/// # Ok(()) }
/// ```
pub trait Api: Send + Sync {
    /// The client type it holds: a [`Client`], or an SDK's own client type
    /// that wraps one (see [`AsClient`]).
    type Client: AsClient;
    /// The client requests go through.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{Api, Client};
    ///
    /// let client = Client::<Token>::new("secret-key")?;
    /// assert_eq!(client.client().base_url(), client.base_url()); // a client is its own `Api`
    /// # Ok(()) }
    /// ```
    fn client(&self) -> &Self::Client;
}

/// A client type: the runtime's [`Client`], or an SDK's own type that wraps
/// one (a newtype with its own constructors). An SDK implements it, and
/// [`Api`] with `type Client = Self`, for its wrapper; its users then name
/// the wrapper, not the runtime's type, in their own [`Api`] impls.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// use hacktron_runtime::{Api, AsClient, Client};
///
/// /// The SDK's client: the runtime's, with constructors of its own.
/// struct ExampleClient(Client<Token>);
/// impl AsClient for ExampleClient {
///     type Key = Token;
///     fn as_client(&self) -> &Client<Token> {
///         &self.0
///     }
/// }
/// impl Api for ExampleClient {
///     type Client = Self;
///     fn client(&self) -> &Self {
///         self
///     }
/// }
/// # let c = ExampleClient(Client::new("secret-key").unwrap());
/// # assert_eq!(c.client().as_client().base_url(), "https://api.example.com/v1");
/// ```
pub trait AsClient: Send + Sync {
    /// What the client's key grants.
    type Key: KeyKind;
    /// The runtime's client inside.
    fn as_client(&self) -> &Client<Self::Key>;
}

/// The key kind of an [`Api`] implementor: what its client's key grants.
pub type KeyOf<A> = <<A as Api>::Client as AsClient>::Key;

/// A client of one API. `K` is its key kind: it names the
/// [`Service`] (the API) and says what the key grants; calling an endpoint
/// whose scope `K` is not granted does not compile.
///
/// Cheap to clone: clones share one connection pool and configuration.
/// An SDK crate usually wraps it in a client type of its own with a default
/// key kind, so that `Client::new(key)` needs no annotation (a type alias
/// cannot do that: an alias's default does not apply in `Client::new`): a
/// newtype implementing [`AsClient`] and [`Api`], built with
/// `ClientBuilder<K, TheWrapper>`, as `hacktron::Client` is.
///
/// The examples on this page use an API `Example` and its key kind
/// `Token`, declared out of sight; with the `hacktron` crate, read
/// `hacktron::Client<ReadWrite>`.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::Client;
///
/// let client = Client::<Token>::new("secret-key")?;
/// let clone = client.clone(); // the same pool, limiter and hooks
/// assert_eq!(clone.base_url(), "https://api.example.com/v1");
/// # Ok(()) }
/// ```
pub struct Client<K> {
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
    /// How the key goes out, built once.
    pub(crate) auth: AuthParts,
    /// The service's name, for messages.
    pub(crate) service: &'static str,
    pub(crate) transport: Box<dyn Transport>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_body: usize,
    pub(crate) limiter: Option<RateLimiter>,
    /// What the server reported of its limits, when the client follows it.
    pub(crate) server_limits: Option<ServerLimits>,
    /// The longest wait for a server's window to reset before a call.
    pub(crate) max_limit_wait: Duration,
    pub(crate) hooks: Vec<Box<dyn Hook>>,
    /// The service's `DEFAULT_HEADERS`, parsed once.
    pub(crate) default_headers: HeaderMap,
    /// The service's `JSON_CONTENT_TYPE`, checked to be a header value.
    pub(crate) json_content_type: &'static str,
    /// The origins the credential may go to: the base URL's and the
    /// service's `ORIGINS`.
    pub(crate) origins: Vec<url::Origin>,
    /// Where the value to send comes from, for a client built with
    /// [`ClientBuilder::with_credential`] (then `key` is `None`).
    pub(crate) credential: Option<Box<dyn Credential>>,
    /// The header the credential travels in (`AUTH`'s), even when this
    /// client has none.
    pub(crate) credential_header: Option<HeaderName>,
    /// Which redirects the client's transport follows itself, when the
    /// client built it (`None`: a transport of the caller's).
    pub(crate) transport_redirects: Option<Redirects>,
}

/// The key, ready to send.
pub(crate) enum AuthParts {
    None,
    Header(HeaderName, HeaderValue),
    /// `name=value`, already form-encoded.
    Query(String),
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
            .field("service", &self.inner.service)
            .field("key_type", &std::any::type_name::<K>())
            .field("base_url", &self.inner.base)
            .field("key", &self.inner.key)
            .field("credential", &self.inner.credential.as_ref().map(|_| "provided"))
            .finish_non_exhaustive()
    }
}

impl<K: KeyKind> Api for Client<K> {
    type Client = Self;
    fn client(&self) -> &Self {
        self
    }
}

impl<K: KeyKind> AsClient for Client<K> {
    type Key = K;
    fn as_client(&self) -> &Client<K> {
        self
    }
}

impl<K: KeyKind> Client<K> {
    /// A client with `key` and default settings, at the service's default
    /// base URL.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::new("secret-key")?;
    /// assert_eq!(client.base_url(), "https://api.example.com/v1"); // the service's default
    /// assert!(Client::<Token>::new("").is_err()); // checked at once, no request sent
    /// # Ok(()) }
    /// ```
    pub fn new(key: impl Into<String>) -> Result<Self, ErrorOf<K>> {
        Self::builder(key).build()
    }

    /// A builder for a client with `key`. The key is checked by the service
    /// when the client is built, before any request.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::builder("secret-key")
    ///     .base_url("http://127.0.0.1:8080/v1") // a local stand-in
    ///     .timeout(Some(Duration::from_secs(10)))
    ///     .build()?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:8080/v1");
    /// # Ok(()) }
    /// ```
    pub fn builder(key: impl Into<String>) -> ClientBuilder<K> {
        ClientBuilder::new(key)
    }

    /// A builder for a client whose credential comes from `credential`
    /// before each request (a token fetched and refreshed, see
    /// [`credential`](crate::credential)), in place of a static key.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token as ReadToken};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    /// use hacktron_runtime::credential::{Refreshing, Token};
    ///
    /// let tokens = Refreshing::new(|| async { Ok::<_, std::io::Error>(Token::new("from-the-token-endpoint")) });
    /// let client = Client::<ReadToken>::with_credential(tokens).build()?;
    /// assert_eq!(client.key_prefix(), None);
    /// assert!(!format!("{client:?}").contains("from-the-token-endpoint"));
    /// # Ok(()) }
    /// ```
    pub fn with_credential(credential: impl Credential) -> ClientBuilder<K> {
        ClientBuilder::with_credential(credential)
    }

    /// A client whose key comes from the service's key variable
    /// ([`Service::KEY_ENV`]) and, when set, whose base URL comes from its
    /// base URL variable ([`Service::BASE_URL_ENV`]).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Error};
    ///
    /// // `Example` reads its key from `EXAMPLE_API_KEY`, which is not set here.
    /// let missing = Client::<Token>::from_env().unwrap_err();
    /// assert!(matches!(missing, ApiError::Call(Error::MissingEnv { ref name }) if name == "EXAMPLE_API_KEY"));
    /// # Ok(()) }
    /// ```
    pub fn from_env() -> Result<Self, ErrorOf<K>> {
        Self::builder_from_env().build()
    }

    /// [`from_env`](Self::from_env) as a builder, to change other settings.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::builder_from_env().timeout(Some(Duration::from_secs(300))).build();
    /// assert!(client.is_err(), "`EXAMPLE_API_KEY` is not set here");
    /// # Ok(()) }
    /// ```
    pub fn builder_from_env() -> ClientBuilder<K> {
        ClientBuilder::from_env()
    }

    /// The base URL every endpoint path is relative to.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::builder("secret-key").base_url("https://proxy.internal/example/v1/").build()?;
    /// assert_eq!(client.base_url(), "https://proxy.internal/example/v1"); // no trailing `/`
    /// # Ok(()) }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// The same client (same connection pool, limiter and hooks) with another
    /// retry policy, for one call or a group of calls:
    /// `client.with_retry(RetryPolicy::never())`.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{Client, RetryPolicy};
    ///
    /// let client = Client::<Token>::new("secret-key")?;
    /// let once = client.with_retry(RetryPolicy::never());
    /// assert_eq!(once.retry_policy().attempts(), 1);
    /// assert_eq!(client.retry_policy(), RetryPolicy::default()); // unchanged
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        Client {
            inner: self.inner.clone(),
            retry: policy,
            _key: PhantomData,
        }
    }

    /// The same client (same pool, key, limiter and hooks) as another key
    /// kind of the same service, such as a read-only view of a read-write
    /// client. `J` should grant no more than the key does: the server still
    /// checks every call.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// # struct ReadToken;
    /// # impl hacktron_runtime::scope::KeyKind for ReadToken { type Service = Example; }
    /// impl hacktron_runtime::Narrows<ReadToken> for Token {} // what the service declares
    ///
    /// let client = Client::<Token>::new("secret-key")?;
    /// let reader: Client<ReadToken> = client.narrow(); // can call only what `ReadToken` is granted
    /// assert_eq!(reader.key_prefix(), client.key_prefix());
    /// # Ok(()) }
    /// ```
    pub fn narrow<J: KeyKind<Service = K::Service>>(&self) -> Client<J>
    where
        K: Narrows<J>,
    {
        Client {
            inner: self.inner.clone(),
            retry: self.retry,
            _key: PhantomData,
        }
    }

    /// The retry policy calls use.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{Client, RetryPolicy};
    ///
    /// let client = Client::<Token>::builder("secret-key").retry(RetryPolicy::new().max_attempts(2)).build()?;
    /// assert_eq!(client.retry_policy().attempts(), 2);
    /// # Ok(()) }
    /// ```
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The key's non-secret prefix: its first
    /// [`Service::KEY_PREFIX_LEN`] characters (never more than half the key),
    /// empty when the service declares none, `None` for a client without a
    /// key.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// // `Example` declares 8 characters of its keys as not secret.
    /// let client = Client::<Token>::new("sk_live_4f9a1c2e7b")?;
    /// assert_eq!(client.key_prefix(), Some("sk_live_"));
    /// assert!(!format!("{client:?}").contains("4f9a1c2e7b"));
    /// # Ok(()) }
    /// ```
    pub fn key_prefix(&self) -> Option<&str> {
        self.inner.key.as_ref().map(ApiKey::prefix)
    }
}

/// Key kind `Self` may be viewed as key kind `J` ([`Client::narrow`]): a
/// service implements it from each kind to the kinds that grant less.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::Narrows;
/// use hacktron_runtime::scope::KeyKind;
///
/// /// A key with the `read` scope only.
/// struct ReadToken;
/// impl KeyKind for ReadToken {
///     type Service = Example;
/// }
/// impl Narrows<ReadToken> for Token {} // a `Token` grants all a `ReadToken` does
///
/// let reader = hacktron_runtime::Client::<Token>::new("secret-key")?.narrow::<ReadToken>();
/// # let _ = reader;
/// # Ok(()) }
/// ```
pub trait Narrows<J: KeyKind>: KeyKind {}

impl<K: Keyless> Client<K> {
    /// A builder for a client without a key: it can call endpoints whose
    /// scope needs none (public and optional ones).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    /// use hacktron_runtime::scope::{KeyKind, Keyless};
    ///
    /// /// No key at all.
    /// struct Anonymous;
    /// impl KeyKind for Anonymous {
    ///     type Service = Example;
    /// }
    /// impl Keyless for Anonymous {}
    ///
    /// let client = Client::<Anonymous>::public().build()?;
    /// assert_eq!(client.key_prefix(), None);
    /// # Ok(()) }
    /// ```
    pub fn public() -> ClientBuilder<K> {
        ClientBuilder::public()
    }
}

impl<K: Keyless, C> ClientBuilder<K, C> {
    /// A builder for a client without a key, the same as [`Client::public`].
    ///
    /// ```
    /// # use hacktron_runtime::example::Example;
    /// use hacktron_runtime::ClientBuilder;
    /// use hacktron_runtime::scope::Anonymous;
    ///
    /// let client = ClientBuilder::<Anonymous<Example>>::public().build()?;
    /// assert_eq!(client.key_prefix(), None);
    /// # Ok::<(), hacktron_runtime::ApiError>(())
    /// ```
    pub fn public() -> Self {
        Self::with_key(KeySource::None)
    }
}

enum KeySource {
    None,
    Given(String),
    Provided(Box<dyn Credential>),
    Failed(Error),
}

/// Configures a [`Client`].
///
/// The examples on this page use an API `Example` (default base URL
/// `https://api.example.com/v1`) and its key kind `Token`, declared out of
/// sight; with the `hacktron` crate, read `hacktron::Client<ReadWrite>`.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::{Client, RetryPolicy};
///
/// let client = Client::<Token>::builder("secret-key")
///     .timeout(Some(Duration::from_secs(30)))
///     .retry(RetryPolicy::new().max_attempts(2))
///     .service_rate_limit()
///     .build()?;
/// assert_eq!(client.retry_policy().attempts(), 2);
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder<K, C = Client<K>> {
    key: KeySource,
    base: Option<String>,
    transport: Option<Box<dyn Transport>>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    max_body: usize,
    allow_http: bool,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    server_limits: bool,
    max_limit_wait: Duration,
    hooks: Vec<Box<dyn Hook>>,
    /// Origins besides the base URL's and the service's `ORIGINS` that get
    /// the credential.
    origins: Vec<String>,
    _key: PhantomData<fn() -> (K, C)>,
}

impl<K, C> fmt::Debug for ClientBuilder<K, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base)
            .finish_non_exhaustive()
    }
}

impl<K: KeyKind, C> ClientBuilder<K, C> {
    /// A builder for a client with `key`, the same as [`Client::builder`].
    /// `C` is the type [`build`](Self::build) returns: [`Client<K>`] unless
    /// an SDK crate wraps it in a client type of its own (`C: From<Client<K>>`).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{Client, ClientBuilder};
    ///
    /// /// An SDK's own client type, built by the same builder.
    /// struct MyClient(Client<Token>);
    /// impl From<Client<Token>> for MyClient {
    ///     fn from(client: Client<Token>) -> Self {
    ///         MyClient(client)
    ///     }
    /// }
    ///
    /// let plain = ClientBuilder::<Token>::new("secret-key").build()?;
    /// let mine = ClientBuilder::<Token, MyClient>::new("secret-key").build()?;
    /// assert_eq!(mine.0.base_url(), plain.base_url());
    /// # Ok(()) }
    /// ```
    pub fn new(key: impl Into<String>) -> Self {
        Self::with_key(KeySource::Given(key.into()))
    }

    /// A builder for a client whose credential comes from `credential`, the
    /// same as [`Client::with_credential`].
    pub fn with_credential(credential: impl Credential) -> Self {
        Self::with_key(KeySource::Provided(Box::new(credential)))
    }

    /// A builder whose key comes from the service's key variable, the same as
    /// [`Client::builder_from_env`].
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// use hacktron_runtime::{ClientBuilder, ErrorDetails};
    ///
    /// // `EXAMPLE_API_KEY` is not set here.
    /// let missing = ClientBuilder::<Token>::from_env().build().unwrap_err();
    /// assert!(missing.to_string().contains("`EXAMPLE_API_KEY` is not set"));
    /// assert_eq!(missing.attempts(), 0); // nothing was sent
    /// ```
    pub fn from_env() -> Self {
        let key = match ServiceOf::<K>::KEY_ENV {
            None => KeySource::Failed(Error::Config(format!(
                "{} declares no environment variable for its key; pass the key to `Client::new`",
                ServiceOf::<K>::NAME
            ))),
            Some(name) => match std::env::var(name) {
                Ok(value) => KeySource::Given(value.trim().to_owned()),
                Err(_) => KeySource::Failed(Error::MissingEnv { name: name.to_owned() }),
            },
        };
        let mut builder = Self::with_key(key);
        if let Some(url) = ServiceOf::<K>::BASE_URL_ENV.and_then(|name| std::env::var(name).ok()) {
            builder = builder.base_url(url);
        }
        builder
    }

    fn with_key(key: KeySource) -> Self {
        ClientBuilder {
            key,
            base: ServiceOf::<K>::DEFAULT_BASE_URL.map(str::to_owned),
            transport: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Some(Duration::from_secs(60)),
            max_body: DEFAULT_MAX_BODY,
            allow_http: false,
            origins: Vec::new(),
            retry: RetryPolicy::default(),
            limiter: None,
            server_limits: ServiceOf::<K>::RATE_LIMIT_HEADERS,
            max_limit_wait: Duration::from_secs(60),
            hooks: Vec::new(),
            _key: PhantomData,
        }
    }

    /// Sends requests to `url` instead of the service's default (a sandbox,
    /// a proxy; required when the service has no default). Plain `http://` is
    /// accepted for loopback hosts only, unless
    /// [`allow_http`](Self::allow_http) is set.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// let local = Client::<Token>::builder("secret-key").base_url("http://localhost:8080/v1").build()?;
    /// assert_eq!(local.base_url(), "http://localhost:8080/v1");
    /// // Plain http elsewhere would send the key in clear text.
    /// assert!(Client::<Token>::builder("secret-key").base_url("http://10.0.0.7/v1").build().is_err());
    /// # Ok(()) }
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base = Some(url.into());
        self
    }

    /// Accepts a plain `http://` base URL on a non-loopback host. The key then
    /// crosses the network in clear text: only for trusted networks.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    ///
    /// let lan = Client::<Token>::builder("secret-key").base_url("http://10.0.0.7/v1").allow_http(true).build()?;
    /// assert_eq!(lan.base_url(), "http://10.0.0.7/v1");
    /// # Ok(()) }
    /// ```
    pub fn allow_http(mut self, yes: bool) -> Self {
        self.allow_http = yes;
        self
    }

    /// Trusts one more origin of the API with the credential
    /// (`https://uploads.ghe.example.com` where a deployment has its own
    /// hosts), besides the base URL's and the service's `ORIGINS`; a bad
    /// one is a configuration error when the client is built.
    ///
    /// ```
    /// # use hacktron_runtime::example::Token;
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::builder("secret-key").trust_origin("https://uploads.example.com").build();
    /// assert!(client.is_ok());
    /// assert!(Client::<Token>::builder("secret-key").trust_origin("uploads").build().is_err());
    /// // The key would cross the network in clear text:
    /// assert!(Client::<Token>::builder("secret-key").trust_origin("http://uploads.example.com").build().is_err());
    /// ```
    pub fn trust_origin(mut self, origin: impl Into<String>) -> Self {
        self.origins.push(origin.into());
        self
    }

    /// How long to wait for a connection (default 10 s).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::Client;
    ///
    /// let client = Client::<Token>::builder("secret-key").connect_timeout(Duration::from_secs(3)).build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take until its response headers arrive, and
    /// then how long the body may go without sending data (default 60 s), so a
    /// long download that keeps arriving is not cut; `None` waits forever.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::Client;
    ///
    /// # let canned = Canned::json(200, "{}");
    /// let client = Client::<Token>::builder("secret-key")
    ///     .timeout(Some(Duration::from_secs(5)))
    /// #   .transport(canned.clone())
    ///     .build()?;
    /// client.get_thing("7").await?;
    /// assert_eq!(canned.requests().lock().unwrap()[0].timeout, Some(Duration::from_secs(5)));
    /// # Ok(()) }
    /// ```
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest success body decoded in memory (default 32 MiB). Streaming
    /// endpoints are not limited.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Error};
    ///
    /// # let canned = Canned::json(200, format!("[{}0]", "0, ".repeat(1000)));
    /// let client = Client::<Token>::builder("secret-key")
    ///     .max_body_bytes(1024)
    /// #   .transport(canned)
    ///     .build()?;
    /// let big = client.get_thing("7").await; // a 3 kB answer
    /// assert!(matches!(big, Err(ApiError::Call(Error::BodyTooLarge { limit: 1024, .. }))));
    /// # Ok(()) }
    /// ```
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 4 attempts, 1 s
    /// doubling backoff, 60 s overall).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::{Client, RetryPolicy};
    ///
    /// # let canned = Canned::json(503, "{}").then_json(200, r#"{"id": "7"}"#);
    /// let policy = RetryPolicy::new().max_attempts(3).initial_backoff(Duration::from_millis(1));
    /// let client = Client::<Token>::builder("secret-key")
    ///     .retry(policy)
    /// #   .transport(canned.clone())
    ///     .build()?;
    /// let thing = client.get_thing("7").await?; // a 503 first, then the answer
    /// assert_eq!(thing["id"], "7");
    /// # assert_eq!(canned.requests().lock().unwrap().len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits keyed requests to `limit` per rolling `window`, across all
    /// clones of the client, waiting before sending rather than meeting a 429.
    ///
    /// Off by default: the server enforces the limit per key anyway, several
    /// processes sharing a key would each need their own share, and the
    /// retry policy already backs off on 429. Turn it on for bulk jobs,
    /// with the service's own numbers: [`service_rate_limit`](Self::service_rate_limit).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::Client;
    ///
    /// // A bulk job that shares its key with a dashboard: half the documented limit.
    /// let client = Client::<Token>::builder("secret-key").rate_limit(50, Duration::from_secs(60)).build()?;
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn rate_limit(mut self, limit: u32, window: Duration) -> Self {
        self.limiter = Some(RateLimiter::new(limit, window));
        self
    }

    /// Follows the rate limits the server reports in its response headers
    /// (on by default where [`Service::RATE_LIMIT_HEADERS`] says the
    /// service sends them). Per resource (GitHub's `core` and `search`, an
    /// IETF `RateLimit` policy): once a response of an endpoint said none
    /// is left of its resource, the next calls of that endpoint wait for
    /// the window to reset, or, when that is further away than
    /// [`max_rate_limit_wait`](Self::max_rate_limit_wait), fail at once with
    /// [`Error::RateLimited`], sending nothing. An endpoint whose limit the
    /// server reports is not paced by the static
    /// [`rate_limit`](Self::rate_limit) as well. Only answers from the
    /// service's own origins count: not those of another origin a redirect
    /// the client followed led to (a redirect the transport follows itself
    /// hands back only its last answer, which counts as the request's).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{Client, Error, ErrorDetails, HeaderMap};
    ///
    /// let mut used_up = HeaderMap::new();
    /// used_up.insert("x-ratelimit-remaining", "0".parse()?);
    /// used_up.insert("x-ratelimit-reset", "3600".parse()?);
    /// used_up.insert("content-type", "application/json".parse()?);
    /// let canned = Canned::new();
    /// canned.push(200, used_up, r#"{"id": "7"}"#);
    /// let client = Client::<Token>::builder("secret-key").server_rate_limits(true).transport(canned.clone()).build()?;
    /// client.get_thing("7").await?;
    /// let e = client.get_thing("8").await.unwrap_err(); // resets in an hour: not sent
    /// assert!(matches!(e.runtime_error(), Some(Error::RateLimited { .. })));
    /// assert_eq!(canned.requests().lock().unwrap().len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn server_rate_limits(mut self, follow: bool) -> Self {
        self.server_limits = follow;
        self
    }

    /// The longest a call waits for a server-reported rate limit to reset
    /// (60 s by default); see [`server_rate_limits`](Self::server_rate_limits).
    pub fn max_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.max_limit_wait = wait;
        self
    }

    /// Limits keyed requests to the service's documented rate limit
    /// ([`Service::RATE_LIMIT`]); no limit when it documents none.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    /// use hacktron_runtime::service::Service;
    ///
    /// assert_eq!(Example::RATE_LIMIT, Some((100, std::time::Duration::from_secs(60))));
    /// let client = Client::<Token>::builder("secret-key").service_rate_limit().build()?; // 100 a minute
    /// # let _ = client;
    /// # Ok(()) }
    /// ```
    pub fn service_rate_limit(mut self) -> Self {
        self.limiter = ServiceOf::<K>::RATE_LIMIT.map(|(limit, window)| RateLimiter::new(limit, window));
        self
    }

    /// Adds a hook called around every attempt (headers, logging, metrics).
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::sync::Arc;
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use hacktron_runtime::retry::{Attempt, Hook};
    /// use hacktron_runtime::Client;
    ///
    /// #[derive(Clone, Default)]
    /// struct Count(Arc<AtomicU32>);
    /// impl Hook for Count {
    ///     fn after_response(&self, _: &Attempt<'_>) {
    ///         self.0.fetch_add(1, Ordering::Relaxed);
    ///     }
    /// }
    /// let count = Count::default();
    /// # let canned = Canned::json(200, "{}");
    /// let client = Client::<Token>::builder("secret-key").hook(count.clone())
    /// #   .transport(canned)
    ///     .build()?;
    /// client.get_thing("7").await?;
    /// assert_eq!(count.0.load(Ordering::Relaxed), 1);
    /// # Ok(()) }
    /// ```
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Box::new(hook));
        self
    }

    /// Sends requests through `transport` instead of the default reqwest one.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    /// use hacktron_runtime::transport::Canned;
    ///
    /// let canned = Canned::json(200, r#"{"id": "7"}"#); // no server, no network
    /// let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
    /// assert_eq!(client.get_thing("7").await?["id"], "7");
    /// assert_eq!(canned.requests().lock().unwrap()[0].url.as_str(), "https://api.example.com/v1/things/7");
    /// # Ok(()) }
    /// ```
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Box::new(transport));
        self
    }

    /// Checks the key and the base URL and builds the client.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, Token};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::{ApiError, Client, Error};
    ///
    /// let client = Client::<Token>::builder("secret-key").build()?;
    /// # let _ = client;
    /// let bad = Client::<Token>::builder("secret-key").base_url("ftp://files.example.com").build();
    /// assert!(matches!(bad, Err(ApiError::Call(Error::Config(_)))));
    /// # Ok(()) }
    /// ```
    pub fn build(self) -> Result<C, ErrorOf<K>>
    where
        C: From<Client<K>>,
    {
        let (key, credential) = match self.key {
            KeySource::None => (None, None),
            KeySource::Failed(e) => return Err(e.into()),
            KeySource::Given(key) => (Some(ApiKey::new::<ServiceOf<K>>(key)?), None),
            KeySource::Provided(credential) => (None, Some(credential)),
        };
        let credential_header = match ServiceOf::<K>::AUTH {
            Auth::Header { name, .. } => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::Config(format!("`{name}` is not a header name")))?,
            ),
            _ => None,
        };
        let auth = match (&key, ServiceOf::<K>::AUTH) {
            (None, _) | (_, Auth::None) => AuthParts::None,
            (Some(key), auth @ Auth::Header { name, .. }) => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| Error::Config(format!("`{name}` is not a header name")))?;
                AuthParts::Header(name, key.header_value(auth)?)
            }
            (Some(key), Auth::Query { name }) => AuthParts::Query(
                serde_urlencoded::to_string([(name, key.expose())]).map_err(|e| Error::Config(e.to_string()))?,
            ),
        };
        let mut default_headers = HeaderMap::new();
        for (name, value) in ServiceOf::<K>::DEFAULT_HEADERS {
            let bad = || Error::Config(format!("default header `{name}: {value}` cannot be sent"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
            default_headers.append(name, HeaderValue::from_str(value).map_err(|_| bad())?);
        }
        let json_content_type = ServiceOf::<K>::JSON_CONTENT_TYPE;
        // `HeaderValue::from_static` panics on a bad value: checked once, here.
        if HeaderValue::from_str(json_content_type).is_err() {
            return Err(Error::Config(format!("`{json_content_type}` is not a content type")).into());
        }
        let Some(raw) = self.base else {
            return Err(Error::Config(format!(
                "{} has no default base URL; set one with `ClientBuilder::base_url`",
                ServiceOf::<K>::NAME
            ))
            .into());
        };
        let base_url = check_base_url(&raw, self.allow_http)?;
        let mut origins = vec![base_url.origin()];
        let more = self.origins.iter().map(String::as_str);
        for origin in ServiceOf::<K>::ORIGINS.iter().copied().chain(more) {
            let url = url::Url::parse(origin)
                .ok()
                // Plain http only where the base URL may be: loopback, or `allow_http`.
                .filter(|u| u.scheme() == "https" || (u.scheme() == "http" && (self.allow_http || is_loopback(u))))
                .filter(url::Url::has_host)
                .ok_or_else(|| {
                    Error::Config(format!(
                        "`{origin}` is not an https origin of {} (plain http only on loopback, or with `allow_http(true)`)",
                        ServiceOf::<K>::NAME
                    ))
                })?;
            origins.push(url.origin());
        }
        let base = base_url.as_str().trim_end_matches('/').to_owned();
        let base_path = base_url.path().trim_end_matches('/').to_owned();
        let mut transport_redirects = None;
        let transport = match self.transport {
            Some(t) => t,
            None if base_url.scheme() == "https" && crate::transport::TLS_BACKEND.is_none() => {
                return Err(Error::Config(format!(
                    "base URL `{base}` is https, but this build has no TLS: enable the `rustls` (default) or `native-tls` feature, or give the client a transport of your own"
                ))
                .into());
            }
            None => {
                // The transport follows redirects within an origin, and to
                // another where the credential is one it drops on the way
                // (`Authorization`); the client follows those it hands back,
                // without the credential (it knows which header that is).
                let redirects = match ServiceOf::<K>::AUTH {
                    Auth::None => Redirects::AnyOrigin,
                    Auth::Header { name, .. } if name.eq_ignore_ascii_case("authorization") => Redirects::AnyOrigin,
                    _ => Redirects::SameOrigin,
                };
                transport_redirects = Some(redirects);
                Box::new(ReqwestTransport::with_redirects(
                    self.connect_timeout,
                    self.timeout,
                    ServiceOf::<K>::USER_AGENT,
                    redirects,
                )?)
            }
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                base,
                base_url,
                base_path,
                key,
                auth,
                service: ServiceOf::<K>::NAME,
                transport,
                timeout: self.timeout,
                max_body: self.max_body,
                limiter: self.limiter,
                server_limits: self.server_limits.then(ServerLimits::default),
                max_limit_wait: self.max_limit_wait,
                hooks: self.hooks,
                default_headers,
                json_content_type,
                origins,
                credential,
                credential_header,
                transport_redirects,
            }),
            retry: self.retry,
            _key: PhantomData,
        }))
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
            check_base_url("https://api.example.com/v1/", false).unwrap().as_str(),
            "https://api.example.com/v1"
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

    enum Tls {}
    impl Service for Tls {
        type Error = Error;
        const NAME: &'static str = "Tls";
        const AUTH: crate::service::Auth = crate::service::Auth::None;
        const USER_AGENT: &'static str = "tls-test";
        fn error_from_response(r: crate::ErrorResponse) -> Error {
            Error::Config(r.to_string())
        }
    }
    struct Anyone;
    impl KeyKind for Anyone {
        type Service = Tls;
    }

    /// The build's TLS stack follows its features; without one, a client
    /// for an https URL is refused at build and plain http still works.
    #[test]
    fn tls_follows_the_features() {
        let https = Client::<Anyone>::builder("k")
            .base_url("https://api.example.com/v1")
            .build();
        let http = Client::<Anyone>::builder("k").base_url("http://127.0.0.1:9/v1").build();
        assert!(http.is_ok());
        if cfg!(any(feature = "rustls", feature = "native-tls")) {
            assert!(https.is_ok(), "{:?}", https.err());
            let expected = if cfg!(feature = "rustls") {
                "rustls"
            } else {
                "native-tls"
            };
            assert_eq!(crate::transport::TLS_BACKEND, Some(expected));
        } else {
            assert_eq!(crate::transport::TLS_BACKEND, None);
            let Err(Error::Config(message)) = https else {
                panic!("expected a config error, got {https:?}");
            };
            assert!(
                message.contains("has no TLS: enable the `rustls` (default) or `native-tls` feature"),
                "{message}"
            );
        }
    }
}
