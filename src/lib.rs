//! Rust SDK for the [Hacktron REST API](https://docs.hacktron.ai/api-reference/introduction):
//! every operation as a typed async method, scopes checked by the compiler,
//! every documented failure a variant of [`Error`], and a local sandbox
//! (`hacktron-sandbox`) to run it all without an account.
//!
//! ```no_run
//! use hacktron::prelude::*;
//! use hacktron::models::{FindingListQuery, Severity};
//!
//! # async fn demo() -> Result<(), hacktron::Error> {
//! let client = Client::from_env()?.read_only(); // HACKTRON_API_KEY; a read-only type
//! let page = client.list_findings(&FindingListQuery::new().severity(Severity::Critical)).await?;
//! println!("{} critical findings", page.total);
//! // client.create_scan(..) would not compile: a read-only key lacks `write`.
//! # Ok(()) }
//! ```
//!
//! # Declaring endpoints of your own
//!
//! The bindings are declared with [`endpoint`]; declare more the same way:
//!
//! ```
//! use hacktron::{endpoint, Client, Error, Hacktron};
//! use hacktron::models::Scan;
//! use hacktron::scope::{KeyKind, read};
//!
//! pub trait MoreScans {
//!     /// Same as `Scans::get_scan`, declared again.
//!     #[endpoint(GET, "/scans/{id}", scope = read)]
//!     async fn scan_again(&self, id: &str) -> Result<Scan, Error>;
//! }
//! impl<K: KeyKind<Service = Hacktron>> MoreScans for Client<K> {}
//!
//! assert_eq!(<Client as MoreScans>::SCAN_AGAIN.path, "/scans/{id}");
//! ```
//!
//! The same attribute binds any other HTTP API, with its own auth, scopes,
//! key kinds and error type: that is the runtime's [`service::Service`]
//! seam, shown from scratch in the repository's `fleet` example.
//!
//! # Cargo features
//!
//! - `rustls` (default): TLS by rustls with the aws-lc-rs provider
//!   (post-quantum key exchange) and the platform's certificate verifier.
//!   No OpenSSL.
//! - `native-tls`: TLS by the platform's library (OpenSSL on Linux,
//!   Security.framework on macOS, SChannel on Windows). With `rustls` also on,
//!   rustls is used; for native TLS alone, depend with
//!   `default-features = false, features = ["native-tls"]`.
//!
//! With neither, the client speaks plain http only (enough for the
//! sandbox), and building one for an `https` base URL is an
//! `Error::Call(CallError::Config(..))` that says which feature to turn on.
//! [`transport::TLS_BACKEND`] says which stack a build has.
//!
//! One dependency and tokio are enough: the types the API names are
//! re-exported ([`Bytes`], [`Stream`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::hacktron::...`; this makes that path work inside
// this crate too.
extern crate self as hacktron;

pub mod api;
mod client;
mod error;
mod hacktron_service;
pub mod models;
mod paginate;
mod wait;

/// The byte buffer [`ByteStream`] chunks and error bodies are made of.
pub use bytes::Bytes;
pub use client::{Client, ClientBuilder, KeyedClient};
pub use error::{Error, KeyError, classify};
/// The trait [`Items`] implements: use it with the `futures` combinators.
pub use futures_core::Stream;
/// The combinators for [`Stream`]s and for streams of `Result`s
/// (`map_ok`, `try_filter`, `try_for_each_concurrent`, …), from
/// `futures-util`, so that one dependency and tokio suffice. The
/// [`prelude`] brings both into scope.
pub use futures_util::{StreamExt, TryStreamExt};
/// The runtime's error, nested in [`Error::Call`]: what any HTTP call can
/// hit (`Connect`, `Timeout`, `Transport`, `Decode`, …). Match it as
/// `Error::Call(CallError::Timeout { .. })`, or ask `e.is_timeout()`.
pub use hacktron_runtime::Error as CallError;
#[doc(inline)]
pub use hacktron_runtime::endpoint;
#[doc(inline)]
pub use hacktron_runtime::scopes;
pub use hacktron_runtime::{
    Api, ApiKey, AsClient, ByteStream, Endpoint, ErrorDetails, ErrorResponse, FromResponse, HeaderMap, Hook, KeyOf,
    Method, Pages, PaginationError, RateLimiter, Response, RetryPolicy, StatusCode, retry, transport,
};
pub use hacktron_service::{DEFAULT_BASE_URL, Hacktron, scope};
pub use paginate::Items;
pub use scope::{NoKey, ReadOnly, ReadWrite};
pub use wait::{MIN_PUBLIC_INTERVAL, Wait};

/// The service seam of the runtime, for reading [`Hacktron`]'s rules or
/// binding another API.
pub mod service {
    pub use hacktron_runtime::service::*;
}

/// The client, its key types, errors and every API trait: `use hacktron::prelude::*`.
///
/// Scopes are not in it: import them by name (`use hacktron::scope::{read, write};`)
/// where you declare endpoints, so their lower-case names stay out of every
/// module that uses the prelude. However a scope is imported, its error
/// reads as the server says it: `API key missing required scope: write`.
pub mod prelude {
    pub use crate::api::{CostEstimations, DependencyFirewall, Findings, Repos, Scans};
    pub use crate::{Client, Error, ErrorDetails as _, KeyedClient as _, NoKey, ReadOnly, ReadWrite, Wait};
    pub use futures_util::{StreamExt as _, TryStreamExt as _};
}

#[doc(hidden)]
pub use hacktron_runtime::__private;
