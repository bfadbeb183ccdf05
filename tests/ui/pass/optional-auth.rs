// An endpoint with optional authentication: a keyless client and a keyed
// one may both call it; the key goes along when the client has one.
use hacktron::scope::{KeyKind, KeyUse, Scope};
use hacktron::{Client, Error, Hacktron, NoKey, ReadOnly, endpoint};

hacktron::scopes! {
    /// Public findings for anybody; a key's private ones too.
    pub browse = optional "read";
}

pub trait Browse {
    #[endpoint(GET, "/findings/public", scope = browse)]
    async fn public_findings(&self) -> Result<(), Error>;
}

impl<K: KeyKind<Service = Hacktron>> Browse for Client<K> {}

fn main() {
    let keyless: Client<NoKey> = Client::<NoKey>::public().base_url("http://127.0.0.1:9/v1").build().unwrap();
    let _call = keyless.public_findings();
    let keyed = hacktron::ClientBuilder::<ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let _call = keyed.public_findings();
    assert_eq!(<Client<NoKey> as Browse>::PUBLIC_FINDINGS.scope, "read");
    assert_eq!(<dyn browse as Scope>::KEY, KeyUse::Optional);
}
