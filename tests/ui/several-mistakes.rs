use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(get, "/things/{id}", scope = read, retries = 3)]
    fn get_thing(&self, limit: u32, #[body] filter: &str) -> Result<(), Error>;
}

fn main() {}
