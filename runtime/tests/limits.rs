//! Rate limits as the server reports them, over HTTP to a purpose-built
//! server on 127.0.0.1 that counts down per resource as GitHub does
//! (`X-RateLimit-Remaining`, `-Reset`, `-Resource`) on one path, and with
//! the IETF `RateLimit` field on another.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use hacktron_runtime::scope::KeyKind;
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{ApiError, Client, Error, ErrorDetails, ErrorResponse, RetryPolicy, endpoint};
use support::Server;

enum Repos {}
impl Service for Repos {
    type Error = ApiError;
    const NAME: &'static str = "Repos";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "limits-test/1";
    const RATE_LIMIT_HEADERS: bool = true;
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}
struct Token;
impl KeyKind for Token {
    type Service = Repos;
}
hacktron_runtime::scopes! {
    credential = "token";
    /// Scope `repo`.
    read = "repo";
    grants {
        Token: read;
    }
}

trait ReposApi {
    #[endpoint(GET, "/search/code", scope = read)]
    async fn search(&self, #[query] q: &str) -> Result<serde_json::Value, ApiError>;
    #[endpoint(GET, "/repos/{name}", scope = read)]
    async fn repo(&self, name: &str) -> Result<serde_json::Value, ApiError>;
    #[endpoint(GET, "/events", scope = read)]
    async fn events(&self) -> Result<serde_json::Value, ApiError>;
}
impl ReposApi for Client<Token> {}

/// `search` allows `per_window` calls, then says none is left for
/// `reset` seconds; `repos` has thousands left; `/events` answers with the
/// IETF field, none left for an hour.
async fn server(per_window: u32, reset: u64) -> Server {
    let searches = Arc::new(AtomicU32::new(0));
    Server::start(move |request| {
        let header = |n: &str, v: String| (n.to_owned(), v);
        let mut headers = vec![header("content-type", "application/json".into())];
        if request.target.starts_with("/search/") {
            let n = searches.fetch_add(1, Ordering::SeqCst) + 1;
            let left = per_window.saturating_sub(n);
            headers.push(header("x-ratelimit-remaining", left.to_string()));
            headers.push(header("x-ratelimit-reset", reset.to_string()));
            headers.push(header("x-ratelimit-resource", "search".into()));
        } else if request.target.starts_with("/repos/") {
            headers.push(header("x-ratelimit-remaining", "4999".into()));
            headers.push(header("x-ratelimit-reset", "3600".into()));
            headers.push(header("x-ratelimit-resource", "core".into()));
        } else {
            headers.push(header("ratelimit", r#""hourly";r=0;t=3600"#.into()));
            headers.push(header("ratelimit-policy", r#""hourly";q=10;w=3600"#.into()));
        }
        (200, headers, "{}".to_owned())
    })
    .await
}

fn client(server: &Server) -> Client<Token> {
    Client::<Token>::builder("t0ken")
        .base_url(&server.url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_used_up_resource_waits_for_its_reset_and_others_do_not() {
    let server = server(1, 1).await;
    let client = client(&server);
    client.search("a").await.unwrap(); // the server: 0 left of `search`, reset in 1 s
    client.repo("app").await.unwrap(); // `core` is another resource
    let waiting = {
        let client = client.clone();
        tokio::spawn(async move { client.search("b").await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    client.repo("lib").await.unwrap(); // not held up by `search`'s wait
    waiting.await.unwrap().unwrap();
    let seen = server.seen();
    let targets: Vec<_> = seen.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        ["/search/code?q=a", "/repos/app", "/repos/lib", "/search/code?q=b"]
    );
    let gap = seen[3].at.duration_since(seen[0].at);
    assert!(
        gap >= Duration::from_millis(900),
        "the second search went out {gap:?} after the first"
    );
}

#[tokio::test]
async fn a_reset_further_than_the_client_waits_is_an_error_and_nothing_is_sent() {
    let server = server(1, 3600).await;
    let client = client(&server);
    client.search("a").await.unwrap();
    let e = client.search("b").await.unwrap_err();
    let Some(Error::RateLimited { resource, reset_in }) = e.runtime_error() else {
        panic!("expected RateLimited, got {e:?}");
    };
    assert_eq!(resource, "search");
    assert!(*reset_in > Duration::from_secs(3590), "{reset_in:?}");
    assert!(
        e.to_string()
            .starts_with("the server's rate limit for `search` is used up for 3"),
        "{e}"
    );
    assert!(
        e.to_string()
            .ends_with("try again then, or raise `ClientBuilder::max_rate_limit_wait`"),
        "{e}"
    );
    // The IETF field, the same way.
    client.events().await.unwrap();
    let e = client.events().await.unwrap_err();
    assert!(
        matches!(e.runtime_error(), Some(Error::RateLimited { resource, .. }) if resource == "hourly"),
        "{e:?}"
    );
    assert_eq!(
        server.seen().len(),
        2,
        "nothing sent once the server said none was left"
    );
}

#[tokio::test]
async fn calls_between_answers_count_down_what_the_server_said_is_left() {
    let server = server(3, 3600).await;
    let client = client(&server);
    client.search("a").await.unwrap(); // 2 left
    client.search("b").await.unwrap(); // 1 left
    client.search("c").await.unwrap(); // 0 left
    assert!(client.search("d").await.is_err());
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_client_told_not_to_follow_the_headers_sends_everything() {
    let server = server(1, 3600).await;
    let client = Client::<Token>::builder("t0ken")
        .base_url(&server.url)
        .server_rate_limits(false)
        .build()
        .unwrap();
    for q in ["a", "b", "c"] {
        client.search(q).await.unwrap();
    }
    assert_eq!(server.seen().len(), 3);
}

/// What another origin says of its limits (a CDN a redirect led to) does
/// not hold back the service's calls. (Here the client follows the
/// redirect: the key is in a header of the service's own name.)
#[tokio::test]
async fn a_limit_reported_by_another_origin_does_not_count() {
    enum Files {}
    impl Service for Files {
        type Error = ApiError;
        const NAME: &'static str = "Files";
        const AUTH: Auth = Auth::Header {
            name: "x-api-key",
            scheme: None,
        };
        const USER_AGENT: &'static str = "limits-test/1";
        const RATE_LIMIT_HEADERS: bool = true;
        fn error_from_response(response: ErrorResponse) -> ApiError {
            response.into()
        }
    }
    struct FileKey;
    impl KeyKind for FileKey {
        type Service = Files;
    }
    hacktron_runtime::scopes! {
        /// Scope `files`.
        files = "files";
        grants {
            FileKey: files;
        }
    }
    trait FilesApi {
        #[endpoint(GET, "/files/{id}", scope = files)]
        async fn file(&self, id: u32) -> Result<serde_json::Value, ApiError>;
    }
    impl FilesApi for Client<FileKey> {}
    let cdn = Server::start(|_| {
        let headers = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-ratelimit-remaining".to_owned(), "0".to_owned()),
            ("x-ratelimit-reset".to_owned(), "3600".to_owned()),
        ];
        (200, headers, "{}".to_owned())
    })
    .await;
    let to = format!("{}/blob", cdn.url);
    let service = Server::start(move |_| (302, vec![("location".to_owned(), to.clone())], String::new())).await;
    let client = Client::<FileKey>::builder("k3y")
        .base_url(&service.url)
        .build()
        .unwrap();
    client.file(1).await.unwrap();
    client.file(2).await.unwrap();
    assert_eq!(service.seen().len(), 2, "the CDN's limit held back the service's calls");
    assert_eq!(cdn.seen().len(), 2);
}
