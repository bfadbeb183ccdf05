use hacktron::{Error, endpoint};

#[endpoint(GET, "/things", scope = read)]
async fn list_things() -> Result<(), Error> {
    Ok(())
}

fn main() {}
