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

use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorResponse};

/// How a service's credential travels with a request.
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Things, Token};
/// # use hacktron_runtime::transport::Canned;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let canned = Canned::json(200, "{}");
/// # let client = hacktron_runtime::Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
/// use hacktron_runtime::service::{Auth, Service};
///
/// assert_eq!(Example::AUTH, Auth::Header { name: "x-api-key", scheme: None });
/// client.get_thing("7").await?;
/// let sent = canned.requests().lock().unwrap().remove(0);
/// assert!(sent.headers["x-api-key"].is_sensitive()); // `Debug` prints `Sensitive`
/// # Ok(()) }
/// ```
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
///
/// ```
/// use hacktron_runtime::service::{Auth, Service};
/// use hacktron_runtime::{ApiError, Client, Error, ErrorResponse};
///
/// /// An API with only what has no default, and the stock error.
/// enum Minimal {}
/// impl Service for Minimal {
///     type Error = ApiError;
///     const NAME: &'static str = "Minimal";
///     const AUTH: Auth = Auth::Header { name: "authorization", scheme: Some("Bearer") };
///     const USER_AGENT: &'static str = "minimal/0.1";
///     fn error_from_response(response: ErrorResponse) -> ApiError {
///         response.into()
///     }
/// }
/// # struct Token;
/// # impl hacktron_runtime::scope::KeyKind for Token { type Service = Minimal; }
/// // No default host: the client needs a base URL.
/// assert!(matches!(Client::<Token>::new("secret-key"), Err(ApiError::Call(Error::Config(_)))));
/// assert!(Client::<Token>::builder("secret-key").base_url("https://minimal.example").build().is_ok());
/// ```
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
    /// Other origins of the API that may get the credential, besides the
    /// base URL's (`"https://uploads.example.com"`): where an endpoint with
    /// an absolute path template, or a `#[url]` argument, sends its request.
    /// Any other origin gets the request without the credential.
    const ORIGINS: &'static [&'static str] = &[];
    /// Headers every request of the service carries (`("accept",
    /// "application/vnd.github+json")`, an API-version header), parsed when
    /// a client is built (a bad one is a configuration error there). What
    /// wins when several parts of a request name the same header, from
    /// strongest: the credential ([`AUTH`](Self::AUTH)); the endpoint's
    /// `#[header]` arguments; these defaults; what the endpoint implies (`Accept` from its return
    /// type, `Content-Type` of a JSON body, [`JSON_CONTENT_TYPE`](Self::JSON_CONTENT_TYPE)).
    /// A header is never sent twice; two `#[header]` arguments cannot name
    /// the same one. A default `Content-Type` stands in for the JSON one only:
    /// a form or raw body keeps its own, and a request without a body sends
    /// none.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::service::{Auth, Service};
    /// use hacktron_runtime::scope::{KeyKind, public};
    /// use hacktron_runtime::{ApiError, Client, ErrorResponse, endpoint};
    /// use hacktron_runtime::transport::Canned;
    ///
    /// enum Repos {}
    /// impl Service for Repos {
    ///     type Error = ApiError;
    ///     const NAME: &'static str = "Repos";
    ///     const AUTH: Auth = Auth::None;
    ///     const USER_AGENT: &'static str = "repos/1";
    ///     const DEFAULT_HEADERS: &'static [(&'static str, &'static str)] =
    ///         &[("accept", "application/vnd.repos+json"), ("x-api-version", "2022-11-28")];
    ///     fn error_from_response(r: ErrorResponse) -> ApiError { r.into() }
    /// }
    /// struct Anyone;
    /// impl KeyKind for Anyone { type Service = Repos; }
    /// trait RepoApi {
    ///     #[endpoint(GET, "/repos/{name}", scope = public)]
    ///     async fn repo(&self, name: &str) -> Result<serde_json::Value, ApiError>;
    ///     #[endpoint(GET, "/repos/{name}/readme", scope = public)]
    ///     async fn readme(&self, name: &str, #[header("accept")] accept: &str) -> Result<String, ApiError>;
    /// }
    /// impl RepoApi for Client<Anyone> {}
    ///
    /// let canned = Canned::json(200, "{}");
    /// let client = Client::<Anyone>::builder("-").base_url("https://repos.example").transport(canned.clone()).build()?;
    /// client.repo("app").await?;
    /// client.readme("app", "application/vnd.repos.raw").await?;
    /// let sent = canned.requests().lock().unwrap().clone();
    /// assert_eq!(sent[0].headers["accept"], "application/vnd.repos+json"); // the default beats the derived one
    /// assert_eq!(sent[0].headers["x-api-version"], "2022-11-28");
    /// assert_eq!(sent[1].headers.get_all("accept").iter().count(), 1);
    /// assert_eq!(sent[1].headers["accept"], "application/vnd.repos.raw"); // the argument beats the default
    /// # Ok(()) }
    /// ```
    const DEFAULT_HEADERS: &'static [(&'static str, &'static str)] = &[];
    /// The `Content-Type` of a JSON body (`#[body]`): `application/json`,
    /// unless the server wants another spelling
    /// (`application/json; charset=utf-8`).
    const JSON_CONTENT_TYPE: &'static str = "application/json";
    /// The service's documented rate limit, `(requests, window)`, used by
    /// [`ClientBuilder::service_rate_limit`](crate::ClientBuilder::service_rate_limit).
    const RATE_LIMIT: Option<(u32, Duration)> = None;
    /// Whether the service reports what is left of its rate limits in
    /// response headers (`X-RateLimit-Remaining`/`-Reset`, the IETF
    /// `RateLimit` fields; see [`limits::read_headers`](crate::limits::read_headers)):
    /// then a client follows what the server says, per resource, as
    /// [`ClientBuilder::server_rate_limits`](crate::ClientBuilder::server_rate_limits)
    /// describes. Off by default: reading them costs every call a few
    /// header lookups.
    const RATE_LIMIT_HEADERS: bool = false;

    /// Checks a key's form before any request, when the client is built.
    /// The default accepts every key. Whatever this says, the client then
    /// refuses a key that is empty or holds a character outside visible
    /// ASCII (a space, a line break, a non-ASCII character such as a curly
    /// quote).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::service::Service;
    /// use hacktron_runtime::{ApiError, Client, Error};
    ///
    /// enum Fleet {}
    /// impl Service for Fleet {
    ///     type Error = ApiError;
    ///     fn check_key(key: &str) -> Result<(), ApiError> {
    ///         match key.strip_prefix("fl_") {
    ///             Some(secret) if secret.len() >= 16 => Ok(()),
    ///             _ => Err(Error::Config("Fleet tokens start with `fl_`; copy the whole token".into()).into()),
    ///         }
    ///     }
    /// #     const NAME: &'static str = "Fleet";
    /// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
    /// #     const USER_AGENT: &'static str = "fleet/1.0";
    /// #     const DEFAULT_BASE_URL: Option<&'static str> = Some("https://fleet.example/v1");
    /// #     fn error_from_response(response: hacktron_runtime::ErrorResponse) -> ApiError { response.into() }
    /// }
    /// # struct Token;
    /// # impl hacktron_runtime::scope::KeyKind for Token { type Service = Fleet; }
    /// assert!(Client::<Token>::new("fl_0123456789abcdef").is_ok());
    /// assert!(Client::<Token>::new("0123456789abcdef").is_err()); // before any request
    /// # Ok(()) }
    /// ```
    fn check_key(key: &str) -> Result<(), Self::Error> {
        let _ = key;
        Ok(())
    }

    /// Turns a non-success response into the service's error.
    ///
    /// ```
    /// use hacktron_runtime::service::Service;
    /// use hacktron_runtime::{ErrorResponse, StatusCode};
    ///
    /// #[derive(Debug)]
    /// enum FleetError {
    ///     Locked,
    ///     Status(StatusCode),
    ///     Call(hacktron_runtime::Error),
    /// }
    /// impl From<hacktron_runtime::Error> for FleetError {
    ///     fn from(e: hacktron_runtime::Error) -> Self {
    ///         FleetError::Call(e)
    ///     }
    /// }
    ///
    /// enum Fleet {}
    /// impl Service for Fleet {
    ///     type Error = FleetError;
    ///     fn error_from_response(response: ErrorResponse) -> FleetError {
    ///         match response.status {
    ///             StatusCode::LOCKED => FleetError::Locked,
    ///             status => FleetError::Status(status),
    ///         }
    ///     }
    /// #     const NAME: &'static str = "Fleet";
    /// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
    /// #     const USER_AGENT: &'static str = "fleet/1.0";
    /// }
    /// let body = r#"{"message": "deploy in progress"}"#.into();
    /// let locked = ErrorResponse::new(StatusCode::LOCKED, Default::default(), body, false);
    /// assert!(matches!(Fleet::error_from_response(locked), FleetError::Locked));
    /// ```
    fn error_from_response(response: ErrorResponse) -> Self::Error;

    /// Whether a failure may be retried: the one classifier that the retry
    /// loop, the service error's `is_retryable` and polling helpers ask
    /// (through [`verdict`], which holds the rule below). The default is
    /// [`default_retry`].
    ///
    /// A classifier cannot make a write be sent twice: when the outcome of
    /// an attempt is unknown (a `5xx`, a timeout, a connection lost after
    /// the request went out; [`Failure::outcome_unknown`]), a
    /// [`Retry::Yes`] counts as [`Retry::IfIdempotent`], so only a request
    /// safe to repeat (an idempotent method, or an endpoint declared
    /// `idempotent`) is resent. Saying `Yes` widens a retry only where the
    /// server answered that nothing was done (a `429`, a `409` of your API).
    ///
    /// ```
    /// use hacktron_runtime::service::{Failure, Retry, Service, default_retry};
    /// use hacktron_runtime::{Error, ErrorResponse, StatusCode};
    ///
    /// /// An API that answers `423 Locked` before doing anything, while a
    /// /// deploy holds the service: any request may be sent again later.
    /// enum Fleet {}
    /// impl Service for Fleet {
    ///     type Error = hacktron_runtime::ApiError;
    ///     fn retry(failure: Failure<'_>) -> Retry {
    ///         match failure {
    ///             Failure::Response(r) if r.status == StatusCode::LOCKED => Retry::Yes { after: r.retry_after() },
    ///             other => default_retry(other),
    ///         }
    ///     }
    /// #     const NAME: &'static str = "Fleet";
    /// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
    /// #     const USER_AGENT: &'static str = "fleet/1.0";
    /// #     fn error_from_response(response: ErrorResponse) -> hacktron_runtime::ApiError { response.into() }
    /// }
    /// let locked = ErrorResponse::new(StatusCode::LOCKED, Default::default(), "{}".into(), false);
    /// assert_eq!(Fleet::retry(Failure::Response(&locked)), Retry::Yes { after: None });
    /// assert_eq!(Fleet::retry(Failure::Timeout), Retry::IfIdempotent { after: None });
    /// ```
    fn retry(failure: Failure<'_>) -> Retry {
        default_retry(failure)
    }

    /// The error of a call to an endpoint not safe to repeat (a `POST` or
    /// `PATCH` not declared `idempotent`) whose last attempt has an unknown
    /// outcome ([`Failure::outcome_unknown`]): the request was sent once and
    /// not again, and it may have been applied. The default returns `error`
    /// as it is; a service wraps it in an error that says how to check
    /// (`endpoint` says which operation it was).
    ///
    /// ```
    /// use hacktron_runtime::service::Service;
    /// use hacktron_runtime::{Endpoint, ErrorResponse};
    ///
    /// #[derive(Debug)]
    /// enum FleetError {
    ///     /// The deploy may have started; look before starting another.
    ///     MayHaveApplied { operation: &'static str, cause: Box<FleetError> },
    ///     Status(Box<ErrorResponse>),
    ///     Call(hacktron_runtime::Error),
    /// }
    /// impl From<hacktron_runtime::Error> for FleetError {
    ///     fn from(e: hacktron_runtime::Error) -> Self {
    ///         FleetError::Call(e)
    ///     }
    /// }
    ///
    /// enum Fleet {}
    /// impl Service for Fleet {
    ///     type Error = FleetError;
    ///     fn may_have_applied(endpoint: &'static Endpoint, error: FleetError) -> FleetError {
    ///         FleetError::MayHaveApplied { operation: endpoint.name, cause: Box::new(error) }
    ///     }
    /// #     const NAME: &'static str = "Fleet";
    /// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
    /// #     const USER_AGENT: &'static str = "fleet/1.0";
    /// #     fn error_from_response(r: ErrorResponse) -> FleetError { FleetError::Status(Box::new(r)) }
    /// }
    /// ```
    fn may_have_applied(endpoint: &'static Endpoint, error: Self::Error) -> Self::Error {
        let _ = endpoint;
        error
    }
}

/// The verdict the runtime acts on: the service's [`Service::retry`], with
/// the rule no service can lift: [`Retry::Yes`] (resend whatever the
/// method) stands only where nothing can have been applied, a connection
/// never made or a `4xx` refusal. After anything else, an unknown outcome
/// ([`Failure::outcome_unknown`]: a `5xx`, a timeout, a connection lost) or
/// a success answer the client could not read, it becomes
/// [`Retry::IfIdempotent`], so a request that is not safe to repeat is never
/// sent twice.
///
/// ```
/// use hacktron_runtime::service::{Failure, Retry, Service, verdict};
/// use hacktron_runtime::{Error, ErrorResponse, StatusCode};
///
/// /// A service whose classifier calls every failure safe to resend.
/// enum Reckless {}
/// impl Service for Reckless {
///     type Error = hacktron_runtime::ApiError;
///     fn retry(_: Failure<'_>) -> Retry {
///         Retry::Yes { after: None }
///     }
/// #     const NAME: &'static str = "Reckless";
/// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
/// #     const USER_AGENT: &'static str = "reckless/1.0";
/// #     fn error_from_response(r: ErrorResponse) -> hacktron_runtime::ApiError { r.into() }
/// }
/// let oops = ErrorResponse::new(StatusCode::INTERNAL_SERVER_ERROR, Default::default(), "{}".into(), false);
/// assert_eq!(verdict::<Reckless>(Failure::Response(&oops)), Retry::IfIdempotent { after: None });
/// assert_eq!(verdict::<Reckless>(Failure::Timeout), Retry::IfIdempotent { after: None });
/// assert_eq!(verdict::<Reckless>(Failure::Other), Retry::IfIdempotent { after: None }); // a 200 that did not decode
/// assert_eq!(verdict::<Reckless>(Failure::Connect), Retry::Yes { after: None }); // nothing was sent
/// ```
pub fn verdict<S: Service + ?Sized>(failure: Failure<'_>) -> Retry {
    capped(failure, S::retry(failure))
}

/// `retry` under the rule of [`verdict`].
pub(crate) fn capped(failure: Failure<'_>, retry: Retry) -> Retry {
    let refused = match failure {
        Failure::Connect => true,
        Failure::Response(r) => r.status.is_client_error(),
        Failure::Timeout | Failure::Transport | Failure::Other => false,
    };
    match retry {
        Retry::Yes { after } if !refused => Retry::IfIdempotent { after },
        other => other,
    }
}

/// A failed attempt, as a retry classifier sees it.
///
/// ```
/// use hacktron_runtime::service::{Failure, Retry, default_retry};
///
/// assert_eq!(default_retry(Failure::Connect), Retry::Yes { after: None }); // nothing was sent
/// assert_eq!(default_retry(Failure::Transport), Retry::IfIdempotent { after: None });
/// assert_eq!(default_retry(Failure::Other), Retry::No);
/// ```
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

impl Failure<'_> {
    /// Whether the request may have been applied without the client
    /// learning it: a `5xx` answer (a server can fail after committing, a
    /// gateway can give up on a server that is still working), a timeout, or
    /// a connection lost after the request went out.
    ///
    /// ```
    /// use hacktron_runtime::service::Failure;
    /// use hacktron_runtime::{ErrorResponse, StatusCode};
    ///
    /// let oops = ErrorResponse::new(StatusCode::BAD_GATEWAY, Default::default(), "".into(), false);
    /// assert!(Failure::Response(&oops).outcome_unknown());
    /// assert!(Failure::Timeout.outcome_unknown() && Failure::Transport.outcome_unknown());
    /// let throttled = ErrorResponse::new(StatusCode::TOO_MANY_REQUESTS, Default::default(), "".into(), false);
    /// assert!(!Failure::Response(&throttled).outcome_unknown()); // refused before processing
    /// assert!(!Failure::Connect.outcome_unknown()); // never sent
    /// ```
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Failure::Response(r) => r.status.is_server_error(),
            Failure::Timeout | Failure::Transport => true,
            Failure::Connect | Failure::Other => false,
        }
    }
}

/// A classifier's verdict on a failure.
///
/// ```
/// use std::time::Duration;
/// use hacktron_runtime::service::Retry;
///
/// let unknown = Retry::IfIdempotent { after: Some(Duration::from_secs(2)) };
/// assert!(unknown.is_retryable());
/// assert!(unknown.allows(true) && !unknown.allows(false));
/// assert_eq!(unknown.after(), Some(Duration::from_secs(2)));
/// ```
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
    /// repeat (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, or an endpoint
    /// declared `idempotent`).
    IfIdempotent {
        /// The server's `Retry-After`, when it sent one.
        after: Option<Duration>,
    },
}

impl Retry {
    /// Whether a request may be sent again after this verdict, given whether
    /// it is idempotent ([`Endpoint::is_idempotent`](crate::Endpoint::is_idempotent)).
    ///
    /// ```
    /// use hacktron_runtime::service::Retry;
    ///
    /// assert!(Retry::Yes { after: None }.allows(false)); // not processed: any request
    /// assert!(!Retry::IfIdempotent { after: None }.allows(false)); // a `POST` stays sent once
    /// assert!(!Retry::No.allows(true));
    /// ```
    pub fn allows(self, idempotent: bool) -> bool {
        match self {
            Retry::No => false,
            Retry::Yes { .. } => true,
            Retry::IfIdempotent { .. } => idempotent,
        }
    }

    /// Whether some request could be sent again (an idempotent one, at least).
    ///
    /// ```
    /// use hacktron_runtime::service::Retry;
    ///
    /// assert!(Retry::IfIdempotent { after: None }.is_retryable());
    /// assert!(!Retry::No.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        self != Retry::No
    }

    /// The delay the server asked for, if any.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::service::Retry;
    ///
    /// assert_eq!(Retry::Yes { after: Some(Duration::from_secs(30)) }.after(), Some(Duration::from_secs(30)));
    /// assert_eq!(Retry::No.after(), None);
    /// ```
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
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::service::{Failure, Retry, default_retry};
/// use hacktron_runtime::{ErrorResponse, HeaderMap, StatusCode};
///
/// let mut headers = HeaderMap::new();
/// headers.insert("retry-after", "3".parse()?);
/// let throttled = ErrorResponse::new(StatusCode::TOO_MANY_REQUESTS, headers, "{}".into(), false);
/// assert_eq!(default_retry(Failure::Response(&throttled)), Retry::Yes { after: Some(Duration::from_secs(3)) });
/// let gateway = ErrorResponse::new(StatusCode::BAD_GATEWAY, HeaderMap::new(), "{}".into(), false);
/// assert_eq!(default_retry(Failure::Response(&gateway)), Retry::IfIdempotent { after: None });
/// # Ok(()) }
/// ```
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
