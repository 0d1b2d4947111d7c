//! Timeouts: connect, per attempt, and the whole operation (all attempts and waits).

use std::time::Duration;

/// Timeout settings. `None` means no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutConfig {
    /// Establishing a connection (applies when the default HTTP client is built).
    pub connect: Duration,
    /// One attempt: send and read the whole response.
    pub attempt: Option<Duration>,
    /// The whole operation, retries and backoff included.
    pub operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// Connect 10 s, attempt 60 s (the official SDKs' request timeout), operation 3 min.
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Some(Duration::from_secs(60)),
            operation: Some(Duration::from_secs(180)),
        }
    }
}

impl TimeoutConfig {
    /// Sets the connect timeout.
    pub fn with_connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn with_attempt(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// Sets the whole-operation timeout.
    pub fn with_operation(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }
}
