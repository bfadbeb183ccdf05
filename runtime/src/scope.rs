//! Scopes and key types: what a client's key grants, checked by the compiler.
//!
//! Every endpoint names the [`Scope`] it needs. A [`Client<K>`](crate::Client)
//! can call it only when its key type `K` implements [`Grants`] for that scope;
//! otherwise the build fails with the server's own words:
//! `API key missing required scope: write`.
//!
//! The built-in scopes are [`read`], [`write`](struct@write) and [`public`] (no key is sent).
//! An API of your own can declare more:
//!
//! ```
//! use hacktron_runtime::scope::{Grants, KeyKind, Scope};
//!
//! /// Scope of the key-management operations.
//! #[allow(non_camel_case_types)]
//! pub struct admin;
//! impl Scope for admin {
//!     const NAME: &'static str = "admin";
//! }
//!
//! /// A key created with `read`, `write` and `admin`.
//! pub struct Admin;
//! impl KeyKind for Admin {}
//! impl Grants<admin> for Admin {}
//! impl Grants<hacktron_runtime::scope::read> for Admin {}
//! impl Grants<hacktron_runtime::scope::write> for Admin {}
//! impl Grants<hacktron_runtime::scope::public> for Admin {}
//! ```
// The scope markers are lower-case on purpose: the compiler prints the type's
// name in the scope error, and the server spells scopes in lower case.
#![allow(non_camel_case_types)]

/// A scope an endpoint can require.
pub trait Scope: Send + Sync + 'static {
    /// The scope's name as the server spells it.
    const NAME: &'static str;
    /// Whether requests for this scope carry the API key (`false` only for
    /// [`public`]).
    const SENDS_KEY: bool = true;
}

/// Scope `read`: all `GET` endpoints.
#[derive(Debug, Clone, Copy)]
pub struct read;
/// Scope `write`: mutating endpoints. Implies `read`.
#[derive(Debug, Clone, Copy)]
pub struct write;
/// No scope: the endpoint is public and no key is sent, even if the client has one.
#[derive(Debug, Clone, Copy)]
pub struct public;

impl Scope for read {
    const NAME: &'static str = "read";
}
impl Scope for write {
    const NAME: &'static str = "write";
}
impl Scope for public {
    const NAME: &'static str = "public";
    const SENDS_KEY: bool = false;
}

/// What a client's key is: the type parameter of [`Client`](crate::Client).
pub trait KeyKind: Send + Sync + 'static {
    /// Whether clients of this kind hold a key. Only [`NoKey`] says no.
    const HAS_KEY: bool = true;
}

/// The key type grants scope `S`.
///
/// Implemented by each key type for the scopes it includes; a missing
/// implementation is the compile-time form of the server's 403.
#[diagnostic::on_unimplemented(
    message = "API key missing required scope: {S}",
    label = "this client's key type `{Self}` does not grant scope `{S}`",
    note = "use a client whose key type includes the scope, for example `Client<ReadWrite>` for `write` (`write` implies `read`), or a key type of your own that implements `Grants<{S}>`"
)]
pub trait Grants<S: Scope>: KeyKind {}

/// A key created with the `read` scope only.
#[derive(Debug, Clone, Copy)]
pub struct ReadOnly;
/// A key created with `read` and `write` (the usual choice).
#[derive(Debug, Clone, Copy)]
pub struct ReadWrite;
/// No key at all: only [`public`] endpoints can be called.
#[derive(Debug, Clone, Copy)]
pub struct NoKey;

impl KeyKind for ReadOnly {}
impl KeyKind for ReadWrite {}
impl KeyKind for NoKey {
    const HAS_KEY: bool = false;
}

impl Grants<read> for ReadOnly {}
impl Grants<public> for ReadOnly {}
impl Grants<read> for ReadWrite {}
impl Grants<write> for ReadWrite {}
impl Grants<public> for ReadWrite {}
impl Grants<public> for NoKey {}
