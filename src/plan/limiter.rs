//! A small client-side rate limiter: each caller reserves the next free slot, then sleeps until
//! it, so requests leave at most `1 / interval` per second and throttling is avoided rather
//! than retried.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// The share of a documented limit the limiter uses. Providers count requests in a sliding
/// one-second window as they arrive; requests leaving exactly `1 / limit` apart can still arrive
/// closer together (scheduling and network jitter), and the eleventh in a second is throttled.
/// Two per cent of headroom absorbs 20 ms of jitter per ten requests.
pub(crate) const HEADROOM: f64 = 0.98;

/// Spaces requests at least `interval` apart (one limiter per provider and action).
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter for a documented limit of `per_second` requests each second: one request per
    /// `1 / (per_second × HEADROOM)` seconds. A rate that is not positive lets everything
    /// through.
    pub fn per_second(per_second: f64) -> Self {
        let interval = if per_second > 0.0 && per_second.is_finite() {
            Duration::from_secs_f64(1.0 / (per_second * HEADROOM))
        } else {
            Duration::ZERO
        };
        Self {
            interval,
            next: Mutex::new(None),
        }
    }

    /// The spacing between two requests.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for the next free slot.
    pub async fn acquire(&self) {
        let slot = {
            let mut next = self.next.lock().await;
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_that_is_not_positive_and_finite_lets_everything_through() {
        for rate in [0.0, -1.0, f64::INFINITY, f64::NAN] {
            assert_eq!(
                RateLimiter::per_second(rate).interval(),
                Duration::ZERO,
                "{rate}"
            );
        }
        assert_eq!(
            RateLimiter::per_second(10.0).interval(),
            Duration::from_secs_f64(0.1 / HEADROOM)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn requests_are_spaced_by_the_interval() {
        let limiter = RateLimiter::per_second(10.0);
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire().await;
        }
        // The first goes at once, then one every 100 ms / HEADROOM (about 102 ms).
        let expected = Duration::from_secs_f64(2.0 / HEADROOM);
        let elapsed = start.elapsed();
        assert!(
            elapsed >= expected && elapsed < expected + Duration::from_millis(5),
            "{elapsed:?}"
        );
    }
}
