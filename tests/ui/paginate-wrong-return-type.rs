use hacktron::scope::read;
use hacktron::{Error, Items, endpoint};

pub struct NotDecodable;

pub trait Things {
    #[endpoint(GET, "/things", scope = read, paginate = page("page"))]
    fn all_things(&self) -> Result<Vec<u64>, Error>;

    #[endpoint(GET, "/things", scope = read, paginate = page("page"))]
    fn all_other_things(&self) -> Items<NotDecodable>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for hacktron::Client<K> {}

fn main() {}
