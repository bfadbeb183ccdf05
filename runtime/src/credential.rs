//! Credentials that change: tokens fetched, cached until they expire, and
//! refreshed when the server refuses them.
//!
//! A client built with a static key ([`Client::new`](crate::Client::new))
//! sends that key. A client built with
//! [`ClientBuilder::with_credential`](crate::ClientBuilder::with_credential)
//! asks its [`Credential`] for the value to send before each request, and,
//! when the server answers `401 Unauthorized`, asks it once for a new one
//! and sends the request again. The value goes where the service's
//! [`Auth`](crate::service::Auth) says, only to the service's own origins;
//! in a header it is marked sensitive, and [`Secret`], the client and its
//! errors never show it. (A credential the service takes in the query is
//! part of the request's URL, as a static key there is.)
//!
//! ```
//! # use hacktron_runtime::example::{Example, Things, Token as ReadToken};
//! # use hacktron_runtime::transport::Canned;
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::time::Duration;
//! use hacktron_runtime::Client;
//! use hacktron_runtime::credential::{Refreshing, Token};
//!
//! // Where the tokens come from: an OAuth token endpoint, a CLI, a vault.
//! static ISSUED: AtomicU32 = AtomicU32::new(0);
//! let tokens = Refreshing::new(|| async {
//!     let n = ISSUED.fetch_add(1, Ordering::SeqCst) + 1;
//!     Ok::<_, std::io::Error>(Token::new(format!("token-{n}")).expires_in(Duration::from_secs(3600)))
//! });
//! # let canned = Canned::json(401, r#"{"message": "token expired"}"#).then_json(200, r#"{"id": "7"}"#);
//! let client = Client::<ReadToken>::with_credential(tokens)
//! #   .transport(canned.clone())
//!     .build()?;
//! client.get_thing("7").await?; // refused with token-1, sent again with token-2
//! # let sent = canned.requests().lock().unwrap().clone();
//! # assert_eq!(sent[0].headers["x-api-key"], "token-1");
//! # assert_eq!(sent[1].headers["x-api-key"], "token-2");
//! assert_eq!(ISSUED.load(Ordering::SeqCst), 2);
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{BoxError, Error};
use crate::transport::BoxFuture;

/// A credential's value: what is sent. `Debug` and `Display` never show it.
///
/// ```
/// use hacktron_runtime::credential::Secret;
///
/// let secret = Secret::new("s3cr3t-t0ken");
/// assert_eq!(format!("{secret:?}"), "Secret(***)");
/// assert_eq!(secret.expose(), "s3cr3t-t0ken");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential's value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Arc::from(value.into()))
    }

    /// The value, to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// A token and how long it stays valid, as a token endpoint gives it.
///
/// ```
/// use std::time::Duration;
/// use hacktron_runtime::credential::Token;
///
/// // `{"access_token": "...", "expires_in": 3600}`
/// let token = Token::new("eyJhbGciOi...").expires_in(Duration::from_secs(3600));
/// assert_eq!(format!("{token:?}"), "Token { value: Secret(***), expires_in: Some(3600s) }");
/// ```
#[derive(Debug, Clone)]
pub struct Token {
    value: Secret,
    expires_in: Option<Duration>,
}

impl Token {
    /// A token valid until the server refuses it.
    pub fn new(value: impl Into<String>) -> Self {
        Token {
            value: Secret::new(value),
            expires_in: None,
        }
    }

    /// Valid for `lifetime` from now.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

/// Gives the value a client sends as its credential: implement it for a
/// source of tokens of your own, or use [`Refreshing`].
///
/// ```
/// use hacktron_runtime::credential::{Credential, Secret};
/// use hacktron_runtime::transport::BoxFuture;
/// use hacktron_runtime::Error;
///
/// /// A token read from a file that another process keeps fresh.
/// struct FromFile(std::path::PathBuf);
///
/// impl Credential for FromFile {
///     fn get(&self) -> BoxFuture<'_, Result<Secret, Error>> {
///         Box::pin(async move {
///             let text = std::fs::read_to_string(&self.0).map_err(|e| Error::Credential(e.into()))?;
///             Ok(Secret::new(text.trim()))
///         })
///     }
///     fn refresh(&self, _refused: &Secret) -> BoxFuture<'_, Result<Secret, Error>> {
///         self.get() // read it again
///     }
/// }
/// ```
pub trait Credential: Send + Sync + 'static {
    /// The value to send now.
    fn get(&self) -> BoxFuture<'_, Result<Secret, Error>>;

    /// The server refused `refused` (`401`): a new value, for the one
    /// resend the client makes.
    fn refresh(&self, refused: &Secret) -> BoxFuture<'_, Result<Secret, Error>>;
}

/// Tokens from an async function, cached until they expire (less a
/// margin, 30 s by default), fetched again when the server refuses one.
/// Concurrent calls wait for one fetch, never start one each; a refusal
/// of a token already replaced does not fetch another.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::credential::{Credential, Refreshing, Token};
///
/// let tokens = Refreshing::new(|| async { Ok::<_, std::io::Error>(Token::new("t-1").expires_in(Duration::from_secs(60))) })
///     .margin(Duration::from_secs(5));
/// let first = tokens.get().await?;
/// assert_eq!(first.expose(), "t-1");
/// assert_eq!(tokens.get().await?, first); // cached: fetched once
/// # Ok(()) }
/// ```
pub struct Refreshing<F> {
    fetch: F,
    margin: Duration,
    cached: tokio::sync::Mutex<Option<Cached>>,
}

struct Cached {
    value: Secret,
    until: Option<Instant>,
}

impl<F> fmt::Debug for Refreshing<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refreshing")
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

impl<F, Fut, E> Refreshing<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, E>> + Send,
    E: Into<BoxError>,
{
    /// Tokens from `fetch`.
    pub fn new(fetch: F) -> Self {
        Refreshing {
            fetch,
            margin: Duration::from_secs(30),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Fetches a new token this long before the cached one expires.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    async fn fetch_into(&self, slot: &mut Option<Cached>) -> Result<Secret, Error> {
        let token = (self.fetch)().await.map_err(|e| Error::Credential(e.into()))?;
        // A lifetime past what the clock can hold is no expiry.
        let until = token
            .expires_in
            .and_then(|d| Instant::now().checked_add(d.saturating_sub(self.margin)));
        *slot = Some(Cached {
            value: token.value.clone(),
            until,
        });
        Ok(token.value)
    }
}

impl<F, Fut, E> Credential for Refreshing<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Token, E>> + Send,
    E: Into<BoxError>,
{
    fn get(&self) -> BoxFuture<'_, Result<Secret, Error>> {
        Box::pin(async move {
            let mut slot = self.cached.lock().await;
            match &*slot {
                Some(c) if c.until.is_none_or(|t| Instant::now() < t) => Ok(c.value.clone()),
                _ => self.fetch_into(&mut slot).await,
            }
        })
    }

    fn refresh(&self, refused: &Secret) -> BoxFuture<'_, Result<Secret, Error>> {
        let refused = refused.clone();
        Box::pin(async move {
            let mut slot = self.cached.lock().await;
            match &*slot {
                // Another call replaced it already.
                Some(c) if c.value != refused && c.until.is_none_or(|t| Instant::now() < t) => Ok(c.value.clone()),
                _ => self.fetch_into(&mut slot).await,
            }
        })
    }
}
