//! The fixed pipeline every operation runs through:
//! loop { resolve credentials → sign (fresh time) → send → check } with retries and timeouts.
//!
//! Provider crates build the unsigned [`HttpRequest`] and say how to tell a success from an error
//! (Tencent answers errors with HTTP 200, NCP in the body, SCP in the status); the runtime does
//! the rest. One `tracing` span per operation; per attempt, debug events for its start, its
//! status, the backoff and the retry decision, and trace events for the request line (method
//! and URL) and the response status. None ever carries a header, a body, a secret, a signature
//! or a string to sign.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use tracing::Instrument as _;

use crate::clock::{Clock, SystemClock};
use crate::credentials::ProvideCredentials;
use crate::error::{DispatchError, Error, ErrorKind, TimeoutError, TimeoutKind};
use crate::http::{HttpClient, HttpErrorKind, HttpRequest, HttpResponse, RequestSent, USER_AGENT};
use crate::identity_cache::IdentityCache;
use crate::retry::{RetryConfig, should_retry};
use crate::sign::{SignableRequest, Signer};
use crate::timeout::TimeoutConfig;

/// Tells a success from an error: `Ok(())` for a success, otherwise a [`Error::Service`] or
/// [`Error::Response`] whose [`Error::kind`] drives the retry decision.
pub type CheckResponse<'a> = &'a (dyn Fn(&HttpResponse) -> Result<(), Error> + Send + Sync);

/// One operation call, ready to sign.
#[derive(Debug, Clone)]
pub struct OperationCall {
    /// The operation's wire name (for logs).
    pub name: &'static str,
    /// Whether repeating it is harmless (reads); mutating calls are retried only when nothing
    /// can have been applied.
    pub idempotent: bool,
    /// The unsigned request.
    pub request: HttpRequest,
}

/// Everything a client needs to call a provider; shared by all its operations.
#[derive(Clone)]
pub struct Runtime {
    provider: &'static str,
    user_agent: String,
    http: Arc<dyn HttpClient>,
    credentials: Arc<dyn ProvideCredentials>,
    signer: Arc<dyn Signer>,
    clock: Arc<dyn Clock>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    /// How far the servers' clock is ahead of ours, in ms, learnt from `Date` headers; `None`
    /// when clock-skew correction is off.
    skew_ms: Option<Arc<AtomicI64>>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("provider", &self.provider)
            .field("user_agent", &self.user_agent)
            .field("http", &self.http)
            .field("credentials", &self.credentials)
            .field("signer", &self.signer)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("clock_skew_correction", &self.skew_ms.is_some())
            .finish()
    }
}

/// Builds a [`Runtime`].
#[derive(Debug)]
pub struct RuntimeBuilder {
    provider: &'static str,
    user_agent_suffix: Option<String>,
    http: Option<Arc<dyn HttpClient>>,
    credentials: Arc<dyn ProvideCredentials>,
    signer: Arc<dyn Signer>,
    clock: Arc<dyn Clock>,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    max_response_bytes: Option<usize>,
    no_proxy: bool,
    clock_given: bool,
    skew_correction: Option<bool>,
}

impl RuntimeBuilder {
    /// Whether to correct the signing time by the server's clock, learnt from each response's
    /// `Date` header, as aws-sdk-rust does (default: on, unless a [`Clock`] was given with
    /// [`RuntimeBuilder::clock`], which is then trusted as is). With it, a request refused for
    /// its timestamp is retried once with the corrected time.
    pub fn clock_skew_correction(mut self, enabled: bool) -> Self {
        self.skew_correction = Some(enabled);
        self
    }

    /// Limits response bodies read by the default HTTP client (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::http::DEFAULT_MAX_RESPONSE_BYTES)); a client given
    /// with [`RuntimeBuilder::http_client`] keeps its own limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// With `true`, the default HTTP client ignores the proxy variables and connects directly
    /// (see [`ReqwestClient::without_proxy`](crate::ReqwestClient::without_proxy)); a client
    /// given with [`RuntimeBuilder::http_client`] keeps its own proxy settings.
    pub fn no_proxy(mut self, no_proxy: bool) -> Self {
        self.no_proxy = no_proxy;
        self
    }

    /// Appends `name/version` to the `User-Agent` (the provider crate's own name).
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Uses this HTTP client instead of a new [`ReqwestClient`](crate::ReqwestClient).
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// Uses this clock for signing (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self.clock_given = true;
        self
    }

    /// Sets the retry configuration.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the timeouts.
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Builds the runtime, creating the default HTTP client if none was given.
    pub fn build(self) -> Result<Runtime, Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                let connect = self.timeouts.connect;
                let client = if self.no_proxy {
                    crate::http::ReqwestClient::without_proxy(connect)
                } else {
                    crate::http::ReqwestClient::with_connect_timeout(connect)
                }
                .map_err(|source| DispatchError {
                    source,
                    attempts: 0,
                })?;
                Arc::new(match self.max_response_bytes {
                    Some(limit) => client.with_max_response_bytes(limit),
                    None => client,
                })
            }
        };
        let user_agent = match self.user_agent_suffix {
            Some(s) => format!("{USER_AGENT} {s}"),
            None => USER_AGENT.to_owned(),
        };
        Ok(Runtime {
            provider: self.provider,
            user_agent,
            http,
            // Resolved once and reused until shortly before expiry, whatever the source.
            credentials: Arc::new(IdentityCache::new(self.credentials)),
            signer: self.signer,
            clock: self.clock,
            retry: self.retry,
            timeouts: self.timeouts,
            skew_ms: self
                .skew_correction
                .unwrap_or(!self.clock_given)
                .then(|| Arc::new(AtomicI64::new(0))),
        })
    }
}

impl Runtime {
    /// Starts a runtime for `provider` (a short name for logs: `tencent`, `ncloud`, `scp`).
    pub fn builder(
        provider: &'static str,
        credentials: Arc<dyn ProvideCredentials>,
        signer: Arc<dyn Signer>,
    ) -> RuntimeBuilder {
        RuntimeBuilder {
            provider,
            user_agent_suffix: None,
            http: None,
            credentials,
            signer,
            clock: Arc::new(SystemClock),
            retry: RetryConfig::standard(),
            timeouts: TimeoutConfig::default(),
            max_response_bytes: None,
            no_proxy: false,
            clock_given: false,
            skew_correction: None,
        }
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The retry configuration.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// Runs one operation: signs and sends it, retrying as [`RetryConfig`] and the retry rule
    /// allow, and returns the successful response.
    pub async fn invoke(
        &self,
        call: OperationCall,
        check: CheckResponse<'_>,
    ) -> Result<HttpResponse, Error> {
        let span = tracing::info_span!(
            "imgshare.operation",
            provider = self.provider,
            operation = call.name,
        );
        let attempts = AtomicU32::new(0);
        let run = self.attempts(&call, check, &attempts);
        let result = match self.timeouts.operation {
            Some(limit) => match tokio::time::timeout(limit, run)
                .instrument(span.clone())
                .await
            {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout(TimeoutError {
                    kind: TimeoutKind::Operation,
                    after: limit,
                    attempts: attempts.load(Ordering::Relaxed),
                })),
            },
            None => run.instrument(span.clone()).await,
        };
        if let Err(e) = &result {
            span.in_scope(|| {
                tracing::debug!(
                    error.code = e.code(),
                    error.request_id = e.request_id(),
                    "operation failed"
                )
            });
        }
        result
    }

    async fn attempts(
        &self,
        call: &OperationCall,
        check: CheckResponse<'_>,
        attempts: &AtomicU32,
    ) -> Result<HttpResponse, Error> {
        let max = self.retry.max_attempts();
        let mut attempt = 0;
        loop {
            attempt += 1;
            attempts.store(attempt, Ordering::Relaxed);
            tracing::debug!(attempt, max_attempts = max, "attempt");
            let outcome = self.attempt(call, check).await;
            let (error, sent, retry_after) = match outcome {
                Ok(response) => {
                    tracing::debug!(attempt, status = response.status, "attempt succeeded");
                    return Ok(response);
                }
                Err(AttemptError::Final(e)) => {
                    tracing::debug!(
                        attempt,
                        error.code = e.code(),
                        status = e.http_status(),
                        "attempt failed; not retryable"
                    );
                    return Err(e);
                }
                Err(AttemptError::Retryable(e, sent, retry_after)) => (e, sent, retry_after),
            };
            let retry = attempt < max
                && error
                    .kind()
                    .is_some_and(|kind| should_retry(kind, sent, call.idempotent));
            if !retry {
                tracing::debug!(
                    attempt,
                    error.code = error.code(),
                    status = error.http_status(),
                    "attempt failed; not retrying"
                );
                return Err(with_attempts(error, attempt));
            }
            // A server's Retry-After wins over our backoff, capped by the configured maximum.
            let wait = match retry_after {
                Some(after) => after.min(self.retry.max_backoff()),
                None => self.retry.backoff(attempt),
            };
            tracing::debug!(
                attempt,
                error.code = error.code(),
                status = error.http_status(),
                backoff_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "attempt failed; retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        call: &OperationCall,
        check: CheckResponse<'_>,
    ) -> Result<HttpResponse, AttemptError> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| AttemptError::Final(e.into()))?;
        let mut request = call.request.clone();
        request
            .headers
            .push(("User-Agent".to_owned(), self.user_agent.clone()));
        let skew_used = self
            .skew_ms
            .as_ref()
            .map_or(0, |s| s.load(Ordering::Relaxed));
        // Sign what will be sent, with a fresh timestamp for every attempt.
        let instructions = {
            let mut signable =
                SignableRequest::new(request.method.as_str(), &request.url, &request.body);
            for (name, value) in &request.headers {
                signable = signable
                    .header(name, value)
                    .map_err(|e| AttemptError::Final(e.into()))?;
            }
            self.signer
                .sign(&signable, &credentials, self.signing_time(skew_used))
                .map_err(|e| AttemptError::Final(e.into()))?
        };
        for (name, value) in instructions.into_headers() {
            request.headers.push((name.to_owned(), value));
        }

        // The request line only: headers carry the signature, bodies may carry anything.
        tracing::trace!(method = %request.method, url = %request.url, "sending request");
        let send = self.http.send(request, self.timeouts.attempt);
        let sent = match self.timeouts.attempt {
            // The client was told the timeout too; this is the backstop for custom clients.
            Some(limit) => tokio::time::timeout(limit, send).await.unwrap_or_else(|_| {
                Err(crate::http::HttpError::new(
                    HttpErrorKind::Timeout,
                    RequestSent::Maybe,
                    "no response in time",
                ))
            }),
            None => send.await,
        };
        match sent {
            Ok(response) => {
                tracing::trace!(
                    status = response.status,
                    bytes = response.body.len(),
                    "response received"
                );
                let learnt = self.learn_skew(&response);
                match check(&response) {
                    Ok(()) => Ok(response),
                    Err(Error::Service(e)) if e.kind() == ErrorKind::ClockSkew => {
                        let measured =
                            learnt.or_else(|| server_skew_ms(&response, self.clock.now()));
                        let error = match measured {
                            Some(ms) => e.with_clock_skew_secs(ms / 1000),
                            None => e,
                        };
                        // Worth another attempt only when the correction moved the signing time.
                        match learnt {
                            Some(ms) if (ms - skew_used).abs() >= 1000 => {
                                Err(AttemptError::Retryable(
                                    Error::Service(error),
                                    RequestSent::No,
                                    Some(Duration::ZERO),
                                ))
                            }
                            _ => Err(AttemptError::Final(Error::Service(error))),
                        }
                    }
                    Err(e) => Err(AttemptError::Retryable(
                        e,
                        RequestSent::Maybe,
                        retry_after(&response, || self.clock.now()),
                    )),
                }
            }
            Err(http) if http.kind() == HttpErrorKind::Timeout => Err(AttemptError::Retryable(
                Error::Timeout(TimeoutError {
                    kind: TimeoutKind::Attempt,
                    after: self.timeouts.attempt.unwrap_or_default(),
                    attempts: 1,
                }),
                RequestSent::Maybe,
                None,
            )),
            // A request the HTTP stack refuses to build can never be sent, and a refused
            // certificate will not change between attempts: do not retry either.
            Err(http) if matches!(http.kind(), HttpErrorKind::Request | HttpErrorKind::Tls) => {
                Err(AttemptError::Final(Error::Dispatch(DispatchError {
                    source: http,
                    attempts: 1,
                })))
            }
            Err(http) => {
                let sent = http.request_sent();
                Err(AttemptError::Retryable(
                    Error::Dispatch(DispatchError {
                        source: http,
                        attempts: 1,
                    }),
                    sent,
                    None,
                ))
            }
        }
    }
}

impl Runtime {
    /// The time to sign with: the clock, corrected by the skew learnt so far.
    fn signing_time(&self, skew_ms: i64) -> SystemTime {
        let now = self.clock.now();
        let offset = Duration::from_millis(skew_ms.unsigned_abs());
        let corrected = if skew_ms >= 0 {
            now.checked_add(offset)
        } else {
            now.checked_sub(offset)
        };
        corrected.unwrap_or(now)
    }

    /// Records the server's clock from a response's `Date` header, when correction is on;
    /// returns the skew it learnt.
    fn learn_skew(&self, response: &HttpResponse) -> Option<i64> {
        let store = self.skew_ms.as_ref()?;
        let skew = server_skew_ms(response, self.clock.now())?;
        store.store(skew, Ordering::Relaxed);
        Some(skew)
    }
}

/// 9999-01-01T00:00:00Z: `Date` headers from then on are ignored (the signers stop at 9999).
const LAST_SIGNABLE_DATE: i64 = 253_370_764_800;

/// How far the server's clock (its `Date` header, one-second resolution) is ahead of `now`, in
/// milliseconds; within a second counts as none. A `Date` before 1970 or in the year 9999 is
/// ignored (`None`).
pub fn server_skew_ms(response: &HttpResponse, now: SystemTime) -> Option<i64> {
    let date = response.header("date")?.trim();
    let format = time::format_description::well_known::Rfc2822;
    let server = time::OffsetDateTime::parse(date, &format).ok()?;
    // A Date the signers cannot sign with (before 1970, or in the year 9999) is ignored: learnt,
    // it would put every later signing time out of range, nothing would be sent any more, and
    // no later Date could correct it (found by the fuzz run; tests/regressions_fuzz.rs).
    if !(0..LAST_SIGNABLE_DATE).contains(&server.unix_timestamp()) {
        return None;
    }
    let server = SystemTime::from(server);
    let skew = match server.duration_since(now) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).ok()?,
        Err(behind) => -i64::try_from(behind.duration().as_millis()).ok()?,
    };
    Some(if skew.abs() < 1000 { 0 } else { skew })
}

enum AttemptError {
    Final(Error),
    /// The error, whether the request may have been applied, and the server's Retry-After.
    Retryable(Error, RequestSent, Option<Duration>),
}

/// The `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP date, read against
/// `now` (asked only for a date). A date in the past means "now"; an unreadable value is ignored.
pub fn retry_after(response: &HttpResponse, now: impl FnOnce() -> SystemTime) -> Option<Duration> {
    let value = response.header("retry-after")?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let format = time::format_description::well_known::Rfc2822;
    let date = time::OffsetDateTime::parse(value, &format).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now()).unwrap_or(Duration::ZERO))
}

fn with_attempts(error: Error, attempts: u32) -> Error {
    match error {
        Error::Dispatch(mut e) => {
            e.attempts = attempts;
            Error::Dispatch(e)
        }
        Error::Timeout(mut e) => {
            e.attempts = attempts;
            Error::Timeout(e)
        }
        other => other,
    }
}
