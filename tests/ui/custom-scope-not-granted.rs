use hacktron::scope::{GrantedTo, KeyKind, Scope, read};
use hacktron::{Client, Error, endpoint};

/// Scope of the key-management operations.
#[allow(non_camel_case_types)]
pub enum admin {}
impl Scope for admin {
    const NAME: &'static str = "admin";
}

/// A key with `read` only.
pub struct Reader;
impl KeyKind for Reader {
    type Service = hacktron::Hacktron;
}
impl GrantedTo<Reader> for read {}

pub trait Keys {
    #[endpoint(DELETE, "/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;
}

impl<K: KeyKind<Service = hacktron::Hacktron>> Keys for Client<K> {}

fn run(client: &Client<Reader>) {
    let _ = client.revoke_key("k-1");
}

fn main() {}
