use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub struct ThingId(pub u64);

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: ThingId) -> Result<(), Error>;
}

fn main() {}
