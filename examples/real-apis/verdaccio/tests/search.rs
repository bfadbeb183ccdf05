//! The registry's search, walked offset by offset, against a real Verdaccio
//! on 127.0.0.1 (`VERDACCIO_URL`, set by `examples/real-apis/run.sh`);
//! without it, the test says it was skipped.

use hacktron_runtime::scope::Anonymous;
use hacktron_runtime::{Client, RetryPolicy};
use npm_registry_sdk::{NewUser, NpmRegistry, Publish, PublishToken, Registry};

#[tokio::test]
async fn a_search_walks_every_page_of_results() {
    let Ok(base) = std::env::var("VERDACCIO_URL") else {
        eprintln!("skipped search: VERDACCIO_URL is not set; run examples/real-apis/run.sh");
        return;
    };
    let name = format!("searcher{}", std::process::id());
    let anonymous = Client::<Anonymous<NpmRegistry>>::public()
        .base_url(&base)
        .build()
        .unwrap();
    let user = NewUser {
        name: &name,
        password: "pw-of-the-test",
    };
    let token = anonymous.add_user(&name, &user).await.unwrap().token;
    let client = Client::<PublishToken>::builder(token)
        .base_url(&base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let mut published = Vec::new();
    for i in 0..5 {
        let package = format!("{name}-part{i}");
        client
            .publish(&package, &Publish::new(&base, &package, "1.0.0", b"x"))
            .await
            .unwrap();
        published.push(package);
    }

    // Two results a page: three pages of results, then an empty one.
    let mut results = client.search(&name, 2);
    let mut found = Vec::new();
    while let Some(result) = results.next().await {
        let package = result.unwrap().package;
        assert_eq!(package.dist_tags["latest"], "1.0.0");
        found.push(package.name);
    }
    found.sort();
    assert_eq!(found, published);
    assert_eq!(results.pages_fetched(), 4);
}
