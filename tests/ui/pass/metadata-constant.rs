// Each endpoint adds a constant to its trait, named after the method in upper
// case, holding its method, path template and scope.
use hacktron::scope::{public, read, write};
use hacktron::{Client, Endpoint, Error, Method, NoKey, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: &str) -> Result<(), Error>;

    #[endpoint(PUT, "/things/{id}", scope = write)]
    async fn put_thing(&self, id: &str) -> Result<(), Error>;

    #[endpoint(GET, "/health", scope = public)]
    async fn health(&self) -> Result<(), Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn main() {
    let get: Endpoint = <Client as Things>::GET_THING;
    assert_eq!(get.name, "get_thing");
    assert_eq!(get.method, Method::Get);
    assert_eq!(get.path, "/things/{id}");
    assert_eq!(get.scope, "read");
    assert_eq!(get.to_string(), "GET /things/{id} (scope read)");

    let put = <Client as Things>::PUT_THING;
    assert_eq!(
        (put.method, put.path, put.scope),
        (Method::Put, "/things/{id}", "write")
    );

    // The constant does not depend on the key type.
    assert_eq!(<Client<NoKey> as Things>::HEALTH.scope, "public");
}
