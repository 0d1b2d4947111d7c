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
}

impl fmt::Debug for ReqwestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestClient").finish_non_exhaustive()
    }
}

impl ReqwestClient {
    /// A client with a 10 s connect timeout.
    pub fn new() -> Result<Self, HttpError> {
        Self::with_connect_timeout(Duration::from_secs(10))
    }

    /// A client with the given connect timeout.
    pub fn with_connect_timeout(connect_timeout: Duration) -> Result<Self, HttpError> {
        let builder = reqwest::Client::builder()
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
        Ok(Self { inner })
    }
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

fn classify(error: reqwest::Error) -> HttpError {
    let (kind, sent, message) = if error.is_builder() {
        (HttpErrorKind::Request, RequestSent::No, "invalid request")
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
            let body = response.bytes().await.map_err(classify)?.to_vec();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}
