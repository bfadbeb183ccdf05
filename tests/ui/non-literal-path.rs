use hacktron::scope::read;
use hacktron::{Error, endpoint};

const THINGS: &str = "/things";

pub trait Things {
    #[endpoint(GET, THINGS, scope = read)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
