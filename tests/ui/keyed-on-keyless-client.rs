use hacktron::scope::read;
use hacktron::{Client, Error, NoKey, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: &str) -> Result<(), Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn run(client: &Client<NoKey>) {
    let _ = client.get_thing("t-1");
}

fn main() {}
