// An argument of type `impl Trait` binds like any other; its type is left to
// inference.
use hacktron::scope::write;
use hacktron::{Client, Error, endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct NewThing {
    pub name: String,
}

pub trait Things {
    #[endpoint(POST, "/things/{owner}", scope = write)]
    async fn create_thing(
        &self,
        owner: impl std::fmt::Display + Send,
        #[query] tag: impl Serialize + Send,
        #[body] thing: &(impl Serialize + Sync),
    ) -> Result<(), Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").unwrap();
    let thing = NewThing { name: "x".to_owned() };
    assert_send(client.create_thing(7, "blue", &thing));
}
