//! Hooks: what a program of yours sees of every attempt and retry, and may
//! add to each request.

use std::time::Duration;

use http::StatusCode;

use crate::endpoint::Endpoint;
use crate::transport::HttpRequest;

/// What a hook learns about one attempt.
///
/// ```
/// use hacktron_runtime::retry::{Attempt, Hook};
///
/// /// Logs attempts that failed or were slow.
/// struct SlowLog;
/// impl Hook for SlowLog {
///     fn after_response(&self, attempt: &Attempt<'_>) {
///         let failed = attempt.status.is_none_or(|s| !s.is_success());
///         if failed || attempt.cut_off || attempt.elapsed.as_secs() >= 5 {
///             eprintln!("{} #{}: {:?} in {:?}", attempt.endpoint, attempt.number, attempt.status, attempt.elapsed);
///         }
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The endpoint called: its metadata constant.
    pub endpoint: &'a Endpoint,
    /// 1 for the first attempt.
    pub number: u32,
    /// The status, when a response arrived (always `None` in
    /// [`Hook::before_send`]).
    pub status: Option<StatusCode>,
    /// Time from sending to the response headers, or to the failure (zero
    /// in `before_send`).
    pub elapsed: Duration,
    /// Whether the call's overall deadline cut this attempt off.
    pub cut_off: bool,
}

/// What a hook learns about a retry about to wait.
///
/// ```
/// use hacktron_runtime::retry::{Hook, RetryEvent};
///
/// /// Counts retries per endpoint in some metrics system.
/// struct RetryMetrics;
/// impl Hook for RetryMetrics {
///     fn on_retry(&self, retry: &RetryEvent<'_>) {
///         let reason = if retry.server_asked { "retry-after" } else { "backoff" };
///         println!("retry{{endpoint={},reason={reason}}} delay={:?}", retry.endpoint.name, retry.delay);
///     }
/// }
/// ```
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct RetryEvent<'a> {
    /// The endpoint called.
    pub endpoint: &'a Endpoint,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// Its status, when a response arrived.
    pub status: Option<StatusCode>,
    /// How long the client waits before the next attempt.
    pub delay: Duration,
    /// Whether the delay is the server's `Retry-After`.
    pub server_asked: bool,
}

/// A place to add headers, logging or metrics to every request without
/// forking the client. Every method does nothing by default.
///
/// ```
/// use hacktron_runtime::retry::{Attempt, Hook, RetryEvent};
/// use hacktron_runtime::transport::HttpRequest;
///
/// struct RequestId;
/// impl Hook for RequestId {
///     fn before_send(&self, request: &mut HttpRequest, attempt: &Attempt<'_>) {
///         let id = format!("{}-{}", attempt.endpoint.name, attempt.number);
///         request.headers.insert("x-request-id", id.parse().unwrap());
///     }
///     fn after_response(&self, attempt: &Attempt<'_>) {
///         eprintln!("{} -> {:?} in {:?}", attempt.endpoint.path, attempt.status, attempt.elapsed);
///     }
///     fn on_retry(&self, retry: &RetryEvent<'_>) {
///         eprintln!("attempt {} failed ({:?}); retrying in {:?}", retry.attempt, retry.status, retry.delay);
///     }
/// }
/// ```
pub trait Hook: Send + Sync + 'static {
    /// Called before each attempt is sent; may change the request. The key
    /// header is marked sensitive: its `Debug` prints `Sensitive`.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use hacktron_runtime::Client;
    /// use hacktron_runtime::retry::{Attempt, Hook};
    /// use hacktron_runtime::transport::HttpRequest;
    ///
    /// struct Tenant(&'static str);
    /// impl Hook for Tenant {
    ///     fn before_send(&self, request: &mut HttpRequest, _: &Attempt<'_>) {
    ///         request.headers.insert("x-tenant", self.0.parse().unwrap());
    ///     }
    /// }
    /// # let canned = Canned::json(200, "{}");
    /// let client = Client::<Token>::builder("secret-key").hook(Tenant("acme"))
    /// #   .transport(canned.clone())
    ///     .build()?;
    /// client.get_thing("7").await?;
    /// # assert_eq!(canned.requests().lock().unwrap()[0].headers["x-tenant"], "acme");
    /// # Ok(()) }
    /// ```
    fn before_send(&self, request: &mut HttpRequest, attempt: &Attempt<'_>) {
        let _ = (request, attempt);
    }

    /// Called after each attempt that was sent, with its status when a
    /// response arrived, including an attempt the deadline cut off.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use std::time::Duration;
    /// use hacktron_runtime::retry::{Attempt, Hook};
    ///
    /// /// The slowest attempt so far.
    /// #[derive(Default)]
    /// struct Slowest(Mutex<Duration>);
    /// impl Hook for Slowest {
    ///     fn after_response(&self, attempt: &Attempt<'_>) {
    ///         let mut slowest = self.0.lock().unwrap();
    ///         *slowest = (*slowest).max(attempt.elapsed);
    ///     }
    /// }
    /// ```
    fn after_response(&self, attempt: &Attempt<'_>) {
        let _ = attempt;
    }

    /// Called when a failed attempt will be retried, before the wait.
    ///
    /// ```
    /// # use hacktron_runtime::example::{Example, read, Things, Token};
    /// # use hacktron_runtime::transport::Canned;
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::sync::{Arc, Mutex};
    /// use std::time::Duration;
    /// use hacktron_runtime::{Client, RetryPolicy, StatusCode};
    /// use hacktron_runtime::retry::{Hook, RetryEvent};
    ///
    /// #[derive(Clone, Default)]
    /// struct Retries(Arc<Mutex<Vec<Option<StatusCode>>>>);
    /// impl Hook for Retries {
    ///     fn on_retry(&self, retry: &RetryEvent<'_>) {
    ///         self.0.lock().unwrap().push(retry.status);
    ///     }
    /// }
    /// let retries = Retries::default();
    /// # let canned = Canned::json(503, "{}").then_json(200, "{}");
    /// let client = Client::<Token>::builder("secret-key")
    ///     .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(1)))
    ///     .hook(retries.clone())
    /// #   .transport(canned)
    ///     .build()?;
    /// client.get_thing("7").await?; // answered 503, then 200
    /// assert_eq!(*retries.0.lock().unwrap(), [Some(StatusCode::SERVICE_UNAVAILABLE)]);
    /// # Ok(()) }
    /// ```
    fn on_retry(&self, retry: &RetryEvent<'_>) {
        let _ = retry;
    }
}
