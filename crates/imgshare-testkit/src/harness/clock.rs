//! The fake's clock: the system clock plus an offset a test sets, so signature windows, key
//! expiry, rate-limit windows and the timestamps the fake writes can be moved without waiting.
//! A test may also freeze it, so that what it counts does not depend on how fast the machine is.

use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::macros::format_description;

/// The largest offset accepted either way: ten years of 365.25 days, in milliseconds. Anything
/// further is a bug in the test, and the bound keeps every `now ± offset` far from overflow.
pub const MAX_CLOCK_OFFSET_MS: i64 = 315_576_000_000;

/// The system clock (or the instant it was frozen at) plus a bounded offset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    offset_ms: i64,
    /// The system time, in Unix milliseconds, the clock stands still at.
    frozen_at_ms: Option<i64>,
}

/// An offset beyond [`MAX_CLOCK_OFFSET_MS`] was refused; the clock kept its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a clock offset must be within ±10 years (±{} s)", MAX_CLOCK_OFFSET_MS / 1000)]
pub struct ClockError;

impl Clock {
    /// The offset from the system clock, in milliseconds.
    pub fn offset_ms(self) -> i64 {
        self.offset_ms
    }

    /// Sets the offset; refuses one beyond ±10 years.
    pub fn set_offset_ms(&mut self, offset_ms: i64) -> Result<(), ClockError> {
        if offset_ms.unsigned_abs() > MAX_CLOCK_OFFSET_MS.unsigned_abs() {
            return Err(ClockError);
        }
        self.offset_ms = offset_ms;
        Ok(())
    }

    /// Sets the offset in seconds; refuses one beyond ±10 years.
    pub fn set_offset_secs(&mut self, offset_secs: i64) -> Result<(), ClockError> {
        self.set_offset_ms(offset_secs.checked_mul(1000).ok_or(ClockError)?)
    }

    /// Stops the clock at the current system time; the offset still applies, so a test moves
    /// a frozen clock with [`Clock::set_offset_ms`].
    pub fn freeze(&mut self) {
        self.frozen_at_ms = Some(system_ms());
    }

    /// Stops the clock at `unix_ms` exactly (its offset becomes `unix_ms` minus the system
    /// time), so a test can sign with timestamps at a known distance from it; refuses an
    /// instant beyond ±10 years of the system clock and then leaves the clock as it was.
    pub fn freeze_at(&mut self, unix_ms: i64) -> Result<(), ClockError> {
        let system = system_ms();
        self.set_offset_ms(unix_ms.checked_sub(system).ok_or(ClockError)?)?;
        self.frozen_at_ms = Some(system);
        Ok(())
    }

    /// Lets the clock follow the system clock again.
    pub fn unfreeze(&mut self) {
        self.frozen_at_ms = None;
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(self) -> i64 {
        self.frozen_at_ms
            .unwrap_or_else(system_ms)
            .saturating_add(self.offset_ms)
    }

    /// Now, in Unix seconds.
    pub fn now_secs(self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Now as `YYYY-MM-DDThh:mm:ssZ`.
    pub fn now_utc(self) -> String {
        utc(self.now_secs())
    }
}

fn system_ms() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

fn at(unix_ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `YYYY-MM-DDThh:mm:ssZ`, the timestamp form Tencent and SCP answer with.
pub(crate) fn utc(unix_secs: i64) -> String {
    at(unix_secs.saturating_mul(1000))
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default()
}

/// `YYYY-MM-DDThh:mm:ss.mmm+00:00`, with milliseconds.
pub(crate) fn utc_millis(unix_ms: i64) -> String {
    at(unix_ms)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+00:00"
        ))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_bounded_and_never_overflow() {
        let mut clock = Clock::default();
        assert_eq!(clock.set_offset_ms(i64::MIN), Err(ClockError));
        assert_eq!(clock.set_offset_secs(i64::MAX), Err(ClockError));
        assert_eq!(clock.set_offset_secs(315_576_001), Err(ClockError));
        assert_eq!(clock.offset_ms(), 0);
        assert_eq!(clock.set_offset_secs(-315_576_000), Ok(()));
        assert!(clock.now_secs() < Clock::default().now_secs() - 315_000_000);
        let before = Clock::default().now_ms();
        assert_eq!(clock.set_offset_ms(-600_000), Ok(()));
        assert!(clock.now_ms() + 500_000 < before);
    }

    #[test]
    fn a_frozen_clock_moves_only_with_its_offset() {
        let mut clock = Clock::default();
        clock.freeze();
        let at = clock.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(clock.now_ms(), at);
        assert_eq!(clock.set_offset_ms(1000), Ok(()));
        assert_eq!(clock.now_ms(), at + 1000);
        clock.unfreeze();
        assert!(clock.now_ms() >= at + 1000);
        assert_eq!(clock.freeze_at(1_700_000_000_123), Ok(()));
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(clock.now_ms(), 1_700_000_000_123);
        let before = clock;
        assert_eq!(clock.freeze_at(i64::MAX), Err(ClockError));
        assert_eq!(clock, before);
    }

    #[test]
    fn formats() {
        assert_eq!(utc(1551113065), "2019-02-25T16:44:25Z");
        assert_eq!(utc(1_753_174_800), "2025-07-22T09:00:00Z");
        assert_eq!(
            utc_millis(1_780_634_634_505),
            "2026-06-05T04:43:54.505+00:00"
        );
    }
}
