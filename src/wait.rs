//! Polling until a scan or an estimation is done.

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
    pub fn new() -> Self {
        Self::default()
    }

    /// Time between two polls.
    #[must_use]
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Up to this much random time is added to each interval.
    #[must_use]
    pub fn jitter(mut self, jitter: Duration) -> Self {
        self.jitter = jitter;
        self
    }

    /// Give up with [`Error::WaitDeadline`] after this long.
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
