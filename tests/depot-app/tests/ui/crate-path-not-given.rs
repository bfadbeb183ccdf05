// Without `crate = depot_sdk`, the attribute finds neither `hacktron-runtime`
// nor `hacktron` among this crate's dependencies, and says what to write.
use depot_sdk::{DepotError, endpoint, pull};

pub trait Mirrors {
    #[endpoint(GET, "/mirrors/{region}", scope = pull)]
    async fn mirror(&self, region: &str) -> Result<(), DepotError>;
}

fn main() {}
