//! The npm registry API, as Verdaccio 6.8.0 (<https://www.npmjs.com/package/verdaccio>,
//! run on 127.0.0.1) serves it, bound with `hacktron-runtime` by
//! declarations alone: users and their tokens, read-only tokens, scoped
//! packages (`@acme/widget` is one path segment, `%40acme%2Fwidget`),
//! publishing, dist-tags, and tarballs fetched from the URL the registry
//! hands out.
//!
//! A read-only token cannot publish, and the compiler says so:
//!
//! ```compile_fail,E0277
//! # async fn f(client: hacktron_runtime::Client<npm_registry_sdk::ReadOnlyToken>, p: &npm_registry_sdk::Publish) {
//! use npm_registry_sdk::Registry;
//! client.publish("@acme/widget", p).await; // token missing required scope: publish
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::BTreeMap;

use hacktron_runtime::scope::{KeyKind, public};
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{ApiError, ByteStream, Client, ErrorResponse, Paginated, endpoint};
use serde::{Deserialize, Serialize};

/// An npm registry: bearer tokens (`npm token create`), no default host.
pub enum NpmRegistry {}

impl Service for NpmRegistry {
    type Error = ApiError;
    const NAME: &'static str = "npm registry";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "npm-registry-sdk/0.1";
    const KEY_ENV: Option<&'static str> = Some("NPM_TOKEN");

    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

/// A token made with `--read-only`.
pub struct ReadOnlyToken;
impl KeyKind for ReadOnlyToken {
    type Service = NpmRegistry;
}

/// A full token (a login's, or `npm token create`).
pub struct PublishToken;
impl KeyKind for PublishToken {
    type Service = NpmRegistry;
}

hacktron_runtime::scopes! {
    credential = "token";
    /// What a read-only token (`npm token create --read-only`) holds.
    pub read = "read";
    /// What a full token holds: publishing, tagging, managing tokens, and
    /// reading too. Read-only tokens do not have it.
    pub publish = "publish";
    /// What any token may do, read-only or full: `whoami`, the user's tokens.
    pub logged_in = read | publish;
    /// Package documents, dist-tags and tarballs: a registry whose `access`
    /// is `$all` serves them to anybody, one whose `access` is
    /// `$authenticated` to a token only. Any client may ask; the token is
    /// sent when the client has one.
    pub package_read = optional "read";

    grants {
        ReadOnlyToken: read;
        PublishToken: publish;
    }
}

/// `PUT /-/user/org.couchdb.user:{name}`'s body.
#[derive(Debug, Serialize)]
pub struct NewUser<'a> {
    /// The user name.
    pub name: &'a str,
    /// The password.
    pub password: &'a str,
}

/// A new user's (or a login's) token.
#[derive(Debug, Deserialize)]
pub struct UserToken {
    /// `user '<name>' created`.
    pub ok: String,
    /// The token, for `Authorization: Bearer`.
    pub token: String,
}

/// `GET /-/whoami`.
#[derive(Debug, Deserialize)]
pub struct WhoAmI {
    /// Whose token it is.
    pub username: String,
}

/// A package document ("packument"): every version, the dist-tags.
#[derive(Debug, Deserialize)]
pub struct Packument {
    /// `@acme/widget`.
    pub name: String,
    /// Every version's manifest.
    pub versions: BTreeMap<String, Manifest>,
    /// `latest` and other tags.
    #[serde(rename = "dist-tags")]
    pub dist_tags: BTreeMap<String, String>,
}

/// One version of a package.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct Manifest {
    /// The package's name.
    pub name: String,
    /// The version.
    pub version: String,
    /// Where its tarball is.
    pub dist: Dist,
}

/// Where a version's tarball is.
#[derive(Debug, Deserialize, Serialize, Clone)]
pub struct Dist {
    /// The tarball's URL, as the registry hands it out.
    pub tarball: String,
}

/// `PUT /{package}`'s body: what `npm publish` sends.
#[derive(Debug, Serialize)]
pub struct Publish {
    name: String,
    versions: BTreeMap<String, Manifest>,
    #[serde(rename = "dist-tags")]
    dist_tags: BTreeMap<String, String>,
    #[serde(rename = "_attachments")]
    attachments: BTreeMap<String, Attachment>,
}

#[derive(Debug, Serialize)]
struct Attachment {
    content_type: &'static str,
    data: String,
    length: usize,
}

impl Publish {
    /// Version `version` of package `name` (`@scope/name` or `name`), with
    /// `tarball`'s bytes, tagged `latest`. `registry` is the registry's base
    /// URL, which the tarball's URL in the manifest starts with.
    pub fn new(registry: &str, name: &str, version: &str, tarball: &[u8]) -> Self {
        let file = format!("{}-{version}.tgz", name.rsplit('/').next().unwrap_or(name));
        let manifest = Manifest {
            name: name.to_owned(),
            version: version.to_owned(),
            dist: Dist {
                tarball: format!("{registry}/{name}/-/{file}"),
            },
        };
        Publish {
            name: name.to_owned(),
            versions: [(version.to_owned(), manifest)].into(),
            dist_tags: [("latest".to_owned(), version.to_owned())].into(),
            attachments: [(
                file,
                Attachment {
                    content_type: "application/octet-stream",
                    data: base64(tarball),
                    length: tarball.len(),
                },
            )]
            .into(),
        }
    }
}

/// `Basic <base64(name:password)>`, for [`Registry::login`].
pub fn basic_auth(name: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{name}:{password}").as_bytes()))
}

/// Standard base64, as npm sends attachments.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `POST /-/npm/v1/tokens`'s body.
#[derive(Debug, Serialize)]
pub struct NewToken<'a> {
    /// The account's password, which the registry asks again.
    pub password: &'a str,
    /// A read-only token.
    pub readonly: bool,
    /// Networks the token may be used from (empty: any).
    pub cidr_whitelist: Vec<String>,
}

/// A token as the token API shows it.
#[derive(Debug, Deserialize)]
pub struct TokenInfo {
    /// The token (whole when created, masked in lists).
    pub token: String,
    /// Its key, to delete it by.
    pub key: String,
    /// Whether it is read-only.
    pub readonly: bool,
    /// Its owner.
    pub user: String,
}

/// `GET /-/npm/v1/tokens`.
#[derive(Debug, Deserialize)]
pub struct TokenList {
    /// The tokens.
    pub objects: Vec<TokenInfo>,
}

/// A registry's `{"ok": ...}` answer.
#[derive(Debug, Deserialize)]
pub struct Done {
    /// What was done.
    pub ok: String,
}

/// One package found by [`Registry::search`] (the page's `total` is
/// Verdaccio's count of this page, not of the whole list: not used).
#[derive(Debug, Deserialize)]
pub struct SearchResult {
    /// The package, as the search index shows it.
    pub package: SearchPackage,
}

/// A package as a search shows it.
#[derive(Debug, Deserialize)]
pub struct SearchPackage {
    /// Its name, `name` or `@scope/name`.
    pub name: String,
    /// Its dist-tags: `latest` and the others, each a version.
    #[serde(rename = "dist-tags", default)]
    pub dist_tags: BTreeMap<String, String>,
    /// Its description, if it has one.
    #[serde(default)]
    pub description: Option<String>,
}

/// The registry's endpoints.
pub trait Registry {
    /// Every package whose name or description matches `text`, `size` at a
    /// time (`GET /-/v1/search?text=&size=&from=`, offset-based: `from`
    /// grows by the results received until a page comes back empty).
    #[endpoint(GET, "/-/v1/search", scope = logged_in, paginate = offset("from", items = "/objects"))]
    fn search(&self, #[query] text: &str, #[query] size: u32) -> Paginated<SearchResult, ApiError>;

    /// Creates a user; no token needed. A `PUT`, but each one issues a new
    /// token: not resent after an unknown outcome.
    #[endpoint(PUT, "/-/user/org.couchdb.user:{name}", scope = public, idempotent = false)]
    async fn add_user(&self, name: &str, #[body] user: &NewUser<'_>) -> Result<UserToken, ApiError>;

    /// Logs an existing user in (what `npm login` does): the same `PUT`,
    /// with the user's name and password as HTTP Basic credentials too, for
    /// a new token. `basic` is [`basic_auth`]'s.
    #[endpoint(PUT, "/-/user/org.couchdb.user:{name}", scope = public, idempotent = false)]
    async fn login(
        &self,
        name: &str,
        #[header("authorization")] basic: &str,
        #[body] user: &NewUser<'_>,
    ) -> Result<UserToken, ApiError>;

    /// Whose token this is.
    #[endpoint(GET, "/-/whoami", scope = logged_in)]
    async fn whoami(&self) -> Result<WhoAmI, ApiError>;

    /// A package document; `package` is `name` or `@scope/name`, one segment.
    #[endpoint(GET, "/{package}", scope = package_read)]
    async fn packument(&self, package: &str) -> Result<Packument, ApiError>;

    /// Publishes a version. A `PUT`, but a second one of the same version is
    /// refused: not resent after an unknown outcome.
    #[endpoint(PUT, "/{package}", scope = publish, idempotent = false)]
    async fn publish(&self, package: &str, #[body] publish: &Publish) -> Result<Done, ApiError>;

    /// A tarball, from the URL a manifest gives (`dist.tarball`).
    #[endpoint(GET, "", scope = package_read)]
    async fn tarball(&self, #[url] url: &str) -> Result<ByteStream, ApiError>;

    /// The package's dist-tags.
    #[endpoint(GET, "/-/package/{package}/dist-tags", scope = package_read)]
    async fn dist_tags(&self, package: &str) -> Result<BTreeMap<String, String>, ApiError>;

    /// Points `tag` at `version`.
    #[endpoint(PUT, "/-/package/{package}/dist-tags/{tag}", scope = publish, idempotent)]
    async fn tag(&self, package: &str, tag: &str, #[body] version: &str) -> Result<Done, ApiError>;

    /// Creates a token.
    #[endpoint(POST, "/-/npm/v1/tokens", scope = publish)]
    async fn create_token(&self, #[body] token: &NewToken<'_>) -> Result<TokenInfo, ApiError>;

    /// The user's tokens.
    #[endpoint(GET, "/-/npm/v1/tokens", scope = logged_in)]
    async fn tokens(&self) -> Result<TokenList, ApiError>;

    /// Deletes a token by its key.
    #[endpoint(DELETE, "/-/npm/v1/tokens/token/{key}", scope = publish)]
    async fn delete_token(&self, key: &str) -> Result<serde_json::Value, ApiError>;
}

impl<K: KeyKind<Service = NpmRegistry>> Registry for Client<K> {}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_is_the_standard_one() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
