use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(FETCH, "/things", scope = read)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
