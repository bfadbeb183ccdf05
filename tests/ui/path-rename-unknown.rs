use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: &str, #[path("nope")] other: &str) -> Result<(), Error>;
}

fn main() {}
