//! The sandbox-only key management routes, declared here with `#[endpoint]`
//! and a scope of our own (`admin`): 201 on create, 204 on revoke, and 409
//! once an organization has its maximum of 10 active keys.

#[macro_use]
mod support;

use hacktron::models::ScanListQuery;
use hacktron::prelude::*;
use hacktron::scope::{KeyKind, read, write};
use hacktron::{Response, StatusCode, endpoint};
use serde::{Deserialize, Serialize};
use support::sandbox::*;

/// A key created with `read`, `write` and `admin`: granted the three here;
/// `public` is every key's.
pub struct Admin;
impl KeyKind for Admin {
    type Service = hacktron::Hacktron;
}
impl read for Admin {}
impl write for Admin {}

hacktron::scopes! {
    /// Scope of the key-management routes.
    pub admin = "admin";
    grants {
        Admin: admin;
    }
}

#[derive(Serialize, Debug)]
struct NewKey<'a> {
    name: &'a str,
    scopes: &'a [&'a str],
}

#[derive(Deserialize, Debug)]
struct CreatedKey {
    id: String,
    name: String,
    key: String,
    prefix: String,
    scopes: Vec<String>,
}

#[derive(Deserialize, Debug)]
struct KeyInfo {
    id: String,
    name: String,
    prefix: String,
    scopes: Vec<String>,
    revoked: bool,
    last_used_at: Option<String>,
}

#[derive(Deserialize, Debug)]
struct KeyList {
    data: Vec<KeyInfo>,
    total: usize,
}

trait SandboxKeys {
    /// The organization's keys, revoked ones included (never the secrets).
    #[endpoint(GET, "/_sandbox/keys", scope = admin)]
    async fn list_keys(&self) -> Result<KeyList, Error>;

    /// Creates a key; the only response that carries the secret.
    #[endpoint(POST, "/_sandbox/keys", scope = admin)]
    async fn create_key(&self, #[body] key: &NewKey<'_>) -> Result<Response<CreatedKey>, Error>;

    /// Revokes a key at once: `204 No Content`.
    #[endpoint(DELETE, "/_sandbox/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;

    /// The same route, keeping the status.
    #[endpoint(DELETE, "/_sandbox/keys/{id}", scope = admin)]
    async fn revoke_key_with_status(&self, id: &str) -> Result<Response<()>, Error>;
}
impl<K: KeyKind<Service = hacktron::Hacktron>> SandboxKeys for Client<K> {}

const MAX_ACTIVE: usize = 10;
const LIMIT_MESSAGE: &str =
    "Maximum number of active API keys (10) reached. Revoke an unused key before creating a new one.";

#[tokio::test]
async fn the_eleventh_active_key_is_a_conflict_and_revoking_frees_a_slot() {
    let sandbox = start(manual()).await;
    let keys = sandbox.keys().clone();
    let admin_client: Client<Admin> = client(&sandbox, &keys.admin);

    let before = admin_client.list_keys().await.unwrap();
    assert_eq!(
        before.total, 4,
        "acme's seeded keys: read-write, read-only, revoked, admin"
    );
    let active = before.data.iter().filter(|k| !k.revoked).count();
    assert_eq!(active, 3);
    let admin_info = before.data.iter().find(|k| k.name == "admin").unwrap();
    assert!(keys.admin.starts_with(&admin_info.prefix));
    assert_eq!(admin_info.scopes, ["read", "write", "admin"]);
    assert!(admin_info.last_used_at.is_some(), "the list call itself used it");

    // 201 until the organization holds 10 active keys.
    let mut created = Vec::new();
    for i in active..MAX_ACTIVE {
        let name = format!("ci-{i}");
        let response = admin_client
            .create_key(&NewKey {
                name: &name,
                scopes: &["read"],
            })
            .await
            .unwrap();
        assert_eq!(response.status, StatusCode::CREATED);
        let key = response.into_inner();
        assert_eq!(key.name, name);
        assert_eq!(key.scopes, ["read"]);
        assert!(
            key.key.starts_with("hacktron_") && key.key.starts_with(&key.prefix),
            "{}",
            key.prefix
        );
        created.push(key);
    }
    assert_eq!(created.len(), 7);

    // The 11th: 409 with the sandbox's message.
    let e = expect_err!(
        admin_client
            .create_key(&NewKey {
                name: "one-too-many",
                scopes: &["read"]
            })
            .await,
        Error::Conflict { .. }
    );
    assert_eq!(e.status(), Some(StatusCode::CONFLICT));
    assert_eq!(e.messages(), [LIMIT_MESSAGE]);
    assert_eq!(e.response().unwrap().error(), Some("Conflict"));
    assert_eq!(admin_client.list_keys().await.unwrap().total, 4 + 7);

    // A created key works until it is revoked: 204, read as `Ok(())`.
    let victim = &created[0];
    let victim_client: Client<ReadOnly> = client(&sandbox, &victim.key);
    assert_eq!(victim_client.list_scans(&ScanListQuery::new()).await.unwrap().total, 1);
    assert!(matches!(admin_client.revoke_key(&victim.id).await, Ok(())));
    let e = expect_err!(
        victim_client.list_scans(&ScanListQuery::new()).await,
        Error::Unauthorized { .. }
    );
    assert_eq!(e.messages(), ["API key has been revoked"]);
    let listed = admin_client.list_keys().await.unwrap();
    assert!(listed.data.iter().find(|k| k.id == victim.id).unwrap().revoked);

    // The freed slot takes one new key, and only one.
    admin_client
        .create_key(&NewKey {
            name: "replacement",
            scopes: &["read", "write"],
        })
        .await
        .unwrap();
    expect_err!(
        admin_client
            .create_key(&NewKey {
                name: "again",
                scopes: &["read"]
            })
            .await,
        Error::Conflict { .. }
    );

    // Revoking through the binding that keeps the status shows the 204 itself.
    let response = admin_client.revoke_key_with_status(&created[1].id).await.unwrap();
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.headers.get("content-type").is_none());
}

#[tokio::test]
async fn key_management_needs_the_admin_scope_and_known_ids() {
    let sandbox = start(manual()).await;
    let keys = sandbox.keys().clone();

    // A read+write key declared as admin compiles, and the server says 403.
    let not_admin: Client<Admin> = client(&sandbox, &keys.read_write);
    expect_err!(
        not_admin.list_keys().await,
        Error::MissingScope { scope, .. } if scope == "admin"
    );
    expect_err!(
        not_admin.create_key(&NewKey { name: "sneaky", scopes: &["admin"] }).await,
        Error::MissingScope { scope, .. } if scope == "admin"
    );

    let admin_client: Client<Admin> = client(&sandbox, &keys.admin);
    // The admin key type grants the API's own scopes too.
    assert_eq!(admin_client.list_scans(&ScanListQuery::new()).await.unwrap().total, 1);

    // 404 for an id that is not one of the organization's keys.
    let e = expect_err!(
        admin_client.revoke_key("00000000-0000-4000-8000-000000000000").await,
        Error::NotFound { .. }
    );
    assert_eq!(e.messages(), ["API key not found"]);

    // 400 for a scope that does not exist, and for a missing name.
    let e = expect_err!(
        admin_client
            .create_key(&NewKey {
                name: "x",
                scopes: &["superuser"]
            })
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(
        e.messages(),
        ["each value in scopes must be one of the following values: read, write, delete, admin"]
    );
    let e = expect_err!(
        admin_client
            .create_key(&NewKey {
                name: "",
                scopes: &["read"]
            })
            .await,
        Error::BadRequest { .. }
    );
    assert_eq!(e.messages(), ["name should not be empty"]);

    // A new read-only key reads, and is refused writes with 403.
    let created = admin_client
        .create_key(&NewKey {
            name: "reader",
            scopes: &["read"],
        })
        .await
        .unwrap()
        .into_inner();
    let mislabelled: Client<ReadWrite> = client(&sandbox, &created.key);
    assert_eq!(mislabelled.list_repos().await.unwrap().repos.len(), 4);
    expect_err!(
        mislabelled.create_cost_estimation(&estimate_request(WEBAPP, "main")).await,
        Error::MissingScope { scope, .. } if scope == "write"
    );

    // globex's admin view does not exist: its key has no admin scope, and acme's
    // key ids are not its to revoke.
    let globex: Client<Admin> = client(&sandbox, &keys.other_org);
    expect_err!(
        globex.revoke_key(&created.id).await,
        Error::MissingScope { scope, .. } if scope == "admin"
    );
}
