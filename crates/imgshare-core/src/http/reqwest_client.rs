//! The default [`HttpClient`]: reqwest with pooled connections and rustls (ring provider).

use std::fmt;
use std::time::Duration;

use super::{HttpClient, HttpError, HttpErrorKind, HttpRequest, HttpResponse, Method, RequestSent};
use crate::credentials::BoxFuture;

/// The default HTTP client: connection pooling, a connect timeout, HTTPS through rustls.
///
/// Cheap to clone; clones share the connection pool. Build one per process and hand it to every
/// client (one per account) so they share connections. Redirects are never followed.
///
/// TLS uses rustls with the ring provider, passed to reqwest directly rather than installed
/// process-wide. imgshare enables reqwest's `rustls-no-provider` feature; Cargo unifies features,
/// so a `reqwest::Client` built elsewhere in your program without a TLS feature of its own needs
/// `rustls::crypto::ring::default_provider().install_default()` first.
#[derive(Clone)]
pub struct ReqwestClient {
    inner: reqwest::Client,
    max_response_bytes: usize,
}

impl fmt::Debug for ReqwestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestClient")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl ReqwestClient {
    /// A client with a 10 s connect timeout.
    pub fn new() -> Result<Self, HttpError> {
        Self::with_connect_timeout(Duration::from_secs(10))
    }

    /// A client with the given connect timeout.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, HttpError> {
        Self::build(reqwest::Client::builder(), connect_timeout)
    }

    /// A client that never uses a proxy, whatever `HTTP_PROXY`, `HTTPS_PROXY` or `ALL_PROXY`
    /// say: the default client under `no_proxy(true)`, and always for instance metadata services, which answer only on the machine's own link and
    /// whose answers are keys (the AWS SDKs do the same for IMDS).
    pub fn without_proxy(connect_timeout: Duration) -> Result<Self, HttpError> {
        Self::build(reqwest::Client::builder().no_proxy(), connect_timeout)
    }

    fn build(
        builder: reqwest::ClientBuilder,
        connect_timeout: Duration,
    ) -> Result<Self, HttpError> {
        let builder = builder
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            // Never follow redirects: reqwest would carry X-TC-Token and the NCP/SCP key and
            // signature headers to the new origin. A 3xx reaches the provider's check instead.
            .redirect(reqwest::redirect::Policy::none());
        let builder = with_tls(builder)?;
        let inner = builder.build().map_err(|e| {
            HttpError::new(
                HttpErrorKind::Request,
                RequestSent::No,
                "could not build the HTTP client",
            )
            .with_source(e)
        })?;
        Ok(Self {
            inner,
            max_response_bytes: super::DEFAULT_MAX_RESPONSE_BYTES,
        })
    }

    /// Stops reading a response body at `limit` bytes and fails with
    /// [`HttpErrorKind::ResponseTooLarge`] (default [`DEFAULT_MAX_RESPONSE_BYTES`]). A
    /// `Content-Length` above the limit fails before any of the body is read.
    ///
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]: super::DEFAULT_MAX_RESPONSE_BYTES
    pub fn with_max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// The response body limit.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

/// Reads the body chunk by chunk, never holding more than `limit` bytes: an endless or lying
/// body costs at most the limit in memory.
async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, HttpError> {
    let declared = response.content_length();
    if let Some(length) = declared
        && length > limit as u64
    {
        return Err(super::too_large(limit, Some(length)));
    }
    // The declared length may lie: reserve at most the limit.
    let reserve = declared.map_or(0, |l| usize::try_from(l).unwrap_or(limit).min(limit));
    let mut body = Vec::with_capacity(reserve);
    while let Some(chunk) = response.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > limit {
            return Err(super::too_large(limit, declared));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(feature = "rustls")]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, HttpError> {
    use rustls_platform_verifier::BuilderVerifierExt as _;
    use std::sync::Arc;
    // Hand ring to rustls explicitly instead of installing a process-wide default, which would
    // change the TLS of other crates in the user's program.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |e: rustls::Error| {
        HttpError::new(
            HttpErrorKind::Request,
            RequestSent::No,
            "could not set up TLS",
        )
        .with_source(e)
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_platform_verifier()
        .map_err(tls_error)?
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(not(feature = "rustls"))]
fn with_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, HttpError> {
    Ok(builder)
}

/// Whether rustls refused the connection (a certificate it does not trust, a handshake that
/// is not TLS). rustls' error sits inside `io::Error`s (nested, at times), whose `source()`
/// skips what they wrap, so each one's `get_ref()` is looked into too.
#[cfg(feature = "rustls")]
fn is_tls(error: &reqwest::Error) -> bool {
    fn wraps_rustls(error: &(dyn std::error::Error + 'static)) -> bool {
        if error.is::<rustls::Error>() {
            return true;
        }
        match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => wraps_rustls(inner),
            None => false,
        }
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(c) = cause {
        if wraps_rustls(c) {
            return true;
        }
        cause = c.source();
    }
    false
}

#[cfg(not(feature = "rustls"))]
fn is_tls(_: &reqwest::Error) -> bool {
    false
}

fn classify(error: reqwest::Error) -> HttpError {
    let (kind, sent, message) = if error.is_builder() {
        (HttpErrorKind::Request, RequestSent::No, "invalid request")
    } else if error.is_connect() && is_tls(&error) {
        (
            HttpErrorKind::Tls,
            RequestSent::No,
            "the server's certificate was refused or it does not speak TLS; not retried (a \
             private CA can be trusted through SSL_CERT_FILE)",
        )
    } else if error.is_connect() {
        (HttpErrorKind::Connect, RequestSent::No, "connection failed")
    } else if error.is_timeout() {
        (
            HttpErrorKind::Timeout,
            RequestSent::Maybe,
            "no response in time",
        )
    } else {
        (
            HttpErrorKind::Io,
            RequestSent::Maybe,
            "the connection closed before a complete response",
        )
    };
    // reqwest's message names the URL; keep it (URLs carry no secrets here).
    HttpError::new(kind, sent, message).with_source(error.without_url())
}

impl HttpClient for ReqwestClient {
    fn send(
        &self,
        request: HttpRequest,
        timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let method = match request.method {
                Method::Get => reqwest::Method::GET,
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
                Method::Delete => reqwest::Method::DELETE,
            };
            let mut builder = self.inner.request(method, request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            if let Some(t) = timeout {
                builder = builder.timeout(t);
            }
            let response = builder.body(request.body).send().await.map_err(classify)?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = read_bounded(response, self.max_response_bytes).await?;
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
