//! Polling until a scan or an estimation is done.

use hacktron_runtime::ErrorDetails as _;
use std::future::Future;
use std::hash::BuildHasher;
use std::time::{Duration, Instant};

use crate::Error;

/// How to poll: interval, jitter and an overall deadline.
///
/// The defaults follow the API docs: every 10 s plus up to 5 s of jitter
/// (so many pollers do not hit the server in step), giving up after 6 hours.
/// Against the public API host an interval below 10 s is raised to 10 s,
/// since polling counts toward the rate limit; against a sandbox or a proxy
/// any interval is used as given.
///
/// ```
/// use std::time::Duration;
/// use hacktron::Wait;
///
/// // Every 30 to 40 s, for at most an hour.
/// let patient = Wait::new()
///     .interval(Duration::from_secs(30))
///     .jitter(Duration::from_secs(10))
///     .deadline(Duration::from_secs(3600));
/// assert_ne!(patient, Wait::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    interval: Duration,
    jitter: Duration,
    deadline: Duration,
}

impl Default for Wait {
    fn default() -> Self {
        Wait {
            interval: Duration::from_secs(10),
            jitter: Duration::from_secs(5),
            deadline: Duration::from_secs(6 * 3600),
        }
    }
}

/// The shortest interval used against the public API host.
pub const MIN_PUBLIC_INTERVAL: Duration = Duration::from_secs(10);

impl Wait {
    /// The defaults: 10 s, up to 5 s of jitter, 6 hours.
    ///
    /// ```
    /// assert_eq!(hacktron::Wait::new(), hacktron::Wait::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Time between two polls.
    /// Against the public API host it is at least [`MIN_PUBLIC_INTERVAL`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron::Wait;
    ///
    /// let every_second = Wait::new().interval(Duration::from_secs(1)); // a sandbox or a proxy
    /// assert_ne!(every_second, Wait::new());
    /// ```
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Up to this much random time is added to each interval.
    ///
    /// ```
    /// use std::time::Duration;
    /// use hacktron::Wait;
    ///
    /// // Exactly every 10 s, for a test against a sandbox.
    /// let exact = Wait::new().jitter(Duration::ZERO);
    /// # assert_ne!(exact, Wait::new());
    /// ```
    #[must_use]
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Give up with [`Error::WaitDeadline`] after this long.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = hacktron_sandbox::Sandbox::start().await?;
    /// # let client = hacktron::Client::builder(&sandbox.keys().read_write).base_url(sandbox.base_url()).build()?;
    /// # use hacktron::models::{CreateCostEstimation, EstimationRepo};
    /// # let webapp = EstimationRepo::connected("https://github.com/acme/webapp", "main");
    /// # let estimation = client.create_cost_estimation(&CreateCostEstimation::new([webapp])).await?;
    /// use std::time::Duration;
    /// use hacktron::prelude::*;
    ///
    /// let once = Wait::new().deadline(Duration::ZERO); // poll once, then give up
    /// let err = client.wait_for_cost_estimation(&estimation.id, &once, |_| {}).await.unwrap_err();
    /// assert!(matches!(err, Error::WaitDeadline { ref last_status, .. } if last_status == "pending"));
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    fn delay(&self, base_url: &str) -> Duration {
        let public = base_url.starts_with(crate::DEFAULT_BASE_URL.trim_end_matches("/v1"));
        let interval = if public {
            self.interval.max(MIN_PUBLIC_INTERVAL)
        } else {
            self.interval
        };
        interval.saturating_add(random_fraction(self.jitter))
    }
}

fn random_fraction(max: Duration) -> Duration {
    if max.is_zero() {
        return max;
    }
    let r = std::collections::hash_map::RandomState::new().hash_one(Instant::now());
    max.mul_f64((r % 10_000) as f64 / 10_000.0)
}

/// Polls `fetch` until `done`, reporting each new `label` to `on_change`.
/// Errors that may pass (rate limits, server errors, timeouts) are waited
/// out until the deadline; others end the wait.
pub(crate) async fn poll<T, Fut>(
    wait: &Wait,
    base_url: &str,
    mut fetch: impl FnMut() -> Fut,
    done: impl Fn(&T) -> bool,
    label: impl Fn(&T) -> String,
    mut on_change: impl FnMut(&T),
) -> Result<T, Error>
where
    Fut: Future<Output = Result<T, Error>>,
{
    let start = Instant::now();
    let mut last: Option<String> = None;
    loop {
        let mut delay = wait.delay(base_url);
        match fetch().await {
            Ok(value) => {
                let now = label(&value);
                if last.as_deref() != Some(now.as_str()) {
                    on_change(&value);
                    last = Some(now);
                }
                if done(&value) {
                    return Ok(value);
                }
            }
            // The same classifier as the retry loop: a poll is a `GET`, so
            // anything retryable for some method is waited out, no sooner
            // than a `Retry-After` asks.
            Err(e) if e.is_retryable() => {
                if let Some(after) = e.retry().after() {
                    delay = delay.max(after);
                }
                tracing::warn!(error = %e, "polling failed, will poll again");
            }
            Err(e) => return Err(e),
        }
        let waited = start.elapsed();
        if waited >= wait.deadline {
            return Err(Error::WaitDeadline {
                waited,
                last_status: last.unwrap_or_else(|| "unknown".to_owned()),
            });
        }
        tokio::time::sleep(delay.min(wait.deadline - waited)).await;
    }
}
