use hacktron::scope::read;
use hacktron::{Items, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read, paginate = page("page"))]
    fn all_things(&self, #[query] page: Option<u64>, #[query] limit: u32) -> Items<u64>;

    #[endpoint(GET, "/things", scope = read, paginate = cursor("after", next = "/next"))]
    fn all_things_after(&self, #[query("after")] start: &str) -> Items<u64>;
}

fn main() {}
