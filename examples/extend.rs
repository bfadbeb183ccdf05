//! Declaring endpoints of your own next to the Hacktron bindings, with a
//! scope of your own.
//!
//! The sandbox serves key management (which the vendor does in its
//! dashboard, not in the public API) under `/_sandbox/keys`, behind a
//! sandbox-only `admin` scope. Here we bind it with `#[endpoint]`, create
//! keys until the organization's limit of 10 active keys answers 409, revoke
//! one (204, no body), and watch the revoked key get 401.

use hacktron::scope::{KeyKind, read, write};
use hacktron::{Client, Error, endpoint};
use serde::{Deserialize, Serialize};

/// A key created with `read`, `write` and `admin`: granted the Hacktron
/// scopes by hand, `admin` in the table below. Every Hacktron key kind may
/// call `public` endpoints.
pub struct Admin;
impl KeyKind for Admin {
    type Service = hacktron::Hacktron;
}
impl read for Admin {}
impl write for Admin {}

hacktron::scopes! {
    /// Scope of the key-management routes; a key without it cannot call
    /// them (`API key missing required scope: admin`).
    pub admin = "admin";
    grants {
        Admin: admin;
    }
}

/// Body of a key creation.
#[derive(Serialize)]
pub struct NewKey<'a> {
    name: &'a str,
    scopes: &'a [&'a str],
}

/// A key as the sandbox returns it on creation: the only time the full key is shown.
#[derive(Deserialize)]
pub struct CreatedKey {
    id: String,
    prefix: String,
    key: String,
}

/// Key management, bound with the same attribute as the Hacktron API.
pub trait KeyManagement {
    /// Creates a key (201), or 409 past 10 active keys.
    #[endpoint(POST, "/_sandbox/keys", scope = admin)]
    async fn create_key(&self, #[body] key: &NewKey<'_>) -> Result<CreatedKey, Error>;

    /// Revokes a key: 204, no body.
    #[endpoint(DELETE, "/_sandbox/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;
}
impl<K: KeyKind<Service = hacktron::Hacktron>> KeyManagement for Client<K> {}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    use hacktron::prelude::Scans;

    let sandbox = hacktron_sandbox::Sandbox::start().await?;
    let admin_client = hacktron::ClientBuilder::<Admin>::new(sandbox.keys().admin.clone())
        .base_url(sandbox.base_url())
        .build()?;
    // A `Client<ReadWrite>` calling `create_key` would not compile:
    // "API key missing required scope: admin".

    let mut created = Vec::new();
    let conflict = loop {
        match admin_client
            .create_key(&NewKey {
                name: "ci-pipeline",
                scopes: &["read"],
            })
            .await
        {
            Ok(key) => {
                println!("201 created key {} ({})", key.id, key.prefix);
                created.push(key);
            }
            Err(e @ Error::Conflict { .. }) => break e,
            Err(e) => return Err(e.into()),
        }
    };
    println!("409 after {} new keys: {conflict}", created.len());

    let victim = created.first().ok_or("no key was created")?;
    admin_client.revoke_key(&victim.id).await?;
    println!("204 revoked key {}", victim.id);

    let revoked = hacktron::ClientBuilder::<hacktron::ReadOnly>::new(victim.key.clone())
        .base_url(sandbox.base_url())
        .build()?;
    match revoked.list_scans(&Default::default()).await {
        Err(e @ Error::Unauthorized { .. }) => println!("401 with the revoked key: {e}"),
        other => return Err(format!("expected 401, got {other:?}").into()),
    }
    Ok(())
}
