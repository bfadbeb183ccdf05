// "Either scope" is declared in `scopes!`, not written at the endpoint.
use hacktron::scope::read;
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read | write)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
