// Every way an argument can bind, together in one endpoint, on a client and
// on a type of the user's own that holds one.
use hacktron::scope::write;
use hacktron::{Api, Client, Error, ReadWrite, endpoint};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct Thing {
    pub id: String,
}

#[derive(Serialize)]
pub struct Filter {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[derive(Serialize)]
pub struct Patch {
    pub name: String,
}

pub trait Things {
    /// Updates one version of a thing.
    #[endpoint(PATCH, "/owners/{owner}/things/{thingId}/versions/{version}/{type}", scope = write)]
    async fn update_thing(
        &self,
        owner: &str,
        r#type: &str,
        #[path("thingId")] id: &str,
        #[path] version: u64,
        #[query] dry_run: bool,
        #[query("wait_seconds")] wait: Option<u32>,
        #[query(flatten)] filter: &Filter,
        #[body] patch: &Patch,
        #[header("X-Request-Id")] request_id: &str,
        #[header("X-Trace")] trace: Option<&str>,
    ) -> Result<Thing, Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

/// A type of the user's own that holds a client.
pub struct App {
    client: Client<ReadWrite>,
}

impl Api for App {
    type Client = Client<ReadWrite>;
    fn client(&self) -> &Client<ReadWrite> {
        &self.client
    }
}

impl Things for App {}

fn main() {
    let client = Client::builder("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4")
        .base_url("http://127.0.0.1:9/v1")
        .build()
        .unwrap();
    let filter = Filter {
        page: Some(2),
        per_page: None,
    };
    let patch = Patch { name: "new".to_owned() };
    drop(client.update_thing("acme", "full", "t-1", 3, true, None, &filter, &patch, "r-1", Some("x")));
    let app = App { client };
    drop(app.update_thing("acme", "full", "t-1", 3, false, Some(5), &filter, &patch, "r-2", None));
    assert_eq!(
        <App as Things>::UPDATE_THING.path,
        "/owners/{owner}/things/{thingId}/versions/{version}/{type}"
    );
}
