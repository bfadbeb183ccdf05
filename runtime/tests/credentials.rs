//! Credential providers and redirects, over HTTP to purpose-built servers on
//! 127.0.0.1: an OAuth-style token endpoint (bound with `#[endpoint]`
//! itself, a form body) that issues short-lived tokens, and an API that
//! accepts only the newest one.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use hacktron_runtime::credential::{Refreshing, Token};
use hacktron_runtime::scope::{Anonymous, KeyKind, public};
use hacktron_runtime::service::{Auth, Service};
use hacktron_runtime::{ApiError, Client, Error, ErrorDetails, ErrorResponse, RetryPolicy, endpoint};

mod support;
use support::{Server, json};

// The token endpoint: no credential of its own, a form body.
enum Issuer {}
impl Service for Issuer {
    type Error = ApiError;
    const NAME: &'static str = "Issuer";
    const AUTH: Auth = Auth::None;
    const USER_AGENT: &'static str = "credentials-test/1";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}

#[derive(serde::Serialize)]
struct Grant<'a> {
    grant_type: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
}

#[derive(serde::Deserialize)]
struct Issued {
    access_token: String,
    expires_in: u64,
}

trait IssuerApi {
    #[endpoint(POST, "/oauth/token", scope = public)]
    async fn token(&self, #[body(form)] grant: &Grant<'_>) -> Result<Issued, ApiError>;
}
impl IssuerApi for Client<Anonymous<Issuer>> {}

// The API: bearer tokens.
enum Notes {}
impl Service for Notes {
    type Error = ApiError;
    const NAME: &'static str = "Notes";
    const AUTH: Auth = Auth::Header {
        name: "authorization",
        scheme: Some("Bearer"),
    };
    const USER_AGENT: &'static str = "credentials-test/1";
    fn error_from_response(response: ErrorResponse) -> ApiError {
        response.into()
    }
}
struct Reader;
impl KeyKind for Reader {
    type Service = Notes;
}
hacktron_runtime::scopes! {
    credential = "token";
    /// Scope `notes:read`.
    read = "notes:read";
    grants {
        Reader: read;
    }
}

trait NotesApi {
    #[endpoint(GET, "/notes/{id}", scope = read)]
    async fn note(&self, id: u32) -> Result<serde_json::Value, ApiError>;
}
impl NotesApi for Client<Reader> {}

/// A token server issuing `tok-1`, `tok-2`, … (each valid `lifetime`
/// seconds by its answer), and an API that accepts only the newest.
async fn servers(lifetime: u64) -> (Server, Server, Arc<AtomicU32>) {
    let issued = Arc::new(AtomicU32::new(0));
    let counter = issued.clone();
    let issuer = Server::start(move |request| {
        let form: Vec<(String, String)> = serde_urlencoded::from_str(&request.body).unwrap_or_default();
        let given = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if request.target != "/oauth/token" || given("client_secret") != Some("app-secret") {
            return json(
                401,
                r#"{"error": "invalid_client", "error_description": "client authentication failed"}"#,
            );
        }
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        json(
            200,
            &format!(r#"{{"access_token": "tok-{n}", "token_type": "Bearer", "expires_in": {lifetime}}}"#),
        )
    })
    .await;
    let newest = issued.clone();
    let api = Server::start(move |request| {
        let want = format!("Bearer tok-{}", newest.load(Ordering::SeqCst));
        if request.header("authorization") == Some(want.as_str()) {
            json(200, r#"{"id": 7}"#)
        } else {
            json(
                401,
                r#"{"error": "invalid_token", "error_description": "the access token expired"}"#,
            )
        }
    })
    .await;
    (issuer, api, issued)
}

fn provider(issuer_url: &str, secret: &'static str) -> impl hacktron_runtime::credential::Credential {
    let issuer = Client::<Anonymous<Issuer>>::public()
        .base_url(issuer_url)
        .build()
        .unwrap();
    Refreshing::new(move || {
        let issuer = issuer.clone();
        async move {
            let grant = Grant {
                grant_type: "client_credentials",
                client_id: "app",
                client_secret: secret,
            };
            let issued = issuer.token(&grant).await?;
            Ok::<_, ApiError>(Token::new(issued.access_token).expires_in(Duration::from_secs(issued.expires_in)))
        }
    })
}

#[tokio::test]
async fn a_token_is_fetched_once_cached_and_sent_as_the_service_says() {
    let (issuer, api, issued) = servers(3600).await;
    let client = Client::<Reader>::with_credential(provider(&issuer.url, "app-secret"))
        .base_url(&api.url)
        .build()
        .unwrap();
    // Ten calls at once: one token fetched, all of them send it.
    let calls = (0..10).map(|_| {
        let client = client.clone();
        async move { client.note(7).await }
    });
    for result in futures_join(calls).await {
        assert_eq!(result.unwrap(), serde_json::json!({"id": 7}));
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let seen = api.seen();
    assert_eq!(seen.len(), 10);
    assert!(seen.iter().all(|r| r.header("authorization") == Some("Bearer tok-1")));
    // The token endpoint got the form, and no bearer token.
    let grant = &issuer.seen()[0];
    assert_eq!(grant.method, "POST");
    assert_eq!(grant.header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        grant.body,
        "grant_type=client_credentials&client_id=app&client_secret=app-secret"
    );
    assert_eq!(grant.header("authorization"), None);
    assert!(!format!("{client:?}").contains("tok-1"));
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_request_sent_again() {
    let (issuer, api, issued) = servers(3600).await;
    let client = Client::<Reader>::with_credential(provider(&issuer.url, "app-secret"))
        .base_url(&api.url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    client.note(7).await.unwrap();
    // The server revokes tok-1 (a newer token was issued elsewhere).
    issued.fetch_add(1, Ordering::SeqCst);
    assert_eq!(client.note(7).await.unwrap(), serde_json::json!({"id": 7}));
    let auth: Vec<_> = api
        .seen()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(auth, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-3"]);
    assert_eq!(issued.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_token_refused_again_after_the_refresh_is_the_servers_401() {
    let (issuer, _, _) = servers(3600).await;
    let never = Server::start(|_| json(401, r#"{"error": "invalid_token", "error_description": "revoked"}"#)).await;
    let client = Client::<Reader>::with_credential(provider(&issuer.url, "app-secret"))
        .base_url(&never.url)
        .build()
        .unwrap();
    let e = client.note(7).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(e.to_string(), "HTTP 401 after 2 attempts: revoked");
    assert_eq!(never.seen().len(), 2, "sent once, and once more with a new token");
}

#[tokio::test]
async fn an_expired_token_is_replaced_before_it_is_sent() {
    // Valid for 1 s by the issuer's word, with no margin: expired by the
    // second call.
    let (issuer, api, issued) = servers(1).await;
    let issuer_client = Client::<Anonymous<Issuer>>::public()
        .base_url(&issuer.url)
        .build()
        .unwrap();
    let tokens = Refreshing::new(move || {
        let issuer = issuer_client.clone();
        async move {
            let grant = Grant {
                grant_type: "client_credentials",
                client_id: "app",
                client_secret: "app-secret",
            };
            let issued = issuer.token(&grant).await?;
            Ok::<_, ApiError>(Token::new(issued.access_token).expires_in(Duration::from_secs(issued.expires_in)))
        }
    })
    .margin(Duration::ZERO);
    let client = Client::<Reader>::with_credential(tokens)
        .base_url(&api.url)
        .build()
        .unwrap();
    client.note(7).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.note(7).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let auth: Vec<_> = api
        .seen()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        auth,
        ["Bearer tok-1", "Bearer tok-2"],
        "no request went out with the expired token"
    );
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_credential_error_and_nothing_is_sent() {
    let (issuer, api, _) = servers(3600).await;
    let client = Client::<Reader>::with_credential(provider(&issuer.url, "wrong-secret"))
        .base_url(&api.url)
        .build()
        .unwrap();
    let e = client.note(7).await.unwrap_err();
    assert!(matches!(e.runtime_error(), Some(Error::Credential(_))), "{e:?}");
    assert_eq!(
        e.to_string(),
        "could not get a credential to send: HTTP 401: client authentication failed"
    );
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn the_token_never_follows_a_redirect_to_another_origin() {
    let (issuer, api, _) = servers(3600).await;
    let elsewhere = Server::start(|_| json(200, r#"{"id": 7, "cdn": true}"#)).await;
    let to = format!("{}/cdn/notes/7", elsewhere.url);
    let moving = Server::start(move |_| (302, vec![("location".to_owned(), to.clone())], String::new())).await;
    let client = Client::<Reader>::with_credential(provider(&issuer.url, "app-secret"))
        .base_url(&moving.url)
        .build()
        .unwrap();
    let value = client.note(7).await.unwrap();
    assert_eq!(value["cdn"], true);
    assert_eq!(moving.seen()[0].header("authorization"), Some("Bearer tok-1"));
    let there = elsewhere.seen();
    assert_eq!(there.len(), 1);
    assert_eq!(there[0].target, "/cdn/notes/7");
    assert_eq!(there[0].header("authorization"), None);
    assert!(api.seen().is_empty());
}

#[tokio::test]
async fn a_post_redirected_by_303_becomes_a_get_and_by_307_keeps_its_body() {
    enum Open {}
    impl Service for Open {
        type Error = ApiError;
        const NAME: &'static str = "Open";
        const AUTH: Auth = Auth::None;
        const USER_AGENT: &'static str = "credentials-test/1";
        fn error_from_response(response: ErrorResponse) -> ApiError {
            response.into()
        }
    }
    struct Anyone;
    impl KeyKind for Anyone {
        type Service = Open;
    }
    trait OpenApi {
        #[endpoint(POST, "/jobs/{status}", scope = public, idempotent)]
        async fn post(&self, status: u16, #[body] job: &serde_json::Value) -> Result<serde_json::Value, ApiError>;
    }
    impl OpenApi for Client<Anyone> {}
    let server = Server::start(|request| match request.target.as_str() {
        "/jobs/303" => (303, vec![("location".to_owned(), "/done".to_owned())], String::new()),
        "/jobs/307" => (307, vec![("location".to_owned(), "/done".to_owned())], String::new()),
        _ => json(
            200,
            &format!(r#"{{"method": "{}", "body": {:?}}}"#, request.method, request.body),
        ),
    })
    .await;
    let client = Client::<Anyone>::builder("-").base_url(&server.url).build().unwrap();
    let job = serde_json::json!({"name": "nightly"});
    let after_303 = client.post(303, &job).await.unwrap();
    assert_eq!(after_303, serde_json::json!({"method": "GET", "body": ""}));
    let after_307 = client.post(307, &job).await.unwrap();
    assert_eq!(
        after_307,
        serde_json::json!({"method": "POST", "body": r#"{"name":"nightly"}"#})
    );
    let seen = server.seen();
    assert_eq!(
        seen[1].header("content-type"),
        None,
        "the GET after a 303 says it has no body"
    );
    assert_eq!(seen[3].header("content-type"), Some("application/json"));
}

/// Polls every future to the end, in parallel (no `futures` dependency).
async fn futures_join<F: std::future::Future + Send + 'static>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

/// A request to another origin (a `#[url]` argument) that is redirected to
/// the service's own origin does not get the key there: the chain went
/// through a server the service does not vouch for.
#[tokio::test]
async fn a_foreign_server_cannot_steer_a_request_onto_the_service_with_the_key() {
    enum Keyed {}
    impl Service for Keyed {
        type Error = ApiError;
        const NAME: &'static str = "Keyed";
        const AUTH: Auth = Auth::Header {
            name: "x-api-key",
            scheme: None,
        };
        const USER_AGENT: &'static str = "credentials-test/1";
        fn error_from_response(response: ErrorResponse) -> ApiError {
            response.into()
        }
    }
    struct Key;
    impl KeyKind for Key {
        type Service = Keyed;
    }
    hacktron_runtime::scopes! {
        /// Scope `any`.
        any = "any";
        grants {
            Key: any;
        }
    }
    trait KeyedApi {
        #[endpoint(GET, "", scope = any)]
        async fn fetch(&self, #[url] url: &str) -> Result<serde_json::Value, ApiError>;
        #[endpoint(GET, "/admin", scope = any)]
        async fn admin(&self) -> Result<serde_json::Value, ApiError>;
    }
    impl KeyedApi for Client<Key> {}
    let service = Server::start(|_| json(200, r#"{"service": true}"#)).await;
    let to = format!("{}/admin", service.url);
    let foreign = Server::start(move |request| match request.target.as_str() {
        "/absolute" => (302, vec![("location".to_owned(), to.clone())], String::new()),
        _ => (302, vec![("location".to_owned(), "/admin".to_owned())], String::new()),
    })
    .await;
    let client = Client::<Key>::builder("k3y").base_url(&service.url).build().unwrap();
    client.admin().await.unwrap();
    for path in ["/absolute", "/relative"] {
        let _ = client.fetch(&format!("{}{path}", foreign.url)).await;
    }
    let seen = service.seen();
    assert_eq!(
        seen[0].header("x-api-key"),
        Some("k3y"),
        "the service's own call has its key"
    );
    assert_eq!(
        seen.len(),
        2,
        "the relative redirect stays on the foreign server: {seen:#?}"
    );
    assert_eq!(seen[1].header("x-api-key"), None, "the key followed a foreign redirect");
    assert!(foreign.seen().iter().all(|r| r.header("x-api-key").is_none()));
}

/// A token endpoint that hangs holds the call no longer than its deadline.
#[tokio::test]
async fn fetching_a_token_counts_against_the_calls_deadline() {
    let api = Server::start(|_| json(200, r#"{"id": 7}"#)).await;
    let hanging = Refreshing::new(|| async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        Ok::<_, std::io::Error>(Token::new("late"))
    });
    let client = Client::<Reader>::with_credential(hanging)
        .base_url(&api.url)
        .retry(RetryPolicy::new().deadline(Some(Duration::from_millis(300))))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let e = client.note(7).await.unwrap_err();
    assert!(matches!(e.runtime_error(), Some(Error::Timeout { .. })), "{e:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the call waited for the token endpoint"
    );
    assert!(api.seen().is_empty());
}
