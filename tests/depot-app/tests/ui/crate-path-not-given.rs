// Without `crate = depot_sdk`, generated code names `::hacktron`, which this
// crate does not have: the attribute must be told which SDK re-exports it.
use depot_sdk::{DepotError, endpoint, pull};

pub trait Mirrors {
    #[endpoint(GET, "/mirrors/{region}", scope = pull)]
    async fn mirror(&self, region: &str) -> Result<(), DepotError>;
}

fn main() {}
