//! An SDK crate for "Depot", a made-up artifact store, as a downstream user
//! would write one on `hacktron-runtime`: the token travels as a query
//! parameter, scopes are `pull` and `push` (`push` implies `pull`), and error
//! bodies look like `{"error": {"kind": "...", "message": "..."}}`.
//!
//! Its users depend on this crate only: it re-exports `#[endpoint]`, the
//! client, the runtime's hidden `__private`, and declares endpoints of their
//! own with `#[depot_sdk::endpoint]`, naming this crate once per trait:
//! `#[endpoint(crate = depot_sdk)]` on the trait.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use hacktron_runtime::ErrorResponse;
use hacktron_runtime::scope::KeyKind;
use hacktron_runtime::service::{Auth, Service};
use serde::Deserialize;

#[doc(hidden)]
pub use hacktron_runtime::__private;
pub use hacktron_runtime::{Error as CallError, Response, endpoint};

/// A Depot client; `K` is [`Puller`] or [`Pusher`].
pub type Client<K = Pusher> = hacktron_runtime::Client<K>;

/// The Depot API.
pub enum Depot {}

impl Service for Depot {
    type Error = DepotError;
    const NAME: &'static str = "Depot";
    const AUTH: Auth = Auth::Query { name: "token" };
    const USER_AGENT: &'static str = "depot-sdk/0.1";

    fn error_from_response(response: ErrorResponse) -> DepotError {
        #[derive(Deserialize)]
        struct Outer {
            error: Inner,
        }
        #[derive(Deserialize)]
        struct Inner {
            kind: String,
            message: String,
        }
        let response = Box::new(response);
        match serde_json::from_slice::<Outer>(&response.body) {
            Ok(Outer { error }) if error.kind == "quota" => DepotError::OverQuota {
                message: error.message,
                response,
            },
            _ => DepotError::Status { response },
        }
    }
}

/// What Depot calls return on failure.
#[derive(Debug, thiserror::Error)]
pub enum DepotError {
    /// The project is over its storage quota.
    #[error("the project is over its storage quota ({message}); delete old artifacts or raise the quota")]
    OverQuota {
        /// Depot's message.
        message: String,
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// Any other non-success status.
    #[error("Depot answered {response}")]
    Status {
        /// The response.
        response: Box<ErrorResponse>,
    },
    /// What any HTTP call can hit.
    #[error(transparent)]
    Call(#[from] CallError),
}

/// Scopes and key kinds of Depot.
pub mod scope {
    use super::*;

    pub use hacktron_runtime::scope::KeyKind;

    hacktron_runtime::scopes! {
        credential = "token";
        /// Scope `pull`: read artifacts.
        pub pull = "pull";
        /// Scope `push`: upload artifacts; a token with `push` has `pull` too.
        pub push = "push";
        grants {
            Puller: pull;
            Pusher: pull, push;
        }
    }
}
pub use scope::{pull, push};

/// A token with `pull`.
pub struct Puller;
impl KeyKind for Puller {
    type Service = Depot;
}
/// A token with `push` (and so `pull`).
pub struct Pusher;
impl KeyKind for Pusher {
    type Service = Depot;
}

/// An artifact's metadata.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Artifact {
    /// Its name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The operations this SDK binds.
pub trait Artifacts {
    /// An artifact's metadata.
    #[endpoint(GET, "/artifacts/{name}", scope = pull)]
    async fn artifact(&self, name: &str) -> Result<Artifact, DepotError>;

    /// Deletes an artifact.
    #[endpoint(DELETE, "/artifacts/{name}", scope = push)]
    async fn delete_artifact(&self, name: &str) -> Result<(), DepotError>;
}
impl<K: KeyKind<Service = Depot>> Artifacts for Client<K> {}
