//! The client-side rate limit: the agency shuts off vendors that call more than about once a
//! second, so every call waits for its own send slot.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::time::Instant;

/// A FIFO schedule of send slots at least `interval` apart, shared by all clones.
///
/// Waiting callers queue on a fair (FIFO) mutex; the one holding it sleeps until its slot and
/// keeps it while its exchange is under way, until [`SendSlot::release`] (the client releases
/// when the response head has arrived, or the call failed). The next slot is booked
/// `interval` after the release. Nobody is dropped or refused, calls are only spread.
///
/// Why from the release, not from when the slot opened: what the agency counts is when calls
/// *arrive*, and a call arrives somewhere between being sent and being answered. Connecting
/// (DNS, TCP, a TLS handshake) or a slow network can delay one call's arrival and not the
/// next's, so spacing by send time alone can put two arrivals less than `interval` apart.
/// Once the answer is back the call has certainly arrived, so counting from then keeps
/// arrivals apart whatever the network does. The price is one exchange at a time per limiter,
/// which at one call per second is what the agency asks for anyway.
#[derive(Clone, Debug)]
pub struct RateLimiter {
    interval: Duration,
    /// The earliest instant the next send may happen; `None` before the first send.
    next_slot: Arc<Mutex<Option<Instant>>>,
}

impl RateLimiter {
    /// A limiter allowing one send per `interval`.
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            next_slot: Arc::new(Mutex::new(None)),
        }
    }

    /// The minimum time between two sends.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Whether `other` is a handle to the same schedule (as clones of one client are).
    pub fn shares_schedule_with(&self, other: &RateLimiter) -> bool {
        Arc::ptr_eq(&self.next_slot, &other.next_slot)
    }

    /// Waits for the next free slot; the caller holds it until the returned [`SendSlot`] is
    /// released or dropped. A caller that gives up while waiting books nothing.
    pub async fn acquire(&self) -> SendSlot {
        // tokio's mutex is fair, so waiters are served in arrival order.
        let guard = self.next_slot.clone().lock_owned().await;
        if let Some(slot) = *guard {
            tokio::time::sleep_until(slot).await;
        }
        SendSlot {
            guard: Some(guard),
            interval: self.interval,
        }
    }

    /// Waits for the next free slot and releases it at once (for callers whose sending is
    /// instantaneous).
    pub async fn wait(&self) {
        self.acquire().await.release();
    }
}

/// A held send slot: the next caller waits until this one is released (or dropped), then
/// `interval` more.
#[derive(Debug)]
pub struct SendSlot {
    guard: Option<OwnedMutexGuard<Option<Instant>>>,
    interval: Duration,
}

impl SendSlot {
    /// Ends this caller's turn: books the next slot `interval` from now and lets the next
    /// caller start waiting for it. Later calls do nothing.
    pub fn release(&mut self) {
        if let Some(mut guard) = self.guard.take() {
            *guard = Some(Instant::now() + self.interval);
        }
    }
}

impl Drop for SendSlot {
    /// A slot given up without a release (say, the call was cancelled) still counts, so that
    /// retries and other callers keep their distance too.
    fn drop(&mut self) {
        self.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spreads_concurrent_callers_at_least_interval_apart() {
        let interval = Duration::from_millis(1000);
        let limiter = RateLimiter::new(interval);
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let limiter = limiter.clone();
            tasks.push(tokio::spawn(async move {
                limiter.wait().await;
                Instant::now()
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        assert_eq!(times.len(), 5, "every caller got a slot");
        assert_eq!(times[0], start, "the first caller does not wait");
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= interval, "{:?}", pair[1] - pair[0]);
        }
        // With the paused clock the schedule is exact: slots at 0, 1, 2, 3, 4 s.
        assert_eq!(times[4] - start, interval * 4);
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_limiter_does_not_delay() {
        let interval = Duration::from_millis(100);
        let limiter = RateLimiter::new(interval);
        limiter.wait().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let before = Instant::now();
        limiter.wait().await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_slot_counts_from_the_release() {
        let interval = Duration::from_millis(100);
        let limiter = RateLimiter::new(interval);
        let mut slot = limiter.acquire().await;
        // The exchange takes a while; the next caller waits for its end, then `interval`.
        let other = limiter.clone();
        let next = tokio::spawn(async move {
            other.wait().await;
            Instant::now()
        });
        tokio::time::sleep(Duration::from_millis(250)).await;
        let released_at = Instant::now();
        slot.release();
        assert_eq!(next.await.unwrap() - released_at, interval);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_waiter_books_no_slot() {
        let interval = Duration::from_millis(100);
        let limiter = RateLimiter::new(interval);
        limiter.wait().await;
        let start = Instant::now();
        // Gives up before its slot comes.
        let gave_up = tokio::time::timeout(Duration::from_millis(10), limiter.wait()).await;
        assert!(gave_up.is_err());
        limiter.wait().await;
        assert_eq!(Instant::now() - start, interval);
    }
}
