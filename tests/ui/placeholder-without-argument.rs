use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self) -> Result<(), Error>;
}

fn main() {}
