// Arguments are turned into the request before the future is made, so an
// argument that is not `Send` (here `Rc<str>`) does not make the call's
// future non-`Send`: it can still be spawned.
use hacktron::scope::read;
use std::rc::Rc;

use hacktron::{Client, Error, Hacktron, endpoint};
use hacktron::scope::KeyKind;

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: Rc<str>) -> Result<(), Error>;
}
impl<K: KeyKind<Service = Hacktron>> Things for Client<K> {}

fn assert_send<T: Send>(_: T) {}

fn main() {
    let client = hacktron::ClientBuilder::<hacktron::ReadOnly>::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    assert_send(client.get_thing(Rc::from("t-1")));
}
