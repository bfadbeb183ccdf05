//! The retry policy, the client-side rate limiter and hooks, against the
//! sandbox with injected faults and against tiny recording servers.

use hacktron::CallError;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hacktron::models::{
    CostEstimationStatus, CreateCostEstimation, CreateScan, EstimationRepo, Page, Scan, ScanListQuery, ScanRepo,
};
use hacktron::prelude::*;
use hacktron::retry::Attempt;
use hacktron::scope::read;
use hacktron::transport::HttpRequest;
use hacktron::{Hook, RetryPolicy, endpoint};
use hacktron_sandbox::{Config, Fault, Sandbox};

mod support;
use support::server::{Reply, TestServer};

const WEBAPP: &str = "https://github.com/acme/webapp";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// 4 attempts, 20 ms doubling, exact delays.
fn fast() -> RetryPolicy {
    RetryPolicy::new()
        .initial_backoff(ms(20))
        .max_backoff(ms(200))
        .jitter(false)
}

async fn sandbox() -> Sandbox {
    Sandbox::start_with(Config::default().with_real_clock(false).without_rate_limit())
        .await
        .unwrap()
}

/// Attempt number and status, when a response arrived.
type Seen = (u32, Option<u16>);

/// Records the number and status of every attempt.
#[derive(Clone, Default)]
struct Attempts(Arc<Mutex<Vec<Seen>>>);

impl Attempts {
    fn get(&self) -> Vec<(u32, Option<u16>)> {
        self.0.lock().unwrap().clone()
    }
}

impl Hook for Attempts {
    fn after_response(&self, attempt: &Attempt<'_>) {
        self.0
            .lock()
            .unwrap()
            .push((attempt.number, attempt.status.map(|s| s.as_u16())));
    }
}

fn client_for(base: &str, key: &str, policy: RetryPolicy, timeout: Duration) -> (Client, Attempts) {
    let attempts = Attempts::default();
    let client = Client::builder(key)
        .base_url(base)
        .retry(policy)
        .timeout(Some(timeout))
        .hook(attempts.clone())
        .build()
        .unwrap();
    (client, attempts)
}

fn client(sandbox: &Sandbox, policy: RetryPolicy) -> (Client, Attempts) {
    client_for(
        &sandbox.base_url(),
        &sandbox.keys().read_write,
        policy,
        Duration::from_secs(5),
    )
}

/// A completed estimation of `WEBAPP`, ready for a scan.
async fn ready_estimation(sandbox: &Sandbox, client: &Client) -> String {
    let created = client
        .with_retry(RetryPolicy::never())
        .create_cost_estimation(&CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]))
        .await
        .unwrap();
    sandbox.advance(Duration::from_secs(3));
    let estimation = client.get_cost_estimation(&created.id).await.unwrap();
    assert_eq!(estimation.status, CostEstimationStatus::Completed);
    created.id
}

fn scan_of(estimation: &str) -> CreateScan {
    CreateScan::new(estimation).repo(ScanRepo::new(WEBAPP, "main"))
}

async fn scan_total(client: &Client) -> u64 {
    client
        .with_retry(RetryPolicy::never())
        .list_scans(&ScanListQuery::new())
        .await
        .unwrap()
        .total
}

#[tokio::test]
async fn a_burst_of_500_shorter_than_max_attempts_ends_in_one_success() {
    let sandbox = sandbox().await;
    let (client, attempts) = client(&sandbox, fast());
    let estimation = ready_estimation(&sandbox, &client).await;
    let before = scan_total(&client).await;
    let seen_before = attempts.get().len();
    sandbox.inject(Fault::Status(500), 3);
    let created = client
        .create_scan(&scan_of(&estimation))
        .await
        .expect("the 4th attempt succeeds");
    assert!(!created.id.is_empty());
    let seen: Vec<_> = attempts.get()[seen_before..].to_vec();
    assert_eq!(seen, [(1, Some(500)), (2, Some(500)), (3, Some(500)), (4, Some(201))]);
    assert_eq!(
        scan_total(&client).await,
        before + 1,
        "the scan was created exactly once"
    );
    let scan = client.get_scan(&created.id).await.unwrap();
    assert_eq!(scan.id, created.id);
}

#[tokio::test]
async fn a_burst_longer_than_max_attempts_ends_in_server_error_after_max_attempts() {
    let sandbox = sandbox().await;
    let (client, attempts) = client(&sandbox, fast().max_attempts(3));
    sandbox.inject(Fault::Status(500), 10);
    let e = client.list_repos().await.unwrap_err();
    assert!(matches!(e, Error::Server { .. }), "{e:?}");
    assert_eq!(e.attempts(), 3);
    assert!(e.is_retryable());
    assert_eq!(attempts.get().len(), 3);
    // Seven faults are left: the client stopped, it did not eat them.
    let e = client.with_retry(RetryPolicy::never()).list_repos().await.unwrap_err();
    assert_eq!(e.attempts(), 1);
}

#[tokio::test]
async fn a_429_with_retry_after_waits_as_asked() {
    let sandbox = sandbox().await;
    let (client, attempts) = client(&sandbox, fast());
    sandbox.inject(Fault::RateLimited { retry_after: Some(1) }, 1);
    let start = Instant::now();
    client.list_repos().await.expect("second attempt succeeds");
    let elapsed = start.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1),
        "Retry-After: 1 not honoured: {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(attempts.get(), [(1, Some(429)), (2, Some(200))]);
}

#[tokio::test]
async fn a_429_without_retry_after_backs_off_and_post_is_retried() {
    let sandbox = sandbox().await;
    let (client, attempts) = client(&sandbox, fast());
    let estimation = ready_estimation(&sandbox, &client).await;
    let before = scan_total(&client).await;
    let seen_before = attempts.get().len();
    sandbox.inject(Fault::RateLimited { retry_after: None }, 2);
    let start = Instant::now();
    client
        .create_scan(&scan_of(&estimation))
        .await
        .expect("429 is retried for POST too");
    let elapsed = start.elapsed();
    // 20 ms then 40 ms of backoff, far from the 1 s a Retry-After would cost.
    assert!(elapsed >= ms(60), "{elapsed:?}");
    assert!(elapsed < ms(900), "{elapsed:?}");
    assert_eq!(
        attempts.get()[seen_before..],
        [(1, Some(429)), (2, Some(429)), (3, Some(201))]
    );
    assert_eq!(scan_total(&client).await, before + 1);

    // A storm longer than the policy ends as RateLimited without Retry-After.
    sandbox.inject(Fault::RateLimited { retry_after: None }, 5);
    let e = client.list_repos().await.unwrap_err();
    assert!(matches!(e, Error::RateLimited { retry_after: None, .. }), "{e:?}");
    assert_eq!(e.attempts(), 4);
}

#[tokio::test]
async fn a_post_whose_answer_is_lost_is_not_retried_but_a_get_is() {
    let sandbox = sandbox().await;
    let (client, attempts) = client_for(&sandbox.base_url(), &sandbox.keys().read_write, fast(), ms(300));
    let estimations =
        |client: Client| async move { client.list_cost_estimations(&Default::default()).await.unwrap().total };
    let before = estimations(client.clone()).await;
    let scans = scan_total(&client).await;
    let estimate = CreateCostEstimation::new([EstimationRepo::connected(WEBAPP, "main")]);

    // Connection closed without an answer, after the server handled it: a
    // `POST` not declared idempotent is not resent.
    let n = attempts.get().len();
    sandbox.inject(Fault::Drop, 1);
    let e = client.create_cost_estimation(&estimate).await.unwrap_err();
    assert!(
        matches!(&e, Error::WriteMayHaveApplied { cause, .. } if matches!(**cause, Error::Call(CallError::Transport { .. }))),
        "{e:?}"
    );
    assert_eq!(e.attempts(), 1, "a POST with an unknown outcome must not be resent");
    assert_eq!(attempts.get().len() - n, 1);
    assert_eq!(
        estimations(client.clone()).await,
        before + 1,
        "exactly one: the lost one"
    );

    // The answer comes after the client's timeout.
    let n = attempts.get().len();
    sandbox.inject(Fault::StallHeaders(ms(800)), 1);
    let e = client.create_cost_estimation(&estimate).await.unwrap_err();
    assert!(
        matches!(&e, Error::WriteMayHaveApplied { cause, .. } if matches!(**cause, Error::Call(CallError::Timeout { .. }))),
        "{e:?}"
    );
    assert_eq!(e.attempts(), 1);
    assert_eq!(attempts.get().len() - n, 1);
    tokio::time::sleep(ms(600)).await; // let the stalled handler finish
    assert_eq!(
        estimations(client.clone()).await,
        before + 2,
        "exactly one estimation per create_cost_estimation"
    );
    let before = scans;

    // The same faults on a GET are retried.
    for fault in [Fault::Drop, Fault::StallHeaders(ms(800)), Fault::StallBody(ms(800))] {
        let n = attempts.get().len();
        sandbox.inject(fault.clone(), 1);
        let page = client
            .list_scans(&ScanListQuery::new())
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e:?}"));
        assert_eq!(page.total, before);
        let seen = &attempts.get()[n..];
        assert_eq!(seen.len(), 2, "{fault:?}: {seen:?}");
        assert_eq!(seen[1], (2, Some(200)), "{fault:?}");
    }
}

pub trait OnceOnly {
    /// `GET /scans`, never retried.
    #[endpoint(GET, "/scans", scope = read, retry = never)]
    async fn list_scans_once(&self) -> Result<Page<Scan>, Error>;

    /// `GET /scans`, at most 2 attempts.
    #[endpoint(GET, "/scans", scope = read, retry = 2)]
    async fn list_scans_twice(&self) -> Result<Page<Scan>, Error>;
}
impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> OnceOnly for Client<K> {}

#[tokio::test]
async fn per_call_and_per_endpoint_policies_stop_early() {
    let sandbox = sandbox().await;
    let (client, attempts) = client(&sandbox, fast());

    sandbox.inject(Fault::Status(500), 1);
    let e = client.with_retry(RetryPolicy::never()).list_repos().await.unwrap_err();
    assert!(matches!(e, Error::Server { .. }) && e.attempts() == 1, "{e:?}");
    assert_eq!(attempts.get().len(), 1);
    assert_eq!(client.retry_policy(), fast(), "with_retry leaves the client alone");

    sandbox.inject(Fault::Status(500), 1);
    let e = client.list_scans_once().await.unwrap_err();
    assert!(matches!(e, Error::Server { .. }) && e.attempts() == 1, "{e:?}");
    assert_eq!(attempts.get().len(), 2);

    sandbox.inject(Fault::Status(500), 5);
    let e = client.list_scans_twice().await.unwrap_err();
    assert_eq!(e.attempts(), 2, "{e:?}");
    assert_eq!(attempts.get().len(), 4);

    // Three faults left: the client policy (4 attempts) gets through.
    client.list_scans(&ScanListQuery::new()).await.unwrap();
    assert_eq!(attempts.get().len(), 8);
}

#[tokio::test]
async fn the_overall_deadline_is_respected() {
    let sandbox = sandbox().await;
    let policy = fast()
        .max_attempts(100)
        .initial_backoff(ms(50))
        .max_backoff(ms(50))
        .deadline(Some(ms(400)));
    let (client, attempts) = client(&sandbox, policy);
    sandbox.inject(Fault::Status(500), 1000);
    let start = Instant::now();
    let e = client.list_repos().await.unwrap_err();
    let elapsed = start.elapsed();
    assert!(matches!(e, Error::Server { .. }), "{e:?}");
    assert!(elapsed < ms(800), "{elapsed:?}");
    assert!(e.attempts() >= 3 && e.attempts() < 100, "{}", e.attempts());
    assert_eq!(attempts.get().len() as u32, e.attempts());

    // A running attempt is cut at the deadline too, even with no timeout.
    let sandbox = self::sandbox().await;
    let client = Client::builder(&sandbox.keys().read_write)
        .base_url(sandbox.base_url())
        .retry(fast().deadline(Some(ms(300))))
        .timeout(None)
        .build()
        .unwrap();
    sandbox.inject(Fault::StallHeaders(Duration::from_secs(3)), 1);
    let start = Instant::now();
    let e = client.list_repos().await.unwrap_err();
    assert!(
        matches!(e, Error::Call(CallError::Timeout { attempts: 1, .. })),
        "{e:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
}

/// Adds a header to every request and counts the attempts it saw.
struct Tagger(Arc<Mutex<Vec<u32>>>);

impl Hook for Tagger {
    fn before_send(&self, request: &mut HttpRequest, _attempt: &hacktron::retry::Attempt<'_>) {
        request.headers.insert("x-request-id", "build-1234".parse().unwrap());
    }
    fn after_response(&self, attempt: &Attempt<'_>) {
        assert_eq!(attempt.endpoint.name, "create_scan");
        self.0.lock().unwrap().push(attempt.number);
    }
}

#[tokio::test]
async fn a_retried_post_resends_its_body_intact_and_hooks_see_every_attempt() {
    let server = TestServer::always(Reply::json(
        500,
        r#"{"statusCode":500,"message":"Internal server error"}"#,
    ))
    .await;
    let numbers = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder("hacktron_abcdefghijklmnopqrstuvwxyz012345")
        .base_url(server.base_url())
        .retry(fast().max_attempts(3))
        .hook(Tagger(numbers.clone()))
        .build()
        .unwrap();
    let scan = scan_of("4f1c2d3e-0000-4000-8000-000000000001")
        .custom_context("é ünïcödé and \"quotes\"")
        .target_url("https://staging.example.com/?a=1&b=2");
    let e = client.create_scan(&scan).await.unwrap_err();
    assert!(matches!(e, Error::Server { .. }), "{e:?}");
    assert_eq!(e.attempts(), 3);
    assert_eq!(*numbers.lock().unwrap(), [1, 2, 3], "the hook saw every attempt");

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    let expected = serde_json::to_vec(&scan).unwrap();
    for request in &seen {
        assert_eq!(request.request_line, "POST /v1/scans HTTP/1.1");
        assert_eq!(request.body, expected, "body resent intact");
        assert_eq!(
            request.header("x-request-id"),
            Some("build-1234"),
            "hook header arrived"
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.header("x-api-key"),
            Some("hacktron_abcdefghijklmnopqrstuvwxyz012345")
        );
    }
}

pub trait Traced {
    /// `GET /repos` under a name no other test uses, to find its log lines.
    #[endpoint(GET, "/repos", scope = read)]
    async fn list_repos_traced(&self) -> Result<hacktron::models::RepoList, Error>;
}
impl<K: hacktron::scope::KeyKind<Service = hacktron::Hacktron>> Traced for Client<K> {}

#[tokio::test]
async fn every_retry_is_a_tracing_warning_with_its_attempt_number() {
    let capture = support::logs::logs();

    let sandbox = sandbox().await;
    let (client, _) = client(&sandbox, fast());
    sandbox.inject(Fault::Status(500), 2);
    client.list_repos_traced().await.unwrap();

    let logs = capture.text();
    let retries: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("list_repos_traced") && l.contains("retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{logs}");
    assert!(
        retries[0].contains("WARN") && retries[0].contains("attempt=1"),
        "{}",
        retries[0]
    );
    assert!(
        retries[1].contains("WARN") && retries[1].contains("attempt=2"),
        "{}",
        retries[1]
    );
    for line in &retries {
        assert!(line.contains("status=500"), "{line}");
        assert!(line.contains("endpoint.call{"), "inside the call span: {line}");
    }
    assert!(
        retries[0].contains("delay_ms=20") && retries[1].contains("delay_ms=40"),
        "{logs}"
    );
}

#[tokio::test]
async fn the_client_side_limiter_is_shared_by_clones_and_avoids_429() {
    let sandbox = Sandbox::start_with(Config::default().with_rate_limit(5, ms(500)))
        .await
        .unwrap();
    let attempts = Attempts::default();
    let client = Client::builder(&sandbox.keys().read_write)
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::never())
        // The server's own window: each request holds its place in the
        // client's window until its answer arrives, so the client is never
        // ahead of the server however the requests are scheduled.
        .rate_limit(5, ms(500))
        .hook(attempts.clone())
        .build()
        .unwrap();
    let start = Instant::now();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_repos().await })
        })
        .collect();
    for task in tasks {
        task.await
            .unwrap()
            .expect("the limiter kept the client under the server's limit");
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= ms(500), "10 calls at 5 per 500 ms took {elapsed:?}");
    let statuses: Vec<_> = attempts.get().iter().map(|a| a.1).collect();
    assert_eq!(statuses, [Some(200); 10], "no 429 ever");
    // Without the limiter the same burst meets 429s: the server limit is real.
    let unlimited = client_for(
        &sandbox.base_url(),
        &sandbox.keys().read_write,
        RetryPolicy::never(),
        ms(5000),
    )
    .0;
    tokio::time::sleep(ms(600)).await;
    let results = futures_join(&unlimited, 10).await;
    assert!(results.iter().any(|r| matches!(r, Err(Error::RateLimited { .. }))));
}

async fn futures_join(client: &Client, n: usize) -> Vec<Result<hacktron::models::RepoList, Error>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_repos().await })
        })
        .collect();
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

/// The attempt count is recorded once, when the retry loop ends, for every
/// kind of error: a decode error after a 429 and a retry says 2 attempts.
#[tokio::test]
async fn every_error_reports_the_attempts_of_its_call() {
    let calls = Arc::new(Mutex::new(0u32));
    let seen = calls.clone();
    let server = TestServer::start(move |_| {
        let mut n = seen.lock().unwrap();
        *n += 1;
        if *n == 1 {
            Reply::json(429, r#"{"statusCode":429,"message":"Too Many Requests"}"#).header("retry-after", "0")
        } else {
            Reply::json(200, r#"{"data": "not a repo list"}"#)
        }
    })
    .await;
    let (client, attempts) = client_for(&server.base_url(), support::server::KEY, fast(), Duration::from_secs(5));
    let e = client.list_repos().await.unwrap_err();
    assert!(matches!(e, Error::Call(CallError::Decode { attempts: 2, .. })), "{e:?}");
    assert_eq!(e.attempts(), 2);
    assert_eq!(attempts.get(), [(1, Some(429)), (2, Some(200))]);
}

/// Hooks hear of every attempt that was sent, the one the overall deadline
/// cut off included, and of every retry before its wait.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

impl Hook for Events {
    fn before_send(&self, _request: &mut HttpRequest, attempt: &Attempt<'_>) {
        let line = format!("send {} #{}", attempt.endpoint.name, attempt.number);
        self.0.lock().unwrap().push(line);
    }
    fn after_response(&self, attempt: &Attempt<'_>) {
        let line = format!(
            "done #{} {:?} cut_off={}",
            attempt.number, attempt.status, attempt.cut_off
        );
        self.0.lock().unwrap().push(line);
    }
    fn on_retry(&self, retry: &hacktron::retry::RetryEvent<'_>) {
        let line = format!(
            "retry after #{} {:?} in {:?} server_asked={}",
            retry.attempt, retry.status, retry.delay, retry.server_asked
        );
        self.0.lock().unwrap().push(line);
    }
}

#[tokio::test]
async fn hooks_see_the_endpoint_every_attempt_and_the_one_the_deadline_cut() {
    let sandbox = sandbox().await;
    let events = Events::default();
    let client = Client::builder(&sandbox.keys().read_write)
        .base_url(sandbox.base_url())
        .retry(fast().deadline(Some(ms(300))))
        .timeout(None)
        .hook(events.clone())
        .build()
        .unwrap();
    sandbox.inject(Fault::RateLimited { retry_after: Some(0) }, 1);
    sandbox.inject(Fault::StallHeaders(Duration::from_secs(3)), 1);
    let e = client.list_repos().await.unwrap_err();
    assert!(
        matches!(e, Error::Call(CallError::Timeout { attempts: 2, .. })),
        "{e:?}"
    );
    assert_eq!(
        events.0.lock().unwrap().clone(),
        [
            "send list_repos #1",
            "done #1 Some(429) cut_off=false",
            "retry after #1 Some(429) in 0ns server_asked=true",
            "send list_repos #2",
            "done #2 None cut_off=true",
        ]
    );
}

/// A CSV export of `body` from a server of its own (kept running by the
/// returned handle).
async fn csv_export(body: &str) -> (TestServer, hacktron::ByteStream) {
    let server = TestServer::always(Reply::json(200, body).header("content-type", "text/csv")).await;
    let (client, _) = client_for(&server.base_url(), support::server::KEY, fast(), Duration::from_secs(5));
    let query = hacktron::models::FindingExportQuery::new(hacktron::models::ExportFormat::Csv);
    let export = client.export_findings(&query).await.expect("the export starts");
    (server, export)
}

/// A writer that refuses every write.
#[tokio::test]
async fn a_failing_writer_is_an_io_error_not_a_retryable_connection_failure() {
    let (_server, export) = csv_export(&"x".repeat(10_000)).await;
    let e: Error = export
        .copy_to(&mut NearlyFullDisk::with_room(0))
        .await
        .unwrap_err()
        .into();
    assert!(matches!(e, Error::Call(CallError::Io { written: 0, .. })), "{e:?}");
    assert!(!e.is_retryable(), "{e}");
    assert!(e.to_string().contains("disk full"), "{e}");
}

/// A disk with room for `room` more bytes: it takes what fits, then fails.
struct NearlyFullDisk {
    kept: Vec<u8>,
    room: usize,
}

impl NearlyFullDisk {
    fn with_room(room: usize) -> Self {
        NearlyFullDisk { kept: Vec::new(), room }
    }
}

impl tokio::io::AsyncWrite for NearlyFullDisk {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let n = buf.len().min(self.room);
        if n == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "disk full")));
        }
        self.room -= n;
        self.kept.extend_from_slice(&buf[..n]);
        std::task::Poll::Ready(Ok(n))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn a_writer_that_fails_midway_through_a_chunk_is_counted_to_the_byte() {
    let body = "0123456789".repeat(1_000);
    let (_server, export) = csv_export(&body).await;
    let mut disk = NearlyFullDisk::with_room(4_321);
    let e: Error = export.copy_to(&mut disk).await.unwrap_err().into();
    assert!(matches!(e, Error::Call(CallError::Io { written: 4_321, .. })), "{e:?}");
    assert_eq!(disk.kept, body.as_bytes()[..4_321]);
    assert!(e.to_string().contains("after 4321 bytes"), "{e}");
}
