//! Retries, client-side rate limiting and hooks: what makes a client safe to
//! run unattended.

use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use http::StatusCode;

use crate::endpoint::Endpoint;
use crate::service::Retry;
use crate::transport::HttpRequest;

/// When and how a failed call is sent again.
///
/// # What is retried
///
/// The service's classifier ([`Service::retry`](crate::service::Service::retry))
/// says, for each failure, whether it may be sent again: always (nothing was
/// processed: a `429`, a connection never made), only for requests safe to
/// repeat (methods `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, and endpoints
/// declared `idempotent`: the outcome is unknown after a `5xx`, a timeout,
/// a connection lost mid-request), or never. The default classifier,
/// [`default_retry`](crate::service::default_retry), gives the HTTP rules; a
/// service can change them, but not for an unknown outcome: there a request
/// that is not safe to repeat is never resent, whatever the classifier says
/// ([`verdict`](crate::service::verdict)), and the call's error goes through
/// [`Service::may_have_applied`](crate::service::Service::may_have_applied).
///
/// # How long it waits
///
/// Exponential backoff from 1 s (1 s, 2 s, 4 s, 8 s), capped at
/// [`max_backoff`](Self::max_backoff), with "equal jitter": half the delay is
/// fixed and half random, so clients that failed together do not retry
/// together. A `Retry-After` header (seconds or an HTTP date) replaces the
/// computed delay. No attempt starts after the overall
/// [`deadline`](Self::deadline); a delay that would cross it ends the call
/// at once with the last error.
///
/// The default makes at most 4 attempts within 60 s. Set it per client with
/// `ClientBuilder::retry`, per call with `Client::with_retry`, and per
/// endpoint with `#[endpoint(..., retry = never)]` or `retry = 2`.
/// Every retry is logged as a `tracing` warning with the attempt, status and
/// delay, and reported to [`Hook::on_retry`].
///
/// ```
/// use std::time::Duration;
/// use hacktron_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::new()
///     .max_attempts(6)
///     .initial_backoff(Duration::from_millis(500))
///     .deadline(Some(Duration::from_secs(300)));
/// assert_eq!(patient.attempts(), 6);
/// assert_eq!(RetryPolicy::never().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            deadline: Some(Duration::from_secs(60)),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy: 4 attempts, 1 s doubling backoff capped at 30 s,
    /// 60 s overall.
    ///
    /// ```
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::new(), RetryPolicy::default());
    /// assert_eq!(RetryPolicy::new().attempts(), 4);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// One attempt, no retries.
    ///
    /// ```
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::never().attempts(), 1);
    /// ```
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    ///
    /// ```
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::new().max_attempts(6).attempts(), 6);
    /// assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1); // the first attempt always happens
    /// ```
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Delay before the first retry; it doubles for each one after.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// // 250 ms, 500 ms, 1 s, … (each half fixed, half random)
    /// let brisk = RetryPolicy::new().initial_backoff(Duration::from_millis(250));
    /// # assert_ne!(brisk, RetryPolicy::new());
    /// ```
    #[must_use]
    pub fn initial_backoff(mut self, delay: Duration) -> Self {
        self.initial_backoff = delay;
        self
    }

    /// The longest computed delay between two attempts.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// // 1 s, 2 s, 4 s, 5 s, 5 s, …
    /// let capped = RetryPolicy::new().max_attempts(8).max_backoff(Duration::from_secs(5));
    /// # assert_ne!(capped, RetryPolicy::new().max_attempts(8));
    /// ```
    #[must_use]
    pub fn max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// Time from the first attempt after which no attempt starts, and after
    /// which a running attempt is cut off; `None` for no limit.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// let batch = RetryPolicy::new().max_attempts(10).deadline(Some(Duration::from_secs(600)));
    /// assert_eq!(batch.get_deadline(), Some(Duration::from_secs(600)));
    /// assert_eq!(RetryPolicy::new().deadline(None).get_deadline(), None);
    /// ```
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Whether delays are randomised (default yes). Off makes delays exact,
    /// for tests.
    ///
    /// ```
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// let exact = RetryPolicy::new().jitter(false); // 1 s, 2 s, 4 s exactly
    /// assert_ne!(exact, RetryPolicy::new());
    /// ```
    #[must_use]
    pub fn jitter(mut self, on: bool) -> Self {
        self.jitter = on;
        self
    }

    /// Attempts in all, the first included.
    ///
    /// ```
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().attempts(), 4);
    /// ```
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().get_deadline(), Some(Duration::from_secs(60)));
    /// ```
    pub fn get_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The policy for one endpoint: its attribute's `retry =` wins.
    pub(crate) fn for_endpoint(self, endpoint: &Endpoint) -> Self {
        match endpoint.max_attempts {
            Some(n) => self.max_attempts(n),
            None => self,
        }
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to stop.
    /// All arithmetic saturates: no `Retry-After` can overflow it.
    pub(crate) fn delay(&self, idempotent: bool, verdict: Retry, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts || !verdict.allows(idempotent) {
            return None;
        }
        let delay = verdict.after().unwrap_or_else(|| self.backoff(attempt));
        match self.deadline {
            Some(deadline) if elapsed.saturating_add(delay) >= deadline => None,
            _ => Some(delay),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << (attempt - 1).min(20));
        let full = exp.min(self.max_backoff);
        if !self.jitter {
            return full;
        }
        let half = full / 2;
        let r = std::collections::hash_map::RandomState::new().hash_one(Instant::now()) % 1024;
        half + half.mul_f64(r as f64 / 1024.0)
    }
}

/// A client-side limiter over a rolling window, shared by every clone of a
/// client, so bulk jobs slow down before the server answers 429.
///
/// The server counts a request when it arrives, which is after we send it;
/// so each request holds its place in the window from when it is sent until
/// its answer arrives, and counts from then on. That keeps the client's
/// window behind the server's however slow a single request is.
///
/// A client makes its own with
/// [`ClientBuilder::rate_limit`](crate::ClientBuilder::rate_limit); use one
/// directly to pace other work the same way.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::RateLimiter;
///
/// let limiter = RateLimiter::new(2, Duration::from_secs(60));
/// let first = limiter.acquire().await;
/// let second = limiter.acquire().await;
/// drop((first, second)); // both answered: their places count for 60 s from now
/// let third = tokio::time::timeout(Duration::ZERO, limiter.acquire()).await;
/// assert!(third.is_err(), "a third request waits for the window");
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    state: Mutex<Window>,
}

#[derive(Debug, Default)]
struct Window {
    next_id: u64,
    /// `(id, since)`: requests in flight count from now; finished ones from
    /// when their answer arrived.
    slots: Vec<(u64, Option<Instant>)>,
}

/// A place in a [`RateLimiter`]'s window, held by one request. Dropping it
/// (when the answer arrived, or the call was abandoned) starts its place's
/// time in the window.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use hacktron_runtime::RateLimiter;
///
/// let limiter = RateLimiter::new(1, Duration::from_secs(1));
/// let permit = limiter.acquire().await; // the request is on its way
/// // ... send it, wait for the answer ...
/// drop(permit); // answered: the place counts from now, for 1 s
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "the place is released when this is dropped"]
pub struct Permit<'a> {
    limiter: &'a RateLimiter,
    id: u64,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut w = self.limiter.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if let Some(entry) = w.slots.iter_mut().find(|(id, _)| *id == self.id) {
            entry.1 = Some(now);
        }
    }
}

impl RateLimiter {
    /// At most `limit` requests in any `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron_runtime::RateLimiter;
    ///
    /// let documented = RateLimiter::new(100, Duration::from_secs(60));
    /// # let _ = documented;
    /// ```
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit: limit.max(1) as usize,
            window,
            state: Mutex::new(Window::default()),
        }
    }

    /// Waits until a request may be sent, and takes a place for it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use hacktron_runtime::RateLimiter;
    ///
    /// let limiter = RateLimiter::new(10, Duration::from_secs(1));
    /// for _ in 0..10 {
    ///     let _permit = limiter.acquire().await; // at once: the window has room
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            let wait = {
                let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
                let now = Instant::now();
                w.slots
                    .retain(|(_, done)| done.is_none_or(|t| now.duration_since(t) < self.window));
                if w.slots.len() < self.limit {
                    let id = w.next_id;
                    w.next_id += 1;
                    w.slots.push((id, None));
                    return Permit { limiter: self, id };
                }
                // Wait for the oldest finished request to leave the window,
                // or a little while if every place is still in flight.
                let oldest = w.slots.iter().filter_map(|(_, done)| *done).min();
                oldest.map_or(self.window / 10, |t| self.window.saturating_sub(now.duration_since(t)))
            };
            tracing::debug!(
                wait_ms = wait.as_millis() as u64,
                "client-side rate limit reached, waiting"
            );
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorResponse;
    use crate::service::{Failure, default_retry};
    use http::HeaderMap;

    fn err(status: u16, retry_after: Option<&str>) -> Retry {
        let mut headers = HeaderMap::new();
        if let Some(v) = retry_after {
            headers.insert("retry-after", v.parse().unwrap());
        }
        let r = ErrorResponse::new(
            StatusCode::from_u16(status).unwrap(),
            headers,
            Default::default(),
            false,
        );
        default_retry(Failure::Response(&r))
    }

    #[test]
    fn what_is_retried_depends_on_the_outcome_and_the_method() {
        let p = RetryPolicy::new().jitter(false);
        let t = Duration::ZERO;
        assert_eq!(p.delay(false, err(429, None), 1, t), Some(Duration::from_secs(1)));
        assert_eq!(p.delay(false, err(500, None), 2, t), None);
        assert_eq!(p.delay(true, err(500, None), 2, t), Some(Duration::from_secs(2)));
        assert_eq!(p.delay(true, err(503, None), 3, t), Some(Duration::from_secs(4)));
        assert_eq!(p.delay(false, err(503, None), 1, t), None);
        assert_eq!(p.delay(true, err(404, None), 1, t), None);
        let timeout = default_retry(Failure::Timeout);
        assert!(p.delay(true, timeout, 1, t).is_some());
        assert_eq!(p.delay(false, timeout, 1, t), None);
        let refused = default_retry(Failure::Connect);
        assert!(p.delay(false, refused, 1, t).is_some());
        assert_eq!(p.delay(true, err(500, None), 4, t), None, "4 attempts at most");
    }

    #[test]
    fn retry_after_wins_and_the_deadline_holds() {
        let p = RetryPolicy::new().jitter(false).deadline(Some(Duration::from_secs(10)));
        assert_eq!(
            p.delay(true, err(429, Some("3")), 1, Duration::ZERO),
            Some(Duration::from_secs(3))
        );
        assert_eq!(p.delay(true, err(429, Some("30")), 1, Duration::ZERO), None);
        assert_eq!(p.delay(true, err(500, None), 1, Duration::from_secs(9)), None);
        // A Retry-After no clock can reach ends the call; nothing overflows.
        assert_eq!(
            p.delay(true, err(429, Some("99999999999999999999")), 1, Duration::from_secs(9)),
            None
        );
        let endless = RetryPolicy::new().deadline(None);
        assert_eq!(
            endless.delay(true, err(429, Some("18446744073709551615")), 1, Duration::MAX),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_within_bounds() {
        let p = RetryPolicy::new()
            .jitter(false)
            .max_backoff(Duration::from_secs(5))
            .max_attempts(10);
        let delays: Vec<_> = (1..6).map(|a| p.backoff(a).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 5, 5]);
        let j = RetryPolicy::new();
        for a in 1..4 {
            let d = j.backoff(a);
            let full = Duration::from_secs(1 << (a - 1));
            assert!(d >= full / 2 && d <= full, "{d:?} for attempt {a}");
        }
    }

    #[tokio::test]
    async fn limiter_admits_the_limit_then_waits_for_the_window() {
        let l = RateLimiter::new(3, Duration::from_millis(200));
        let start = Instant::now();
        for _ in 0..3 {
            drop(l.acquire().await);
        }
        assert!(start.elapsed() < Duration::from_millis(100));
        let _permit = l.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(190));
    }

    #[tokio::test]
    async fn a_slow_request_holds_its_place_until_answered() {
        let l = RateLimiter::new(1, Duration::from_millis(100));
        let permit = l.acquire().await;
        tokio::time::sleep(Duration::from_millis(150)).await;
        drop(permit);
        let answered = Instant::now();
        let _permit = l.acquire().await;
        assert!(
            answered.elapsed() >= Duration::from_millis(95),
            "counted from the answer, not the send"
        );
    }
}
