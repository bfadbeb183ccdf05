use std::rc::Rc;

use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: Rc<str>) -> Result<(), Error>;
}

fn main() {}
