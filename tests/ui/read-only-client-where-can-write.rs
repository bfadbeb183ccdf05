// A function bounded by `CanWrite` does not take a read-only client.
use hacktron::prelude::*;
use hacktron::scope::CanWrite;

async fn cancel_all<K: CanWrite>(client: &Client<K>) -> Result<(), Error> {
    let _ = client;
    Ok(())
}

async fn run(client: Client<ReadOnly>) -> Result<(), Error> {
    cancel_all(&client).await
}

fn main() {
    let _ = run;
}
