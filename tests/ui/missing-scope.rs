use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things")]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
