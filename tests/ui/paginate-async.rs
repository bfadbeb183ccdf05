use hacktron::scope::read;
use hacktron::{Items, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read, paginate = link_header)]
    async fn all_things(&self) -> Items<u64>;
}

fn main() {}
