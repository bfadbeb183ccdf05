use hacktron::scope::write;
use hacktron::{Client, Error, ReadOnly, endpoint};

pub trait Things {
    #[endpoint(DELETE, "/things/{id}", scope = write)]
    async fn delete_thing(&self, id: &str) -> Result<(), Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn run(client: &Client<ReadOnly>) {
    let _ = client.delete_thing("t-1");
}

fn main() {}
