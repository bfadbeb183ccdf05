//! Rust SDK for the [Hacktron REST API](https://docs.hacktron.ai/api-reference/introduction).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names `::hacktron::...`; this makes that path work inside
// this crate too.
extern crate self as hacktron;

#[doc(inline)]
pub use hacktron_macros::endpoint;
pub use hacktron_runtime::{
    Api, ApiKey, ByteStream, Client, ClientBuilder, DEFAULT_BASE_URL, Endpoint, Error, ErrorResponse, FromResponse,
    HeaderMap, KeyError, Method, NoKey, ReadOnly, ReadWrite, Response, StatusCode, scope, transport,
};

#[doc(hidden)]
pub use hacktron_runtime::__private;

pub mod models;
