use hacktron::scope::read;
use hacktron::{Items, endpoint};

pub trait Things {
    // A JSONPath, not a JSON pointer; an option another style has; a page
    // number that is neither 0 nor 1.
    #[endpoint(GET, "/things", scope = read, paginate = page("page", items = "$.data", next = "/next", start = 2))]
    fn all_things(&self) -> Items<u64>;

    #[endpoint(GET, "/things", scope = read, paginate = link_header("next", total = "/total"))]
    fn all_linked_things(&self) -> Items<u64>;

    #[endpoint(GET, "/things", scope = read, paginate = next_url("links.next", items = 3))]
    fn all_next_things(&self) -> Items<u64>;
}

fn main() {}
