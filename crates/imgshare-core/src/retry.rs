//! Retry configuration and the rule that decides whether an attempt is retried.
//!
//! The rule ([`should_retry`]):
//! - throttling answers are always retried: the server refused the request, nothing was applied;
//! - a connection that failed before the request was written is always retried, except a
//!   failed TLS handshake (an untrusted certificate stays untrusted);
//! - transient failures after the request may have been sent (timeouts, a reset mid-exchange)
//!   and server errors are retried only for idempotent operations (reads), because a mutating
//!   call such as "share this image" may already have been applied;
//! - client errors are never retried (nor an unsendable request, a refused certificate or an
//!   oversized response, which [`Error::kind`](crate::Error::kind) counts as client errors).
//!
//! Every attempt is signed afresh, with a new timestamp.

use std::time::Duration;

use crate::error::ErrorKind;
use crate::http::RequestSent;

/// How many attempts, and how long to wait between them.
///
/// The wait before retry *n* (n ≥ 1) is a random duration in
/// `[0, min(max_backoff, initial_backoff · 2^(n-1))]` ("full jitter").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts, 1 s initial backoff, 20 s cap (the AWS SDKs' standard mode).
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt, no retries.
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Sets the number of attempts, the first included (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the base of the exponential backoff.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Sets the cap of the backoff.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Attempts, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Base of the backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// Cap of the backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The upper bound of the wait before retry `retry` (1 for the first retry).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// A random wait in `[0, backoff_ceiling(retry)]`.
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_ceiling(retry).mul_f64(fastrand::f64())
    }
}

/// Whether a failed attempt may be retried (see the module docs for the rule).
pub fn should_retry(kind: ErrorKind, sent: RequestSent, idempotent: bool) -> bool {
    match kind {
        // Nothing was applied; the runtime retries only when its clock correction changed.
        ErrorKind::Throttling | ErrorKind::ClockSkew => true,
        ErrorKind::Client => false,
        ErrorKind::Transient | ErrorKind::Server => idempotent || sent == RequestSent::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let c = RetryConfig::standard();
        assert_eq!(c.backoff_ceiling(1), Duration::from_secs(1));
        assert_eq!(c.backoff_ceiling(2), Duration::from_secs(2));
        assert_eq!(c.backoff_ceiling(5), Duration::from_secs(16));
        assert_eq!(c.backoff_ceiling(6), Duration::from_secs(20));
        assert_eq!(c.backoff_ceiling(200), Duration::from_secs(20));
        for retry in 1..10 {
            assert!(c.backoff(retry) <= c.backoff_ceiling(retry));
        }
    }

    #[test]
    fn settings_are_kept_and_read_back() {
        let c = RetryConfig::standard();
        assert_eq!(c.max_attempts(), 3);
        assert_eq!(c.initial_backoff(), Duration::from_secs(1));
        assert_eq!(c.max_backoff(), Duration::from_secs(20));
        let c = c
            .with_max_attempts(5)
            .with_initial_backoff(Duration::from_millis(7))
            .with_max_backoff(Duration::from_millis(70));
        assert_eq!(c.max_attempts(), 5);
        assert_eq!(c.initial_backoff(), Duration::from_millis(7));
        assert_eq!(c.max_backoff(), Duration::from_millis(70));
        assert_eq!(c.backoff_ceiling(3), Duration::from_millis(28));
        assert_eq!(c.backoff_ceiling(5), Duration::from_millis(70));
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
    }

    #[test]
    fn backoff_is_jittered_over_the_whole_range() {
        // A seeded generator: the draws are the same on every run, so this is not flaky.
        fastrand::seed(20);
        let c = RetryConfig::standard();
        let waits: Vec<Duration> = (0..64).map(|_| c.backoff(3)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_secs(4)));
        // Full jitter: both halves of [0, ceiling] are used, so neither "no wait" nor "always
        // the ceiling" passes.
        assert!(waits.iter().any(|w| *w < Duration::from_secs(2)));
        assert!(waits.iter().any(|w| *w > Duration::from_secs(2)));
    }

    #[test]
    fn mutating_calls_retry_only_when_nothing_was_applied() {
        assert!(should_retry(
            ErrorKind::Throttling,
            RequestSent::Maybe,
            false
        ));
        assert!(should_retry(ErrorKind::Transient, RequestSent::No, false));
        assert!(!should_retry(
            ErrorKind::Transient,
            RequestSent::Maybe,
            false
        ));
        assert!(!should_retry(ErrorKind::Server, RequestSent::Maybe, false));
        assert!(should_retry(ErrorKind::Server, RequestSent::Maybe, true));
        assert!(!should_retry(ErrorKind::Client, RequestSent::No, true));
    }

    #[test]
    fn disabled_means_one_attempt() {
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
