//! An application of `depot-sdk`: it binds two more Depot endpoints with the
//! SDK's re-exported `#[endpoint]`, depending on nothing but the SDK (and
//! serde for its own types).
#![forbid(unsafe_code)]

use depot_sdk::scope::KeyKind;
use depot_sdk::{Client, DepotError, Response, endpoint, pull, push};

/// One tag of an artifact.
#[derive(Debug, serde::Deserialize, PartialEq)]
pub struct Tag {
    /// The tag.
    pub name: String,
}

/// Endpoints the SDK does not bind.
#[endpoint(crate = depot_sdk)]
pub trait MoreArtifacts {
    /// The artifact's tags, filtered by repeated `label` keys.
    #[endpoint(GET, "/artifacts/{name}/tags", scope = pull)]
    async fn tags(&self, name: &str, #[query] label: &[&str]) -> Result<Vec<Tag>, DepotError>;

    /// The artifact's release notes, as text.
    #[endpoint(GET, "/artifacts/{name}/notes", scope = pull)]
    async fn notes(&self, name: &str) -> Result<String, DepotError>;

    /// Whether the artifact exists, by `HEAD`.
    #[endpoint(HEAD, "/artifacts/{name}", scope = pull)]
    async fn exists(&self, name: &str) -> Result<Response<()>, DepotError>;

    /// Marks an artifact as released.
    #[endpoint(PUT, "/artifacts/{name}/released", scope = push)]
    async fn release(&self, name: &str) -> Result<(), DepotError>;
}
impl<K: KeyKind<Service = depot_sdk::Depot>> MoreArtifacts for Client<K> {}
