//! `Example`, a made-up API that the examples in these docs call: a key in
//! `X-Api-Key`, a default host, one scope (`read`) granted to one key kind
//! (`Token`), and one endpoint (`Things::get_thing`). Not part of the API:
//! it may change in any release.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use hacktron_runtime::Client;
//! use hacktron_runtime::example::{Things, Token};
//! use hacktron_runtime::transport::Canned;
//!
//! let canned = Canned::json(200, r#"{"id": "7"}"#);
//! let client = Client::<Token>::builder("secret-key").transport(canned.clone()).build()?;
//! assert_eq!(client.get_thing("7").await?["id"], "7");
//! assert_eq!(canned.requests().lock().unwrap()[0].url.path(), "/v1/things/7");
//! # Ok(()) }
//! ```
#![allow(missing_docs)]

use std::time::Duration;

use crate::details::ApiError;
use crate::error::ErrorResponse;
use crate::scope::KeyKind;
use crate::service::{Auth, Service};
use crate::{Client, endpoint};

pub enum Example {}

impl Service for Example {
    type Error = ApiError;
    const NAME: &'static str = "Example";
    const AUTH: Auth = Auth::Header {
        name: "x-api-key",
        scheme: None,
    };
    const USER_AGENT: &'static str = "example/1.0";
    const DEFAULT_BASE_URL: Option<&'static str> = Some("https://api.example.com/v1");
    const KEY_ENV: Option<&'static str> = Some("EXAMPLE_API_KEY");
    const KEY_PREFIX_LEN: usize = 8;
    const RATE_LIMIT: Option<(u32, Duration)> = Some((100, Duration::from_secs(60)));

    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

/// A key of the `Example` API.
#[derive(Debug)]
pub struct Token;

impl KeyKind for Token {
    type Service = Example;
}

crate::scopes! {
    crate = crate;
    pub read = "read";
    grants {
        Token: read;
    }
}

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: &str) -> Result<serde_json::Value, ApiError>;
}

impl Things for Client<Token> {}
