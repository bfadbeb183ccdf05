use hacktron::scope::read;
use hacktron::{Items, endpoint};

pub trait Things {
    #[endpoint(POST, "/things/search", scope = read, paginate = page("page"))]
    fn search_things(&self) -> Items<u64>;
}

fn main() {}
