//! A faithful local HTTP server of the [Hacktron REST API](https://api.hacktron.ai/v1).
//!
//! The sandbox serves every documented `/v1` operation (cost estimations, scans,
//! findings and their exports, repositories, and the public `hfw` verdict routes)
//! with the documented wire format: field names, enum values, status codes and
//! the NestJS-style error bodies, including authentication, scopes, tenancy,
//! the per-key rolling rate limit and credit accounting.
//!
//! # Three ways to use it
//!
//! **Embedded in tests.** Start one per test; dropping it shuts the server down.
//! Each instance has its own random keys and its own state:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
//! use std::time::Duration;
//! use hacktron_sandbox::{Config, Fault, Sandbox};
//!
//! let sandbox = Sandbox::start_with(Config::default().with_real_clock(false)).await?;
//! let base = sandbox.base_url(); // "http://127.0.0.1:PORT/v1"
//! let key = &sandbox.keys().read_write; // send as `X-Api-Key`
//! sandbox.advance(Duration::from_secs(5)); // lifecycles move on the sandbox clock
//! sandbox.inject(Fault::Status(500), 1); // the next request gets a 500
//! # assert!(base.starts_with("http://127.0.0.1:") && key.starts_with("hacktron_"));
//! # Ok(()) }
//! ```
//!
//! **The binary.** `cargo run -p hacktron-sandbox -- --port 8080` (or
//! `HACKTRON_SANDBOX_PORT=8080`; the default `0` picks a free port) prints the
//! base URL and the seeded keys, then serves until Ctrl-C.
//!
//! **Seeded data and controllable outcomes.**
//!
//! * Two organizations, `acme` and `globex`, each with
//!   [`Config::initial_credits`] credits (default 10 000). See [`Keys`] for the
//!   seeded keys (read+write, read-only, revoked, admin for `acme`; read+write for `globex`).
//! * `GET /v1/repos`: `acme/webapp`, `acme/infra` (GitLab), `acme/payments-api`,
//!   `acme/legacy-portal` (Bitbucket) for `acme`; `globex/hq` for `globex`.
//! * Each organization starts with one completed PR scan (`scan_type` `pr`) whose
//!   findings are already visible.
//! * Cost estimations go `pending` → `running` (at half of
//!   [`Config::estimation_time`]) → terminal (at the full time). A repository URL
//!   or archive id containing `fail` makes the estimation `failed` (except
//!   `scan-fail`, see below); `partial` makes it `partial`; `empty` gives that repo
//!   0 credits (so an all-`empty` estimation is "not ready" for a scan); anything
//!   else `completed`. Each repo costs `500 + 100 × len(last path segment)` credits
//!   (a `partial` repo half that).
//! * Scans go `pending` → `running` → `completed` on [`Config::scan_time`]; a scan
//!   with a repository containing `fail` (use `scan-fail`, which estimates fine)
//!   ends `failed`. A completed scan yields, per repository, five approved
//!   findings (one per severity: critical, high, medium, low, info) and one
//!   high finding that is not approved, hence never visible.
//! * `hfw`: package `evil-pkg` (any version, npm or PyPI), `@evil/stealer@0.0.1`
//!   (and `0.0.2`) and `event-stream@3.3.6` are `malicious`; names containing `suspicious` are
//!   `suspicious`; names containing `unknown` are `unknown` (status `pending`);
//!   everything else is `clean`.
//! * Sandbox-only key management: `GET`/`POST /v1/_sandbox/keys` and
//!   `DELETE /v1/_sandbox/keys/{id}`, with the `admin` scope.
//!
//! Like the real server, request bodies are only parsed when sent with a JSON
//! `Content-Type` (anything else reads as `{}` and fails validation), and the
//! backend spelling `/api/v1/rest/...` is served as an alias of `/v1/...`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod error;
mod export;
mod faults;
mod routes;
mod seed;
mod state;
mod util;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::state::State;

/// Sandbox settings. Start from [`Config::default()`] and adjust with the `with_*` methods.
///
/// ```
/// use std::time::Duration;
/// use hacktron_sandbox::Config;
///
/// // Reproducible, and nothing happens until the test says so.
/// let config = Config::default().with_seed(7).with_real_clock(false).without_rate_limit();
/// assert_eq!((config.seed, config.real_clock, config.rate_limit), (Some(7), false, None));
/// assert_eq!(config.scan_time, Duration::from_secs(3));
/// ```
#[derive(Clone, Debug)]
pub struct Config {
    /// Requests allowed per key within a rolling window; `None` disables the limit.
    /// Default: `Some((100, 60 s))`, as documented.
    pub rate_limit: Option<(u32, Duration)>,
    /// How long a cost estimation takes: `running` at half, terminal at the full time.
    /// Default: 2 s.
    pub estimation_time: Duration,
    /// How long a scan takes: `running` at half, terminal at the full time. Default: 3 s.
    pub scan_time: Duration,
    /// `true` (default): sandbox time follows the wall clock, plus [`Sandbox::advance`].
    /// `false`: time only moves with [`Sandbox::advance`].
    pub real_clock: bool,
    /// Credits each seeded organization starts with. Default: 10 000.
    pub initial_credits: u64,
    /// Seed for keys and ids; `None` (default) draws a random one. With a seed,
    /// the sandbox's epoch is also fixed (2026-03-10T12:00:00Z), so runs repeat exactly.
    pub seed: Option<u64>,
    /// Port to listen on at 127.0.0.1; `0` (default) picks a free one.
    pub port: u16,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rate_limit: Some((100, Duration::from_secs(60))),
            estimation_time: Duration::from_secs(2),
            scan_time: Duration::from_secs(3),
            real_clock: true,
            initial_credits: 10_000,
            seed: None,
            port: 0,
        }
    }
}

impl Config {
    /// Allows `requests` per key in any rolling `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_sandbox::Config;
    ///
    /// let strict = Config::default().with_rate_limit(5, Duration::from_secs(1));
    /// assert_eq!(strict.rate_limit, Some((5, Duration::from_secs(1))));
    /// ```
    #[must_use]
    pub fn with_rate_limit(mut self, requests: u32, window: Duration) -> Self {
        self.rate_limit = Some((requests, window));
        self
    }

    /// Disables rate limiting.
    ///
    /// ```
    /// let unlimited = hacktron_sandbox::Config::default().without_rate_limit();
    /// assert_eq!(unlimited.rate_limit, None);
    /// ```
    #[must_use]
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Sets [`Config::estimation_time`].
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let quick = hacktron_sandbox::Config::default().with_estimation_time(Duration::from_millis(50));
    /// assert_eq!(quick.estimation_time, Duration::from_millis(50));
    /// ```
    #[must_use]
    pub fn with_estimation_time(mut self, time: Duration) -> Self {
        self.estimation_time = time;
        self
    }

    /// Sets [`Config::scan_time`].
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let slow = hacktron_sandbox::Config::default().with_scan_time(Duration::from_secs(60));
    /// assert_eq!(slow.scan_time, Duration::from_secs(60));
    /// ```
    #[must_use]
    pub fn with_scan_time(mut self, time: Duration) -> Self {
        self.scan_time = time;
        self
    }

    /// Sets [`Config::real_clock`]; `false` gives a manual clock driven by [`Sandbox::advance`].
    ///
    /// ```
    /// let manual = hacktron_sandbox::Config::default().with_real_clock(false);
    /// assert!(!manual.real_clock);
    /// ```
    #[must_use]
    pub fn with_real_clock(mut self, real: bool) -> Self {
        self.real_clock = real;
        self
    }

    /// Sets [`Config::initial_credits`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use hacktron_sandbox::{Config, Sandbox};
    ///
    /// let sandbox = Sandbox::start_with(Config::default().with_initial_credits(500)).await?;
    /// assert_eq!(sandbox.credits(&sandbox.keys().acme_org), Some(500));
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_initial_credits(mut self, credits: u64) -> Self {
        self.initial_credits = credits;
        self
    }

    /// Sets [`Config::seed`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use hacktron_sandbox::{Config, Sandbox};
    ///
    /// let a = Sandbox::start_with(Config::default().with_seed(42)).await?;
    /// let b = Sandbox::start_with(Config::default().with_seed(42)).await?;
    /// assert_eq!(a.keys().read_write, b.keys().read_write);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Sets [`Config::port`].
    ///
    /// ```
    /// let fixed = hacktron_sandbox::Config::default().with_port(8080);
    /// assert_eq!(fixed.port, 8080);
    /// ```
    #[must_use]
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
}

/// The seeded API keys and organization ids of one sandbox instance.
///
/// Keys have the documented form `hacktron_` + 32 alphanumeric characters and are
/// unique to each instance. `Debug` shows only their 12-character prefixes.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// let sandbox = hacktron_sandbox::Sandbox::start().await?;
/// let keys = sandbox.keys();
/// assert!(keys.read_write.starts_with("hacktron_") && keys.read_write.len() == 41);
/// assert_ne!(keys.read_write, keys.read_only);
/// assert!(!format!("{keys:?}").contains(&keys.read_write)); // `Debug` shows prefixes only
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Keys {
    /// Scopes `read` + `write`, organization `acme`.
    pub read_write: String,
    /// Scope `read`, organization `acme`.
    pub read_only: String,
    /// A revoked `acme` key: every request with it gets 401.
    pub revoked: String,
    /// Scopes `read` + `write` + `admin` (sandbox-only), organization `acme`.
    pub admin: String,
    /// Scopes `read` + `write`, organization `globex`.
    pub other_org: String,
    /// `"acme"`: the organization of every key but [`Keys::other_org`].
    pub acme_org: String,
    /// `"globex"`: the organization of [`Keys::other_org`].
    pub other_org_id: String,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |k: &str| format!("{}…", &k[..12.min(k.len())]);
        f.debug_struct("Keys")
            .field("read_write", &redact(&self.read_write))
            .field("read_only", &redact(&self.read_only))
            .field("revoked", &redact(&self.revoked))
            .field("admin", &redact(&self.admin))
            .field("other_org", &redact(&self.other_org))
            .field("acme_org", &self.acme_org)
            .field("other_org_id", &self.other_org_id)
            .finish()
    }
}

/// A failure to inject in place of the next responses, before routing.
///
/// ```
/// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
/// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
/// #     let key = &sandbox.keys().read_write;
/// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
/// #     tcp.write_all((head + body).as_bytes()).await?;
/// #     let mut answer = String::new();
/// #     tcp.read_to_string(&mut answer).await?;
/// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
/// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
/// # }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// use hacktron_sandbox::{Fault, Sandbox};
///
/// let sandbox = Sandbox::start().await?;
/// sandbox.inject(Fault::RateLimited { retry_after: Some(2) }, 1);
/// let (status, _) = call(&sandbox, "GET", "/scans", "").await?;
/// assert_eq!(status, 429);
/// assert_eq!(call(&sandbox, "GET", "/scans", "").await?.0, 200); // the fault is used up
/// # Ok(()) }
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// That status with the documented JSON error body, e.g. `500` →
    /// `{"statusCode":500,"message":"Internal server error"}`; `429` gets the
    /// throttler body and `Retry-After: 1`.
    Status(u16),
    /// An HTML error page from a proxy, with that status and `text/html`.
    Html(u16),
    /// A `200` whose JSON body is cut off in the middle.
    Truncated,
    /// That status with an empty body.
    Empty(u16),
    /// The request is handled as usual (its effects happen), then that
    /// status is answered in place of the route's response, as a server
    /// that fails after committing does: `500` gets the bare
    /// `Internal server error` body.
    StatusAfterHandling(u16),
    /// The request is handled as usual, then the connection is closed before
    /// any byte of the answer is written: the client gets no response and
    /// cannot tell whether the request took effect.
    Drop,
    /// The connection is reset (TCP `RST`) once the request's head has
    /// arrived, before the request is handled or its body read: nothing is
    /// applied, and the client, which has sent its request, cannot tell.
    Reset,
    /// The request is handled, then the whole answer is held back this long.
    StallHeaders(Duration),
    /// The request is handled; the status line, the headers and the first 4
    /// bytes of the body are sent, then nothing for this long, then the
    /// connection is closed.
    StallBody(Duration),
    /// A `200` `application/json` page whose body is not valid UTF-8.
    InvalidUtf8,
    /// A `200` with `text/plain` and a JSON body of no documented shape.
    WrongContentType,
    /// A `429` with the documented throttler body, with `Retry-After: N`
    /// when `retry_after` is `Some(N)` and without the header otherwise.
    RateLimited {
        /// The `Retry-After` value in seconds, if any.
        retry_after: Option<u64>,
    },
}

/// Shared between the server task and the [`Sandbox`] handle.
pub(crate) struct Shared {
    state: Mutex<State>,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running sandbox server. Dropping it shuts the server down.
///
/// ```
/// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
/// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
/// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
/// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
/// #     let key = &sandbox.keys().read_write;
/// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
/// #     tcp.write_all((head + body).as_bytes()).await?;
/// #     let mut answer = String::new();
/// #     tcp.read_to_string(&mut answer).await?;
/// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
/// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
/// # }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
/// use hacktron_sandbox::Sandbox;
///
/// let sandbox = Sandbox::start().await?;
/// println!("serving {} for key {}", sandbox.base_url(), sandbox.keys().read_write);
/// # assert_eq!(call(&sandbox, "GET", "/repos", "").await?.0, 200);
/// drop(sandbox); // shuts the server down
/// # Ok(()) }
/// ```
pub struct Sandbox {
    addr: SocketAddr,
    keys: Keys,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Sandbox {
    /// Starts a sandbox with [`Config::default()`] on `127.0.0.1` and a free port.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// assert_eq!(sandbox.credits(&sandbox.keys().acme_org), Some(10_000));
    /// # Ok(()) }
    /// ```
    pub async fn start() -> std::io::Result<Sandbox> {
        Self::start_with(Config::default()).await
    }

    /// Starts a sandbox with `config` on `127.0.0.1:`[`Config::port`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// use hacktron_sandbox::{Config, Sandbox};
    ///
    /// let config = Config::default().with_real_clock(false).with_scan_time(Duration::from_secs(60));
    /// let sandbox = Sandbox::start_with(config).await?;
    /// # let _ = sandbox;
    /// # Ok(()) }
    /// ```
    pub async fn start_with(config: Config) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
        let addr = listener.local_addr()?;
        let (state, keys) = State::seeded(config);
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
        });
        let app = routes::router(shared.clone())
            .layer(axum::middleware::from_fn_with_state(shared.clone(), faults::middleware))
            .into_make_service_with_connect_info::<faults::Conn>();
        let listener = faults::FaultListener(listener);
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = rx.await;
            };
            let _ = axum::serve(listener, app).with_graceful_shutdown(shutdown).await;
        });
        Ok(Sandbox {
            addr,
            keys,
            shared,
            shutdown: Some(tx),
        })
    }

    /// The address the server listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// assert!(sandbox.addr().ip().is_loopback());
    /// assert_ne!(sandbox.addr().port(), 0);
    /// # Ok(()) }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, `http://127.0.0.1:PORT/v1`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// assert_eq!(sandbox.base_url(), format!("http://127.0.0.1:{}/v1", sandbox.addr().port()));
    /// # Ok(()) }
    /// ```
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The seeded keys of this instance.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// let keys = sandbox.keys();
    /// assert_eq!((keys.acme_org.as_str(), keys.other_org_id.as_str()), ("acme", "globex"));
    /// # Ok(()) }
    /// ```
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// Moves sandbox time forward by `by` (in both clock modes).
    ///
    /// ```
    /// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
    /// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
    /// #     let key = &sandbox.keys().read_write;
    /// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    /// #     tcp.write_all((head + body).as_bytes()).await?;
    /// #     let mut answer = String::new();
    /// #     tcp.read_to_string(&mut answer).await?;
    /// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    /// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use std::time::Duration;
    /// use hacktron_sandbox::{Config, Sandbox};
    ///
    /// let sandbox = Sandbox::start_with(Config::default().with_real_clock(false)).await?;
    /// let repo = r#"{"source": "public", "repo_url": "https://github.com/acme/webapp", "branch": "main"}"#;
    /// let body = format!(r#"{{"repos": [{repo}]}}"#);
    /// let (_, created) = call(&sandbox, "POST", "/cost-estimations", &body).await?;
    /// # let id = serde_json::from_str::<serde_json::Value>(&created)?["id"].as_str().unwrap().to_owned();
    /// sandbox.advance(Duration::from_secs(2)); // the default `estimation_time`
    /// let (_, estimation) = call(&sandbox, "GET", &format!("/cost-estimations/{id}"), "").await?;
    /// assert!(estimation.contains(r#""status":"completed""#));
    /// # Ok(()) }
    /// ```
    pub fn advance(&self, by: Duration) {
        self.shared.lock().clock.advance(by);
    }

    /// Makes the next `times` requests (any route) fail with `fault`.
    /// Faults queue up in the order they are injected.
    ///
    /// ```
    /// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
    /// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
    /// #     let key = &sandbox.keys().read_write;
    /// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    /// #     tcp.write_all((head + body).as_bytes()).await?;
    /// #     let mut answer = String::new();
    /// #     tcp.read_to_string(&mut answer).await?;
    /// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    /// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use hacktron_sandbox::{Fault, Sandbox};
    ///
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.inject(Fault::Status(503), 2);
    /// sandbox.inject(Fault::Empty(500), 1);
    /// let mut statuses = Vec::new();
    /// for _ in 0..4 {
    ///     statuses.push(call(&sandbox, "GET", "/scans", "").await?.0);
    /// }
    /// assert_eq!(statuses, [503, 503, 500, 200]);
    /// # Ok(()) }
    /// ```
    pub fn inject(&self, fault: Fault, times: usize) {
        if times > 0 {
            self.shared.lock().faults.push_back((fault, times));
        }
    }

    /// Sets an organization's credit balance (`org` as in [`Keys`]); unknown orgs are ignored.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// sandbox.set_credits("acme", 0); // the next scan gets `402`
    /// assert_eq!(sandbox.credits("acme"), Some(0));
    /// # Ok(()) }
    /// ```
    pub fn set_credits(&self, org: &str, credits: u64) {
        if let Some(org) = self.shared.lock().org_mut(org) {
            org.credits = credits;
        }
    }

    /// An organization's current credit balance, `None` for an unknown org.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// assert_eq!(sandbox.credits(&sandbox.keys().other_org_id), Some(10_000));
    /// assert_eq!(sandbox.credits("initech"), None);
    /// # Ok(()) }
    /// ```
    pub fn credits(&self, org: &str) -> Option<u64> {
        self.shared.lock().org_mut(org).map(|o| o.credits)
    }

    /// Ids of `org`'s findings that never reached the `approved` state. The
    /// API never shows them (it answers `Finding not found`), so a test that
    /// checks that needs them from here.
    ///
    /// ```
    /// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
    /// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
    /// #     let key = &sandbox.keys().read_write;
    /// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    /// #     tcp.write_all((head + body).as_bytes()).await?;
    /// #     let mut answer = String::new();
    /// #     tcp.read_to_string(&mut answer).await?;
    /// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    /// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// let hidden = sandbox.unapproved_finding_ids("acme");
    /// assert_eq!(hidden.len(), 1); // the seeded PR scan's unverified finding
    /// let (status, _) = call(&sandbox, "GET", &format!("/findings/{}", hidden[0]), "").await?;
    /// assert_eq!(status, 404);
    /// # Ok(()) }
    /// ```
    pub fn unapproved_finding_ids(&self, org: &str) -> Vec<String> {
        let state = self.shared.lock();
        state
            .findings
            .iter()
            .filter(|f| f.org == org && !f.approved)
            .map(|f| f.id.clone())
            .collect()
    }

    /// How many requests to `operation` (the docs' method and path
    /// template, `"POST /findings/{id}/comments"`) the sandbox handled with
    /// success, applying their effects, whatever the client was then told:
    /// a request handled before an injected fault counts, one refused by
    /// auth, validation or a fault that stops it before handling does not.
    ///
    /// ```
    /// # /// `(status, body)` of a request sent with `X-Api-Key: keys().read_write`.
    /// # async fn call(sandbox: &hacktron_sandbox::Sandbox, method: &str, path: &str, body: &str) -> std::io::Result<(u16, String)> {
    /// #     use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// #     let mut tcp = tokio::net::TcpStream::connect(sandbox.addr()).await?;
    /// #     let key = &sandbox.keys().read_write;
    /// #     let head = format!("{method} /v1{path} HTTP/1.1\r\nHost: sandbox\r\nX-Api-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    /// #     tcp.write_all((head + body).as_bytes()).await?;
    /// #     let mut answer = String::new();
    /// #     tcp.read_to_string(&mut answer).await?;
    /// #     let status = answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    /// #     Ok((status, answer.split_once("\r\n\r\n").map_or("", |(_, body)| body).to_owned()))
    /// # }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> std::io::Result<()> {
    /// use hacktron_sandbox::{Fault, Sandbox};
    ///
    /// let sandbox = Sandbox::start().await?;
    /// sandbox.inject(Fault::StatusAfterHandling(500), 1); // handled, then answered 500
    /// sandbox.inject(Fault::Status(503), 1); // refused before handling
    /// let mut statuses = Vec::new();
    /// for _ in 0..3 {
    ///     statuses.push(call(&sandbox, "GET", "/repos", "").await?.0);
    /// }
    /// assert_eq!(statuses, [500, 503, 200]);
    /// assert_eq!(sandbox.applied("GET /repos"), 2);
    /// # Ok(()) }
    /// ```
    pub fn applied(&self, operation: &str) -> usize {
        self.shared.lock().applied.get(operation).copied().unwrap_or(0)
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
