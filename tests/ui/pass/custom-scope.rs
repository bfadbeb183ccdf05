// A scope and a key kind of the user's own, the key granting the scope and
// the Hacktron scopes.
use hacktron::scope::{KeyKind, read, write};
use hacktron::{Client, Error, endpoint};

/// A key created with `read`, `write` and `admin`; `public` comes with
/// every Hacktron key kind.
pub struct Admin;
impl KeyKind for Admin {
    type Service = hacktron::Hacktron;
}
impl read for Admin {}
impl write for Admin {}

hacktron::scopes! {
    /// Scope of the key-management operations.
    pub admin = "admin";
    grants {
        Admin: admin;
    }
}

pub trait Keys {
    #[endpoint(DELETE, "/keys/{id}", scope = admin)]
    async fn revoke_key(&self, id: &str) -> Result<(), Error>;

    #[endpoint(GET, "/keys/{id}", scope = read)]
    async fn get_key(&self, id: &str) -> Result<(), Error>;
}

impl<K: KeyKind<Service = hacktron::Hacktron>> Keys for Client<K> {}

fn main() {
    let client = hacktron::ClientBuilder::<Admin>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let _call = client.revoke_key("k-1");
    let _call = client.get_key("k-1");
    assert_eq!(<Client<Admin> as Keys>::REVOKE_KEY.scope, "admin");
}
