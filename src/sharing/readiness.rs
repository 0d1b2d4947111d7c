//! Whether an image can be shared now, and why not ([`Readiness`]), as
//! [`ImageSharing::readiness`] reads it before any write; and [`wait_until_shareable`], which
//! polls it, bounded, until the image is ready.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::{ImageSharing, SharingError};

/// One reason an image cannot be shared now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NotReady {
    /// What is wrong, in words (names the provider's own field and value).
    pub reason: String,
    /// Whether waiting may help (an image still being created), or never will (a BYOL image,
    /// a failed image, an SCP image whose visibility is not `shared`).
    pub may_pass: bool,
}

impl NotReady {
    /// A reason waiting may clear.
    pub fn transient(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            may_pass: true,
        }
    }

    /// A reason waiting will not clear.
    pub fn lasting(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            may_pass: false,
        }
    }
}

/// Whether an image can be shared now, as its provider describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Readiness {
    /// The image's state in the provider's words (`NORMAL`, `CREAT`, `active`), when read.
    pub state: Option<String>,
    /// Why it cannot be shared; empty when it can.
    pub not_ready: Vec<NotReady>,
}

impl Readiness {
    /// Ready, in `state`.
    pub fn ready(state: impl Into<String>) -> Self {
        Self {
            state: Some(state.into()),
            not_ready: Vec::new(),
        }
    }

    /// Adds a reason.
    pub fn with(mut self, reason: NotReady) -> Self {
        self.not_ready.push(reason);
        self
    }

    /// Whether the image can be shared now.
    pub fn is_ready(&self) -> bool {
        self.not_ready.is_empty()
    }

    /// Whether waiting may make it ready: not ready, and every reason may pass.
    pub fn may_become_ready(&self) -> bool {
        !self.is_ready() && self.not_ready.iter().all(|r| r.may_pass)
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ready() {
            return f.write_str("shareable");
        }
        let reasons: Vec<&str> = self.not_ready.iter().map(|r| r.reason.as_str()).collect();
        write!(f, "not shareable: {}", reasons.join("; "))
    }
}

/// How [`wait_until_shareable`] polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The longest the wait lasts (default 10 minutes).
    pub timeout: Duration,
    /// The pause between two reads (default 10 s).
    pub interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(10),
        }
    }
}

impl WaitOptions {
    /// Waits at most `timeout`, reading every 10 s (or twice within a shorter timeout):
    /// `--wait-ready DURATION`.
    pub fn within(timeout: Duration) -> Self {
        let interval = WaitOptions::default().interval.min(timeout / 2);
        Self::new(timeout, interval)
    }

    /// Waits at most `timeout`, reading every `interval` (at least 1 ms apart).
    pub fn new(timeout: Duration, interval: Duration) -> Self {
        Self {
            timeout,
            interval: interval.max(Duration::from_millis(1)),
        }
    }
}

/// Why [`wait_until_shareable`] gave up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The image will not become shareable by waiting (the last reading says why).
    #[error("{image}: {last}; waiting will not change that")]
    Never {
        /// The image.
        image: String,
        /// The last reading.
        last: Readiness,
    },
    /// The time ran out; the last reading says why the image was still not shareable.
    #[error("{image}: still {last} after {waited:?} ({reads} reads)")]
    TimedOut {
        /// The image.
        image: String,
        /// The last reading.
        last: Readiness,
        /// How long was waited.
        waited: Duration,
        /// How many times the image was read.
        reads: u32,
    },
    /// The image could not be read.
    #[error(transparent)]
    Sharing(#[from] SharingError),
}

/// Reads `image`'s [`Readiness`] every `options.interval` until it is shareable, for at most
/// `options.timeout`: no read starts after it (the last read may end after it by its own
/// duration, which the client's timeouts bound). Returns the ready reading.
///
/// # Errors
///
/// [`WaitError::Never`] at once when a reason cannot pass by waiting, [`WaitError::TimedOut`]
/// with the last reading, or the read's own error.
pub async fn wait_until_shareable(
    sharing: &(impl ImageSharing + ?Sized),
    image: &str,
    options: WaitOptions,
) -> Result<Readiness, WaitError> {
    let start = tokio::time::Instant::now();
    let mut reads = 0;
    loop {
        let last = sharing.readiness(image).await?;
        reads += 1;
        if last.is_ready() {
            return Ok(last);
        }
        if !last.may_become_ready() {
            let image = image.to_owned();
            return Err(WaitError::Never { image, last });
        }
        let waited = start.elapsed();
        if waited + options.interval > options.timeout {
            let image = image.to_owned();
            return Err(WaitError::TimedOut {
                image,
                last,
                waited,
                reads,
            });
        }
        tokio::time::sleep(options.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_timeout_still_reads_more_than_once() {
        let w = WaitOptions::within(Duration::from_secs(4));
        assert_eq!(
            (w.timeout, w.interval),
            (Duration::from_secs(4), Duration::from_secs(2))
        );
        let w = WaitOptions::within(Duration::from_secs(600));
        assert_eq!(w.interval, Duration::from_secs(10));
        assert_eq!(
            WaitOptions::within(Duration::ZERO).interval,
            Duration::from_millis(1)
        );
    }
}
