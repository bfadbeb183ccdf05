//! httpbin (<https://pypi.org/project/httpbin/>, run on 127.0.0.1) bound
//! with `hacktron-runtime` by declarations alone: no hook rewrites a
//! request, no code of ours builds one. httpbin echoes what it receives, so
//! the tests in `tests/live.rs` assert what went over the wire, from the
//! server's side.
//!
//! `examples/real-apis/run.sh` installs httpbin at a pinned version, starts
//! it on a free port and runs the tests against it.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::BTreeMap;

use hacktron_runtime::multipart::Multipart;
use hacktron_runtime::scope::{KeyKind, public};
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{ApiError, Client, Conditional, ErrorResponse, endpoint};
use serde::{Deserialize, Serialize};

/// httpbin, as a service: a bearer token where an endpoint needs one, an
/// API-version header and a vendor `Accept` on every request.
pub enum HttpBin {}

impl Service for HttpBin {
    type Error = ApiError;
    const NAME: &'static str = "httpbin";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "httpbin-sdk/0.1";
    const DEFAULT_HEADERS: &'static [(&'static str, &'static str)] = &[
        ("accept", "application/vnd.httpbin+json"),
        ("x-api-version", "2024-01-01"),
    ];
    const KEY_ENV: Option<&'static str> = Some("HTTPBIN_TOKEN");
    const BASE_URL_ENV: Option<&'static str> = Some("HTTPBIN_URL");

    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

/// A client with a bearer token.
pub struct Bearer;
impl KeyKind for Bearer {
    type Service = HttpBin;
}

hacktron_runtime::scopes! {
    credential = "bearer token";
    /// Scope `token`: endpoints httpbin answers only with a bearer token.
    pub token = "token";
    /// A token if the client has one: httpbin answers with or without it.
    pub token_if_any = optional "token";
    grants {
        Bearer: token;
    }
}

/// What `/anything` saw of a request.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Echo {
    /// The request method.
    pub method: String,
    /// The URL as httpbin rebuilt it (path percent-decoded).
    pub url: String,
    /// The query parameters, decoded.
    pub args: BTreeMap<String, String>,
    /// The request headers, as httpbin names them (`Content-Type`).
    pub headers: BTreeMap<String, String>,
    /// The fields of a form body.
    pub form: BTreeMap<String, String>,
    /// A JSON body, parsed.
    pub json: Option<serde_json::Value>,
    /// The raw body, when it was neither a form nor JSON.
    pub data: String,
    /// The files of a multipart body, by field name, as text.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

/// What `/bearer` says of the token it got.
#[derive(Debug, Deserialize, PartialEq)]
pub struct TokenCheck {
    /// Always `true` in a success answer.
    pub authenticated: bool,
    /// The token as received.
    pub token: String,
}

/// A filter sent in OpenAPI's `deepObject` style.
#[derive(Debug, Serialize)]
pub struct Filter<'a> {
    /// `filter[state]`.
    pub state: &'a str,
    /// `filter[page]`, left out when `None`.
    pub page: Option<u32>,
}

/// A login sent as a form.
#[derive(Debug, Serialize)]
pub struct Login<'a> {
    /// `user`.
    pub user: &'a str,
    /// `password`.
    pub password: &'a str,
}

/// httpbin's echo and auth endpoints.
pub trait Bin {
    /// `GET /anything/{path*}`: a path of several segments, labels joined
    /// by `,` (`explode = false`), a filter as `filter[state]=…`.
    #[endpoint(GET, "/anything/{path*}", scope = public)]
    async fn echo_path(
        &self,
        path: &str,
        #[query("labels", explode = false)] labels: &[&str],
        #[query("filter", deep_object)] filter: &Filter<'_>,
    ) -> Result<Echo, ApiError>;

    /// `GET /anything/{name}`: one segment, so a `/` in it is sent encoded.
    #[endpoint(GET, "/anything/{name}", scope = public)]
    async fn echo_segment(&self, name: &str) -> Result<Echo, ApiError>;

    /// `POST /anything` with a form body.
    #[endpoint(POST, "/anything", scope = public)]
    async fn post_form(&self, #[body(form)] login: &Login<'_>) -> Result<Echo, ApiError>;

    /// `POST /anything` with a JSON body sent under a content type of the
    /// caller's choice.
    #[endpoint(POST, "/anything", scope = public)]
    async fn post_json_as(
        &self,
        #[header("content-type")] content_type: &str,
        #[body] value: &serde_json::Value,
    ) -> Result<Echo, ApiError>;

    /// `PUT /anything/{name}` with bytes as they are.
    #[endpoint(PUT, "/anything/{name}", scope = public)]
    async fn put_bytes(&self, name: &str, #[body(raw)] content: &[u8]) -> Result<Echo, ApiError>;

    /// `PUT /anything/{name}` with text, under a content type of the caller's.
    #[endpoint(PUT, "/anything/{name}", scope = public)]
    async fn put_text(
        &self,
        name: &str,
        #[header("content-type")] content_type: Option<&str>,
        #[body(raw)] text: &str,
    ) -> Result<Echo, ApiError>;

    /// `POST /anything` with a `multipart/form-data` body: fields, and
    /// files read from disk as they are sent.
    #[endpoint(POST, "/anything", scope = public)]
    async fn upload(&self, #[body(multipart)] form: &Multipart) -> Result<Echo, ApiError>;

    /// `POST /status/{code}` with a multipart body: httpbin reads it all
    /// and answers with the status alone.
    #[endpoint(POST, "/status/{code}", scope = public)]
    async fn upload_for_status(&self, code: u16, #[body(multipart)] form: &Multipart) -> Result<(), ApiError>;

    /// `POST /anything` with no body at all.
    #[endpoint(POST, "/anything", scope = public)]
    async fn post_nothing(&self) -> Result<Echo, ApiError>;

    /// `GET /anything` asking for another `Accept` than the service's.
    #[endpoint(GET, "/anything", scope = public)]
    async fn echo_accepting(&self, #[header("accept")] accept: &str) -> Result<Echo, ApiError>;

    /// `GET /anything/optional`: any client may call it; its token, when it
    /// has one, goes along (and is echoed back).
    #[endpoint(GET, "/anything/optional", scope = token_if_any)]
    async fn echo_token_if_any(&self) -> Result<Echo, ApiError>;

    /// `GET /bearer`: `401` without a token.
    #[endpoint(GET, "/bearer", scope = token)]
    async fn check_token(&self) -> Result<TokenCheck, ApiError>;

    /// `GET /bearer` declared public: the token is not sent.
    #[endpoint(GET, "/bearer", scope = public)]
    async fn check_token_without_sending_it(&self) -> Result<TokenCheck, ApiError>;

    /// `GET /etag/{etag}`: a resource whose `ETag` is `etag`, answered
    /// `304` when `If-None-Match` names it and `412` when `If-Match` does
    /// not.
    #[endpoint(GET, "/etag/{etag}", scope = public)]
    async fn versioned(
        &self,
        etag: &str,
        #[header("if-none-match")] if_none_match: Option<&str>,
        #[header("if-match")] if_match: Option<&str>,
    ) -> Result<Conditional<serde_json::Value>, ApiError>;

    /// `GET {next}`: a whole URL, a link an earlier answer handed out, with
    /// a query parameter of ours added. The token goes with it only to the
    /// service's own origins.
    #[endpoint(GET, "", scope = token)]
    async fn follow(&self, #[url] next: &str, #[query] page: Option<u32>) -> Result<Echo, ApiError>;

    /// `GET /redirect-to?url=…`: a `302` to `url`.
    #[endpoint(GET, "/redirect-to", scope = token)]
    async fn redirect_to(&self, #[query] url: &str) -> Result<Echo, ApiError>;

    /// `GET /redirect/{n}`: `n` redirects in a row, then `/get`.
    #[endpoint(GET, "/redirect/{n}", scope = token)]
    async fn redirects(&self, n: u32) -> Result<serde_json::Value, ApiError>;

    /// `GET /status/{code}`: an answer of that status.
    #[endpoint(GET, "/status/{code}", scope = public)]
    async fn status(&self, code: u16) -> Result<(), ApiError>;
}

impl<K: KeyKind<Service = HttpBin>> Bin for Client<K> {}
