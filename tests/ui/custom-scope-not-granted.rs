use hacktron::scope::{Grants, KeyKind, Scope, read};
use hacktron::{Client, Error, endpoint};

/// Scope of the key-management operations.
#[allow(non_camel_case_types)]
pub struct admin;
impl Scope for admin {
    const NAME: &'static str = "admin";
}

/// A key with `read` only.
pub struct Reader;
impl KeyKind for Reader {}
impl Grants<read> for Reader {}

pub trait Keys {
    #[endpoint(DELETE, "/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;
}

impl<K: KeyKind> Keys for Client<K> {}

fn run(client: &Client<Reader>) {
    let _ = client.revoke_key("k-1");
}

fn main() {}
