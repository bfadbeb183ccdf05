use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint]
    async fn list_things(&self) -> Result<(), Error>;
}

fn main() {}
