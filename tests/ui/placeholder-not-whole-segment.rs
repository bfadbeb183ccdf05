use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/thing-{id*}", scope = read)]
    async fn get_thing(&self, id: &str) -> Result<(), Error>;
}

fn main() {}
