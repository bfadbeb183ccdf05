use depot_sdk::scope::KeyKind;
use depot_sdk::{Client, Depot, DepotError, Puller, endpoint, push};

pub trait Mirrors {
    #[endpoint(POST, "/mirrors/{region}/sync", scope = push, crate = depot_sdk)]
    async fn sync(&self, region: &str) -> Result<(), DepotError>;
}
impl<K: KeyKind<Service = Depot>> Mirrors for Client<K> {}

async fn run(client: &Client<Puller>) -> Result<(), DepotError> {
    client.sync("eu").await?;
    Ok(())
}

fn main() {
    let _ = run;
}
