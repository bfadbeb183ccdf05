// With the prelude and the scope imported by name, the scope error says
// what the server says: `API key missing required scope: write`.
use hacktron::prelude::*;
use hacktron::scope::{KeyKind, write};
use hacktron::{Hacktron, endpoint};

pub trait Things {
    #[endpoint(DELETE, "/things/{id}", scope = write)]
    async fn delete_thing(&self, id: &str) -> Result<(), Error>;
}

impl<K: KeyKind<Service = Hacktron>> Things for Client<K> {}

async fn run(client: &Client<ReadOnly>) -> Result<(), Error> {
    client.delete_thing("t-1").await?;
    Ok(())
}

fn main() {
    let _ = run;
}
