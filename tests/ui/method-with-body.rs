use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read)]
    async fn list_things(&self) -> Result<(), Error> {
        Ok(())
    }
}

fn main() {}
