// Query styles, body kinds and multi-segment parameters, written wrong: each
// mistake is one spanned error, all reported at once.
use hacktron::scope::{read, write};
use hacktron::{Error, endpoint};

pub trait Things {
    #[endpoint(GET, "/things", scope = read)]
    async fn list_things(&self, #[query("tag", exploded = false)] tags: &[&str]) -> Result<(), Error>;

    #[endpoint(POST, "/things", scope = write)]
    async fn create_thing(&self, #[body(xml)] thing: &str) -> Result<(), Error>;

    #[endpoint(GET, "/files/{*}", scope = read)]
    async fn file(&self, path: &str) -> Result<(), Error>;

    #[endpoint(GET, "/files/{path*}.md", scope = read)]
    async fn page(&self, path: &str) -> Result<(), Error>;
}

pub trait Links {
    #[endpoint(GET, "/next", scope = read)]
    async fn next(&self, #[url] next: &str) -> Result<(), Error>;

    #[endpoint(GET, "", scope = read)]
    async fn nowhere(&self) -> Result<(), Error>;

    #[endpoint(GET, "https://{host}/files", scope = read)]
    async fn upload_host(&self, host: &str) -> Result<(), Error>;
}

pub trait Hosts {
    #[endpoint(GET, "https://exa mple.com/x", scope = read)]
    async fn spaced(&self) -> Result<(), Error>;

    #[endpoint(GET, "https://uploads.example.com:99999/x", scope = read)]
    async fn bad_port(&self) -> Result<(), Error>;

    #[endpoint(GET, "/x", scope = read)]
    async fn twice(&self, #[header("X-A")] a: &str, #[header("x-a")] b: &str) -> Result<(), Error>;

    #[endpoint(é, "/x", scope = read)]
    async fn accented(&self) -> Result<(), Error>;
}

fn main() {}
