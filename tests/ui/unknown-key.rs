use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read, timeout = 30)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
