//! [`Client`]: the runtime's client with Hacktron's constructors, so that
//! `Client::new(key)` and `Client::from_env()` need no type annotation.

use std::fmt;

use hacktron_runtime::scope::KeyKind;

use crate::scope::read;
use crate::{Error, Hacktron, NoKey, ReadOnly, ReadWrite, RetryPolicy};

/// A Hacktron API client. `K` is what its key grants: [`ReadWrite`] (the
/// default), [`ReadOnly`] or [`NoKey`]; calling an endpoint whose scope `K`
/// is not granted does not compile.
///
/// `Client::new`, `Client::from_env` and `Client::builder` make a
/// `Client<ReadWrite>` with no annotation; [`read_only`](Client::read_only)
/// turns it into a read-only client on the same pool, and
/// `Client::<ReadOnly>::new(key)`, `::from_env()` and `::builder(key)`
/// ([`KeyedClient`], in the prelude) build one directly.
///
/// Cheap to clone: clones share one connection pool and configuration.
///
/// ```no_run
/// use hacktron::{Client, ClientBuilder, ReadOnly};
///
/// let client = Client::from_env()?;                   // HACKTRON_API_KEY, HACKTRON_BASE_URL
/// let reader = client.read_only();                    // same pool, read-only type
/// let local = ClientBuilder::<ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
///     .base_url("http://127.0.0.1:8080/v1")
///     .build()?;
/// # let _ = (reader, local);
/// # Ok::<(), hacktron::Error>(())
/// ```
///
/// A function that takes any client able to read names the scope, not the
/// key kind:
///
/// ```
/// use hacktron::prelude::*;
/// use hacktron::scope::CanRead;
///
/// async fn scan_count<K: CanRead>(client: &Client<K>) -> Result<u64, Error> {
///     Ok(client.list_scans(&Default::default()).await?.total)
/// }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// let client = Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
/// let both = (scan_count(&client).await?, scan_count(&client.read_only()).await?);
/// assert_eq!(both.0, both.1);
/// # Ok(()) }
/// ```
pub struct Client<K = ReadWrite> {
    inner: hacktron_runtime::Client<K>,
}

/// Configures a [`Client`]: `ClientBuilder::<K>::new(key)` for a key kind
/// other than the default, or [`Client::builder`].
///
/// ```
/// use hacktron::{ClientBuilder, ReadOnly};
/// use std::time::Duration;
///
/// let reader = ClientBuilder::<ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
///     .base_url("http://127.0.0.1:8080/v1")
///     .timeout(Some(Duration::from_secs(30)))
///     .build()?;
/// assert_eq!(reader.base_url(), "http://127.0.0.1:8080/v1");
/// # Ok::<(), hacktron::Error>(())
/// ```
pub type ClientBuilder<K = ReadWrite> = hacktron_runtime::ClientBuilder<K, Client<K>>;

impl Client<ReadWrite> {
    /// A read-write client with `key`, at [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL).
    /// The key's format is checked here, before any request.
    ///
    /// ```
    /// use hacktron::{Client, Error};
    ///
    /// let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// assert_eq!(client.base_url(), hacktron::DEFAULT_BASE_URL);
    /// assert!(matches!(Client::new("not-a-key"), Err(Error::InvalidKey(_))));
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        ClientBuilder::new(key).build()
    }

    /// A read-write client whose key comes from `HACKTRON_API_KEY` and, when
    /// set, whose base URL comes from `HACKTRON_BASE_URL`. For a read-only
    /// key, follow it with [`read_only`](Self::read_only).
    ///
    /// ```no_run
    /// use hacktron::Client;
    ///
    /// let reader = Client::from_env()?.read_only();
    /// # let _ = reader;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    /// A builder for a read-write client with `key`.
    ///
    /// ```
    /// use hacktron::Client;
    ///
    /// let local = Client::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").base_url("http://127.0.0.1:8080/v1").build()?;
    /// assert_eq!(local.base_url(), "http://127.0.0.1:8080/v1");
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn builder(key: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(key)
    }

    /// [`from_env`](Self::from_env) as a builder, to change other settings.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use hacktron::Client;
    ///
    /// let client = Client::builder_from_env().timeout(Some(Duration::from_secs(300))).build()?;
    /// # let _ = client;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn builder_from_env() -> ClientBuilder {
        ClientBuilder::from_env()
    }

    /// The same client as a [`ReadOnly`] one: same pool, key, limiter and
    /// hooks; only `read` and `public` endpoints compile on it.
    ///
    /// ```
    /// use hacktron::{Client, ReadOnly};
    ///
    /// let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// let reader: Client<ReadOnly> = client.read_only();
    /// assert_eq!(reader.key_prefix(), client.key_prefix());
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn read_only(&self) -> Client<ReadOnly> {
        self.narrow()
    }
}

/// The constructors for a client of a stated key kind:
/// `Client::<ReadOnly>::new(key)`, `Client::<ReadOnly>::from_env()` and
/// `Client::<ReadOnly>::builder(key)`, for any Hacktron key kind granted
/// `read` (the prelude brings this trait). For the default kind,
/// [`ReadWrite`], `Client::new(key)` needs no annotation at all; a keyless
/// client is [`Client::public`].
///
/// ```
/// use hacktron::prelude::*;
///
/// # fn main() -> Result<(), hacktron::Error> {
/// let reader = Client::<ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
/// let local = Client::<ReadOnly>::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
///     .base_url("http://127.0.0.1:8080/v1")
///     .build()?;
/// let writer = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?; // Client<ReadWrite>, inferred
/// # let _: (Client<ReadOnly>, Client<ReadOnly>, Client<ReadWrite>) = (reader, local, writer);
/// // Client::<ReadOnly>::from_env()? reads HACKTRON_API_KEY the same way.
/// # Ok(()) }
/// ```
pub trait KeyedClient: Sized {
    /// The key kind the client is built for.
    type Key;

    /// A client with `key`, at [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL);
    /// the key's format is checked here, before any request.
    ///
    /// ```
    /// use hacktron::prelude::*;
    ///
    /// assert!(matches!(Client::<ReadOnly>::new("not-a-key"), Err(Error::InvalidKey(_))));
    /// ```
    fn new(key: impl Into<String>) -> Result<Self, Error>;

    /// A client whose key comes from `HACKTRON_API_KEY` and, when set, whose
    /// base URL comes from `HACKTRON_BASE_URL`.
    ///
    /// ```no_run
    /// use hacktron::prelude::*;
    ///
    /// let reader = Client::<ReadOnly>::from_env()?;
    /// # let _ = reader;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    fn from_env() -> Result<Self, Error>;

    /// A builder for a client with `key`.
    ///
    /// ```
    /// use hacktron::prelude::*;
    ///
    /// let reader = Client::<ReadOnly>::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").retry(hacktron::RetryPolicy::never()).build()?;
    /// # let _ = reader;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    fn builder(key: impl Into<String>) -> ClientBuilder<Self::Key>;
}

impl<K: KeyKind<Service = Hacktron> + read> KeyedClient for Client<K> {
    type Key = K;

    fn new(key: impl Into<String>) -> Result<Self, Error> {
        ClientBuilder::new(key).build()
    }

    fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env().build()
    }

    fn builder(key: impl Into<String>) -> ClientBuilder<K> {
        ClientBuilder::new(key)
    }
}

impl Client<NoKey> {
    /// A builder for a client without a key: it calls only the public
    /// dependency-firewall endpoints.
    ///
    /// ```
    /// use hacktron::{Client, NoKey};
    ///
    /// let anonymous: Client<NoKey> = Client::public().build()?;
    /// assert_eq!(anonymous.key_prefix(), None);
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn public() -> ClientBuilder<NoKey> {
        ClientBuilder::public()
    }
}

impl<K: KeyKind<Service = Hacktron>> Client<K> {
    /// The same client with another retry policy; the pool, limiter and hooks
    /// are shared.
    ///
    /// ```
    /// use hacktron::{Client, RetryPolicy};
    ///
    /// let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// let once = client.with_retry(RetryPolicy::never());
    /// assert_eq!(once.retry_policy().attempts(), 1);
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    #[must_use]
    pub fn with_retry(&self, policy: RetryPolicy) -> Self {
        Client {
            inner: self.inner.with_retry(policy),
        }
    }

    /// The same client as key kind `J`, which grants no more than `K`
    /// ([`read_only`](Client::read_only) is `narrow::<ReadOnly>()`).
    ///
    /// ```
    /// use hacktron::{Client, NoKey};
    ///
    /// let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// let public: Client<NoKey> = client.narrow();
    /// # let _ = public;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn narrow<J: KeyKind<Service = Hacktron>>(&self) -> Client<J>
    where
        K: hacktron_runtime::Narrows<J>,
    {
        Client {
            inner: self.inner.narrow(),
        }
    }

    /// The base URL requests go to (`https://api.hacktron.ai/v1` unless
    /// configured), without a trailing `/`.
    ///
    /// ```
    /// let client = hacktron::Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// assert_eq!(client.base_url(), hacktron::DEFAULT_BASE_URL);
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// The client's retry policy.
    ///
    /// ```
    /// use hacktron::{Client, RetryPolicy};
    ///
    /// let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// assert_eq!(client.retry_policy(), RetryPolicy::default());
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry_policy()
    }

    /// The key's non-secret prefix (its first 12 characters, as the
    /// dashboard shows them); `None` for a client without a key.
    ///
    /// ```
    /// let client = hacktron::Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// assert_eq!(client.key_prefix(), Some("hacktron_3s9"));
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn key_prefix(&self) -> Option<&str> {
        self.inner.key_prefix()
    }

    /// The runtime's client inside.
    ///
    /// ```
    /// let client = hacktron::Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")?;
    /// let runtime: hacktron_runtime::Client<hacktron::ReadWrite> = client.into_inner();
    /// # let _ = runtime;
    /// # Ok::<(), hacktron::Error>(())
    /// ```
    pub fn into_inner(self) -> hacktron_runtime::Client<K> {
        self.inner
    }
}

impl<K> From<hacktron_runtime::Client<K>> for Client<K> {
    fn from(inner: hacktron_runtime::Client<K>) -> Self {
        Client { inner }
    }
}

impl<K> Clone for Client<K> {
    fn clone(&self) -> Self {
        Client {
            inner: self.inner.clone(),
        }
    }
}

impl<K> fmt::Debug for Client<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<K: KeyKind> hacktron_runtime::Api for Client<K> {
    type Client = Self;
    fn client(&self) -> &Self {
        self
    }
}

impl<K: KeyKind> hacktron_runtime::AsClient for Client<K> {
    type Key = K;
    fn as_client(&self) -> &hacktron_runtime::Client<K> {
        &self.inner
    }
}
