//! The call-rate check: each client may make one call per `1 / rate` seconds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Remembers when each client's last admitted call arrived.
///
/// A call is admitted when at least the minimum interval (`1 / rate`) has passed since the
/// client's previously *admitted* call, less a small grace for scheduling jitter (a tenth of the
/// interval, at most 10 ms). Refused calls do not restart the clock, so a client that keeps to
/// the rate is never refused because of an earlier burst.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    min_interval: Option<Duration>,
    last_admitted: Mutex<HashMap<String, Instant>>,
}

impl RateLimiter {
    /// A limiter for `calls_per_second`; `None`, zero or less means no limit.
    /// The caller has checked the rate is not NaN or infinite.
    pub(crate) fn new(calls_per_second: Option<f64>) -> Self {
        let min_interval = calls_per_second
            .filter(|r| *r > 0.0 && r.is_finite())
            .map(|r| Duration::from_secs_f64(1.0 / r));
        Self {
            min_interval,
            last_admitted: Mutex::new(HashMap::new()),
        }
    }

    /// The configured minimum interval between two calls of one client, if any.
    #[cfg(test)]
    pub(crate) fn min_interval(&self) -> Option<Duration> {
        self.min_interval
    }

    /// Whether `client` may make a call arriving at `now`; if so, the call is recorded.
    pub(crate) fn admit(&self, client: &str, now: Instant) -> bool {
        let Some(interval) = self.min_interval else {
            return true;
        };
        let grace = (interval / 10).min(Duration::from_millis(10));
        let mut last = self
            .last_admitted
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match last.get(client) {
            Some(prev) if now.saturating_duration_since(*prev) + grace < interval => false,
            _ => {
                last.insert(client.to_owned(), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlimited_admits_everything() {
        let now = Instant::now();
        for rate in [None, Some(0.0), Some(-1.0)] {
            let r = RateLimiter::new(rate);
            assert!(r.min_interval().is_none());
            assert!((0..100).all(|_| r.admit("a", now)));
        }
    }

    #[test]
    fn second_call_within_the_interval_is_refused() {
        let r = RateLimiter::new(Some(1.0));
        let t0 = Instant::now();
        assert!(r.admit("a", t0));
        assert!(!r.admit("a", t0 + Duration::from_millis(500)));
        // Another client has its own budget.
        assert!(r.admit("b", t0 + Duration::from_millis(500)));
        // The refused call did not restart the clock.
        assert!(r.admit("a", t0 + Duration::from_millis(1000)));
        assert!(!r.admit("a", t0 + Duration::from_millis(1500)));
    }

    #[test]
    fn small_jitter_is_forgiven_and_fractional_rates_work() {
        let r = RateLimiter::new(Some(20.0));
        assert_eq!(r.min_interval(), Some(Duration::from_millis(50)));
        let t0 = Instant::now();
        assert!(r.admit("a", t0));
        assert!(r.admit("a", t0 + Duration::from_millis(46)));
        assert!(!r.admit("a", t0 + Duration::from_millis(46 + 30)));

        let r = RateLimiter::new(Some(0.5));
        assert_eq!(r.min_interval(), Some(Duration::from_secs(2)));
    }
}
