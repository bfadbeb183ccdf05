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
//! let client = Client::<ReadOnly>::from_env()?; // HACKTRON_API_KEY
//! let page = client.list_findings(&FindingListQuery::new().severity(Severity::Critical)).await?;
//! println!("{} critical findings", page.total);
//! // client.create_scan(..) would not compile: a read-only key lacks `write`.
//! # Ok(()) }
//! ```
//!
//! # Declaring endpoints of your own
//!
//! The bindings are declared with [`endpoint`], which you can use for any
//! HTTP API, with scopes of your own (see [`scope`]):
//!
//! ```
//! use hacktron::{endpoint, Client, Error};
//! use hacktron::models::Scan;
//!
//! pub trait MoreScans {
//!     /// Same as `Scans::get_scan`, declared again.
//!     #[endpoint(GET, "/scans/{id}", scope = read)]
//!     async fn scan_again(&self, id: &str) -> Result<Scan, Error>;
//! }
//! impl<K: hacktron::scope::KeyKind> MoreScans for Client<K> {}
//!
//! assert_eq!(<Client as MoreScans>::SCAN_AGAIN.path, "/scans/{id}");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::hacktron::...`; this makes that path work inside
// this crate too.
extern crate self as hacktron;

pub mod api;
pub mod models;
mod paginate;
mod wait;

#[doc(inline)]
pub use hacktron_macros::endpoint;
pub use hacktron_runtime::{
    Api, ApiKey, ByteStream, Client, ClientBuilder, DEFAULT_BASE_URL, Endpoint, Error, ErrorResponse, FromResponse,
    HeaderMap, Hook, KeyError, Method, NoKey, RateLimiter, ReadOnly, ReadWrite, Response, RetryPolicy, StatusCode,
    retry, scope, transport,
};
pub use paginate::Items;
pub use wait::{MIN_PUBLIC_INTERVAL, Wait};

/// The client, its key types and every API trait: `use hacktron::prelude::*`.
pub mod prelude {
    pub use crate::api::{CostEstimations, DependencyFirewall, Findings, Repos, Scans};
    pub use crate::{Client, Error, NoKey, ReadOnly, ReadWrite, Wait};
}

#[doc(hidden)]
pub use hacktron_runtime::__private;
