use hacktron::scope::write;
use hacktron::{Error, endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct NewThing {
    pub name: String,
}

pub trait Things {
    #[endpoint(POST, "/things", scope = write)]
    async fn create_thing(&self, #[body] thing: &NewThing, #[body] extra: &NewThing) -> Result<(), Error>;
}

fn main() {}
