//! The retry policy: how many attempts, how long between them, and the
//! overall deadline. What may be retried at all is the service's classifier
//! ([`crate::service::verdict`]); the hooks that see every retry are in
//! [`crate::hook`], re-exported here.

use std::hash::BuildHasher;
use std::time::{Duration, Instant};

use crate::endpoint::Endpoint;
use crate::service::Retry;

pub use crate::hook::{Attempt, Hook, RetryEvent};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorResponse;
    use crate::service::{Failure, default_retry};
    use http::{HeaderMap, StatusCode};

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
}
