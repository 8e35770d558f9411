//! When a failed call may be sent again.
//!
//! Submitting a time report is not idempotent: a request that may have reached the server must
//! never be sent twice, or the agency could register the report twice. So the only retry is for
//! a request that provably was not sent: no connection could be made (refused, name not
//! resolved, connect timeout), or TLS failed during the handshake, before any request byte was
//! written. Timeouts after connecting, TLS failures after the handshake, broken connections,
//! HTTP statuses and faults are never retried.

use crate::error::TransportError;

/// How many times to try a call whose request provably was not sent (no connection, or a
/// failed TLS handshake). Off by default.
///
/// Each attempt takes its own slot of the client's rate limiter, so retries keep the spacing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included; 0 counts as 1.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// One attempt: no retry.
    fn default() -> Self {
        Self::none()
    }
}

impl RetryPolicy {
    /// No retry (one attempt).
    pub const fn none() -> Self {
        Self { max_attempts: 1 }
    }

    /// Up to `max_attempts` attempts in total while the request provably was not sent.
    pub const fn attempts(max_attempts: u32) -> Self {
        Self { max_attempts }
    }

    /// Whether to try again after `error` on attempt number `attempt` (1-based).
    pub fn should_retry(&self, error: &TransportError, attempt: u32) -> bool {
        attempt < self.max_attempts.max(1) && Self::is_retriable(error)
    }

    /// Whether `error` proves the request was not sent (see
    /// [`TransportError::request_not_sent`]).
    pub fn is_retriable(error: &TransportError) -> bool {
        error.request_not_sent()
    }
}
