use hacktron::scope::{KeyKind, read};
use hacktron::{Client, Error, endpoint};

/// A key with `read` only.
pub struct Reader;
impl KeyKind for Reader {
    type Service = hacktron::Hacktron;
}
impl read for Reader {}

hacktron::scopes! {
    /// Scope of the key-management operations.
    pub admin = "admin";
}

pub trait Keys {
    #[endpoint(DELETE, "/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;
}

impl<K: KeyKind<Service = hacktron::Hacktron>> Keys for Client<K> {}

fn run(client: &Client<Reader>) {
    let _ = client.revoke_key("k-1");
}

fn main() {}
