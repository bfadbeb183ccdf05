use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = admin)]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
