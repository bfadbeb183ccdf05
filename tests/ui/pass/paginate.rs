// Every pagination style declares a stream that owns its client: it can
// move into a task of its own.
use hacktron::scope::read;
use hacktron::{Client, Error, Items, endpoint};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Thing {
    pub id: u64,
}

pub trait Things {
    #[endpoint(GET, "/things", scope = read, paginate = page("page", items = "/data", total = "/total", start = 0))]
    fn by_page(&self, #[query] limit: u32) -> Items<Thing>;

    #[endpoint(GET, "/things", scope = read, paginate = offset("offset", items = "/data", more = "/has_more"))]
    fn by_offset(&self) -> Items<Thing>;

    #[endpoint(GET, "/things", scope = read, paginate = cursor("cursor", next = "/meta/next", items = "/data"))]
    fn by_cursor(&self, #[query] tag: &str) -> Items<Thing>;

    #[endpoint(GET, "/things", scope = read, paginate = next_url("/links/next"))]
    fn by_next_url(&self) -> Items<Thing>;

    #[endpoint(GET, "/owners/{owner}/things", scope = read, paginate = link_header(items = ""))]
    fn by_link_header(&self, owner: &str) -> hacktron_runtime::Paginated<Thing, Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

fn assert_spawnable<T: Send + 'static>(_: T) {}

fn main() {
    let client = Client::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let owner = String::from("acme");
    assert_spawnable(client.by_page(10));
    assert_spawnable(client.by_offset());
    assert_spawnable(client.by_cursor(&owner));
    assert_spawnable(client.by_next_url());
    assert_spawnable(client.by_link_header(&owner));
    assert_eq!(<Client as Things>::BY_PAGE.path, "/things");
}
