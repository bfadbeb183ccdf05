use hacktron::endpoint;

#[endpoint(GET, "/things", scope = read)]
pub struct Things;

fn main() {}
