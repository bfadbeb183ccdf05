//! Compile-time metadata of an endpoint.

use std::fmt;

/// An HTTP method an endpoint can use.
///
/// ```
/// use hacktron_runtime::Method;
///
/// assert_eq!(Method::Patch.to_string(), "PATCH");
/// assert!(Method::Put.is_idempotent() && !Method::Post.is_idempotent());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// The method's name in upper case.
    ///
    /// ```
    /// assert_eq!(hacktron_runtime::Method::Options.as_str(), "OPTIONS");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }

    /// Whether sending the request twice has the same effect as once.
    ///
    /// ```
    /// use hacktron_runtime::Method;
    ///
    /// assert!(Method::Get.is_idempotent());
    /// assert!(Method::Delete.is_idempotent());
    /// assert!(!Method::Patch.is_idempotent());
    /// ```
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Post => http::Method::POST,
            Method::Put => http::Method::PUT,
            Method::Patch => http::Method::PATCH,
            Method::Delete => http::Method::DELETE,
            Method::Head => http::Method::HEAD,
            Method::Options => http::Method::OPTIONS,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `#[endpoint]` knows about an endpoint, available as a constant:
/// for an endpoint method `get_thing` of trait `Things`, `<C as Things>::GET_THING`
/// for any client type `C` that implements `Things`. Hooks see it too
/// ([`Attempt::endpoint`](crate::retry::Attempt::endpoint)).
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Token};
/// # hacktron_runtime::scopes! { pub write = "write"; }
/// use hacktron_runtime::{Client, Error, Method, endpoint};
///
/// trait Things {
///     #[endpoint(GET, "/things/{id}", scope = read, retry = 2)]
///     async fn get_thing(&self, id: &str) -> Result<serde_json::Value, Error>;
/// }
/// impl Things for Client<Token> {}
///
/// let meta = <Client<Token> as Things>::GET_THING;
/// assert_eq!((meta.name, meta.method, meta.path), ("get_thing", Method::Get, "/things/{id}"));
/// assert_eq!(meta.max_attempts, Some(2));
/// assert_eq!(meta.to_string(), "GET /things/{id} (scope read)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// The trait method's name.
    pub name: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, relative to the base URL (`/scans/{id}`).
    pub path: &'static str,
    /// The scope's name, as the service spells it.
    pub scope: &'static str,
    /// Attempts allowed by the attribute's `retry =` key (`never` is 1);
    /// `None` follows the client's [`RetryPolicy`](crate::retry::RetryPolicy).
    pub max_attempts: Option<u32>,
    /// What the declaration says of repeating this request, over what its
    /// method says: `Some(true)` for `#[endpoint(POST, ..., idempotent)]`
    /// (the API makes a repeat harmless), `Some(false)` for
    /// `idempotent = false` (a `PUT` or `DELETE` whose repeat is not
    /// harmless), `None` to go by the method.
    pub idempotent: Option<bool>,
}

impl Endpoint {
    /// Whether sending this request twice has the effect of sending it once:
    /// as declared (`idempotent`, `idempotent = false`), else as its method
    /// says.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Token};
    /// # hacktron_runtime::scopes! { pub write = "write"; }
    /// use hacktron_runtime::{ApiError, Client, endpoint};
    ///
    /// trait Deploys {
    ///     /// Starts a deploy of a release; the API starts one deploy per release at most.
    ///     #[endpoint(POST, "/releases/{id}/deploy", scope = write, idempotent)]
    ///     async fn deploy(&self, id: &str) -> Result<(), ApiError>;
    ///     #[endpoint(POST, "/releases/{id}/notes", scope = write)]
    ///     async fn add_note(&self, id: &str, #[body] note: &str) -> Result<(), ApiError>;
    ///     /// A `PUT` that issues a new token each time.
    ///     #[endpoint(PUT, "/releases/{id}/token", scope = write, idempotent = false)]
    ///     async fn new_token(&self, id: &str) -> Result<(), ApiError>;
    /// }
    /// impl Deploys for Client<Token> {}
    ///
    /// assert!(<Client<Token> as Deploys>::DEPLOY.is_idempotent());
    /// assert!(!<Client<Token> as Deploys>::ADD_NOTE.is_idempotent());
    /// assert!(!<Client<Token> as Deploys>::NEW_TOKEN.is_idempotent());
    /// ```
    pub const fn is_idempotent(&self) -> bool {
        match self.idempotent {
            Some(declared) => declared,
            None => self.method.is_idempotent(),
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} (scope {})", self.method, self.path, self.scope)
    }
}
