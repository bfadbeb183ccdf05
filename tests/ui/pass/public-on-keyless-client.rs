// A `public` endpoint can be called on a client without a key, and on a
// client with one.
use hacktron::scope::public;
use hacktron::{Client, Error, NoKey, ReadOnly, endpoint};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Health {
    pub ok: bool,
}

pub trait Status {
    #[endpoint(GET, "/health", scope = public)]
    async fn health(&self) -> Result<Health, Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Status for Client<K> {}

fn main() {
    let keyless: Client<NoKey> = Client::<NoKey>::public().base_url("http://127.0.0.1:9/v1").build().unwrap();
    let _call = keyless.health();
    let keyed = hacktron::ClientBuilder::<ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let _call = keyed.health();
    assert_eq!(<Client<NoKey> as Status>::HEALTH.scope, "public");
}
