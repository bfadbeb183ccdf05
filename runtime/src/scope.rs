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
//! #     type Error = hacktron_runtime::Error;
//! #     const NAME: &'static str = "Fleet";
//! #     const AUTH: Auth = Auth::None;
//! #     const USER_AGENT: &'static str = "fleet";
//! #     fn error_from_response(r: hacktron_runtime::ErrorResponse) -> hacktron_runtime::Error {
//! #         hacktron_runtime::Error::Config(r.to_string())
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
pub trait Scope: Send + Sync + 'static {
    /// The scope's name as the server spells it.
    const NAME: &'static str;
    /// Whether requests for this scope carry the key (`false` for a scope of
    /// public endpoints: no key is sent, even if the client has one).
    const SENDS_KEY: bool = true;
}

/// What a client's key is: the type parameter of [`Client`](crate::Client).
pub trait KeyKind: Send + Sync + 'static {
    /// The service whose keys these are.
    type Service: Service;
}

/// Scope `Self` is granted to keys of kind `K`: the impl a service writes,
/// one per key kind and scope (or one blanket impl per implication, with
/// [`implies!`](crate::implies)).
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
pub trait Grants<S: Scope>: KeyKind {}

impl<K: KeyKind, S: GrantedTo<K>> Grants<S> for K {}

/// A key kind that holds no key: a client of this kind is built with
/// [`Client::public`](crate::Client::public) and calls only endpoints whose
/// scope does not send a key.
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
