use hacktron::scope::write;
use hacktron::{Error, endpoint};

pub struct NewThing {
    pub name: String,
}

pub trait Things {
    #[endpoint(POST, "/things", scope = write)]
    async fn create_thing(&self, #[body] thing: &NewThing) -> Result<(), Error>;
}

fn main() {}
