use hacktron::scope::read;
use hacktron::{Error, endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Filter {
    pub name: String,
}

pub trait Things {
    #[endpoint(GET, "/things", scope = read)]
    async fn list_things(&self, #[body] filter: &Filter) -> Result<(), Error>;
}

fn main() {}
