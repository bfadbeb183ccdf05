//! The API key stays secret (logs at TRACE, `Debug`, `Display`), never
//! follows a redirect to another origin, is never sent over plain http to
//! a remote host by accident, and error bodies are bounded.

use hacktron::CallError;
use std::time::Duration;

use hacktron::models::ScanListQuery;
use hacktron::prelude::*;
use hacktron::retry::Attempt;
use hacktron::scope::read;
use hacktron::transport::HttpRequest;
use hacktron::{ApiKey, Hook, RetryPolicy, endpoint};
use hacktron_runtime::MAX_ERROR_BODY;
use hacktron_sandbox::{Config, Fault, Sandbox};

mod support;
use support::logs::logs;
use support::server::{Reply, TestServer};

/// Logs every request at TRACE with its `Debug`, headers included, as a
/// careless user hook would.
struct LogEverything;

impl Hook for LogEverything {
    fn before_send(&self, request: &mut HttpRequest, _attempt: &hacktron::retry::Attempt<'_>) {
        tracing::trace!(?request, "sending");
    }
    fn after_response(&self, attempt: &Attempt<'_>) {
        tracing::trace!(?attempt, "attempt done");
    }
}

fn assert_secret_absent(what: &str, text: &str, secret: &str) {
    assert!(!text.contains(secret), "the key's secret leaked in {what}: {text}");
}

#[tokio::test]
async fn the_key_secret_never_appears_in_logs_debug_or_display() {
    let logs = logs();
    let sandbox = Sandbox::start_with(Config::default().with_real_clock(false).without_rate_limit())
        .await
        .unwrap();
    let key = sandbox.keys().read_write.clone();
    let secret = &key[12..];
    assert!(secret.len() >= 20, "{secret}");
    let fast = RetryPolicy::new()
        .initial_backoff(Duration::from_millis(10))
        .jitter(false);
    let client = Client::builder(key.as_str())
        .base_url(sandbox.base_url())
        .retry(fast)
        .timeout(Some(Duration::from_millis(500)))
        .hook(LogEverything)
        .build()
        .unwrap();

    let mut errors = Vec::new();
    // Success.
    client.list_repos().await.unwrap();
    // Retried then successful, and a retried failure.
    sandbox.inject(Fault::Status(500), 2);
    client.list_scans(&ScanListQuery::new()).await.unwrap();
    sandbox.inject(Fault::Status(500), 4);
    errors.push(client.list_repos().await.unwrap_err());
    sandbox.inject(Fault::RateLimited { retry_after: None }, 4);
    errors.push(client.list_repos().await.unwrap_err());
    // Plain errors.
    errors.push(client.get_scan("no-such-scan").await.unwrap_err());
    errors.push(client.get_finding("no/such/../finding").await.unwrap_err());
    // Transport-level failures.
    sandbox.inject(Fault::Drop, 4);
    errors.push(client.list_repos().await.unwrap_err());
    sandbox.inject(Fault::StallBody(Duration::from_secs(2)), 4);
    errors.push(client.list_repos().await.unwrap_err());
    sandbox.inject(Fault::InvalidUtf8, 1);
    errors.push(client.list_findings(&Default::default()).await.unwrap_err());
    // A key the server refuses, and a malformed one.
    let revoked = sandbox.keys().revoked.clone();
    let refused = Client::builder(revoked.as_str())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    errors.push(refused.list_repos().await.unwrap_err());
    let malformed = format!("{key}!");
    errors.push(Client::builder(malformed.as_str()).build().unwrap_err());
    errors.push(
        ApiKey::new::<hacktron::Hacktron>(malformed.as_str())
            .map(|_| ())
            .unwrap_err(),
    );
    // A refused http base URL.
    errors.push(
        Client::builder(key.as_str())
            .base_url("http://example.com/v1")
            .build()
            .unwrap_err(),
    );

    assert!(
        errors
            .iter()
            .any(|e| matches!(e, Error::Call(CallError::Transport { .. }))),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| matches!(e, Error::Call(CallError::Timeout { .. }))),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| matches!(e, Error::Unauthorized { .. })),
        "{errors:?}"
    );
    for e in &errors {
        assert_secret_absent("an error's Debug", &format!("{e:?}"), secret);
        assert_secret_absent("an error's Display", &format!("{e}"), secret);
        assert_secret_absent("an error's Display", &format!("{e}"), &revoked[12..]);
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            assert_secret_absent("an error source", &format!("{s} {s:?}"), secret);
            source = s.source();
        }
    }
    assert_secret_absent("the client's Debug", &format!("{client:?}"), secret);
    assert_secret_absent(
        "the client's Debug",
        &format!("{:?}", client.with_retry(RetryPolicy::never())),
        secret,
    );
    let api_key = ApiKey::new::<hacktron::Hacktron>(key.as_str()).unwrap();
    assert_secret_absent("the key's Debug", &format!("{api_key:?}"), secret);
    assert_secret_absent("the key's Display", &format!("{api_key}"), secret);
    assert_eq!(client.key_prefix(), Some(&key[..12]));
    assert_secret_absent("the sandbox's Debug", &format!("{sandbox:?}"), secret);

    let text = logs.text();
    assert!(text.contains("retrying"), "the capture works: {text}");
    assert!(
        text.contains("TRACE") && text.contains("sending"),
        "TRACE lines are captured"
    );
    assert!(
        text.contains("x-api-key"),
        "the request headers were logged, key included: {text}"
    );
    assert_secret_absent("the TRACE logs", &text, secret);
    println!(
        "captured {} bytes / {} lines of TRACE logs, {} errors checked",
        text.len(),
        text.lines().count(),
        errors.len()
    );
}

pub trait Raw {
    /// Any JSON at `/thing`.
    #[endpoint(GET, "/thing", scope = read)]
    async fn thing(&self) -> Result<serde_json::Value, Error>;
}
impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Raw for Client<K> {}

const KEY: &str = "hacktron_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t12";

fn client_to(server: &TestServer) -> Client {
    Client::builder(KEY)
        .base_url(server.base_url())
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A redirect to another origin (a download sent to a CDN) is followed, as
/// curl and reqwest do, but the key stays behind: Hacktron's is in
/// `x-api-key`, a header no HTTP stack knows to drop.
#[tokio::test]
async fn a_redirect_to_another_origin_is_followed_without_the_key() {
    let _ = logs();
    for status in [301, 302, 303, 307, 308] {
        let b = TestServer::always(Reply::json(200, r#"{"elsewhere":true}"#)).await;
        let location = format!("{}/thing?sig=abc", b.base_url());
        let a = TestServer::always(Reply::status(status).header("Location", &location)).await;
        let value = client_to(&a).thing().await.unwrap();
        assert_eq!(value, serde_json::json!({"elsewhere": true}), "{status}");
        assert_eq!(a.only_request().header("x-api-key"), Some(KEY));
        let there = b.only_request();
        assert_eq!(there.target, "/v1/thing?sig=abc", "{status}");
        assert_eq!(
            there.header("x-api-key"),
            None,
            "{status}: the key went to another origin"
        );
        assert!(!format!("{there:?}").contains(&KEY[12..]), "{status}");
    }
    // `localhost` and `127.0.0.1` are different origins too; and the key is
    // not sent again when the other origin redirects back.
    let a = TestServer::start(|request| match request.target.as_str() {
        "/v1/thing" => Reply::status(302).header("Location", "/v1/back"),
        "/v1/back" => Reply::json(200, r#"{"back":true}"#),
        _ => Reply::status(404),
    })
    .await;
    let back = format!("{}/back", a.base_url());
    let b = TestServer::always(Reply::status(307).header("Location", &back)).await;
    let location = format!("{}/thing", b.base_url().replace("127.0.0.1", "localhost"));
    let start = TestServer::always(Reply::status(307).header("Location", &location)).await;
    let value = client_to(&start).thing().await.unwrap();
    assert_eq!(value, serde_json::json!({"back": true}));
    assert_eq!(b.only_request().header("x-api-key"), None);
    let back_seen = a.requests();
    assert_eq!(back_seen.len(), 1, "{back_seen:#?}");
    assert_eq!(
        back_seen[0].header("x-api-key"),
        None,
        "the key came back after another origin"
    );
}

/// At most ten redirects in a row: the eleventh `3xx` is the answer, whole.
#[tokio::test]
async fn a_redirect_loop_ends_after_ten_hops_with_its_status() {
    let a = TestServer::always(Reply::status(302).header("Location", "/v1/thing")).await;
    let e = client_to(&a).thing().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(302), "{e:?}");
    assert_eq!(e.response().unwrap().headers["location"], "/v1/thing");
    assert_eq!(a.requests().len(), 11);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_key() {
    let _ = logs();
    let a = TestServer::start(|request| match request.target.as_str() {
        "/v1/thing" => Reply::status(307).header("Location", "/v1/moved"),
        "/v1/moved" => Reply::json(200, r#"{"moved":true}"#),
        _ => Reply::status(404),
    })
    .await;
    let value = client_to(&a).thing().await.unwrap();
    assert_eq!(value, serde_json::json!({"moved": true}));
    let seen = a.requests();
    let paths: Vec<_> = seen.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(paths, ["/v1/thing", "/v1/moved"]);
    assert_eq!(seen[1].header("x-api-key"), Some(KEY));
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    for url in [
        "http://example.com/v1",
        "http://10.0.0.1:8080/v1",
        "http://[2001:db8::1]/v1",
        "http://localhost.evil.com/v1",
    ] {
        let e = Client::builder(KEY).base_url(url).build().unwrap_err();
        assert!(matches!(e, Error::Call(CallError::Config(_))), "{url}: {e:?}");
        assert!(!e.to_string().contains(&KEY[12..]));
        assert!(
            Client::builder(KEY).base_url(url).allow_http(true).build().is_ok(),
            "{url}"
        );
    }
    for url in [
        "http://127.0.0.1:1/v1",
        "http://localhost:1/v1",
        "http://[::1]:1/v1",
        "https://example.com/v1",
    ] {
        assert!(Client::builder(KEY).base_url(url).build().is_ok(), "{url}");
    }
    let e = Client::builder(KEY)
        .base_url("ftp://example.com/v1")
        .allow_http(true)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Call(CallError::Config(_))), "{e:?}");
}

#[tokio::test]
async fn an_oversized_error_body_is_truncated_and_marked() {
    let _ = logs();
    let mut body = br#"{"statusCode":500,"message":""#.to_vec();
    body.resize(200 * 1024, b'x');
    let a = TestServer::always(Reply::json(500, body)).await;
    let e = client_to(&a).thing().await.unwrap_err();
    let response = e.response().expect("a 500 keeps its response");
    assert!(matches!(e, Error::Server { .. }), "{e:?}");
    assert!(response.truncated);
    assert_eq!(response.body.len(), MAX_ERROR_BODY);
    assert_eq!(MAX_ERROR_BODY, 64 * 1024);
    assert!(
        e.to_string().len() < 4096,
        "Display stays short: {}",
        e.to_string().len()
    );

    // A body just at the limit is whole.
    let a = TestServer::always(Reply::status(500).body(vec![b'y'; MAX_ERROR_BODY])).await;
    let e = client_to(&a).thing().await.unwrap_err();
    assert!(!e.response().unwrap().truncated);
    assert_eq!(e.response().unwrap().body.len(), MAX_ERROR_BODY);
}

#[tokio::test]
async fn server_text_cannot_forge_a_log_line_or_recolour_a_terminal() {
    let _ = logs();
    let forged = r#"{"statusCode":400,"message":["name is bad\nINFO everything is fine\u001b[32m"]}"#;
    let a = TestServer::always(Reply::json(400, forged)).await;
    let e = client_to(&a).thing().await.unwrap_err();
    assert!(matches!(e, Error::BadRequest { .. }), "{e:?}");
    let shown = e.to_string();
    let message = e.response().unwrap().message();
    for text in [&shown, &message] {
        assert!(!text.contains(['\n', '\u{1b}']), "raw control characters in {text:?}");
        assert!(
            text.contains(r"name is bad\nINFO everything is fine\u{1b}[32m"),
            "{text}"
        );
    }
    // The raw text stays available.
    assert_eq!(e.messages(), ["name is bad\nINFO everything is fine\u{1b}[32m"]);

    // Text the client takes out of a message is shown escaped too.
    let scope = r#"{"statusCode":403,"message":"API key missing required scope: write\r\nINFO ok"}"#;
    let a = TestServer::always(Reply::json(403, scope)).await;
    let e = client_to(&a).thing().await.unwrap_err();
    let shown = e.to_string();
    assert!(!shown.contains(['\r', '\n']), "{shown:?}");
    assert!(shown.contains(r"\r\nINFO ok"), "{shown}");
}
