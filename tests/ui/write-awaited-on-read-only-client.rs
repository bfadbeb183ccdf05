// The scope error of an awaited call is reported once, at the method.
use hacktron::scope::{KeyKind, write};
use hacktron::{Client, Error, Hacktron, ReadOnly, endpoint};

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
