// An endpoint of Depot declared as returning an error type that cannot hold
// Depot's errors.
use depot_sdk::scope::KeyKind;
use depot_sdk::{Client, Depot, endpoint, pull};

pub trait Mirrors {
    #[endpoint(GET, "/mirrors/{region}", scope = pull, crate = depot_sdk)]
    async fn mirror(&self, region: &str) -> Result<(), std::io::Error>;
}
impl<K: KeyKind<Service = Depot>> Mirrors for Client<K> {}

fn main() {
    let client = Client::<depot_sdk::Puller>::builder("dp-token-abc").build().unwrap();
    let _ = client.mirror("eu");
}
