//! The HTTP layer: our own small request and response types and the [`HttpClient`] trait.
//!
//! No `reqwest` type appears here; [`ReqwestClient`] is the default implementation, and tests or
//! users can plug in their own client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::credentials::BoxFuture;

mod reqwest_client;
pub use reqwest_client::ReqwestClient;

/// The default limit on a response body: 16 MiB, eight times the largest real listing we know of
/// (an NCP `getServerImageList` page of 1,000 images in XML is about 2 MiB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// The product name and version sent in every `User-Agent`.
pub const USER_AGENT: &str = concat!("imgshare/", env!("CARGO_PKG_VERSION"));

/// Header names whose values are never printed.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-tc-token",
    "x-ncp-apigw-signature-v2",
    "x-ncp-apigw-signature-v1",
    "x-ncp-iam-access-key",
    "scp-signature",
    "scp-accesskey",
    "x-auth-token",
    "cookie",
    "set-cookie",
];

/// Whether a header's value must be redacted when printed.
pub fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// Prints headers with sensitive values replaced by the redaction marker.
pub(crate) struct RedactedHeaders<'a, N: AsRef<str>, V: AsRef<str>>(pub(crate) &'a [(N, V)]);

impl<N: AsRef<str>, V: AsRef<str>> fmt::Debug for RedactedHeaders<'_, N, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            let name = name.as_ref();
            if is_sensitive_header(name) {
                list.entry(&format_args!("{name}: {}", crate::secret::REDACTED));
            } else {
                list.entry(&format_args!("{name}: {}", value.as_ref()));
            }
        }
        list.finish()
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready to send. `Debug` redacts credentials and prints only the body's size.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The URL, exactly as it is signed and sent.
    pub url: Url,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// A request with no headers and an empty body.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Appends a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A response as received.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers in order, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a status, no headers and an empty body (for tests and custom clients).
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Appends a header (name lowercased).
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The `Content-Type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Whether a failed request may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestSent {
    /// The connection failed before any byte of the request was written: nothing was applied.
    No,
    /// The request may have been received (timeout, connection dropped mid-exchange).
    Maybe,
}

/// What went wrong while exchanging a request and its response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpErrorKind {
    /// Could not connect (refused, DNS, connect timeout).
    Connect,
    /// The TLS handshake failed: the server's certificate is not trusted or not valid for the
    /// host, or the server does not speak TLS. Sending again cannot fix it, so it is never
    /// retried.
    Tls,
    /// No answer within the per-attempt or read timeout.
    Timeout,
    /// The connection broke during the exchange (reset, closed early, malformed HTTP).
    Io,
    /// The request could not be built or sent (invalid header, unsupported URL).
    Request,
    /// The response body was larger than the client's limit; reading stopped there.
    ResponseTooLarge,
}

/// The error for a body over `limit` bytes (`declared`: the `Content-Length`, if one was sent).
pub(crate) fn too_large(limit: usize, declared: Option<u64>) -> HttpError {
    let declared = declared
        .map(|l| format!(" (Content-Length {l})"))
        .unwrap_or_default();
    HttpError::new(
        HttpErrorKind::ResponseTooLarge,
        RequestSent::Maybe,
        format!(
            "the response body exceeds the {limit}-byte limit{declared}; a real answer is far \
             smaller, so check the endpoint (SDK: raise max_response_bytes)"
        ),
    )
}

/// A transport failure. Carries no request data beyond the URL's host.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}{}", self.describe(), self.root_cause())]
pub struct HttpError {
    kind: HttpErrorKind,
    sent: RequestSent,
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl HttpError {
    /// A new error.
    pub fn new(kind: HttpErrorKind, sent: RequestSent, message: impl Into<String>) -> Self {
        Self {
            kind,
            sent,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> HttpErrorKind {
        self.kind
    }

    /// Whether the server may have received the request.
    pub fn request_sent(&self) -> RequestSent {
        self.sent
    }

    /// The innermost cause (`Connection refused (os error 111)`), so Display alone says what
    /// happened; the full chain stays available through `source()`.
    fn root_cause(&self) -> String {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = match &self.source {
            Some(s) => Some(s.as_ref()),
            None => None,
        };
        let mut last = None;
        while let Some(c) = cause {
            last = Some(c);
            cause = c.source();
        }
        last.map(|c| format!(" ({c})")).unwrap_or_default()
    }

    fn describe(&self) -> &'static str {
        match self.kind {
            HttpErrorKind::Connect => "could not connect",
            HttpErrorKind::Tls => "TLS handshake failed",
            HttpErrorKind::Timeout => "timed out",
            HttpErrorKind::Io => "connection failed during the exchange",
            HttpErrorKind::Request => "could not send the request",
            HttpErrorKind::ResponseTooLarge => "response too large",
        }
    }
}

/// Sends requests. Implement it to plug in another HTTP stack or to capture requests in tests.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends one request and reads the whole response. `timeout` bounds this attempt.
    fn send(
        &self,
        request: HttpRequest,
        timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;
}

impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn send(
        &self,
        request: HttpRequest,
        timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        (**self).send(request, timeout)
    }
}
