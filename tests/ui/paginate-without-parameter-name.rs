use hacktron::scope::read;
use hacktron::{Items, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read, paginate = page)]
    fn all_things(&self) -> Items<u64>;

    #[endpoint(GET, "/things", scope = read, paginate = offset(items = "/data"))]
    fn all_things_by_offset(&self) -> Items<u64>;

    #[endpoint(GET, "/things", scope = read, paginate = cursor("cursor"))]
    fn all_things_by_cursor(&self) -> Items<u64>;
}

fn main() {}
