// What a framework user writes beyond the Hacktron bindings: lifetime
// parameters, `HEAD` and `OPTIONS`, a repeated query key from a slice,
// `String` for a text body, and a `Result` alias with a fixed error type.
use hacktron::scope::{KeyKind, read, write};
use hacktron::{Client, Error, Hacktron, Method, Response, endpoint};

type Result<T> = std::result::Result<T, Error>;

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing<'a>(&self, id: &'a str, #[query] tag: &'a [&'a str]) -> Result<serde_json::Value>;

    #[endpoint(HEAD, "/things/{id}", scope = read)]
    async fn thing_exists(&self, id: &str) -> Result<Response<()>>;

    #[endpoint(OPTIONS, "/things", scope = read)]
    async fn thing_options(&self) -> Result<Response<()>>;

    #[endpoint(GET, "/things/{id}/readme", scope = read)]
    async fn readme(&self, id: &str) -> Result<String>;

    #[endpoint(PUT, "/things/{id}/tags", scope = write)]
    async fn set_tags(&self, id: &str, #[query("tag")] tags: Vec<String>) -> Result<()>;
}

impl<K: KeyKind<Service = Hacktron>> Things for Client<K> {}

fn main() {
    assert_eq!(<Client as Things>::THING_EXISTS.method, Method::Head);
    assert_eq!(<Client as Things>::THING_OPTIONS.method, Method::Options);
    let client = Client::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let tags = ["a", "b"];
    let id = String::from("t-1");
    let _call = client.get_thing(&id, &tags);
    let _call = client.readme("t-1");
    let _call = client.set_tags("t-1", vec!["x".to_owned()]);
}
