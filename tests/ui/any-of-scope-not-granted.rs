// An endpoint the server accepts under either of two scopes: a key kind
// with neither cannot call it, and the help lists the kinds holding one.
use hacktron::scope::KeyKind;
use hacktron::{Client, Error, Hacktron, endpoint};

/// A token that may read.
pub struct Reader;
impl KeyKind for Reader {
    type Service = Hacktron;
}
/// A token that may publish.
pub struct Publisher;
impl KeyKind for Publisher {
    type Service = Hacktron;
}
/// A token that may only search.
pub struct Searcher;
impl KeyKind for Searcher {
    type Service = Hacktron;
}

hacktron::scopes! {
    credential = "token";
    /// Read packages.
    pub read = "read:packages";
    /// Publish packages.
    pub publish = "write:packages";
    /// Search.
    pub search = "search";
    /// Package metadata: accepted under either scope.
    pub metadata = read | publish;
    grants {
        Reader: read;
        Publisher: publish;
        Searcher: search;
    }
}

pub trait Packages {
    #[endpoint(GET, "/packages/{name}", scope = metadata)]
    async fn package(&self, name: &str) -> Result<(), Error>;
}
impl<K: KeyKind<Service = Hacktron>> Packages for Client<K> {}

fn ok(reader: &Client<Reader>, publisher: &Client<Publisher>) {
    let _ = reader.package("left-pad");
    let _ = publisher.package("left-pad");
}

fn run(client: &Client<Searcher>) {
    let _ = client.package("left-pad");
}

fn main() {}
