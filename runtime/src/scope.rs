//! Scopes and key types: what a client's key grants, checked by the compiler.
//!
//! Every endpoint names the [`Scope`] it needs. A [`Client<K>`](crate::Client)
//! can call it only when the scope is granted to its key type `K`; otherwise
//! the build fails once, at the call, with the words a server uses for the
//! same refusal: `API key missing required scope: deploy`.
//!
//! A service declares its scopes as types, its key kinds as types naming the
//! service, and which scope is granted to which key kind:
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
//! use hacktron_runtime::scope::{GrantedTo, Grants, KeyKind, Scope};
//!
//! /// Scope `deploy`.
//! #[allow(non_camel_case_types)]
//! pub enum deploy {}
//! impl Scope for deploy {
//!     const NAME: &'static str = "deploy";
//! }
//! /// Scope `admin`; it implies `deploy`.
//! #[allow(non_camel_case_types)]
//! pub enum admin {}
//! impl Scope for admin {
//!     const NAME: &'static str = "admin";
//! }
//!
//! /// A token created with `deploy`.
//! pub struct DeployToken;
//! impl KeyKind for DeployToken {
//!     type Service = Fleet;
//! }
//! /// A token created with `admin`.
//! pub struct AdminToken;
//! impl KeyKind for AdminToken {
//!     type Service = Fleet;
//! }
//!
//! impl GrantedTo<DeployToken> for deploy {}
//! impl GrantedTo<AdminToken> for admin {}
//! hacktron_runtime::implies!(admin => deploy);
//!
//! fn can_deploy<K: Grants<deploy>>() {}
//! can_deploy::<AdminToken>();
//! can_deploy::<DeployToken>();
//! ```
//!
//! Scope markers are lower case on purpose: the compiler prints the type's
//! name in the scope error, and servers spell scopes in lower case. Make
//! them empty enums rather than unit structs, so they take no name in the
//! value namespace (a `let deploy = ...` elsewhere still binds a variable).

use crate::service::Service;

/// A scope an endpoint can require.
///
/// ```
/// use hacktron_runtime::scope::Scope;
///
/// /// Public endpoints: no key is sent, even by a client that has one.
/// #[allow(non_camel_case_types)]
/// pub enum public {}
/// impl Scope for public {
///     const NAME: &'static str = "public";
///     const SENDS_KEY: bool = false;
/// }
/// assert!(!<public as Scope>::SENDS_KEY);
/// ```
pub trait Scope: Send + Sync + 'static {
    /// The scope's name as the server spells it.
    const NAME: &'static str;
    /// Whether requests for this scope carry the key (`false` for a scope of
    /// public endpoints: no key is sent, even if the client has one).
    const SENDS_KEY: bool = true;
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

/// Scope `Self` is granted to keys of kind `K`: the impl a service writes,
/// one per key kind and scope (or one blanket impl per implication, with
/// [`implies!`](crate::implies)).
///
/// A key kind that is not granted a scope cannot call its endpoints:
///
/// ```compile_fail,E0277
/// # use hacktron_runtime::example::{Example, Token};
/// # #[allow(non_camel_case_types)]
/// # enum deploy {}
/// # impl hacktron_runtime::scope::Scope for deploy { const NAME: &'static str = "deploy"; }
/// use hacktron_runtime::{Client, Error, endpoint};
///
/// trait Deploys {
///     #[endpoint(POST, "/deploys", scope = deploy)]
///     async fn deploy(&self) -> Result<(), Error>;
/// }
/// impl Deploys for Client<Token> {}
///
/// async fn ship(client: &Client<Token>) {
///     // error[E0277]: API key missing required scope: deploy
///     let _ = client.deploy().await;
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "API key missing required scope: {Self}",
    label = "a `{K}` key does not grant scope `{Self}`",
    note = "call it on a client whose key type is granted `{Self}` (see the impls below); a key type of your own is granted it with `impl GrantedTo<YourKey> for {Self} {{}}`"
)]
pub trait GrantedTo<K: KeyKind>: Scope {}

/// Keys of this kind grant scope `S`: the bound endpoints check, and the one
/// to write for a function that takes any client able to call scope `S`
/// (`fn report<K: Grants<read>>(client: &Client<K>)`). Implemented for
/// every key kind that scope `S` is [`GrantedTo`].
///
/// ```
/// # use hacktron_runtime::example::{Example, read, Things, Token};
/// # use hacktron_runtime::transport::Canned;
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use hacktron_runtime::{ApiError, Client};
/// use hacktron_runtime::scope::{Grants, KeyKind};
///
/// /// Works with any client of `Example` whose key can read.
/// async fn describe<K>(client: &Client<K>, id: &str) -> Result<String, ApiError>
/// where
///     K: Grants<read> + KeyKind<Service = Example>,
///     Client<K>: Things,
/// {
///     Ok(client.get_thing(id).await?.to_string())
/// }
/// # let client = Client::<Token>::builder("secret-key").transport(Canned::json(200, r#"{"id": "7"}"#)).build()?;
/// assert_eq!(describe(&client, "7").await?, r#"{"id":"7"}"#);
/// # Ok(()) }
/// ```
pub trait Grants<S: Scope>: KeyKind {}

impl<K: KeyKind, S: GrantedTo<K>> Grants<S> for K {}

/// A key kind that holds no key: a client of this kind is built with
/// [`Client::public`](crate::Client::public) and calls only endpoints whose
/// scope does not send a key.
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

/// Declares that a scope implies another: every key kind granted the first
/// is granted the second.
///
/// ```ignore
/// hacktron_runtime::implies!(admin => deploy);
/// // expands to
/// impl<K: KeyKind> GrantedTo<K> for deploy where admin: GrantedTo<K> {}
/// ```
#[macro_export]
macro_rules! implies {
    ($wider:ty => $($narrower:ty),+ $(,)?) => {
        $(
            // Not recommended: when a key lacks the narrower scope, the
            // error names that scope, not the wider one this impl asks for.
            #[diagnostic::do_not_recommend]
            impl<__K: $crate::scope::KeyKind> $crate::scope::GrantedTo<__K> for $narrower
            where
                $wider: $crate::scope::GrantedTo<__K>,
            {}
        )+
    };
}

/// The stock scope of endpoints that take no credential: every key kind of
/// every service may call them, and no key is sent, even by a client that
/// has one.
///
/// ```
/// use hacktron_runtime::scope::{Grants, Scope, public};
///
/// assert!(!public::SENDS_KEY);
/// fn callable<K: Grants<public>>() {}
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
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy)]
pub enum public {}

impl Scope for public {
    const NAME: &'static str = "public";
    const SENDS_KEY: bool = false;
}

impl<K: KeyKind> GrantedTo<K> for public {}

/// The stock key kind of a client of service `S` without a key: it calls
/// only endpoints that need none ([`public`] ones).
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
