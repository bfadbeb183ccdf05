// A typed constructor without the prelude: the help names the trait to import.
use hacktron::{Client, ReadOnly};

fn main() {
    let _ = Client::<ReadOnly>::from_env();
}
