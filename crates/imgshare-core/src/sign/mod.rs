//! Pure request signers: Tencent TC3-HMAC-SHA256, NCP API Gateway v2 and SCP v2, and
//! [`unsigned::Unsigned`] for calls an API takes without a signature.
//!
//! A signer is a synchronous function of (request parts, credentials, time). It borrows a
//! [`SignableRequest`], never sends anything and knows no HTTP client; it returns the headers to
//! add as [`SigningInstructions`]. Every stage (canonical request, string to sign, key, signature)
//! is a public function of its own, so test vectors can check each one.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use url::Url;

use crate::credentials::Credentials;

pub mod ncp;
pub mod scp;
pub mod tc3;
pub mod unsigned;

/// The parts of an HTTP request that signers read, all borrowed.
#[derive(Clone)]
pub struct SignableRequest<'a> {
    method: &'a str,
    url: &'a Url,
    headers: Vec<(&'a str, &'a str)>,
    body: &'a [u8],
}

impl<'a> SignableRequest<'a> {
    /// A request with no headers yet. `url` is the URL exactly as it will be sent.
    pub fn new(method: &'a str, url: &'a Url, body: &'a [u8]) -> Self {
        Self {
            method,
            url,
            headers: Vec::new(),
            body,
        }
    }

    /// Adds a header that will be sent (signers pick the ones they sign).
    pub fn header(mut self, name: &'a str, value: &'a str) -> Result<Self, SigningError> {
        check_header_value(name, value.as_bytes())?;
        self.headers.push((name, value));
        Ok(self)
    }

    /// Adds a header given as raw bytes: a non-UTF-8 value is a typed error, not a panic.
    pub fn header_bytes(self, name: &'a str, value: &'a [u8]) -> Result<Self, SigningError> {
        let text = std::str::from_utf8(value).map_err(|_| SigningError::InvalidHeaderValue {
            name: name.to_owned(),
            reason: "the value is not UTF-8",
        })?;
        self.header(name, text)
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        self.method
    }

    /// The URL as sent.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The headers as sent.
    pub fn headers(&self) -> &[(&'a str, &'a str)] {
        &self.headers
    }

    /// The first header with this name (case-insensitive).
    pub fn header_value(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        self.body
    }

    /// `host[:port]` as an HTTP client sends it in the `Host` header (the port only when it is
    /// not the scheme's default).
    pub fn host_header(&self) -> Result<String, SigningError> {
        if let Some(host) = self.header_value("host") {
            return Ok(host.to_owned());
        }
        let host = self.url.host_str().ok_or(SigningError::InvalidUrl {
            reason: "the URL has no host",
        })?;
        Ok(match self.url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        })
    }
}

impl fmt::Debug for SignableRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold account ids; print only its size.
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("url", &self.url.as_str())
            .field("headers", &crate::http::RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Rejects what no HTTP stack will send (RFC 9110 field syntax, checked by the `http` crate),
/// so such a request fails as a typed error before signing rather than at send time.
fn check_header_value(name: &str, value: &[u8]) -> Result<(), SigningError> {
    crate::binding::check_header_bytes(name, value).map_err(|problem| {
        SigningError::InvalidHeaderValue {
            name: name.to_owned(),
            reason: problem.reason(),
        }
    })
}

/// What a signer asks the caller to add to the request: headers, in order.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SigningInstructions {
    headers: Vec<(&'static str, String)>,
}

impl SigningInstructions {
    /// Adds a header.
    pub fn push(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    /// The headers to add.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The value of one header to add (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Consumes the instructions.
    pub fn into_headers(self) -> Vec<(&'static str, String)> {
        self.headers
    }
}

impl fmt::Debug for SigningInstructions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningInstructions")
            .field("headers", &crate::http::RedactedHeaders(&self.headers))
            .finish()
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The signing time is before 1970-01-01 (or too far in the future to format).
    #[error("the signing time is outside the supported range (before 1970 or after 9999)")]
    InvalidTime,
    /// A header value cannot be sent or signed.
    #[error("header {name} cannot be signed: {reason}")]
    InvalidHeaderValue {
        /// The header name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// A header the scheme requires is absent.
    #[error("header {name} is required by the {scheme} signature but is not on the request")]
    MissingHeader {
        /// The header name.
        name: &'static str,
        /// The signature scheme.
        scheme: &'static str,
    },
    /// The credentials carry a session token, and this scheme has no way to send one: dropping
    /// it would sign with a temporary key the server cannot check.
    #[error(
        "the {scheme} signature cannot carry a session token; use the provider's long-lived access key (or its own temporary-key mechanism, which needs no token)"
    )]
    SessionTokenUnsupported {
        /// The signature scheme.
        scheme: &'static str,
    },
    /// The URL cannot be signed.
    #[error("the URL cannot be signed: {reason}")]
    InvalidUrl {
        /// Why.
        reason: &'static str,
    },
}

/// Signs requests for one provider.
///
/// Implementations are pure: the same request, credentials and time give the same instructions.
pub trait Signer: Send + Sync + fmt::Debug {
    /// Computes the headers that authenticate `request`.
    fn sign(
        &self,
        request: &SignableRequest<'_>,
        credentials: &Credentials,
        time: SystemTime,
    ) -> Result<SigningInstructions, SigningError>;
}

/// Whole seconds since the Unix epoch, or [`SigningError::InvalidTime`] before 1970.
pub fn unix_seconds(time: SystemTime) -> Result<u64, SigningError> {
    time.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .map_err(|_| SigningError::InvalidTime)
}

/// Whole milliseconds since the Unix epoch, as NCP and SCP send them.
pub fn unix_millis(time: SystemTime) -> Result<u64, SigningError> {
    let d = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::InvalidTime)?;
    u64::try_from(d.as_millis()).map_err(|_| SigningError::InvalidTime)
}

/// An HMAC-SHA256 state keyed with `key`, to feed a message piece by piece.
pub(crate) fn hmac_sha256_mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = hmac_sha256_mac(key);
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Standard Base64 (with padding) of HMAC-SHA256, as NCP and SCP sign.
pub fn hmac_sha256_base64(key: &[u8], message: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(hmac_sha256(key, message))
}

/// Refuses credentials with a session token for a scheme that cannot send one.
pub(crate) fn refuse_session_token(
    credentials: &Credentials,
    scheme: &'static str,
) -> Result<(), SigningError> {
    match credentials.session_token() {
        Some(_) => Err(SigningError::SessionTokenUnsupported { scheme }),
        None => Ok(()),
    }
}
