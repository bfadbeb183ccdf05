//! A framework for declaring bindings of any HTTP API: describe the API
//! once (its auth, host, scopes and errors), declare each operation as a
//! trait method with [`#[endpoint]`](endpoint), and call it as an async
//! method on a [`Client`]. The compiler checks that the client's key may
//! call it; the runtime sends it, retries what is safe to retry, and turns
//! every failure into a typed error.
//!
//! A notes API with bearer tokens, two scopes and its own error body, bound
//! from scratch:
//!
//! ```
//! use hacktron_runtime::scope::KeyKind;
//! use hacktron_runtime::service::{Auth, Service};
//! use hacktron_runtime::{ApiError, Client, ErrorDetails, ErrorResponse, endpoint};
//!
//! /// The Notes API.
//! pub enum Notes {}
//! impl Service for Notes {
//!     type Error = ApiError; // the stock error: a status, or what any call can hit
//!     const NAME: &'static str = "Notes";
//!     const AUTH: Auth = Auth::Header { name: "authorization", scheme: Some("Bearer") };
//!     const USER_AGENT: &'static str = "notes-sdk/0.1";
//!     const DEFAULT_BASE_URL: Option<&'static str> = Some("https://notes.example/api");
//!     fn error_from_response(response: ErrorResponse) -> ApiError {
//!         response.into()
//!     }
//! }
//!
//! /// A token that has only scope `notes:read`.
//! pub struct ReadToken;
//! impl KeyKind for ReadToken {
//!     type Service = Notes;
//! }
//! hacktron_runtime::scopes! {
//!     credential = "token";
//!     /// Scope `notes:read`.
//!     pub read = "notes:read";
//!     grants {
//!         ReadToken: read;
//!     }
//! }
//!
//! #[derive(serde::Deserialize)]
//! pub struct Note {
//!     pub id: u64,
//!     pub text: String,
//! }
//!
//! pub trait NotesApi {
//!     #[endpoint(GET, "/notes/{id}", scope = read)]
//!     async fn note(&self, id: u64) -> Result<Note, ApiError>;
//! }
//! impl<K: KeyKind<Service = Notes>> NotesApi for Client<K> {}
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let canned = hacktron_runtime::transport::Canned::json(200, r#"{"id": 7, "text": "buy milk"}"#);
//! # canned.push_json(404, r#"{"message": "note 8 not found"}"#);
//! let client = Client::<ReadToken>::builder("secret-token")
//! #   .transport(canned.clone())
//!     .build()?;
//! assert_eq!(client.note(7).await?.text, "buy milk");
//! let missing = client.note(8).await.err().unwrap();
//! assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));
//! assert_eq!(missing.to_string(), "HTTP 404: note 8 not found");
//! # assert_eq!(canned.requests().lock().unwrap()[0].headers["authorization"], "Bearer secret-token");
//! # Ok(()) }
//! ```
//!
//! An API is bound in three steps, all in the API's own crate:
//!
//! 1. a type implementing [`service::Service`]: how its key is checked and
//!    sent, its default base URL, user agent, environment variables, error
//!    type, retry rules and rate limit;
//! 2. its scopes and key kinds ([`scopes!`], [`scope`]): which key may call
//!    what, checked by the compiler;
//! 3. traits of methods declared with [`#[endpoint]`](endpoint).
//!
//! The crate knows nothing of any one API. The `hacktron` crate is the
//! Hacktron API bound this way; the `fleet` example in its repository binds
//! another from scratch.
//!
//! The attribute finds this crate among the dependencies of the crate that
//! uses it. An SDK crate built on it re-exports `endpoint` and the hidden
//! module `__private` at its root (with
//! `#[doc(hidden)] pub use hacktron_runtime::__private;`), so the SDK's users
//! need no dependency on this crate, reqwest, serde_json or tokio; they name
//! the SDK once per trait, `#[endpoint(crate = the_sdk)]`. The generated
//! paths name the runtime's version (`__private::v0_1`), and this crate pins
//! the macro crate exactly, so generated code never meets a runtime of
//! another version silently.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::hacktron_runtime::...` by default; this makes that
// path work inside this crate too.
extern crate self as hacktron_runtime;

mod call;
mod canned;
mod client;
pub mod credential;
mod details;
mod endpoint;
mod error;
#[doc(hidden)]
pub mod example;
pub mod hook;
mod key;
mod limiter;
pub mod limits;
pub mod multipart;
mod output;
mod paginate;
pub mod record;
mod redirect;
mod request;
mod response;
pub mod retry;
pub mod scope;
pub mod service;
pub mod transport;

pub use client::{Api, AsClient, Client, ClientBuilder, DEFAULT_MAX_BODY, ErrorOf, KeyOf, Narrows, ServiceOf};
pub use details::{ApiError, ErrorDetails};
pub use endpoint::{Endpoint, Method};
pub use error::{BoxError, Error, ErrorResponse, MAX_ERROR_BODY, Outcome, Printable, parse_error_body};
pub use hook::Hook;
pub use http::{HeaderMap, StatusCode};
pub use key::ApiKey;
pub use limiter::{Permit, RateLimiter};
pub use paginate::{PageStyle, Pages, Paginated, Pagination, PaginationError};
pub use response::{ByteStream, Conditional, FromResponse, Response, Text, decode};
pub use retry::RetryPolicy;
pub use service::{Auth, Failure, Retry, Service};

#[doc(inline)]
pub use hacktron_macros::endpoint;
#[doc(inline)]
pub use hacktron_macros::scopes;

/// What `#[endpoint]`'s generated code uses. Not a public API: it may change
/// in any release. Its one submodule is named after the runtime's
/// version, and the macro names that version, so a mismatch is a compile
/// error, not a silent misuse.
#[doc(hidden)]
pub mod __private {
    /// The items generated code names, for this version of the runtime.
    pub mod v0_1 {
        pub use crate::client::{Api, AsClient, ErrorOf, KeyOf};
        pub use crate::endpoint::{Endpoint, Method};
        pub use crate::output::CallOutput;
        pub use crate::paginate::{PageStyle, PagedOutput, PagedType, Pagination, paged_type};
        pub use crate::request::{HeaderArg, RawBody, Request};
        pub use crate::scope::{KeyKind, KeyUse, Scope};
        /// The future an endpoint method returns.
        pub type Pending<'a, T> = std::pin::Pin<std::boxed::Box<dyn core::future::Future<Output = T> + Send + 'a>>;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_private_module_is_named_after_this_version() {
        let version = env!("CARGO_PKG_VERSION");
        let mut parts = version.split('.');
        let (major, minor) = (parts.next().unwrap(), parts.next().unwrap());
        // `v0_1` above: for 0.x the minor version is the breaking one.
        let expected = if major == "0" {
            format!("v0_{minor}")
        } else {
            format!("v{major}")
        };
        assert_eq!(
            expected, "v0_1",
            "rename `__private::v0_1` and the macro's path for {version}"
        );
    }
}
