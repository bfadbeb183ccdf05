// The future an endpoint returns is `Send`, so it can be spawned on a
// multi-threaded runtime, whatever the arguments borrow.
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
        owner: &str,
        #[query] tag: Option<&str>,
        #[body] thing: &NewThing,
        #[header("X-Request-Id")] request_id: Option<&str>,
    ) -> Result<(), Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let client = Client::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let thing = NewThing { name: "x".to_owned() };
    let owner = String::from("acme");
    assert_send(client.create_thing(&owner, Some("t"), &thing, None));
}
