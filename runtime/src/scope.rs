//! Scopes and key kinds: what a client's key grants, checked by the compiler.
//!
//! Every endpoint names the scope it needs. A [`Client<K>`](crate::Client)
//! can call it only when its key kind `K` holds the scope; otherwise the
//! build fails once, at the call, with the words the server uses for the
//! same refusal: `token missing required scope: deploy:write`.
//!
//! A service declares its scopes with [`scopes!`](crate::scopes): each is a
//! trait, implemented by the key kinds granted it, whose compile error
//! carries the scope's wire name and the service's word for its key.
//!
//! ```
//! # use hacktron_runtime::service::{Auth, Service};
//! # pub enum Fleet {}
//! # impl Service for Fleet {
//! #     type Error = hacktron_runtime::ApiError;
//! #     const NAME: &'static str = "Fleet";
//! #     const AUTH: Auth = Auth::None;
//! #     const USER_AGENT: &'static str = "fleet";
//! #     fn error_from_response(r: hacktron_runtime::ErrorResponse) -> hacktron_runtime::ApiError {
//! #         r.into()
//! #     }
//! # }
//! use hacktron_runtime::scope::{KeyKind, KeyUse, Scope};
//!
//! /// A token created with `deploy:write`.
//! pub struct DeployToken;
//! impl KeyKind for DeployToken {
//!     type Service = Fleet;
//! }
//! /// A token created with `admin`, which includes `deploy:write`.
//! pub struct AdminToken;
//! impl KeyKind for AdminToken {
//!     type Service = Fleet;
//! }
//!
//! hacktron_runtime::scopes! {
//!     credential = "token";
//!     /// Scope `deploy:write`: starting deploys.
//!     pub deploy = "deploy:write";
//!     /// Scope `admin`: managing tokens.
//!     pub admin = "admin";
//!     /// The release list: public, and with a token, the private releases too.
//!     pub releases = optional "releases:read";
//!     /// Rolling back: accepted under `deploy:write` or `admin`.
//!     pub rollback = deploy | admin;
//!
//!     grants {
//!         DeployToken: deploy;
//!         AdminToken: admin, deploy;
//!     }
//! }
//!
//! fn can_deploy<K: deploy>() {}
//! can_deploy::<AdminToken>();
//! can_deploy::<DeployToken>();
//! fn can_roll_back<K: rollback>() {}
//! can_roll_back::<DeployToken>();
//! assert_eq!(<dyn rollback as Scope>::NAME, "deploy:write or admin");
//! assert_eq!(<dyn releases as Scope>::KEY, KeyUse::Optional);
//! ```
//!
//! A key kind that is not granted a scope cannot call its endpoints:
//!
//! ```compile_fail,E0277
//! # use hacktron_runtime::example::{Example, Token};
//! hacktron_runtime::scopes! {
//!     /// Scope `deploy`.
//!     pub deploy = "deploy";
//! }
//! use hacktron_runtime::{Client, Error, endpoint};
//!
//! trait Deploys {
//!     #[endpoint(POST, "/deploys", scope = deploy)]
//!     async fn deploy(&self) -> Result<(), Error>;
//! }
//! impl Deploys for Client<Token> {}
//!
//! async fn ship(client: &Client<Token>) {
//!     // error[E0277]: API key missing required scope: deploy
//!     let _ = client.deploy().await;
//! }
//! ```
//!
//! Scope names are lower case on purpose, like the server's; the traits
//! carry `#[allow(non_camel_case_types)]`. A function that takes any client
//! able to call a scope bounds its key kind by the scope:
//! `fn report<K: deploy + KeyKind<Service = Fleet>>(client: &Client<K>)`.

use crate::service::Service;

/// A scope's metadata, implemented by [`scopes!`](crate::scopes) for
/// `dyn the_scope`: what `#[endpoint]` reads for the endpoint's metadata and
/// for whether the key is sent.
///
/// ```
/// use hacktron_runtime::scope::{KeyUse, Scope};
///
/// hacktron_runtime::scopes! {
///     /// Public endpoints: no key is sent, even by a client that has one.
///     pub health = public;
/// }
/// assert_eq!(<dyn health as Scope>::KEY, KeyUse::Never);
/// assert_eq!(<dyn health as Scope>::NAME, "public");
/// ```
pub trait Scope: 'static {
    /// The scope's name as the server spells it (`"read or publish"` for a
    /// scope held through either of two).
    const NAME: &'static str;
    /// Whether requests for this scope carry the key.
    const KEY: KeyUse = KeyUse::Required;
}

/// Whether the requests of a scope's endpoints carry the client's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// Always: only key kinds granted the scope may call its endpoints.
    Required,
    /// When the client has one: any client may call the endpoints (a
    /// keyless one too), and the server may answer more to a key.
    Optional,
    /// Never, even when the client has one: public endpoints.
    Never,
}

/// What a client's key is: the type parameter of [`Client`](crate::Client).
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::Client;
/// use hacktron_runtime::scope::KeyKind;
///
/// /// A token created with the `deploy` scope.
/// struct DeployToken;
/// impl KeyKind for DeployToken {
///     type Service = Example; // the `Service` it is a key of
/// }
/// let client = Client::<DeployToken>::new("secret-key")?;
/// # let _ = client;
/// # Ok(()) }
/// ```
pub trait KeyKind: Send + Sync + 'static {
    /// The service whose keys these are.
    type Service: Service;
}

/// A key kind that holds no key: a client of this kind is built with
/// [`Client::public`](crate::Client::public) and calls only endpoints whose
/// scope needs no key: public and optional ones.
///
/// ```
/// # use hacktron_runtime::example::{Example, Token};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::Client;
/// use hacktron_runtime::scope::{KeyKind, Keyless};
///
/// /// No key at all: for an API's public endpoints.
/// struct Anonymous;
/// impl KeyKind for Anonymous {
///     type Service = Example;
/// }
/// impl Keyless for Anonymous {}
///
/// let client = Client::<Anonymous>::public().build()?;
/// assert_eq!(client.key_prefix(), None);
/// # Ok(()) }
/// ```
pub trait Keyless: KeyKind {}

crate::scopes! {
    crate = crate;
    /// The stock scope of endpoints that take no credential: every key kind
    /// of every service may call them, and no key is sent, even by a client
    /// that has one.
    ///
    /// ```
    /// use hacktron_runtime::scope::{KeyUse, Scope, public};
    ///
    /// assert_eq!(<dyn public as Scope>::KEY, KeyUse::Never);
    /// fn callable<K: public>() {}
    /// # enum Notes {}
    /// # impl hacktron_runtime::service::Service for Notes {
    /// #     type Error = hacktron_runtime::ApiError;
    /// #     const NAME: &'static str = "Notes";
    /// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
    /// #     const USER_AGENT: &'static str = "notes";
    /// #     fn error_from_response(r: hacktron_runtime::ErrorResponse) -> hacktron_runtime::ApiError { r.into() }
    /// # }
    /// callable::<hacktron_runtime::scope::Anonymous<Notes>>();
    /// ```
    pub public = public;
}

/// The stock key kind of a client of service `S` without a key: it calls
/// only endpoints that need none ([`public`] ones, and the optional scopes
/// of [`scopes!`](crate::scopes)).
///
/// ```
/// use hacktron_runtime::Client;
/// use hacktron_runtime::scope::Anonymous;
/// # enum Notes {}
/// # impl hacktron_runtime::service::Service for Notes {
/// #     type Error = hacktron_runtime::ApiError;
/// #     const NAME: &'static str = "Notes";
/// #     const AUTH: hacktron_runtime::service::Auth = hacktron_runtime::service::Auth::None;
/// #     const USER_AGENT: &'static str = "notes";
/// #     fn error_from_response(r: hacktron_runtime::ErrorResponse) -> hacktron_runtime::ApiError { r.into() }
/// # }
///
/// let anonymous = Client::<Anonymous<Notes>>::public().base_url("https://notes.example/v1").build()?;
/// assert_eq!(anonymous.key_prefix(), None);
/// # Ok::<(), hacktron_runtime::ApiError>(())
/// ```
pub struct Anonymous<S>(std::marker::PhantomData<fn() -> S>);

impl<S> std::fmt::Debug for Anonymous<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Anonymous")
    }
}

impl<S: Service> KeyKind for Anonymous<S> {
    type Service = S;
}

impl<S: Service> Keyless for Anonymous<S> {}
