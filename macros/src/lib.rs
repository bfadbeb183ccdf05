//! The `#[endpoint]` attribute of the [`hacktron`](https://docs.rs/hacktron)
//! crate. This crate is an implementation detail: depend on `hacktron`, which
//! re-exports the attribute and documents it.
#![forbid(unsafe_code)]

mod args;
mod ast;
mod expand;
mod valid;

use proc_macro::TokenStream;

/// Turns a method declared in a trait into an async HTTP call.
///
/// ```ignore
/// use hacktron::{endpoint, Error};
/// use hacktron::models::{Scan, Page, ScanListQuery};
///
/// pub trait Scans {
///     #[endpoint(GET, "/scans/{id}", scope = read)]
///     async fn get_scan(&self, id: &str) -> Result<Scan, Error>;
///
///     #[endpoint(GET, "/scans", scope = read)]
///     async fn list_scans(&self, #[query(flatten)] query: &ScanListQuery) -> Result<Page<Scan>, Error>;
/// }
/// impl<K: hacktron::scope::KeyKind> Scans for hacktron::Client<K> {}
/// ```
///
/// # Arguments of the attribute
///
/// - **Method**: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
/// - **Path**: a string literal relative to the client's base URL. Each
///   `{name}` placeholder is a whole path segment bound to the argument of
///   that name (or to one marked `#[path("name")]`); its value, formatted
///   with `Display`, is percent-encoded as exactly one segment.
/// - **`scope = ...`** (required): `read`, `write`, `public` (no key is sent),
///   or the path of a scope type of your own (see `hacktron::scope`). The
///   method can only be called on a client whose key type grants the scope;
///   otherwise the build fails with `API key missing required scope: ...`.
/// - **`retry = never`** or **`retry = N`** (optional): at most `N` attempts
///   for this endpoint, whatever the client's retry policy allows (`never`
///   is 1). What is retried and when is the policy's business
///   (`hacktron::RetryPolicy`).
///
/// # Method arguments
///
/// After `&self`, every argument binds to one part of the request:
///
/// | argument | sent as |
/// |---|---|
/// | `id: &str` with `{id}` in the path | path segment |
/// | `#[path("packageName")] name: &str` | path segment `{packageName}` |
/// | `#[query] limit: Option<u32>` | `limit=...`, left out when `None` |
/// | `#[query("wait_seconds")] wait: u32` | `wait_seconds=...` |
/// | `#[query(flatten)] q: &ListQuery` | every field of a flat serde struct |
/// | `#[body] body: &CreateScan` | JSON body (not on `GET`/`DELETE`; one per endpoint) |
/// | `#[header("X-Request-Id")] id: &str` | header (`Option`: left out when `None`) |
///
/// An argument bound nowhere is a compile error.
///
/// # Return type
///
/// `Result<T, hacktron::Error>` where `T` is any `DeserializeOwned` type
/// (decoded from JSON), `()` for an empty body (`204`), `hacktron::ByteStream`
/// for a body read as it arrives, or `hacktron::Response<T>` for `T` together
/// with the status and headers.
///
/// # What is generated
///
/// The method gets a body that returns a `Send` future, and the trait gets a
/// constant named after the method in upper case (`GET_SCAN`) holding its
/// `hacktron::Endpoint` metadata: method, path template and scope.
#[proc_macro_attribute]
pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::endpoint(args.into(), item.into()).into()
}
