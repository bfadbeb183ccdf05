//! The API key stays secret (logs at TRACE, `Debug`, `Display`), never
//! follows a redirect to another origin, is never sent over plain http to
//! a remote host by accident, and error bodies are bounded.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use hacktron::models::ScanListQuery;
use hacktron::prelude::*;
use hacktron::retry::Attempt;
use hacktron::transport::HttpRequest;
use hacktron::{ApiKey, Hook, RetryPolicy, endpoint};
use hacktron_runtime::MAX_ERROR_BODY;
use hacktron_sandbox::{Config, Fault, Sandbox};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Every `tracing` line of this test binary, at TRACE.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber for the whole binary (a thread-local
/// one misses events: `tracing` caches callsite interest across threads).
fn logs() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        capture
    })
}

/// Logs every request at TRACE with its `Debug`, headers included, as a
/// careless user hook would.
struct LogEverything;

impl Hook for LogEverything {
    fn before_send(&self, request: &mut HttpRequest) {
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
    let client = Client::<ReadWrite>::builder(key.as_str())
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
    let refused = Client::<ReadWrite>::builder(revoked.as_str())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    errors.push(refused.list_repos().await.unwrap_err());
    let malformed = format!("{key}!");
    errors.push(Client::<ReadWrite>::builder(malformed.as_str()).build().unwrap_err());
    errors.push(
        ApiKey::new(malformed.as_str())
            .map(|_| ())
            .map_err(Error::from)
            .unwrap_err(),
    );
    // A refused http base URL.
    errors.push(
        Client::<ReadWrite>::builder(key.as_str())
            .base_url("http://example.com/v1")
            .build()
            .unwrap_err(),
    );

    assert!(
        errors.iter().any(|e| matches!(e, Error::Transport { .. })),
        "{errors:?}"
    );
    assert!(errors.iter().any(|e| matches!(e, Error::Timeout { .. })), "{errors:?}");
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
    let api_key = ApiKey::new(key.as_str()).unwrap();
    assert_secret_absent("the key's Debug", &format!("{api_key:?}"), secret);
    assert_secret_absent("the key's Display", &format!("{api_key}"), secret);
    assert_eq!(client.key_prefix(), Some(&key[..12]));
    assert_secret_absent("the sandbox's Debug", &format!("{sandbox:?}"), secret);

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
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

/// One request as a recording server saw it.
#[derive(Clone, Debug)]
struct Recorded {
    head: String,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
    fn path(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }
}

type Respond = Arc<dyn Fn(&Recorded) -> Vec<u8> + Send + Sync>;

/// A one-request-per-connection HTTP/1.1 server that records request heads
/// (bodies are not expected) and answers with `respond`.
async fn recorder(respond: Respond) -> (SocketAddr, Arc<Mutex<Vec<Recorded>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let (log, respond) = (log.clone(), respond.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let request = Recorded {
                    head: String::from_utf8_lossy(&buf).into_owned(),
                };
                let answer = respond(&request);
                log.lock().unwrap().push(request);
                let _ = socket.write_all(&answer).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (addr, seen)
}

fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

pub trait Raw {
    /// Any JSON at `/thing`.
    #[endpoint(GET, "/thing", scope = read)]
    async fn thing(&self) -> Result<serde_json::Value, Error>;
}
impl<K: hacktron::scope::KeyKind> Raw for Client<K> {}

const KEY: &str = "hacktron_S3cr3tS3cr3tS3cr3tS3cr3tS3cr3t12";

fn client_to(addr: SocketAddr) -> Client {
    Client::<ReadWrite>::builder(KEY)
        .base_url(format!("http://{addr}/v1"))
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_gets_no_key() {
    let _ = logs();
    let ok: Respond = Arc::new(|_| answer("200 OK", "content-type: application/json\r\n", b"{\"stolen\":true}"));
    let (b, b_seen) = recorder(ok).await;
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "303 See Other",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let location = format!("location: http://127.0.0.1:{}/v1/thing\r\n", b.port());
        let redirect: Respond = Arc::new(move |_| answer(status, &location, b""));
        let (a, a_seen) = recorder(redirect).await;
        let e = client_to(a).thing().await.unwrap_err();
        assert!(
            matches!(&e, Error::UnexpectedStatus { response } if response.status.is_redirection()),
            "{status}: {e:?}"
        );
        assert_eq!(a_seen.lock().unwrap().len(), 1);
        assert_eq!(a_seen.lock().unwrap()[0].header("x-api-key").as_deref(), Some(KEY));
        assert!(
            b_seen.lock().unwrap().is_empty(),
            "{status}: the other origin was contacted"
        );
    }
    // `localhost` and `127.0.0.1` are different origins too.
    let location = format!("location: http://localhost:{}/v1/thing\r\n", b.port());
    let redirect: Respond = Arc::new(move |_| answer("307 Temporary Redirect", &location, b""));
    let (a, _) = recorder(redirect).await;
    assert!(client_to(a).thing().await.is_err());
    assert!(b_seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_key() {
    let _ = logs();
    let respond: Respond = Arc::new(|request| match request.path() {
        "/v1/thing" => answer("307 Temporary Redirect", "location: /v1/moved\r\n", b""),
        "/v1/moved" => answer("200 OK", "content-type: application/json\r\n", b"{\"moved\":true}"),
        _ => answer("404 Not Found", "", b""),
    });
    let (a, seen) = recorder(respond).await;
    let value = client_to(a).thing().await.unwrap();
    assert_eq!(value, serde_json::json!({"moved": true}));
    let seen = seen.lock().unwrap();
    let paths: Vec<_> = seen.iter().map(Recorded::path).collect();
    assert_eq!(paths, ["/v1/thing", "/v1/moved"]);
    assert_eq!(seen[1].header("x-api-key").as_deref(), Some(KEY));
}

#[tokio::test]
async fn plain_http_to_a_remote_host_is_refused_unless_allowed() {
    for url in [
        "http://example.com/v1",
        "http://10.0.0.1:8080/v1",
        "http://[2001:db8::1]/v1",
        "http://localhost.evil.com/v1",
    ] {
        let e = Client::<ReadWrite>::builder(KEY).base_url(url).build().unwrap_err();
        assert!(matches!(e, Error::Config(_)), "{url}: {e:?}");
        assert!(!e.to_string().contains(&KEY[12..]));
        assert!(
            Client::<ReadWrite>::builder(KEY)
                .base_url(url)
                .allow_http(true)
                .build()
                .is_ok(),
            "{url}"
        );
    }
    for url in [
        "http://127.0.0.1:1/v1",
        "http://localhost:1/v1",
        "http://[::1]:1/v1",
        "https://example.com/v1",
    ] {
        assert!(Client::<ReadWrite>::builder(KEY).base_url(url).build().is_ok(), "{url}");
    }
    let e = Client::<ReadWrite>::builder(KEY)
        .base_url("ftp://example.com/v1")
        .allow_http(true)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
}

#[tokio::test]
async fn an_oversized_error_body_is_truncated_and_marked() {
    let _ = logs();
    let respond: Respond = Arc::new(|_| {
        let mut body = br#"{"statusCode":500,"message":""#.to_vec();
        body.resize(200 * 1024, b'x');
        answer("500 Internal Server Error", "content-type: application/json\r\n", &body)
    });
    let (a, _) = recorder(respond).await;
    let e = client_to(a).thing().await.unwrap_err();
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
    let respond: Respond = Arc::new(|_| answer("500 Internal Server Error", "", &vec![b'y'; MAX_ERROR_BODY]));
    let (a, _) = recorder(respond).await;
    let e = client_to(a).thing().await.unwrap_err();
    assert!(!e.response().unwrap().truncated);
    assert_eq!(e.response().unwrap().body.len(), MAX_ERROR_BODY);
}
