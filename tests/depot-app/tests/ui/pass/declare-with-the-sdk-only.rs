// Endpoints declared with the SDK's re-exported attribute, by a crate that
// depends on `depot-sdk` only: no `hacktron`, no `hacktron-runtime`.
use depot_sdk::scope::KeyKind;
use depot_sdk::{Client, Depot, DepotError, Puller, Pusher, endpoint, pull, push};

#[endpoint(crate = depot_sdk)]
pub trait Mirrors {
    #[endpoint(GET, "/mirrors/{region}", scope = pull)]
    async fn mirror(&self, region: &str) -> Result<serde::de::IgnoredAny, DepotError>;

    #[endpoint(POST, "/mirrors/{region}/sync", scope = push, retry = never)]
    async fn sync(&self, region: &str) -> Result<(), DepotError>;
}
impl<K: KeyKind<Service = Depot>> Mirrors for Client<K> {}

fn main() {
    let pusher = Client::<Pusher>::builder("dp-token-abc").base_url("http://127.0.0.1:9").build().unwrap();
    let _sync = pusher.sync("eu");
    let _mirror = pusher.mirror("eu"); // push implies pull
    let puller = Client::<Puller>::builder("dp-token-abc").base_url("http://127.0.0.1:9").build().unwrap();
    let _mirror = puller.mirror("eu");
    assert_eq!(<Client as Mirrors>::SYNC.scope, "push");
}
