//! The npm registry API, from a real Verdaccio 6.8.0 (npm) or from what it
//! answered once.
//!
//! - `VERDACCIO_URL` set (by `examples/real-apis/run.sh`, whose config lets
//!   only logged-in users read or publish): against that server on
//!   127.0.0.1; with `RECORD=1` too, each test records its exchanges into
//!   `tests/recordings/<test>.json` (committed), else into a scratch
//!   directory.
//! - Not set (`cargo test --workspace`): each test replays its recording,
//!   with no server and no network, checking that every request is the one
//!   recorded (method, URL, headers, body).
//!
//! What differs from run to run is made stable in the recordings: the
//! server's `host:port` is `{{host}}`; user names end in a run id, `{{run}}`
//! (the process id live, `replay` when replayed); the tokens Verdaccio hands
//! out, the passwords, token keys, revisions and timestamps are redacted
//! (`REDACTED-token`, …), so a replayed test logs in with
//! `REDACTED-token`, which matches any token recorded.

use std::path::PathBuf;
use std::time::Duration;

use hacktron_runtime::record::{Recorder, Replayer, Rules, Tape};
use hacktron_runtime::scope::{Anonymous, KeyKind};
use hacktron_runtime::service::Service;
use hacktron_runtime::transport::{Redirects, ReqwestTransport};
use hacktron_runtime::{Client, ErrorDetails, RetryPolicy};
use npm_registry_sdk::{NewToken, NewUser, NpmRegistry, Publish, PublishToken, ReadOnlyToken, Registry};

/// The replay's base URL: nothing listens on port 1.
const REPLAY_BASE: &str = "http://127.0.0.1:1";

/// Verdaccio, live or recorded, for one test.
struct Server {
    /// The base URL the test's clients use.
    base: String,
    /// What makes this run's user names unique.
    run: String,
    /// The clients' transport: recording what goes to the live server, or
    /// replaying.
    tape: Tape,
}

impl Server {
    /// The server for test `name`: live when `VERDACCIO_URL` is set, else
    /// the replay of `tests/recordings/{name}.json`.
    fn new(name: &str) -> Server {
        let live = std::env::var("VERDACCIO_URL").ok();
        let base = live.clone().unwrap_or_else(|| REPLAY_BASE.to_owned());
        let run = if live.is_some() {
            format!("run{}", std::process::id())
        } else {
            "replay".to_owned()
        };
        let rules = Rules::for_service::<NpmRegistry>()
            .placeholder("host", base.trim_start_matches("http://"))
            .placeholder("run", &run)
            .drop_volatile_headers()
            // A weak ETag of a body with timestamps in it.
            .drop_header("etag")
            // A time: when the rate limit window ends; and what is left of
            // it, which depends on what ran before.
            .drop_header("x-ratelimit-reset")
            .drop_header("x-ratelimit-remaining")
            .redact_field("token")
            .redact_field("password")
            .redact_field("key")
            .redact_field("_rev")
            .redact_field("time")
            .redact_field("created")
            .redact_field("updated");
        let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/recordings/{name}.json"));
        let tape = if live.is_some() {
            let path = if std::env::var_os("RECORD").is_some() {
                committed
            } else {
                PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("verdaccio-{name}.json"))
            };
            // The transport a client of this API gets by default: its
            // credential is `Authorization`, which reqwest drops on the way
            // to another origin, so it follows every redirect itself.
            let transport = ReqwestTransport::with_redirects(
                Duration::from_secs(10),
                Some(Duration::from_secs(30)),
                NpmRegistry::USER_AGENT,
                Redirects::AnyOrigin,
            )
            .unwrap();
            Tape::Record(Recorder::new(transport, path, rules))
        } else {
            Tape::Replay(Replayer::open(&committed, rules).unwrap())
        };
        Server { base, run, tape }
    }

    /// A new user `{who}-{run}`, and a full token of theirs.
    async fn user(&self, who: &str) -> (String, String) {
        let name = format!("{who}-{}", self.run);
        let anonymous = Client::<Anonymous<NpmRegistry>>::public()
            .base_url(&self.base)
            .transport(self.tape.clone())
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

    /// A new user `{who}-{run}` who published `naming(user)` at 1.0.0: the
    /// user's name, the package's, and their client.
    async fn owner(&self, who: &str, naming: impl Fn(&str) -> String) -> (String, String, Client<PublishToken>) {
        let (name, token) = self.user(who).await;
        let package = naming(&name);
        let publisher: Client<PublishToken> = self.client(&token);
        publisher
            .publish(&package, &Publish::new(&self.base, &package, "1.0.0", b"x"))
            .await
            .unwrap();
        (name, package, publisher)
    }

    /// A client without a token.
    fn anonymous(&self) -> Client<Anonymous<NpmRegistry>> {
        Client::<Anonymous<NpmRegistry>>::public()
            .base_url(&self.base)
            .retry(RetryPolicy::never())
            .transport(self.tape.clone())
            .build()
            .unwrap()
    }

    fn client<K: KeyKind<Service = NpmRegistry>>(&self, token: &str) -> Client<K> {
        Client::<K>::builder(token)
            .base_url(&self.base)
            .retry(RetryPolicy::never())
            .transport(self.tape.clone())
            .build()
            .unwrap()
    }

    /// Every recorded exchange was replayed (or the recording is written).
    fn finish(&self) {
        self.tape.finish().unwrap();
    }
}

#[tokio::test]
async fn a_scoped_package_is_published_read_tagged_and_its_tarball_fetched_from_the_url_given() {
    let server = Server::new("publish");
    let base = &server.base;
    let (name, token) = server.user("publisher").await;
    let publisher: Client<PublishToken> = server.client(&token);
    assert_eq!(publisher.whoami().await.unwrap().username, name);

    let package = format!("@acme/{name}-widget");
    let tarball = b"\x1f\x8b not really gzip, stored as given".to_vec();
    let done = publisher
        .publish(&package, &Publish::new(base, &package, "1.0.0", &tarball))
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
    server.finish();
}

#[tokio::test]
async fn a_read_only_token_reads_and_the_server_refuses_it_a_publish() {
    let server = Server::new("read_only");
    let base = &server.base;
    let (name, token) = server.user("reader").await;
    let publisher: Client<PublishToken> = server.client(&token);
    let package = format!("{name}-lib");
    publisher
        .publish(&package, &Publish::new(base, &package, "0.1.0", b"v1"))
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

    let reader: Client<ReadOnlyToken> = server.client(&created.token);
    assert_eq!(reader.packument(&package).await.unwrap().name, package);
    // `reader.publish(..)` does not compile (see the crate docs); the same
    // token typed as a full one is refused by the server.
    let pretending: Client<PublishToken> = server.client(&created.token);
    let e = pretending
        .publish(&package, &Publish::new(base, &package, "0.2.0", b"v2"))
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
    server.finish();
}

#[tokio::test]
async fn without_a_token_the_registrys_own_message_comes_back() {
    let server = Server::new("anonymous");
    let (_, package, publisher) = server.owner("owner", |name| format!("{name}-private")).await;
    // A client typed as holding a token, with a wrong one.
    let stranger: Client<ReadOnlyToken> = server.client("not-a-real-token");
    let e = stranger.packument(&package).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    assert_eq!(
        e.messages(),
        [format!("authorization required to access package {package}")]
    );
    assert!(!e.is_retryable());
    // Package reads take a token optionally: a client without one may ask,
    // and this registry (`access: $authenticated`) refuses it in its words.
    let anonymous = server.anonymous();
    let e = anonymous.packument(&package).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401), "{e}");
    assert_eq!(
        e.messages(),
        [format!("authorization required to access package {package}")]
    );
    assert_eq!(publisher.packument(&package).await.unwrap().name, package);
    server.finish();
}

#[tokio::test]
async fn a_package_anybody_may_read_is_read_with_or_without_a_token() {
    let server = Server::new("optional");
    // `public-*` is `access: $all` in run.sh's configuration.
    let (_, package, publisher) = server.owner("sharer", |name| format!("public-{name}")).await;
    let anonymous = server.anonymous();
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
    server.finish();
}

#[tokio::test]
async fn a_search_walks_every_page_of_results() {
    let server = Server::new("search");
    let base = &server.base;
    let (name, token) = server.user("searcher").await;
    let client: Client<PublishToken> = server.client(&token);
    let mut published = Vec::new();
    for i in 0..5 {
        let package = format!("{name}-part{i}");
        client
            .publish(&package, &Publish::new(base, &package, "1.0.0", b"x"))
            .await
            .unwrap();
        published.push(package);
    }
    // Two results a page (`offset("from", items = "/objects")`): three
    // pages of results, then an empty one.
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
    server.finish();
}

/// A client whose token comes from the registry's own login, fetched when
/// needed and fetched again when the registry refuses it: the first value
/// the provider gives is one the registry does not know (a token from an
/// earlier session), so the registry's `401` for a package only users may
/// read makes the client log in again and resend.
#[tokio::test]
async fn a_refused_token_is_replaced_by_logging_in_again() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use hacktron_runtime::credential::{Refreshing, Token};
    use npm_registry_sdk::basic_auth;

    let server = Server::new("relogin");
    // A package only a logged-in user may read (`access: $authenticated`).
    let (name, package, _) = server.owner("renewer", |name| format!("{name}-private")).await;
    let anonymous = server.anonymous();
    let fetched = Arc::new(AtomicU32::new(0));
    let (who, count) = (name.clone(), fetched.clone());
    let tokens = Refreshing::new(move || {
        let (anonymous, who, count) = (anonymous.clone(), who.clone(), count.clone());
        async move {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                return Ok(Token::new("token-of-an-earlier-session"));
            }
            let user = NewUser {
                name: &who,
                password: "pw-of-the-test",
            };
            let login = anonymous
                .login(&who, &basic_auth(&who, "pw-of-the-test"), &user)
                .await?;
            Ok::<_, hacktron_runtime::ApiError>(Token::new(login.token))
        }
    });
    let client = Client::<PublishToken>::with_credential(tokens)
        .base_url(&server.base)
        .retry(RetryPolicy::never())
        .transport(server.tape.clone())
        .build()
        .unwrap();
    assert_eq!(client.packument(&package).await.unwrap().name, package);
    assert_eq!(fetched.load(Ordering::SeqCst), 2, "one stale value, one login");
    // Cached: no third fetch.
    assert_eq!(client.whoami().await.unwrap().username, name);
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
    server.finish();
}
