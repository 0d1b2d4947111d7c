//! One error type for every provider, with the classes users branch on.
//!
//! Display prints what went wrong and what to do: for a service error the provider's code, its
//! message and the request id (which the provider's support desk asks for).

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;
use crate::http::{HttpError, HttpErrorKind, RequestSent};
use crate::sign::SigningError;

/// How an error bears on retrying (as in the AWS SDKs' classification).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A passing network fault (connection refused, reset, timeout).
    Transient,
    /// The server asked us to slow down; nothing was applied.
    Throttling,
    /// The server failed (5xx, internal error); the request may or may not have been applied.
    Server,
    /// The request is wrong; retrying cannot help.
    Client,
    /// The server refused the request's timestamp as too far from its own clock (Tencent
    /// `AuthFailure.SignatureExpire`, NCP's gateway timestamp error); nothing was applied. The
    /// runtime retries once it has learnt the server's time from a `Date` header.
    ClockSkew,
}

/// A field failed validation before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: `{field}` {message}")]
pub struct InvalidInput {
    field: Cow<'static, str>,
    message: String,
}

impl InvalidInput {
    /// `field` is the builder's name for the field (`image_id`, `account_ids[3]`).
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A required field was not set.
    pub fn missing(field: impl Into<Cow<'static, str>>) -> Self {
        Self::new(field, "is required but was not set")
    }

    /// The field's name.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Which timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// One attempt took longer than [`TimeoutConfig::attempt`](crate::TimeoutConfig).
    Attempt,
    /// All attempts together took longer than [`TimeoutConfig::operation`](crate::TimeoutConfig).
    Operation,
}

/// A timeout, naming which one fired and after how long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} timeout after {after:?} ({attempts} attempt(s)); raise it if the service is slow (CLI: --timeout; SDK: TimeoutConfig)", match .kind { TimeoutKind::Attempt => "per-attempt", TimeoutKind::Operation => "whole-operation" })]
pub struct TimeoutError {
    /// Which timeout fired.
    pub kind: TimeoutKind,
    /// Its configured length.
    pub after: Duration,
    /// Attempts made.
    pub attempts: u32,
}

/// A transport failure after the retries allowed.
#[derive(Debug, thiserror::Error)]
#[error("request not completed after {attempts} attempt(s): {source}")]
pub struct DispatchError {
    /// The last transport failure.
    #[source]
    pub source: HttpError,
    /// Attempts made.
    pub attempts: u32,
}

/// A response that is neither a success nor a recognisable error envelope.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable response (HTTP {status}, content type {}): {reason}; body starts: {body_excerpt:?}", .content_type.as_deref().unwrap_or("none"))]
pub struct ResponseError {
    /// HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// What could not be understood.
    pub reason: String,
    /// The first few hundred bytes of the body, lossily decoded.
    pub body_excerpt: String,
    /// A request id, if a header carried one.
    pub request_id: Option<String>,
    /// The decoder's own error, when decoding is what failed.
    #[source]
    pub decode_error: Option<Box<crate::decode::DecodeError>>,
}

impl ResponseError {
    /// An unreadable-response error for `response`: its status, content type and the start of
    /// its body.
    pub fn from_response(response: &crate::http::HttpResponse, reason: impl Into<String>) -> Self {
        Self {
            status: response.status,
            content_type: response.content_type().map(str::to_owned),
            reason: reason.into(),
            body_excerpt: body_excerpt(&response.body),
            request_id: None,
            decode_error: None,
        }
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Keeps the decoder's error as the `source()`.
    pub fn with_decode_error(mut self, error: crate::decode::DecodeError) -> Self {
        self.decode_error = Some(Box::new(error));
        self
    }
}

/// How many bytes of a body an error keeps.
pub const BODY_EXCERPT_LEN: usize = 300;

/// What an error may quote of a response body: its first [`BODY_EXCERPT_LEN`] bytes, lossily
/// decoded, cut on a character boundary, with the local part of every e-mail address masked
/// (`alice@example.com` → `a***@example.com`).
///
/// Errors end up in users' logs, and NCP and SCP bodies carry login e-mails and account ids;
/// the excerpt is there to tell an HTML proxy page or a truncated document from an API answer,
/// which the masked text still does. Account ids are kept: they are what a user must see to
/// act on the error.
pub fn body_excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_EXCERPT_LEN)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > BODY_EXCERPT_LEN {
        // A multi-byte character cut in half decodes to U+FFFD; drop it.
        while text.ends_with('\u{FFFD}') {
            text.pop();
        }
        text.push('…');
    }
    mask_emails(&text)
}

/// Masks the local part of each `local@domain` in `text`, keeping its first character.
fn mask_emails(text: &str) -> String {
    let is_local = |c: char| c.is_alphanumeric() || "._%+-".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        let (before, after) = rest.split_at(at);
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_local(*c))
            .last()
            .map_or(before.len(), |(i, _)| i);
        let domain_is_real = after[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
        out.push_str(&before[..start]);
        let local = &before[start..];
        match local.chars().next() {
            Some(first) if domain_is_real => {
                out.push(first);
                out.push_str("***");
            }
            _ => out.push_str(local),
        }
        out.push('@');
        rest = &after[1..];
    }
    out.push_str(rest);
    out
}

/// Which layer of the provider answered with the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ErrorOrigin {
    /// The API itself (Tencent `Response.Error`, NCP `responseError`, SCP `errors[]`).
    #[default]
    Api,
    /// A gateway in front of it (NCP's API Gateway `error`, SCP's gateway 401/404/417 answers):
    /// usually authentication, throttling or routing, before the API saw the request.
    Gateway,
}

/// ` (request id ID)`, or nothing when the answer carried none (NCP's gateway errors often do
/// not): "request id none" reads as an id.
fn request_id_note(request_id: Option<&str>) -> String {
    match request_id {
        Some(id) if !id.is_empty() => format!(" (request id {id})"),
        _ => String::new(),
    }
}

/// An error answered by the provider's API.
///
/// Built with [`ServiceError::new`] and the `with_*` methods; read with the getters. Provider
/// details that have no field of their own (SCP's `title` and `global_request_id`, NCP's gateway
/// `details`) are kept as [`ServiceError::details`], name–value pairs in the provider's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("service error: {code}: {message}{}{}", request_id_note(.request_id.as_deref()), skew_note(*.clock_skew_secs))]
#[non_exhaustive]
pub struct ServiceError {
    code: String,
    message: String,
    request_id: Option<String>,
    http_status: u16,
    kind: ErrorKind,
    origin: ErrorOrigin,
    details: Vec<(String, String)>,
    clock_skew_secs: Option<i64>,
}

fn skew_note(skew: Option<i64>) -> String {
    match skew {
        Some(s) if s > 0 => format!(
            "; the local clock is {s} s behind the server's (from its Date header): synchronise it (NTP)"
        ),
        Some(s) if s < 0 => format!(
            "; the local clock is {} s ahead of the server's (from its Date header): synchronise it (NTP)",
            -s
        ),
        _ => String::new(),
    }
}

impl ServiceError {
    /// An error with the provider's `code` and `message`, the HTTP status it came with, and how
    /// the provider crate classified it.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        http_status: u16,
        kind: ErrorKind,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            request_id: None,
            http_status,
            kind,
            origin: ErrorOrigin::Api,
            details: Vec::new(),
            clock_skew_secs: None,
        }
    }

    /// Records how far the server's clock (its `Date` header) is ahead of the local one, in
    /// seconds (negative: behind). Display then says so.
    pub fn with_clock_skew_secs(mut self, skew: i64) -> Self {
        self.clock_skew_secs = Some(skew);
        self
    }

    /// How far the server's clock was ahead of the local one when it answered, when known.
    pub fn clock_skew_secs(&self) -> Option<i64> {
        self.clock_skew_secs
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Sets which layer answered.
    pub fn with_origin(mut self, origin: ErrorOrigin) -> Self {
        self.origin = origin;
        self
    }

    /// Adds a provider detail (`("global_request_id", "…")`, `("detail", "…")`).
    pub fn with_detail(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.details.push((name.into(), value.into()));
        self
    }

    /// Adds a provider detail when there is one.
    pub fn with_optional_detail(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.with_detail(name, value),
            None => self,
        }
    }

    /// Adds one provider detail called `name` per value, in order (`detail` lines).
    pub fn with_details<V: Into<String>>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        for value in values {
            self = self.with_detail(name, value);
        }
        self
    }

    /// The provider's error code (`InvalidImageId.NotFound`, `1104037`, `ValidationError`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The provider's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The request id, for the provider's support desk.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status (Tencent answers errors with 200).
    pub fn http_status(&self) -> u16 {
        self.http_status
    }

    /// How the provider crate classified the code.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Which layer answered.
    pub fn origin(&self) -> ErrorOrigin {
        self.origin
    }

    /// Provider details, in order.
    pub fn details(&self) -> &[(String, String)] {
        &self.details
    }

    /// The first detail called `name`.
    pub fn detail(&self, name: &str) -> Option<&str> {
        self.details
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The error of every operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Bad input, caught before anything was sent.
    #[error(transparent)]
    InvalidInput(#[from] InvalidInput),
    /// No usable credentials.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The request could not be signed.
    #[error("could not sign the request: {0}")]
    Signing(#[from] SigningError),
    /// A timeout fired.
    #[error(transparent)]
    Timeout(#[from] TimeoutError),
    /// The request could not be exchanged.
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
    /// The response could not be understood.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// The provider answered with an error.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl Error {
    /// The provider's error code, for service errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Service(e) => Some(e.code()),
            _ => None,
        }
    }

    /// The provider's message, for service errors.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Service(e) => Some(e.message()),
            _ => None,
        }
    }

    /// The request id, when the provider sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id(),
            Error::Response(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.http_status()),
            Error::Response(e) => Some(e.status),
            _ => None,
        }
    }

    /// The rejected field and why, if this is bad input.
    pub fn as_invalid_input(&self) -> Option<&InvalidInput> {
        match self {
            Error::InvalidInput(e) => Some(e),
            _ => None,
        }
    }

    /// The service error, if this is one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// How this error bears on retrying; `None` for errors no retry can fix (input, credentials,
    /// signing).
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Error::InvalidInput(_) | Error::Credentials(_) | Error::Signing(_) => None,
            // None can be fixed by sending again: the request is unsendable, the certificate is
            // refused, or the server (or whatever answers in its place) sends more than any
            // real answer holds.
            Error::Dispatch(e)
                if matches!(
                    e.source.kind(),
                    HttpErrorKind::Request | HttpErrorKind::Tls | HttpErrorKind::ResponseTooLarge
                ) =>
            {
                Some(ErrorKind::Client)
            }
            Error::Timeout(_) | Error::Dispatch(_) => Some(ErrorKind::Transient),
            Error::Response(e) => Some(status_kind(e.status)),
            Error::Service(e) => Some(e.kind()),
        }
    }

    /// Whether the server refused the request's timestamp (the local clock is off).
    pub fn is_clock_skew(&self) -> bool {
        self.kind() == Some(ErrorKind::ClockSkew)
    }

    /// Whether the provider throttled the request.
    pub fn is_throttling(&self) -> bool {
        self.kind() == Some(ErrorKind::Throttling)
    }

    /// Whether the failure is passing: a network fault or a server error. Throttling is not
    /// included (see [`Error::is_throttling`]).
    pub fn is_transient(&self) -> bool {
        matches!(self.kind(), Some(ErrorKind::Transient | ErrorKind::Server))
    }

    /// Whether a later retry of an idempotent request might succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            Some(ErrorKind::Transient | ErrorKind::Throttling | ErrorKind::Server)
        )
    }

    /// Whether a timeout fired (ours, or the transport's read timeout).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Dispatch(e) => e.source.kind() == HttpErrorKind::Timeout,
            _ => false,
        }
    }

    /// Whether the provider answered with an error code ([`Error::Service`]).
    pub fn is_service(&self) -> bool {
        matches!(self, Error::Service(_))
    }

    /// Whether the exchange itself failed: no connection, a timeout, a broken or unreadable
    /// response ([`Error::Dispatch`], [`Error::Timeout`], [`Error::Response`]).
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            Error::Dispatch(_) | Error::Timeout(_) | Error::Response(_)
        )
    }

    /// Whether this is bad input caught before sending.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_))
    }

    /// Whether credentials could not be had.
    pub fn is_credentials(&self) -> bool {
        matches!(self, Error::Credentials(_))
    }

    /// Whether the request may have reached the server.
    pub fn request_sent(&self) -> RequestSent {
        match self {
            Error::InvalidInput(_) | Error::Credentials(_) | Error::Signing(_) => RequestSent::No,
            Error::Dispatch(e) => e.source.request_sent(),
            _ => RequestSent::Maybe,
        }
    }
}

/// The retry class of an HTTP status with no readable error body.
pub fn status_kind(status: u16) -> ErrorKind {
    match status {
        429 => ErrorKind::Throttling,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Client,
    }
}

/// Prints an error with its whole `source()` chain: `a: b: c`.
#[derive(Debug)]
pub struct DisplayErrorContext<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for DisplayErrorContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod excerpt_tests {
    use super::body_excerpt;

    #[test]
    fn e_mail_local_parts_are_masked() {
        assert_eq!(
            body_excerpt(br#"{"sharedLoginIdList":["alice.k+ops@naver.com","b@x.io"]}"#),
            r#"{"sharedLoginIdList":["a***@naver.com","b***@x.io"]}"#
        );
        assert_eq!(
            body_excerpt("@ 김철수@example.com a@".as_bytes()),
            "@ 김***@example.com a@"
        );
        assert_eq!(body_excerpt(b"<html>502</html>"), "<html>502</html>");
    }
}

#[cfg(test)]
mod detail_tests {
    use super::*;

    #[test]
    fn optional_and_repeated_details_keep_their_order() {
        // Catches an absent detail recorded as an empty one (it would show as `title: ""`).
        let e = ServiceError::new("C", "m", 400, ErrorKind::Client)
            .with_optional_detail("title", Some("T"))
            .with_optional_detail("global_request_id", None::<String>)
            .with_details("detail", ["a", "b"]);
        let names: Vec<&str> = e.details().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["title", "detail", "detail"]);
        assert_eq!(e.detail("detail"), Some("a"));
    }
}
