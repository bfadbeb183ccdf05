// Every kind of return type: a JSON value, nothing, a byte stream, a value
// with its status and headers, and a `Result` alias of another name.
use hacktron::scope::{read, write};
use hacktron::{ByteStream, Client, Error, Response, endpoint};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Thing {
    pub id: String,
}

/// An alias of any name works, its first parameter being the success type.
pub type ThingResult<T> = Result<T, Error>;

pub trait Things {
    #[endpoint(GET, "/things/{id}/text", scope = read)]
    async fn get_thing_text(&self, id: &str) -> ThingResult<String>;

    #[endpoint(GET, "/things/{id}", scope = read)]
    async fn get_thing(&self, id: &str) -> Result<Thing, Error>;

    #[endpoint(GET, "/things", scope = read)]
    async fn list_things(&self) -> Result<Vec<Thing>, Error>;

    #[endpoint(DELETE, "/things/{id}", scope = write)]
    async fn delete_thing(&self, id: &str) -> Result<(), Error>;

    #[endpoint(GET, "/things/{id}/export", scope = read)]
    async fn export_thing(&self, id: &str) -> Result<ByteStream, Error>;

    #[endpoint(GET, "/things/{id}/raw", scope = read)]
    async fn get_thing_with_headers(&self, id: &str) -> Result<Response<Thing>, Error>;

    #[endpoint(GET, "/things/{id}/raw", scope = read)]
    async fn get_thing_as_json(&self, id: &str) -> Result<Response<serde_json::Value>, Error>;
}

impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Things for Client<K> {}

async fn use_them(client: &Client) -> Result<(), Error> {
    let thing: Thing = client.get_thing("t-1").await?;
    let _: String = client.get_thing_text("t-1").await?;
    let _: &str = &thing.id;
    let _: Vec<Thing> = client.list_things().await?;
    let (): () = client.delete_thing("t-1").await?;
    let stream: ByteStream = client.export_thing("t-1").await?;
    let _ = stream.status();
    let response: Response<Thing> = client.get_thing_with_headers("t-1").await?;
    let _ = (response.status, &response.headers, &response.id);
    let _: serde_json::Value = client.get_thing_as_json("t-1").await?.into_inner();
    Ok(())
}

fn main() {
    let client = Client::new("hacktron_3s9K1sP7m2nXvT8YhLq0ZbW4").unwrap();
    drop(use_them(&client));
}
