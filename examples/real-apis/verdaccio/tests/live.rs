//! Against a real Verdaccio on 127.0.0.1 (`VERDACCIO_URL`, set by
//! `examples/real-apis/run.sh`, whose config lets only logged-in users read
//! or publish); without it, each test says it was skipped.

use std::sync::atomic::{AtomicU32, Ordering};

use hacktron_runtime::scope::Anonymous;
use hacktron_runtime::{Client, ErrorDetails, RetryPolicy};
use npm_registry_sdk::{NewToken, NewUser, NpmRegistry, Publish, PublishToken, ReadOnlyToken, Registry};

fn base(test: &str) -> Option<String> {
    let url = std::env::var("VERDACCIO_URL").ok();
    if url.is_none() {
        eprintln!("skipped {test}: VERDACCIO_URL is not set; run examples/real-apis/run.sh");
    }
    url
}

/// A new user of this test run, and a full token of theirs.
async fn user(base: &str) -> (String, String) {
    static N: AtomicU32 = AtomicU32::new(0);
    let name = format!("user{}x{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
    let anonymous = Client::<Anonymous<NpmRegistry>>::public()
        .base_url(base)
        .build()
        .unwrap();
    let created = anonymous
        .add_user(
            &name,
            &NewUser {
                name: &name,
                password: "pw-of-the-test",
            },
        )
        .await
        .unwrap();
    assert_eq!(created.ok, format!("user '{name}' created"));
    (name, created.token)
}

fn client<K: hacktron_runtime::scope::KeyKind<Service = NpmRegistry>>(base: &str, token: &str) -> Client<K> {
    Client::<K>::builder(token)
        .base_url(base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_scoped_package_is_published_read_tagged_and_its_tarball_fetched_from_the_url_given() {
    let Some(base) = base("publish") else { return };
    let (name, token) = user(&base).await;
    let publisher: Client<PublishToken> = client(&base, &token);
    assert_eq!(publisher.whoami().await.unwrap().username, name);

    let package = format!("@acme/{name}-widget");
    let tarball = b"\x1f\x8b not really gzip, stored as given".to_vec();
    let done = publisher
        .publish(&package, &Publish::new(&base, &package, "1.0.0", &tarball))
        .await
        .unwrap();
    assert_eq!(done.ok, "created new package");

    let doc = publisher.packument(&package).await.unwrap();
    assert_eq!(doc.name, package);
    assert_eq!(doc.dist_tags["latest"], "1.0.0");
    let url = &doc.versions["1.0.0"].dist.tarball;
    let bytes = publisher.tarball(url).await.unwrap().bytes(1 << 20).await.unwrap();
    assert_eq!(&bytes[..], &tarball[..]);

    assert_eq!(
        publisher.tag(&package, "beta", "1.0.0").await.unwrap().ok,
        "package tagged"
    );
    let tags = publisher.dist_tags(&package).await.unwrap();
    assert_eq!(tags.get("beta").map(String::as_str), Some("1.0.0"));
}

#[tokio::test]
async fn a_read_only_token_reads_and_the_server_refuses_it_a_publish() {
    let Some(base) = base("read-only") else { return };
    let (name, token) = user(&base).await;
    let publisher: Client<PublishToken> = client(&base, &token);
    let package = format!("{name}-lib");
    publisher
        .publish(&package, &Publish::new(&base, &package, "0.1.0", b"v1"))
        .await
        .unwrap();

    let created = publisher
        .create_token(&NewToken {
            password: "pw-of-the-test",
            readonly: true,
            cidr_whitelist: vec![],
        })
        .await
        .unwrap();
    assert!(created.readonly);
    assert_eq!(created.user, name);
    let listed = publisher.tokens().await.unwrap();
    assert!(listed.objects.iter().any(|t| t.key == created.key && t.readonly));

    let reader: Client<ReadOnlyToken> = client(&base, &created.token);
    assert_eq!(reader.packument(&package).await.unwrap().name, package);
    // `reader.publish(..)` does not compile (see the crate docs); the same
    // token typed as a full one is refused by the server.
    let pretending: Client<PublishToken> = client(&base, &created.token);
    let e = pretending
        .publish(&package, &Publish::new(&base, &package, "0.2.0", b"v2"))
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(403));

    assert_eq!(
        publisher.delete_token(&created.key).await.unwrap(),
        serde_json::json!({})
    );
    // A deleted token: Verdaccio answers 403 with its own message.
    let e = reader.whoami().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(403), "{e}");
    assert_eq!(e.messages(), ["unauthorized access"]);
}

#[tokio::test]
async fn without_a_token_the_registrys_own_message_comes_back() {
    let Some(base) = base("anonymous") else { return };
    let (name, token) = user(&base).await;
    let package = format!("{name}-private");
    let publisher: Client<PublishToken> = client(&base, &token);
    publisher
        .publish(&package, &Publish::new(&base, &package, "1.0.0", b"x"))
        .await
        .unwrap();
    // A client typed as holding a token, with a wrong one.
    let stranger: Client<ReadOnlyToken> = client(&base, "not-a-real-token");
    let e = stranger.packument(&package).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    assert_eq!(
        e.messages(),
        [format!("authorization required to access package {package}")]
    );
    assert!(!e.is_retryable());
    // Package reads take a token optionally: a client without one may ask,
    // and this registry (`access: $authenticated`) refuses it in its words.
    let anonymous = Client::<Anonymous<NpmRegistry>>::public()
        .base_url(&base)
        .build()
        .unwrap();
    let e = anonymous.packument(&package).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    assert_eq!(
        e.messages(),
        [format!("authorization required to access package {package}")]
    );
    assert_eq!(publisher.packument(&package).await.unwrap().name, package);
}

#[tokio::test]
async fn a_package_anybody_may_read_is_read_with_or_without_a_token() {
    let Some(base) = base("optional") else { return };
    let (name, token) = user(&base).await;
    // `public-*` is `access: $all` in run.sh's configuration.
    let package = format!("public-{name}");
    let publisher: Client<PublishToken> = client(&base, &token);
    publisher
        .publish(&package, &Publish::new(&base, &package, "1.0.0", b"x"))
        .await
        .unwrap();
    let anonymous = Client::<Anonymous<NpmRegistry>>::public()
        .base_url(&base)
        .build()
        .unwrap();
    let read = anonymous.packument(&package).await.unwrap();
    assert_eq!(read.dist_tags.get("latest").map(String::as_str), Some("1.0.0"));
    assert_eq!(publisher.packument(&package).await.unwrap().name, package);
    assert_eq!(
        anonymous
            .dist_tags(&package)
            .await
            .unwrap()
            .get("latest")
            .map(String::as_str),
        Some("1.0.0")
    );
}
