use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}/copies/{id}", scope = read)]
    async fn get_copy(&self, id: &str) -> Result<(), Error>;
}

fn main() {}
