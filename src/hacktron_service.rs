//! The Hacktron API as a [`Service`]: its key, host, errors and retry rules,
//! its scopes and key kinds.

use std::time::Duration;

use hacktron_runtime::Endpoint;
use hacktron_runtime::service::{Auth, Service};

use crate::ErrorResponse;
use crate::error::{Error, KeyError, PREFIX_LEN, check_key, classify};

/// The public Hacktron API.
pub const DEFAULT_BASE_URL: &str = "https://api.hacktron.ai/v1";

/// The Hacktron REST API: the [`Service`] behind [`Client`](crate::Client).
///
/// - the key is `hacktron_` and a secret, sent as `X-Api-Key`; its first 12
///   characters are the non-secret prefix the dashboard shows;
/// - requests go to [`DEFAULT_BASE_URL`] unless told otherwise, as
///   `hacktron-rs/<version>`; `from_env` reads `HACKTRON_API_KEY` and
///   `HACKTRON_BASE_URL`;
/// - a non-success response becomes an [`Error`] variant by its message and
///   status;
/// - a request is resent after an unknown outcome (a `5xx`, no answer) only
///   when it is safe to repeat; a write that is not becomes
///   [`Error::WriteMayHaveApplied`];
/// - the documented limit is 100 requests per rolling 60 s per key.
///
/// ```
/// use hacktron::Hacktron;
/// use hacktron::service::Service;
///
/// assert_eq!(Hacktron::KEY_ENV, Some("HACKTRON_API_KEY"));
/// assert_eq!(Hacktron::RATE_LIMIT, Some((100, std::time::Duration::from_secs(60))));
/// ```
#[derive(Debug, Clone, Copy)]
pub enum Hacktron {}

impl Service for Hacktron {
    type Error = Error;

    const NAME: &'static str = "Hacktron";
    const AUTH: Auth = Auth::Header {
        name: "x-api-key",
        scheme: None,
    };
    const USER_AGENT: &'static str = concat!("hacktron-rs/", env!("CARGO_PKG_VERSION"));
    const DEFAULT_BASE_URL: Option<&'static str> = Some(DEFAULT_BASE_URL);
    const KEY_ENV: Option<&'static str> = Some("HACKTRON_API_KEY");
    const BASE_URL_ENV: Option<&'static str> = Some("HACKTRON_BASE_URL");
    const KEY_PREFIX_LEN: usize = PREFIX_LEN;
    const RATE_LIMIT: Option<(u32, Duration)> = Some((100, Duration::from_secs(60)));

    fn check_key(key: &str) -> Result<(), Error> {
        check_key(key).map_err(|e: KeyError| Error::InvalidKey(e))
    }

    fn error_from_response(response: ErrorResponse) -> Error {
        classify(response)
    }

    // `retry` is the HTTP rules ([`default_retry`]). The errors page calls a
    // `500` "safe to retry with backoff", but a server can fail after it
    // committed the write: a `500` is resent only for requests safe to
    // repeat (README, "What is sent again").

    /// An unknown outcome of a write that is not safe to repeat becomes
    /// [`Error::WriteMayHaveApplied`], with the way to check for it.
    fn may_have_applied(endpoint: &'static Endpoint, error: Error) -> Error {
        Error::WriteMayHaveApplied {
            operation: endpoint.name,
            check: how_to_check(endpoint),
            cause: Box::new(error),
        }
    }
}

/// How to find out whether a write whose answer was lost was applied.
fn how_to_check(endpoint: &Endpoint) -> &'static str {
    use crate::api::{CostEstimations, Findings};
    if *endpoint == <crate::Client as Findings>::ADD_FINDING_COMMENT {
        "look for the comment in the finding's `triage_thread` (`get_finding`) before adding it again"
    } else if *endpoint == <crate::Client as CostEstimations>::CREATE_COST_ESTIMATION {
        "look for the estimation with `list_cost_estimations` (most recent first) before creating another"
    } else {
        "check the resource's current state before sending the request again"
    }
}

/// Scopes of the Hacktron API and the key kinds that grant them.
///
/// A [`Client<K>`](crate::Client) calls an endpoint only when its key kind
/// `K` is granted the endpoint's scope; otherwise the build fails with the
/// server's words, `API key missing required scope: write`. Each scope is a
/// trait that the key kinds granted it implement, so a function that takes
/// any Hacktron client able to read is bounded by `read`:
///
/// [`CanRead`](crate::scope::CanRead) (or [`CanWrite`](crate::scope::CanWrite)) is the
/// short form of that bound:
///
/// ```
/// use hacktron::prelude::*;
/// use hacktron::scope::CanRead;
///
/// async fn scan_count<K: CanRead>(client: &Client<K>) -> Result<u64, Error> {
///     Ok(client.list_scans(&Default::default()).await?.total)
/// }
/// ```
///
/// which stands for:
///
/// ```
/// use hacktron::prelude::*;
/// use hacktron::Hacktron;
/// use hacktron::scope::{KeyKind, read};
///
/// async fn scan_count<K>(client: &Client<K>) -> Result<u64, Error>
/// where
///     K: read + KeyKind<Service = Hacktron>,
/// {
///     Ok(client.list_scans(&Default::default()).await?.total)
/// }
/// ```
pub mod scope {
    /// No scope: the endpoint is public and no key is sent, even if the
    /// client has one (the runtime's stock scope).
    pub use hacktron_runtime::scope::public;
    pub use hacktron_runtime::scope::{KeyKind, KeyUse, Keyless, Scope};

    use super::Hacktron;

    /// A key created with the `read` scope only.
    #[derive(Debug, Clone, Copy)]
    pub struct ReadOnly;
    /// A key created with `read` and `write` (the usual choice, and the
    /// default of [`Client`](crate::Client)).
    #[derive(Debug, Clone, Copy)]
    pub struct ReadWrite;
    /// No key at all: only [`public`] endpoints can be called.
    #[derive(Debug, Clone, Copy)]
    pub struct NoKey;

    impl KeyKind for ReadOnly {
        type Service = Hacktron;
    }
    impl KeyKind for ReadWrite {
        type Service = Hacktron;
    }
    impl KeyKind for NoKey {
        type Service = Hacktron;
    }
    impl Keyless for NoKey {}

    // The scope names are lower case on purpose: the server spells them so.
    // Each is a trait, so it holds no value-namespace name: `let read = ...`
    // next to `use hacktron::prelude::*` still binds.
    hacktron_runtime::scopes! {
        crate = crate;
        credential = "API key";
        /// Scope `read`: all `GET` endpoints.
        pub read = "read";
        /// Scope `write`: mutating endpoints. A key with `write` has `read` too.
        pub write = "write";

        grants {
            ReadOnly: read;
            ReadWrite: read, write;
        }
    }

    /// A Hacktron key kind granted `read`: the bound for a function that
    /// takes any client able to read (a `Client<ReadOnly>` or a
    /// `Client<ReadWrite>`). Implemented for every such kind.
    #[diagnostic::on_unimplemented(
        message = "API key missing required scope: read",
        label = "key kind `{Self}` is not a Hacktron key granted scope `read`",
        note = "`ReadOnly` and `ReadWrite` keys are granted `read`"
    )]
    pub trait CanRead: KeyKind<Service = Hacktron> + read {}
    impl<K: KeyKind<Service = Hacktron> + read> CanRead for K {}

    /// A Hacktron key kind granted `write` (and so `read`): the bound for a
    /// function that takes any client able to write. Implemented for every
    /// such kind.
    #[diagnostic::on_unimplemented(
        message = "API key missing required scope: write",
        label = "key kind `{Self}` is not a Hacktron key granted scope `write`",
        note = "`ReadWrite` keys are granted `write`"
    )]
    pub trait CanWrite: CanRead + write {}
    impl<K: CanRead + write> CanWrite for K {}

    impl hacktron_runtime::Narrows<ReadOnly> for ReadWrite {}
    impl hacktron_runtime::Narrows<NoKey> for ReadWrite {}
    impl hacktron_runtime::Narrows<NoKey> for ReadOnly {}
}
