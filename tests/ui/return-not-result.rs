use hacktron::scope::read;
use hacktron::endpoint;

pub trait Things {
    #[endpoint(GET, "/things", scope = read)]
    async fn count_things(&self) -> u32;
}

fn main() {}
