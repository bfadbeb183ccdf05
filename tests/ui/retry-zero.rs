use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read, retry = 0)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
