//! A client-side rate limiter over a rolling window.

use std::sync::Mutex;
use std::time::{Duration, Instant};

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

#[cfg(test)]
mod tests {
    use super::*;

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
