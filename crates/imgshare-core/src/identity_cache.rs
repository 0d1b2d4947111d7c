//! Resolving credentials once and reusing them until shortly before they expire.
//!
//! Every attempt of every operation asks for credentials. Without a cache each ask would read
//! the environment, a profile file or a metadata service again; with it, the first caller
//! resolves, concurrent callers wait for that one resolution (one refresh, not a stampede), and
//! later callers reuse the result until [`IdentityCache::buffer`] before its expiry. Long-lived
//! keys (no expiry) are resolved once per cache.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use crate::clock::{Clock, SystemClock};
use crate::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};

/// How long before expiry temporary credentials are refreshed by default (5 minutes: a request
/// signed just before expiry must still be accepted when it arrives, and Tencent and NCP accept a
/// timestamp up to 5 minutes old).
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(300);

/// A caching [`ProvideCredentials`] around another provider. Cheap to clone; clones share the
/// cache. The runtime wraps every client's provider in one.
#[derive(Clone)]
pub struct IdentityCache {
    inner: Arc<dyn ProvideCredentials>,
    cached: Arc<Mutex<Option<Credentials>>>,
    buffer: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for IdentityCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityCache")
            .field("inner", &self.inner)
            .field("buffer", &self.buffer)
            .finish_non_exhaustive()
    }
}

impl IdentityCache {
    /// Caches `inner` with the default refresh buffer and the system clock.
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            inner,
            cached: Arc::new(Mutex::new(None)),
            buffer: DEFAULT_REFRESH_BUFFER,
            clock: Arc::new(SystemClock),
        }
    }

    /// Refreshes this long before expiry.
    pub fn with_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    /// Reads time from `clock` (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The refresh buffer.
    pub fn buffer(&self) -> Duration {
        self.buffer
    }

    /// Forgets the cached credentials; the next call resolves again.
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    fn fresh(&self, credentials: &Credentials) -> bool {
        match credentials.expiry() {
            None => true,
            Some(expiry) => self
                .clock
                .now()
                .checked_add(self.buffer)
                .is_some_and(|deadline| deadline < expiry),
        }
    }
}

impl ProvideCredentials for IdentityCache {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // Held across the resolution: concurrent callers wait for one refresh.
            let mut cached = self.cached.lock().await;
            if let Some(credentials) = cached.as_ref().filter(|c| self.fresh(c)) {
                return Ok(credentials.clone());
            }
            let credentials = self.inner.provide_credentials().await?;
            if !self.fresh(&credentials) {
                tracing::warn!(
                    source = credentials.source(),
                    "credentials expire within the refresh buffer; using them once"
                );
                return Ok(credentials);
            }
            *cached = Some(credentials.clone());
            Ok(credentials)
        })
    }
}

/// `SystemTime` plus `secs` seconds, saturating (for expiry arithmetic in providers).
pub fn after_secs(time: SystemTime, secs: u64) -> SystemTime {
    time.checked_add(Duration::from_secs(secs)).unwrap_or(time)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug)]
    struct Counting {
        calls: AtomicU32,
        lifetime: Option<Duration>,
        start: SystemTime,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                // A slow source, so concurrent callers overlap.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let c = Credentials::new(format!("AKID{n}"), "secret", None, "test")?;
                Ok(match self.lifetime {
                    Some(l) => c.with_expiry(self.start + l),
                    None => c,
                })
            })
        }
    }

    fn source(lifetime: Option<Duration>, start: SystemTime) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicU32::new(0),
            lifetime,
            start,
        })
    }

    /// A clock the test moves.
    #[derive(Debug)]
    struct Manual(std::sync::Mutex<SystemTime>);

    impl Clock for Manual {
        fn now(&self) -> SystemTime {
            *self.0.lock().unwrap()
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn long_lived_keys_resolve_once_even_when_asked_concurrently() {
        let inner = source(None, SystemTime::now());
        let cache = IdentityCache::new(inner.clone());
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().access_id(), "AKID1");
        }
        assert_eq!(inner.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn temporary_credentials_refresh_before_expiry() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let inner = source(Some(Duration::from_secs(3600)), start);
        let clock = Arc::new(Manual(std::sync::Mutex::new(start)));
        let cache = IdentityCache::new(inner.clone()).with_clock(clock.clone());
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_id(),
            "AKID1"
        );
        *clock.0.lock().unwrap() = start + Duration::from_secs(3600 - 301);
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_id(),
            "AKID1"
        );
        *clock.0.lock().unwrap() = start + Duration::from_secs(3600 - 299);
        // Inside the 5-minute buffer: refreshed (this source hands out the same expiry again, so
        // the new credentials are used once and not cached).
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_id(),
            "AKID2"
        );
        assert_eq!(inner.calls.load(Ordering::SeqCst), 2);
        cache.invalidate().await;
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_id(),
            "AKID3"
        );
    }
}
