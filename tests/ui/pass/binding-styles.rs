// Multi-segment path parameters, query styles and form bodies compile.
use hacktron::scope::{KeyKind, read, write};
use hacktron::{Client, Error, Hacktron, endpoint};
use serde::Serialize;

#[derive(Serialize)]
pub struct Filter {
    pub status: &'static str,
    pub page: Option<u32>,
}

#[derive(Serialize)]
pub struct Login<'a> {
    pub user: &'a str,
    pub password: &'a str,
}

pub trait Things {
    #[endpoint(GET, "/repos/{owner}/contents/{path*}", scope = read)]
    async fn contents(&self, owner: &str, path: &str) -> Result<serde_json::Value, Error>;

    #[endpoint(GET, "/issues", scope = read)]
    async fn issues(
        &self,
        #[query("labels", explode = false)] labels: &[&str],
        #[query("filter", deep_object)] filter: &Filter,
        #[query(explode = true)] sort: Option<&str>,
    ) -> Result<serde_json::Value, Error>;

    #[endpoint(POST, "https://uploads.example.com/files/{name}", scope = write)]
    async fn upload(&self, name: &str, #[body] content: &serde_json::Value) -> Result<serde_json::Value, Error>;

    #[endpoint(PUT, "/-/user/org.couchdb.user:{name}", scope = write)]
    async fn add_user(&self, name: &str) -> Result<serde_json::Value, Error>;

    #[endpoint(PUT, "/files/{name}", scope = write)]
    async fn put_file(&self, name: &str, #[body(raw)] content: &[u8]) -> Result<(), Error>;

    #[endpoint(GET, "http://[::1]:8080/health", scope = read)]
    async fn local_health(&self) -> Result<serde_json::Value, Error>;

    #[endpoint(GET, "", scope = read)]
    async fn next_page(&self, #[url] next: &str) -> Result<serde_json::Value, Error>;

    #[endpoint(POST, "/login", scope = write)]
    async fn login(&self, #[body(form)] login: &Login<'_>) -> Result<serde_json::Value, Error>;
}
impl<K: KeyKind<Service = Hacktron>> Things for Client<K> {}

fn main() {
    let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").unwrap();
    let _ = client.contents("acme", "docs/guide.md");
    let _ = client.issues(&["bug", "ui"], &Filter { status: "open", page: None }, None);
    let _ = client.login(&Login { user: "ann", password: "pw" });
    let _ = client.upload("a.txt", &serde_json::json!({}));
    let _ = client.add_user("ann");
    let _ = client.put_file("a.bin", &[1, 2, 3]);
    let _ = client.next_page("https://api.hacktron.ai/v1/things?page=2");
}
