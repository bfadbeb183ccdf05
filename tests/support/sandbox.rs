//! Shared setup for the end-to-end tests: a sandbox per test, clients for
//! its seeded keys, and the estimation → scan → completed walk on the
//! sandbox's manual clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use hacktron::models::{
    CostEstimation, CostEstimationStatus, CreateCostEstimation, CreateScan, EstimationRepo, Scan, ScanListQuery,
    ScanRepo, ScanState, ScanType,
};
use hacktron::prelude::*;
use hacktron::scope::KeyKind;
use hacktron::transport::HttpRequest;
use hacktron::{ClientBuilder, Hook, RetryPolicy};
use hacktron_sandbox::{Config, Sandbox};

/// `Err(e)` whose `e` matches the pattern (with an optional guard), returned
/// for more checks; anything else fails the test, showing what came instead.
///
/// ```ignore
/// let e = expect_err!(client.get_scan(id).await, Error::NotFound { .. });
/// let e = expect_err!(result, Error::MissingScope { scope, .. } if scope == "write");
/// ```
macro_rules! expect_err {
    ($result:expr, $($pattern:tt)+) => {
        match $result {
            Err(e) if matches!(&e, $($pattern)+) => e,
            other => panic!("expected Err({}), got {:?}", stringify!($($pattern)+), other),
        }
    };
}

/// How long an estimation takes in the manual-clock sandboxes.
pub const ESTIMATION_TIME: Duration = Duration::from_secs(2);
/// How long a scan takes in the manual-clock sandboxes.
pub const SCAN_TIME: Duration = Duration::from_secs(3);
/// Credits each organization starts with (the sandbox default).
pub const INITIAL_CREDITS: u64 = 10_000;

/// A connected acme repository (`500 + 100 × len("webapp")` = 1100 credits).
pub const WEBAPP: &str = "https://github.com/acme/webapp";
/// Estimates fine; its scan ends `failed`.
pub const SCAN_FAIL: &str = "https://github.com/acme/scan-fail";
/// The estimation fails.
pub const WILL_FAIL: &str = "https://github.com/acme/will-fail";
/// The estimation ends `partial`.
pub const PARTIAL: &str = "https://github.com/acme/partial";
/// The estimation completes with 0 credits.
pub const EMPTY: &str = "https://github.com/acme/empty";

/// Time moves only with `Sandbox::advance`; lifecycles take
/// [`ESTIMATION_TIME`] and [`SCAN_TIME`].
pub fn manual() -> Config {
    Config::default()
        .with_real_clock(false)
        .with_estimation_time(ESTIMATION_TIME)
        .with_scan_time(SCAN_TIME)
}

/// The wall clock, with lifecycles of `ms` milliseconds, for the `wait_for_*` helpers.
pub fn fast(ms: u64) -> Config {
    Config::default()
        .with_real_clock(true)
        .with_estimation_time(Duration::from_millis(ms))
        .with_scan_time(Duration::from_millis(ms))
        .without_rate_limit()
}

/// A polling policy for the fast sandboxes: every `interval_ms`, no jitter.
pub fn poll_every(interval_ms: u64, deadline: Duration) -> Wait {
    Wait::new()
        .interval(Duration::from_millis(interval_ms))
        .jitter(Duration::ZERO)
        .deadline(deadline)
}

pub async fn start(config: Config) -> Sandbox {
    Sandbox::start_with(config).await.expect("the sandbox starts")
}

/// A client of key type `K` holding `key`, talking to `sandbox`. It never
/// retries, so every test sees each answer exactly as the server sent it.
pub fn client<K: KeyKind<Service = hacktron::Hacktron>>(sandbox: &Sandbox, key: &str) -> Client<K> {
    ClientBuilder::<K>::new(key)
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::never())
        .build()
        .expect("the client builds")
}

/// A client that retries like the default policy, minus the waiting:
/// `attempts` in all, 1 ms apart, no jitter.
pub fn retrying<K: KeyKind<Service = hacktron::Hacktron>>(sandbox: &Sandbox, key: &str, attempts: u32) -> Client<K> {
    let policy = RetryPolicy::new()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(1))
        .jitter(false);
    ClientBuilder::<K>::new(key)
        .base_url(sandbox.base_url())
        .retry(policy)
        .build()
        .expect("the client builds")
}

/// What a client put on the wire, request by request, seen from a [`Hook`]
/// (called after the client added its own headers, the key among them).
#[derive(Clone, Default)]
pub struct Spy(Arc<Mutex<Vec<Sent>>>);

/// One request as [`Spy`] saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// The URL path, e.g. `/v1/hfw/osv/feed`.
    pub path: String,
    /// Whether an `X-Api-Key` header was sent.
    pub api_key: bool,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

impl Spy {
    /// Every request so far, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.0.lock().unwrap().clone()
    }
}

impl Hook for Spy {
    fn before_send(&self, request: &mut HttpRequest, _attempt: &hacktron::retry::Attempt<'_>) {
        let authorization = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned());
        self.0.lock().unwrap().push(Sent {
            path: request.url.path().to_owned(),
            api_key: request.headers.contains_key("x-api-key"),
            authorization,
        });
    }
}

/// Builds `builder` (`Client::builder(key)` or `Client::<NoKey>::public()`) for
/// `sandbox`, never retrying, reporting what it sends to the returned [`Spy`].
pub fn spied<K: KeyKind<Service = hacktron::Hacktron>>(
    sandbox: &Sandbox,
    builder: ClientBuilder<K>,
) -> (Client<K>, Spy) {
    let spy = Spy::default();
    let client = builder
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::never())
        .hook(spy.clone())
        .build()
        .expect("the client builds");
    (client, spy)
}

/// acme's read+write key.
pub fn read_write(sandbox: &Sandbox) -> Client<ReadWrite> {
    client(sandbox, &sandbox.keys().read_write)
}

/// acme's read-only key, declared as such.
pub fn read_only(sandbox: &Sandbox) -> Client<ReadOnly> {
    client(sandbox, &sandbox.keys().read_only)
}

/// globex's read+write key.
pub fn other_org(sandbox: &Sandbox) -> Client<ReadWrite> {
    client(sandbox, &sandbox.keys().other_org)
}

/// No key at all (and no retries).
pub fn no_key(sandbox: &Sandbox) -> Client<NoKey> {
    Client::<NoKey>::public()
        .base_url(sandbox.base_url())
        .retry(RetryPolicy::never())
        .build()
        .expect("the client builds")
}

/// An estimation request for one connected repository.
pub fn estimate_request(url: &str, branch: &str) -> CreateCostEstimation {
    CreateCostEstimation::new([EstimationRepo::connected(url, branch)])
}

/// A scan request claiming `estimation_id` for one repository.
pub fn scan_request(estimation_id: &str, url: &str, branch: &str) -> CreateScan {
    CreateScan::new(estimation_id).repo(ScanRepo::new(url, branch))
}

/// Creates an estimation of `url`@`branch` (checking it starts `pending`),
/// moves the manual clock past its end and returns it in its final state.
pub async fn estimated(sandbox: &Sandbox, client: &Client<ReadWrite>, url: &str, branch: &str) -> CostEstimation {
    let created = client
        .create_cost_estimation(&estimate_request(url, branch))
        .await
        .expect("the estimation is created");
    assert_eq!(created.status, CostEstimationStatus::Pending);
    sandbox.advance(ESTIMATION_TIME);
    let done = client
        .get_cost_estimation(&created.id)
        .await
        .expect("the estimation is readable");
    assert!(done.status.is_terminal(), "estimation still {}", done.status);
    done
}

/// Estimation → scan → `completed` on the manual clock; returns the scan as
/// `GET /scans/{id}` shows it.
pub async fn completed_scan(sandbox: &Sandbox, client: &Client<ReadWrite>, url: &str, branch: &str) -> Scan {
    let estimation = estimated(sandbox, client, url, branch).await;
    assert!(estimation.is_ready_for_scan(), "{estimation:?}");
    let created = client
        .create_scan(&scan_request(&estimation.id, url, branch))
        .await
        .expect("the scan starts");
    sandbox.advance(SCAN_TIME);
    let scan = client.get_scan(&created.id).await.expect("the scan is readable");
    assert_eq!(scan.status, ScanState::Completed);
    scan
}

/// The organization's seeded, completed PR scan.
pub async fn seeded_scan<K>(client: &Client<K>) -> Scan
where
    K: KeyKind<Service = hacktron::Hacktron> + hacktron::scope::read,
{
    let page = client
        .list_scans(&ScanListQuery::new().scan_type(ScanType::Pr))
        .await
        .expect("scans are listed");
    assert_eq!(page.total, 1, "one seeded PR scan per organization");
    page.data.into_iter().next().unwrap()
}
