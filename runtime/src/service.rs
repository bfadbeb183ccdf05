//! The service seam: everything that belongs to one HTTP API.
//!
//! The runtime knows how to build, send, retry and decode a call; what one
//! API says (how its key is checked and sent, its default host, its error
//! type and messages, what it allows to be retried) comes from a type that
//! implements [`Service`], defined in that API's crate. Key types name their
//! service ([`KeyKind::Service`](crate::scope::KeyKind::Service)), so a
//! `Client<K>` knows its service from its key type alone.
//!
//! ```
//! use hacktron_runtime::service::{Auth, Service};
//! use hacktron_runtime::{Error, ErrorResponse};
//!
//! /// The Fleet deployment API.
//! pub enum Fleet {}
//!
//! /// What Fleet calls return.
//! #[derive(Debug, thiserror::Error)]
//! pub enum FleetError {
//!     /// The service is locked by another deploy.
//!     #[error("the service is locked by another deploy; wait for it to finish")]
//!     Locked(Box<ErrorResponse>),
//!     /// Any other status.
//!     #[error("Fleet answered {0}")]
//!     Status(Box<ErrorResponse>),
//!     /// Anything any HTTP call can hit.
//!     #[error(transparent)]
//!     Call(#[from] Error),
//! }
//!
//! impl Service for Fleet {
//!     type Error = FleetError;
//!     const NAME: &'static str = "Fleet";
//!     const AUTH: Auth = Auth::Header { name: "authorization", scheme: Some("Bearer") };
//!     const USER_AGENT: &'static str = "fleet-sdk/1.0";
//!     const KEY_ENV: Option<&'static str> = Some("FLEET_TOKEN");
//!
//!     fn error_from_response(response: ErrorResponse) -> FleetError {
//!         if response.status.as_u16() == 423 {
//!             FleetError::Locked(Box::new(response))
//!         } else {
//!             FleetError::Status(Box::new(response))
//!         }
//!     }
//! }
//! ```

use std::time::Duration;

use crate::error::{Error, ErrorResponse};

/// How a service's credential travels with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// In a header: `name: value`, or `name: scheme value` when a scheme is
    /// given (`Authorization: Bearer <token>`). The value is marked
    /// sensitive, so the HTTP stack never logs it.
    Header {
        /// The header's name, in lower case (`x-api-key`, `authorization`).
        name: &'static str,
        /// The scheme written before the credential (`Bearer`), if any.
        scheme: Option<&'static str>,
    },
    /// As a query parameter `name=<key>`. The key is then part of the URL:
    /// prefer a header where the API allows one.
    Query {
        /// The parameter's name (`api_key`).
        name: &'static str,
    },
    /// The service takes no credential.
    None,
}

/// One HTTP API: its credential, host, identity, error type and retry rules.
///
/// Implement it on a type of your own (an empty enum is enough) and name it
/// as the [`Service`](crate::scope::KeyKind::Service) of your key types.
/// Only [`Error`](Self::Error), [`NAME`](Self::NAME), [`AUTH`](Self::AUTH),
/// [`USER_AGENT`](Self::USER_AGENT) and
/// [`error_from_response`](Self::error_from_response) have no default.
pub trait Service: Send + Sync + 'static {
    /// What the service's calls return on failure. It holds the runtime's
    /// [`Error`] (what any HTTP call can hit) through `From`, and whatever
    /// [`error_from_response`](Self::error_from_response) makes of a
    /// non-success response.
    type Error: From<Error> + Send + 'static;

    /// The service's name, for messages (`"Fleet"`).
    const NAME: &'static str;
    /// How the credential is sent.
    const AUTH: Auth;
    /// The `User-Agent` of every request.
    const USER_AGENT: &'static str;
    /// Where requests go unless the client is given a base URL. `None`: a
    /// client built without [`base_url`](crate::ClientBuilder::base_url)
    /// is a configuration error.
    const DEFAULT_BASE_URL: Option<&'static str> = None;
    /// The environment variable [`Client::from_env`](crate::Client::from_env)
    /// reads the key from.
    const KEY_ENV: Option<&'static str> = None;
    /// The environment variable `from_env` reads a base URL from, when set.
    const BASE_URL_ENV: Option<&'static str> = None;
    /// How many leading characters of a key are not secret and may be shown
    /// in `Debug` output and messages (0: none).
    const KEY_PREFIX_LEN: usize = 0;
    /// The service's documented rate limit, `(requests, window)`, used by
    /// [`ClientBuilder::service_rate_limit`](crate::ClientBuilder::service_rate_limit).
    const RATE_LIMIT: Option<(u32, Duration)> = None;

    /// Checks a key's form before any request. The default accepts any key
    /// that can be sent at all (no control characters, not empty).
    fn check_key(key: &str) -> Result<(), Self::Error> {
        let _ = key;
        Ok(())
    }

    /// Turns a non-success response into the service's error.
    fn error_from_response(response: ErrorResponse) -> Self::Error;

    /// Whether a failure may be retried: the one classifier that the retry
    /// loop, the service error's `is_retryable` and polling helpers ask.
    /// The default is [`default_retry`].
    fn retry(failure: Failure<'_>) -> Retry {
        default_retry(failure)
    }
}

/// A failed attempt, as a retry classifier sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Failure<'a> {
    /// The server answered with a non-success status.
    Response(&'a ErrorResponse),
    /// No connection could be made: nothing was sent.
    Connect,
    /// The attempt timed out: the request may have been processed.
    Timeout,
    /// The connection failed mid-request: the request may have been processed.
    Transport,
    /// Anything that sending again cannot change (a decode error, a bad
    /// argument, the client's configuration).
    Other,
}

/// A classifier's verdict on a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Retry {
    /// Sending again cannot help.
    No,
    /// Safe to send again whatever the method: the request was not
    /// processed. `after` is the delay the server asked for, if it did.
    Yes {
        /// The server's `Retry-After`, when it sent one.
        after: Option<Duration>,
    },
    /// The outcome is unknown: send again only a request that is safe to
    /// repeat (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`).
    IfIdempotent {
        /// The server's `Retry-After`, when it sent one.
        after: Option<Duration>,
    },
}

impl Retry {
    /// Whether a request of `method` may be sent again after this verdict.
    pub fn allows(self, method: crate::Method) -> bool {
        match self {
            Retry::No => false,
            Retry::Yes { .. } => true,
            Retry::IfIdempotent { .. } => method.is_idempotent(),
        }
    }

    /// Whether some request could be sent again (an idempotent one, at least).
    pub fn is_retryable(self) -> bool {
        self != Retry::No
    }

    /// The delay the server asked for, if any.
    pub fn after(self) -> Option<Duration> {
        match self {
            Retry::No => None,
            Retry::Yes { after } | Retry::IfIdempotent { after } => after,
        }
    }
}

/// The HTTP rules, for any API: a `429` was refused before processing (retry
/// any method, after its `Retry-After`); `502`, `503`, `504` and `500` may
/// have been processed (idempotent methods only; a `503`'s `Retry-After` is
/// honoured); a connection that was never made is safe to retry; a timeout
/// or a connection lost mid-request only for idempotent methods; nothing else.
pub fn default_retry(failure: Failure<'_>) -> Retry {
    match failure {
        Failure::Response(r) => match r.status.as_u16() {
            429 => Retry::Yes { after: r.retry_after() },
            500 | 502 | 504 => Retry::IfIdempotent { after: None },
            503 => Retry::IfIdempotent { after: r.retry_after() },
            _ => Retry::No,
        },
        Failure::Connect => Retry::Yes { after: None },
        Failure::Timeout | Failure::Transport => Retry::IfIdempotent { after: None },
        Failure::Other => Retry::No,
    }
}
